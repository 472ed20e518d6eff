"""One writer at a time: a lock held in the database itself.

Every command that writes to the graph runs inside `writer_lock(graph, "nichegraph NAME")`.
The lock is one `(:WriterLock {name: 'writer'})` node saying who holds it (command, pid,
host, process start, start time). It is taken with a MERGE on a uniquely constrained key,
so of two processes asking at the same moment exactly one creates it; it is deleted when
the block ends. A second writer waits, saying what runs and for how long, or with
`--no-wait` exits 1 naming it. A lock left by a process that is gone (killed, crashed) on
this host is taken over with a message; one from another host is waited for, since its
process cannot be checked from here.

Applying it to a command is two lines (docs/development.md, "Writers"):

    @no_wait_option
    def niches(settings, ..., no_wait): ...
        with Graph(settings) as graph, writer_lock(graph, "nichegraph niches", wait=not no_wait):
"""

from __future__ import annotations

import os
import socket
import sys
import threading
import time
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import click

from nichegraph.config import SCHEMA_FILE
from nichegraph.db import Graph, split_statements
from nichegraph.errors import DatabaseUnavailable, NichegraphError
from nichegraph.progress import format_duration

Say = Callable[[str], None]

LOCK_NAME = "writer"
LOCK_CONSTRAINT = "writer_lock_name"
POLL_SECONDS = 2.0
# how often a waiting writer repeats what it waits for
REMIND_SECONDS = 60.0
# how long a waiting writer tolerates the server being away (a bulk load restarts it)
UNAVAILABLE_GRACE_SECONDS = 600.0

ACQUIRE = """
MERGE (l:WriterLock {name: $name})
ON CREATE SET l += $holder, l.startedAt = datetime()
RETURN l.token = $holder.token AS mine, l {.*, startedAt: toString(l.startedAt),
       seconds: duration.inSeconds(l.startedAt, datetime()).seconds} AS holder
"""

TAKE_OVER = """
MATCH (l:WriterLock {name: $name, token: $stale})
SET l += $holder, l.startedAt = datetime()
RETURN count(l) AS taken
"""

RELEASE = """
MATCH (l:WriterLock {name: $name, token: $token})
DELETE l
RETURN count(l) AS released
"""


class WriterBusy(NichegraphError):
    """Another command holds the writer lock and the caller chose not to wait."""


@dataclass(frozen=True)
class Holder:
    """Who holds (or asks for) the lock; stored as the lock node's properties."""

    token: str
    command: str
    pid: int
    host: str
    pid_start: str | None  # the process's start time, so a reused pid is not mistaken for it

    def properties(self) -> dict[str, Any]:
        return {
            "token": self.token,
            "command": self.command,
            "pid": self.pid,
            "host": self.host,
            "pidStart": self.pid_start,
        }


def describe_holder(holder: dict[str, Any]) -> str:
    """`nichegraph openrank` (pid 123 on vm, running for 0:42)"""
    seconds = holder.get("seconds")
    running = f", running for {format_duration(seconds)}" if seconds is not None else ""
    return f"`{holder.get('command')}` (pid {holder.get('pid')} on {holder.get('host')}{running})"


def process_start(pid: int) -> str | None:
    """The start time of a process in clock ticks since boot (Linux), None where unknown."""
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return None
    # the command name (field 2) may hold spaces and parentheses: split after its last ')'
    return stat.rsplit(")", 1)[1].split()[19]


def process_is_gone(pid: int, pid_start: str | None) -> bool:
    """Whether the process that took a lock on this host no longer runs."""
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return True
    except PermissionError:
        return False  # it exists, under another user
    current = process_start(pid)
    return pid_start is not None and current is not None and current != pid_start


def is_stale(holder: dict[str, Any], host: str) -> bool:
    return (
        holder.get("host") == host
        and isinstance(holder.get("pid"), int)
        and process_is_gone(holder["pid"], holder.get("pidStart"))
    )


def this_process(command: str) -> Holder:
    pid = os.getpid()
    return Holder(uuid.uuid4().hex, command, pid, socket.gethostname(), process_start(pid))


@dataclass
class _Held:
    holder: Holder
    depth: int


# locks this process holds, by database URI: nested writers (the main job runs the loader
# and the analyses) take the lock once
_held: dict[str, _Held] = {}
_held_guard = threading.Lock()


def held_by_this_process(graph: Graph) -> Holder | None:
    """The lock this process holds on graph's database, if any (the bulk load carries it
    across the server restart)."""
    with _held_guard:
        held = _held.get(graph.uri)
        return held.holder if held else None


def _stderr(message: str) -> None:
    click.echo(message, err=True)


@contextmanager
def writer_lock(graph: Graph, command: str, *, wait: bool = True, say: Say = _stderr) -> Iterator[Holder]:
    """Hold the database's writer lock for the block (re-entrant within one process)."""
    with _held_guard:
        held = _held.get(graph.uri)
        if held is not None:
            held.depth += 1
    if held is not None:
        try:
            yield held.holder
        finally:
            with _held_guard:
                held.depth -= 1
        return
    holder = acquire(graph, this_process(command), wait=wait, say=say)
    with _held_guard:
        _held[graph.uri] = _Held(holder, 1)
    try:
        yield holder
    finally:
        with _held_guard:
            _held.pop(graph.uri, None)
        release(graph, holder)


def ensure_lock_constraint(graph: Graph) -> None:
    """The lock's uniqueness constraint (from schema.cypher) makes its MERGE safe between processes."""
    statements = split_statements(SCHEMA_FILE.read_text(encoding="utf-8"))
    graph.run_autocommit(next(statement for statement in statements if LOCK_CONSTRAINT in statement))


def acquire(graph: Graph, me: Holder, *, wait: bool, say: Say, poll: float = POLL_SECONDS) -> Holder:
    """Take the lock, waiting (or not) for another holder; take over a dead holder's lock."""
    ensure_lock_constraint(graph)
    waiting_since: float | None = None
    reminded = 0.0
    away_since: float | None = None
    while True:
        try:
            row = graph.write(ACQUIRE, name=LOCK_NAME, holder=me.properties())[0]
            away_since = None
        except DatabaseUnavailable:
            if waiting_since is None:
                raise
            away_since = away_since or time.monotonic()
            if time.monotonic() - away_since > UNAVAILABLE_GRACE_SECONDS:
                raise
            time.sleep(poll)
            continue
        if row["mine"]:
            return me
        holder = row["holder"]
        if is_stale(holder, me.host):
            taken = graph.write(TAKE_OVER, name=LOCK_NAME, stale=holder["token"], holder=me.properties())[0]["taken"]
            if taken:
                say(f"taking over the writer lock of {describe_holder(holder)}: that process is gone")
                return me
            continue
        if not wait:
            raise WriterBusy(
                f"another nichegraph command is writing to {graph.uri}: {describe_holder(holder)}; "
                "not waiting (--no-wait)"
            )
        now = time.monotonic()
        if waiting_since is None or now - reminded >= REMIND_SECONDS:
            again = "still " if waiting_since is not None else ""
            say(f"{again}waiting for {describe_holder(holder)} to finish writing to {graph.uri} ...")
            reminded = now
            waiting_since = waiting_since or now
        time.sleep(poll)


def release(graph: Graph, holder: Holder) -> None:
    """Delete the lock if it is still this holder's (best effort: a server that went away
    keeps a lock that the next writer takes over, since this process will be gone)."""
    try:
        graph.write(RELEASE, name=LOCK_NAME, token=holder.token)
    except DatabaseUnavailable as error:
        print(f"warning: could not release the writer lock: {error}", file=sys.stderr)


def no_wait_option(function: Callable[..., Any]) -> Callable[..., Any]:
    """`--no-wait` for a command that writes: exit 1 instead of waiting for another writer."""
    return click.option(
        "--no-wait",
        is_flag=True,
        help="If another nichegraph command is writing to the graph, exit 1 naming it instead of waiting",
    )(function)
