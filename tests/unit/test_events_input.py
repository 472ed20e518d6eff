"""Bad GH Archive input is refused before anything is loaded, with the file and the line: lines
that are not JSON, a truncated gzip stream, a file that is not gzip, events of an unknown shape
(the archive's 2011-2014 layout, a payload without the fields activity needs), and sources that
are not there."""

from __future__ import annotations

import gzip
import re
from pathlib import Path

import orjson
import pytest

from nichegraph.errors import BadParameter
from nichegraph.loader.events.stores import EventsInputError, open_events, parse_server_url
from tests.support.event_cases import ALICE, BOB, ROCKET, at, small_case
from tests.support.gharchive import Archive


def good_lines(count: int) -> list[bytes]:
    archive = Archive()
    for index in range(count):
        archive.issue_comment(at(1, 3, 9), ROCKET, BOB, 1, 1001, 50_000 + index, ALICE)
    return [orjson.dumps(event) + b"\n" for _, event in archive.events]


def write_gz(path: Path, lines: list[bytes]) -> Path:
    with gzip.open(path, "wb") as out:
        out.writelines(lines)
    return path


def refused(source: Path | str) -> str:
    with pytest.raises(EventsInputError) as caught, open_events(str(source)):
        pass
    return str(caught.value)


def test_a_line_that_is_not_json_is_named(tmp_path: Path) -> None:
    small_case().write(tmp_path)
    lines = good_lines(5)
    lines.insert(3, b'{"id": "1", "type": "IssuesEvent", "actor": {"id": 3,\n')
    bad = write_gz(tmp_path / "2023-01-05-7.json.gz", lines)
    message = refused(tmp_path)
    assert message.startswith(f"{bad} line 4: not valid JSON"), message
    assert "nothing was loaded" in message


def test_a_truncated_gzip_file_is_named(tmp_path: Path) -> None:
    whole = write_gz(tmp_path / "whole.json.gz", good_lines(400))
    cut = tmp_path / "2023-01-05-8.json.gz"
    cut.write_bytes(whole.read_bytes()[: whole.stat().st_size // 2])
    whole.unlink()
    message = refused(tmp_path)
    assert re.match(
        rf"{re.escape(str(cut))}: truncated gzip: the compressed data stops after \d+ complete line", message
    )


def test_a_file_that_is_not_gzip_is_named(tmp_path: Path) -> None:
    plain = tmp_path / "2023-01-05-9.json.gz"
    plain.write_bytes(b"".join(good_lines(3)))
    assert refused(plain).startswith(f"{plain}: not a readable gzip file")


def test_the_2011_2014_layout_is_an_unknown_shape(tmp_path: Path) -> None:
    lines = [
        *good_lines(2),
        b'{"type":"IssuesEvent","actor":"alice","repository":{"id":10,"name":"a","owner":"o"},'
        b'"payload":{"action":"opened","issue":100},"created_at":"2012/01/01 15:00:01 -0800"}\n',
    ]
    old = write_gz(tmp_path / "2012-01-01-15.json.gz", lines)
    message = refused(old)
    assert message.startswith(f'{old} line 3: unknown event shape: actor is "alice", expected an object'), message


def test_an_event_without_the_fields_activity_needs_is_named_deep_in_a_big_file(tmp_path: Path) -> None:
    # 60,000 lines (about 50 MB of JSON): ClickHouse parses it in parallel chunks, and the line
    # it reports must still be the line of the file
    lines = good_lines(60_000)
    broken = orjson.loads(lines[45_677])
    del broken["payload"]["comment"]["id"]
    lines[45_677] = orjson.dumps(broken) + b"\n"
    path = write_gz(tmp_path / "2023-01-03-9.json.gz", lines)
    message = refused(path)
    assert f"{path} line 45678: IssueCommentEvent without payload.action or payload.comment.id" in message


def test_a_line_that_is_not_an_event_is_named(tmp_path: Path) -> None:
    path = write_gz(tmp_path / "2023-01-03-10.json.gz", [*good_lines(2), b'{"hello": "world"}\n'])
    assert f'{path} line 3: no "type": not a GitHub event' in refused(path)


@pytest.mark.parametrize("source", ["{folder}/nothing-*.json.gz", "{folder}"])
def test_a_source_without_files_is_a_bad_parameter(tmp_path: Path, source: str) -> None:
    with pytest.raises(BadParameter, match="SOURCE: "), open_events(source.format(folder=tmp_path)):
        pass


@pytest.mark.parametrize(
    ("url", "problem"),
    [
        ("clickhouse://localhost/events", "is not clickhouse://"),
        ("clickhouse://localhost/db.table;drop", "is not clickhouse://"),
        ("clickhouse://user:secret@localhost/db.events", "put no password in the URL"),
        ("clickhouse://localhost:http/db.events", "port that is not a number"),
    ],
)
def test_bad_server_urls(url: str, problem: str) -> None:
    with pytest.raises(BadParameter, match=re.escape(problem)):
        parse_server_url(url)


def test_server_url_defaults() -> None:
    plain = parse_server_url("clickhouse://ch.example.org/opensource.events")
    assert (plain.host, plain.port, plain.user, plain.secure) == ("ch.example.org", 8123, "default", False)
    tls = parse_server_url("clickhouses://reader@ch.example.org:9443/default.github_events")
    assert (tls.port, tls.user, tls.secure, tls.database, tls.table) == (
        9443,
        "reader",
        True,
        "default",
        "github_events",
    )
