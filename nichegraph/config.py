"""Configuration from the environment, overridable by command-line flags.

Every setting has one environment variable and one default; the CLI passes flags
through `Settings.with_overrides` so that the precedence is always flag > env > default.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field, replace
from pathlib import Path

from nichegraph.errors import BadParameter

DEFAULT_NEO4J_URI = "bolt://localhost:7687"
DEFAULT_NEO4J_USER = "neo4j"
# Neo4j 5 refuses passwords shorter than 8 characters.
DEFAULT_NEO4J_PASSWORD = "nichegraph"
DEFAULT_SOURCE = "https://oss.open-digger.cn/github"
DEFAULT_HTTP_PORT = 7474
DEFAULT_BROWSER_URL = "http://localhost:7474/browser/"
DEFAULT_NEO4J_HEAP = "2g"
DEFAULT_NEO4J_PAGECACHE = "1g"
DEFAULT_GITHUB_API = "https://api.github.com"
# the explorer's reads: a transaction running longer is stopped by the server and the page
# answers 504 instead of holding a worker (docs/web.md)
DEFAULT_QUERY_TIMEOUT = 5.0
# the explorer's page cache (web/cache.py): megabytes of computed page data it may hold
DEFAULT_WEB_CACHE_MB = 256

PROJECT_ROOT = Path(__file__).resolve().parent.parent
SCHEMA_FILE = PROJECT_ROOT / "schema.cypher"


def _xdg_dir(env_name: str, fallback: str) -> Path:
    base = os.environ.get(env_name)
    return Path(base) if base else Path.home() / fallback


def default_data_dir() -> Path:
    return Path(os.environ.get("NICHEGRAPH_DATA_DIR") or _xdg_dir("XDG_DATA_HOME", ".local/share") / "nichegraph")


def default_cache_dir() -> Path:
    return Path(os.environ.get("NICHEGRAPH_CACHE_DIR") or _xdg_dir("XDG_CACHE_HOME", ".cache") / "nichegraph")


@dataclass(frozen=True)
class Settings:
    neo4j_uri: str = DEFAULT_NEO4J_URI
    neo4j_user: str = DEFAULT_NEO4J_USER
    neo4j_password: str = DEFAULT_NEO4J_PASSWORD
    source: str = DEFAULT_SOURCE
    data_dir: Path = field(default_factory=default_data_dir)
    cache_dir: Path = field(default_factory=default_cache_dir)
    landscape_dir: Path | None = None  # landscape CSVs `run` loads as domain labels
    github_metadata: Path | None = None  # a GitHub metadata CSV `run` loads before the analysis
    http_port: int = DEFAULT_HTTP_PORT  # the local server's HTTP port (Neo4j Browser)
    browser_url: str = DEFAULT_BROWSER_URL  # where the explorer's "open in Neo4j Browser" links point
    neo4j_heap: str = DEFAULT_NEO4J_HEAP  # the local server's memory
    neo4j_pagecache: str = DEFAULT_NEO4J_PAGECACHE
    clickhouse_password: str | None = field(default=None, repr=False)  # for clickhouse:// sources (never in the URL)
    github_api: str = DEFAULT_GITHUB_API  # `load github`: the REST API's base URL (tests point it at a local server)
    github_token: str | None = field(default=None, repr=False)  # a secret: never printed, not even in a repr
    query_timeout: float = DEFAULT_QUERY_TIMEOUT  # seconds a page's read transaction may run
    web_cache_mb: int = DEFAULT_WEB_CACHE_MB  # the explorer's page cache limit (0: no cache)

    @classmethod
    def from_env(cls) -> Settings:
        """Every environment variable nichegraph reads, in one place (README, "Configuration")."""
        env = os.environ
        landscape = env.get("NICHEGRAPH_LANDSCAPE")
        metadata = env.get("NICHEGRAPH_GITHUB_METADATA")
        return cls(
            neo4j_uri=env.get("NEO4J_URI") or DEFAULT_NEO4J_URI,
            neo4j_user=env.get("NEO4J_USER") or DEFAULT_NEO4J_USER,
            neo4j_password=env.get("NEO4J_PASSWORD") or DEFAULT_NEO4J_PASSWORD,
            source=env.get("NICHEGRAPH_SOURCE") or DEFAULT_SOURCE,
            landscape_dir=Path(landscape) if landscape else None,
            github_metadata=Path(metadata) if metadata else None,
            http_port=_port(env.get("NICHEGRAPH_HTTP_PORT"), DEFAULT_HTTP_PORT),
            browser_url=env.get("NICHEGRAPH_BROWSER_URL") or DEFAULT_BROWSER_URL,
            neo4j_heap=env.get("NICHEGRAPH_NEO4J_HEAP") or DEFAULT_NEO4J_HEAP,
            neo4j_pagecache=env.get("NICHEGRAPH_NEO4J_PAGECACHE") or DEFAULT_NEO4J_PAGECACHE,
            clickhouse_password=env.get("NICHEGRAPH_CLICKHOUSE_PASSWORD") or None,
            github_api=env.get("NICHEGRAPH_GITHUB_API") or DEFAULT_GITHUB_API,
            github_token=env.get("GITHUB_TOKEN") or None,
            query_timeout=_seconds(
                "NICHEGRAPH_QUERY_TIMEOUT", env.get("NICHEGRAPH_QUERY_TIMEOUT"), DEFAULT_QUERY_TIMEOUT
            ),
            web_cache_mb=_megabytes(
                "NICHEGRAPH_WEB_CACHE_MB", env.get("NICHEGRAPH_WEB_CACHE_MB"), DEFAULT_WEB_CACHE_MB
            ),
        )

    def with_overrides(self, **overrides: object) -> Settings:
        """Return a copy with every override that is not None applied."""
        given = {key: value for key, value in overrides.items() if value is not None}
        return replace(self, **given)  # type: ignore[arg-type]


def _port(text: str | None, default: int) -> int:
    if not text:
        return default
    if not text.isdigit() or not 0 < int(text) < 65536:
        raise BadParameter(f"NICHEGRAPH_HTTP_PORT: {text!r} is not a TCP port (1..65535)")
    return int(text)


def _megabytes(name: str, text: str | None, default: int) -> int:
    if not text:
        return default
    if not text.strip().isdigit() or int(text) > 1_048_576:
        raise BadParameter(f"{name}: {text!r} is not a whole number of megabytes (0 to turn it off, at most 1048576)")
    return int(text)


def _seconds(name: str, text: str | None, default: float) -> float:
    if not text:
        return default
    try:
        value = float(text)
    except ValueError:
        value = float("nan")
    # NaN fails the comparison too
    if not 0 < value <= 3600:
        raise BadParameter(f"{name}: {text!r} is not a number of seconds (more than 0, at most 3600)")
    return value
