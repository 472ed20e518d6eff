"""The niche commands end to end through the CLI: output, files, and clear errors."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from nichegraph.cli import main
from nichegraph.config import Settings
from tests.support.niche_fixtures import Analysed, analysed_fixture  # noqa: F401


def run(settings: Settings, *args: str) -> tuple[int, str]:
    result = CliRunner().invoke(main, ["--neo4j-uri", settings.neo4j_uri, *args])
    return result.exit_code, result.output


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["niches", "--window", "2010-01:2010-12"], "--window 2010-01:2010-12: no contributions in this window"),
        (["relations", "--window", "2011-01:2011-06"], "--window 2011-01:2011-06: no contributions in this window"),
        (["niches", "--window", "2023-03:2022-04"], "--window: '2023-03:2022-04' is reversed"),
        (["niches", "--resolution", "0"], "--resolution: 0.0 must be greater than 0"),
        (["niches", "--resolution", "-2"], "--resolution: -2.0 must be greater than 0"),
        (["niches", "--runs", "1"], "--runs: 1 must be at least 2"),
        (["expand", "--seeds", "pytorch/pytorch,no/such-repo"], "--seeds: unknown repository 'no/such-repo'"),
        (["expand", "--seeds", "pytorch/pytorch", "--window", "2022-13:2023-01"], "--window: '2022-13'"),
        (
            ["export", "--what", "niches", "--format", "csv", "--window", "2016-01:2016-12", "--out", "x.csv"],
            "nothing computed for this window",
        ),
    ],
)
def test_bad_input_gives_a_clear_error(full_settings: Settings, args: list[str], message: str) -> None:
    code, output = run(full_settings, *args)
    assert code != 0
    assert message in output


def test_expand_prints_and_writes_its_result(full_settings: Settings, tmp_path: Path) -> None:
    out = tmp_path / "expand.json"
    code, output = run(
        full_settings,
        "expand",
        "--seeds",
        "pytorch/pytorch",
        "--window",
        "2022-04:2023-03",
        "--min-openrank",
        "100",
        "--out",
        str(out),
    )
    assert code == 0, output
    assert "Lightning-AI/lightning" in output and "left out" in output
    data = json.loads(out.read_text())
    assert data["seeds"] == ["pytorch/pytorch"] and data["members"][0]["repo"] == "pytorch/pytorch"


def test_export_command(full_settings: Settings, analysed: Analysed, tmp_path: Path) -> None:
    out = tmp_path / "network.gexf"
    code, output = run(
        full_settings, "export", "--what", "network", "--format", "gexf", "--window", analysed.window, "--out", str(out)
    )
    assert code == 0, output
    assert out.read_text().startswith("<?xml")
