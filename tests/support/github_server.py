"""A local server shaped like GitHub's REST API for `GET /repos/{owner}/{repo}`.

It serves repository documents built from real rows of the shared metadata file, and
behaves as GitHub documents: `X-RateLimit-*` headers on every answer, a request budget
that answers 403 once spent, ETags with 304 answers to `If-None-Match` (which cost no
budget), 301 from a renamed repository to `/repositories/{id}`, 404 for an unknown one,
401 for a wrong token. Faults are injected as in `faulty_server` (5xx, slow answers,
truncated bodies); every request's headers are recorded.
"""

from __future__ import annotations

import copy
import csv
import hashlib
import json
import threading
import time
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from email.utils import formatdate
from http.server import BaseHTTPRequestHandler
from pathlib import Path
from typing import Any

from nichegraph.db import Graph
from nichegraph.repo_metadata import BOOKKEEPING_PROPERTIES, FIELD_PROPERTIES
from tests.support.faulty_server import FaultPlan, serve


def github_document(row: dict[str, str], repo_id: int) -> dict[str, Any]:
    """A `GET /repos/{owner}/{repo}` answer with the values of one metadata CSV row, in
    GitHub's shape (GitHub says null or "" for what is not set, and [] for no topics)."""
    owner, name = row["repo"].split("/")
    license = row["license"]
    return {
        "id": repo_id,
        "node_id": f"R_{repo_id}",
        "name": name,
        "full_name": row["repo"],
        "private": False,
        "owner": {"login": owner, "id": repo_id * 7, "type": "Organization"},
        "html_url": f"https://github.com/{row['repo']}",
        "description": row["description"] or None,
        "fork": False,
        "url": f"https://api.github.com/repos/{row['repo']}",
        "created_at": row["created_at"] or None,
        "updated_at": "2026-11-30T10:00:00Z",
        "pushed_at": "2026-11-30T09:00:00Z",
        "homepage": row["homepage"] or "",
        "size": 1234,
        "stargazers_count": 100,
        "watchers_count": 100,
        "language": row["language"] or None,
        "forks_count": 10,
        "archived": row["archived"] == "true",
        "disabled": False,
        "open_issues_count": 3,
        "license": {"key": license.lower(), "name": license, "spdx_id": license, "url": None} if license else None,
        "topics": row["topics"].split("|") if row["topics"] else [],
        "visibility": "public",
        "default_branch": "main",
    }


def documents_from_csv(path: Path, repos: list[str]) -> dict[str, dict[str, Any]]:
    with path.open(encoding="utf-8", newline="") as file:
        rows = {row["repo"]: row for row in csv.DictReader(file)}
    return {repo: github_document(rows[repo], 1000 + i) for i, repo in enumerate(repos)}


class GithubPlan(FaultPlan):
    def __init__(self, documents: dict[str, dict[str, Any]]) -> None:
        super().__init__()
        self.lock = threading.RLock()  # held around whole answers, which record their status too
        # a copy: tests change what the server says without touching their fixtures
        self.documents = {name.lower(): copy.deepcopy(document) for name, document in documents.items()}
        self.moved: dict[str, str] = {}  # old name (lower case) -> the name it has now
        self.token: str | None = None  # when set, any other Authorization answers 401
        self.limit = 5000
        self.budget: int | None = None  # requests left; None: never runs out
        self.reset_at = time.time() + 3600
        self.seen: list[tuple[str, dict[str, str]]] = []
        self.statuses: Counter[int] = Counter()

    def rename(self, old: str, new: str) -> None:
        self.documents[new.lower()] = {**self.documents.pop(old.lower()), "full_name": new, "name": new.split("/")[1]}
        self.moved[old.lower()] = new

    def limit_to(self, budget: int, reset_in: float) -> None:
        self.budget, self.reset_at = budget, time.time() + reset_in

    def etag(self, body: bytes) -> str:
        return f'W/"{hashlib.sha1(body).hexdigest()}"'

    def rate_headers(self) -> dict[str, str]:
        if self.budget is not None and self.budget <= 0 and time.time() >= self.reset_at:
            self.budget = None  # the window reset: no further limit in a test
        remaining = self.limit if self.budget is None else max(self.budget, 0)
        return {
            "X-RateLimit-Limit": str(self.limit),
            "X-RateLimit-Remaining": str(remaining),
            "X-RateLimit-Reset": str(int(self.reset_at)),
            "X-RateLimit-Resource": "core",
            "Date": formatdate(usegmt=True),
        }


def make_handler(plan: GithubPlan) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def log_message(self, format: str, *args: object) -> None:
            return

        def do_GET(self) -> None:
            with plan.lock:
                plan.seen.append((self.path, {key.lower(): value for key, value in self.headers.items()}))
            fault = plan.next_fault(self.path)
            if fault and fault.isdigit():
                self._send(int(fault), {"message": "injected"})
                return
            if fault == "timeout":
                time.sleep(plan.delay)
            if plan.token and self.headers.get("Authorization") != f"Bearer {plan.token}":
                self._send(401, {"message": "Bad credentials"})
                return
            document = self._find()
            if document is None:
                return
            body = json.dumps(document).encode()
            with plan.lock:
                headers = plan.rate_headers()
                if self.headers.get("If-None-Match") == plan.etag(body):
                    self._send(304, None, headers)  # GitHub: a 304 costs no rate limit
                    return
                if plan.budget is not None:
                    if plan.budget <= 0:
                        self._send(403, {"message": "API rate limit exceeded for 127.0.0.1."}, headers)
                        return
                    plan.budget -= 1
                    headers = plan.rate_headers()
            headers["ETag"] = plan.etag(body)
            if fault == "truncate":
                self._send_truncated(body, headers)
                return
            self._send(200, body, headers)

        def _find(self) -> dict[str, Any] | None:
            parts = self.path.strip("/").split("/")
            if len(parts) == 3 and parts[0] == "repos":
                name = f"{parts[1]}/{parts[2]}".lower()
                if name in plan.moved:
                    new = plan.documents[plan.moved[name].lower()]
                    location = f"/repositories/{new['id']}"
                    self._send(301, {"message": "Moved Permanently", "url": location}, {"Location": location})
                    return None
                document = plan.documents.get(name)
            elif len(parts) == 2 and parts[0] == "repositories" and parts[1].isdigit():
                document = next((d for d in plan.documents.values() if d["id"] == int(parts[1])), None)
            else:
                document = None
            if document is None:
                self._send(404, {"message": "Not Found"})
            return document

        def _send(self, status: int, body: Any, headers: dict[str, str] | None = None) -> None:
            with plan.lock:
                plan.statuses[status] += 1
            data = body if isinstance(body, bytes) else b"" if body is None else json.dumps(body).encode()
            self.send_response(status)
            for key, value in (headers or {}).items():
                self.send_header(key, value)
            if status != 304:
                self.send_header("Content-Type", "application/json; charset=utf-8")
                self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            if status != 304:
                self.wfile.write(data)

        def _send_truncated(self, body: bytes, headers: dict[str, str]) -> None:
            self.send_response(200)
            for key, value in headers.items():
                self.send_header(key, value)
            self.send_header("Content-Type", "application/json; charset=utf-8")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body[: len(body) // 3])
            self.wfile.flush()
            self.close_connection = True

    return Handler


@contextmanager
def serve_github(documents: dict[str, dict[str, Any]]) -> Iterator[tuple[str, GithubPlan]]:
    """Serve `documents` ({owner/repo: GitHub's answer}) on a free loopback port."""
    plan = GithubPlan(documents)
    with serve(make_handler(plan)) as url:
        yield url, plan


METADATA_PROPERTIES = (*FIELD_PROPERTIES, *BOOKKEEPING_PROPERTIES)
REMOVE_METADATA = "MATCH (r:Repo) REMOVE " + ", ".join(f"r.{name}" for name in METADATA_PROPERTIES)


def remove_metadata(graph: Graph) -> None:
    """Take every GitHub metadata property off the graph's repositories again: the relation
    rules read them, so a test that stores them on the shared full server must remove them."""
    graph.write(REMOVE_METADATA)


@contextmanager
def metadata_loaded(graph: Graph, path: Path) -> Iterator[None]:
    """The metadata file `path` stored on the graph's repositories, removed again afterwards
    (other tests' verdicts must not depend on whether this ran first)."""
    from nichegraph.loader.github import load_metadata_file

    assert load_metadata_file(graph, path).ok
    try:
        yield
    finally:
        remove_metadata(graph)
