"""Distribution hubs (analysis/hubs.py) and their exclusion from the niche network, on a
hand-made window: six maintainers each send a little to one repository they do not call home."""

from __future__ import annotations

import pytest

from nichegraph.analysis.hubs import HubParams, find_hubs, simpson
from nichegraph.analysis.network import exclude_from_backbone
from nichegraph.errors import BadParameter
from tests.unit.hand_activity import network_of

HUB = "h/hub"
WINDOW = {
    **{f"m{i}": {f"p/{i}": 10.0, HUB: 1.0} for i in range(1, 7)},  # maintainers at home in p/1 .. p/6
    "h1": {HUB: 20.0},  # the hub's own people
    "h2": {HUB: 5.0, "p/1": 1.0},
}
PARAMS = HubParams(min_origins=5.0, max_stars_per_developer=2.0, min_links=3)


def test_the_hub_and_its_evidence() -> None:
    network = network_of(WINDOW)
    hubs = find_hubs(network, {HUB: 8, "p/1": 0}, PARAMS)
    assert [evidence.repo for evidence in hubs.values()] == [HUB]
    evidence = next(iter(hubs.values()))
    # visitors m1..m6 come from six different homes: Simpson's effective number 1 / (6 * (1/6)^2) = 6
    assert (evidence.visitors, evidence.homes, evidence.developers) == (6, 6, 8)
    assert evidence.origins == pytest.approx(6.0)
    # 8 stars over 8 developers; linked to p/1 .. p/6
    assert evidence.stars_per_developer == 1.0 and evidence.links == 6
    assert evidence.reason.startswith("distribution hub: 6 of its 8 developers work mainly elsewhere, in 6 projects")
    assert evidence.properties()["role"] == "hub"


@pytest.mark.parametrize(
    ("stars", "params"),
    [
        ({HUB: 40}, PARAMS),  # 5 stars per developer: followed for itself
        ({}, PARAMS),  # no stars series: the attention signal is unknown
        ({HUB: 8}, HubParams(min_origins=6.5, max_stars_per_developer=2.0, min_links=3)),  # too few homes
        ({HUB: 8}, HubParams(min_origins=5.0, max_stars_per_developer=2.0, min_links=7)),  # too few links
    ],
)
def test_not_a_hub(stars: dict[str, int], params: HubParams) -> None:
    assert find_hubs(network_of(WINDOW), stars, params) == {}


def test_simpson_by_hand() -> None:
    from collections import Counter

    # shares 1/2, 1/4, 1/4: 1 / (1/4 + 1/16 + 1/16) = 8/3
    assert simpson(Counter({1: 2, 2: 1, 3: 1})) == pytest.approx(8 / 3)
    assert simpson(Counter()) == 0.0


def test_hub_links_leave_the_backbone_but_stay_significant() -> None:
    network = network_of(WINDOW)
    hub = network.activity.index()[HUB]
    assert any(hub in key for key, link in network.significant.items() if link.backbone)
    exclude_from_backbone(network, {hub})
    assert network.excluded == frozenset({hub})
    assert not any(hub in key for key, link in network.significant.items() if link.backbone)
    assert sum(1 for key in network.significant if hub in key) == 6
    # p/1's link to the hub is gone from its neighbours once hubs are skipped
    p1 = network.activity.index()["p/1"]
    assert hub in network.neighbours()[p1] and hub not in network.neighbours(skip_excluded=True).get(p1, {})


def test_bad_hub_parameters_name_the_flag() -> None:
    with pytest.raises(BadParameter, match="--hub-origins"):
        HubParams(min_origins=0.5).check()
    with pytest.raises(BadParameter, match="--hub-stars"):
        HubParams(max_stars_per_developer=-1).check()
    with pytest.raises(BadParameter, match="--hub-links"):
        HubParams(min_links=0).check()
