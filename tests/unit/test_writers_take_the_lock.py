"""Every command either only reads or is a writer that takes the writer lock (docs/development.md,
"Writers"). The commands are walked from the registry, so a new command must be placed on one
side; tests/test_writer_lock.py runs every writer against a held lock to show it really waits."""

from __future__ import annotations

from collections.abc import Iterator

import click

from nichegraph.cli import main

# Commands that never write to the graph at NEO4J_URI (benchmarks that only write into their own
# throw-away servers count as readers here; `db` starts and stops the server, it writes no data).
READ_ONLY = {
    "bench events",
    "bench layout",
    "bench newcomer",
    "bench niches",
    "bench queries",
    "bench scale",
    "bench web",
    "db install",
    "db start",
    "db status",
    "db stop",
    "evaluate expansion",
    "evaluate niches",
    "evaluate relations",
    "expand",
    "export",
    "landscape agreement",
    "landscape draw",
    "query",
    "serve",
    "stats",
    "trends compare",
    "trends curves",
    "trends graveyard",
    "trends growth",
    "trends newcomers",
    "trends ranks",
    "trends stars",
    "trends yoy",
}

# the writers: tests/test_writer_lock.py gives each of them arguments and a held lock
WRITERS = {
    "bench load",
    "bench openrank",
    "load events",
    "load github",
    "load labels",
    "load landscape",
    "load network",
    "load opendigger",
    "niches",
    "openrank",
    "relations",
    "run",
}


def leaf_commands(group: click.Group, prefix: str, ctx: click.Context) -> Iterator[tuple[str, click.Command]]:
    for name in group.list_commands(ctx):
        command = group.get_command(ctx, name)
        assert command is not None, f"{prefix}{name}"
        if isinstance(command, click.Group):
            yield from leaf_commands(command, f"{prefix}{name} ", ctx)
        else:
            yield f"{prefix}{name}", command


def every_command() -> dict[str, click.Command]:
    return dict(leaf_commands(main, "", click.Context(main)))


def takes_no_wait(command: click.Command) -> bool:
    return any(param.name == "no_wait" and "--no-wait" in param.opts for param in command.params)


def test_every_command_is_a_known_reader_or_writer() -> None:
    names = set(every_command())
    assert not READ_ONLY & WRITERS
    assert names - READ_ONLY - WRITERS == set(), "new commands: add them to READ_ONLY or (writing) to WRITERS"
    assert names == READ_ONLY | WRITERS


def test_writers_offer_no_wait_and_readers_do_not() -> None:
    commands = every_command()
    assert {name for name in WRITERS if not takes_no_wait(commands[name])} == set()
    assert {name for name in READ_ONLY if takes_no_wait(commands[name])} == set()
