"""Claims compared across documents: where sources agree, contradict, or give a series.

Two money or quantity claims are compared only when they are about the same thing: the
same store-level entity (their `about`, linked by `factx.identity`), the same measured
substance (the subject's content words, less generic heads and the entity's own name
words), and the same dimension (pint dimensionality; money by currency and per-unit).
Claims without an `about`, or whose subject is only the entity's name, are never grouped,
nor is a key under which one document gives several values: a false conflict costs a
fact-checker more than a missed one. Pure: reads the store, imports neither spaCy nor pint.
"""

from __future__ import annotations

import math
import re
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from factx.facts import Fact
from factx.identity import GENERIC_HEADS, EntityIndex
from factx.store import Store

DEFAULT_TOLERANCE = 0.05
SAME_NEWS_DAYS = 3
_WORD = re.compile(r"[a-z0-9]+")
_STOP = {"a", "an", "the", "of", "and", "to", "in", "for", "on", "by", "with", "its", "their", "this", "that"}


@dataclass
class Claim:
    fact: Fact
    doc_date: str | None
    value: float  # in SI base units (quantities) or the currency (money)
    value_high: float | None
    scale: float = 1.0  # common unit per base unit, from the group's first claim
    places: set[str] = field(default_factory=set)  # places its sentence names

    @property
    def when_key(self) -> tuple | None:
        when = self.fact.when
        return (when["value"].get("start"), when["value"].get("end")) if when else None

    def interval(self, tolerance: float) -> tuple[float, float]:
        """The values this claim allows, widened by the relative tolerance."""
        low, high = self.value, self.value_high if self.value_high is not None else self.value
        qualifier = self.fact.qualifier
        if qualifier == "at_least":
            high = math.inf
        elif qualifier == "at_most":
            low = -math.inf
        return low - abs(low) * tolerance, high + abs(high) * tolerance


@dataclass
class ClaimGroup:
    subject: str
    about: str
    entity_id: str
    dimensionality: str | None
    currency: str | None
    unit: str
    scale: float = 1.0  # common unit per base unit
    claims: list[Claim] = field(default_factory=list)
    status: str = "agreed"

    @property
    def documents(self) -> list[str]:
        return sorted({claim.fact.doc for claim in self.claims})

    def to_dict(self) -> dict[str, Any]:
        return {
            "subject": self.subject, "about": self.about, "entity_id": self.entity_id,
            "dimensionality": self.dimensionality, "currency": self.currency, "unit": self.unit,
            "status": self.status, "documents": len(self.documents),
            "claims": [
                {**claim.fact.to_dict(), "doc_date": claim.doc_date,
                 "common_value": _round(claim.value * claim.scale),
                 "common_value_high": _round(claim.value_high * claim.scale)
                 if claim.value_high is not None else None}
                for claim in self.claims
            ],
        }


def substance(subject: str | None, entity_words: set[str]) -> str | None:
    """What is measured, as sorted content words; "" when a common noun phrase stands for
    the entity itself ("the pipeline project" of the Stream Gas Pipeline); None when the
    subject is missing or only the entity's name ("ATT has 80 pct"): what is measured is
    then unknown, and such a claim is compared with nothing."""
    if not subject:
        return None
    words = {_singular(w) for w in _WORD.findall(subject.lower())} - _STOP - GENERIC_HEADS
    if not words <= entity_words:
        return " ".join(sorted(words))
    return "" if subject == subject.lower() else None


def _singular(word: str) -> str:
    return word[:-1] if len(word) > 3 and word.endswith("s") and not word.endswith("ss") else word


def find_groups(store: Store, tolerance: float = DEFAULT_TOLERANCE) -> list[ClaimGroup]:
    """Groups of claims from two or more documents, with their status:
    `conflict` (values differ beyond `tolerance`), `agreed`, or `series` (different `when`)."""
    entity_facts = list(store.facts(types=["entity"]))
    index = EntityIndex(entity_facts)
    places: dict[str, list[tuple[int, str]]] = defaultdict(list)
    for fact in entity_facts:
        if fact.label == "GPE":
            places[fact.doc].append((fact.start, fact.value.get("canonical") or fact.text))
    doc_dates = {row.doc: row.doc_date for row in store.documents()}
    groups: dict[tuple, ClaimGroup] = {}
    for fact in store.facts(types=["money", "quantity"]):
        entity = index.lookup(fact.about)
        if entity is None or fact.label == "DURATION" or not _plain_name(fact.about) \
                or "\n" in (fact.subject or ""):
            continue
        claim = _claim(fact, doc_dates.get(fact.doc))
        if claim is None:
            continue
        end = fact.sentence_start + len(fact.sentence)
        claim.places = {name for start, name in places[fact.doc] if fact.sentence_start <= start < end}
        entity_words = {_singular(w) for name in {entity.name, *entity.aliases} for w in _WORD.findall(name.lower())}
        what = substance(fact.subject, entity_words)
        if what is None:
            continue
        value = fact.value
        if fact.type == "money":
            dimension = (None, value.get("currency"), value.get("per_unit"))
            unit = value.get("currency") + (f" / {value['per_unit']}" if value.get("per_unit") else "")
        else:
            dimension = (value["dimensionality"], None, None)
            unit = value["unit"]
        key = (entity.entity_id, what, dimension)
        if key not in groups:
            shown = value.get("magnitude", value.get("amount"))
            groups[key] = ClaimGroup(
                subject=(fact.subject or entity.name) if what else entity.name, about=entity.name,
                entity_id=entity.entity_id, dimensionality=dimension[0], currency=dimension[1], unit=unit,
                scale=shown / claim.value if claim.value else 1.0,
            )
        claim.scale = groups[key].scale
        groups[key].claims.append(claim)
    found = []
    for group in groups.values():
        # Two documents at least; and a document giving several values under one key
        # shows the key is too coarse there (several stakes, several loans): skip it.
        if len(group.documents) < 2 or _ambiguous(group.claims):
            continue
        group.status = _status(group.claims, tolerance)
        found.append(group)
    order = {"conflict": 0, "series": 1, "agreed": 2}
    return sorted(found, key=lambda g: (order[g.status], g.about, g.subject))


def _plain_name(name: str) -> bool:
    """A name fit to group on: not a table heading the model took for a name ("QTR DEC 31
    LOSS" across a line break)."""
    return "\n" not in name and not any(ch.isdigit() for ch in name)


def _ambiguous(claims: list[Claim]) -> bool:
    """True when the claims may well be about different things after all: one document
    gives several values, or two sentences name only different places (a sale to Iraq,
    another to Egypt)."""
    values: dict[str, set[tuple]] = defaultdict(set)
    for claim in claims:
        values[claim.fact.doc].add((claim.value, claim.value_high, claim.when_key))
    if any(len(found) > 1 for found in values.values()):
        return True
    named = [claim.places - {claim.fact.about} for claim in claims if claim.places - {claim.fact.about}]
    return any(not (a & b) for i, a in enumerate(named) for b in named[i + 1 :])


def _claim(fact: Fact, doc_date: str | None) -> Claim | None:
    value = fact.value
    if fact.type == "money":
        if not value.get("currency"):
            return None  # an unknown currency is compared with nothing
        return Claim(fact, doc_date, value["amount"], value.get("amount_high"))
    base = value.get("base_magnitude")
    if base is None or value.get("unit", "").startswith("degree"):  # offset units do not scale
        return None
    return Claim(fact, doc_date, base, value.get("base_magnitude_high"))


def _status(claims: Iterable[Claim], tolerance: float) -> str:
    claims = list(claims)
    whens = {claim.when_key for claim in claims if claim.when_key is not None}
    if len(whens) > 1:
        return "series"  # figures at different dates are a history, not a contradiction
    # Unless every claim names the same period, a figure holds at its article's date:
    # reports more than a few days apart (a weekly statistic, a price revised in October)
    # are a series too.
    if not (whens and all(claim.when_key is not None for claim in claims)):
        dates = sorted(date.fromisoformat(claim.doc_date) for claim in claims if claim.doc_date)
        if dates and (dates[-1] - dates[0]).days > SAME_NEWS_DAYS:
            return "series"
    intervals = [claim.interval(tolerance) for claim in claims]
    for i, (low, high) in enumerate(intervals):
        for other_low, other_high in intervals[i + 1 :]:
            if high < other_low or other_high < low:
                return "conflict"
    return "agreed"


def _round(value: float) -> float:
    return float(f"{value:.12g}")
