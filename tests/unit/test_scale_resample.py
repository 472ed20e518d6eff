"""bench scale's resampling (bench/scale.py) on a hand-made snapshot: every developer copy keeps
its original's activity, repositories and months; repository copies keep their series."""

from __future__ import annotations

from collections import defaultdict
from pathlib import Path

import orjson
import pytest

from nichegraph.bench.scale import copy_name, resample
from nichegraph.errors import BadParameter
from nichegraph.loader.sources import FolderSource

DETAILS = {
    "a/one": {
        "2022-01": [["Alice", 3.0], ["bob", 2.0], ["dependabot[bot]", 5.0]],
        "2022-02": [["alice", 1.5]],
        "2022": [["alice", 9.9]],  # a yearly roll-up: not a month, not copied
    },
    "b/two": {"2022-02": [["bob", 4.0], ["carol", 2.0]]},
}
OPENRANK = {"a/one": {"2022-01": 5.0, "2022-02": 4.0}, "b/two": {"2022-02": 7.5}}


@pytest.fixture
def snapshot(tmp_path: Path) -> FolderSource:
    for repo, details in DETAILS.items():
        folder = tmp_path / "real" / "github" / repo
        folder.mkdir(parents=True)
        (folder / "activity_details.json").write_bytes(orjson.dumps(details))
        (folder / "openrank.json").write_bytes(orjson.dumps(OPENRANK[repo]))
    return FolderSource(tmp_path / "real")


def read_all(root: Path) -> dict[str, dict[str, bytes]]:
    return {
        f"{d.parent.name}/{d.name}": {f.stem: f.read_bytes() for f in d.glob("*.json")}
        for d in sorted((root / "github").glob("*/*"))
    }


def copy_of(repo: str) -> int:
    owner = repo.split("/")[0]
    return int(owner[1 : owner.index("-")]) if owner.startswith("s") and "-" in owner else 0


def per_developer(root: Path) -> dict[str, dict[str, list[tuple[str, float]]]]:
    """developer -> repo -> [(month, score)] over a whole snapshot."""
    out: dict[str, dict[str, list[tuple[str, float]]]] = defaultdict(lambda: defaultdict(list))
    for repo, files in read_all(root).items():
        for month, rows in orjson.loads(files["activity_details"]).items():
            if len(month) == 7:
                for login, score in rows:
                    out[login.lower()][repo].append((month, score))
    return out


def test_factor_one_is_the_real_snapshot(snapshot: FolderSource, tmp_path: Path) -> None:
    resample(snapshot, 1, tmp_path / "out")
    real, copy = read_all(tmp_path / "real"), read_all(tmp_path / "out")
    assert copy.keys() == real.keys()
    assert copy["b/two"] == real["b/two"]
    assert orjson.loads(copy["a/one"]["openrank"]) == OPENRANK["a/one"]
    assert per_developer(tmp_path / "out") == per_developer(tmp_path / "real")


@pytest.mark.parametrize("mix", [0.0, 0.5, 1.0])
def test_every_developer_copy_keeps_its_original_distribution(
    snapshot: FolderSource, tmp_path: Path, mix: float
) -> None:
    summary = resample(snapshot, 3, tmp_path / "out", mix=mix, seed=7)
    assert summary.repos == 6 and summary.rows == 3 * 6  # 6 monthly rows in the real one
    copies = read_all(tmp_path / "out")
    assert set(copies) == {"a/one", "s1-a/one", "s2-a/one", "b/two", "s1-b/two", "s2-b/two"}
    assert all(orjson.loads(files["openrank"]) == OPENRANK[name.split("-", 1)[-1]] for name, files in copies.items())
    real = per_developer(tmp_path / "real")
    scaled = per_developer(tmp_path / "out")
    assert len(scaled) == 3 * len(real)
    for login, repos in real.items():
        for copy in range(3):
            mine = scaled[copy_name(login, copy)]
            # the same number of repositories, and in each the same months and scores
            assert sorted(sorted(series) for series in mine.values()) == sorted(sorted(s) for s in repos.values())
            homes = {copy_of(repo) for repo in mine}
            if mix == 0.0:  # separate copies
                assert homes == {copy}
            if mix == 1.0:  # every pair moved to another copy
                assert copy not in homes
    # bots stay recognisable: the copy tag is a prefix
    assert "s2-dependabot[bot]" in scaled


def test_the_same_seed_gives_the_same_snapshot(snapshot: FolderSource, tmp_path: Path) -> None:
    resample(snapshot, 4, tmp_path / "x", mix=0.5, seed=3)
    resample(snapshot, 4, tmp_path / "y", mix=0.5, seed=3)
    assert read_all(tmp_path / "x") == read_all(tmp_path / "y")


@pytest.mark.parametrize(("factor", "mix", "message"), [(0, 0.1, "--factor"), (21, 0.1, "--factor"), (2, 1.5, "--mix")])
def test_bad_arguments_are_named(snapshot: FolderSource, tmp_path: Path, factor: int, mix: float, message: str) -> None:
    with pytest.raises(BadParameter, match=message):
        resample(snapshot, factor, tmp_path / "out", mix=mix)
