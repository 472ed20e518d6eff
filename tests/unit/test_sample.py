"""The sample shipped with nichegraph: small, whole, and exactly what its rule picks from the
shared data (rebuilt here and compared byte for byte)."""

from __future__ import annotations

import hashlib
import json
import zipfile
from pathlib import Path

from nichegraph.loader.make_sample import ARCHIVE, LISTS_DIR, MONTHS, SAMPLE_DIR, build
from nichegraph.loader.sample import LIST_FILES, NETWORK_FILE, SERIES_FILES
from tests.conftest import SHARED_DATA

LIMIT = 5 * 1024 * 1024


def test_the_sample_is_small_and_whole() -> None:
    manifest = json.loads((SAMPLE_DIR / "manifest.json").read_text(encoding="utf-8"))
    shipped = sorted(path.name for path in SAMPLE_DIR.iterdir())
    assert shipped == sorted(["manifest.json", *(file["name"] for file in manifest["files"])])
    assert sum(path.stat().st_size for path in SAMPLE_DIR.iterdir()) <= LIMIT
    for file in manifest["files"]:
        assert hashlib.sha256((SAMPLE_DIR / file["name"]).read_bytes()).hexdigest() == file["sha256"]
    assert {NETWORK_FILE, *LIST_FILES, *SERIES_FILES, ARCHIVE} <= set(shipped)
    with zipfile.ZipFile(SAMPLE_DIR / ARCHIVE) as archive:
        repos = {"/".join(name.split("/")[1:3]) for name in archive.namelist()}
        assert repos == {row["repo"] for row in manifest["repos"]}
        assert {"pytorch/pytorch", "huggingface/transformers", "scipy/scipy", "pandas-dev/pandas"} <= repos
        for name in archive.namelist():
            if name.endswith("/meta.json"):
                continue
            data = json.loads(archive.read(name))
            assert all(key[:7] in MONTHS for key in data), name


def test_the_rule_rebuilds_the_sample_byte_for_byte(tmp_path: Path) -> None:
    manifest = build(SHARED_DATA, tmp_path / "sample", tmp_path / "lists")
    assert manifest == json.loads((SAMPLE_DIR / "manifest.json").read_text(encoding="utf-8"))
    for path in SAMPLE_DIR.iterdir():
        assert (tmp_path / "sample" / path.name).read_bytes() == path.read_bytes(), path.name
    for path in LISTS_DIR.glob("*.csv"):
        assert (tmp_path / "lists" / path.name).read_bytes() == path.read_bytes(), path.name
