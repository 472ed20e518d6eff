"""What the graph must hold, computed straight from the JSON files with the standard
library: an independent reading, sharing no code with the loader."""

from __future__ import annotations

import csv
import json
import math
import re
from dataclasses import dataclass, field
from pathlib import Path

MONTH = re.compile(r"^\d{4}-\d{2}$")


@dataclass
class Expected:
    rows_in: int = 0
    # (lower-case login, repo, month) -> activity
    contributions: dict[tuple[str, str, str], float] = field(default_factory=dict)
    # lower-case login -> set of casings seen
    casings: dict[str, set[str]] = field(default_factory=dict)
    # (repo, month) -> {metric file stem: value}
    series: dict[tuple[str, str], dict[str, float]] = field(default_factory=dict)

    @property
    def developers(self) -> set[str]:
        return set(self.casings)

    @property
    def repeats(self) -> int:
        return self.rows_in - len(self.contributions)


def read_expected(folder: Path, repos: list[str], first: str = "0000-00", last: str = "9999-99") -> Expected:
    root = folder / "github" if (folder / "github").is_dir() else folder
    expected = Expected()
    squares: dict[tuple[str, str, str], float] = {}
    for repo in repos:
        details = root / repo / "activity_details.json"
        for month, rows in json.loads(details.read_text()).items():
            if not MONTH.match(month) or not first <= month <= last:
                continue
            for login, score in rows:
                expected.rows_in += 1
                key = (login.lower(), repo, month)
                squares[key] = squares.get(key, 0.0) + score * score
                expected.casings.setdefault(login.lower(), set()).add(login)
        for path in (root / repo).glob("*.json"):
            if path.stem in {"activity_details", "meta"}:
                continue
            for month, value in json.loads(path.read_text()).items():
                if MONTH.match(month) and first <= month <= last:
                    expected.series.setdefault((repo, month), {})[path.stem] = value
    expected.contributions = {key: math.sqrt(total) for key, total in squares.items()}
    return expected


def landscape_rows(path: Path) -> list[dict[str, str]]:
    """A landscape CSV's rows read with the standard library (UTF-8, else GB18030)."""
    data = path.read_bytes()
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        text = data.decode("gb18030", errors="replace")
    return list(csv.DictReader(text.splitlines()))
