"""Configuration from the environment, overridable by command-line flags.

Every setting has one environment variable and one default; the CLI passes flags
through `Settings.with_overrides` so that the precedence is always flag > env > default.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field, replace
from pathlib import Path

DEFAULT_NEO4J_URI = "bolt://localhost:7687"
DEFAULT_NEO4J_USER = "neo4j"
# Neo4j 5 refuses passwords shorter than 8 characters.
DEFAULT_NEO4J_PASSWORD = "nichegraph"
DEFAULT_SOURCE = "https://oss.open-digger.cn/github"

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

    @classmethod
    def from_env(cls) -> Settings:
        env = os.environ
        return cls(
            neo4j_uri=env.get("NEO4J_URI") or DEFAULT_NEO4J_URI,
            neo4j_user=env.get("NEO4J_USER") or DEFAULT_NEO4J_USER,
            neo4j_password=env.get("NEO4J_PASSWORD") or DEFAULT_NEO4J_PASSWORD,
            source=env.get("NICHEGRAPH_SOURCE") or DEFAULT_SOURCE,
        )

    def with_overrides(self, **overrides: object) -> Settings:
        """Return a copy with every override that is not None applied."""
        given = {key: value for key, value in overrides.items() if value is not None}
        return replace(self, **given)  # type: ignore[arg-type]
