"""The niche commands end to end through the CLI: output, files, and clear errors."""

from __future__ import annotations

import json
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from click.testing import CliRunner

from nichegraph.analysis.export import GEXF_NS
from nichegraph.cli import main
from nichegraph.config import Settings
from tests.support.niche_fixtures import Analysed


def run(settings: Settings, *args: str) -> tuple[int, str]:
    result = CliRunner().invoke(main, ["--neo4j-uri", settings.neo4j_uri, *args])
    return result.exit_code, result.output


@pytest.mark.parametrize(
    ("args", "code", "message"),
    [
        (
            ["niches", "--window", "2010-01:2010-12"],
            2,
            "--window 2010-01:2010-12: no contributions in this window (the graph holds months 2015-01..2023-03)",
        ),
        (
            ["relations", "--window", "2011-01:2011-06"],
            2,
            "--window 2011-01:2011-06: no contributions in this window (the graph holds months 2015-01..2023-03)",
        ),
        (
            ["niches", "--window", "2023-03:2022-04"],
            2,
            "--window: '2023-03:2022-04' is reversed; the first month must not be after the last",
        ),
        (
            ["expand", "--seeds", "pytorch/pytorch,no/such-repo"],
            2,
            "--seeds: unknown repository 'no/such-repo' (not in the graph; check owner/name)",
        ),
        (
            ["expand", "--seeds", "pytorch/pytorch", "--window", "2022-13:2023-01"],
            2,
            "--window: '2022-13' is not a month in YYYY-MM form",
        ),
        (
            ["expand", "--seeds", "pytorch/pytorch", "--events", "/nonexistent", "--follow-languages"],
            2,
            "--follow-languages: only without --events (the events expansion reads no metadata)",
        ),
        # nothing wrong with the arguments: the results are missing (a NichegraphError, exit 1)
        (
            ["export", "--what", "niches", "--format", "csv", "--window", "2016-01:2016-12", "--out", "x.csv"],
            1,
            "window 2016-01:2016-12: nothing computed for this window; run `nichegraph niches --window "
            "2016-01:2016-12` first",
        ),
    ],
)
def test_bad_input_gives_a_clear_error(full_settings: Settings, args: list[str], code: int, message: str) -> None:
    exit_code, output = run(full_settings, *args)
    assert exit_code == code, output
    assert f"error: {message}\n" in output


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
    graph = ET.parse(out).getroot().find(f"{{{GEXF_NS}}}graph")
    assert graph is not None
    nodes = graph.findall(f"{{{GEXF_NS}}}nodes/{{{GEXF_NS}}}node")
    edges = graph.findall(f"{{{GEXF_NS}}}edges/{{{GEXF_NS}}}edge")
    # one node per project of the snapshot, one edge per stored link
    assert (len(nodes), len(edges)) == (300, len(analysed.niches.network.backbone()))
    assert output == f"wrote {len(nodes) + len(edges):,} nodes and edges of network for {analysed.window} to {out}\n"
