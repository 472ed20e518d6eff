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
