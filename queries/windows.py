"""The months the loaded data covers, and the window a command, an analysis or a page works on.

Every command, analysis and page chooses its window here, so they agree: the default is the
last 12 months of the data (fewer when the data is shorter), and a window given by a person is
checked against the data's range the way the caller asks (`fit`). The defaults end at the last
month with activity data: OpenRank-only series (the landscape report's) may run later, and a
window of months without contributions has no network, niches or computed OpenRank. Pages clip
(`CLIP`): a window reaching past the data is cut to its part inside the data, so no request
works on months that cannot hold anything (`/trends?window=1999-01:2999-12` reads 2015-01..2023-03
of the snapshot).
"""

from __future__ import annotations

from dataclasses import dataclass

from nichegraph.db import Graph
from nichegraph.errors import BadParameter
from nichegraph.months import Window, add_months, parse_window
from nichegraph.queries.library import run_query

LAST_MONTHS = 12

# how a given window must relate to the data's range
ANY = "any"  # only well-formed
OVERLAP = "overlap"  # share at least one month with the data
INSIDE = "inside"  # lie entirely inside the data
CLIP = "clip"  # share at least one month with the data; the part inside it is used
FITS = (ANY, OVERLAP, INSIDE, CLIP)

# the window used when none is given
LAST12 = "last12"  # the last 12 months of data
ALL = "all"  # all the data
DEFAULTS = (LAST12, ALL)

NO_DATA = "the graph holds no monthly data yet; load some with `nichegraph load opendigger` first"


@dataclass(frozen=True)
class DataRange(Window):
    """The months of any series, and the months with activity data (None: series only)."""

    activity_first: str | None = None
    activity_last: str | None = None

    @property
    def activity(self) -> Window:
        """The months default windows lie in: those with activity data, else all."""
        return Window(self.activity_first or self.first, self.activity_last or self.last)


def data_range(graph: Graph) -> DataRange | None:
    """First and last month of any repository series (`queries/data_range.cypher`), None when empty."""
    row = run_query(graph, "data_range")[0]
    if not row["firstMonth"]:
        return None
    return DataRange(row["firstMonth"], row["lastMonth"], row["firstActivityMonth"], row["lastActivityMonth"])


def require_data(data: DataRange | None, what: str = "--window") -> DataRange:
    if data is None:
        raise BadParameter(f"{what}: {NO_DATA}")
    return data


def default_window(data: Window, default: str = LAST12) -> Window:
    """The whole range, or its last 12 months (fewer when the data is shorter), both within the
    months that have activity data."""
    months = data.activity if isinstance(data, DataRange) else data
    if default == ALL:
        return Window(months.first, months.last)
    return Window(max(months.first, add_months(months.last, -(LAST_MONTHS - 1))), months.last)


def choose_window(
    text: str | None,
    data: Window | None,
    *,
    what: str = "--window",
    default: str = LAST12,
    fit: str = ANY,
) -> Window:
    """The window `text` names (checked as `fit` says), or the default window of the data.

    `what` names the flag or page parameter in errors ("--window", "--months", "window")."""
    if text:
        window = parse_window(text, what)
        if fit == ANY or data is None:
            return window
        if fit == INSIDE and (window.first < data.first or window.last > data.last):
            raise BadParameter(f"{what}: {window} reaches outside the loaded data, which covers {data}")
        if window.last < data.first or window.first > data.last:
            raise BadParameter(f"{what}: {window} has no data; the data covers {data.first}..{data.last}")
        if fit == CLIP:
            return Window(max(window.first, data.first), min(window.last, data.last))
        return window
    return default_window(require_data(data, what), default)


def resolve_window(
    graph: Graph, text: str | None, *, what: str = "--window", default: str = LAST12, fit: str = ANY
) -> Window:
    """`choose_window` against the graph's own data range."""
    return choose_window(text, data_range(graph), what=what, default=default, fit=fit)
