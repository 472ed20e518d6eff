"""Parsing and validating one repository's OpenDigger files (loader/opendigger.py): real
repositories read from the shared snapshot and checked against an independent reading of the
same files, then every kind of bad file, written by hand."""

from __future__ import annotations

import json
import math

import pytest

from nichegraph.loader.opendigger import (
    ALL_FILES,
    SERIES_FILES,
    BadFile,
    UnknownRepo,
    better_display,
    check_repo_name,
    parse_repo,
)
from nichegraph.loader.sources import FolderSource
from nichegraph.months import Window
from tests.conftest import TOP300
from tests.support.expected import read_expected

# small real repositories: every metric file, the October 2021 "-raw" keys, and (lens) the
# same developer listed twice in one month
CLEAN = "JacksonKearl/testissues"
REPEATS = "lensapp/lens"
PARTIAL = "google-test/signclav2-probe-repo"  # lacks four of the metric files


def raw_files(repo: str) -> dict[str, bytes | None]:
    return FolderSource(TOP300).read(repo)


@pytest.mark.parametrize("repo", [CLEAN, REPEATS, PARTIAL])
def test_contributions_equal_an_independent_reading(repo: str) -> None:
    expected = read_expected(TOP300, [repo])
    data = parse_repo(repo, raw_files(repo))
    got = {(key, repo, month): value for key, month, value in data.contributions.rows()}
    assert got.keys() == expected.contributions.keys()
    for key, value in expected.contributions.items():
        # repeats are merged as sqrt(a^2 + b^2), stored to 6 decimals
        assert math.isclose(got[key], value, abs_tol=1e-6), key
    assert data.rows_in == expected.rows_in
    assert data.merged_repeats == expected.repeats
    assert len(data.contributions) == len(expected.contributions)
    assert set(data.developers) == expected.developers
    for key, (login, _month, _bot) in data.developers.items():
        assert login in expected.casings[key]


def test_the_repeats_sample_really_has_repeats() -> None:
    assert read_expected(TOP300, [REPEATS]).repeats > 0


@pytest.mark.parametrize("repo", [CLEAN, PARTIAL])
def test_series_equal_the_files_and_raw_keys_are_kept_apart(repo: str) -> None:
    data = parse_repo(repo, raw_files(repo))
    expected = read_expected(TOP300, [repo]).series
    for (_repo, month), values in expected.items():
        for stem, value in values.items():
            assert data.months[month][SERIES_FILES[stem]] == value, (month, stem)
    # the measured October 2021 value sits beside the interpolated one, with a Raw suffix
    openrank = json.loads((TOP300 / "github" / repo / "openrank.json").read_text())
    assert data.months["2021-10"]["openrankRaw"] == openrank["2021-10-raw"]
    assert data.months["2021-10"]["openrank"] == openrank["2021-10"]


def test_missing_files_are_listed_not_fatal() -> None:
    present = {path.stem for path in (TOP300 / "github" / PARTIAL).glob("*.json")}
    data = parse_repo(PARTIAL, raw_files(PARTIAL))
    assert set(data.missing_files) == set(ALL_FILES) - present
    assert data.missing_files  # the sample does lack some files


def test_meta_gives_the_update_time() -> None:
    meta = json.loads((TOP300 / "github" / CLEAN / "meta.json").read_text())
    assert parse_repo(CLEAN, raw_files(CLEAN)).updated_at == meta["updatedAt"]


def test_a_window_keeps_only_its_months() -> None:
    window = Window("2021-01", "2021-12")
    data = parse_repo(REPEATS, raw_files(REPEATS), window)
    expected = read_expected(TOP300, [REPEATS], first="2021-01", last="2021-12")
    assert {(k, REPEATS, m) for k, m, _ in data.contributions.rows()} == expected.contributions.keys()
    assert set(data.months) <= set(window.months()) and data.months


def test_fingerprints_change_only_with_the_month_they_cover() -> None:
    files = raw_files(CLEAN)
    before = parse_repo(CLEAN, files).month_hashes
    openrank = json.loads(files["openrank"] or b"{}")
    month = sorted(k for k in openrank if len(k) == 7)[-1]
    openrank[month] += 1.0
    after = parse_repo(CLEAN, {**files, "openrank": json.dumps(openrank).encode()}).month_hashes
    assert {m for m in before if before[m] != after[m]} == {month}
    assert parse_repo(CLEAN, files).month_hashes == before  # the same bytes, the same hashes


# --- hand-written files ------------------------------------------------------------------


def repo_files(**files: object) -> dict[str, bytes | None]:
    """Every file absent except the given ones (objects are written as JSON, bytes as they are)."""
    raw: dict[str, bytes | None] = dict.fromkeys(ALL_FILES)
    for stem, body in files.items():
        raw[stem] = body if isinstance(body, bytes) else json.dumps(body).encode()
    return raw


def test_repeats_add_in_squares_and_the_latest_casing_is_shown() -> None:
    details = {
        "2022-01": [["Ann", 3.0], ["bob", 1.0], ["ann", 4.0]],  # Ann twice: sqrt(9 + 16) = 5
        "2022-02": [["ANN", 2], ["dependabot[bot]", 1.5]],
        "2022": [["ann", 99.0]],  # a yearly roll-up: skipped
    }
    data = parse_repo("a/b", repo_files(activity_details=details))
    rows = {(key, month): value for key, month, value in data.contributions.rows()}
    assert rows == {
        ("ann", "2022-01"): 5.0,
        ("ann", "2022-02"): 2.0,
        ("bob", "2022-01"): 1.0,
        ("dependabot[bot]", "2022-02"): 1.5,
    }
    assert data.contributions.keys == ["ann", "bob", "dependabot[bot]"]  # sorted: a fixed lock order
    assert data.developers["ann"] == ("ANN", "2022-02", False)
    assert data.developers["dependabot[bot]"][2] is True
    assert (data.rows_in, data.merged_repeats, data.skipped_aggregate_keys) == (5, 1, 1)
    assert set(data.months) == {"2022-01", "2022-02"}  # a month of details is a month with data


def test_aggregate_keys_of_series_are_skipped_and_counted() -> None:
    data = parse_repo("a/b", repo_files(stars={"2022-01": 5, "2022": 5, "2022Q1": 5}))
    assert data.months == {"2022-01": {"stars": 5}}
    assert data.skipped_aggregate_keys == 2


@pytest.mark.parametrize(
    ("first", "second", "expected"),
    [
        (("bob", "2022-02"), ("Bob", "2022-01"), True),  # the later month wins
        (("bob", "2022-01"), ("Bob", "2022-02"), False),
        (("Bob", "2022-01"), ("bob", "2022-01"), True),  # same month: the smaller string
        (("bob", "2022-01"), ("Bob", "2022-01"), False),
    ],
)
def test_better_display(first: tuple[str, str], second: tuple[str, str], expected: bool) -> None:
    assert better_display(*first, *second) is expected


BAD_FILES = [
    ("openrank", b"", "a/b/openrank.json is empty"),
    ("openrank", b'{"2022-01": 1.5', "a/b/openrank.json is not valid JSON"),
    ("activity_details", b'{"2022-01": [["x", 1.0]]', "a/b/activity_details.json is not valid JSON"),
    ("stars", [1, 2, 3], "a/b/stars.json: expected an object of month -> number, got list"),
    ("activity", {"2022-13": 1.0}, "a/b/activity.json: key '2022-13' is not a month (expected YYYY-MM)"),
    ("activity", {"22-01": 1.0}, "a/b/activity.json: key '22-01' is not a month (expected YYYY-MM)"),
    ("participants", {"2022-01": "many"}, "a/b/participants.json: month 2022-01: value 'many' is not a number"),
    ("participants", {"2022-01": True}, "a/b/participants.json: month 2022-01: value True is not a number"),
    ("participants", {"2022-01": None}, "a/b/participants.json: month 2022-01: value None is not a number"),
    ("openrank", {"2022-01": -1.5}, "a/b/openrank.json: month 2022-01: negative value -1.5"),
    # JSON has no infinity: a number too large for a double is refused by the parser
    ("openrank", b'{"2022-01": 1e999}', "a/b/openrank.json is not valid JSON (number is infinity"),
    ("activity_details", [["x", 1.0]], "a/b/activity_details.json: expected an object of month -> [[login, score]"),
    (
        "activity_details",
        {"2022-01": {"x": 1.0}},
        "a/b/activity_details.json: month 2022-01: expected a list of [login, score] pairs",
    ),
    (
        "activity_details",
        {"2022-01": [["x", 1.0, "extra"]]},
        "a/b/activity_details.json: month 2022-01 row 0: expected [login, score], got ['x', 1.0, 'extra']",
    ),
    (
        "activity_details",
        {"2022-01": [["x", 1.0], "y"]},
        "a/b/activity_details.json: month 2022-01 row 1: expected [login, score], got 'y'",
    ),
    (
        "activity_details",
        {"2022-01": [[" x", 1.0]]},
        "a/b/activity_details.json: month 2022-01 row 0: login ' x' is not a GitHub login",
    ),
    (
        "activity_details",
        {"2022-01": [["", 1.0]]},
        "a/b/activity_details.json: month 2022-01 row 0: login '' is not a GitHub login",
    ),
    (
        "activity_details",
        {"2022-01": [[7, 1.0]]},
        "a/b/activity_details.json: month 2022-01 row 0: login 7 is not a GitHub login",
    ),
    (
        "activity_details",
        {"2022-01": [["x", "2"]]},
        "a/b/activity_details.json: month 2022-01 row 0: score '2' is not a number",
    ),
    (
        "activity_details",
        {"2022-01": [["x", -2.0]]},
        "a/b/activity_details.json: month 2022-01 row 0: score -2.0 is negative or not finite",
    ),
    ("meta", [1], 'a/b/meta.json: expected an object like {"updatedAt": epoch_ms}'),
    ("meta", {"updatedAt": "yesterday"}, "a/b/meta.json: updatedAt 'yesterday' is not an epoch in milliseconds"),
    ("meta", {"updatedAt": 1.5}, "a/b/meta.json: updatedAt 1.5 is not an epoch in milliseconds"),
]


@pytest.mark.parametrize(("stem", "body", "message"), BAD_FILES)
def test_a_bad_file_is_refused_naming_the_file_and_the_problem(stem: str, body: object, message: str) -> None:
    good = {"2022-01": [["x", 1.0]]} if stem != "activity_details" else None
    files = repo_files(**{stem: body}) if good is None else repo_files(activity_details=good, **{stem: body})
    with pytest.raises(BadFile) as error:
        parse_repo("a/b", files)
    assert str(error.value).startswith(message), str(error.value)


def test_a_repository_without_files_is_unknown() -> None:
    with pytest.raises(UnknownRepo, match=r"^a/b: no OpenDigger files found \(repository not tracked\?\)$"):
        parse_repo("a/b", repo_files())


def test_the_label_names_the_files_instead_of_the_name() -> None:
    with pytest.raises(BadFile, match=r"^https://x/a/b/stars.json is empty$"):
        parse_repo("a/b", repo_files(stars=b""), label="https://x/a/b")


@pytest.mark.parametrize("name", ["a/b", "Some.Org/repo-name_2"])
def test_repository_names_are_accepted(name: str) -> None:
    assert check_repo_name(name) == name


@pytest.mark.parametrize("name", ["a", "a/b/c", "a b/c", "https://github.com/a/b", ""])
def test_other_names_are_refused(name: str) -> None:
    with pytest.raises(UnknownRepo, match=rf"^--repos: {name!r} is not a repository name of the form owner/repo$"):
        check_repo_name(name)
