"""Label files (nichegraph/labels.py): the three formats, told apart by their header, and every
kind of bad row refused with the file and line named."""

from __future__ import annotations

from pathlib import Path

import pytest

from nichegraph.errors import BadParameter
from nichegraph.labels import DOMAINS, PAIRS, SAME_JOB, parse_labels, read_labels

JUDGED = Path(__file__).resolve().parents[1] / "support" / "judged_pairs.csv"


def test_judged_pairs_with_source_target_header() -> None:
    labels = read_labels(JUDGED)
    assert labels.kind == PAIRS and labels.name == "judged_pairs"
    counts = {r: sum(1 for p in labels.pairs if p.relation == r) for r in ("upstream", "competitor", "peer")}
    # counted in the file by hand: 56 upstream, 44 competitor, 15 peer lines after the header
    assert counts == {"upstream": 56, "competitor": 44, "peer": 15}
    first = labels.pairs[0]
    assert (first.a, first.b, first.relation, first.line) == (
        "pytorch/pytorch",
        "huggingface/transformers",
        "upstream",
        2,
    )


def test_pairs_in_any_column_order_with_bom_and_blank_lines() -> None:
    text = "\ufeffrelation,b,a\n\nupstream,x/down,x/up\nUNRELATED,c/d,e/f\n"
    labels = parse_labels(text.removeprefix("\ufeff"), "t.csv", "t")
    assert [(p.a, p.b, p.relation, p.line) for p in labels.pairs] == [
        ("x/up", "x/down", "upstream", 3),
        ("e/f", "c/d", "unrelated", 4),
    ]


def test_same_job_pairs_are_competitors_with_their_collection() -> None:
    labels = parse_labels("a,b,collection\nx/a,y/b,Databases\ny/b,x/a,Other\n", "s.csv", "s")
    assert labels.kind == SAME_JOB
    # the second line repeats the pair the other way round: kept once
    assert [(p.a, p.b, p.relation, p.collection) for p in labels.pairs] == [("x/a", "y/b", "competitor", "Databases")]


def test_domains_with_and_without_source() -> None:
    plain = parse_labels("repo,label\nx/a,Databases\nx/a,Cloud\n", "d.csv", "d")
    assert plain.kind == DOMAINS and [(d.repo, d.label, d.source) for d in plain.domains] == [
        ("x/a", "Databases", None),
        ("x/a", "Cloud", None),
    ]
    sourced = parse_labels("repo,source,label\nx/a,open-digger,AI\n", "d.csv", "d")
    assert sourced.domains[0].source == "open-digger"
    assert sourced.describe() == "d: 1 domain labels of 1 repositories"


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("", r"t\.csv: the file is empty"),
        ("x,y\n1,2\n", r"t\.csv: header 'x,y' is none of the label formats"),
        ("a,b,relation\n", r"t\.csv: no labels after the header"),
        ("a,b,relation\nx/a,y/b\n", r"t\.csv, line 2: 2 fields where the header has 3"),
        ("a,b,relation\nx/a,y/b,rival\n", r"t\.csv, line 2: relation 'rival' is not one of upstream, competitor"),
        ("a,b,relation\nnot a repo,y/b,peer\n", r"t\.csv, line 2: a 'not a repo' is not a repository name"),
        ("a,b,relation\nx/a,,peer\n", r"t\.csv, line 2: the b column is empty"),
        ("a,b,relation\nx/a,X/A,peer\n", r"t\.csv, line 2: a pair needs two different repositories"),
        ("a,b,relation\nx/a,y/b,upstream\ny/b,x/a,upstream\n", r"t\.csv, line 3: y/b / x/a contradicts line 2"),
        ("a,b,relation\nx/a,y/b,peer\nx/a,y/b,competitor\n", r"t\.csv, line 3: x/a / y/b contradicts line 2"),
        ("a,b,collection\nx/a,y/b,\n", r"t\.csv, line 2: the collection column is empty"),
        ("repo,label\nx/a,\n", r"t\.csv, line 2: the label column is empty"),
    ],
)
def test_bad_label_files_name_the_file_and_line(text: str, message: str) -> None:
    with pytest.raises(BadParameter, match=message):
        parse_labels(text, "t.csv", "t")


def test_unreadable_and_non_utf8_files(tmp_path: Path) -> None:
    with pytest.raises(BadParameter, match=r"--labels: cannot read .*missing\.csv"):
        read_labels(tmp_path / "missing.csv")
    latin = tmp_path / "latin.csv"
    latin.write_bytes("repo,label\nx/a,Caf\xe9\n".encode("latin-1"))
    with pytest.raises(BadParameter, match=r"--labels: .*latin\.csv is not UTF-8 text"):
        read_labels(latin)
