"""Hand-made collaboration networks for the fast tests: who did how much where, written as a
dict, turned into the `WindowActivity` that `stream_activity` would read from Neo4j."""

from __future__ import annotations

from nichegraph.analysis.network import Network, NetworkParams, WindowActivity, build_network
from nichegraph.months import Window

WINDOW = Window("2022-04", "2023-03")


def window_activity(contributions: dict[str, dict[str, float]], window: Window = WINDOW) -> WindowActivity:
    """developer -> {repository: summed activity in the window}. Repositories are indexed in
    name order and developers in the order given, as `stream_activity` does; every
    (developer, repository) counts as one month."""
    repos = sorted({repo for work in contributions.values() for repo in work})
    index = {repo: i for i, repo in enumerate(repos)}
    activity = [{index[repo]: value for repo, value in work.items()} for work in contributions.values()]
    return WindowActivity(
        window=window,
        repos=repos,
        developers=list(contributions),
        activity=activity,
        repo_activity=[sum(work.get(i, 0.0) for work in activity) for i in range(len(repos))],
        repo_developers=[sum(1 for work in activity if i in work) for i in range(len(repos))],
        rows=sum(len(work) for work in activity),
    )


def network_of(contributions: dict[str, dict[str, float]], params: NetworkParams | None = None) -> Network:
    return build_network(window_activity(contributions), params)


# Every pair with a shared developer is a link, and every link is kept.
EVERY_LINK = NetworkParams(min_shared=1, min_lift=0.0, top_links=100)
