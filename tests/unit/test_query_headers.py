"""The query library's headers (queries/library.py): what a file must say about itself, read
from hand-written files, and the real library read the same way."""

from __future__ import annotations

from pathlib import Path

import pytest

from nichegraph.errors import BadParameter
from nichegraph.queries.library import (
    QUERY_DIR,
    QueryFileError,
    get_query,
    load_library,
    parse_literal,
    parse_query_file,
)

GOOD = """\
// repos_of_owner: Which repositories does an owner have?
// Lists them by name.
// Cost: whole graph
//
// Parameters:
// :param owner => 'pytorch'
// :param limit => 10;
// :param flags => [true, null, 2.5, "x"]
//
// Columns:
//   name      the repository
//   openrank  its mean OpenRank
//             (over the whole data)
//   stars     stars it received, summed
//             over every month loaded
MATCH (r:Repo {owner: $owner}) WHERE r.name <> '$notAParameter' AND $flags IS NOT NULL
RETURN r.name AS name, r.openrank AS openrank, r.stars AS stars LIMIT $limit;
"""


def write(tmp_path: Path, name: str, text: str) -> Path:
    path = tmp_path / f"{name}.cypher"
    path.write_text(text, encoding="utf-8")
    return path


def test_every_part_of_a_header_is_read(tmp_path: Path) -> None:
    query = parse_query_file(write(tmp_path, "repos_of_owner", GOOD))
    assert query.name == "repos_of_owner"
    assert query.question == "Which repositories does an owner have?"
    assert query.description == "Lists them by name. Cost: whole graph"
    assert query.whole_graph
    assert query.examples == {"owner": "pytorch", "limit": 10, "flags": [True, None, 2.5, "x"]}
    # a line indented deeper than the column names continues the description, however it reads
    assert query.columns == {
        "name": "the repository",
        "openrank": "its mean OpenRank (over the whole data)",
        "stars": "stars it received, summed over every month loaded",
    }
    # the trailing semicolon is dropped; a $ inside a string is no parameter
    assert query.cypher.endswith("LIMIT $limit") and query.used_parameters() == {"owner", "limit", "flags"}


def test_given_parameters_override_the_examples(tmp_path: Path) -> None:
    query = parse_query_file(write(tmp_path, "repos_of_owner", GOOD))
    assert query.parameters({"limit": 3}) == {"owner": "pytorch", "limit": 3, "flags": [True, None, 2.5, "x"]}
    with pytest.raises(BadParameter) as error:
        query.parameters({"repo": "x"})
    assert str(error.value) == (
        "--param repo: query 'repos_of_owner' has no such parameter (it takes: flags, limit, owner)"
    )


def test_parameters_none(tmp_path: Path) -> None:
    text = "// counts: How many?\n//\n// Parameters: none\n//\n// Columns:\n//   n  how many\nRETURN 1 AS n\n"
    query = parse_query_file(write(tmp_path, "counts", text))
    assert query.examples == {} and not query.whole_graph
    with pytest.raises(BadParameter, match=r"\(it takes: none\)$"):
        query.parameters({"x": 1})


@pytest.mark.parametrize(
    ("name", "text", "message"),
    [
        (
            "bare",
            "MATCH (r:Repo) RETURN r.name AS name\n",
            "bare.cypher: must start with a '// bare: <question>' header line",
        ),
        (
            "bare",
            "// just a comment\nRETURN 1 AS x\n",
            "bare.cypher: must start with a '// bare: <question>' header line",
        ),
        (
            "one",
            "// two: What?\n//\n// Columns:\n//   x  a thing\nRETURN 1 AS x\n",
            "one.cypher: header names 'two', but the file is 'one'",
        ),
        ("q", "// q: What?\nRETURN 1 AS x\n", "q.cypher: the header has no 'Columns:' section"),
        ("q", "// q: What?\n//\n// Columns:\n//   x  a thing\n", "q.cypher: has a header but no query"),
        (
            "q",
            "// q: What?\n// Parameters:\n// :param 1x => 2\n// Columns:\n//   x  a thing\nRETURN 1 AS x\n",
            "q.cypher: cannot read parameter line ':param 1x => 2'",
        ),
        (
            "q",
            "// q: What?\n// Parameters:\n// :param x => foo(\n// Columns:\n//   x  a thing\nRETURN $x AS x\n",
            "q.cypher :param x: cannot read the value 'foo('",
        ),
        (
            "sneaky",
            "// sneaky: Which?\n//\n// Parameters:\n// :param repo => 'a/b'\n//\n// Columns:\n//   name  the name\n"
            "MATCH (r:Repo {name: $repo}) WHERE r.owner = $owner RETURN r.name AS name\n",
            "sneaky.cypher: uses $owner but has no ':param owner =>' line",
        ),
    ],
)
def test_a_bad_header_is_refused(tmp_path: Path, name: str, text: str, message: str) -> None:
    with pytest.raises(QueryFileError) as error:
        parse_query_file(write(tmp_path, name, text))
    assert str(error.value) == message


@pytest.mark.parametrize(
    ("text", "value"),
    [("'pytorch/pytorch'", "pytorch/pytorch"), ('"x"', "x"), ("12", 12), ("-0.5", -0.5), ("true", True)],
)
def test_literals(text: str, value: object) -> None:
    assert parse_literal(text, "here") == value


def test_a_list_literal() -> None:
    assert parse_literal("['a/b', null, false, 3]", "here") == ["a/b", None, False, 3]


def test_the_real_library() -> None:
    library = load_library()
    files = sorted(path.stem for path in QUERY_DIR.glob("*.cypher"))
    assert sorted(library) == files and len(files) > 40
    for name, query in library.items():
        assert query.path == QUERY_DIR / f"{name}.cypher"
        assert query.columns, name
        assert query.used_parameters() <= set(query.examples), name
    assert get_query("repo_monthly").examples["repo"] == "pytorch/pytorch"


def test_unknown_query_names_are_refused() -> None:
    with pytest.raises(BadParameter) as error:
        get_query("no_such_query")
    assert str(error.value) == "no library query named 'no_such_query'; `nichegraph query --list` lists them"


def test_unknown_parameters_of_a_real_query_are_refused() -> None:
    with pytest.raises(BadParameter, match=r"^--param owner: query 'repo_monthly' has no such parameter \(it takes: "):
        get_query("repo_monthly").parameters({"owner": "x"})
