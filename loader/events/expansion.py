"""The landscape report's expansion, in SQL over the events: the seeds' active developers, the
other repositories ranked by how many of them they share, and the pairs of repositories with the
number of active developers each pair shares. What to keep (OpenRank, --min-shared) and why is
decided by nichegraph.analysis.events_expand; this module only asks the events.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from nichegraph.errors import BadParameter
from nichegraph.loader.bots import BOT_SUFFIXES, SERVICE_ACCOUNTS
from nichegraph.loader.events import sql
from nichegraph.loader.events.stores import EventsStore
from nichegraph.months import Window

SEED = "seed"
CANDIDATE = "candidate"
SHOWN_BEYOND_TOP = 10  # candidates past --top returned too, to say why they were left out


@dataclass(frozen=True)
class Ranked:
    """A seed or a candidate: its active developers and those it shares with the seeds."""

    repo_id: int
    name: str
    role: str
    active_developers: int
    shared: int
    rank: int | None  # candidates: 1 = shares the most active developers with the seeds


@dataclass(frozen=True)
class Overlap:
    seeds: list[Ranked]
    candidates: list[Ranked]  # --top of them and SHOWN_BEYOND_TOP more
    missing_seeds: list[str]  # seeds with no active developer in the period
    seed_developers: int

    def ids(self) -> dict[str, int]:
        return {item.name: item.repo_id for item in [*self.seeds, *self.candidates]}


def active_parameters(window: Window | None) -> dict[str, Any]:
    return {
        **sql.window_bounds(window),
        "bot_suffixes": list(BOT_SUFFIXES),
        "bot_accounts": sorted(SERVICE_ACCOUNTS),
    }


def seed_overlap(store: EventsStore, seeds: list[str], window: Window | None, top: int) -> Overlap:
    """The seeds and the `top` repositories sharing the most active developers with them."""
    if not seeds:
        raise BadParameter("--seeds: give at least one repository, e.g. --seeds vllm-project/vllm")
    if top < 0:
        raise BadParameter(f"--top: {top} must not be negative")
    lowered = sorted({seed.lower() for seed in seeds})
    parameters = {**active_parameters(window), "seeds": lowered, "limit": top + SHOWN_BEYOND_TOP}
    rows = store.rows("expand_candidates", parameters, ("active", "seed_developers"))
    found = [row for row in rows if row["role"] == SEED]
    others = [row for row in rows if row["role"] == CANDIDATE]
    others.sort(key=lambda row: (-row["shared"], row["name"]))
    developers = store.rows("count_seed_developers", parameters, ("active", "seed_developers"))[0]["developers"]
    seed_rows = [_ranked(row, None) for row in sorted(found, key=lambda row: row["name"])]
    known = {row.name.lower() for row in seed_rows}
    return Overlap(
        seeds=seed_rows,
        candidates=[_ranked(row, rank) for rank, row in enumerate(others, start=1)],
        missing_seeds=[seed for seed in seeds if seed.lower() not in known],
        seed_developers=developers,
    )


def pair_overlap(
    store: EventsStore, overlap: Overlap, names: list[str], window: Window | None, min_shared: int
) -> list[tuple[str, str, int]]:
    """(a, b, shared) for the named repositories' pairs sharing at least `min_shared` active developers."""
    if min_shared < 1:
        raise BadParameter(f"--min-shared: {min_shared} must be at least 1")
    ids = overlap.ids()
    by_id = {ids[name]: name for name in names}
    parameters = {**active_parameters(window), "members": sorted(by_id), "min_shared": min_shared}
    rows = store.rows("expand_pairs", parameters, ("active",))
    pairs = [(by_id[row["source_id"]], by_id[row["target_id"]], row["shared"]) for row in rows]
    return [(min(a, b), max(a, b), shared) for a, b, shared in pairs]


def _ranked(row: dict[str, Any], rank: int | None) -> Ranked:
    return Ranked(row["repo_id"], row["name"], row["role"], row["active_developers"], row["shared"], rank)
