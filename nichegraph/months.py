"""Calendar months as 'YYYY-MM' strings, the unit of every series in the graph.

Months stay strings end to end (graph properties, JSON, CSV) because their lexical
order is their calendar order and a person can read them in Neo4j Browser.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass

from nichegraph.errors import BadParameter

_MONTH = re.compile(r"^(\d{4})-(0[1-9]|1[0-2])$")


def is_month(value: object) -> bool:
    return isinstance(value, str) and _MONTH.match(value) is not None


def check_month(value: str, what: str = "month") -> str:
    if not is_month(value):
        raise BadParameter(f"{what}: {value!r} is not a month in YYYY-MM form")
    return value


def month_index(month: str) -> int:
    """Months since year 0: differences of indexes are month distances."""
    year, mon = month.split("-")
    return int(year) * 12 + int(mon) - 1


def month_from_index(index: int) -> str:
    return f"{index // 12:04d}-{index % 12 + 1:02d}"


def add_months(month: str, count: int) -> str:
    return month_from_index(month_index(month) + count)


def month_range(first: str, last: str) -> Iterator[str]:
    for index in range(month_index(first), month_index(last) + 1):
        yield month_from_index(index)


@dataclass(frozen=True)
class Window:
    """An inclusive range of months, written 'A:B' on the command line."""

    first: str
    last: str

    def __str__(self) -> str:
        return f"{self.first}:{self.last}"

    def __contains__(self, month: object) -> bool:
        return isinstance(month, str) and self.first <= month <= self.last

    @property
    def length(self) -> int:
        return month_index(self.last) - month_index(self.first) + 1

    def months(self) -> list[str]:
        return list(month_range(self.first, self.last))

    @classmethod
    def ending(cls, last: str, length: int = 12) -> Window:
        return cls(add_months(last, -(length - 1)), last)


def parse_window(text: str, what: str = "--window") -> Window:
    """Parse 'A:B' (or a single month 'A') into a Window; name the flag when it is wrong."""
    parts = text.split(":")
    if len(parts) == 1:
        parts = [parts[0], parts[0]]
    if len(parts) != 2:
        raise BadParameter(f"{what}: {text!r} is not a window; write FIRST:LAST, e.g. 2022-04:2023-03")
    first = check_month(parts[0].strip(), what)
    last = check_month(parts[1].strip(), what)
    if first > last:
        raise BadParameter(f"{what}: {text!r} is reversed; the first month must not be after the last")
    return Window(first, last)
