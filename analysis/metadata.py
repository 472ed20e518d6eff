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


@dataclass(frozen=True)
class RepoMetadata:
    repo: str
    description: str = ""
    topics: tuple[str, ...] = ()
    language: str | None = None

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

    def __post_init__(self) -> None:
        # "framework" (laravel/framework, nuxt/framework) or "docs" name no project in particular
        every = {repo.lower() for repo in {*self.repos, *self.metadata}}
        names = Counter(repo.split("/", 1)[1] for repo in every)
        self.shared_names = {name for name, count in names.items() if count > 1}
        # "azure" (Azure/azure-cli, Azure/azure-sdk-for-net, ...) names none of them in particular
        owners = Counter(owner for owner, name in (repo.split("/", 1) for repo in every) if owner in name)
        self.shared_names |= {owner for owner, count in owners.items() if count > 1}
        self.terms = {repo: meta.terms() for repo, meta in self.metadata.items()}
        documents = [terms for terms in self.terms.values() if terms]
        frequency: Counter[str] = Counter(term for terms in documents for term in terms)
        count = len(documents)
        self.vectors = {}
        for repo, terms in self.terms.items():
            # a term every project carries tells nothing apart
            weights = {t: math.log(count / frequency[t]) for t in terms if frequency[t] < count}
            norm = math.sqrt(sum(w * w for w in weights.values()))
            self.vectors[repo] = {t: w / norm for t, w in weights.items()} if norm else {}

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
