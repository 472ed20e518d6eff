"""`nichegraph bench web`: a bounded load against the explorer on loopback.

The server runs as its own process (`nichegraph serve`, waitress with 8 threads) against
NEO4J_URI. Every page and its JSON twin is in the mix, with addresses built from the loaded
data (repositories, developers, niches of the default window). First every address is asked
for once (the cold pass: the first view of each page after a start, which also warms Neo4j's
plans, the explorer's page cache and the connections), then `--requests` requests from
`--clients` threads are timed (the steady state). The target, p95 at most 100 ms for every
endpoint, applies to the steady state; the cold pass is reported beside it. The machine's load
average before and after says how busy it was."""

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
from nichegraph.output import to_json, to_table
from nichegraph.scratch import free_port
from nichegraph.web.context import json_twin

TARGET_P95_MS = 100.0

SAMPLE = """
CALL () { MATCH (r:Repo) WHERE EXISTS { (r)<-[:CONTRIBUTED]-() } RETURN collect(r.name) AS repos }
CALL () { MATCH (m:RepoMonth) WHERE m.activity IS NOT NULL RETURN max(m.month) AS last }
CALL () { MATCH (n:Network) RETURN collect(n.name) AS networks }
RETURN repos, last, networks
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


def twins(name: str, weight: int, json_weight: int, urls: list[str]) -> list[Endpoint]:
    """A page and its JSON twin (`path.json`, with the same query string)."""
    json_urls = []
    for url in urls:
        path, _, query = url.partition("?")
        json_urls.append(json_twin(path) + (f"?{query}" if query else ""))
    return [Endpoint(name, weight, urls), Endpoint(f"{name}.json", json_weight, json_urls)]


def endpoints(graph: Graph, rng: random.Random) -> list[Endpoint]:
    sample = graph.read(SAMPLE)[0]
    if not sample["repos"]:
        raise NichegraphError("bench web needs a loaded graph (nichegraph load opendigger ...)")
    window = Window.ending(sample["last"], 12)
    repos = rng.sample(sorted(sample["repos"]), min(40, len(sample["repos"])))
    logins = graph.read(TOP_DEVELOPERS, since=window.first)[0]["logins"]
    niches = graph.read(NICHES, window=str(window))[0]["niches"]
    pairs = [f"{a},{b}" for a, b in zip(repos[::2], repos[1::2], strict=False)]
    landscapes = [str(window)] + [quote(name) for name in sample["networks"]]
    return [
        endpoint
        for endpoint in [
            *twins("home", 6, 2, ["/"]),
            *twins("search", 2, 12, [f"/search?q={quote(r.split('/')[1][:4])}" for r in repos]),
            *twins("repo", 14, 6, [f"/repo/{r}" for r in repos]),
            *twins(
                "graph depth 1-2", 4, 10, [f"/graph?center={quote(r)}&depth={1 + i % 2}" for i, r in enumerate(repos)]
            ),
            *twins("developer", 6, 2, [f"/dev/{quote(login)}" for login in logins]),
            *twins("niche", 6, 2, [f"/niche/{n}" for n in niches]),
            *twins("trends", 4, 2, ["/trends"]),
            *twins("compare", 4, 2, [f"/compare?repos={p}" for p in pairs]),
            *twins("exports", 1, 1, ["/exports"]),
            *twins("networks", 1, 1, ["/landscape"]),
            *twins("landscape", 2, 1, [f"/landscape/{name}" for name in landscapes]),
            *twins("evaluation", 1, 1, ["/evaluation"]),
        ]
        if endpoint.urls
    ]


def uncovered(mix: list[Endpoint]) -> list[str]:
    """The explorer's pages (rules with a `.json` twin) that no address of the mix reaches."""
    from nichegraph.web.app import create_app

    app = create_app(Settings())
    pages = {rule.rule.removesuffix(".json") for rule in app.url_map.iter_rules() if rule.rule.endswith(".json")}
    adapter = app.url_map.bind("localhost")
    reached = set()
    for endpoint in mix:
        for url in endpoint.urls:
            rule, _arguments = adapter.match(url.partition("?")[0], return_rule=True)
            reached.add(rule.rule.removesuffix(".json"))
    reached |= {"/index"} if "/" in reached else set()
    return sorted(pages - reached)


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
            body = health.json()
            # started: plans prepared and the default pages computed (web/warm.py), or given up
            steps = (body.get("queryPlans", ""), body.get("defaultPages", ""))
            if health.status_code == 200 and all(step == "ready" or step.startswith("failed") for step in steps):
                return process
        except httpx.HTTPError:
            pass
        time.sleep(0.3)
        if process.poll() is not None:
            raise NichegraphError(f"the explorer did not start: {process.stderr.read().decode()[-800:]}")  # type: ignore[union-attr]
    process.kill()
    raise NichegraphError("the explorer was not ready within 120 s")


def run_load(base: str, requests: list[tuple[str, str]], clients: int) -> dict[str, Any]:
    """Send `requests` ((endpoint, url) pairs, in order) from `clients` threads; per-endpoint timings."""
    timings: dict[str, list[float]] = defaultdict(list)
    errors: dict[str, list[str]] = defaultdict(list)
    lock = threading.Lock()
    queue = iter(requests)

    def client() -> None:
        with httpx.Client(base_url=base, timeout=30) as session:
            while True:
                with lock:
                    item = next(queue, None)
                if item is None:
                    return
                name, url = item
                started = time.perf_counter()
                try:
                    status: int | str = session.get(url).status_code
                except httpx.HTTPError as error:
                    status = type(error).__name__
                elapsed = (time.perf_counter() - started) * 1000
                with lock:
                    timings[name].append(elapsed)
                    if status != 200:
                        errors[name].append(f"{status} {url}")

    started = time.perf_counter()
    threads = [threading.Thread(target=client) for _ in range(clients)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return {"seconds": time.perf_counter() - started, "timings": timings, "errors": errors}


def every_address(mix: list[Endpoint], rng: random.Random) -> list[tuple[str, str]]:
    """Each address of the mix once, in random order (the cold pass)."""
    requests = [(endpoint.name, url) for endpoint in mix for url in endpoint.urls]
    rng.shuffle(requests)
    return requests


def weighted(mix: list[Endpoint], total: int, rng: random.Random) -> list[tuple[str, str]]:
    """`total` requests drawn by the endpoints' weights (the steady state)."""
    chosen = rng.choices(mix, [endpoint.weight for endpoint in mix], k=total)
    return [(endpoint.name, rng.choice(endpoint.urls)) for endpoint in chosen]


def report(steady: dict[str, Any], cold: dict[str, Any]) -> list[dict[str, Any]]:
    rows = []
    for name, values in sorted(steady["timings"].items()):
        p95 = percentile(values, 0.95)
        first = cold["timings"].get(name) or [float("nan")]
        failed = len(steady["errors"].get(name, [])) + len(cold["errors"].get(name, []))
        rows.append(
            {
                "endpoint": name,
                "requests": len(values),
                "errors": failed,
                "p50 ms": round(statistics.median(values), 1),
                "p95 ms": round(p95, 1),
                "p99 ms": round(percentile(values, 0.99), 1),
                "req/s": round(len(values) / steady["seconds"], 1),
                "cold n": len(cold["timings"].get(name, [])),
                "cold p50 ms": round(statistics.median(first), 1),
                "cold p95 ms": round(percentile(first, 0.95), 1),
                "target": "ok" if p95 <= TARGET_P95_MS and not failed else "MISSED",
            }
        )
    return rows


def machine(before: tuple[float, float, float]) -> dict[str, Any]:
    after = os.getloadavg()
    return {
        "cores": os.cpu_count(),
        "loadBefore": round(before[0], 2),
        "loadAfter": round(after[0], 2),
        "load5After": round(after[1], 2),
        "busy": max(before[0], after[0]) > (os.cpu_count() or 1) * 0.5,
    }


@click.command("web")
@click.option("--requests", "total", default=3000, show_default=True, help="Timed requests in all")
@click.option("--clients", default=8, show_default=True, help="Concurrent clients")
@click.option("--seed", default=1, show_default=True, help="Seed of the request mix")
@click.option("--json", "as_json", is_flag=True, help="Print the figures as JSON")
@click.pass_obj
def bench_web(settings: Settings, total: int, clients: int, seed: int, as_json: bool) -> None:
    """Load the explorer on loopback (8 concurrent clients, a mix of pages and JSON twins over
    the loaded data) and print p50/p95/p99 latency and throughput per endpoint."""
    if total < 1 or clients < 1:
        raise click.BadParameter("--requests and --clients must be at least 1")
    rng = random.Random(seed)
    with Graph(settings) as graph:
        mix = endpoints(graph, rng)
    missing = uncovered(mix)
    load_before = os.getloadavg()
    port = free_port()
    server = start_server(settings, port)
    try:
        base = f"http://127.0.0.1:{port}"
        cold = run_load(base, every_address(mix, rng), clients)
        steady = run_load(base, weighted(mix, total, rng), clients)
    finally:
        server.terminate()
        server.wait(timeout=30)
    rows = report(steady, cold)
    figures = summary(steady, clients, machine(load_before), missing) | {
        "coldErrors": sum(len(failures) for failures in cold["errors"].values()),
        "targetMet": all(row["target"] == "ok" for row in rows),
    }
    if as_json:
        click.echo(to_json(figures | {"endpoints": rows}))
        return
    click.echo(to_table(rows))
    click.echo(
        f"\n{figures['requests']} timed requests from {clients} clients in {steady['seconds']:.1f}s: "
        f"{figures['requestsPerSecond']} req/s; {figures['errors']} errors ({figures['coldErrors']} in the cold pass); "
        f"target p95 <= {TARGET_P95_MS:g} ms: "
        f"{'met' if figures['targetMet'] else 'MISSED'} (cold pass: every address once, first)"
    )
    host = figures["machine"]
    click.echo(
        f"machine: {host['cores']} cores, load average {host['loadBefore']} before, {host['loadAfter']} after"
        + (" (busy: other work was running; figures are noisy)" if host["busy"] else "")
    )
    if missing:
        click.echo(f"pages not in the mix: {', '.join(missing)}")
    for name, failures in {**cold["errors"], **steady["errors"]}.items():
        for failure in failures[:3]:
            click.echo(f"  error {name}: {failure}")


def summary(steady: dict[str, Any], clients: int, host: dict[str, Any], missing: list[str]) -> dict[str, Any]:
    count = sum(len(values) for values in steady["timings"].values())
    worst = max(percentile(values, 0.95) for values in steady["timings"].values())
    errors = sum(len(failures) for failures in steady["errors"].values())
    return {
        "clients": clients,
        "requests": count,
        "seconds": round(steady["seconds"], 2),
        "requestsPerSecond": round(count / steady["seconds"], 1),
        "errors": errors,
        "targetP95Ms": TARGET_P95_MS,
        "worstP95Ms": round(worst, 1),
        "targetMet": worst <= TARGET_P95_MS and not errors,
        "machine": host,
        "pagesNotBenchmarked": missing,
    }
