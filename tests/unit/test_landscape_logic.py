"""Pure logic of the landscape work (no Neo4j): the treemap layout, the agreement tables,
reading OpenRank series, and the default windows when series outrun the activity data."""

from __future__ import annotations

import itertools
import math
from pathlib import Path

import pytest

from nichegraph.analysis.agreement import compare
from nichegraph.analysis.figure import Box, Tile, lay_out, squarify, trend_class
from nichegraph.loader.series import read_series, series_file
from nichegraph.queries.windows import ALL, LAST12, DataRange, default_window


def area(rect: tuple[float, float, float, float]) -> float:
    return rect[2] * rect[3]


def overlap(a: tuple[float, ...], b: tuple[float, ...]) -> float:
    width = min(a[0] + a[2], b[0] + b[2]) - max(a[0], b[0])
    height = min(a[1] + a[3], b[1] + b[3]) - max(a[1], b[1])
    return max(0.0, width) * max(0.0, height)


@pytest.mark.parametrize("values", [[6, 6, 4, 3, 2, 2, 1], [1], [5, 5], [100, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1], [3, 1, 2]])
def test_squarify_tiles_the_rectangle_in_proportion(values: list[float]) -> None:
    rects = squarify(values, 0.1, 0.2, 3.0, 2.0)
    total = sum(values)
    for value, rect in zip(values, rects, strict=True):
        assert area(rect) == pytest.approx(6.0 * value / total)
        assert rect[0] >= 0.1 - 1e-9 and rect[1] >= 0.2 - 1e-9
        assert rect[0] + rect[2] <= 3.1 + 1e-9 and rect[1] + rect[3] <= 2.2 + 1e-9
    for a, b in itertools.combinations(rects, 2):
        assert overlap(a, b) == pytest.approx(0.0, abs=1e-12)
    assert sum(map(area, rects)) == pytest.approx(6.0)


def test_squarified_tiles_are_not_slivers() -> None:
    rects = squarify([6, 6, 4, 3, 2, 2, 1], 0, 0, 6, 4)  # the example of Bruls et al.
    assert max(max(w / h, h / w) for _, _, w, h in rects) < 3.0


def test_boxes_hold_their_tiles_and_every_project_stays_visible() -> None:
    boxes = [
        Box("big", [Tile("a/a", 900.0, 0.2, "up1", "x"), Tile("a/b", None, None, "unknown", "x")]),
        Box("small", [Tile("b/a", 3.0, None, "new", "x"), Tile("b/b", 1.0, -0.6, "down2", "x")]),
    ]
    lay_out(boxes, 0.0, 0.0, 1.0, 1.0)
    assert overlap(boxes[0].rect, boxes[1].rect) == pytest.approx(0.0, abs=1e-12)
    for box in boxes:
        for tile in box.tiles:
            assert overlap(tile.rect, box.rect) == pytest.approx(area(tile.rect))
            assert area(tile.rect) > 0  # a project without OpenRank still gets a tile


def test_trend_classes() -> None:
    assert [trend_class(c, True) for c in (0.8, 0.2, 0.0, -0.2, -0.7)] == ["up2", "up1", "flat", "down1", "down2"]
    assert trend_class(None, False) == "new" and trend_class(None, True) == "unknown"


def project(repo: str, niche: str | None, domain: str) -> dict[str, object]:
    return {"repo": repo, "niche": niche, "number": int(niche[1:]) if niche else None, "label": niche, "domain": domain}


def test_agreement_by_hand() -> None:
    # two domains; the niche n1 holds all of A and one of B; one B project is unassigned
    projects = [
        project("x/1", "n1", "A"),
        project("x/2", "n1", "A"),
        project("x/3", "n1", "B"),
        project("x/4", "n2", "B"),
        project("x/5", "n2", "B"),
        project("x/6", None, "B"),
    ]
    result = compare("network:x", "hand", "domain", projects, {})
    # by hand: hand A(2) B(4); detected n1(3) n2(2) alone(1); joint A-n1 2, B-n1 1, B-n2 2, B-alone 1
    n = 6
    joint = {("A", "n1"): 2, ("B", "n1"): 1, ("B", "n2"): 2, ("B", "u"): 1}
    hand, found = {"A": 2, "B": 4}, {"n1": 3, "n2": 2, "u": 1}
    mutual = sum(c / n * math.log(c * n / (hand[h] * found[f])) for (h, f), c in joint.items())
    entropy = sum(-c / n * math.log(c / n) for c in [*hand.values(), *found.values()])
    assert result.nmi == pytest.approx(2 * mutual / entropy)
    assert (result.niches, result.unassigned, result.domains) == (2, 1, 2)
    assert result.splits == [
        {
            "domain": "B",
            "size": 4,
            "niches": [
                {"niche": "n2", "number": 2, "label": "n2", "projects": 2},
                {"niche": "n1", "number": 1, "label": "n1", "projects": 1},
            ],
            "unassigned": ["x/6"],
        }
    ]
    assert result.merges == [
        {
            "niche": "n1",
            "number": 1,
            "label": "n1",
            "size": 3,
            "domains": [{"domain": "A", "projects": 2}, {"domain": "B", "projects": 1}],
        }
    ]
    same = compare("w", "hand", "domain", [project("x/1", "n1", "A"), project("x/2", "n2", "B")], {})
    assert (same.nmi, same.ari, same.splits, same.merges) == (1.0, 1.0, [], [])


def test_series_files(tmp_path: Path) -> None:
    path = tmp_path / "s.csv"
    path.write_text(
        "month,repo_id,repo_name,openrank\n"
        "2022-10-01,1,old/name,3.5\n"
        "2022-11,1,new/name,4\n"
        "2022-11,1,new/name,5\n"
        "2022-13,2,x/y,1\n"
        "2022-12,abc,x/y,1\n"
        "2022-12,3,not a repo,1\n"
        "2022-12,4,x/y,-1\n"
        "2022-12,5,x/z,many\n"
    )
    assert series_file(path)
    load = read_series(path)
    assert load.values == {"1": {"2022-10": 3.5, "2022-11": 4.0}}
    assert load.latest_names() == {"1": "new/name"}
    assert [problem.split(": ", 1)[1] for problem in load.bad_rows] == [
        "2022-11 of repo_id 1 is listed twice; the first row is kept",
        "month '2022-13' is not YYYY-MM (or YYYY-MM-01)",
        "repo_id 'abc' is not a GitHub repository id",
        "repo_name 'not a repo' is not owner/repo",
        "openrank -1 must be a number >= 0",
        "openrank 'many' is not a number",
    ]
    assert load.bad_rows[0].startswith("s.csv row 4:")
    other = tmp_path / "o.csv"
    other.write_text("repo,domain\na/b,X\n")
    assert not series_file(other)


def test_default_windows_stay_on_the_activity_months() -> None:
    data = DataRange("2016-04", "2024-09", "2020-04", "2023-03")
    assert str(default_window(data, LAST12)) == "2022-04:2023-03"
    assert str(default_window(data, ALL)) == "2020-04:2023-03"
    only_series = DataRange("2016-04", "2024-09")
    assert str(default_window(only_series, LAST12)) == "2023-10:2024-09"
