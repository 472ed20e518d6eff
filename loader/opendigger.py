"""Parse and validate one repository's OpenDigger metric files into what the graph stores.

OpenDigger's static layout is `github/{owner}/{repo}/{metric}.json`. Nothing here talks
to Neo4j: `parse_repo` turns raw file bytes into a `RepoData`, or raises `BadFile`
naming the file and the problem, so a bad repository is rejected before any write.
"""

from __future__ import annotations

import hashlib
import math
import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any

import orjson

from nichegraph.errors import NichegraphError
from nichegraph.loader.bots import is_bot
from nichegraph.months import Window, is_month
from nichegraph.names import REPO_NAME

# OpenDigger file stem -> RepoMonth property
SERIES_FILES: dict[str, str] = {
    "openrank": "openrank",
    "activity": "activity",
    "stars": "stars",
    "attention": "attention",
    "participants": "participants",
    "new_contributors": "newContributors",
    "inactive_contributors": "inactiveContributors",
    "bus_factor": "busFactor",
    "issues_new": "issuesNew",
    "change_requests": "changeRequests",
    "technical_fork": "technicalFork",
}
DETAILS_FILE = "activity_details"
META_FILE = "meta"
ALL_FILES = (*SERIES_FILES, DETAILS_FILE, META_FILE)

# Yearly and quarterly roll-ups ("2022", "2022Q3") that the live service adds to its
# files: derivable from the months, so skipped on purpose.
AGGREGATE_KEY = re.compile(r"^\d{4}(Q[1-4])?$")
# GHArchive lost part of October 2021; OpenDigger publishes an interpolated "2021-10"
# and keeps the measured value as "2021-10-raw". Both are kept (property suffix Raw).
RAW_KEY = re.compile(r"^(\d{4}-\d{2})-raw$")


class BadFile(NichegraphError):
    """A metric file that cannot be loaded; the message names the file and the problem."""


class UnknownRepo(NichegraphError):
    """The source has no files for this repository."""


@dataclass
class Contributions:
    """One repository's monthly contribution rows, merged, grouped by developer key.

    `keys` is sorted, so every transaction locks developers in the same order and
    parallel loads cannot deadlock; `months[i]` and `activity[i]` belong to `keys[i]`.
    """

    keys: list[str] = field(default_factory=list)
    months: list[list[str]] = field(default_factory=list)
    activity: list[list[float]] = field(default_factory=list)
    total: int = 0  # number of (developer, month) rows

    def __len__(self) -> int:
        return self.total

    def append(self, key: str, months: list[str], activity: list[float]) -> None:
        self.keys.append(key)
        self.months.append(months)
        self.activity.append(activity)
        self.total += len(months)

    def rows(self) -> Iterator[tuple[str, str, float]]:
        for key, months, activity in zip(self.keys, self.months, self.activity, strict=True):
            for month, value in zip(months, activity, strict=True):
                yield key, month, value

    def only_months(self, keep: set[str]) -> Contributions:
        """The rows of the months in `keep` (itself when that is every month it has)."""
        if keep.issuperset(self.month_set()):
            return self
        kept = Contributions()
        for key, months, activity in zip(self.keys, self.months, self.activity, strict=True):
            pairs = [(m, a) for m, a in zip(months, activity, strict=True) if m in keep]
            if pairs:
                kept.append(key, [m for m, _ in pairs], [a for _, a in pairs])
        return kept

    def month_set(self) -> set[str]:
        return {month for months in self.months for month in months}


@dataclass
class RepoData:
    name: str
    months: dict[str, dict[str, float]]
    contributions: Contributions
    # developer key -> (display login, month it was seen, is bot)
    developers: dict[str, tuple[str, str, bool]]
    rows_in: int
    merged_repeats: int
    missing_files: list[str]
    updated_at: int | None
    skipped_aggregate_keys: int
    month_hashes: dict[str, str]

    @property
    def owner(self) -> str:
        return self.name.split("/", 1)[0]


def check_repo_name(name: str, where: str = "--repos") -> str:
    if not REPO_NAME.match(name):
        raise UnknownRepo(f"{where}: {name!r} is not a repository name of the form owner/repo")
    return name


def parse_repo(
    name: str,
    raw_files: Mapping[str, bytes | None],
    window: Window | None = None,
    label: str | None = None,
) -> RepoData:
    """Validate and convert the raw files of one repository (None = file absent)."""
    where = label or name
    present = {stem: body for stem, body in raw_files.items() if body is not None}
    if not present:
        raise UnknownRepo(f"{where}: no OpenDigger files found (repository not tracked?)")
    months: dict[str, dict[str, float]] = {}
    skipped = 0
    for stem, prop in SERIES_FILES.items():
        if stem in present:
            skipped += _parse_series(f"{where}/{stem}.json", present[stem], prop, window, months)
    details = _Details()
    if DETAILS_FILE in present:
        details = _parse_details(f"{where}/{DETAILS_FILE}.json", present[DETAILS_FILE], window)
        skipped += details.skipped
        for month in details.fingerprints:
            months.setdefault(month, {})
    updated_at = _parse_meta(f"{where}/{META_FILE}.json", present.get(META_FILE))
    return RepoData(
        name=name,
        months=months,
        contributions=details.contributions,
        developers=details.developers,
        rows_in=details.rows_in,
        merged_repeats=details.merged,
        missing_files=[stem for stem in ALL_FILES if stem not in present],
        updated_at=updated_at,
        skipped_aggregate_keys=skipped,
        month_hashes=month_hashes(months, details.fingerprints),
    )


def better_display(login: str, month: str, than_login: str, than_month: str) -> bool:
    """Which casing of a login to display: the one of the latest month, the smallest on
    a tie, so the choice never depends on the order repositories are loaded in.
    (MERGE_DEVELOPERS applies the same rule inside Neo4j.)"""
    return month > than_month or (month == than_month and login < than_login)


def _load_json(path: str, body: bytes) -> object:
    try:
        return orjson.loads(body)
    except orjson.JSONDecodeError as error:
        problem = "is empty" if not body.strip() else f"is not valid JSON ({error})"
        raise BadFile(f"{path} {problem}") from error


def _number(path: str, where: str, value: object) -> float:
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise BadFile(f"{path}: {where}: value {value!r} is not a number")
    if not math.isfinite(value):
        raise BadFile(f"{path}: {where}: value {value!r} is not finite")
    if value < 0:
        raise BadFile(f"{path}: {where}: negative value {value!r}")
    return value


def _classify_key(path: str, key: object) -> tuple[str, str | None]:
    """('month', m) | ('raw', m) | ('aggregate', None); raise on anything else."""
    if is_month(key):
        return "month", key  # type: ignore[return-value]
    if isinstance(key, str):
        raw = RAW_KEY.match(key)
        if raw and is_month(raw.group(1)):
            return "raw", raw.group(1)
        if AGGREGATE_KEY.match(key):
            return "aggregate", None
    raise BadFile(f"{path}: key {key!r} is not a month (expected YYYY-MM)")


def _parse_series(path: str, body: bytes, prop: str, window: Window | None, months: dict[str, dict[str, float]]) -> int:
    data = _load_json(path, body)
    if not isinstance(data, dict):
        raise BadFile(f"{path}: expected an object of month -> number, got {type(data).__name__}")
    skipped = 0
    for key, value in data.items():
        kind, month = _classify_key(path, key)
        number = _number(path, f"month {key}", value)
        if kind == "aggregate":
            skipped += 1
            continue
        if window is not None and month not in window:
            continue
        target = prop if kind == "month" else f"{prop}Raw"
        months.setdefault(month, {})[target] = number  # type: ignore[index]
    return skipped


def _parse_details(path: str, body: bytes, window: Window | None) -> _Details:
    data = _load_json(path, body)
    if not isinstance(data, dict):
        raise BadFile(f"{path}: expected an object of month -> [[login, score], ...]")
    # developer key -> [display login, its month, [months], [scores]]
    entries: dict[str, list[Any]] = {}
    # each login as written -> its developer's entry: a login is checked and lowered once, not
    # in every month it appears (this loop runs 2.2 million times for 760,000 logins)
    by_login: dict[str, list[Any]] = {}
    details = _Details()
    infinity = math.inf
    for month_key, rows in data.items():
        kind, month = _classify_key(path, month_key)
        if kind != "month" or month is None:
            details.skipped += 1
            continue
        if not isinstance(rows, list):
            raise BadFile(f"{path}: month {month}: expected a list of [login, score] pairs")
        if window is not None and month not in window:
            continue
        details.rows_in += len(rows)
        details.fingerprints[month] = orjson.dumps(rows)
        for index, row in enumerate(rows):
            # checks and merging are inlined: this loop runs 2.2 million times
            if type(row) is not list or len(row) != 2:
                raise BadFile(f"{path}: month {month} row {index}: expected [login, score], got {row!r}")
            login, score = row
            if type(login) is not str:
                raise BadFile(f"{path}: month {month} row {index}: login {login!r} is not a GitHub login")
            entry = by_login.get(login)
            # control characters: no GitHub login has them, and they would break import files
            if entry is None and (not login or login.strip() != login or not login.isprintable()):
                raise BadFile(f"{path}: month {month} row {index}: login {login!r} is not a GitHub login")
            score_type = type(score)
            if score_type is int:
                score = float(score)
            elif score_type is not float:
                raise BadFile(f"{path}: month {month} row {index}: score {score!r} is not a number")
            if not 0.0 <= score < infinity:
                raise BadFile(f"{path}: month {month} row {index}: score {score!r} is negative or not finite")
            if entry is None:
                dev_key = login.lower()
                entry = entries.get(dev_key)
                if entry is None:
                    entries[dev_key] = by_login[login] = [login, month, [month], [score]]
                    continue
                by_login[login] = entry
            if entry[2][-1] == month:
                # the same developer twice in one month (a renamed or transferred repo, or
                # two casings): scores are square roots of additive counts, so add squares
                entry[3][-1] = round(math.sqrt(entry[3][-1] ** 2 + score * score), 6)
                details.merged += 1
            else:
                entry[2].append(month)
                entry[3].append(score)
            if better_display(login, month, entry[0], entry[1]):
                entry[0], entry[1] = login, month
    for key in sorted(entries):
        login, login_month, months, scores = entries[key]
        details.contributions.append(key, months, scores)
        details.developers[key] = (login, login_month, is_bot(key))
    return details


@dataclass
class _Details:
    contributions: Contributions = field(default_factory=Contributions)
    developers: dict[str, tuple[str, str, bool]] = field(default_factory=dict)
    fingerprints: dict[str, bytes] = field(default_factory=dict)  # month -> its raw rows
    rows_in: int = 0
    merged: int = 0
    skipped: int = 0


def _parse_meta(path: str, body: bytes | None) -> int | None:
    if body is None:
        return None
    data = _load_json(path, body)
    if not isinstance(data, dict):
        raise BadFile(f'{path}: expected an object like {{"updatedAt": epoch_ms}}')
    updated = data.get("updatedAt")
    if updated is None:
        return None
    if isinstance(updated, bool) or not isinstance(updated, int):
        raise BadFile(f"{path}: updatedAt {updated!r} is not an epoch in milliseconds")
    return updated


def month_hashes(months: dict[str, dict[str, float]], details: dict[str, bytes]) -> dict[str, str]:
    """A fingerprint per month of everything stored for it (the series values and the raw
    activity rows), so a reload skips the months that did not change."""
    hashes = {}
    for month, values in months.items():
        digest = hashlib.blake2b(orjson.dumps(values, option=orjson.OPT_SORT_KEYS), digest_size=12)
        digest.update(details.get(month, b""))
        hashes[month] = digest.hexdigest()
    return hashes
