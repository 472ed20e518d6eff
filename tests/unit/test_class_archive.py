"""The shared class archive of the local server's JVMs (nichegraph/localdb.py): the first server
records it, later starts and the bulk importer map it; only a whole recording reaches the cache,
and a Java binary of its own gets an archive of its own."""

from __future__ import annotations

import sys
from pathlib import Path

from nichegraph import localdb

JAVA = sys.executable  # any existing binary stands for the Java one: nothing is run


def server_in(tmp_path: Path) -> localdb.LocalServer:
    server = localdb.LocalServer(tmp_path / "home", 7999, 7998, "neo4j", "secret", tmp_path / "cache")
    (server.home / "run").mkdir(parents=True)
    server.lib_dir.mkdir(parents=True)
    return server


def test_without_an_archive_the_server_records_one_and_the_importer_runs_without(tmp_path: Path) -> None:
    server = server_in(tmp_path)
    dump = (server.home / "run" / localdb.CLASS_DUMP).resolve()
    assert localdb.class_sharing_flags(server, JAVA) == [f"-XX:ArchiveClassesAtExit={dump}"]
    assert localdb.class_sharing_flags(server, JAVA, record=False) == []


def test_a_whole_recording_becomes_the_archive_every_later_jvm_maps(tmp_path: Path) -> None:
    server = server_in(tmp_path)
    (server.home / "run" / localdb.CLASS_DUMP).write_bytes(b"recorded classes")
    localdb.keep_class_archive(server, JAVA, complete=True)
    archive = localdb.class_archive(server, JAVA)
    assert archive.parent == server.lib_dir.parent and archive.read_bytes() == b"recorded classes"
    assert not (server.home / "run" / localdb.CLASS_DUMP).exists()
    assert [path.name for path in archive.parent.glob("*.jsa*")] == [archive.name]  # no staged copy left
    for record in (True, False):
        assert localdb.class_sharing_flags(server, JAVA, record) == [f"-XX:SharedArchiveFile={archive}"]


def test_a_recording_cut_short_or_a_second_one_never_replaces_the_archive(tmp_path: Path) -> None:
    server = server_in(tmp_path)
    dump = server.home / "run" / localdb.CLASS_DUMP
    dump.write_bytes(b"half")
    localdb.keep_class_archive(server, JAVA, complete=False)  # the server had to be killed
    assert not dump.exists() and not localdb.class_archive(server, JAVA).exists()

    dump.write_bytes(b"first")
    localdb.keep_class_archive(server, JAVA, complete=True)
    dump.write_bytes(b"second")
    localdb.keep_class_archive(server, JAVA, complete=True)
    assert localdb.class_archive(server, JAVA).read_bytes() == b"first" and not dump.exists()


def test_each_java_binary_has_an_archive_of_its_own(tmp_path: Path) -> None:
    server = server_in(tmp_path)
    other = tmp_path / "other-java"
    other.write_text("")
    assert localdb.class_archive(server, JAVA) != localdb.class_archive(server, str(other))
    assert localdb.class_archive(server, JAVA) == localdb.class_archive(server, JAVA)


def test_a_restart_of_the_recording_server_maps_the_archive_it_wrote(tmp_path: Path) -> None:
    server = server_in(tmp_path)
    command = [JAVA, "-Xmx1g", *localdb.class_sharing_flags(server, JAVA), "-cp", "lib/*", localdb.ENTRY_POINT]
    assert localdb.with_class_archive(server, command) == command  # nothing recorded yet
    (server.home / "run" / localdb.CLASS_DUMP).write_bytes(b"recorded classes")
    localdb.keep_class_archive(server, JAVA, complete=True)
    archive = localdb.class_archive(server, JAVA)
    assert localdb.with_class_archive(server, command) == [
        JAVA,
        "-Xmx1g",
        f"-XX:SharedArchiveFile={archive}",
        "-cp",
        "lib/*",
        localdb.ENTRY_POINT,
    ]
