"""The writer lock's rules that need no database: who holds it, and when a holder is gone."""

from __future__ import annotations

import os
import socket
import subprocess
import sys

from nichegraph.writelock import describe_holder, is_stale, process_is_gone, process_start, this_process


def finished_pid() -> int:
    process = subprocess.Popen([sys.executable, "-c", "pass"])
    process.wait()
    return process.pid


def test_the_holder_is_described_with_command_pid_host_and_age() -> None:
    holder = {"command": "nichegraph openrank", "pid": 4242, "host": "vm", "seconds": 95}
    assert describe_holder(holder) == "`nichegraph openrank` (pid 4242 on vm, running for 1:35)"


def test_this_process_is_alive_and_a_finished_one_is_gone() -> None:
    me = this_process("nichegraph test")
    assert me.pid == os.getpid() and me.host == socket.gethostname() and me.pid_start == process_start(os.getpid())
    assert not process_is_gone(me.pid, me.pid_start)
    assert process_is_gone(finished_pid(), None)


def test_a_reused_pid_is_not_mistaken_for_the_holder() -> None:
    # this process's pid with another start time: the holder that took the lock is gone
    assert process_is_gone(os.getpid(), "1")


def test_only_a_dead_holder_on_this_host_is_stale() -> None:
    host = socket.gethostname()
    dead = {"host": host, "pid": finished_pid(), "pidStart": None}
    assert is_stale(dead, host)
    assert not is_stale(dead | {"host": "elsewhere"}, host)  # cannot be checked from here: wait
    assert not is_stale({"host": host, "pid": os.getpid(), "pidStart": process_start(os.getpid())}, host)
