"""Shared helpers for the OpenRank and trend tests: small hand-made graphs written with plain
Cypher CREATE, and an independent reading of the series in the JSON files. (OpenRank computed
on the full snapshot is the `openrank_computed` fixture of tests/conftest.py.)"""

from __future__ import annotations

import json
from collections.abc import Iterable
from functools import cache
from typing import Any

from nichegraph.db import Graph
from tests.conftest import TOP300

# --- hand-made graphs ----------------------------------------------------------------------

CREATE_REPOS = """
UNWIND $repos AS repo
CREATE (r:Repo {name: repo.name, nameLower: toLower(repo.name), owner: split(repo.name, '/')[0]})
WITH r, repo
UNWIND repo.months AS month
CREATE (r)-[:HAS_MONTH]->(m:RepoMonth)
SET m = month, m.repo = repo.name
"""

CREATE_DEVELOPERS = """
UNWIND $developers AS developer
CREATE (:Developer {key: toLower(developer.login), login: developer.login, isBot: developer.isBot})
"""

CREATE_CONTRIBUTIONS = """
UNWIND $rows AS row
MATCH (d:Developer {key: toLower(row.login)})
MATCH (r:Repo {name: row.repo})
CREATE (d)-[:CONTRIBUTED {month: row.month, activity: row.score}]->(r)
"""


def create_graph(
    graph: Graph,
    repos: dict[str, list[dict[str, Any]]],
    contributions: Iterable[tuple[str, str, str, float]] = (),
    bots: Iterable[str] = (),
) -> None:
    """repos: name -> its RepoMonth property maps (each with a `month`); contributions:
    (login, repo, month, score)."""
    graph.apply_schema()
    contributions = list(contributions)
    bots = set(bots)
    logins = sorted({login for login, *_ in contributions} | bots)
    graph.write(CREATE_REPOS, repos=[{"name": name, "months": months} for name, months in repos.items()])
    graph.write(CREATE_DEVELOPERS, developers=[{"login": login, "isBot": login in bots} for login in logins])
    graph.write(
        CREATE_CONTRIBUTIONS,
        rows=[{"login": lo, "repo": re, "month": mo, "score": sc} for lo, re, mo, sc in contributions],
    )


def months(first: int, last: int, year: int = 2020) -> list[str]:
    return [f"{year}-{month:02d}" for month in range(first, last + 1)]


# --- the JSON files, read independently ----------------------------------------------------


@cache
def series(repo: str, metric: str) -> dict[str, float]:
    """A repository's monthly series from its OpenDigger file (months only; {} if missing)."""
    path = TOP300 / "github" / repo / f"{metric}.json"
    if not path.exists():
        return {}
    data = json.loads(path.read_text())
    return {key: value for key, value in data.items() if len(key) == 7 and key[4] == "-"}


@cache
def details(repo: str) -> dict[str, list[tuple[str, float]]]:
    path = TOP300 / "github" / repo / "activity_details.json"
    data = json.loads(path.read_text())
    return {key: [(login, score) for login, score in rows] for key, rows in data.items() if len(key) == 7}


def window_months(first: str, last: str) -> list[str]:
    out = []
    year, month = int(first[:4]), int(first[5:])
    while f"{year:04d}-{month:02d}" <= last:
        out.append(f"{year:04d}-{month:02d}")
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    return out


def mean_over(values: dict[str, float], window: list[str]) -> float:
    """Mean monthly value over the window, a month without a value counting as 0."""
    return sum(values.get(month, 0.0) for month in window) / len(window)


@cache
def all_details() -> dict[str, dict[str, list[tuple[str, float]]]]:
    """Every repository's activity details, from the files."""
    root = TOP300 / "github"
    return {
        f"{owner.name}/{repo.name}": details(f"{owner.name}/{repo.name}")
        for owner in root.iterdir()
        for repo in owner.iterdir()
        if (repo / "activity_details.json").exists()
    }
