"""Regenerate the sample shipped with nichegraph (`loader/sample/`) and the report's project
lists (`loader/landscapes/`) from the shared data:

    .venv/bin/python -m nichegraph.loader.make_sample [SHARED_DATA]     # default ../shared/data

The sample is the AI and scientific-Python slice of the OpenDigger top-300 snapshot for
2020-04..2023-03, chosen by the rule below (never by hand), with the landscape report's 2025-05
network, its classification, its monthly OpenRank series and the LLM landscape 2025-09. The
output is byte-for-byte reproducible (sorted entries, fixed zip timestamps), so a test can
rebuild it and compare. docs/landscape.md describes it.
"""

from __future__ import annotations

import csv
import hashlib
import io
import json
import re
import shutil
import sys
import zipfile
from pathlib import Path
from typing import Any

from nichegraph.config import PROJECT_ROOT
from nichegraph.loader.landscape import read_landscape
from nichegraph.loader.networks import read_network_file
from nichegraph.loader.opendigger import ALL_FILES
from nichegraph.months import Window, is_month

SAMPLE_DIR = Path(__file__).with_name("sample")
LISTS_DIR = Path(__file__).with_name("landscapes")
MONTHS = Window("2020-04", "2023-03")
ARCHIVE = "opendigger-sample.zip"
ZIP_TIME = (2023, 4, 1, 0, 0, 0)
NETWORK = "ant-2025/graph_landscape_2025-05.json"
COPIED = [
    NETWORK,
    "ant-2025/landscape_2025-05.csv",
    "ant-2025/openrank_inference_engines.csv",
    "ant-2025/openrank_agent_frameworks.csv",
    "ant-2025/openrank_vector_databases.csv",
    "llm_landscape_2025-09.csv",
]
LANDSCAPES = ["ant-2025/landscape_2025-05.csv", "llm_landscape_2025-09.csv", "pytorch_landscape_2025.csv"]
# AI and scientific Python in GitHub's own words: a repository's topics or description
WORDS = [
    "machine learning",
    "deep learning",
    "neural network",
    "neural networks",
    "artificial intelligence",
    "data science",
    "scientific",
    "computer vision",
    "natural language",
    "nlp",
    "tensor",
    "tensors",
    "numpy",
    "scipy",
    "pytorch",
    "tensorflow",
    "statistics",
    "dataframe",
    "plotting",
    "jupyter",
    "llm",
    "llms",
    "large language model",
    "large language models",
    "object detection",
    "ocr",
    "inference",
    "data analysis",
    "visualization",
]
WORD = re.compile(r"\b(" + "|".join(word.replace(" ", "[- ]") for word in WORDS) + r")\b", re.IGNORECASE)
RULE = (
    "Every repository of the OpenDigger top-300 snapshot that a 2025 landscape names (the landscape report's "
    "2025-05 network and classification, the LLM landscape 2025-09, the PyTorch Foundation landscape), or whose "
    "GitHub topics or description (github-metadata/repo_metadata.csv) contain one of these words: "
    + ", ".join(WORDS)
    + f". Months {MONTHS} of its metric files are kept."
)


def landscape_names(shared: Path) -> set[str]:
    names = {node.repo.lower() for node in read_network_file(shared / "landscape" / NETWORK, "report").nodes}
    for relative in LANDSCAPES:
        names |= {
            entry["repo"].lower() for entry in read_landscape(shared / "landscape" / relative).entries if entry["repo"]
        }
    return names


def chosen_repos(shared: Path) -> list[dict[str, str]]:
    """The repositories the rule picks, each with the reason."""
    top = sorted(
        f"{path.parent.name}/{path.name}"
        for path in (shared / "opendigger-top300" / "github").glob("*/*")
        if path.is_dir()
    )
    listed = landscape_names(shared)
    with (shared / "github-metadata" / "repo_metadata.csv").open(encoding="utf-8") as handle:
        metadata = {row["repo"]: row for row in csv.DictReader(handle)}
    chosen = []
    for repo in top:
        row = metadata.get(repo) or {}
        found = WORD.search(f"{(row.get('topics') or '').replace('|', ' ')} . {row.get('description') or ''}")
        if repo.lower() in listed:
            chosen.append({"repo": repo, "reason": "named in a 2025 landscape"})
        elif found:
            chosen.append({"repo": repo, "reason": f"GitHub topics or description: {found.group(0).lower()}"})
    return chosen


def trimmed(body: bytes, stem: str) -> bytes:
    """The file with only the months of the sample (and their '-raw' twins); meta.json as it is."""
    if stem == "meta":
        return body
    data = json.loads(body)
    if isinstance(data, dict):
        data = {
            key: value
            for key, value in data.items()
            if is_month(key[:7]) and key[:7] in MONTHS and (len(key) == 7 or key.endswith("-raw"))
        }
    return json.dumps(data, separators=(",", ":"), ensure_ascii=False).encode("utf-8")


def write_archive(shared: Path, repos: list[str], target: Path) -> None:
    root = shared / "opendigger-top300" / "github"
    with zipfile.ZipFile(target, "w", compression=zipfile.ZIP_DEFLATED, compresslevel=9) as archive:
        for repo in repos:
            for stem in ALL_FILES:
                path = root / repo / f"{stem}.json"
                if not path.exists():
                    continue
                info = zipfile.ZipInfo(f"github/{repo}/{stem}.json", ZIP_TIME)
                info.compress_type = zipfile.ZIP_DEFLATED
                info.external_attr = 0o644 << 16
                archive.writestr(info, trimmed(path.read_bytes(), stem))


def write_lists(shared: Path, target: Path) -> None:
    """The report's lists as repo,domain,layer,subdomain: names and domains only."""
    target.mkdir(parents=True, exist_ok=True)
    for relative in ("llm_landscape_2025-09.csv", "ant-2025/landscape_2025-05.csv"):
        load = read_landscape(shared / "landscape" / relative)
        buffer = io.StringIO()
        writer = csv.writer(buffer, lineterminator="\n")
        writer.writerow(["repo", "domain", "layer", "subdomain"])
        for entry in load.entries:
            if entry["repo"]:
                writer.writerow(
                    [entry["repo"], entry["domain"] or "", entry["layer"] or "", entry.get("subdomain") or ""]
                )
        (target / Path(relative).name).write_text(buffer.getvalue(), encoding="utf-8")


def build(shared: Path, sample: Path = SAMPLE_DIR, lists: Path = LISTS_DIR) -> dict[str, Any]:
    """Write the sample and the lists; returns the manifest (also written as manifest.json)."""
    if not (shared / "opendigger-top300" / "github").is_dir():
        raise SystemExit(f"make_sample: {shared} holds no opendigger-top300/github (give the shared data folder)")
    sample.mkdir(parents=True, exist_ok=True)
    repos = chosen_repos(shared)
    write_archive(shared, [row["repo"] for row in repos], sample / ARCHIVE)
    for relative in COPIED:
        shutil.copyfile(shared / "landscape" / relative, sample / Path(relative).name)
    write_lists(shared, lists)
    files = sorted([ARCHIVE, *(Path(relative).name for relative in COPIED)])
    manifest = {
        "rule": RULE,
        "months": str(MONTHS),
        "repos": repos,
        "files": [
            {
                "name": name,
                "bytes": (sample / name).stat().st_size,
                "sha256": hashlib.sha256((sample / name).read_bytes()).hexdigest(),
            }
            for name in files
        ],
        "sources": "OpenDigger metric files (X-lab, Apache-2.0) of the top-300 snapshot of April 2023; the 2025 open "
        "source LLM landscape report's working repository (Ant Group and X-lab); GitHub metadata from public datasets",
        "regenerate": "python -m nichegraph.loader.make_sample ../shared/data",
    }
    (sample / "manifest.json").write_text(json.dumps(manifest, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    return manifest


def main(argv: list[str]) -> int:
    shared = Path(argv[0]) if argv else PROJECT_ROOT.parent / "shared" / "data"
    manifest = build(shared)
    total = sum(file["bytes"] for file in manifest["files"])
    print(
        f"sample: {len(manifest['repos'])} repositories, months {manifest['months']}, {total:,} bytes in {SAMPLE_DIR}"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
