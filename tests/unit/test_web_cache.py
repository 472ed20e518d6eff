"""The explorer's page cache (web/cache.py): its limits, its eviction order, its invalidation
when the data's version changes, and the comparison's order-free key (web/views/compare.py)."""

from __future__ import annotations

from collections.abc import Hashable
from typing import Any

import pytest

from nichegraph.web.cache import PageCache, approximate_bytes
from nichegraph.web.views.compare import in_order


class Clock:
    def __init__(self) -> None:
        self.now = 100.0

    def __call__(self) -> float:
        return self.now


class Versions:
    """The data version a cache reads: set by the test, with the number of reads counted."""

    def __init__(self, version: Hashable = "v1") -> None:
        self.version = version
        self.reads = 0

    def __call__(self) -> Hashable:
        self.reads += 1
        return self.version


def make(max_entries: int = 10, max_bytes: int = 1000, **options: Any) -> tuple[PageCache, Versions, Clock]:
    versions, clock = Versions(), Clock()
    cache = PageCache(max_entries, max_bytes, versions, clock=clock, measure=lambda value: value["bytes"], **options)
    return cache, versions, clock


def entry(name: str, size: int = 10) -> dict[str, Any]:
    return {"name": name, "bytes": size}


def fill(cache: PageCache, *names: str, size: int = 10) -> None:
    for name in names:
        cache.get(name, lambda name=name: entry(name, size))


def test_a_second_get_is_served_from_the_cache() -> None:
    cache, _versions, _clock = make()
    calls = []
    compute = lambda: calls.append(1) or entry("a")  # noqa: E731
    first, second = cache.get("a", compute), cache.get("a", compute)
    assert first is second and calls == [1]
    assert (cache.stats.hits, cache.stats.misses) == (1, 1)


def test_the_entry_limit_drops_the_least_recently_used() -> None:
    cache, _versions, _clock = make(max_entries=3)
    fill(cache, "a", "b", "c")
    cache.get("a", lambda: pytest.fail("a is cached"))  # a is now the most recently used
    fill(cache, "d")
    assert cache.in_use_order() == ["c", "a", "d"] and len(cache) == 3
    assert "b" not in cache and cache.stats.evictions == 1


def test_the_byte_limit_drops_entries_until_it_holds() -> None:
    cache, _versions, _clock = make(max_bytes=100)
    fill(cache, "a", "b", "c", size=30)
    assert cache.bytes == 90
    cache.get("d", lambda: entry("d", 50))
    # a and b had to go: 30 + 50 = 80 fits, 30 + 30 + 50 does not
    assert cache.in_use_order() == ["c", "d"] and cache.bytes == 80
    # a value larger than the whole cache is answered but not kept
    assert cache.get("huge", lambda: entry("huge", 101))["name"] == "huge"
    assert "huge" not in cache and cache.in_use_order() == ["c", "d"]


def test_a_cache_of_zero_bytes_keeps_nothing() -> None:
    cache, _versions, _clock = make(max_bytes=0)
    fill(cache, "a")
    assert len(cache) == 0 and cache.bytes == 0


def test_a_new_data_version_empties_the_cache() -> None:
    cache, versions, clock = make()
    fill(cache, "a", "b")
    assert versions.reads == 1
    versions.version = "v2"
    clock.now += 0.5
    fill(cache, "a")  # within the second: the version is not read again
    assert versions.reads == 1 and cache.stats.hits == 1
    clock.now += 1.0
    fill(cache, "a")
    assert versions.reads == 2 and cache.in_use_order() == ["a"] and cache.stats.invalidations == 1


def test_an_unchanged_version_keeps_everything() -> None:
    cache, versions, clock = make()
    fill(cache, "a", "b")
    clock.now += 5
    fill(cache, "a")
    assert versions.reads == 2 and cache.in_use_order() == ["b", "a"] and cache.stats.invalidations == 0


def test_a_version_that_cannot_be_read_keeps_what_is_cached() -> None:
    cache, versions, clock = make()
    fill(cache, "a")
    versions.version = None
    clock.now += 2
    fill(cache, "a")
    assert cache.stats.hits == 1 and cache.in_use_order() == ["a"]


def test_a_value_computed_across_a_data_change_is_not_kept() -> None:
    cache, versions, clock = make()

    def compute() -> dict[str, Any]:
        # the data changes while the page is being computed
        versions.version = "v2"
        clock.now += 2
        cache.check_version()
        return entry("a")

    cache.get("a", compute)
    assert "a" not in cache


def test_entries_older_than_the_maximum_age_are_computed_again() -> None:
    cache, _versions, clock = make(max_age=60)
    fill(cache, "a")
    clock.now += 59
    fill(cache, "a")
    assert cache.stats.misses == 1
    clock.now += 2
    fill(cache, "a")
    assert cache.stats.misses == 2 and len(cache) == 1


def test_bad_limits_are_refused() -> None:
    with pytest.raises(ValueError, match="at least one entry"):
        PageCache(0, 10, lambda: "v")
    with pytest.raises(ValueError, match="negative"):
        PageCache(10, -1, lambda: "v")


def test_sizes_grow_with_what_a_value_holds() -> None:
    small = {"nodes": [{"repo": "a/b", "openrank": 1.5}]}
    large = {"nodes": [{"repo": f"owner/repo{i}", "openrank": float(i)} for i in range(1000)]}
    assert 0 < approximate_bytes(small) < approximate_bytes(large)
    # 1000 dicts of two entries: well over 100 bytes each
    assert approximate_bytes(large) > 100 * 1000


# --- the comparison's key: sorted names, the asked order restored ------------------------------


def comparison(order: list[str]) -> dict[str, Any]:
    return {
        "selection": {"repos": order},
        "withoutDeveloperData": [order[-1]],
        "projects": [{"repo": repo, "meanOpenrank": len(repo)} for repo in order],
        "rows": [{"repo": repo} for repo in order],
        "shared": [{"a": "a/x", "b": "c/z", "shared": 3}],
        "curves": {"selection": {"repos": order}, "shown": ["c/z", "a/x"]},
    }


def test_a_comparison_cached_for_sorted_names_comes_back_in_the_asked_order() -> None:
    stored = comparison(["a/x", "b/y", "c/z"])
    shown = in_order(stored, ["c/z", "a/x", "b/y"])
    assert [p["repo"] for p in shown["projects"]] == ["c/z", "a/x", "b/y"]
    assert [r["repo"] for r in shown["rows"]] == ["c/z", "a/x", "b/y"]
    assert shown["selection"] == shown["curves"]["selection"] == {"repos": ["c/z", "a/x", "b/y"]}
    # what does not depend on the order stays as computed
    assert shown["shared"] == stored["shared"] and shown["curves"]["shown"] == ["c/z", "a/x"]
    # the cached comparison itself is not changed
    assert stored == comparison(["a/x", "b/y", "c/z"])
