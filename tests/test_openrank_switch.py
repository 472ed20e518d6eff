"""Two `nichegraph openrank` processes started at once on the full server: the second waits for
the first (the writer lock), the graph ends with exactly the values of one run, and a reader
polling all the while sees either the previous run's values or a new run's, never a mix (the
run's values go to the slot readers do not read, and one small transaction makes it current).
The test leaves OpenRank computed with the default parameters, as the other tests expect it."""

from __future__ import annotations

import math
import os
import subprocess
import sys
import threading
from typing import Any

from nichegraph.analysis.openrank.method import REPO, OpenRankParams
from nichegraph.analysis.openrank.run import run_openrank
from nichegraph.analysis.openrank.storage import developer_rows
from nichegraph.db import Graph
from nichegraph.queries.windows import data_range, require_data
from tests.support.openrank_slots import developer_series

# what a reader of the whole graph does: read which run is current, then that run's values
# (developers: their count and the sum of their first values, which differ between the runs)
STATE = """
OPTIONAL MATCH (current:OpenRankRun {current: true})
WITH current.id AS run, current.slot AS slot
CALL (slot) {
  MATCH (d:Developer) WHERE d['openrankSeries' + slot] IS NOT NULL
  WITH d['openrankSeries' + slot] AS series
  RETURN count(*) AS developers, sum(series[size(series) / 3]) AS developerTotal
}
CALL (slot) {
  MATCH (m:RepoMonth) WHERE m['openrankComputed' + slot] IS NOT NULL
  RETURN sum(m['openrankComputed' + slot]) AS total, count(m) AS months
}
RETURN run, developers, developerTotal, total, months
"""


def state(graph: Graph) -> dict[str, Any]:
    return graph.read(STATE)[0]


class Reader(threading.Thread):
    """Reads the whole state again and again, as a leaderboard page would."""

    def __init__(self, graph: Graph) -> None:
        super().__init__(daemon=True)
        self.graph, self.seen, self.stop = graph, [], threading.Event()

    def run(self) -> None:
        while not self.stop.wait(0.2):
            self.seen.append(state(self.graph))


def start_openrank(uri: str) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [sys.executable, "-m", "nichegraph", "openrank", "--json"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=dict(os.environ, NEO4J_URI=uri),
    )


def test_two_runs_at_once_end_with_one_runs_values_and_readers_never_see_a_mix(full_graph: Graph) -> None:
    window = require_data(data_range(full_graph))
    # a previous state whose values differ from the default (legacy) run's
    run_openrank(full_graph, window, OpenRankParams(developer_init="sigmoid"))
    before = state(full_graph)
    assert before["run"] is not None and before["developers"] > 700_000

    with Graph(full_graph.settings) as reader_graph:
        reader = Reader(reader_graph)
        reader.start()
        first, second = start_openrank(full_graph.uri), start_openrank(full_graph.uri)
        outputs = [process.communicate(timeout=3600) for process in (first, second)]
        reader.stop.set()
        reader.join()
    assert [first.returncode, second.returncode] == [0, 0], "\n".join(err for _out, err in outputs)
    waited = [err for _out, err in outputs if "waiting for `nichegraph openrank` (pid" in err]
    assert len(waited) == 1, [err for _out, err in outputs]

    after = state(full_graph)
    assert after["run"] != before["run"]
    assert not math.isclose(after["total"], before["total"], rel_tol=1e-6)
    assert not math.isclose(after["developerTotal"], before["developerTotal"], rel_tol=1e-6)
    # exactly the values of one run with the default parameters
    expected = run_openrank(full_graph, window, OpenRankParams(), write=False)
    stored = {key: (row["months"], row["values"]) for key, row in developer_series(full_graph).items()}
    rows = developer_rows(expected)
    assert len(stored) == len(rows) == after["developers"]
    for row in rows:
        months, values = stored[row["key"]]
        assert months == row["months"], row["key"]
        assert all(math.isclose(a, b, rel_tol=1e-9) for a, b in zip(values, row["values"], strict=True)), row["key"]
    assert after["months"] == sum(1 for _ in expected.values(REPO))

    # every observation is one whole state: the old one, or one of the new runs' (equal values)
    assert len(reader.seen) >= 3
    for seen in reader.seen:
        reference = before if seen["run"] == before["run"] else after
        assert seen["developers"] == reference["developers"], f"a reader saw values of two runs at once: {seen}"
        assert math.isclose(seen["developerTotal"], reference["developerTotal"], rel_tol=1e-9), seen
        assert seen["months"] == reference["months"], seen
        assert math.isclose(seen["total"], reference["total"], rel_tol=1e-9), seen
    assert reader.seen[0]["run"] == before["run"] and reader.seen[-1]["run"] != before["run"]
