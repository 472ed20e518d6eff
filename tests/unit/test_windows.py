"""choose_window (queries/windows.py) is pure: the window a command or page works on, from the
text given and the data's range."""

from __future__ import annotations

import pytest

from nichegraph.errors import BadParameter
from nichegraph.months import Window
from nichegraph.queries.windows import ALL, CLIP, INSIDE, OVERLAP, choose_window

DATA = Window("2015-01", "2023-03")


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("1999-01:2999-12", Window("2015-01", "2023-03")),  # both ends cut to the data
        ("2022-04:2031-12", Window("2022-04", "2023-03")),
        ("2010-06:2015-01", Window("2015-01", "2015-01")),  # one month in common
        ("2020-01:2020-06", Window("2020-01", "2020-06")),  # inside: unchanged
        ("2023-03", Window("2023-03", "2023-03")),
    ],
)
def test_pages_clip_a_window_to_the_data(text: str, expected: Window) -> None:
    assert choose_window(text, DATA, what="window", fit=CLIP) == expected


@pytest.mark.parametrize("text", ["2030-01:2030-12", "0001-01:2014-12"])
def test_a_window_without_data_is_refused_when_clipping(text: str) -> None:
    with pytest.raises(BadParameter, match=r"^window: .* has no data; the data covers 2015-01..2023-03"):
        choose_window(text, DATA, what="window", fit=CLIP)


def test_other_fits_keep_their_rules() -> None:
    assert choose_window("1999-01:2999-12", DATA, fit=OVERLAP) == Window("1999-01", "2999-12")
    with pytest.raises(BadParameter, match="reaches outside the loaded data"):
        choose_window("1999-01:2999-12", DATA, fit=INSIDE)
    assert choose_window(None, DATA, fit=CLIP) == Window("2022-04", "2023-03")
    assert choose_window(None, DATA, default=ALL, fit=CLIP) == DATA


@pytest.mark.parametrize("text", ["2023-03:2021-01", "1999-13:2000-01", "nonsense", "1:2:3"])
def test_bad_windows_are_refused_before_clipping(text: str) -> None:
    with pytest.raises(BadParameter, match=r"^window: "):
        choose_window(text, DATA, what="window", fit=CLIP)
