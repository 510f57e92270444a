"""Score factx and the PyPI anchors on quantulum3's own test sentences (quantities, money).

Usage (from the repository root, in a venv with factx and quantulum3 installed):

    .venv/bin/python bench/quantulumtables.py [--tests DIR] [--systems factx,quantulum3,cqe]
        [--misses factx] [--json]

The sentences and their expected values are quantulum3's English test tables
(`quantulum3/_lang/en_US/tests/quantities.json` and `quantities.ambiguity.json`), read at
run time from the installed package (or from `--tests DIR`); nothing of them is copied into
this repository. Scoring follows bench/quality.py (CONTRACT 8) as far as the tables allow:

- Each expected value is one gold item: its unit name (quantulum3's dictionary, which is
  CQE's too) is mapped to a pint unit or an ISO 4217 currency by bench/quality.py's table,
  plus the few names below that the table lacks. A "dimensionless" value, a count ("dozen",
  "count per week") is a **bare count** and is out; cents, pennies and dimes are ignored.
- Values are compared after conversion to SI base units (relative tolerance 1e-3); value
  and unit (money: the currency) must both be right.
- quantulum3 writes a range ("3 to 4 L", "between 44 and 50 mg") as its mean. A predicted
  range matches such a gold value when its midpoint does; so do two single predicted values
  of that unit whose midpoint does ("from 44 mg to 50 mg" read as a change).
- A prediction matching no scored gold value is a false positive, unless it equals the
  value of an out or ignored item of the same sentence or is itself a bare number: those
  are dropped for every system alike.
- "$" is USD, "£"/"pounds" sterling as the tables say.
"""

from __future__ import annotations

import argparse
import importlib.util
import json
import math
import os
import re
import sys
from dataclasses import dataclass, field
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import quality  # noqa: E402  (the NewsQuant scorer: unit table, anchors' runners)

FILES = ("quantities.json", "quantities.ambiguity.json")
# Names of quantulum3's dictionary that bench/quality.py's table does not read.
EXTRA_UNITS = {
    "degree celsius": "degC", "degree fahrenheit": "degF", "minute of arc": "arcminute",
    "second of arc": "arcsecond", "inverse second": "1 / second", "inverse femtobarn": "1 / femtobarn",
    "joule second": "joule * second", "candela second": "candela * second", "bit": "bit", "byte": "byte",
    "kilobyte": "kilobyte", "megabyte": "megabyte", "exabyte": "exabyte", "kibibyte": "kibibyte",
    "kilobit per second": "kilobit / second",
}
IGNORED = {"cent", "penny", "dime"}
RANGE_SURFACE = re.compile(r"\d\s*[-\u2013]\s*-?\d|\s(?:to|and)\s|\bbetween\b|\d-\s+to\s", re.IGNORECASE)


def default_tests() -> Path | None:
    spec = importlib.util.find_spec("quantulum3")
    if spec is None or spec.origin is None:
        return None
    return Path(spec.origin).parent / "_lang" / "en_US" / "tests"


def target(name: str):
    low = name.strip().lower()
    if low in IGNORED:
        return ("ignored",)
    if low in ("dimensionless", "dozen", "baker's dozen", "gross", "count per week"):
        return ("count",)
    if low in EXTRA_UNITS:
        return ("quantity", _parse(EXTRA_UNITS[low]))
    return quality.unit_target(name)


def _parse(expr: str):
    from factx.normalize.units import registry

    return registry().parse_expression(expr)


@dataclass
class GoldItem:
    status: str  # scored | ignored | out
    kind: str = ""
    value: float = 0.0  # SI base value (money: amount)
    unit: str = ""
    mean_of_range: bool = False
    raw: float = 0.0
    surface: str = ""
    used: bool = False


@dataclass
class Tally:
    tp: dict = field(default_factory=lambda: {"quantity": 0, "money": 0})
    fp: dict = field(default_factory=lambda: {"quantity": 0, "money": 0})
    fn: dict = field(default_factory=lambda: {"quantity": 0, "money": 0})
    dropped: int = 0
    misses: list = field(default_factory=list)

    def prf(self, kinds=("quantity", "money")) -> tuple[float, float, float]:
        tp = sum(self.tp[k] for k in kinds)
        fp = sum(self.fp[k] for k in kinds)
        fn = sum(self.fn[k] for k in kinds)
        p = tp / (tp + fp) if tp + fp else 0.0
        r = tp / (tp + fn) if tp + fn else 0.0
        return p, r, (2 * p * r / (p + r) if p + r else 0.0)


def gold_items(expected: list[dict]) -> list[GoldItem]:
    out = []
    for res in expected:
        raw = float(res["value"])
        found = target(res["unit"])
        if found[0] in ("count", "ignored"):
            out.append(GoldItem("out" if found[0] == "count" else "ignored", raw=raw, surface=res["surface"]))
            continue
        ranged = bool(RANGE_SURFACE.search(res["surface"]))
        if found[0] == "money":
            out.append(GoldItem("scored", "money", raw, f"money:{found[1]}", ranged, raw, res["surface"]))
            continue
        base, unit = quality.to_base(raw, found[1])
        out.append(GoldItem("scored", "quantity", base, unit, ranged, raw, res["surface"]))
    return out


def close(a: float, b: float) -> bool:
    return math.isclose(a, b, rel_tol=quality.REL_TOL, abs_tol=1e-12)


def score_sentence(tally: Tally, text: str, golds: list[GoldItem], preds: list[quality.Item]) -> None:
    scored = [g for g in golds if g.status == "scored"]
    for g in scored:  # one prediction each: a single value, or a range whose midpoint is the mean
        for p in preds:
            if p.used or p.kind != g.kind or p.unit != g.unit:
                continue
            if (p.high is None and close(p.low, g.value)) or (
                    g.mean_of_range and p.high is not None and close((p.low + p.high) / 2, g.value)):
                p.used = g.used = True
                break
    for g in scored:  # a range reported as its two ends
        if g.used or not g.mean_of_range:
            continue
        singles = [p for p in preds if not p.used and p.kind == g.kind and p.unit == g.unit and p.high is None]
        pair = next(((a, b) for a in singles for b in singles if a is not b and a.low < b.low
                     and close((a.low + b.low) / 2, g.value)), None)
        if pair:
            pair[0].used = pair[1].used = g.used = True
    for g in scored:
        if g.used:
            tally.tp[g.kind] += 1
        else:
            tally.fn[g.kind] += 1
            tally.misses.append(("FN", g.kind, text, {"surface": g.surface, "value": g.raw, "unit": g.unit}))
    other = [g.raw for g in golds if g.status != "scored"]
    for p in preds:
        if p.used:
            continue
        raw = getattr(p, "raw_low", p.low)
        if p.unit == "count" or any(close(raw, v) for v in other):
            tally.dropped += 1
            continue
        tally.fp[p.kind] += 1
        tally.misses.append(("FP", p.kind, text, {"text": p.text, "low": p.low, "high": p.high, "unit": p.unit}))


def run_factx(texts: list[str]) -> list[list[quality.Item]]:
    """factx's facts as items; a money range stays one item (low, high) here, as the
    tables give a range's mean."""
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
                items.append(quality._pred("money", value["amount"], value["amount"], value.get("amount_high"),
                                           unit, None, fact.text))
            elif fact.type == "quantity":
                dimensionless = value["dimensionality"] == "dimensionless" and "percent" not in value["unit"] \
                    and "byte" not in value["unit"] and "bit" not in value["unit"]
                items.append(quality._pred("quantity", value["magnitude"], value["base_magnitude"],
                                           value.get("base_magnitude_high"),
                                           "count" if dimensionless else value["base_unit"], None, fact.text))
        out.append(items)
    return out


def _remap(items: list[quality.Item]) -> list[quality.Item]:
    """Anchor items whose unit name bench/quality.py reads as a count but this suite scores
    (bytes) are left as they are: the anchors' runners already convert through the same
    tables."""
    return items


SYSTEMS = {
    "factx": run_factx,
    "quantulum3": lambda texts: [_remap(i) for i in quality.run_quantulum3(texts)],
    "cqe": lambda texts: [_remap(i) for i in quality.run_cqe(texts)],
}


def load(tests: Path) -> list[dict]:
    rows = []
    for name in FILES:
        path = tests / name
        if path.exists():
            rows.extend(json.loads(path.read_text(encoding="utf-8")))
    return rows


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--tests", type=Path, default=default_tests(), help="quantulum3's en_US tests folder")
    parser.add_argument("--systems", default=",".join(SYSTEMS))
    parser.add_argument("--misses", default="")
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args(argv)
    if args.tests is None or not (args.tests / FILES[0]).exists():
        print("quantulum3's test tables not found: pip install quantulum3, or pass --tests", file=sys.stderr)
        return 1
    data = load(args.tests)
    texts = [row["req"] for row in data]
    golds = [gold_items(row["res"]) for row in data]
    counts = {s: sum(g.status == s for gs in golds for g in gs) for s in ("scored", "ignored", "out")}
    kinds = {k: sum(g.status == "scored" and g.kind == k for gs in golds for g in gs) for k in ("quantity", "money")}
    print(f"quantulum3 tables: {len(data)} sentences; gold scored {counts['scored']} (quantity {kinds['quantity']}, "
          f"money {kinds['money']}), ignored {counts['ignored']}, bare counts out {counts['out']}", file=sys.stderr)
    rows = []
    for name in [s.strip() for s in args.systems.split(",") if s.strip()]:
        try:
            predictions = SYSTEMS[name](texts)
        except ImportError as exc:
            rows.append({"system": name, "note": f"skipped: {exc} (not installed)"})
            continue
        except Exception as exc:  # noqa: BLE001 - an anchor that cannot run is reported
            rows.append({"system": name, "note": f"skipped: {type(exc).__name__}: {exc}"})
            continue
        tally = Tally()
        for text, gold, preds in zip(texts, golds, predictions):
            for g in gold:
                g.used = False
            score_sentence(tally, text, gold, preds)
        row = {"system": name, "note": ""}
        for label, kinds_ in (("all", ("quantity", "money")), ("quantity", ("quantity",)), ("money", ("money",))):
            p, r, f = tally.prf(kinds_)
            row[label] = {"P": round(p, 3), "R": round(r, 3), "F1": round(f, 3),
                          "tp": sum(tally.tp[k] for k in kinds_), "fp": sum(tally.fp[k] for k in kinds_),
                          "fn": sum(tally.fn[k] for k in kinds_)}
        rows.append(row)
        if name == args.misses:
            for miss in tally.misses:
                print(*miss, sep=" | ")
    if args.json:
        print(json.dumps(rows, indent=2))
        return 0
    print("| system | quantity+money P | R | F1 | tp | fp | fn | quantity F1 | money F1 | note |")
    print("|---|---|---|---|---|---|---|---|---|---|")
    for row in rows:
        if "all" not in row:
            print(f"| {row['system']} | | | | | | | | | {row['note']} |")
            continue
        a = row["all"]
        print(f"| {row['system']} | {a['P']:.3f} | {a['R']:.3f} | {a['F1']:.3f} | {a['tp']} | {a['fp']} | {a['fn']} "
              f"| {row['quantity']['F1']:.3f} | {row['money']['F1']:.3f} | {row['note']} |")
    return 0


if __name__ == "__main__":
    os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")
    sys.exit(main())
