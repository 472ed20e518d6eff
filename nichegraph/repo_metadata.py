"""GitHub metadata on `Repo`: the property names other rooms build on, and the per-field
provenance string the loader writes and the explorer reads.

`metadataProvenance` reads `column=source;column=source...` with the columns of the metadata
CSV (`created_at`, not `createdAt`), for example
`description=EvanLi@2026-08-22;topics=michbaum@2022-04-15;created_at=bored`: the dataset and
snapshot date each field was taken from. Values fetched from the API read `github-api@DATE`.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class MetadataField:
    property: str  # the Repo property
    column: str  # the metadata CSV column, which is also the field of GitHub's REST answer
    label: str  # how pages name it


METADATA_FIELDS = (
    MetadataField("description", "description", "Description"),
    MetadataField("language", "language", "Primary language"),
    MetadataField("topics", "topics", "Topics"),
    MetadataField("license", "license", "Licence"),
    MetadataField("archived", "archived", "Archived"),
    MetadataField("createdAt", "created_at", "Created"),
    MetadataField("homepage", "homepage", "Homepage"),
)
FIELD_PROPERTIES = tuple(field.property for field in METADATA_FIELDS)
FIELD_COLUMNS = tuple(field.column for field in METADATA_FIELDS)
# where the values came from: `github-api` or the metadata file's name; the per-field
# provenance; when they were fetched (ISO 8601, UTC)
BOOKKEEPING_PROPERTIES = ("metadataSource", "metadataProvenance", "metadataFetchedAt")
GITHUB_API_SOURCE = "github-api"


class BadProvenance(ValueError):
    """A provenance string that is not `column=source;...` over known columns."""


def parse_provenance(text: str | None) -> dict[str, str]:
    """`description=EvanLi@2026-08-22;created_at=bored` -> {column: source}."""
    sources: dict[str, str] = {}
    for part in (text or "").split(";"):
        if not part.strip():
            continue
        column, equals, source = part.partition("=")
        column, source = column.strip(), source.strip()
        if not equals or not source:
            raise BadProvenance(f"{part!r} is not column=source")
        if column not in FIELD_COLUMNS:
            raise BadProvenance(f"{column!r} is not a metadata column ({', '.join(FIELD_COLUMNS)})")
        if column in sources:
            raise BadProvenance(f"{column!r} is named twice")
        sources[column] = source
    return sources


def format_provenance(sources: dict[str, str]) -> str:
    return ";".join(f"{column}={sources[column]}" for column in FIELD_COLUMNS if column in sources)


def describe_metadata(properties: dict[str, Any]) -> dict[str, Any] | None:
    """What a page shows of a Repo's metadata properties: each known field with its value and
    where it came from, and the load's source and time; None when nothing was loaded."""
    if not properties.get("metadataSource"):
        return None
    try:
        sources = parse_provenance(properties.get("metadataProvenance"))
    except BadProvenance:
        sources = {}  # written by hand in Browser, perhaps: show the values with the load's source
    fields = [
        {
            "property": field.property,
            "label": field.label,
            "value": properties[field.property],
            "source": sources.get(field.column, properties["metadataSource"]),
        }
        for field in METADATA_FIELDS
        if properties.get(field.property) is not None
    ]
    return {
        "fields": fields,
        "source": properties["metadataSource"],
        "provenance": properties.get("metadataProvenance"),
        "fetchedAt": properties.get("metadataFetchedAt"),
    }
