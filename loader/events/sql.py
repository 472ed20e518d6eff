"""The SQL texts in this folder, how they are put together, and how parameters are written.

Every statement reads the events through one relation named `events`: a layout view
(`layout_xlab.sql` or `layout_github_events.sql`) placed in front as a common table expression.
So the text that runs over GH Archive files imported into chdb is, byte for byte, the text a
ClickHouse server holding X-lab's `opensource.events` receives. Values always travel as
ClickHouse query parameters (`{name:Type}`), never inside the text.
"""

from __future__ import annotations

from datetime import date
from functools import cache
from pathlib import Path
from typing import Any

from nichegraph.months import Window, add_months

HERE = Path(__file__).parent

XLAB = "xlab"
GITHUB_EVENTS = "github_events"
LAYOUTS = (XLAB, GITHUB_EVENTS)

# the columns each layout view reads (a server table must have them all)
LAYOUT_COLUMNS: dict[str, tuple[str, ...]] = {
    XLAB: (
        "platform",
        "type",
        "action",
        "actor_id",
        "actor_login",
        "repo_id",
        "repo_name",
        "created_at",
        "issue_id",
        "issue_author_id",
        "issue_author_login",
        "issue_comment_id",
        "pull_review_comment_id",
        "pull_merged",
    ),
    GITHUB_EVENTS: (
        "event_type",
        "action",
        "actor_login",
        "repo_name",
        "created_at",
        "number",
        "comment_id",
        "creator_user_login",
        "merged",
    ),
}

# the whole of time, when no --months are given
ALL_TIME = (date(1970, 1, 1), date(2149, 1, 1))  # the range of ClickHouse's Date


@cache
def statement(name: str) -> str:
    """The text of NAME.sql, without its header comment lines."""
    lines = (HERE / f"{name}.sql").read_text(encoding="utf-8").splitlines()
    return "\n".join(line for line in lines if not line.startswith("--")).strip()


def over_events(layout: str, name: str, views: tuple[str, ...] = ()) -> str:
    """Statement NAME reading the events of a table in `layout` as `events`, after the named
    views (statements of this folder; `active` is active_developers.sql)."""
    parts = [f"events AS (\n{statement(f'layout_{layout}')}\n)"]
    parts += [f"{view} AS (\n{statement(VIEWS[view])}\n)" for view in views]
    return "WITH " + ",\n".join(parts) + "\n" + statement(name)


# the views a statement can be given, by the name it reads them under
VIEWS = {"active": "active_developers", "seed_developers": "seed_developers"}


def window_bounds(window: Window | None) -> dict[str, date]:
    """{first, end}: created_at in [first, end) covers the window's months."""
    if window is None:
        first, end = ALL_TIME
        return {"first": first, "end": end}
    after = add_months(window.last, 1)
    return {
        "first": date(int(window.first[:4]), int(window.first[5:]), 1),
        "end": date(int(after[:4]), int(after[5:]), 1),
    }


def text_parameters(parameters: dict[str, Any]) -> dict[str, str]:
    """Parameters as ClickHouse's text form, written by the official client's own formatter, so
    chdb receives exactly what clickhouse-connect would send a server."""
    from clickhouse_connect.driver.binding import format_bind_value

    return {name: format_bind_value(value) for name, value in parameters.items()}
