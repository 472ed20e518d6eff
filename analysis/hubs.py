"""Distribution hubs: repositories that many unrelated projects' developers contribute to, but
that few people follow for themselves (package collections, type and extension registries,
shared docs and CI-configuration repositories). See docs/niches.md, "Distribution hubs".

A hub is recognised from the window's data, never from its name:

- reach: the developers who work mainly somewhere else ("visitors": their largest activity in
  the window is in another project) come from many different projects. The spread is the
  effective number of those home projects, 1 / sum(p_h^2) with p_h the share of visitors whose
  home is h (Simpson's diversity): 12 visitors from 12 homes give 12, 12 from one home give 1;
- attention: few new stars per active developer over the window. People use a package
  collection through a tool (brew, nix, winget) and a docs site through a browser; they star
  the projects themselves. A language runtime or framework gets 5 to 15 stars per contributor
  a year, a hub below 3;
- breadth: it has significant collaboration links to at least 10 projects, so it could glue
  them together.

Hubs stay in the graph with their role and evidence, but do not take part in the niche
network (their links are left out of every project's strongest links), are never upstream or
downstream of anything, and are not followed by seed expansion.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from typing import Any

from nichegraph.analysis.network import Network, WindowActivity
from nichegraph.errors import BadParameter

HUB = "hub"


@dataclass(frozen=True)
class HubParams:
    min_origins: float = 12.0  # effective number of visitors' home projects, at least
    max_stars_per_developer: float = 3.0  # new stars in the window per active developer, at most
    min_links: int = 10  # significant collaboration links, at least

    def check(self) -> HubParams:
        if self.min_origins < 1:
            raise BadParameter(f"--hub-origins: {self.min_origins} must be at least 1")
        if self.max_stars_per_developer < 0:
            raise BadParameter(f"--hub-stars: {self.max_stars_per_developer} must not be negative")
        if self.min_links < 1:
            raise BadParameter(f"--hub-links: {self.min_links} must be at least 1")
        return self

    def as_properties(self) -> dict[str, Any]:
        return {
            "hubMinOrigins": self.min_origins,
            "hubMaxStarsPerDeveloper": self.max_stars_per_developer,
            "hubMinLinks": self.min_links,
        }


@dataclass(frozen=True)
class HubEvidence:
    repo: str
    developers: int
    visitors: int  # developers whose largest activity in the window is in another project
    homes: int  # distinct home projects of the visitors
    origins: float  # effective number of home projects (Simpson)
    stars: int
    stars_per_developer: float
    links: int  # significant collaboration links
    top_homes: list[str]

    @property
    def reason(self) -> str:
        return (
            f"distribution hub: {self.visitors} of its {self.developers} developers work mainly elsewhere, in "
            f"{self.homes} projects (effectively {self.origins:.1f}, e.g. {', '.join(self.top_homes[:3])}); "
            f"{self.stars_per_developer:.2f} new stars per developer; {self.links} significant links"
        )

    def properties(self) -> dict[str, Any]:
        return {
            "role": HUB,
            "roleReason": self.reason,
            "roleVisitors": self.visitors,
            "roleOrigins": self.origins,
            "roleStarsPerDeveloper": self.stars_per_developer,
            "roleLinks": self.links,
        }


def home_projects(activity: WindowActivity) -> list[int]:
    """Each developer's home: the project with most of their activity (ties by name)."""
    homes = []
    for repos in activity.activity:
        homes.append(min(repos.items(), key=lambda item: (-item[1], activity.repos[item[0]]))[0])
    return homes


def visitor_origins(activity: WindowActivity, repo: int, homes: list[int]) -> tuple[int, Counter[int]]:
    origins: Counter[int] = Counter(homes[dev] for _, dev in activity.developers_in(repo) if homes[dev] != repo)
    return sum(origins.values()), origins


def simpson(counts: Counter[int]) -> float:
    total = sum(counts.values())
    return 1.0 / sum((count / total) ** 2 for count in counts.values()) if total else 0.0


def find_hubs(
    network: Network, stars: dict[str, int | None], params: HubParams | None = None
) -> dict[int, HubEvidence]:
    """Repositories of the network that are distribution hubs, by index, with their evidence.

    `stars` holds each repository's new stars over the window; a repository without a stars
    series (None or missing) is never a hub: the attention signal is unknown."""
    params = (params or HubParams()).check()
    activity = network.activity
    links: Counter[int] = Counter()
    for s, t in network.significant:
        links[s] += 1
        links[t] += 1
    homes = home_projects(activity)
    hubs = {}
    for repo, name in enumerate(activity.repos):
        starred = stars.get(name)
        if starred is None or links[repo] < params.min_links:
            continue
        per_developer = starred / activity.repo_developers[repo]
        if per_developer > params.max_stars_per_developer:
            continue
        visitors, origins = visitor_origins(activity, repo, homes)
        spread = simpson(origins)
        if spread < params.min_origins:
            continue
        top = [activity.repos[home] for home, _ in sorted(origins.items(), key=lambda i: (-i[1], activity.repos[i[0]]))]
        hubs[repo] = HubEvidence(
            repo=name,
            developers=activity.repo_developers[repo],
            visitors=visitors,
            homes=len(origins),
            origins=spread,
            stars=starred,
            stars_per_developer=per_developer,
            links=links[repo],
            top_homes=top[:5],
        )
    return hubs
