"""Errors a user can act on. The CLI prints their message and exits non-zero; no traceback."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, TypeVar

T = TypeVar("T")


class NichegraphError(Exception):
    """A failure with a message written for the user, mapped to an exit status."""

    exit_code = 1


class BadParameter(NichegraphError):
    """A flag or argument the user gave is invalid; the message names it."""

    exit_code = 2


class DatabaseUnavailable(NichegraphError):
    """Neo4j does not answer at the configured URI."""

    exit_code = 3


@dataclass(frozen=True)
class Requirement:
    """What a numeric parameter must be, worded as its error message words it."""

    holds: Callable[[Any], bool]
    says: str


# comparisons with NaN are false, so NaN meets none of these
NOT_NEGATIVE = Requirement(lambda value: value >= 0, "must not be negative")
POSITIVE = Requirement(lambda value: value > 0, "must be positive")


def at_least(low: int, why: str = "") -> Requirement:
    return Requirement(lambda value: value >= low, f"must be at least {low}{why}")


def checked(params: T, **requirements: Requirement) -> T:
    """`params` itself when each named field meets its requirement; otherwise a BadParameter
    naming the first that does not by its flag (`min_size` -> --min-size) and its value."""
    for name, requirement in requirements.items():
        value = getattr(params, name)
        if not requirement.holds(value):
            raise BadParameter(f"--{name.replace('_', '-')}: {value} {requirement.says}")
    return params


class QueryTimedOut(NichegraphError):
    """A read ran longer than its transaction timeout and the server stopped it."""
