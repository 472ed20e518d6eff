"""The project page shows GitHub metadata with where each value came from: the shared
metadata file loaded onto the real full snapshot, read back through the page and its JSON
twins; hostile values (on the scratch server) are escaped and never become links."""

from __future__ import annotations

import csv
import json
from collections.abc import Iterator
from pathlib import Path

import pytest
from flask.testing import FlaskClient

from nichegraph.config import Settings
from nichegraph.db import Graph
from nichegraph.loader.github import load_metadata_file
from nichegraph.web.app import create_app
from tests.conftest import METADATA_FILE, load_folder
from tests.support.github_server import metadata_loaded

LABELS = [
    ("description", "description", "Description"),
    ("language", "language", "Primary language"),
    ("topics", "topics", "Topics"),
    ("license", "license", "Licence"),
    ("archived", "archived", "Archived"),
    ("createdAt", "created_at", "Created"),
    ("homepage", "homepage", "Homepage"),
]


def file_row(repo: str) -> dict[str, str]:
    with METADATA_FILE.open(encoding="utf-8", newline="") as file:
        return next(row for row in csv.DictReader(file) if row["repo"] == repo)


def expected_fields(row: dict[str, str]) -> list[dict[str, object]]:
    sources = dict(part.split("=", 1) for part in row["source"].split(";"))
    fields = []
    for prop, column, label in LABELS:
        if row[column]:
            value: object = row[column]
            if column == "topics":
                value = row[column].split("|")
            if column == "archived":
                value = row[column] == "true"
            fields.append({"property": prop, "label": label, "value": value, "source": sources[column]})
    return fields


@pytest.fixture(scope="module")
def client(full_settings: Settings) -> Iterator[FlaskClient]:
    with Graph(full_settings) as graph, metadata_loaded(graph, METADATA_FILE):
        yield create_app(full_settings, TESTING=True).test_client()


def page(client: FlaskClient, repo: str) -> tuple[dict, str]:  # type: ignore[type-arg]
    twin = client.get(f"/repo/{repo}.json")
    api = client.get(f"/api/repo/{repo}")
    html = client.get(f"/repo/{repo}")
    assert twin.status_code == api.status_code == html.status_code == 200
    data = json.loads(twin.data)
    assert data == json.loads(api.data)
    return data, html.data.decode()


def test_the_project_page_shows_each_field_with_its_source(client: FlaskClient) -> None:
    row = file_row("pytorch/pytorch")
    data, html = page(client, "pytorch/pytorch")
    metadata = data["metadata"]
    assert metadata["fields"] == expected_fields(row)
    assert metadata["source"] == "repo_metadata.csv" and metadata["provenance"] == row["source"]
    assert metadata["fetchedAt"]
    assert f'{row["description"]} <span class="note">(EvanLi@2026-08-22)</span>' in html
    assert "autograd, deep-learning, gpu, machine-learning" in html and "landscape_local@2025-09-13" in html
    assert "BSD-3-Clause" in html and "bestof:ml-tooling/best-of-ml-python@2025-06-26" in html
    assert "2016-08-13</td>" in html.replace("\n", "").replace("        ", "")
    assert "Loaded from repo_metadata.csv at" in html


def test_a_homepage_is_a_link_and_archived_is_said(client: FlaskClient) -> None:
    _data, html = page(client, "apache/apisix")
    assert '<a href="https://apisix.apache.org/blog/" rel="nofollow noopener noreferrer">' in html
    data, html = page(client, "nuxt/framework")
    archived = {"property": "archived", "label": "Archived", "value": True}
    source = "bored@2025-06-02(archived_at=2023-04-06T12:08:27Z)"  # the file: archived a month after the window
    assert {**archived, "source": source} in data["metadata"]["fields"]
    assert "yes: read-only on GitHub" in html


def test_a_project_without_metadata_says_so(client: FlaskClient) -> None:
    data, html = page(client, "JacksonKearl/testissues")
    assert data["metadata"] is None
    assert "No GitHub metadata loaded for this project" in html


def test_hostile_metadata_is_escaped_and_never_a_link(scratch: Graph, tmp_path: Path) -> None:
    assert load_folder(scratch, ["freddier/hyperblog"]).ok
    hostile = tmp_path / "hostile.csv"
    hostile.write_text(
        "repo,description,language,topics,license,archived,created_at,homepage,source\n"
        'freddier/hyperblog,"<script>alert(1)</script>",<b>HTML</b>,,,false,,javascript:alert(1),'
        "description=<img src=x onerror=alert(2)>\n",
        encoding="utf-8",
    )
    assert load_metadata_file(scratch, hostile).ok
    client = create_app(scratch.settings, TESTING=True).test_client()
    html = client.get("/repo/freddier/hyperblog").data.decode()
    assert "<script>alert(1)" not in html and "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert "<b>HTML</b>" not in html and "<img src=x" not in html
    assert 'href="javascript:' not in html and "javascript:alert(1)" in html
