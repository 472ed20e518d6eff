"""`nichegraph bench web`: a bounded load against the explorer on loopback.

The server runs as its own process (`nichegraph serve`, waitress with 8 threads) against
NEO4J_URI; 8 client threads here send a realistic mix of pages and JSON twins, built from the
loaded data (repositories, developers, niches of the default window), and every endpoint's
p50/p95/p99 latency and throughput is printed."""

from __future__ import annotations

import os
import random
import statistics
import subprocess
import sys
import threading
import time
from collections import defaultdict
from dataclasses import dataclass
from typing import Any
from urllib.parse import quote

import click
import httpx

from nichegraph.bench.stats import percentile
from nichegraph.config import Settings
from nichegraph.db import Graph
from nichegraph.errors import NichegraphError
from nichegraph.months import Window
from nichegraph.output import to_table
from nichegraph.scratch import free_port

TARGET_P95_MS = 300.0

SAMPLE = """
CALL () { MATCH (r:Repo) RETURN collect(r.name) AS repos }
CALL () { MATCH (m:RepoMonth) RETURN max(m.month) AS last }
RETURN repos, last
"""
TOP_DEVELOPERS = """
MATCH (d:Developer)-[c:CONTRIBUTED]->() WHERE c.month >= $since AND NOT d.isBot
WITH d, sum(c.activity) AS activity ORDER BY activity DESC LIMIT 40
RETURN collect(d.login) AS logins
"""
NICHES = "MATCH (n:Niche {window: $window}) RETURN collect(n.id) AS niches"


@dataclass(frozen=True)
class Endpoint:
    name: str
    weight: int
    urls: list[str]


def endpoints(graph: Graph, rng: random.Random) -> list[Endpoint]:
    sample = graph.read(SAMPLE)[0]
    if not sample["repos"]:
        raise NichegraphError("bench web needs a loaded graph (nichegraph load opendigger ...)")
    window = Window.ending(sample["last"], 12)
    first = window.first
    repos = rng.sample(sample["repos"], min(40, len(sample["repos"])))
    logins = graph.read(TOP_DEVELOPERS, since=first)[0]["logins"]
    niches = graph.read(NICHES, window=str(window))[0]["niches"]
    pairs = [f"{a},{b}" for a, b in zip(repos[::2], repos[1::2], strict=False)]
    mix = [
        Endpoint("home", 6, ["/"]),
        Endpoint("home.json", 2, ["/index.json"]),
        Endpoint("repo", 14, [f"/repo/{r}" for r in repos]),
        Endpoint("repo.json", 6, [f"/repo/{r}.json" for r in repos]),
        Endpoint("graph", 4, [f"/graph?center={quote(r)}" for r in repos]),
        Endpoint(
            "graph.json depth 1-2",
            10,
            [f"/graph.json?center={quote(r)}&depth={1 + i % 2}" for i, r in enumerate(repos)],
        ),
        Endpoint("developer", 6, [f"/dev/{quote(login)}" for login in logins]),
        Endpoint("developer.json", 2, [f"/dev/{quote(login)}.json" for login in logins]),
        Endpoint("search.json", 12, [f"/search.json?q={quote(r.split('/')[1][:4])}" for r in repos]),
    ]
    if niches:
        mix += [
            Endpoint("niche", 6, [f"/niche/{n}" for n in niches]),
            Endpoint("niche.json", 2, [f"/niche/{n}.json" for n in niches]),
        ]
    mix += [Endpoint(f"{name}", weight, urls) for name, weight, urls in extra_endpoints(pairs)]
    return [endpoint for endpoint in mix if endpoint.urls]


def extra_endpoints(pairs: list[str]) -> list[tuple[str, int, list[str]]]:
    """Pages of the later issues, benchmarked when the app has them."""
    from nichegraph.web.app import create_app

    rules = {rule.rule for rule in create_app(Settings()).url_map.iter_rules()}
    extra = []
    if "/trends" in rules:
        extra += [("trends", 4, ["/trends"]), ("trends.json", 2, ["/trends.json"])]
    if "/compare" in rules:
        extra += [("compare", 4, [f"/compare?repos={p}" for p in pairs])]
    if "/exports" in rules:
        extra += [("exports", 1, ["/exports"])]
    return extra


def start_server(settings: Settings, port: int) -> subprocess.Popen[bytes]:
    env = dict(
        os.environ, NEO4J_URI=settings.neo4j_uri, NEO4J_USER=settings.neo4j_user, NEO4J_PASSWORD=settings.neo4j_password
    )
    process = subprocess.Popen(
        [sys.executable, "-m", "nichegraph", "serve", "--port", str(port), "--threads", "8"],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        # the steady state is measured: wait until the explorer has had its queries planned
        try:
            health = httpx.get(f"http://127.0.0.1:{port}/healthz", timeout=2)
            plans = health.json().get("queryPlans", "")
            if health.status_code == 200 and (plans == "ready" or plans.startswith("failed")):
                return process
        except httpx.HTTPError:
            pass
        time.sleep(0.3)
        if process.poll() is not None:
            raise NichegraphError(f"the explorer did not start: {process.stderr.read().decode()[-800:]}")  # type: ignore[union-attr]
    process.kill()
    raise NichegraphError("the explorer was not ready within 120 s")


def run_load(base: str, mix: list[Endpoint], clients: int, requests: int, seed: int) -> dict[str, Any]:
    """`requests` requests in total from `clients` threads; returns per-endpoint timings."""
    weights = [endpoint.weight for endpoint in mix]
    timings: dict[str, list[float]] = defaultdict(list)
    errors: dict[str, list[str]] = defaultdict(list)
    lock = threading.Lock()
    counter = iter(range(requests))

    def client(number: int) -> None:
        rng = random.Random(seed + number)
        with httpx.Client(base_url=base, timeout=30) as session:
            while True:
                with lock:
                    if next(counter, None) is None:
                        return
                endpoint = rng.choices(mix, weights)[0]
                url = rng.choice(endpoint.urls)
                started = time.perf_counter()
                try:
                    status = session.get(url).status_code
                except httpx.HTTPError as error:
                    status = f"{type(error).__name__}"
                elapsed = (time.perf_counter() - started) * 1000
                with lock:
                    timings[endpoint.name].append(elapsed)
                    if status != 200:
                        errors[endpoint.name].append(f"{status} {url}")

    started = time.perf_counter()
    threads = [threading.Thread(target=client, args=(n,)) for n in range(clients)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return {"seconds": time.perf_counter() - started, "timings": timings, "errors": errors}


def report(result: dict[str, Any]) -> list[dict[str, Any]]:
    rows = []
    for name, values in sorted(result["timings"].items()):
        p95 = percentile(values, 0.95)
        rows.append(
            {
                "endpoint": name,
                "requests": len(values),
                "errors": len(result["errors"].get(name, [])),
                "p50 ms": round(statistics.median(values), 1),
                "p95 ms": round(p95, 1),
                "p99 ms": round(percentile(values, 0.99), 1),
                "req/s": round(len(values) / result["seconds"], 1),
                "target": "ok" if p95 < TARGET_P95_MS and not result["errors"].get(name) else "MISSED",
            }
        )
    return rows


@click.command("web")
@click.option("--requests", "total", default=3000, show_default=True, help="Requests in all")
@click.option("--clients", default=8, show_default=True, help="Concurrent clients")
@click.option("--seed", default=1, show_default=True, help="Seed of the request mix")
@click.pass_obj
def bench_web(settings: Settings, total: int, clients: int, seed: int) -> None:
    """Load the explorer on loopback (8 concurrent clients, a mix of pages and JSON twins over
    the loaded data) and print p50/p95/p99 latency and throughput per endpoint."""
    with Graph(settings) as graph:
        mix = endpoints(graph, random.Random(seed))
    port = free_port()
    server = start_server(settings, port)
    try:
        base = f"http://127.0.0.1:{port}"
        run_load(base, mix, clients, min(total // 10, 200), seed + 1000)  # warm-up: plans, caches
        result = run_load(base, mix, clients, total, seed)
    finally:
        server.terminate()
        server.wait(timeout=30)
    rows = report(result)
    click.echo(to_table(rows))
    all_times = [t for values in result["timings"].values() for t in values]
    click.echo(
        f"\n{len(all_times)} requests from {clients} clients in {result['seconds']:.1f}s: "
        f"{len(all_times) / result['seconds']:.1f} req/s; "
        f"{sum(len(e) for e in result['errors'].values())} errors"
    )
    for name, failures in result["errors"].items():
        for failure in failures[:3]:
            click.echo(f"  error {name}: {failure}")
