"""The newcomer's path: a source that cannot be reached fails at once with one message saying
what to do (timeouts and 5xx keep their retries), the live default loads the report's shipped
project lists with their domains, and `nichegraph run --source sample` serves the PyTorch
sphere and the LLM landscape from the packaged sample, without any network."""

from __future__ import annotations

import csv
import io
import os
import shutil
import socket
import subprocess
import sys
from pathlib import Path

import pytest

from nichegraph.db import Graph
from nichegraph.loader.sources import HttpPolicy, HttpSource, SourceUnreachable
from tests.conftest import METADATA_FILE, TOP300
from tests.support.faulty_server import serve_folder
from tests.support.github_server import documents_from_csv, remove_metadata, serve_github


def closed_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def nichegraph_env(  # type: ignore[no-untyped-def]
    uri: str, *args: str, data_dir: Path, source: str | None = None, timeout: float = 60, **extra: str
):
    """`nichegraph ARGS` as a new user runs it: no source, metadata file or GitHub token from the
    environment this test runs in, only `source` and the `extra` variables."""
    env = dict(os.environ, NEO4J_URI=uri, NICHEGRAPH_DATA_DIR=str(data_dir))
    for name in ("NICHEGRAPH_SOURCE", "NICHEGRAPH_GITHUB_METADATA", "GITHUB_TOKEN", "NICHEGRAPH_GITHUB_API"):
        env.pop(name, None)
    if source:
        env["NICHEGRAPH_SOURCE"] = source
    env.update(extra)
    return subprocess.run(
        [sys.executable, "-m", "nichegraph", *args], capture_output=True, text=True, env=env, timeout=timeout
    )


@pytest.mark.parametrize(
    ("source", "problem"),
    [
        ("http://nichegraph-no-such-host.invalid/github", "Name or service not known"),
        (f"http://127.0.0.1:{closed_port()}/github", "All connection attempts failed"),
    ],
)
def test_an_unreachable_source_fails_at_once_saying_what_to_do(
    scratch: Graph, tmp_path: Path, source: str, problem: str
) -> None:
    # the subprocess timeout only guards against a hang; the time itself is measured in the docs
    result = nichegraph_env(scratch.uri, "run", "--no-serve", data_dir=tmp_path, source=source, timeout=60)
    assert result.returncode == 1
    (line,) = [line for line in result.stderr.splitlines() if line.startswith("error:")]
    assert line.startswith(f"error: cannot reach {source} (") and problem in line
    assert "--source PATH" in line and "`nichegraph run --source sample`" in line
    assert scratch.read("MATCH (n) RETURN count(n) AS n")[0]["n"] == 0


@pytest.mark.parametrize("fault", ["500", "timeout"])
def test_a_slow_or_failing_host_is_there(fault: str) -> None:
    """A host that answers (even 5xx) or accepts the connection and is slow is reachable: the
    load then retries as before (tests/test_load_http.py)."""
    with serve_folder(TOP300) as (url, plan):
        plan.delay = 1.5
        plan.always("/github/", fault)
        HttpSource(url, HttpPolicy(timeout=1.0)).check_reachable()
        assert plan.requests["/github/"] == 1
    with pytest.raises(SourceUnreachable, match="cannot reach"):
        HttpSource(f"http://127.0.0.1:{closed_port()}").check_reachable()


def test_the_live_default_brings_the_report_lists_as_labels(scratch: Graph, tmp_path: Path) -> None:
    root = tmp_path / "site"
    shutil.copytree(TOP300 / "github" / "mlflow" / "mlflow", root / "github" / "mlflow" / "mlflow")
    with serve_folder(root) as (url, _plan):
        result = nichegraph_env(
            scratch.uri, "run", "--no-serve", "--skip-analysis", data_dir=tmp_path, source=url + "/github", timeout=600
        )
    assert result.returncode == 0, result.stderr
    rows = scratch.read(
        "MATCH (e:LandscapeEntry) RETURN e.landscape AS landscape, count(e) AS entries ORDER BY landscape"
    )
    assert rows == [
        {"landscape": "landscape_2025-05", "entries": 135},
        {"landscape": "llm_landscape_2025-09", "entries": 169},
    ]
    domain = scratch.read("MATCH (r:Repo {name: 'mlflow/mlflow'}) RETURN r.domain AS domain")
    assert domain == [{"domain": "MLOps"}]


def test_run_from_the_sample(scratch: Graph, tmp_path: Path) -> None:
    result = nichegraph_env(scratch.uri, "run", "--source", "sample", "--no-serve", data_dir=tmp_path, timeout=1200)
    assert result.returncode == 0, result.stderr[-3000:]
    # the PyTorch sphere, from the sample's contributions in its last 12 months
    pytorch = scratch.read(
        "MATCH (:Repo {name: 'pytorch/pytorch'})-[:IN_NICHE]->(n:Niche {window: '2022-04:2023-03'}) "
        "MATCH (m:Repo)-[:IN_NICHE]->(n) RETURN collect(m.name) AS members"
    )
    assert {"pytorch/pytorch", "huggingface/transformers", "microsoft/onnxruntime"} <= set(pytorch[0]["members"])
    # the LLM landscape: the report's network with its niches and relations, and the series
    network = scratch.read(
        "MATCH (n:Network {name: 'ant-2025-05'}) OPTIONAL MATCH (run:NicheRun {window: 'network:ant-2025-05'}) "
        "RETURN n.nodes AS nodes, run.niches AS niches, run.relationsComputedAt IS NOT NULL AS relations"
    )
    assert network[0]["nodes"] == 135 and network[0]["niches"] > 0 and network[0]["relations"]
    months = scratch.read("MATCH (:Repo {name: 'vllm-project/vllm'})-[:HAS_MONTH]->(m) RETURN count(m) AS n")
    assert months[0]["n"] == 16
    assert list((tmp_path / "sample").iterdir())  # unpacked under the data folder, not the package


TWO_REPOS = ["remix-run/remix", "mlflow/mlflow"]


def metadata_rows(*repos: str, **changes: str) -> str:
    """The shared metadata file's rows of `repos` (with `changes` on the last one), as a CSV text."""
    with METADATA_FILE.open(encoding="utf-8", newline="") as file:
        reader = csv.DictReader(file)
        by_repo = {row["repo"]: row for row in reader}
        columns = list(reader.fieldnames or [])
    rows = [dict(by_repo[repo]) for repo in repos]
    rows[-1].update(changes)
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=columns, lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)
    return buffer.getvalue()


def test_run_loads_github_metadata_before_the_analysis(scratch: Graph, tmp_path: Path) -> None:
    folder = tmp_path / "snapshot"
    for repo in TWO_REPOS:
        shutil.copytree(TOP300 / "github" / repo, folder / "github" / repo)
    good = tmp_path / "meta.csv"
    good.write_text(metadata_rows(*TWO_REPOS, "nuxt/framework"), encoding="utf-8")  # nuxt is not loaded
    args = ["run", "--no-serve", "--skip-analysis", "--source", str(folder / "github")]
    result = nichegraph_env(scratch.uri, *args, "--github-metadata", str(good), data_dir=tmp_path, timeout=300)
    assert result.returncode == 0, result.stderr[-3000:]
    assert "metadata stored on 2 of 3 repositories" in result.stdout
    with METADATA_FILE.open(encoding="utf-8", newline="") as file:
        expected = {row["repo"]: row["description"] for row in csv.DictReader(file) if row["repo"] in TWO_REPOS}
    stored = scratch.read("MATCH (r:Repo) WHERE r.description IS NOT NULL RETURN r.name AS repo, r.description AS d")
    assert {row["repo"]: row["d"] for row in stored} == expected
    assert scratch.read("MATCH (r:Repo {name: 'nuxt/framework'}) RETURN r") == []

    # a bad row: the data loads, no metadata is written, the run stops before analysing, naming the line
    scratch.write("MATCH (r:Repo) REMOVE r.description")
    bad = tmp_path / "bad.csv"
    bad.write_text(metadata_rows(*TWO_REPOS, archived="TRUE-ish"), encoding="utf-8")
    result = nichegraph_env(
        scratch.uri,
        "run",
        "--no-serve",
        "--source",
        str(folder / "github"),
        "--github-metadata",
        str(bad),
        data_dir=tmp_path,
        timeout=300,
    )
    assert result.returncode == 1
    assert f"{bad} line 3: archived 'TRUE-ish' is not true or false" in result.stdout
    assert f"error: --github-metadata: {bad} was not loaded" in result.stderr
    assert scratch.read("MATCH (r:Repo) WHERE r.description IS NOT NULL RETURN r") == []
    assert scratch.read("MATCH (n:NicheRun) RETURN n") == []
    missing = nichegraph_env(scratch.uri, *args, "--github-metadata", str(tmp_path / "absent.csv"), data_dir=tmp_path)
    assert missing.returncode == 2 and "--github-metadata" in missing.stderr and "absent.csv" in missing.stderr

    # with --skip-load the file still lands (nothing else is written); from the environment too
    only = ["run", "--no-serve", "--skip-load", "--skip-analysis"]
    result = nichegraph_env(scratch.uri, *only, "--github-metadata", str(good), data_dir=tmp_path)
    assert result.returncode == 0 and "metadata stored on 2 of 3 repositories" in result.stdout, result.stderr
    assert len(scratch.read("MATCH (r:Repo) WHERE r.description IS NOT NULL RETURN r")) == 2
    absent = tmp_path / "absent.csv"
    env_missing = subprocess.run(
        [sys.executable, "-m", "nichegraph", *only],
        capture_output=True,
        text=True,
        timeout=60,
        env=dict(os.environ, NEO4J_URI=scratch.uri, NICHEGRAPH_GITHUB_METADATA=str(absent)),
    )
    assert env_missing.returncode == 2, env_missing.stderr
    assert f"NICHEGRAPH_GITHUB_METADATA): {absent} is not a file" in env_missing.stderr


def test_run_with_a_github_token_fetches_the_metadata_before_the_analysis(scratch: Graph, tmp_path: Path) -> None:
    """No file given but GITHUB_TOKEN set: `run` asks the API (a local server speaking GitHub's REST
    API) for every loaded repository before analysing; a token the API refuses stops the run
    before the analysis, naming GITHUB_TOKEN, with the data loaded and no metadata written."""
    folder = tmp_path / "snapshot"
    for repo in TWO_REPOS:
        shutil.copytree(TOP300 / "github" / repo, folder / "github" / repo)
    token = "ghp_run0123456789abcdefTOKEN"
    args = ["run", "--no-serve", "--source", str(folder / "github")]
    with serve_github(documents_from_csv(METADATA_FILE, TWO_REPOS)) as (url, plan):
        plan.token = token
        api = {"NICHEGRAPH_GITHUB_API": url, "NICHEGRAPH_CACHE_DIR": str(tmp_path / "cache")}
        refused = nichegraph_env(scratch.uri, *args, data_dir=tmp_path, timeout=300, GITHUB_TOKEN="revoked", **api)
        assert refused.returncode == 1, refused.stderr[-3000:]
        assert "GitHub metadata: nothing could be fetched" in refused.stderr and "GITHUB_TOKEN" in refused.stderr
        assert "401 Bad credentials" in refused.stdout
        assert len(scratch.read("MATCH (r:Repo) RETURN r")) == 2
        assert scratch.read("MATCH (r:Repo) WHERE r.description IS NOT NULL RETURN r") == []
        assert scratch.read("MATCH (n:NicheRun) RETURN n") == []

        plan.seen.clear()
        result = nichegraph_env(scratch.uri, *args, data_dir=tmp_path, timeout=600, GITHUB_TOKEN=token, **api)
        assert result.returncode == 0, result.stderr[-3000:]
        assert "metadata stored on 2 of 2 repositories" in result.stdout
        assert sorted(path.lower() for path, _headers in plan.seen) == sorted(
            f"/repos/{repo.lower()}" for repo in TWO_REPOS
        )
        assert token not in result.stdout + result.stderr
    with METADATA_FILE.open(encoding="utf-8", newline="") as file:
        expected = {row["repo"]: row["description"] for row in csv.DictReader(file) if row["repo"] in TWO_REPOS}
    stored = scratch.read("MATCH (r:Repo) WHERE r.description IS NOT NULL RETURN r.name AS repo, r.description AS d")
    assert {row["repo"]: row["d"] for row in stored} == expected
    assert scratch.read("MATCH (n:NicheRun) RETURN count(n) AS n")[0]["n"] >= 1  # then it analysed

    # without a token nor a file, the run reads what is stored, or says how to get metadata
    again = ["run", "--no-serve", "--skip-load"]
    stored_earlier = nichegraph_env(scratch.uri, *again, data_dir=tmp_path, timeout=600)
    assert stored_earlier.returncode == 0, stored_earlier.stderr[-3000:]
    assert "GitHub metadata stored earlier on 2 repositories is read" in stored_earlier.stdout
    remove_metadata(scratch)
    plain = nichegraph_env(scratch.uri, *again, data_dir=tmp_path, timeout=600)
    assert plain.returncode == 0, plain.stderr[-3000:]
    assert "no GitHub metadata: niches and relations read the graph alone" in plain.stdout
