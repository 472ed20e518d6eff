"""Hand-made windows of activity for the fast tests of hubs, relations and expansion."""

from __future__ import annotations

from nichegraph.analysis.network import Network, NetworkParams, WindowActivity, build_network
from nichegraph.months import parse_window

EVERYTHING_LINKS = NetworkParams(min_shared=1, min_lift=0.0, top_links=50)


def activity_of(by_developer: dict[str, dict[str, float]]) -> WindowActivity:
    """developer -> {project: activity in the window}; projects indexed by name, developers by
    first appearance, every activity one month."""
    repos = sorted({repo for projects in by_developer.values() for repo in projects})
    index = {repo: i for i, repo in enumerate(repos)}
    developers = list(by_developer)
    activity = [{index[r]: value for r, value in projects.items()} for projects in by_developer.values()]
    repo_activity = [0.0] * len(repos)
    repo_developers = [0] * len(repos)
    for projects in activity:
        for r, value in projects.items():
            repo_activity[r] += value
            repo_developers[r] += 1
    rows = sum(len(projects) for projects in activity)
    return WindowActivity(parse_window("2022-04:2023-03"), repos, developers, activity, repo_activity,
                          repo_developers, rows)  # fmt: skip


def network_of(by_developer: dict[str, dict[str, float]], params: NetworkParams = EVERYTHING_LINKS) -> Network:
    return build_network(activity_of(by_developer), params)
