"""GitHub metadata as evidence for relations: how alike two projects describe themselves, and
whether one names the other (docs/niches.md, "Metadata as evidence").

`nichegraph load github` stores `description`, `topics` and `language` on `Repo` (a missing
field is an absent property). Metadata is evidence, never proof: the relation rules use it
only together with signals from the contribution data, and every rule still works, with less
recall, where a project has no metadata.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field

from nichegraph.db import Graph

READ_METADATA = """
MATCH (r:Repo)
WHERE r.description IS NOT NULL OR r.topics IS NOT NULL
RETURN r.name AS repo, r.description AS description, r.topics AS topics, r.language AS language
"""

WORD = re.compile(r"[a-z0-9][a-z0-9+#-]*")
# words that say nothing about what a project does
STOP_WORDS = frozenset(
    {
        "a",
        "an",
        "and",
        "are",
        "as",
        "at",
        "be",
        "based",
        "built",
        "by",
        "for",
        "from",
        "in",
        "into",
        "is",
        "it",
        "its",
        "more",
        "most",
        "of",
        "on",
        "open",
        "or",
        "our",
        "source",
        "the",
        "that",
        "this",
        "to",
        "use",
        "using",
        "with",
        "you",
        "your",
    }
)


# Kinds of project a description or topic list declares, as (description phrases, topics). Two
# projects of one kind do the same job even when their words differ ("The Swift Programming
# Language", rust's topics `compiler language rust`): what a language is about is its own name.
LANGUAGE = "programming language"
KINDS: dict[str, tuple[tuple[str, ...], frozenset[str]]] = {
    LANGUAGE: (("programming language",), frozenset({"language", "programming-language"})),
    "game engine": (("game engine",), frozenset({"game-engine"})),
    "package manager": (("package manager",), frozenset({"package-manager"})),
    # round 6: "A Vue.js 3 UI Library", "React component library" (OSS Insight's UI kits)
    "UI component library": (
        ("ui library", "component library", "ui toolkit"),
        frozenset({"ui-library", "ui-kit", "component-library"}),
    ),
    # round 7: "A post-modern modal text editor", neovim's topic `text-editor`. Editors share
    # developers with everything they are written in and extended with, so when a drawer niche
    # is split (analysis/drawers.py) two editors may land apart: their kind still says they rival
    "text editor": (("text editor", "code editor"), frozenset({"text-editor", "code-editor"})),
    # round 8: "PlayStation 3 emulator and debugger", "A Flash Player emulator written in Rust": what an
    # emulator emulates differs, the job (running another platform's software) is the same
    "emulator": (("emulator",), frozenset({"emulator"})),
}
# ... and a language's implementation declares it too: "The PHP Interpreter", "Node.js JavaScript
# runtime", when the description names a language GitHub knows (a `language` value of the projects)
IMPLEMENTS = frozenset({"compiler", "interpreter", "runtime"})


@dataclass(frozen=True)
class RepoMetadata:
    repo: str
    description: str = ""
    topics: tuple[str, ...] = ()
    language: str | None = None

    def kinds(self, languages: frozenset[str] = frozenset()) -> frozenset[str]:
        """The kinds of project the metadata declares it to be (KINDS): what it is, not what it is
        about; "The Go programming language" declares a programming language, and so does a
        compiler, interpreter or runtime whose description names one of `languages`."""
        text = self.description.lower()
        topics = {topic.lower() for topic in self.topics}
        kinds = {kind for kind, (phrases, tags) in KINDS.items() if topics & tags or any(p in text for p in phrases)}
        words = set(WORD.findall(text))
        if words & IMPLEMENTS and words & languages:
            kinds.add(LANGUAGE)
        return frozenset(kinds)

    def terms(self) -> set[str]:
        """Topics and the description's words, lower-cased, stop words left out."""
        words = {word for word in WORD.findall(self.description.lower()) if word not in STOP_WORDS and len(word) > 1}
        return words | {topic.lower() for topic in self.topics if topic}


def read_metadata(graph: Graph) -> dict[str, RepoMetadata]:
    rows = graph.read(READ_METADATA)
    return {
        row["repo"]: RepoMetadata(
            row["repo"], row["description"] or "", tuple(row["topics"] or ()), row["language"] or None
        )
        for row in rows
    }


@dataclass
class MetadataIndex:
    """Topic-and-description vectors weighted by rarity (tf-idf over the projects that have
    metadata): sharing a rare topic such as `game-engine` says much, `hacktoberfest` little."""

    metadata: dict[str, RepoMetadata]
    repos: Iterable[str] = ()  # every repository of the graph, for names several projects share
    terms: dict[str, set[str]] = field(init=False)
    vectors: dict[str, dict[str, float]] = field(init=False)
    shared_names: set[str] = field(init=False)
    declared: dict[str, frozenset[str]] = field(init=False)  # the kinds each project declares

    def __post_init__(self) -> None:
        # "framework" (laravel/framework, nuxt/framework) or "docs" name no project in particular
        every = {repo.lower() for repo in {*self.repos, *self.metadata}}
        names = Counter(repo.split("/", 1)[1] for repo in every)
        self.shared_names = {name for name, count in names.items() if count > 1}
        # "azure" (Azure/azure-cli, Azure/azure-sdk-for-net, ...) names none of them in particular
        owners = Counter(owner for owner, name in (repo.split("/", 1) for repo in every) if owner in name)
        self.shared_names |= {owner for owner, count in owners.items() if count > 1}
        self.terms = {repo: meta.terms() for repo, meta in self.metadata.items()}
        languages = frozenset(meta.language.lower() for meta in self.metadata.values() if meta.language)
        self.declared = {repo: meta.kinds(languages) for repo, meta in self.metadata.items()}
        documents = [terms for terms in self.terms.values() if terms]
        frequency: Counter[str] = Counter(term for terms in documents for term in terms)
        count = len(documents)
        self.vectors = {}
        for repo, terms in self.terms.items():
            # a term every project carries tells nothing apart
            weights = {t: math.log(count / frequency[t]) for t in terms if frequency[t] < count}
            norm = math.sqrt(sum(w * w for w in weights.values()))
            self.vectors[repo] = {t: w / norm for t, w in weights.items()} if norm else {}

    def shared_kind(self, a: str, b: str) -> str | None:
        """A kind both projects' metadata declare (KINDS), if any."""
        return min(self.declared.get(a, frozenset()) & self.declared.get(b, frozenset()), default=None)

    def similarity(self, a: str, b: str) -> float | None:
        """Cosine of the two projects' weighted terms; None when either has no metadata."""
        va, vb = self.vectors.get(a), self.vectors.get(b)
        if not va or not vb:
            return None
        return sum(weight * vb.get(term, 0.0) for term, weight in va.items())

    def shared_terms(self, a: str, b: str, count: int = 5) -> list[str]:
        va, vb = self.vectors.get(a, {}), self.vectors.get(b, {})
        shared = sorted(set(va) & set(vb), key=lambda term: (-va[term] * vb[term], term))
        return shared[:count]

    def names(self, text_of: str, named: str) -> bool:
        """Whether `text_of`'s topics or description name the project `named` (by its repository
        name, its owner when the name contains it, or both run together: `apachespark`)."""
        if text_of.split("/")[0].lower() == named.split("/")[0].lower():
            return False  # one organisation's repositories all carry its name
        return bool(self.terms.get(text_of, set()) & (name_tokens(named) - self.shared_names))


def name_tokens(repo: str) -> set[str]:
    owner, name = repo.lower().split("/", 1)
    tokens = {name, owner + name}
    if owner in name:
        tokens.add(owner)  # python/cpython is named "python", llvm/llvm-project "llvm"
    return tokens


def metadata_index(metadata: Iterable[RepoMetadata], repos: Iterable[str] = ()) -> MetadataIndex:
    return MetadataIndex({meta.repo: meta for meta in metadata}, list(repos))
