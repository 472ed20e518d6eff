"""The small real sample shipped with nichegraph (`nichegraph run --source sample`): the AI and
scientific-Python slice of the OpenDigger top-300 snapshot (2020-04..2023-03), the landscape
report's 2025-05 network, its classification and OpenRank series, and the LLM landscape
2025-09. `python -m nichegraph.loader.make_sample` regenerates it; manifest.json says how it
was chosen. Loading it needs no network."""

from __future__ import annotations

import json
import shutil
import tempfile
import zipfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

from nichegraph.config import Settings
from nichegraph.db import Graph
from nichegraph.errors import NichegraphError
from nichegraph.loader.make_sample import ARCHIVE, SAMPLE_DIR
from nichegraph.loader.networks import read_network_file, write_network

SAMPLE = "sample"  # the --source value
NETWORK_NAME = "ant-2025-05"
NETWORK_FILE = "graph_landscape_2025-05.json"
LIST_FILES = ["landscape_2025-05.csv", "llm_landscape_2025-09.csv"]
SERIES_FILES = ["openrank_inference_engines.csv", "openrank_agent_frameworks.csv", "openrank_vector_databases.csv"]


def manifest() -> dict[str, Any]:
    try:
        return json.loads((SAMPLE_DIR / "manifest.json").read_text(encoding="utf-8"))
    except (OSError, ValueError) as error:
        raise NichegraphError(f"the packaged sample is missing or damaged ({SAMPLE_DIR}): {error}") from error


def extract(data_dir: Path) -> Path:
    """The OpenDigger slice unpacked under the data folder (once per sample version)."""
    digest = next(file["sha256"] for file in manifest()["files"] if file["name"] == ARCHIVE)[:12]
    target = data_dir / "sample" / digest
    if (target / "github").is_dir():
        return target
    target.parent.mkdir(parents=True, exist_ok=True)
    partial = Path(tempfile.mkdtemp(dir=target.parent, prefix=".unpacking-"))
    try:
        with zipfile.ZipFile(SAMPLE_DIR / ARCHIVE) as archive:
            archive.extractall(partial)
        partial.rename(target)
    except FileExistsError:
        shutil.rmtree(partial, ignore_errors=True)  # another run unpacked it first
    except BaseException:
        shutil.rmtree(partial, ignore_errors=True)
        raise
    return target


def load_sample(settings: Settings, say: Callable[[str], None]) -> None:
    """Everything in the sample into the graph: the OpenDigger slice, the landscape lists and
    series, and the report's network (as NETWORK_NAME)."""
    from nichegraph.loader.cli import load_landscape_files, run_load

    folder = extract(settings.data_dir)
    summary = run_load(settings, str(folder))
    say(summary.describe())
    if not summary.ok:
        raise NichegraphError("the packaged sample did not load whole; see the messages above")
    for result in load_landscape_files(settings, [SAMPLE_DIR / name for name in LIST_FILES + SERIES_FILES]):
        say(result.describe())
    with Graph(settings) as graph:
        written = write_network(graph, read_network_file(SAMPLE_DIR / NETWORK_FILE, NETWORK_NAME))
    say(written.describe())
