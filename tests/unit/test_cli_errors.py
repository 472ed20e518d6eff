"""Bad arguments refused by the commands before they connect to anything: exit status 2 and
a message naming the flag (README: "2 for a bad parameter"). Every command points at a port
where nothing listens, so a refusal that came only after trying Neo4j would exit 3 instead."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from nichegraph.cli import main
from nichegraph.scratch import free_port
from tests.conftest import TOP300


def run(uri: str, *args: str, env: dict[str, str | None] | None = None) -> Result:
    return CliRunner().invoke(main, ["--neo4j-uri", uri, *args], env=env)


REFUSED = [
    # analysis
    (["niches", "--resolution", "0"], "--resolution: 0.0 must be greater than 0 (1.0 is plain modularity)"),
    (["niches", "--resolution", "-2"], "--resolution: -2.0 must be greater than 0 (1.0 is plain modularity)"),
    (["niches", "--runs", "1"], "--runs: 1 must be at least 2 (stability compares runs)"),
    (["niches", "--seed", "-1"], "--seed: -1 must not be negative"),
    (["niches", "--min-size", "1"], "--min-size: 1 must be at least 2"),
    (["niches", "--min-shared", "0"], "--min-shared: 0 must be at least 1"),
    (["niches", "--min-lift", "-1"], "--min-lift: -1.0 must not be negative"),
    (["niches", "--top-links", "0"], "--top-links: 0 must be at least 1"),
    (["expand", "--seeds", " , "], "--seeds: give at least one repository, e.g. --seeds pytorch/pytorch,"),
    (["expand", "--seeds", "a/b", "--min-openrank", "-1"], "--min-openrank: -1.0 must not be negative"),
    (["expand", "--seeds", "a/b", "--depth", "-1"], "--depth: -1 must not be negative"),
    (["expand", "--seeds", "a/b", "--top", "0"], "--top: 0 must be at least 1"),
    (["openrank", "--activity-scale", "0"], "--activity-scale: 0.0 must be positive"),
    (["trends", "yoy", "--repos", "a/b", "--niche", "x"], "--repos and --niche: give only one way to choose projects"),
    (
        ["trends", "stars", "--niche", "x", "--domain", "y"],
        "--niche and --domain: give only one way to choose projects",
    ),
    # the query library
    (["query", "no_such_query"], "no library query named 'no_such_query'; `nichegraph query --list` lists them"),
    (["query", "repo_monthly", "--param", "owner=x"], "--param owner: query 'repo_monthly' has no such parameter"),
    (["query", "repo_monthly", "--param", "novalue"], "--param 'novalue': write NAME=VALUE, e.g. --param repo="),
    # the loader
    (["load", "opendigger", str(TOP300), "--workers", "0"], "--workers: must be at least 1"),
    (["load", "opendigger", str(TOP300), "--neighbours", "-1"], "--neighbours: must not be negative"),
    (["load", "opendigger", str(TOP300), "--months", "2023-03:2021-01"], "--months: '2023-03:2021-01' is reversed"),
    (["load", "opendigger", str(TOP300), "--months", "2021-1:2022-01"], "--months: '2021-1' is not a month"),
    (
        ["load", "opendigger", str(TOP300), "--repos", "a/b", "--repos-file", "x.txt"],
        "--repos and --repos-file: give one or the other",
    ),
    (
        ["load", "opendigger", str(TOP300), "--repos-file", "/nonexistent/list.txt"],
        "--repos-file: cannot read /nonexistent/list.txt",
    ),
    (["load", "opendigger", "ftp://example.org/x"], "SOURCE: 'ftp://example.org/x': only folders and http(s):// URLs"),
    (["load", "opendigger", "/nonexistent/folder"], "SOURCE: /nonexistent/folder is not a folder or an http(s):// URL"),
    (["load", "landscape", "/nonexistent/x.csv"], "FILE: cannot read /nonexistent/x.csv"),
    # benchmarks
    (["bench", "niches", "--repeat", "0"], "--repeat: 0 must be at least 1"),
    (["bench", "scale", "--source", str(TOP300), "--factor", "0"], "--factor: 0 must be between 1 and 20"),
    (["bench", "scale", "--source", str(TOP300), "--factor", "21"], "--factor: 21 must be between 1 and 20"),
    (["bench", "scale", "--source", str(TOP300), "--slice", "0"], "--slice: 0 must be at least 1"),
    (["bench", "scale", "--source", str(TOP300), "--repeats", "0"], "--repeats: 0 must be at least 1"),
    (["bench", "scale", "--source", str(TOP300), "--mix", "1.5"], "--mix: 1.5 must be between 0 and 1"),
    (
        ["bench", "scale", "--source", "https://oss.open-digger.cn"],
        "--source: bench scale resamples a snapshot folder, not a web service",
    ),
]


@pytest.mark.parametrize(("args", "message"), REFUSED, ids=[" ".join(args) for args, _ in REFUSED])
def test_a_bad_parameter_exits_2_naming_it(nowhere_uri: str, args: list[str], message: str) -> None:
    result = run(nowhere_uri, *args)
    assert result.exit_code == 2, result.output
    assert result.stderr.startswith(f"error: {message}"), result.stderr
    assert result.stdout == ""


CLICK_REFUSED = [
    (["export", "--what", "everything", "--format", "csv", "--out", "x"], "Invalid value for '--what'"),
    (["export", "--what", "niches", "--format", "pdf", "--out", "x"], "Invalid value for '--format'"),
    (["export", "--what", "niches", "--format", "csv"], "Missing option '--out'"),
    (["expand"], "Missing option '--seeds'"),
    (["openrank", "--developer-init", "linear"], "Invalid value for '--developer-init'"),
    (["trends", "ranks", "--period", "decade"], "Invalid value for '--period'"),
    (["trends", "compare"], "Missing argument 'REPOS...'"),
    (["niches", "--runs", "many"], "Invalid value for '--runs': 'many' is not a valid integer"),
    (["query", "top_repos", "--format", "xml"], "Invalid value for '--format'"),
    (["serve", "--port", "web"], "Invalid value for '--port'"),
    (["no-such-command"], "No such command 'no-such-command'"),
    (["bench", "everything"], "No such command 'everything'"),
]


@pytest.mark.parametrize(("args", "message"), CLICK_REFUSED, ids=[" ".join(args) for args, _ in CLICK_REFUSED])
def test_click_refuses_malformed_arguments_with_2(nowhere_uri: str, args: list[str], message: str) -> None:
    result = run(nowhere_uri, *args)
    assert result.exit_code == 2, result.output
    assert message in result.stderr


def test_a_folder_without_opendigger_files_is_refused(nowhere_uri: str, tmp_path: Path) -> None:
    result = run(nowhere_uri, "load", "opendigger", str(tmp_path))
    assert result.exit_code == 2
    assert result.stderr == f"error: SOURCE: {tmp_path} holds no github/{{owner}}/{{repo}}/{{metric}}.json files\n"


@pytest.mark.parametrize(
    ("content", "message"),
    [("name,stars\nx,1\n", "x.csv: unknown landscape format; the header must contain one of: ")],
)
def test_a_landscape_file_of_unknown_format_is_refused(
    nowhere_uri: str, tmp_path: Path, content: str, message: str
) -> None:
    path = tmp_path / "x.csv"
    path.write_text(content)
    result = run(nowhere_uri, "load", "landscape", str(path))
    assert result.exit_code == 2 and f"error: {tmp_path / message}" in result.stderr


def test_a_bad_environment_variable_is_named(nowhere_uri: str) -> None:
    result = run(nowhere_uri, "stats", env={"NICHEGRAPH_HTTP_PORT": "web"})
    assert result.exit_code == 2
    assert result.stderr == "error: NICHEGRAPH_HTTP_PORT: 'web' is not a TCP port (1..65535)\n"


# --- `nichegraph db`: refused before Java or a server is needed (exit 4) -----------------------


def test_start_without_java_says_so(tmp_path: Path) -> None:
    env = {
        "NICHEGRAPH_HTTP_PORT": str(free_port()),
        "NICHEGRAPH_DATA_DIR": str(tmp_path / "data"),
        "PATH": str(tmp_path / "empty-bin"),
        "JAVA_HOME": None,
    }
    result = run(f"bolt://localhost:{free_port()}", "db", "start", env=env)
    assert result.exit_code == 4
    assert "Java 17 or newer is required" in result.stderr
    assert "no `java` was found on PATH or in JAVA_HOME" in result.stderr


def test_db_commands_refuse_a_remote_uri() -> None:
    result = run("bolt://db.example.org:7687", "db", "start")
    assert result.exit_code == 4
    assert result.stderr.startswith("error: NEO4J_URI points at db.example.org, not this machine;")


@pytest.mark.parametrize("uri", ["http://localhost:7474", "localhost:7687"])
def test_db_commands_refuse_a_non_bolt_uri(uri: str) -> None:
    result = run(uri, "db", "status")
    assert result.exit_code == 4
    assert result.stderr == f"error: NEO4J_URI {uri!r} is not a bolt:// or neo4j:// address\n"
