"""The lazy command registry (nichegraph/cli.py): every listed command imports and its summary
is its own help's, every room's commands are listed, and `nichegraph --help` loads none of the
heavy libraries."""

from __future__ import annotations

import importlib
import json
import subprocess
import sys
from pathlib import Path

import click
import pytest

from nichegraph.cli import BENCH_COMMANDS, COMMANDS, summary_of

REGISTRY = [("", name, entry) for name, entry in COMMANDS.items()] + [
    ("bench ", name, entry) for name, entry in BENCH_COMMANDS.items()
]
HEAVY = ["neo4j", "pandas", "igraph", "leidenalg", "flask", "numpy"]
ROOT = Path(__file__).resolve().parents[2]
ROOMS = {"nichegraph": "nichegraph", "loader": "nichegraph.loader", "queries": "nichegraph.queries"}
ROOMS |= {"analysis": "nichegraph.analysis", "web": "nichegraph.web", "bench": "nichegraph.bench"}


def modules_named(pattern: str, rooms: list[str]) -> list[str]:
    """Module names of the files matching `pattern` anywhere under the given rooms."""
    names = []
    for room in rooms:
        for path in sorted((ROOT / room).rglob(pattern)):
            parts = path.relative_to(ROOT / room).with_suffix("").parts
            names.append(".".join([ROOMS[room], *parts]))
    return names


# found on disk, so a new command module cannot escape the check
COMMAND_MODULES = modules_named("*cli.py", ["nichegraph", "loader", "queries", "analysis", "web"])
COMMAND_MODULES.remove("nichegraph.cli")  # the registry itself: its group is where commands are listed
BENCH_MODULES = [name for name in modules_named("*.py", ["bench"]) if not name.endswith("__init__")]


def commands_in(module_name: str) -> dict[str, click.Command]:
    module = importlib.import_module(module_name)
    return {name: value for name, value in vars(module).items() if isinstance(value, click.Command)}


def top_level_commands(modules: list[str]) -> set[tuple[str, str]]:
    """(module, attribute) of the commands the modules define that are no group's subcommand
    (a subcommand may be defined in one module and added to a group in another)."""
    found = {module: commands_in(module) for module in modules}
    everything = [command for commands in found.values() for command in commands.values()]
    nested = {id(sub) for group in everything if isinstance(group, click.Group) for sub in group.commands.values()}
    return {(module, name) for module, commands in found.items() for name, c in commands.items() if id(c) not in nested}


@pytest.mark.parametrize(("group", "name", "entry"), REGISTRY, ids=[f"{g}{n}" for g, n, _ in REGISTRY])
def test_every_registered_command_imports_and_has_its_own_summary(
    group: str, name: str, entry: tuple[str, str, str]
) -> None:
    module, attribute, summary = entry
    command = getattr(importlib.import_module(module), attribute)
    assert isinstance(command, click.Command)
    assert summary == summary_of(command), f"{group}{name}: the registry's summary differs from the command's help"


@pytest.mark.parametrize(
    ("registry", "modules"), [(COMMANDS, COMMAND_MODULES), (BENCH_COMMANDS, BENCH_MODULES)], ids=["main", "bench"]
)
def test_every_command_defined_is_registered(registry: dict[str, tuple[str, str, str]], modules: list[str]) -> None:
    defined = top_level_commands(modules)
    registered = {(module, attribute) for module, attribute, _summary in registry.values()}
    assert defined == registered


def test_the_registry_names_are_the_command_names() -> None:
    # `nichegraph export` runs the command called export: the registry key is what people type
    for name, (module, attribute, _summary) in COMMANDS.items():
        assert getattr(importlib.import_module(module), attribute).name in {name, attribute}


def test_help_lists_every_command_with_its_summary() -> None:
    # a fresh process: once a command has run, this process's group holds it and lists its own help
    result = subprocess.run([sys.executable, "-m", "nichegraph", "--help"], capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    listed: dict[str, str] = {}
    for line in result.stdout.split("Commands:\n", 1)[1].splitlines():
        if line.startswith("  ") and not line.startswith("   "):
            name, _, summary = line.strip().partition(" ")
            listed[name] = summary.strip()
        elif line.strip():  # a wrapped summary goes on
            listed[name] += " " + line.strip()
    assert set(listed) == {*COMMANDS, "run", "bench"}
    for name, (_module, _attribute, summary) in COMMANDS.items():
        assert listed[name] == summary


def modules_loaded_by(*args: str) -> list[str]:
    """The heavy libraries a fresh interpreter has loaded after `nichegraph ARGS`."""
    code = (
        "import json, sys\n"
        "from nichegraph.cli import main\n"
        "try:\n"
        f"    main({list(args)!r})\n"
        "except SystemExit:\n"
        "    pass\n"
        f"print(json.dumps(sorted(m for m in sys.modules if m.split('.')[0] in {HEAVY!r})))\n"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout.splitlines()[-1])


@pytest.mark.parametrize("args", [["--help"], ["bench", "--help"], ["--version"]], ids=" ".join)
def test_help_imports_no_heavy_library(args: list[str]) -> None:
    assert modules_loaded_by(*args) == []


def test_the_check_above_would_see_a_heavy_import() -> None:
    # a command's own help imports its module, and with it the driver: the probe sees that
    assert "neo4j" in {name.split(".")[0] for name in modules_loaded_by("stats", "--help")}
