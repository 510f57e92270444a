"""A small JSON Schema checker for the subset `factx schema` uses (type, enum, const,
required, properties, minimum, pattern, format date, oneOf, allOf with if/then).

Why not the `jsonschema` package at run time: it brings four more packages (one of them
compiled) for one check on import; the fact schema is small and fixed. A test checks
that this validator agrees with `jsonschema` on generated facts.
"""

from __future__ import annotations

import re
from datetime import date
from typing import Any

_TYPES = {
    "object": lambda v: isinstance(v, dict),
    "array": lambda v: isinstance(v, list),
    "string": lambda v: isinstance(v, str),
    "integer": lambda v: isinstance(v, int) and not isinstance(v, bool),
    "number": lambda v: isinstance(v, (int, float)) and not isinstance(v, bool),
    "boolean": lambda v: isinstance(v, bool),
    "null": lambda v: v is None,
}


def first_error(instance: Any, schema: dict[str, Any], where: str = "") -> str | None:
    """The first way `instance` breaks `schema`, as "field: problem"; None when it is valid."""
    name = where or "fact"
    if "type" in schema:
        types = schema["type"] if isinstance(schema["type"], list) else [schema["type"]]
        if not any(_TYPES[kind](instance) for kind in types):
            return f"{name}: {_shown(instance)} is not {' or '.join(types)}"
    if "enum" in schema and not any(_same(instance, option) for option in schema["enum"]):
        return f"{name}: {_shown(instance)} is not one of {schema['enum']}"
    if "const" in schema and not _same(instance, schema["const"]):
        return f"{name}: {_shown(instance)} is not {schema['const']!r}"
    if isinstance(instance, (int, float)) and not isinstance(instance, bool) and "minimum" in schema \
            and instance < schema["minimum"]:
        return f"{name}: {instance} is below {schema['minimum']}"
    if isinstance(instance, str):
        if "pattern" in schema and not re.search(schema["pattern"], instance):
            return f"{name}: {_shown(instance)} does not match {schema['pattern']}"
        if schema.get("format") == "date" and not _is_date(instance):
            return f"{name}: {_shown(instance)} is not a date"
    if isinstance(instance, dict):
        for key in schema.get("required", ()):
            if key not in instance:
                return f"{name}: missing {key!r}"
        for key, subschema in schema.get("properties", {}).items():
            if key in instance and (error := first_error(instance[key], subschema, _join(where, key))):
                return error
    if "oneOf" in schema:
        if sum(first_error(instance, option, where) is None for option in schema["oneOf"]) != 1:
            return f"{name}: {_shown(instance)} matches none of its allowed shapes"
    for branch in schema.get("allOf", ()):
        if "if" in branch:
            if first_error(instance, branch["if"], where) is None and "then" in branch:
                if error := first_error(instance, branch["then"], where):
                    return error
        elif error := first_error(instance, branch, where):
            return error
    return None


def _same(a: Any, b: Any) -> bool:
    # JSON Schema tells true from 1: Python's == does not.
    return a == b and isinstance(a, bool) == isinstance(b, bool)


def _is_date(text: str) -> bool:
    try:
        date.fromisoformat(text)
    except ValueError:
        return False
    return len(text) == 10


def _join(where: str, key: str) -> str:
    return f"{where}.{key}" if where else key


def _shown(value: Any) -> str:
    text = repr(value)
    return text if len(text) <= 40 else text[:37] + "..."
