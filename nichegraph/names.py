"""What GitHub names look like; shared by the loader, the analytics and the web."""

from __future__ import annotations

import re

from nichegraph.errors import BadParameter

REPO_NAME = re.compile(r"^[A-Za-z0-9_.-]+/[A-Za-z0-9_.-]+$")
# GitHub logins: letters, digits and single hyphens; apps end in "[bot]"
LOGIN = re.compile(r"^[A-Za-z0-9](?:[A-Za-z0-9-]{0,38})(?:\[bot\])?$")


def check_repo_path(owner: str, name: str, what: str = "repository") -> str:
    full_name = f"{owner}/{name}"
    if not REPO_NAME.match(full_name):
        raise BadParameter(f"{what}: {full_name!r} is not a repository name of the form owner/repo")
    return full_name


def check_login(login: str, what: str = "login") -> str:
    if not LOGIN.match(login):
        raise BadParameter(f"{what}: {login!r} is not a GitHub login")
    return login


# A named network (`nichegraph load network --name`): safe in URLs, file names and Cypher values.
NETWORK_NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.-]{0,79}$")
# Niches and relations of a named network are stored under this key where a window's are
# stored under "FIRST:LAST" (docs/model.md); window keys never start with a letter.
NETWORK_SCOPE = "network:"


def check_network_name(name: str, what: str = "network") -> str:
    if not NETWORK_NAME.match(name or ""):
        raise BadParameter(
            f"{what}: {name!r} is not a network name (letters, digits, '.', '_' and '-', starting with a "
            "letter or digit, at most 80 characters)"
        )
    return name


def network_scope(name: str) -> str:
    """The key a network's niches and relations are stored under: 'network:NAME'."""
    return NETWORK_SCOPE + name
