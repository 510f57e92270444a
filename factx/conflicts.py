"""Claims compared across documents: where sources agree, contradict, or give a series.

Two money or quantity claims state the same figure when their claim frames match: their
`about` entities are linked (`factx.identity`), their `measure` is the same, their
dimension (money: currency and per-unit) is the same, and so are their `role` (level or
change) and `modality` (actual, forecast, target, estimate); their `when` periods overlap,
or one is null and the two documents are at most SAME_NEWS_DAYS apart (or either is
undated). The same frame at different periods is a series. Claims without an `about` or
a `measure` are never grouped, nor is a frame under which one document gives several
values for one period: a false conflict costs a fact-checker more than a missed one.
Pure: reads the store, imports neither spaCy nor pint.
"""

from __future__ import annotations

import math
import re
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

from factx.facts import Fact
from factx.identity import EntityIndex
from factx.normalize.dates import REPORTING_DAYS
from factx.normalize.numbers import round_significant
from factx.store import Store

DEFAULT_TOLERANCE = None  # compare values as precisely as they are written
SAME_NEWS_DAYS = 3
# An estimate of a figure is compared with the figure ("traders estimated output at 14
# mln bpd", "output was 16.1 mln bpd"); forecasts and targets only with their kind.
COMPARED_AS = {"estimate": "actual"}
# Words that give a money measure its sign (and are left out of the measure compared).
SIGNED_WORDS = {"loss", "profit"}
# Periods whose lengths differ by more than this are not points of one series.
SERIES_LENGTH_RATIO = 1.2
# Kinds of balance a one-word measure leaves unsaid ("surplus": trade, current account,
# budget?): two such figures that agree confirm each other, but two that differ more
# likely measure different balances, so they are not reported as a conflict.
VAGUE_MEASURES = {"surplus", "deficit", "balance", "gap", "shortfall", "inflow", "outflow", "figure",
                  "total", "amount", "sum", "value", "level"}


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

    def interval(self, tolerance: float | None) -> tuple[float, float]:
        """The values this claim allows: as precise as it is written ("17-1/4 cts" is
        17.25 +- 1/8 cent, "5 mln" 4.5 to 5.5 mln), or widened by a relative `tolerance`
        when one is given; "more than" and "up to" bound it on one side only."""
        low, high = self.value, self.value_high if self.value_high is not None else self.value
        if tolerance is None:
            low_margin, high_margin = written_margins(self.fact.text, abs(low), abs(high))
        else:
            low_margin, high_margin = abs(low) * tolerance, abs(high) * tolerance
        low, high = low - low_margin, high + high_margin
        qualifier = self.fact.qualifier
        if qualifier == "at_least":
            high = math.inf
        elif qualifier == "at_most":
            low = -math.inf
        return low, high


# A number as written: "1,284,939", "3.9", "17-1/4", "1/2".
_WRITTEN_NUMBER = re.compile(r"(?<![A-Za-z\d/.,-])(?:\d+-\d+/\d+|\d+/\d+|\d[\d,]*(?:\.\d+)?)")


def written_margins(text: str, low: float, high: float) -> tuple[float, float]:
    """Half a unit of the last digit each end of a value is written with, in the value's
    own scale: rounding is not a contradiction, a different figure is."""
    numbers = _WRITTEN_NUMBER.findall(text)
    if not numbers:  # a number in words ("five cts"): exact to one
        return 0.5 * _scale(low, 1.0), 0.5 * _scale(high, 1.0)
    return _margin(numbers[0], low), _margin(numbers[-1], high)


def _margin(written: str, value: float) -> float:
    if "/" in written:
        whole, _, fraction = written.partition("-") if "-" in written else ("0", "", written)
        numerator, denominator = fraction.split("/")
        number = float(whole.replace(",", "") or 0) + float(numerator) / float(denominator or 1)
        return _scale(value, number) * 0.5 / float(denominator or 1)
    digits = written.replace(",", "")
    number = float(digits)
    if "." in digits:
        unit = 10.0 ** -len(digits.split(".")[1])
    else:
        unit = 10.0 ** (len(digits) - len(digits.rstrip("0"))) if digits.strip("0") else 1.0
    return _scale(value, number) * 0.5 * unit


def _scale(value: float, written: float) -> float:
    """How many of the value's units one written unit is ("36.7 mln": a million)."""
    return value / written if written else 1.0


@dataclass
class ClaimGroup:
    about: str
    entity_id: str
    measure: str
    role: str
    modality: str
    dimensionality: str | None
    currency: str | None
    unit: str
    scale: float = 1.0  # common unit per base unit
    claims: list[Claim] = field(default_factory=list)
    status: str = "agreed"
    period: tuple[str | None, str | None] | None = None  # the `when` the claims share, if any
    loose_measure: str | None = None  # two measures, one with fewer modifiers, that agree

    @property
    def documents(self) -> list[str]:
        return sorted({claim.fact.doc for claim in self.claims})

    @property
    def subject(self) -> str:
        return next((c.fact.subject for c in self.claims if c.fact.subject), self.measure)

    def reason(self) -> dict[str, Any]:
        """Why these claims were compared: the frame they share."""
        if self.status == "series":
            period = "different periods"
        elif self.period is not None:
            period = {"start": self.period[0], "end": self.period[1]}
        else:
            period = f"reported within {SAME_NEWS_DAYS} days"
        return {"entity": self.about, "entity_id": self.entity_id, "measure": self.loose_measure or self.measure,
                "role": self.role, "modality": self.modality, "dimension": self.dimensionality or self.unit,
                "period": period}

    def to_dict(self) -> dict[str, Any]:
        return {
            "subject": self.subject, "about": self.about, "entity_id": self.entity_id, "measure": self.measure,
            "dimensionality": self.dimensionality, "currency": self.currency, "unit": self.unit,
            "status": self.status, "documents": len(self.documents), "reason": self.reason(),
            "claims": [
                {**claim.fact.to_dict(), "doc_date": claim.doc_date,
                 "common_value": round_significant(claim.value * claim.scale),
                 "common_value_high": round_significant(claim.value_high * claim.scale)
                 if claim.value_high is not None else None}
                for claim in self.claims
            ],
        }


def find_groups(store: Store, tolerance: float | None = DEFAULT_TOLERANCE) -> list[ClaimGroup]:
    """Groups of claims from two or more documents, with their status: `conflict`
    (values differ beyond `tolerance`), `agreed`, or `series` (the same frame at
    different periods)."""
    entity_facts = list(store.facts(types=["entity"]))
    index = EntityIndex(entity_facts)
    places: dict[str, list[tuple[int, str]]] = defaultdict(list)
    for fact in entity_facts:
        if fact.label == "GPE":
            places[fact.doc].append((fact.start, fact.value.get("canonical") or fact.text))
    doc_dates = {row.doc: row.doc_date for row in store.documents()}
    frames: dict[tuple, list[Claim]] = defaultdict(list)
    for fact in store.facts(types=["money", "quantity"]):
        if not (fact.about and fact.measure and fact.role) or fact.label == "DURATION" \
                or not _plain_name(fact.about):
            continue
        entity = index.resolve(fact.about)
        claim = _claim(fact, doc_dates.get(fact.doc)) if entity is not None else None
        if claim is None:
            continue
        end = fact.sentence_start + len(fact.sentence)
        claim.places = {name for start, name in places[fact.doc] if fact.sentence_start <= start < end}
        value = fact.value
        if fact.type == "money":
            dimension = (None, value.get("currency"), value.get("per_unit"))
        else:
            dimension = (value["dimensionality"], None, None)
        modality = COMPARED_AS.get(fact.modality or "actual", fact.modality)
        measure, sign = signed_measure(fact.measure) if fact.type == "money" else (fact.measure, 1.0)
        if sign < 0:
            claim.value, claim.value_high = -claim.value, -claim.value_high if claim.value_high is not None else None
        frames[(entity.entity_id, entity.name, measure, fact.role, modality, dimension)].append(claim)
    found = []
    for key, claims in frames.items():
        if len({claim.fact.doc for claim in claims}) >= 2:
            found.extend(_groups_of(key, claims, tolerance))
    found.extend(_loose_agreements(frames, tolerance))
    order = {"conflict": 0, "series": 1, "agreed": 2}
    return sorted(found, key=lambda g: (order[g.status], g.about, g.measure))


def _groups_of(key: tuple, claims: list[Claim], tolerance: float | None) -> list[ClaimGroup]:
    """The groups one frame gives: each set of claims that hold for the same period and
    come from two documents or more (agreed or conflict), and the whole frame as a
    series when it holds at different periods."""
    entity_id, name, measure, role, modality, dimension = key
    first = claims[0]
    value = first.fact.value
    unit = value.get("currency", "") + (f" / {value['per_unit']}" if value.get("per_unit") else "") \
        if first.fact.type == "money" else value["unit"]
    shown = value.get("magnitude", value.get("amount"))
    scale = abs(shown / first.value) if first.value else 1.0  # (a loss is stored negative)

    def group(members: list[Claim], status: str, period=None) -> ClaimGroup:
        for claim in members:
            claim.scale = scale
        return ClaimGroup(about=name, entity_id=entity_id, measure=measure, role=role, modality=modality,
                          dimensionality=dimension[0], currency=dimension[1], unit=unit, scale=scale,
                          claims=members, status=status, period=period)

    periods = _same_period(claims)
    groups = []
    for members in periods:
        if len({claim.fact.doc for claim in members}) < 2 or _ambiguous(members):
            continue
        whens = {claim.when_key for claim in members if claim.when_key is not None}
        period = next(iter(whens)) if len(whens) == 1 else None
        status = _status(members, tolerance)
        if status == "conflict" and (role == "change" or measure in VAGUE_MEASURES):
            continue  # a change's base ("from January", "a year earlier") is often unsaid
        groups.append(group(members, status, period))
    # A series of the periods whose figure is clear (one value per document), each series
    # of periods of one length: the first 10 days of a month are no point in a monthly series.
    clear = [members for members in periods if not _ambiguous(members)]
    for run in _by_length(clear):
        series = [claim for members in run for claim in members]
        if len(run) > 1 and len({claim.fact.doc for claim in series}) >= 2:
            series.sort(key=lambda c: (c.when_key or (c.doc_date, c.doc_date), c.fact.doc, c.fact.start))
            groups.append(group(series, "series"))
    return groups


def _by_length(sets: list[list[Claim]]) -> list[list[list[Claim]]]:
    """Period sets grouped by the length of their period (lengths within SERIES_LENGTH_RATIO
    of each other); sets without a stated period go with the lengths when there is one."""
    lengths: dict[int, int] = {}
    for index, members in enumerate(sets):
        key = next((c.when_key for c in members if c.when_key is not None and None not in c.when_key), None)
        if key is not None:
            lengths[index] = (date.fromisoformat(key[1]) - date.fromisoformat(key[0])).days + 1
    runs: list[list[int]] = []
    for index in sorted(lengths, key=lengths.get):
        if runs and lengths[index] <= SERIES_LENGTH_RATIO * lengths[runs[-1][0]]:
            runs[-1].append(index)
        else:
            runs.append([index])
    undated = [index for index in range(len(sets)) if index not in lengths]
    if len(runs) <= 1:
        return [[sets[i] for i in (runs[0] if runs else []) + undated]]
    return [[sets[i] for i in run] for run in runs]


def _loose_agreements(frames: dict[tuple, list[Claim]], tolerance: float | None) -> list[ClaimGroup]:
    """Agreements between two measures of one frame where one says less than the other
    ("surplus", "trade surplus"): equal values for the same entity and period confirm
    each other, while different values under so loose a match more likely measure
    different things, so they are never reported as a conflict."""
    by_frame: dict[tuple, list[tuple]] = defaultdict(list)
    for key in frames:
        by_frame[(key[0], key[3], key[4], key[5])].append(key)
    found = []
    for keys in by_frame.values():
        for i, first in enumerate(keys):
            for second in keys[i + 1 :]:
                if not _looser(first[2], second[2]) and not _looser(second[2], first[2]):
                    continue
                longer = max(first, second, key=lambda key: len(key[2]))
                for group in _groups_of(longer, frames[first] + frames[second], tolerance):
                    docs = {claim.fact.doc for claim in group.claims}
                    sides = [{c.fact.doc for c in frames[key]} & docs for key in (first, second)]
                    if group.status == "agreed" and all(sides) and len(docs) >= 2:
                        group.loose_measure = f"{first[2]} ~ {second[2]}"
                        found.append(group)
    return found


def _looser(short: str, long: str) -> bool:
    """Whether measure `short` is `long` with fewer modifiers: same head (last word)."""
    short_words, long_words = short.split(), long.split()
    return len(short_words) < len(long_words) and short_words[-1] == long_words[-1] \
        and set(short_words) <= set(long_words)


def _same_period(claims: list[Claim]) -> list[list[Claim]]:
    """Claims split into sets that hold for the same period: each claim joins the first
    set whose every member it fits, in order of period and document date."""
    ordered = sorted(claims, key=lambda c: (c.when_key is None, c.when_key or ("", ""), c.doc_date or "",
                                            c.fact.doc, c.fact.start))
    sets: list[list[Claim]] = []
    for claim in ordered:
        home = next((members for members in sets
                     if all(_fits(claim, other) and not _dated_apart(claim, other) for other in members)), None)
        if home is None:
            sets.append([claim])
        else:
            home.append(claim)
    return sets


def signed_measure(measure: str) -> tuple[str, float]:
    """A loss is a negative profit: "shr loss" and "shr profit" (a results table corrected
    from one to the other), "net loss" and "net profit", "loss" and "profit", are one
    measure of opposite signs."""
    words = measure.split()
    if not set(words) & SIGNED_WORDS:
        return measure, 1.0
    sign = -1.0 if "loss" in words else 1.0
    return " ".join(word for word in words if word not in SIGNED_WORDS) or "profit or loss", sign


def _dated_apart(a: Claim, b: Claim) -> bool:
    """Two claims of one document of which only one says its period: the document tells
    them apart, so the undated one is not known to hold for the other's period."""
    return a.fact.doc == b.fact.doc and (a.when_key is None) != (b.when_key is None)


def _fits(a: Claim, b: Claim) -> bool:
    """Whether two claims hold for the same period: overlapping `when`; or, when either
    is null, documents at most SAME_NEWS_DAYS apart (or undated), and a stated period
    that is current at the other's document date (it ends at most REPORTING_DAYS before
    it: a figure without a period is a current one, not last year's)."""
    if a.when_key is not None and b.when_key is not None:
        (a_start, a_end), (b_start, b_end) = a.when_key, b.when_key
        if None in (a_start, a_end, b_start, b_end):
            return a.when_key == b.when_key
        return a_start <= b_end and b_start <= a_end
    if not a.doc_date or not b.doc_date:
        return True
    if abs((date.fromisoformat(a.doc_date) - date.fromisoformat(b.doc_date)).days) > SAME_NEWS_DAYS:
        return False
    dated, undated = (a, b) if a.when_key is not None else (b, a)
    if dated.when_key is None or None in dated.when_key:
        return True
    day = date.fromisoformat(undated.doc_date)
    start, end = (date.fromisoformat(d) for d in dated.when_key)
    return start <= day + timedelta(days=SAME_NEWS_DAYS) and (day - end).days <= REPORTING_DAYS


def _plain_name(name: str) -> bool:
    """A name fit to group on: not a table heading the model took for a name ("QTR DEC 31
    LOSS" across a line break)."""
    return "\n" not in name and not any(ch.isdigit() for ch in name)


def _ambiguous(claims: list[Claim]) -> bool:
    """True when the claims (of one period) may well be about different things after
    all: one document gives several values, or two sentences name only different places
    (a sale to Iraq, another to Egypt)."""
    values: dict[str, set[tuple]] = defaultdict(set)
    for claim in claims:
        values[claim.fact.doc].add((claim.value, claim.value_high))
    if any(len(found) > 1 for found in values.values()):
        return True
    named = [claim.places - {claim.fact.about} for claim in claims if claim.places - {claim.fact.about}]
    return any(not (a & b) for i, a in enumerate(named) for b in named[i + 1 :])


def _claim(fact: Fact, doc_date: str | None) -> Claim | None:
    value = fact.value
    sign = -1.0 if fact.role == "change" and fact.direction == "down" else 1.0  # "fell 5 pct" is -5 pct
    if fact.type == "money":
        if not value.get("currency"):
            return None  # an unknown currency is compared with nothing
        high = value.get("amount_high")
        return Claim(fact, doc_date, sign * value["amount"], sign * high if high is not None else None)
    base = value.get("base_magnitude")
    if base is None or value.get("unit", "").startswith("degree"):  # offset units do not scale
        return None
    high = value.get("base_magnitude_high")
    return Claim(fact, doc_date, sign * base, sign * high if high is not None else None)


def _status(claims: list[Claim], tolerance: float | None) -> str:
    intervals = [claim.interval(tolerance) for claim in claims]
    for i, (low, high) in enumerate(intervals):
        for other_low, other_high in intervals[i + 1 :]:
            if high < other_low or other_high < low:
                return "conflict"
    return "agreed"

