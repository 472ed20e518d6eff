"""The explorer's page cache: a least-recently-used store with a limit on entries and on
(approximate) bytes, emptied when the data changes.

Keys are built by the pages from normalised parameters (the resolved window, canonical and
sorted project names, clamped sizes), never from the raw URL. Whether the data changed is
decided by a cheap version stamp read from the graph (the `data_version` library query: the
latest load, niche, relation and OpenRank runs, label sets, networks and metadata), at most
once per `check_every` seconds; a new stamp empties the cache."""

from __future__ import annotations

import dataclasses
import math
import sys
import threading
import time
from collections import OrderedDict
from collections.abc import Callable, Hashable
from typing import Any

# containers nested deeper than this are counted by their own size only (pages hold a few levels)
MAX_DEPTH = 12


def approximate_bytes(value: Any, depth: int = 0) -> int:
    """About what `value` holds in memory: its own size plus its contents', walked through
    dicts, lists, tuples, sets and dataclasses (shared objects counted once per reference)."""
    size = sys.getsizeof(value)
    if depth >= MAX_DEPTH:
        return size
    if isinstance(value, dict):
        return size + sum(approximate_bytes(k, depth + 1) + approximate_bytes(v, depth + 1) for k, v in value.items())
    if isinstance(value, list | tuple | set | frozenset):
        return size + sum(approximate_bytes(item, depth + 1) for item in value)
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return size + sum(approximate_bytes(getattr(value, f.name), depth + 1) for f in dataclasses.fields(value))
    nbytes = getattr(value, "nbytes", None)  # numpy arrays
    if isinstance(nbytes, int):
        return size + nbytes
    return size


@dataclasses.dataclass
class CacheStats:
    hits: int = 0
    misses: int = 0
    evictions: int = 0
    invalidations: int = 0

    def to_dict(self) -> dict[str, int]:
        return dataclasses.asdict(self)


class PageCache:
    """Thread-safe LRU of computed page data.

    `stamp` returns the data's version (any comparable value; None when it cannot be read, which
    keeps what is cached); it is called at most once per `check_every` seconds by whichever
    request comes first. An entry older than `max_age` seconds is computed again (a net for
    writes that leave no trace in the stamp). `measure` gives an entry's size in bytes."""

    def __init__(
        self,
        max_entries: int,
        max_bytes: int,
        stamp: Callable[[], Hashable],
        check_every: float = 1.0,
        max_age: float = math.inf,
        clock: Callable[[], float] = time.monotonic,
        measure: Callable[[Any], int] = approximate_bytes,
    ) -> None:
        if max_entries < 1 or max_bytes < 0:
            raise ValueError("a page cache holds at least one entry and no negative number of bytes (0: nothing)")
        self.max_entries = max_entries
        self.max_bytes = max_bytes
        self.check_every = check_every
        self.max_age = max_age
        self.stats = CacheStats()
        self._stamp = stamp
        self._clock = clock
        self._measure = measure
        # key -> (value, bytes, when stored)
        self._entries: OrderedDict[Hashable, tuple[Any, int, float]] = OrderedDict()
        self._bytes = 0
        self._version: Hashable = None
        self._checked_at = -float("inf")
        self._lock = threading.Lock()
        self._checking = threading.Lock()

    # --- what is held ------------------------------------------------------------------------

    def __len__(self) -> int:
        return len(self._entries)

    def __contains__(self, key: Hashable) -> bool:
        return key in self._entries

    @property
    def bytes(self) -> int:
        return self._bytes

    def in_use_order(self) -> list[Hashable]:
        """Keys from the least to the most recently used."""
        with self._lock:
            return list(self._entries)

    # --- use ---------------------------------------------------------------------------------

    def get(self, key: Hashable, compute: Callable[[], Any]) -> Any:
        """The cached value of `key`, or `compute()`'s, stored. Two requests missing the same key
        at once both compute it (no request waits for another's work)."""
        self.check_version()
        with self._lock:
            hit = self._entries.get(key)
            if hit is not None and self._clock() - hit[2] < self.max_age:
                self._entries.move_to_end(key)
                self.stats.hits += 1
                return hit[0]
            self.stats.misses += 1
            version = self._version
        value = compute()
        self.put(key, value, version)
        return value

    def put(self, key: Hashable, value: Any, version: Hashable = None) -> None:
        """Store `value` (computed under data `version`: a value computed before the data changed
        is not kept); the least recently used entries go until both limits hold."""
        size = self._measure(value)
        with self._lock:
            if version != self._version:
                return
            if key in self._entries:
                self._bytes -= self._entries.pop(key)[1]
            if size > self.max_bytes:
                return
            self._entries[key] = (value, size, self._clock())
            self._bytes += size
            while len(self._entries) > self.max_entries or self._bytes > self.max_bytes:
                _key, (_value, dropped, _when) = self._entries.popitem(last=False)
                self._bytes -= dropped
                self.stats.evictions += 1

    def clear(self) -> None:
        with self._lock:
            self._entries.clear()
            self._bytes = 0

    def check_version(self) -> None:
        """Read the data's version if the last read is older than `check_every` seconds and
        empty the cache when it changed. One request reads it; the others go on meanwhile."""
        if self._clock() - self._checked_at < self.check_every:
            return
        if not self._checking.acquire(blocking=False):
            return
        try:
            version = self._stamp()
            self._checked_at = self._clock()
            if version is None:
                return
            with self._lock:
                if version != self._version:
                    if self._entries:
                        self.stats.invalidations += 1
                    self._entries.clear()
                    self._bytes = 0
                    self._version = version
        finally:
            self._checking.release()
