"""A local HTTP server with OpenDigger's URL layout (/github/{owner}/{repo}/{metric}.json)
serving a folder, with faults injected on demand: 5xx answers, answers slower than the
client's timeout, and bodies cut short of their Content-Length."""

from __future__ import annotations

import threading
import time
from collections import Counter, defaultdict
from collections.abc import Iterator
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path


class FaultPlan:
    """For each URL path, the faults to serve on its next requests, then normal answers."""

    def __init__(self) -> None:
        self._faults: dict[str, list[str]] = defaultdict(list)
        self._always: dict[str, str] = {}
        self.requests: Counter[str] = Counter()
        self.lock = threading.Lock()
        self.delay = 2.0

    def add(self, path: str, *faults: str) -> None:
        self._faults[path].extend(faults)

    def always(self, path: str, fault: str) -> None:
        self._always[path] = fault

    def next_fault(self, path: str) -> str | None:
        with self.lock:
            self.requests[path] += 1
            if path in self._always:
                return self._always[path]
            queue = self._faults.get(path)
            return queue.pop(0) if queue else None


def make_handler(root: Path, plan: FaultPlan) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def log_message(self, format: str, *args: object) -> None:
            return

        def do_GET(self) -> None:
            fault = plan.next_fault(self.path)
            if fault and fault.isdigit():
                self._send(int(fault), b'{"error": "injected"}')
                return
            if fault == "timeout":
                time.sleep(plan.delay)
            file = (root / self.path.lstrip("/")).resolve()
            if root not in file.parents or not file.is_file():
                self._send(404, b"Not Found")
                return
            body = file.read_bytes()
            if fault == "truncate":
                self.send_response(200)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body[: len(body) // 3])
                self.wfile.flush()
                self.close_connection = True
                return
            if fault == "garbled":
                body = body[: len(body) // 3]
            self._send(200, body)

        def _send(self, status: int, body: bytes) -> None:
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

    return Handler


@contextmanager
def serve(handler: type[BaseHTTPRequestHandler]) -> Iterator[str]:
    """Run `handler` on a free loopback port; yields the base URL."""
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    server.daemon_threads = True
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()


@contextmanager
def serve_folder(root: Path) -> Iterator[tuple[str, FaultPlan]]:
    """Serve `root` (the folder that contains github/) on a free loopback port."""
    plan = FaultPlan()
    with serve(make_handler(root.resolve(), plan)) as url:
        yield url, plan
