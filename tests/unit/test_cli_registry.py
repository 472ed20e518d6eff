"""The lazy command registry (nichegraph/cli.py): every listed command imports and its summary
is its own help's, every room's commands are listed, and `nichegraph --help` loads none of the
heavy libraries."""

from __future__ import annotations

import importlib
import json
import subprocess
import sys

import click
import pytest

from nichegraph.cli import BENCH_COMMANDS, COMMANDS, summary_of

REGISTRY = [("", name, entry) for name, entry in COMMANDS.items()] + [
    ("bench ", name, entry) for name, entry in BENCH_COMMANDS.items()
]
HEAVY = ["neo4j", "pandas", "igraph", "leidenalg", "flask", "numpy"]
# the modules that define commands
COMMAND_MODULES = [
    "nichegraph.loader.cli",
    "nichegraph.queries.cli",
    "nichegraph.analysis.cli",
    "nichegraph.analysis.openrank_cli",
    "nichegraph.analysis.trends_cli",
    "nichegraph.localdb_cli",
    "nichegraph.web.cli",
]
BENCH_MODULES = ["nichegraph.bench.load", "nichegraph.bench.niches", "nichegraph.bench.openrank"]
BENCH_MODULES += ["nichegraph.bench.queries", "nichegraph.bench.web"]


def top_level_commands(module_name: str) -> dict[str, click.Command]:
    """attribute -> command, for the commands a module defines that are no group's subcommand."""
    module = importlib.import_module(module_name)
    commands = {name: value for name, value in vars(module).items() if isinstance(value, click.Command)}
    nested = {
        id(sub) for value in commands.values() if isinstance(value, click.Group) for sub in value.commands.values()
    }
    return {name: command for name, command in commands.items() if id(command) not in nested}


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
    defined = {(module, attribute) for module in modules for attribute in top_level_commands(module)}
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
