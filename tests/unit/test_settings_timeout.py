"""NICHEGRAPH_QUERY_TIMEOUT: the explorer's read transaction timeout (nichegraph/config.py)."""

from __future__ import annotations

import pytest

from nichegraph.config import DEFAULT_QUERY_TIMEOUT, Settings
from nichegraph.errors import BadParameter


def test_default_and_given(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("NICHEGRAPH_QUERY_TIMEOUT", raising=False)
    assert Settings.from_env().query_timeout == DEFAULT_QUERY_TIMEOUT == 5.0
    monkeypatch.setenv("NICHEGRAPH_QUERY_TIMEOUT", "2.5")
    assert Settings.from_env().query_timeout == 2.5


@pytest.mark.parametrize("text", ["0", "-1", "abc", "nan", "inf", "3601"])
def test_bad_values_name_the_variable(monkeypatch: pytest.MonkeyPatch, text: str) -> None:
    monkeypatch.setenv("NICHEGRAPH_QUERY_TIMEOUT", text)
    with pytest.raises(BadParameter, match=f"^NICHEGRAPH_QUERY_TIMEOUT: '{text}' is not a number of seconds"):
        Settings.from_env()
