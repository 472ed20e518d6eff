"""The evaluation figures (analysis/evaluate.py) on small hand-made label sets and verdicts:
every precision, recall, confusion cell, calibration bin, NMI and ARI worked out by hand."""

from __future__ import annotations

import math

import igraph as ig
import pytest

from nichegraph.analysis import evaluate as E
from nichegraph.labels import DomainLabel, PairLabel


def pair(a: str, b: str, relation: str, line: int) -> PairLabel:
    return PairLabel(a, b, relation, line)


LABELS = [
    pair("u/a", "d/b", "upstream", 2),  # verdict: upstream u/a -> d/b (right, 0.9)
    pair("u/c", "d/d", "upstream", 3),  # verdict: upstream d/d -> u/c (reversed, 0.85)
    pair("u/e", "d/f", "upstream", 4),  # no verdict
    pair("c/1", "c/2", "competitor", 5),  # verdict: competitor (right, 0.5)
    pair("c/3", "c/4", "competitor", 6),  # verdict: peer
    pair("p/1", "p/2", "peer", 7),  # verdict: competitor (wrong, 0.3)
    pair("n/1", "n/2", "unrelated", 8),  # no verdict (right)
    pair("n/3", "n/4", "unrelated", 9),  # verdict: upstream n/3 -> n/4 (wrong, 0.1)
]
VERDICTS = [
    E.Verdict("u/a", "d/b", "upstream", 0.9),
    E.Verdict("d/d", "u/c", "upstream", 0.85),
    E.Verdict("C/2", "c/1", "competitor", 0.5),  # names match case-insensitively, either order
    E.Verdict("c/3", "c/4", "peer", 0.4),
    E.Verdict("p/1", "p/2", "competitor", 0.3),
    E.Verdict("n/3", "n/4", "upstream", 0.1),
    E.Verdict("x/1", "x/2", "upstream", 1.0),  # about no labelled pair: counts nowhere
]


def test_precision_and_recall_per_class() -> None:
    result = E.evaluate_relations(LABELS, VERDICTS, "pairs")
    # upstream claims: pairs 1, 2, 8; right only pair 1. True upstream: pairs 1, 2, 3; found: pair 1.
    assert result["classes"]["upstream"] == {
        "claims": 3, "right": 1, "precision": 1 / 3, "true": 3, "found": 1, "recall": 1 / 3
    }  # fmt: skip
    # competitor claims: pairs 4 (right) and 6 (a peer). True competitors: 4 (found) and 5 (called peer).
    assert result["classes"]["competitor"] == {
        "claims": 2, "right": 1, "precision": 0.5, "true": 2, "found": 1, "recall": 0.5
    }  # fmt: skip
    # peer claims: pair 5 (a competitor). The true peer, pair 6, was called competitor.
    assert result["classes"]["peer"] == {
        "claims": 1,
        "right": 0,
        "precision": 0.0,
        "true": 1,
        "found": 0,
        "recall": 0.0,
    }
    # "unrelated" (no verdict): pairs 3 and 7, right for 7; true unrelated 7 and 8
    assert result["classes"]["unrelated"] == {
        "claims": 2, "right": 1, "precision": 0.5, "true": 2, "found": 1, "recall": 0.5
    }  # fmt: skip
    # upstream and competitor claims together: 5 claims (1, 2, 4, 6, 8), 2 right (1, 4);
    # 5 true upstream or competitor pairs (1-5), 2 found
    assert result["claims"] == {"claims": 5, "right": 2, "precision": 0.4, "true": 5, "found": 2, "recall": 0.4}
    assert result["pairs"] == 8 and "calledUpstream" not in result


def test_confusion_table_in_the_labels_orientation() -> None:
    confusion = {row["label"]: row for row in E.evaluate_relations(LABELS, VERDICTS, "pairs")["confusion"]}
    assert confusion["upstream"] == {
        "label": "upstream", "upstream a->b": 1, "upstream b->a": 1, "competitor": 0, "peer": 0, "unrelated": 1
    }  # fmt: skip
    assert confusion["competitor"] == {
        "label": "competitor", "upstream a->b": 0, "upstream b->a": 0, "competitor": 1, "peer": 1, "unrelated": 0
    }  # fmt: skip
    assert confusion["peer"]["competitor"] == 1 and sum(confusion["peer"][k] for k in E.FOUND) == 1
    assert confusion["unrelated"]["upstream a->b"] == 1 and confusion["unrelated"]["unrelated"] == 1
    assert list(confusion) == ["upstream", "competitor", "peer", "unrelated"]


def test_calibration_bins_of_the_claims() -> None:
    table = {row["confidence"]: row for row in E.evaluate_relations(LABELS, VERDICTS, "pairs")["calibration"]}
    # claims with confidence 0.9 (right), 0.85 (wrong), 0.5 (right), 0.3 (wrong), 0.1 (wrong)
    assert table["0.0-0.2"] == {"confidence": "0.0-0.2", "claims": 1, "right": 0, "share": 0.0}
    assert table["0.2-0.4"]["claims"] == 1 and table["0.2-0.4"]["right"] == 0
    assert table["0.4-0.6"] == {"confidence": "0.4-0.6", "claims": 1, "right": 1, "share": 1.0}
    assert table["0.6-0.8"] == {"confidence": "0.6-0.8", "claims": 0, "right": 0, "share": None}
    assert table["0.8-1.0"]["claims"] == 2 and table["0.8-1.0"]["share"] == 0.5
    assert table[">= 0.8"] == {"confidence": ">= 0.8", "claims": 2, "right": 1, "share": 0.5}


def test_a_confidence_of_one_falls_in_the_last_bin() -> None:
    table = E.calibration([{"found": E.FORWARD, "right": True, "confidence": 1.0, "label": "upstream"}])
    assert table[4]["claims"] == 1 and table[5]["claims"] == 1


def test_same_job_pairs_count_upstream_calls() -> None:
    labels = [PairLabel("a/1", "a/2", "competitor", 2, "DB"), PairLabel("a/3", "a/4", "competitor", 3, "DB")]
    verdicts = [E.Verdict("a/1", "a/2", "competitor", 0.7), E.Verdict("a/4", "a/3", "upstream", 0.6)]
    result = E.evaluate_relations(labels, verdicts, "same-job")
    assert result["calledUpstream"] == 1
    assert result["classes"]["competitor"]["recall"] == 0.5 and result["claims"]["precision"] == 0.5


def test_nmi_and_ari_by_hand() -> None:
    same = (["X", "X", "Y", "Y"], ["n1", "n1", "n2", "n2"])
    assert E.nmi(*same) == pytest.approx(1.0) and E.ari(*same) == pytest.approx(1.0)
    crossed = (["X", "X", "Y", "Y"], ["n1", "n2", "n1", "n2"])
    # no information; ARI: sum C(n_ij, 2) = 0, rows 2, columns 2, C(4, 2) = 6 pairs, expected 2 * 2 / 6,
    # (0 - 2/3) / (2 - 2/3) = -0.5
    assert E.nmi(*crossed) == pytest.approx(0.0, abs=1e-12) and E.ari(*crossed) == pytest.approx(-0.5)
    truth, found = ["X", "X", "X", "Y"], ["a", "a", "b", "b"]
    # H(T) = -(3/4 ln 3/4 + 1/4 ln 1/4) = 0.562335, H(F) = ln 2 = 0.693147,
    # I = 1/2 ln(4/3) + 1/4 ln(2/3) + 1/4 ln 2 = 0.2157616, NMI = 2 I / (H(T) + H(F)) = 0.343711
    assert E.nmi(truth, found) == pytest.approx(0.343711, abs=1e-6)
    # the same with igraph's own implementation (Danon et al.)
    as_ints = {"X": 0, "Y": 1, "a": 0, "b": 1}
    expected = ig.compare_communities([as_ints[t] for t in truth], [as_ints[f] for f in found], method="nmi")
    assert math.isclose(E.nmi(truth, found), expected, rel_tol=1e-9)


def test_one_label_per_repo_takes_the_most_specific() -> None:
    domains = [
        DomainLabel("r/1", "Cloud", 2),
        DomainLabel("r/1", "Cloud - Storage", 3),  # deepest wins
        DomainLabel("r/2", "Cloud", 4),
        DomainLabel("r/2", "Tools", 5),  # same depth: "Tools" is rarer (1) than "Cloud" (2)
        DomainLabel("r/3", "Cloud - Storage - Block", 6),
    ]
    assert E.one_label_per_repo(domains) == {"r/1": "Cloud - Storage", "r/2": "Tools", "r/3": "Cloud - Storage - Block"}
    assert E.one_label_per_repo(domains, level=1) == {"r/1": "Cloud", "r/2": "Tools", "r/3": "Cloud"}


def test_niche_figures_count_unassigned_and_hubs_as_groups() -> None:
    domains = [DomainLabel(repo, label, i) for i, (repo, label) in enumerate(
        [("a/1", "ML"), ("a/2", "ML"), ("a/3", "Web"), ("a/4", "Web"), ("a/5", "Pkg"), ("a/6", "ML"), ("z/9", "ML")]
    )]  # fmt: skip
    membership = {"a/1": "n1", "a/2": "n1", "a/3": "n2", "a/4": "n1", "a/5": E.HUBS, "a/6": None, "a/7": "n2"}
    result = E.evaluate_niches(domains, membership)
    assert result["labelled"] == 6 and result["notInGraph"] == ["z/9"]
    truth = ["ML", "ML", "Web", "Web", "Pkg", "ML"]
    found = ["n1", "n1", "n2", "n1", E.HUBS, E.UNASSIGNED]
    assert result["nmi"] == pytest.approx(E.nmi(truth, found)) and result["ari"] == pytest.approx(E.ari(truth, found))
    # in a niche: a/1..a/4 and the hub a/5 (the hubs group is shown as a group, not unassigned)
    assert result["assigned"]["projects"] == 5
    niches = {row["niche"]: row for row in result["niches"]}
    # n1 holds ML, ML, Web: dominant ML with 2 of 3, the outlier a/4
    assert niches["n1"]["dominant"] == "ML" and niches["n1"]["share"] == pytest.approx(2 / 3)
    assert niches["n1"]["outliers"] == ["a/4 (Web)"] and niches["n1"]["size"] == 3
    assert niches["n2"]["size"] == 2 and niches["n2"]["labelled"] == 1
    split = {row["label"]: row for row in result["splitLabels"]}
    # ML: in n1 twice and unassigned once; Web: n2 once, n1 once
    assert split["ML"]["mainNiche"] == "n1" and split["ML"]["outside"] == 1 and split["Web"]["niches"] == 2


def test_expansion_share_and_recall() -> None:
    domains = [DomainLabel(r, label, i) for i, (r, label) in enumerate(
        [("x/a", "AI"), ("x/b", "AI"), ("x/c", "Web"), ("x/d", "AI - Vision"), ("s/s", "AI")]
    )]  # fmt: skip
    result = E.evaluate_expansion(
        domains, ["s/s", "x/a", "x/c", "x/e"], ["s/s"], ["s/s", "x/a", "x/b", "x/c", "x/d", "x/e"], ["ai"]
    )
    # beyond the seed: x/a (AI), x/c (Web), x/e (unlabelled): 1 of 2 labelled on topic;
    # on-topic projects of the window: x/a, x/b, x/d (under "AI"): 1 of 3 reached
    assert (result["members"], result["labelledMembers"], result["onTopicMembers"]) == (3, 2, 1)
    assert result["onTopicShare"] == 0.5 and result["recall"] == pytest.approx(1 / 3)
    assert result["offTopic"] == [{"repo": "x/c", "labels": ["Web"]}] and result["unlabelled"] == ["x/e"]
    assert result["missed"] == ["x/b", "x/d"]
    assert E.seed_topics(domains, ["s/s", "x/a"]) == ["AI"]
