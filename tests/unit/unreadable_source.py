"""A real slice of the snapshot copied into a scratch folder, with one metric file made
unreadable: the fast tests of a reader that meets a real OSError."""

from __future__ import annotations

import shutil
from pathlib import Path

from tests.conftest import TOP300


def source_with_unreadable_file(root: Path, repos: list[str], broken: str) -> Path:
    """Copy `repos` from the snapshot under `root`; `broken`'s openrank.json becomes a folder,
    so reading it raises a real OSError (IsADirectoryError). Returns that path."""
    for repo in repos:
        shutil.copytree(TOP300 / "github" / repo, root / "github" / repo)
    unreadable = root / "github" / broken / "openrank.json"
    unreadable.unlink()
    unreadable.mkdir()
    return unreadable
