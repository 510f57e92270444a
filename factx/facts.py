"""The one fact model and its one JSON form (docs/reference.md, "Fields").

Pure value types: no spaCy, no pint, no storage. `Fact.to_dict()` is the JSON form
every output, the store and the library share; `SCHEMA` describes it.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

FACT_TYPES = ("entity", "date", "money", "quantity")
ENTITY_LABELS = (
    "PERSON", "ORG", "GPE", "LOC", "NORP", "FAC", "EVENT", "LAW", "PRODUCT", "WORK_OF_ART", "LANGUAGE",
)
LABELS_BY_TYPE = {
    "entity": ENTITY_LABELS,
    "date": ("DATE", "TIME"),
    "money": ("MONEY",),
    "quantity": ("QUANTITY", "PERCENT", "DURATION"),
}
QUALIFIERS = ("approx", "at_least", "at_most")
ROLES = ("level", "change")
DIRECTIONS = ("up", "down")
MODALITIES = ("actual", "forecast", "target", "estimate")
# The frame keys, nullable and not required, so facts written before them still validate.
FRAME_KEYS = ("measure", "role", "direction", "attributed_to", "modality")
# A date's grain, finest first (the date normalizer compares grains by this order).
GRAINS = ("day", "week", "month", "quarter", "half", "season", "year", "decade", "century")


@dataclass(frozen=True)
class Fact:
    """One checkable fact: what was said, where exactly, and what it means.

    `start`/`end` are code-point offsets into the decoded document, end exclusive, so
    `text == source[start:end]`. `value` holds the normalized meaning, keyed by `type`.
    """

    doc: str
    type: str
    label: str
    text: str
    start: int
    end: int
    sentence: str
    sentence_start: int
    value: dict[str, Any] = field(default_factory=dict)
    subject: str | None = None
    about: str | None = None
    when: dict[str, Any] | None = None
    qualifier: str | None = None
    # The claim frame of a money or quantity fact (null on entity and date facts):
    # what is measured, level or change, who states it, and how sure it is.
    measure: str | None = None
    role: str | None = None
    direction: str | None = None
    attributed_to: str | None = None
    modality: str | None = None

    def to_dict(self) -> dict[str, Any]:
        # Shallow on purpose (asdict deep-copies every value, a cost per fact on big runs);
        # `value` and `when` are plain JSON-ready dicts already.
        return {name: getattr(self, name) for name in self.__dataclass_fields__}

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Fact:
        return cls(**{name: data.get(name) for name in cls.__dataclass_fields__})

    @property
    def sort_key(self) -> tuple[str, int, int, str]:
        return (self.doc, self.start, self.end, self.type)


_SPAN = {
    "start": {"type": "integer", "minimum": 0, "description": "code-point offset, inclusive"},
    "end": {"type": "integer", "minimum": 0, "description": "code-point offset, exclusive"},
}
_ISO_DATE = {"type": ["string", "null"], "format": "date"}
_DATE_VALUE = {
    "type": "object",
    "required": ["start", "end", "grain", "anchored"],
    "properties": {
        "start": {**_ISO_DATE, "description": "first day of the period, inclusive"},
        "end": {**_ISO_DATE, "description": "last day of the period, inclusive"},
        "grain": {"enum": list(GRAINS)},
        "anchored": {"type": "boolean", "description": "resolved against the document date"},
        "relation": {"enum": ["since", "until", "by", "before", "after", None]},
        "range_start": _ISO_DATE,
        "range_end": _ISO_DATE,
    },
}
_NUMBER_OR_NULL = {"type": ["number", "null"]}
_VALUE_BY_TYPE = {
    "entity": {
        "type": "object",
        "required": ["canonical"],
        "properties": {
            "canonical": {"type": "string"},
            "alias_of": {"type": "string", "description": "a name the text says this one also is"},
        },
    },
    "date": _DATE_VALUE,
    "money": {
        "type": "object",
        "required": ["amount", "currency"],
        "properties": {
            "amount": {"type": "number"},
            "amount_high": {"type": "number"},
            "currency": {"type": ["string", "null"], "pattern": "^[A-Z]{3}$"},
            "currency_text": {"type": ["string", "null"]},
            "per_unit": {"type": ["string", "null"]},
        },
    },
    "quantity": {
        "type": "object",
        "required": ["magnitude", "unit", "base_magnitude", "base_unit", "dimensionality"],
        "properties": {
            "magnitude": {"type": "number"},
            "magnitude_high": {"type": "number"},
            "unit": {"type": "string"},
            "base_magnitude": {"type": "number"},
            "base_magnitude_high": {"type": "number"},
            "base_unit": {"type": "string"},
            "dimensionality": {"type": "string"},
        },
    },
}

SCHEMA: dict[str, Any] = {
    "$schema": "https://json-schema.org/draft/2020-12/schema",
    "$id": "https://github.com/factx/factx/fact.schema.json",
    "title": "factx fact",
    "type": "object",
    "required": [
        "doc", "type", "label", "text", "start", "end", "sentence", "sentence_start", "value",
        "subject", "about", "when", "qualifier",
    ],
    "properties": {
        "doc": {"type": "string", "description": "document path as given, normalized; '-' for stdin"},
        "type": {"enum": list(FACT_TYPES)},
        "label": {"enum": sorted({label for labels in LABELS_BY_TYPE.values() for label in labels})},
        "text": {"type": "string", "description": "exactly source[start:end]"},
        **_SPAN,
        "sentence": {"type": "string"},
        "sentence_start": {"type": "integer", "minimum": 0},
        "value": {"type": "object"},
        "subject": {"type": ["string", "null"], "description": "what the value measures"},
        "about": {"type": ["string", "null"], "description": "the named entity the claim belongs to"},
        "measure": {"type": ["string", "null"],
                    "description": "what is measured, normalized: singular, lower case, no names, dates or numbers"},
        "role": {"enum": [*ROLES, None], "description": "a level (stock or flow) or a change"},
        "direction": {"enum": [*DIRECTIONS, None], "description": "of a change"},
        "attributed_to": {"type": ["string", "null"], "description": "who states the figure"},
        "modality": {"enum": [*MODALITIES, None], "description": "actual, or expected, planned or estimated"},
        "when": {
            "oneOf": [
                {"type": "null"},
                {
                    "type": "object",
                    "required": ["text", "start", "end", "value"],
                    "properties": {"text": {"type": "string"}, **_SPAN, "value": _DATE_VALUE},
                },
            ]
        },
        "qualifier": {"enum": [*QUALIFIERS, None]},
    },
    "allOf": [
        {
            "if": {"properties": {"type": {"const": fact_type}}},
            "then": {
                "properties": {
                    "label": {"enum": list(labels)},
                    "value": _VALUE_BY_TYPE[fact_type],
                }
            },
        }
        for fact_type, labels in LABELS_BY_TYPE.items()
    ],
}
