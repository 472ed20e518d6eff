"""Upstream / competitor / peer relations on the whole top-300 snapshot."""

from __future__ import annotations

from nichegraph.analysis.niches import stored_run
from nichegraph.analysis.pair_signals import extends
from nichegraph.db import Graph
from nichegraph.queries.library import run_query
from tests.support.niche_fixtures import Analysed, judged_pairs


def relation(graph: Graph, window: str, a: str, b: str) -> dict:
    rows = [
        row
        for row in run_query(graph, "relations_in_window", window=window)
        if {row["source"], row["target"]} == {a, b}
    ]
    assert len(rows) == 1, f"{a} / {b}: {rows}"
    return rows[0]


def test_the_users_expectations(full_graph: Graph, analysed: Analysed) -> None:
    window = analysed.window
    upstreams = {
        row["upstream"]
        for row in run_query(full_graph, "upstreams_of_repo", repo="huggingface/transformers", window=window)
    }
    assert "pytorch/pytorch" in upstreams
    downstreams = {
        row["downstream"] for row in run_query(full_graph, "downstreams_of_repo", repo="pytorch/pytorch", window=window)
    }
    assert {"huggingface/transformers", "Lightning-AI/lightning"} <= downstreams
    rivals = {
        row["competitor"]
        for row in run_query(full_graph, "competitors_of_repo", repo="tensorflow/tensorflow", window=window)
    }
    assert "pytorch/pytorch" in rivals
    minikube = relation(full_graph, window, "kubernetes/kubernetes", "kubernetes/minikube")
    assert (minikube["relation"], minikube["source"]) == ("upstream", "kubernetes/kubernetes")


def test_every_relation_carries_its_evidence(full_graph: Graph, analysed: Analysed) -> None:
    rows = run_query(full_graph, "relations_in_window", window=analysed.window)
    assert len(rows) == len(analysed.relations.relations)
    assert {row["relation"] for row in rows} == {"upstream", "competitor", "peer"}
    hubs = set(stored_run(full_graph, analysed.window)["hubs"])
    for row in rows:
        assert 0.0 <= row["confidence"] <= 1.0
        assert row["reason"].startswith(f"{row['rule']} (")
        assert 0.0 <= row["sourceCoreInTarget"] <= 1.0 and 0.0 <= row["targetCoreInSource"] <= 1.0
        if row["linked"]:
            assert row["sharedDevelopers"] >= 3 and row["weight"] > 0 and row["topDevelopers"]
        # each rule's own condition, read back from the stored numbers (docs/niches.md)
        gap = row["targetCoreInSource"] - row["sourceCoreInTarget"]
        if row["rule"] in {"U1", "U2"}:
            assert gap >= 0.10 and row["targetCoreInSource"] >= 0.15 and row["lean"] >= 0
        if row["rule"] == "U1":
            assert row["lean"] >= 0.3  # the shared developers at home downstream (round 5)
        if row["rule"] == "U2":
            # ... or, within one team, not leaning away when the gap held a year before too (round 6)
            computed = analysed.relations.find(row["source"], row["target"])
            before = previous_gap(computed.row()) if computed else None
            assert row["sourceCoreInTarget"] > 0.30 and (row["lean"] >= 0.3 or (before or 0) >= 0.10), row["reason"]
        one_team = min(row["sourceCoreInTarget"], row["targetCoreInSource"]) > 0.30
        if row["rule"] == "U3":
            assert (gap >= -0.10 or one_team) and row["lean"] >= -1.0
        if row["rule"] == "U4":
            assert row["source"].split("/")[0] == row["target"].split("/")[0]  # one organisation
            assert (row["sourceCoreInTarget"] + row["targetCoreInSource"]) / 2 >= 0.1
            # the flagship alone decides within one team; a name extending the other's also in a family
            up, down = row["source"].split("/")[1].lower(), row["target"].split("/")[1].lower()
            assert one_team or extends(down, up), row["reason"]
        if row["relation"] == "upstream":
            assert row["rule"] in {"U1", "U2", "U3", "U4"} and not {row["source"], row["target"]} & hubs
        if row["relation"] == "competitor":
            cores = (row["sourceCoreInTarget"], row["targetCoreInSource"])
            # two of one declared kind may share core developers without being one team (round 6)
            assert max(cores) <= 0.10 or (row["rule"] == "C4" and min(cores) <= 0.30), row["reason"]
            assert row["rule"] in {"C1", "C3", "C4"} or row["sameNiche"]
            # a distribution hub and a project that is not one: rivals by one declared kind only
            assert len({row["source"], row["target"]} & hubs) != 1 or row["rule"] == "C4", row["reason"]
        if row["relation"] == "peer":
            assert (row["sourceCoreInTarget"] + row["targetCoreInSource"]) / 2 >= 0.2
            assert (row["rule"] == "H") == bool({row["source"], row["target"]} & hubs)
    pytorch = relation(full_graph, analysed.window, "pytorch/pytorch", "huggingface/transformers")
    assert pytorch["sharedDevelopers"] > 50 and "stas00" in pytorch["topDevelopers"]


def previous_gap(row: dict) -> float | None:
    """The downstream's core in the upstream minus the reverse, in the window before (None: no data);
    `row` as a computed relation's `row()` (the library query does not return the window before)."""
    before = row["previousTargetCoreInSource"], row["previousSourceCoreInTarget"]
    return None if None in before else before[0] - before[1]


def test_a_gap_held_a_year_gives_one_team_a_direction(full_graph: Graph, analysed: Analysed) -> None:
    """scipy and scikit-learn are one team (both cores over 30% in the other); scikit-learn's core works in
    scipy more than the reverse by over 10 points in the window and in the year before, and the shared
    developers lean towards scikit-learn, though less than U2's 0.3: round 6 reads the gap held for two
    windows as the direction (scikit-learn builds on scipy); they were peers before."""
    stored = relation(full_graph, analysed.window, "scipy/scipy", "scikit-learn/scikit-learn")
    assert (stored["relation"], stored["source"], stored["rule"]) == ("upstream", "scipy/scipy", "U2"), stored["reason"]
    found = analysed.relations.find("scipy/scipy", "scikit-learn/scikit-learn")
    assert found is not None
    row = found.row()
    assert min(row["sourceCoreInTarget"], row["targetCoreInSource"]) > 0.30
    assert row["targetCoreInSource"] - row["sourceCoreInTarget"] >= 0.10
    assert (previous_gap(row) or 0) >= 0.10 and 0 <= row["lean"] < 0.3
    assert "the gap held a year before" in row["reason"]


def test_the_organisations_flagship_heads_a_pair_without_direction(full_graph: Graph, analysed: Analysed) -> None:
    """kubernetes/kubernetes is the one repository of its organisation named like it; facebook/react-native
    extends facebook/react's name. Both pairs share cores (one team, or a family) without a direction the
    contribution data can tell, so the names break the tie (U4); before, they were a peer and nothing."""
    for up, down in [("kubernetes/kubernetes", "kubernetes/website"), ("facebook/react", "facebook/react-native")]:
        row = relation(full_graph, analysed.window, up, down)
        assert (row["relation"], row["source"], row["rule"]) == ("upstream", up, "U4"), row["reason"]
        mean = (row["sourceCoreInTarget"] + row["targetCoreInSource"]) / 2
        assert mean >= 0.1 and row["confidence"] == 0.6
        found = analysed.relations.find(up, down)
        assert found is not None and found.row()["sourceHeadsTarget"] and not found.row()["targetHeadsSource"]
        stored = full_graph.read(
            "MATCH (:Repo {name: $up})-[x:UPSTREAM_OF {window: $w}]->(:Repo {name: $down}) "
            "RETURN x.sourceHeadsTarget AS heads, x.targetHeadsSource AS headed",
            up=up,
            down=down,
            w=analysed.window,
        )
        assert stored == [{"heads": True, "headed": False}]
        # no direction in the data: neither core is 10 points more in the other with the lean agreeing
        gap = row["targetCoreInSource"] - row["sourceCoreInTarget"]
        assert abs(gap) < 0.10 or (gap >= 0.10 and row["lean"] < 0.3) or (gap <= -0.10 and -row["lean"] < 0.3)
    others = {
        r["name"]
        for r in full_graph.read("MATCH (r:Repo) WHERE r.name STARTS WITH 'kubernetes/' RETURN r.name AS name")
    }
    assert [name for name in others if name.split("/")[1] == "kubernetes"] == ["kubernetes/kubernetes"]


def test_a_flagship_alone_is_no_upstream_of_a_product_with_its_own_core(full_graph: Graph, analysed: Analysed) -> None:
    """grafana/grafana is the one grafana/ repository named like its organisation, and loki's name does not
    extend it. The two share a family of developers (cores under 30% in each other: not one team), so the
    flagship's name alone says nothing about which serves which (round 5): a peer, no longer U4."""
    grafana = {
        r["name"] for r in full_graph.read("MATCH (r:Repo) WHERE r.name STARTS WITH 'grafana/' RETURN r.name AS name")
    }
    assert [name for name in grafana if name.split("/")[1] == "grafana"] == ["grafana/grafana"]
    row = relation(full_graph, analysed.window, "grafana/grafana", "grafana/loki")
    cores = (row["sourceCoreInTarget"], row["targetCoreInSource"])
    assert min(cores) <= 0.30 and sum(cores) / 2 >= 0.2, row["reason"]
    assert (row["relation"], row["rule"]) == ("peer", "P"), row["reason"]


# the snapshot's documentation and web-site repositories, listed by hand from their names
DOCS = {
    "cloudflare/cloudflare-docs", "MicrosoftDocs/msteams-docs", "MicrosoftDocs/azure-docs",
    "MicrosoftDocs/microsoft-365-docs", "GoogleChrome/developer.chrome.com", "dotnet/AspNetCore.Docs", "dotnet/docs",
    "docker/docs", "openshift/openshift-docs", "kubernetes/website", "ethereum/ethereum-org-website",
    "newrelic/docs-website", "microsoftgraph/microsoft-graph-docs", "home-assistant/home-assistant.io", "github/docs",
}  # fmt: skip


def test_documentation_is_upstream_of_no_project_and_rival_of_none(analysed: Analysed) -> None:
    """openshift/openshift-docs draws the cores of the projects it documents (their people write its
    pages) and came out upstream of them (kubevirt at 0.92); documentation serves what it documents
    and does no other project's job."""
    for relation in analysed.relations.relations:
        if relation.relation == "upstream" and relation.source in DOCS:
            assert relation.target in DOCS, relation.reason  # docs upstream of docs only (translations)
        if relation.relation == "competitor":
            assert not {relation.source, relation.target} & DOCS, relation.reason
    kubevirt = analysed.relations.find("openshift/openshift-docs", "kubevirt/kubevirt")
    assert kubevirt is None or kubevirt.relation != "upstream" or kubevirt.source == "kubevirt/kubevirt"


def test_an_upstream_by_core_crossing_rests_on_two_core_developers(analysed: Analysed) -> None:
    """One core developer active in another project is no evidence of a direction (ValveSoftware/Proton
    was upstream of mastodon by one developer)."""
    u1 = [r for r in analysed.relations.relations if r.rule == "U1"]
    assert u1 and all(r.row()["targetCoreCrossing"] >= 2 for r in u1)
    proton = analysed.relations.find("ValveSoftware/Proton", "mastodon/mastodon")
    assert proton is None or proton.relation != "upstream"


def test_hubs_never_make_a_pair_look_upstream(full_graph: Graph, analysed: Analysed) -> None:
    """The packaging hubs whose core maintainers also maintain what they package used to come out
    upstream of it (Homebrew/homebrew-core -> influxdata/telegraf, NixOS/nixpkgs -> tailscale)."""
    for hub, other in [("Homebrew/homebrew-core", "influxdata/telegraf"), ("NixOS/nixpkgs", "tailscale/tailscale")]:
        rows = [r for r in run_query(full_graph, "relations_of_repo", repo=hub, window=analysed.window)]
        assert all(r["role"] not in {"upstream", "downstream"} for r in rows)
        assert other not in {r["other"] for r in rows if r["role"] in {"upstream", "downstream"}}


def test_relations_of_a_repo_say_which_side_is_which(full_graph: Graph, analysed: Analysed) -> None:
    rows = run_query(full_graph, "relations_of_repo", repo="Lightning-AI/lightning", window=analysed.window)
    roles = {row["other"]: row["role"] for row in rows}
    assert roles["pytorch/pytorch"] == "upstream"
    rows = run_query(full_graph, "relations_of_repo", repo="pytorch/pytorch", window=analysed.window)
    roles = {row["other"]: row["role"] for row in rows}
    assert roles["Lightning-AI/lightning"] == "downstream" and roles["tensorflow/tensorflow"] == "competitor"


def test_judged_pairs(analysed: Analysed) -> None:
    """Against 115 pairs judged by hand (tests/support/judged_pairs.csv, a dev set the rules were
    tuned on: figures in docs/niches.md). Without GitHub metadata the rules claim less; when they
    claim upstream or competitor they must mostly be right, and rarely point an upstream the
    wrong way."""
    claims = right = reversed_ = 0
    for pair in judged_pairs():
        found = analysed.relations.find(pair["source"], pair["target"])
        if found is None or found.relation == "peer":
            continue
        claims += 1
        if found.relation == pair["relation"] == "upstream" and found.source != pair["source"]:
            reversed_ += 1
        elif found.relation == pair["relation"]:
            right += 1
    assert claims >= 40
    assert right / claims >= 0.70
    assert reversed_ <= 4
