"""The relation rules that read GitHub metadata (U3 named upstreams, C1 and C3 rivals), on the whole
snapshot with the shared metadata file loaded. The relations are computed, not stored, and the
metadata is taken off the full server again afterwards (other tests' verdicts must not depend on
whether this one ran first)."""

from __future__ import annotations

import csv
import re
from collections.abc import Iterator

import pytest

from nichegraph.analysis.pipeline import compute_relations
from nichegraph.analysis.relations import RelationResult
from nichegraph.db import Graph
from tests.conftest import METADATA_FILE, quiet_progress
from tests.support.github_server import metadata_loaded
from tests.support.niche_fixtures import Analysed


@pytest.fixture(scope="module")
def with_metadata(full_settings, analysed: Analysed) -> Iterator[RelationResult]:  # type: ignore[no-untyped-def]
    with Graph(full_settings) as graph, metadata_loaded(graph, METADATA_FILE):
        yield compute_relations(graph, analysed.window, quiet_progress())


def file_terms(repo: str) -> set[str]:
    """The words of a repository's description and its topics, read straight from the file."""
    for row in csv.DictReader(METADATA_FILE.open(encoding="utf-8")):
        if row["repo"] == repo:
            words = set(re.findall(r"[a-z0-9][a-z0-9+#-]*", row["description"].lower()))
            return words | set(filter(None, row["topics"].split("|")))
    raise AssertionError(f"{repo} is not in {METADATA_FILE}")


def test_a_library_naming_its_runtime_is_downstream_of_it(with_metadata: RelationResult) -> None:
    # pandas: "... manipulation library for Python", topic `python`; cpython carries its owner's name
    # and is the only `python/` repository of the snapshot, so "python" names it. Their cores barely
    # cross (one and two core members) and the shared developers lean slightly towards cpython:
    # the named rule speaks when the lean is above -1 (it used to need >= 0).
    assert "python" in file_terms("pandas-dev/pandas")
    found = with_metadata.find("python/cpython", "pandas-dev/pandas")
    assert found is not None
    assert (found.relation, found.source, found.rule) == ("upstream", "python/cpython", "U3")
    row = found.row()
    assert row["targetNamesSource"] and not row["sourceNamesTarget"]
    assert -1.0 <= row["lean"] < 0  # towards the upstream, within the bound
    assert found.confidence == pytest.approx(0.55)  # 0.55 + 0.25 * max(0, lean)
    assert row["sourceCoreInTarget"] - row["targetCoreInSource"] <= 0.10


def test_an_owner_whose_repositories_all_carry_its_name_names_none_of_them(with_metadata: RelationResult) -> None:
    # terraform-provider-azurerm's topics say `azure`; seven Azure/azure-* repositories carry that
    # name, so it names none of them and none is its upstream by name
    assert "azure" in file_terms("hashicorp/terraform-provider-azurerm")
    named = [
        r
        for r in with_metadata.relations
        if r.rule == "U3" and r.target == "hashicorp/terraform-provider-azurerm" and r.source.startswith("Azure/")
    ]
    assert named == []


def test_rivals_alike_by_metadata_and_position(with_metadata: RelationResult) -> None:
    # pytorch and tensorflow: "neural networks in Python" / "Machine Learning Framework", topics
    # deep-learning, machine-learning, neural-network, python in common; cores apart, many projects both
    # are linked to; their metadata is alike under C1's bar, so C3 decides
    shared = file_terms("pytorch/pytorch") & file_terms("tensorflow/tensorflow")
    assert {"deep-learning", "machine-learning", "neural-network", "python"} <= shared
    found = with_metadata.find("pytorch/pytorch", "tensorflow/tensorflow")
    assert found is not None and (found.relation, found.rule) == ("competitor", "C3"), found and found.reason
    row = found.row()
    assert 0.12 <= row["metadataSimilarity"] < 0.25
    assert row["commonNeighbours"] >= 5 or row["profileSimilarity"] >= 0.3
    assert max(row["sourceCoreInTarget"], row["targetCoreInSource"]) <= 0.10
    assert set(row["sharedTerms"]) and set(row["sharedTerms"]) <= shared
    assert found.confidence == pytest.approx(0.35 + 0.5 * row["metadataSimilarity"])


def test_ui_component_libraries_are_rivals_by_their_kind(with_metadata: RelationResult) -> None:
    # "React UI library" (topics ui-kit, ui-library), "A Vue.js 3 UI Library", "React component library":
    # one declared kind (round 6). ant-design and element-plus share developers and part of element-plus's
    # core works in ant-design, which U1 read as ant-design upstream of element-plus: one kind is no
    # dependency, and the crossing is no one team, so they are rivals; ant-design and material-ui were C3
    assert "ui library" in file_row("ant-design/ant-design")["description"].lower()
    assert "ui library" in file_row("element-plus/element-plus")["description"].lower()
    assert "component library" in file_row("mui/material-ui")["description"].lower()
    for a, b in [("ant-design/ant-design", "element-plus/element-plus"), ("ant-design/ant-design", "mui/material-ui")]:
        found = with_metadata.find(a, b)
        assert found is not None and (found.relation, found.rule) == ("competitor", "C4"), found and found.reason
        assert found.row()["sharedKind"] == "UI component library" and found.confidence == pytest.approx(0.7)


def file_row(repo: str) -> dict[str, str]:
    for row in csv.DictReader(METADATA_FILE.open(encoding="utf-8")):
        if row["repo"] == repo:
            return row
    raise AssertionError(f"{repo} is not in {METADATA_FILE}")


def test_programming_languages_are_rivals_by_the_kind_they_declare(with_metadata: RelationResult) -> None:
    # cpython: "The Python programming language"; rust: topic `language`; php-src: "The PHP
    # Interpreter", and PHP is a language the file gives other projects (laravel's). Their words
    # share little else (php-src and cpython: nothing), cores apart: one declared kind, C4.
    assert "programming language" in file_row("python/cpython")["description"].lower()
    assert "language" in file_row("rust-lang/rust")["topics"].split("|")
    assert file_row("php/php-src")["description"] == "The PHP Interpreter"
    assert file_row("laravel/framework")["language"] == "PHP"
    for a, b in [("python/cpython", "rust-lang/rust"), ("php/php-src", "python/cpython")]:
        found = with_metadata.find(a, b)
        assert found is not None and (found.relation, found.rule) == ("competitor", "C4"), found and found.reason
        row = found.row()
        assert max(row["sourceCoreInTarget"], row["targetCoreInSource"]) <= 0.10
        assert row["metadataSimilarity"] < 0.25  # under C1's bar: the words alone would not say it
        assert "programming language" in found.reason and found.confidence == pytest.approx(0.7)
        assert row["sharedKind"] == "programming language"
    # go and zig both say "programming language"; a fifth of zig's core works in go (U1 used to make
    # go upstream of zig): two languages are no dependency by core crossing
    assert "programming language" in file_row("golang/go")["description"].lower()
    assert "programming language" in file_row("ziglang/zig")["description"].lower()
    zig = with_metadata.find("golang/go", "ziglang/zig")
    assert zig is not None and (zig.relation, zig.rule) == ("competitor", "C4"), zig and zig.reason
    assert 0.10 < max(zig.signals.core_ab, zig.signals.core_ba) <= 0.30  # the cores cross, one team they are not


def test_two_runtimes_whose_cores_cross_are_rivals_by_their_kind(with_metadata: RelationResult) -> None:
    # deno: "A modern runtime for JavaScript and TypeScript"; node: "Node.js JavaScript runtime": both
    # runtimes naming a language some project of the file is written in, so both declare a language.
    # Their cores cross (node's core works in deno) without being one team: rivals (round 6), they were peers
    assert "runtime" in file_row("denoland/deno")["description"].lower()
    assert "runtime" in file_row("nodejs/node")["description"].lower()
    assert file_row("vercel/next.js")["language"] == "JavaScript"
    found = with_metadata.find("denoland/deno", "nodejs/node")
    assert found is not None and (found.relation, found.rule) == ("competitor", "C4"), found and found.reason
    row = found.row()
    cores = sorted((row["sourceCoreInTarget"], row["targetCoreInSource"]))
    assert cores[1] > 0.10 and cores[0] <= 0.30 and "but not one team" in found.reason


def test_a_hub_and_a_project_of_its_kind_are_rivals(with_metadata: RelationResult, analysed: Analysed) -> None:
    # microsoft/vcpkg (a distribution hub of the window) and conan-center-index both carry the topic
    # `package-manager`; a hub and a non-hub used to be peers at most (round 6: rivals by a declared kind)
    assert "microsoft/vcpkg" in analysed.relations.network.repos
    hubs = {analysed.relations.network.repos[i] for i in analysed.relations.network.excluded}
    assert "microsoft/vcpkg" in hubs and "conan-io/conan-center-index" not in hubs
    for repo in ("microsoft/vcpkg", "conan-io/conan-center-index"):
        assert "package-manager" in file_row(repo)["topics"].split("|")
    found = with_metadata.find("microsoft/vcpkg", "conan-io/conan-center-index")
    assert found is not None and (found.relation, found.rule) == ("competitor", "C4"), found and found.reason
    # no other rival rule pairs a hub with a project that is not one
    for relation in with_metadata.relations:
        if relation.relation == "competitor" and len({relation.source, relation.target} & hubs) == 1:
            assert relation.rule == "C4", relation.reason


def test_two_databases_alike_in_one_niche(with_metadata: RelationResult) -> None:
    # cockroach and tidb: "distributed SQL database" / topics database, distributed-database, sql; few common
    # neighbours, but one niche and developers in common well beyond random mixing: C3 (round 6)
    shared = file_terms("cockroachdb/cockroach") & file_terms("pingcap/tidb")
    assert {"database", "distributed-database", "sql"} <= shared
    found = with_metadata.find("cockroachdb/cockroach", "pingcap/tidb")
    assert found is not None and (found.relation, found.rule) == ("competitor", "C3"), found and found.reason
    row = found.row()
    assert row["sameNiche"] and row["sharedDevelopers"] >= 1 and row["lift"] >= 5
    assert row["commonNeighbours"] < 5 and row["profileSimilarity"] < 0.3  # positions alike by the niche alone
    assert 0.12 <= row["metadataSimilarity"] < 0.25 and found.confidence < 0.5


def test_a_registry_naming_its_language_is_downstream_of_it(with_metadata: RelationResult) -> None:
    # JuliaRegistries/General: "The official registry of general Julia packages"; julia is the one
    # repository named "julia", and julia's own metadata does not name the registry. The two are one
    # team (the registry's maintainers are julia's core: both cores well over 30% in the other), so
    # the cores' flow says nothing of the direction: the name decides, julia upstream (U3), where
    # U2 read julia's core working in the registry as julia being downstream (round 5).
    assert "julia" in file_terms("JuliaRegistries/General")
    assert not {"general", "juliaregistries", "juliaregistriesgeneral"} & file_terms("JuliaLang/julia")
    found = with_metadata.find("JuliaLang/julia", "JuliaRegistries/General")
    assert found is not None, "julia and its registry share most of their cores"
    assert (found.relation, found.source, found.rule) == ("upstream", "JuliaLang/julia", "U3"), found.reason
    row = found.row()
    assert min(row["sourceCoreInTarget"], row["targetCoreInSource"]) > 0.30
    assert "one team" in found.reason


def test_a_runtime_naming_the_languages_it_runs_is_not_their_downstream(with_metadata: RelationResult) -> None:
    # deno: "A modern runtime for JavaScript and TypeScript", topics `rust`, `typescript`: it declares a
    # language (a runtime naming one), as TypeScript and rust do; it does their job (the OSS Insight
    # language collection), so naming them makes it neither their downstream nor, named, their rival
    deno = file_row("denoland/deno")
    assert "runtime" in deno["description"].lower() and {"rust", "typescript"} <= set(deno["topics"].split("|"))
    assert "language" in file_row("microsoft/TypeScript")["topics"].split("|")
    for upstream in ("microsoft/TypeScript", "rust-lang/rust"):
        found = with_metadata.find(upstream, "denoland/deno")
        assert found is None or found.relation != "upstream", found and found.reason


def test_every_metadata_rule_keeps_its_bounds(with_metadata: RelationResult) -> None:
    rules = {r.rule for r in with_metadata.relations}
    assert {"U3", "C1", "C3", "C4"} <= rules
    for relation in with_metadata.relations:
        row = relation.row()
        if relation.rule == "U3":
            assert row["targetNamesSource"] and not row["sourceNamesTarget"] and row["sharedKind"] is None
            one_team = min(row["sourceCoreInTarget"], row["targetCoreInSource"]) > 0.30
            assert row["lean"] >= -1.0 and (row["sourceCoreInTarget"] - row["targetCoreInSource"] <= 0.10 or one_team)
        if relation.relation == "upstream":
            # an upstream never describes itself by its downstream alone (round 5)
            assert not (row["sourceNamesTarget"] and not row["targetNamesSource"]), relation.reason
        if relation.rule in {"C1", "C3"}:
            assert max(row["sourceCoreInTarget"], row["targetCoreInSource"]) <= 0.10
            assert not (row["sourceNamesTarget"] or row["targetNamesSource"])
            assert row["metadataSimilarity"] >= (0.25 if relation.rule == "C1" else 0.12)
        if relation.rule == "C4":
            cores = sorted((row["sourceCoreInTarget"], row["targetCoreInSource"]))
            assert cores[1] <= 0.10 or (cores[0] <= 0.30 and "but not one team" in relation.reason)
            assert not (row["sourceNamesTarget"] or row["targetNamesSource"])
            low, high = sorted((row["sourceOpenrank"], row["targetOpenrank"]))
            assert high <= 6 * low and "declare themselves a" in relation.reason
        if relation.rule == "C3":
            assert row["metadataSimilarity"] < 0.25 and relation.confidence < 0.5
            in_niche = row["sameNiche"] and row["sharedDevelopers"] >= 1 and row["lift"] >= 5
            assert row["commonNeighbours"] >= 5 or row["profileSimilarity"] >= 0.3 or in_niche
