"""GitHub metadata, the pure parts: metadata CSV rows and files, GitHub's REST answers, the
provenance string, and how long GitHub's rate-limit headers say to wait. Rows are real rows
of ../shared/data/github-metadata/repo_metadata.csv or written by hand; no Neo4j, no network."""

from __future__ import annotations

from email.utils import formatdate
from pathlib import Path

import pytest

from nichegraph.errors import BadParameter
from nichegraph.loader.github_api import RESET_SLACK, SECONDARY_LIMIT_WAIT, Answer, AnswerCache, rate_limit_wait
from nichegraph.loader.github_metadata import BadMetadata, api_record, read_metadata_file
from nichegraph.repo_metadata import BadProvenance, describe_metadata, format_provenance, parse_provenance

HEADER = "repo,description,language,topics,license,archived,created_at,homepage,source"
# real rows of the shared file, copied as they are
PYTORCH = (
    "pytorch/pytorch,Tensors and Dynamic neural networks in Python with strong GPU acceleration,Python,"
    "autograd|deep-learning|gpu|machine-learning|neural-network|numpy|python|tensor,BSD-3-Clause,false,"
    "2016-08-13T05:26:41Z,,description=EvanLi@2026-08-22;language=EvanLi@2026-08-22;topics=landscape_local@2025-09-13;"
    "license=bestof:ml-tooling/best-of-ml-python@2025-06-26;archived=bored@2026-04-27;created_at=bored"
)
ARDUPILOT = (
    'ArduPilot/ardupilot,"ArduPlane, ArduCopter, ArduRover, ArduSub source",C++,,,false,2013-01-09T00:58:52Z,,'
    "description=kstars@2026-03-30;language=kstars@2026-03-30;archived=bored@2025-06-02;created_at=bored"
)
ADGUARD = "AdguardTeam/AdguardFilters,,,,,false,2014-08-05T09:12:41Z,,archived=bored@2025-06-02;created_at=bored"
SKYRAT = (
    "Skyrat-SS13/Skyrat-tg,A Skyrat downstream of /tg/station,DM,,,,2020-07-21,,"
    "description=EvanLi@2026-08-22;language=EvanLi@2026-08-22;created_at=kstars"
)


def write_csv(tmp_path: Path, *lines: str, name: str = "meta.csv") -> Path:
    path = tmp_path / name
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


# --- the metadata CSV -------------------------------------------------------------------


def test_real_rows_become_records_with_absent_fields_for_empty_cells(tmp_path: Path) -> None:
    result = read_metadata_file(write_csv(tmp_path, HEADER, PYTORCH, ARDUPILOT, ADGUARD, SKYRAT))
    assert result.ok, result.bad_rows
    pytorch, ardupilot, adguard, skyrat = result.records
    assert pytorch.repo == "pytorch/pytorch"
    assert pytorch.fields == {
        "description": "Tensors and Dynamic neural networks in Python with strong GPU acceleration",
        "language": "Python",
        "topics": [
            "autograd",
            "deep-learning",
            "gpu",
            "machine-learning",
            "neural-network",
            "numpy",
            "python",
            "tensor",
        ],
        "license": "BSD-3-Clause",
        "archived": False,
        "createdAt": "2016-08-13T05:26:41Z",
        "homepage": None,
    }
    assert pytorch.provenance is not None and "topics=landscape_local@2025-09-13" in pytorch.provenance
    assert ardupilot.fields["description"] == "ArduPlane, ArduCopter, ArduRover, ArduSub source"
    assert ardupilot.fields["topics"] is None and ardupilot.fields["license"] is None
    assert adguard.present() == ["archived", "createdAt"]
    assert skyrat.fields["archived"] is None and skyrat.fields["createdAt"] == "2020-07-21"


def test_columns_may_come_in_any_order_and_the_file_may_start_with_a_bom(tmp_path: Path) -> None:
    path = tmp_path / "reordered.csv"
    path.write_text(
        "\ufeffsource,repo,archived,description,language,topics,license,created_at,homepage\n"
        "archived=bored@2025-06-02,a/b,TRUE,Hello,,x|y,MIT,2020-01-02T03:04:05+08:00,https://example.org\n",
        encoding="utf-8",
    )
    (record,) = read_metadata_file(path).records
    assert record.fields["archived"] is True and record.fields["topics"] == ["x", "y"]
    assert (
        record.fields["createdAt"] == "2020-01-02T03:04:05+08:00" and record.provenance == "archived=bored@2025-06-02"
    )


@pytest.mark.parametrize(
    ("row", "message"),
    [
        ("a/b,,,,,yes,,,", "line 3: archived 'yes' is not true or false"),
        ("a/b,,,,,,2023-02-30,,", "line 3: created_at '2023-02-30' is not a real date"),
        ("a/b,,,,,,30/01/2023,,", "line 3: created_at '30/01/2023' is not an ISO 8601 date"),
        ("a/b,,,,,,2023-01-30 10:00,,", "is not an ISO 8601 date"),
        ('a/b,,,"ai, ml",,,,,', "line 3: topics: 'ai, ml' is not a GitHub topic"),
        ("a/b,,,ai||ml,,,,,", "line 3: topics: '' is not a GitHub topic"),
        ("a/b,,,Machine-Learning,,,,,", "is not a GitHub topic"),
        ("not a repo,,,,,,,,", "line 3: repo 'not a repo' is not owner/repo"),
        ("a/b,,,,,,,,colour=blue", "line 3: source: 'colour' is not a metadata column"),
        ("a/b,,,,,,,,description", "line 3: source: 'description' is not column=source"),
        ("a/b,x,,,,,,", "line 3: 8 fields where the header has 9"),
        ("a/b,x,,,,,,,,", "line 3: 10 fields where the header has 9"),
    ],
)
def test_a_bad_row_is_named_by_file_and_line(tmp_path: Path, row: str, message: str) -> None:
    path = write_csv(tmp_path, HEADER, ADGUARD, row, PYTORCH)
    result = read_metadata_file(path)
    assert not result.ok
    (problem,) = result.bad_rows
    assert problem.startswith(f"{path} line 3: ") and message in problem, problem


def test_every_bad_row_is_reported_and_a_repeated_repo_names_both_lines(tmp_path: Path) -> None:
    path = write_csv(
        tmp_path, HEADER, PYTORCH, "x/y,,,,,maybe,,,", ARDUPILOT, PYTORCH.replace("pytorch/", "PyTorch/", 1)
    )
    problems = read_metadata_file(path).bad_rows
    assert problems == [
        f"{path} line 3: archived 'maybe' is not true or false",
        f"{path} line 5: PyTorch/pytorch is listed twice (first on line 2)",
    ]


def test_line_numbers_count_lines_inside_quoted_cells(tmp_path: Path) -> None:
    path = write_csv(tmp_path, HEADER, 'a/b,"two\nlines",,,,false,,,', "c/d,,,,,no,,,")
    assert read_metadata_file(path).bad_rows == [f"{path} line 4: archived 'no' is not true or false"]


@pytest.mark.parametrize(
    ("header", "message"),
    [
        ("repo,description,language,topics,license,archived,created_at,homepage", "missing source"),
        (HEADER + ",stars", "unknown stars"),
        ("repo_name,description,language,topics,license,archived,created_at,homepage,source", "missing repo"),
        (HEADER.replace("homepage", "language"), "missing homepage; repeated language"),
    ],
)
def test_an_unknown_column_set_refuses_the_file(tmp_path: Path, header: str, message: str) -> None:
    path = write_csv(tmp_path, header, ADGUARD)
    with pytest.raises(BadMetadata) as error:
        read_metadata_file(path)
    assert str(error.value).startswith(f"{path} line 1: unknown column set (") and message in str(error.value)


def test_unreadable_empty_and_non_utf8_files(tmp_path: Path) -> None:
    with pytest.raises(BadParameter, match="--file: cannot read"):
        read_metadata_file(tmp_path / "missing.csv")
    empty = tmp_path / "empty.csv"
    empty.write_bytes(b"")
    with pytest.raises(BadMetadata, match=r"empty.csv line 1: empty file"):
        read_metadata_file(empty)
    latin = tmp_path / "latin.csv"
    latin.write_bytes(f"{HEADER}\n{ADGUARD}\n".encode() + "a/b,Café,,,,,,,\n".encode("latin-1"))
    with pytest.raises(BadMetadata, match=r"latin.csv line 3: not UTF-8 text"):
        read_metadata_file(latin)


def test_an_unclosed_quote_is_malformed_csv(tmp_path: Path) -> None:
    path = write_csv(tmp_path, HEADER, ADGUARD, 'a/b,"never closed,,,,,,,')
    (problem,) = read_metadata_file(path).bad_rows
    assert "malformed CSV" in problem and problem.startswith(f"{path} line ")


# --- GitHub's REST answer ---------------------------------------------------------------

ANSWER = {
    "full_name": "pytorch/pytorch",
    "description": "Tensors and Dynamic neural networks in Python with strong GPU acceleration",
    "language": "Python",
    "topics": ["deep-learning", "python", "deep-learning"],
    "license": {"key": "other", "name": "Other", "spdx_id": "NOASSERTION"},
    "archived": False,
    "created_at": "2016-08-13T05:26:41Z",
    "homepage": "",
    "stargazers_count": 90000,
}


def test_an_api_answer_becomes_a_record() -> None:
    found = api_record("pytorch/pytorch", ANSWER, "2026-12-01")
    assert found.full_name == "pytorch/pytorch"
    assert found.record.fields == {
        "description": ANSWER["description"],
        "language": "Python",
        "topics": ["deep-learning", "python"],
        "license": "Other",  # GitHub has no SPDX id for it: its name
        "archived": False,
        "createdAt": "2016-08-13T05:26:41Z",
        "homepage": None,  # "" from GitHub is no homepage
    }
    assert parse_provenance(found.record.provenance) == {
        column: "github-api@2026-12-01"
        for column in ("description", "language", "topics", "license", "archived", "created_at")
    }


def test_an_api_answer_keeps_the_spdx_id_and_drops_what_github_leaves_empty() -> None:
    answer = {
        **ANSWER,
        "license": {"spdx_id": "BSD-3-Clause", "name": 'BSD 3-Clause "New" or "Revised" License'},
        "description": None,
        "topics": [],
        "language": None,
    }
    fields = api_record("pytorch/pytorch", answer, "2026-12-01").record.fields
    assert fields["license"] == "BSD-3-Clause"
    assert fields["description"] is None and fields["topics"] is None and fields["language"] is None
    assert api_record("a/b", {"full_name": "c/d"}, "2026-12-01").record.present() == []


@pytest.mark.parametrize(
    ("answer", "message"),
    [
        ({"message": "Not Found"}, "is not a repository"),
        ([1, 2], "is not a repository"),
        ({**ANSWER, "full_name": "no-slash"}, "full_name 'no-slash' is not owner/repo"),
        ({**ANSWER, "archived": "false"}, "archived is a str, not a bool"),
        ({**ANSWER, "topics": "python"}, "topics is a str, not a list"),
        ({**ANSWER, "topics": ["python", 3]}, "topics is not a list of strings"),
        ({**ANSWER, "created_at": "yesterday"}, "created_at 'yesterday' is not an ISO 8601 date"),
        ({**ANSWER, "license": "MIT"}, "license is str, not an object"),
    ],
)
def test_a_malformed_api_answer_is_refused(answer: object, message: str) -> None:
    with pytest.raises(BadMetadata, match="pytorch/pytorch: GitHub's answer") as error:
        api_record("pytorch/pytorch", answer, "2026-12-01")
    assert message in str(error.value)


# --- provenance and what pages show -------------------------------------------------------


def test_provenance_round_trip_in_column_order() -> None:
    text = "created_at=bored;description=EvanLi@2026-08-22;archived=bored@2025-06-02(archived_at=2023-02-20T10:15:58Z)"
    sources = parse_provenance(text)
    assert sources["archived"] == "bored@2025-06-02(archived_at=2023-02-20T10:15:58Z)"
    assert format_provenance(sources) == (
        "description=EvanLi@2026-08-22;archived=bored@2025-06-02(archived_at=2023-02-20T10:15:58Z);created_at=bored"
    )
    assert parse_provenance(None) == {} and parse_provenance("") == {}
    with pytest.raises(BadProvenance, match="named twice"):
        parse_provenance("language=a;language=b")


def test_describe_metadata_gives_each_present_field_its_source() -> None:
    properties = {
        "description": "Stable Diffusion web UI",
        "language": "Python",
        "topics": None,
        "archived": False,
        "createdAt": "2022-08-22T14:05:26Z",
        "metadataSource": "repo_metadata.csv",
        "metadataProvenance": "description=EvanLi@2026-08-22;language=EvanLi@2026-08-22;archived=bored@2026-04-27",
        "metadataFetchedAt": "2026-12-01T10:00:00Z",
    }
    shown = describe_metadata(properties)
    assert shown is not None
    assert [(f["property"], f["value"], f["source"]) for f in shown["fields"]] == [
        ("description", "Stable Diffusion web UI", "EvanLi@2026-08-22"),
        ("language", "Python", "EvanLi@2026-08-22"),
        ("archived", False, "bored@2026-04-27"),
        ("createdAt", "2022-08-22T14:05:26Z", "repo_metadata.csv"),  # no provenance given: the file
    ]
    assert shown["source"] == "repo_metadata.csv" and shown["fetchedAt"] == "2026-12-01T10:00:00Z"
    assert describe_metadata({"description": None}) is None


# --- the rate limit -----------------------------------------------------------------------

NOW = 1_764_583_200.0  # 2025-12-01 10:00:00 UTC


def limit_headers(remaining: int, reset_in: float, clock: float = NOW) -> dict[str, str]:
    return {
        "X-RateLimit-Limit": "60",
        "X-RateLimit-Remaining": str(remaining),
        "X-RateLimit-Reset": str(int(NOW + reset_in)),
        "Date": formatdate(clock, usegmt=True),
    }


def test_no_wait_while_requests_are_left() -> None:
    assert rate_limit_wait(200, limit_headers(59, 3600), NOW) is None
    assert rate_limit_wait(200, {}, NOW) is None
    assert rate_limit_wait(404, limit_headers(1, 3600), NOW) is None


def test_an_exhausted_budget_waits_until_the_reset() -> None:
    assert rate_limit_wait(200, limit_headers(0, 120), NOW) == 120 + RESET_SLACK
    assert rate_limit_wait(403, limit_headers(0, 1800), NOW) == 1800 + RESET_SLACK
    # a reset already past: only the slack
    assert rate_limit_wait(403, limit_headers(0, -30), NOW) == RESET_SLACK


def test_the_wait_is_measured_on_githubs_clock_not_ours() -> None:
    # our clock runs 10 minutes fast; GitHub's Date header says the true time
    assert rate_limit_wait(403, limit_headers(0, 120), NOW + 600) == 120 + RESET_SLACK
    # without a Date header our clock is all there is
    headers = limit_headers(0, 120)
    del headers["Date"]
    assert rate_limit_wait(403, headers, NOW + 100) == 20 + RESET_SLACK


def test_retry_after_and_secondary_limits() -> None:
    assert rate_limit_wait(403, {"Retry-After": "37"}, NOW) == 37
    assert rate_limit_wait(429, {"retry-after": formatdate(NOW + 90, usegmt=True)}, NOW) == pytest.approx(90)
    assert rate_limit_wait(429, {}, NOW) == SECONDARY_LIMIT_WAIT
    body = b'{"message": "You have exceeded a secondary rate limit."}'
    assert rate_limit_wait(403, {}, NOW, body) == SECONDARY_LIMIT_WAIT
    assert rate_limit_wait(403, {}, NOW, b'{"message": "Repository access blocked"}') is None
    assert rate_limit_wait(403, {"X-RateLimit-Remaining": "0", "X-RateLimit-Reset": "soon"}, NOW) == (
        SECONDARY_LIMIT_WAIT
    )


def test_the_cache_keeps_every_name_inside_its_folder(tmp_path: Path) -> None:
    cache = AnswerCache.for_api(tmp_path, "http://127.0.0.1:8080/api/v3/")
    assert cache.folder == tmp_path / "github-api" / "127.0.0.1%3A8080%2Fapi%2Fv3"
    for name in ("../..", "a/..", "Pytorch/PyTorch"):
        assert cache.path(name).parent == cache.folder
    cache.write("Pytorch/PyTorch", 'W/"abc"', {"full_name": "pytorch/pytorch"})
    cached = cache.read("pytorch/pytorch")
    assert cached is not None and cached.etag == 'W/"abc"' and cached.document == {"full_name": "pytorch/pytorch"}
    cache.path("a/b").write_text("{not json")
    assert cache.read("a/b") is None and cache.read("never/seen") is None


def test_a_rename_is_another_full_name_not_another_casing() -> None:
    assert Answer("remix-run/remix", "fetched", full_name="remix-run/react-router").renamed
    assert not Answer("Lightning-AI/lightning", "fetched", full_name="lightning-ai/Lightning").renamed
    assert not Answer("a/b", "not-found").renamed
