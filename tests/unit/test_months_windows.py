"""Months as 'YYYY-MM' strings, windows, and the one helper that picks a command's, an
analysis's or a page's window (queries/windows.choose_window)."""

from __future__ import annotations

import pytest

from nichegraph.errors import BadParameter
from nichegraph.months import (
    Window,
    add_months,
    check_month,
    is_month,
    month_from_index,
    month_index,
    month_range,
    parse_window,
)
from nichegraph.queries.windows import ALL, ANY, INSIDE, NO_DATA, OVERLAP, choose_window, default_window

DATA = Window("2015-01", "2023-03")  # the range of the top-300 snapshot


@pytest.mark.parametrize("text", ["2022-01", "1999-12", "0001-10"])
def test_months(text: str) -> None:
    assert is_month(text) and check_month(text) == text


@pytest.mark.parametrize("value", ["2022-1", "2022-13", "2022-00", "22-01", "2022-01-01", " 2022-01", 202201, None])
def test_not_months(value: object) -> None:
    assert not is_month(value)


def test_check_month_names_what_was_wrong() -> None:
    with pytest.raises(BadParameter, match=r"^--months: '2022-13' is not a month in YYYY-MM form$"):
        check_month("2022-13", "--months")


def test_month_arithmetic_across_years() -> None:
    # 2022-01 is 2022 * 12 + 0 months after year 0
    assert month_index("2022-01") == 2022 * 12
    assert month_index("2023-03") - month_index("2022-04") == 11
    assert month_from_index(2022 * 12 + 11) == "2022-12"
    assert add_months("2022-11", 3) == "2023-02"
    assert add_months("2023-02", -14) == "2021-12"
    assert list(month_range("2022-11", "2023-02")) == ["2022-11", "2022-12", "2023-01", "2023-02"]
    assert list(month_range("2023-02", "2023-01")) == []


def test_window() -> None:
    window = Window("2022-04", "2023-03")
    assert str(window) == "2022-04:2023-03" and window.length == 12
    assert window.months()[0] == "2022-04" and window.months()[-1] == "2023-03" and len(window.months()) == 12
    assert "2022-04" in window and "2023-03" in window
    assert "2022-03" not in window and "2023-04" not in window and 202205 not in window
    assert Window.ending("2023-03") == window
    assert Window.ending("2023-03", 3) == Window("2023-01", "2023-03")


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2022-04:2023-03", Window("2022-04", "2023-03")),
        ("2022-04", Window("2022-04", "2022-04")),  # one month
        (" 2022-04 : 2023-03 ", Window("2022-04", "2023-03")),
    ],
)
def test_parse_window(text: str, expected: Window) -> None:
    assert parse_window(text) == expected


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("2023-03:2022-04", "--window: '2023-03:2022-04' is reversed; the first month must not be after the last"),
        ("2022-13:2023-01", "--window: '2022-13' is not a month in YYYY-MM form"),
        ("2022-01:2023-1", "--window: '2023-1' is not a month in YYYY-MM form"),
        ("2022-01:2022-02:2022-03", "--window: '2022-01:2022-02:2022-03' is not a window; write FIRST:LAST"),
        ("", "--window: '' is not a month in YYYY-MM form"),
    ],
)
def test_parse_window_refuses(text: str, message: str) -> None:
    with pytest.raises(BadParameter) as error:
        parse_window(text)
    assert str(error.value).startswith(message)


def test_parse_window_names_the_flag_it_was_given_for() -> None:
    with pytest.raises(BadParameter, match=r"^window: '2023-03:2022-04' is reversed"):
        parse_window("2023-03:2022-04", "window")


# --- the default window and the checks against the data ------------------------------------


def test_the_default_is_the_last_twelve_months_of_the_data() -> None:
    assert choose_window(None, DATA) == Window("2022-04", "2023-03")
    assert choose_window("", DATA) == Window("2022-04", "2023-03")
    assert default_window(DATA) == Window("2022-04", "2023-03")


def test_shorter_data_gives_a_shorter_default() -> None:
    assert choose_window(None, Window("2022-10", "2023-03")) == Window("2022-10", "2023-03")


def test_the_whole_range_when_asked() -> None:
    assert choose_window(None, DATA, default=ALL) == DATA


def test_no_data_and_no_window_is_an_error_naming_the_flag() -> None:
    with pytest.raises(BadParameter) as error:
        choose_window(None, None, what="--months")
    assert str(error.value) == f"--months: {NO_DATA}"


@pytest.mark.parametrize("fit", [ANY, OVERLAP, INSIDE])
def test_a_window_is_taken_as_given_without_data(fit: str) -> None:
    assert choose_window("2030-01:2030-02", None, fit=fit) == Window("2030-01", "2030-02")


def test_any_takes_a_window_outside_the_data() -> None:
    assert choose_window("2030-01:2030-12", DATA, fit=ANY) == Window("2030-01", "2030-12")


def test_overlap_takes_a_window_reaching_past_the_data() -> None:
    assert choose_window("2022-06:2024-01", DATA, fit=OVERLAP) == Window("2022-06", "2024-01")
    assert choose_window("2014-01:2015-01", DATA, fit=OVERLAP) == Window("2014-01", "2015-01")


@pytest.mark.parametrize("text", ["2030-01:2030-12", "2014-01:2014-12"])
def test_overlap_refuses_a_window_without_data(text: str) -> None:
    with pytest.raises(BadParameter) as error:
        choose_window(text, DATA, what="window", fit=OVERLAP)
    assert str(error.value) == f"window: {text} has no data; the data covers 2015-01..2023-03"


@pytest.mark.parametrize("text", ["2014-12:2015-06", "2023-01:2023-04"])
def test_inside_refuses_a_window_reaching_outside(text: str) -> None:
    with pytest.raises(BadParameter) as error:
        choose_window(text, DATA, what="--months", fit=INSIDE)
    assert str(error.value) == f"--months: {text} reaches outside the loaded data, which covers 2015-01:2023-03"


def test_inside_takes_the_whole_range() -> None:
    assert choose_window("2015-01:2023-03", DATA, fit=INSIDE) == DATA


def test_a_malformed_window_is_refused_before_any_check_against_the_data() -> None:
    with pytest.raises(BadParameter, match=r"^--window: '2023-03:2022-04' is reversed"):
        choose_window("2023-03:2022-04", DATA, fit=INSIDE)
