"""Find the line of a GH Archive file that stopped an import, and say what is wrong with it.

ClickHouse reports that a file could not be parsed; this reads that one file line by line (only
after a failure, so the fast path stays in ClickHouse) and names the first line that is not
JSON, not an object, or has a field of another type than GitHub's events have (for example the
string `actor` of the archive's 2011-2014 layout), or where the gzip stream ends too early.
"""

from __future__ import annotations

import gzip
import zlib
from pathlib import Path
from typing import Any

import orjson

# field path -> the JSON types the import reads it as (None: absent or null is allowed)
ENVELOPE: dict[tuple[str, ...], tuple[type, ...]] = {
    ("type",): (str,),
    ("actor",): (dict,),
    ("actor", "id"): (int,),
    ("actor", "login"): (str,),
    ("repo",): (dict,),
    ("repo", "id"): (int,),
    ("repo", "name"): (str,),
    ("created_at",): (str,),
}
PAYLOAD: dict[tuple[str, ...], tuple[type, ...]] = {
    ("payload",): (dict,),
    ("payload", "action"): (str,),
    ("payload", "issue"): (dict,),
    ("payload", "issue", "id"): (int,),
    ("payload", "issue", "user"): (dict,),
    ("payload", "issue", "user", "id"): (int,),
    ("payload", "issue", "user", "login"): (str,),
    ("payload", "comment"): (dict,),
    ("payload", "comment", "id"): (int,),
    ("payload", "pull_request"): (dict,),
    ("payload", "pull_request", "id"): (int,),
    ("payload", "pull_request", "merged"): (bool,),
    ("payload", "pull_request", "user"): (dict,),
    ("payload", "pull_request", "user", "id"): (int,),
    ("payload", "pull_request", "user", "login"): (str,),
}
TYPE_NAMES = {str: "a string", dict: "an object", int: "an integer", bool: "true or false"}


def diagnose_file(path: Path) -> str | None:
    """'FILE line N: problem' for the first bad line, or None when every line reads well."""
    line_number = 0
    try:
        with gzip.open(path, "rb") as lines:
            for line_number, line in enumerate(lines, start=1):
                problem = line_problem(line)
                if problem:
                    return f"{path} line {line_number}: {problem}"
    except EOFError:
        return f"{path}: truncated gzip: the compressed data stops after {line_number} complete line(s)"
    except (OSError, zlib.error) as error:
        after = f" after line {line_number}" if line_number else ""
        return f"{path}: not a readable gzip file{after} ({error})"
    return None


def line_problem(line: bytes) -> str | None:
    if not line.strip():
        return "empty line (GH Archive has one JSON event per line)"
    try:
        event = orjson.loads(line)
    except orjson.JSONDecodeError as error:
        return f"not valid JSON ({error})"
    if not isinstance(event, dict):
        return f"not a JSON object but {type(event).__name__}"
    return shape_problem(event, ENVELOPE, required=True) or shape_problem(event, PAYLOAD, required=False)


def shape_problem(event: dict[str, Any], fields: dict[tuple[str, ...], tuple[type, ...]], required: bool) -> str | None:
    for path, types in fields.items():
        value = _lookup(event, path)
        if value is None:
            if required:
                return f"unknown event shape: no {'.'.join(path)}"
            continue
        # bool is an int in Python; an id given as true is still wrong
        if not isinstance(value, types) or (bool not in types and isinstance(value, bool)):
            wanted = " or ".join(TYPE_NAMES[t] for t in types)
            return f"unknown event shape: {'.'.join(path)} is {_describe(value)}, expected {wanted}"
    return None


def _lookup(event: dict[str, Any], path: tuple[str, ...]) -> Any:
    value: Any = event
    for key in path:
        if not isinstance(value, dict):
            return None
        value = value.get(key)
    return value


def _describe(value: Any) -> str:
    text = orjson.dumps(value).decode()
    return text if len(text) <= 40 else text[:37] + "..."
