"""Swapping a database written offline into a stopped server's folder (nichegraph/localdb.py):
the renames go through a journal, so a swap cut short at any point is finished by the next
start, and a database that will not start can be swapped out again."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from nichegraph import localdb


def make_store(data_dir: Path, marker: str) -> None:
    for folder in localdb.store_folders(data_dir):
        folder.mkdir(parents=True)
        (folder / "marker").write_text(marker)


def live_marker(home: Path) -> list[str]:
    return [(folder / "marker").read_text() for folder in localdb.store_folders(home / "data")]


def test_a_swap_puts_the_staged_store_in_place_and_the_old_one_aside(tmp_path: Path) -> None:
    home, staged, replaced = tmp_path / "home", tmp_path / "home" / "bulk" / "data", tmp_path / "home" / "bulk" / "old"
    make_store(home / "data", "old")
    make_store(staged, "new")
    moves = localdb.swap_in_store(home, staged, replaced)
    assert live_marker(home) == ["new", "new"]
    assert [(folder / "marker").read_text() for folder in localdb.store_folders(replaced)] == ["old", "old"]
    assert not (home / localdb.SWAP_JOURNAL).exists()
    localdb.undo_swap(moves)
    assert live_marker(home) == ["old", "old"]


@pytest.mark.parametrize("done", range(5))
def test_a_swap_cut_short_after_any_rename_is_finished_by_the_next_start(tmp_path: Path, done: int) -> None:
    home, staged, replaced = tmp_path / "home", tmp_path / "staged", tmp_path / "replaced"
    make_store(home / "data", "old")
    make_store(staged, "new")
    moves = localdb.swap_moves(home, staged, replaced)
    (replaced / "databases").mkdir(parents=True)
    (replaced / "transactions").mkdir(parents=True)
    # what swap_in_store leaves when killed after `done` renames: the journal and those renames
    (home / localdb.SWAP_JOURNAL).write_text(json.dumps([[str(src), str(dst)] for src, dst in moves]))
    for src, dst in moves[:done]:
        src.rename(dst)
    assert localdb.finish_interrupted_swap(home)
    assert live_marker(home) == ["new", "new"]
    assert not (home / localdb.SWAP_JOURNAL).exists()
    assert not localdb.finish_interrupted_swap(home)  # nothing left to do
