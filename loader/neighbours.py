"""Find the neighbourhood of seed repositories from OpenDigger's `repo_network.json`.

OpenDigger publishes, for each tracked repository, the 30 repositories that share the
most active developers with it over the last three months:
`{"nodes": [[name, openrank], ...], "edges": [[name1, name2, weight], ...]}`.
A seed's neighbours are ranked by the weight of their edge to the seed.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable

import orjson

from nichegraph.loader.sources import FetchError, FolderSource, HttpSource
from nichegraph.names import REPO_NAME

NETWORK_FILE = "repo_network"


def parse_network(seed: str, body: bytes, where: str) -> list[str]:
    """Neighbours of `seed`, strongest first; raises ValueError on a malformed file."""
    data = orjson.loads(body)
    if not isinstance(data, dict) or not isinstance(data.get("nodes"), list):
        raise ValueError(f"{where}: expected an object with a 'nodes' list")
    names = [node[0] for node in data["nodes"] if isinstance(node, list) and node]
    weights: dict[str, float] = {}
    for edge in data.get("edges") or []:
        if isinstance(edge, list) and len(edge) == 3 and seed in edge[:2]:
            other = edge[1] if edge[0] == seed else edge[0]
            weights[other] = max(weights.get(other, 0.0), float(edge[2]))
    order = {name: index for index, name in enumerate(names)}
    neighbours = [name for name in names if isinstance(name, str) and name != seed and REPO_NAME.match(name)]
    return sorted(neighbours, key=lambda name: (-weights.get(name, 0.0), order[name]))


def _read_network(source: FolderSource | HttpSource, seed: str) -> bytes | None:
    if isinstance(source, FolderSource):
        path = source.file_path(seed, NETWORK_FILE)
        return path.read_bytes() if path.exists() else None
    return asyncio.run(source.fetch_one(seed, NETWORK_FILE))


def expand_seeds(
    source: FolderSource | HttpSource,
    seeds: list[str],
    per_seed: int,
    note: Callable[[str], None],
) -> list[str]:
    """Seeds followed by up to `per_seed` neighbours of each, without repeats."""
    found: dict[str, None] = dict.fromkeys(seeds)
    for seed in seeds:
        try:
            body = _read_network(source, seed)
        except FetchError as error:
            note(f"{seed}: could not fetch {NETWORK_FILE}.json ({error}); loading it without neighbours")
            continue
        if body is None:
            note(f"{seed}: no {NETWORK_FILE}.json at the source; loading it without neighbours")
            continue
        try:
            neighbours = parse_network(seed, body, f"{seed}/{NETWORK_FILE}.json")
        except (ValueError, orjson.JSONDecodeError) as error:
            note(f"{seed}: unreadable {NETWORK_FILE}.json ({error}); loading it without neighbours")
            continue
        added = [name for name in neighbours[:per_seed] if name not in found]
        found.update(dict.fromkeys(added))
        note(f"{seed}: {len(added)} neighbours added from {NETWORK_FILE}.json")
    return list(found)
