"""Settings read from the environment in one place (nichegraph/config.py), and flags over them."""

from __future__ import annotations

from pathlib import Path

import pytest

from nichegraph.config import Settings, default_cache_dir, default_data_dir
from nichegraph.errors import BadParameter

VARIABLES = [
    "NEO4J_URI",
    "NEO4J_USER",
    "NEO4J_PASSWORD",
    "NICHEGRAPH_SOURCE",
    "NICHEGRAPH_LANDSCAPE",
    "NICHEGRAPH_GITHUB_METADATA",
    "NICHEGRAPH_HTTP_PORT",
    "NICHEGRAPH_BROWSER_URL",
    "NICHEGRAPH_NEO4J_HEAP",
    "NICHEGRAPH_NEO4J_PAGECACHE",
    "NICHEGRAPH_CLICKHOUSE_PASSWORD",
    "NICHEGRAPH_GITHUB_API",
    "GITHUB_TOKEN",
    "NICHEGRAPH_QUERY_TIMEOUT",
    "NICHEGRAPH_WEB_CACHE_MB",
    "NICHEGRAPH_DATA_DIR",
    "NICHEGRAPH_CACHE_DIR",
    "XDG_DATA_HOME",
    "XDG_CACHE_HOME",
]


@pytest.fixture
def clean_env(monkeypatch: pytest.MonkeyPatch) -> pytest.MonkeyPatch:
    for name in VARIABLES:
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("HOME", "/home/someone")
    return monkeypatch


def test_the_defaults(clean_env: pytest.MonkeyPatch) -> None:
    settings = Settings.from_env()
    assert settings == Settings(
        neo4j_uri="bolt://localhost:7687",
        neo4j_user="neo4j",
        neo4j_password="nichegraph",
        source="https://oss.open-digger.cn/github",
        data_dir=Path("/home/someone/.local/share/nichegraph"),
        cache_dir=Path("/home/someone/.cache/nichegraph"),
        landscape_dir=None,
        http_port=7474,
        browser_url="http://localhost:7474/browser/",
        neo4j_heap="2g",
        neo4j_pagecache="1g",
        clickhouse_password=None,
        github_api="https://api.github.com",
        github_token=None,
        query_timeout=5.0,
        web_cache_mb=256,
    )


def test_secrets_stay_out_of_the_repr(clean_env: pytest.MonkeyPatch) -> None:
    clean_env.setenv("GITHUB_TOKEN", "ghp_secret")
    clean_env.setenv("NICHEGRAPH_CLICKHOUSE_PASSWORD", "click-words")
    shown = repr(Settings.from_env())
    assert "ghp_secret" not in shown and "click-words" not in shown


# variable -> (what it is set to, the Settings field, the value read)
EVERY_VARIABLE = {
    "NEO4J_URI": ("bolt://localhost:7999", "neo4j_uri", "bolt://localhost:7999"),
    "NEO4J_USER": ("me", "neo4j_user", "me"),
    "NEO4J_PASSWORD": ("secret-words", "neo4j_password", "secret-words"),
    "NICHEGRAPH_SOURCE": ("/data/opendigger", "source", "/data/opendigger"),
    "NICHEGRAPH_LANDSCAPE": ("/data/landscape", "landscape_dir", Path("/data/landscape")),
    "NICHEGRAPH_GITHUB_METADATA": ("/data/meta.csv", "github_metadata", Path("/data/meta.csv")),
    "NICHEGRAPH_HTTP_PORT": ("7575", "http_port", 7575),
    "NICHEGRAPH_BROWSER_URL": ("http://example.org/browser/", "browser_url", "http://example.org/browser/"),
    "NICHEGRAPH_NEO4J_HEAP": ("4g", "neo4j_heap", "4g"),
    "NICHEGRAPH_NEO4J_PAGECACHE": ("3g", "neo4j_pagecache", "3g"),
    "NICHEGRAPH_CLICKHOUSE_PASSWORD": ("click-words", "clickhouse_password", "click-words"),
    "NICHEGRAPH_GITHUB_API": ("http://localhost:9000/api", "github_api", "http://localhost:9000/api"),
    "GITHUB_TOKEN": ("ghp_secret", "github_token", "ghp_secret"),
    "NICHEGRAPH_QUERY_TIMEOUT": ("2.5", "query_timeout", 2.5),
    "NICHEGRAPH_WEB_CACHE_MB": ("64", "web_cache_mb", 64),
    "NICHEGRAPH_DATA_DIR": ("/data/ng", "data_dir", Path("/data/ng")),
    "NICHEGRAPH_CACHE_DIR": ("/cache/ng", "cache_dir", Path("/cache/ng")),
}


def test_every_variable(clean_env: pytest.MonkeyPatch) -> None:
    for name, (text, _field, _value) in EVERY_VARIABLE.items():
        clean_env.setenv(name, text)
    settings = Settings.from_env()
    assert {field: getattr(settings, field) for _text, field, _value in EVERY_VARIABLE.values()} == {
        field: value for _text, field, value in EVERY_VARIABLE.values()
    }
    # every field of the settings has its variable
    assert {field for _text, field, _value in EVERY_VARIABLE.values()} == set(vars(settings))


def test_xdg_folders(clean_env: pytest.MonkeyPatch) -> None:
    clean_env.setenv("XDG_DATA_HOME", "/xdg/data")
    clean_env.setenv("XDG_CACHE_HOME", "/xdg/cache")
    assert default_data_dir() == Path("/xdg/data/nichegraph")
    assert default_cache_dir() == Path("/xdg/cache/nichegraph")
    clean_env.setenv("NICHEGRAPH_DATA_DIR", "/mine")
    assert default_data_dir() == Path("/mine")


def test_empty_variables_mean_the_default(clean_env: pytest.MonkeyPatch) -> None:
    clean_env.setenv("NEO4J_URI", "")
    clean_env.setenv("NICHEGRAPH_HTTP_PORT", "")
    clean_env.setenv("NICHEGRAPH_LANDSCAPE", "")
    settings = Settings.from_env()
    assert (settings.neo4j_uri, settings.http_port, settings.landscape_dir) == ("bolt://localhost:7687", 7474, None)


@pytest.mark.parametrize("port", ["web", "0", "65536", "-1", "80.5"])
def test_a_bad_http_port_is_named(clean_env: pytest.MonkeyPatch, port: str) -> None:
    clean_env.setenv("NICHEGRAPH_HTTP_PORT", port)
    with pytest.raises(BadParameter) as error:
        Settings.from_env()
    assert str(error.value) == f"NICHEGRAPH_HTTP_PORT: {port!r} is not a TCP port (1..65535)"


def test_flags_override_what_they_are_given(clean_env: pytest.MonkeyPatch) -> None:
    clean_env.setenv("NEO4J_URI", "bolt://localhost:7999")
    settings = Settings.from_env().with_overrides(neo4j_uri="bolt://localhost:7000", neo4j_user=None)
    assert (settings.neo4j_uri, settings.neo4j_user) == ("bolt://localhost:7000", "neo4j")
