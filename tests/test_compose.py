"""docker-compose.yml: Neo4j 5 community with a named volume plus the app, health checks,
ports on loopback only; and `docker compose config` accepts it."""

from __future__ import annotations

import shutil
import subprocess

import pytest
import yaml

from nichegraph.config import PROJECT_ROOT

COMPOSE = PROJECT_ROOT / "docker-compose.yml"


def compose_plugin_available() -> bool:
    if not shutil.which("docker"):
        return False
    return subprocess.run(["docker", "compose", "version"], capture_output=True).returncode == 0


def test_compose_file_shape() -> None:
    spec = yaml.safe_load(COMPOSE.read_text())
    neo4j, app = spec["services"]["neo4j"], spec["services"]["app"]
    assert neo4j["image"] == "neo4j:5-community"
    assert any(volume.split(":")[0] in spec["volumes"] for volume in neo4j["volumes"])
    for service in (neo4j, app):
        assert service["healthcheck"]["test"]
        assert all(port.startswith("127.0.0.1:") for port in service["ports"])
    assert app["depends_on"]["neo4j"]["condition"] == "service_healthy"
    assert app["environment"]["NEO4J_URI"] == "bolt://neo4j:7687"


@pytest.mark.skipif(not compose_plugin_available(), reason="the docker compose plugin is not installed")
def test_docker_compose_config_accepts_the_file() -> None:
    result = subprocess.run(
        ["docker", "compose", "-f", str(COMPOSE), "config", "-q"], capture_output=True, text=True, cwd=PROJECT_ROOT
    )
    assert result.returncode == 0, result.stderr
