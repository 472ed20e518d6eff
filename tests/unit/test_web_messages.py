"""Errors raised by the analyses name options the command line's way; the explorer says the
URL parameter's name instead, and leaves every other message as it is."""

from __future__ import annotations

import pytest

from nichegraph.web.app import in_url_terms


@pytest.mark.parametrize(
    ("message", "expected"),
    [
        (
            "--quiet-months: 7 is longer than the window 2022-01:2022-06",
            "quiet_months: 7 is longer than the window 2022-01:2022-06",
        ),
        ("--domain: 'x' is no landscape domain", "domain: 'x' is no landscape domain"),
        # only a leading option is a parameter name; one inside the text is advice and stays
        ("window: use --window A:B or --quiet-months: N", "window: use --window A:B or --quiet-months: N"),
        ("no computed OpenRank for 2022-01", "no computed OpenRank for 2022-01"),
        ("--: nothing", "--: nothing"),
    ],
)
def test_a_leading_command_line_option_becomes_the_url_parameter(message: str, expected: str) -> None:
    assert in_url_terms(message) == expected
