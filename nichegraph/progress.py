"""Progress for long work: one live line on a terminal, plain log lines otherwise."""

from __future__ import annotations

import sys
import threading
import time
from typing import TextIO


def format_duration(seconds: float) -> str:
    seconds = max(0, round(seconds))
    minutes, secs = divmod(seconds, 60)
    hours, minutes = divmod(minutes, 60)
    return f"{hours}:{minutes:02d}:{secs:02d}" if hours else f"{minutes}:{secs:02d}"


class Progress:
    """Counts items and rows. On a TTY it redraws one status line at most 5 times a
    second; otherwise `item_done` prints one line per item so logs stay readable."""

    def __init__(
        self,
        total: int | None,
        unit: str = "repos",
        stream: TextIO | None = None,
        live: bool | None = None,
        quiet: bool = False,
    ) -> None:
        self.total = total
        self.unit = unit
        self.stream = stream or sys.stderr
        self.live = self.stream.isatty() if live is None else live
        self.quiet = quiet
        self.done = 0
        self.failed = 0
        self.rows = 0
        self.started = time.monotonic()
        self._last_draw = 0.0
        self._lock = threading.Lock()

    @property
    def elapsed(self) -> float:
        return time.monotonic() - self.started

    def rate(self) -> float:
        return self.rows / self.elapsed if self.elapsed > 0 else 0.0

    def eta(self) -> float | None:
        if not self.total or not self.done:
            return None
        return self.elapsed / self.done * (self.total - self.done - self.failed)

    def status_line(self) -> str:
        total = f"/{self.total}" if self.total else ""
        failed = f" ({self.failed} failed)" if self.failed else ""
        eta = self.eta()
        eta_text = f" · ETA {format_duration(eta)}" if eta is not None else ""
        return (
            f"{self.unit} {self.done}{total}{failed} · {self.rows:,} rows · "
            f"{self.rate():,.0f} rows/s · {format_duration(self.elapsed)}{eta_text}"
        )

    def item_done(self, name: str, rows: int, detail: str = "") -> None:
        with self._lock:
            self.done += 1
            self.rows += rows
            if self.quiet:
                return
            if self.live:
                self._draw()
            else:
                suffix = f" {detail}" if detail else ""
                self._print(
                    f"[{self.done}{'/' + str(self.total) if self.total else ''}] "
                    f"{name}: {rows:,} rows{suffix} ({format_duration(self.elapsed)})"
                )

    def item_failed(self, name: str, message: str) -> None:
        with self._lock:
            self.failed += 1
            if not self.quiet:
                self._print(f"skipped {name}: {message}")
                if self.live:
                    self._draw(force=True)

    def note(self, message: str) -> None:
        with self._lock:
            if not self.quiet:
                self._print(message)

    def _draw(self, force: bool = False) -> None:
        now = time.monotonic()
        if force or now - self._last_draw >= 0.2:
            self._last_draw = now
            self.stream.write("\r\x1b[2K" + self.status_line())
            self.stream.flush()

    def _print(self, line: str) -> None:
        if self.live:
            self.stream.write("\r\x1b[2K")
        self.stream.write(line + "\n")
        if self.live:
            self.stream.write(self.status_line())
        self.stream.flush()

    def finish(self) -> None:
        with self._lock:
            if self.live and not self.quiet:
                self.stream.write("\r\x1b[2K" + self.status_line() + "\n")
                self.stream.flush()
