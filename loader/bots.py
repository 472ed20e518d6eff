"""Which GitHub accounts are automation. Bots are flagged, never dropped; analyses decide."""

from __future__ import annotations

from functools import cache
from pathlib import Path

# Suffixes GitHub Apps and CI accounts use by convention.
BOT_SUFFIXES = ("[bot]", "-bot", "_bot", "-robot", "-autoroll", "-automation", "-jenkins")

# Service accounts without a telltale suffix, found among the most active logins of
# the top-300 snapshot (CI runners, merge queues, CLA checkers, package registrators).
SERVICE_ACCOUNTS_FILE = Path(__file__).with_name("service_accounts.txt")


def _load_service_accounts() -> frozenset[str]:
    lines = SERVICE_ACCOUNTS_FILE.read_text(encoding="utf-8").splitlines()
    return frozenset(line.strip().lower() for line in lines if line.strip() and not line.startswith("#"))


SERVICE_ACCOUNTS = _load_service_accounts()


@cache
def is_bot(login: str) -> bool:
    key = login.lower()
    return key.endswith(BOT_SUFFIXES) or key in SERVICE_ACCOUNTS
