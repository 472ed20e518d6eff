"""Errors a user can act on. The CLI prints their message and exits non-zero; no traceback."""

from __future__ import annotations


class NichegraphError(Exception):
    """A failure with a message written for the user, mapped to an exit status."""

    exit_code = 1


class BadParameter(NichegraphError):
    """A flag or argument the user gave is invalid; the message names it."""

    exit_code = 2


class DatabaseUnavailable(NichegraphError):
    """Neo4j does not answer at the configured URI."""

    exit_code = 3


class QueryTimedOut(NichegraphError):
    """A read ran longer than its transaction timeout and the server stopped it."""
