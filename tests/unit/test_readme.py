"""The README stays true: its two commands, every command in its table, its links, its size."""

from __future__ import annotations

import re
from pathlib import Path

from nichegraph.cli import BENCH_COMMANDS, COMMANDS
from nichegraph.loader.cli import load

ROOT = Path(__file__).resolve().parents[2]
README = (ROOT / "README.md").read_text(encoding="utf-8")


def table_commands() -> set[str]:
    """Every `nichegraph` word named in the first column of the command table."""
    rows = [line for line in README.split("## Commands", 1)[1].split("\n## ", 1)[0].splitlines()]
    firsts = [row.split("|")[1] for row in rows if row.startswith("| `")]
    return {word for cell in firsts for word in re.findall(r"[a-z]+", cell)}


def test_the_two_commands_come_first() -> None:
    block = README.split("```sh\n", 1)[1].split("```", 1)[0].splitlines()
    assert block == ["./setup.sh && .venv/bin/nichegraph run", ".venv/bin/python -m pytest"]


def test_every_command_is_in_the_table() -> None:
    named = table_commands()
    assert set(COMMANDS) <= named, set(COMMANDS) - named
    assert set(load.commands) <= named, set(load.commands) - named
    # the bench row names some and points at `nichegraph bench --help` for all of them
    bench_row = next(line for line in README.splitlines() if line.startswith("| `bench "))
    assert {"load", "niches", "openrank", "web", "events"} <= set(BENCH_COMMANDS) and "bench --help" in bench_row


def test_links_point_at_files() -> None:
    for target in re.findall(r"\]\(([^)#]+)", README):
        if not target.startswith("http"):
            assert (ROOT / target).is_file(), target


def test_every_doc_is_linked() -> None:
    linked = set(re.findall(r"\]\((docs/[^)#]+)", README))
    assert linked == {f"docs/{path.name}" for path in (ROOT / "docs").glob("*.md")}


def test_under_900_words() -> None:
    assert len(README.split()) < 900
