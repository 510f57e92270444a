"""Score factx on the hand-annotated development set in bench/devset/.

Usage (from the repository root, with the venv that has factx and pint):

    /work/main/.venv/bin/python bench/devset.py [--shared ../shared] [--factx PATH]
        [--styles wire,modern,nonus] [--errors] [--json] [--texts DIR]

The set holds no article text (Reuters-21578, TempEval-3 and NewsQuant do not allow it in
this repository); `bench/devset/docs.jsonl` says how each document is rebuilt from
`../shared`, and every annotation carries the SHA-1 of its span text, checked on rebuild.
See bench/devset/README.md for how the set was built and what the annotations mean.

Scoring (per style and per type: date, money, quantity)
- A predicted fact (from `factx extract --format json --no-store`, one run over the
  rebuilt files) matches a gold annotation when their spans overlap, the type is the same
  and the value is right:
  - date: same inclusive range (start and end); a prediction spanning several gold dates
    ("2009-2010" annotated as two years) also matches when its range is their joint range;
  - money: same amount (relative tolerance 1e-3) and same currency (a gold currency of null
    is matched only by a null prediction); a money range counts as its two amounts, as in
    bench/quality.py, on gold and predicted side alike;
  - quantity: same magnitude (and magnitude_high) after conversion to SI base units with
    pint, same base unit; a quantity range is one value (low and high), also found when it
    comes as two single values inside its span ("20cm-40cm" as 20 cm and 40 cm).
- Each gold annotation is found at most once; each prediction matches at most one gold.
- Gold annotations marked `ignore` (CONTRACT 8's neither-required-nor-penalized classes:
  ages, cents/pence, index points, bare "tons", vague powers of ten, ...) are not scored;
  a prediction whose span overlaps one and matches no scored gold is dropped.
- Predicted quantities that are bare numbers (dimensionless and not a percentage-like
  unit) are dropped, as bench/quality.py does (bare counts are out, CONTRACT 8).
- Any other unmatched prediction is a false positive; any unfound scored gold a miss.
- Lenient (span-only) score: the same, with the value test left out (overlap + type).

`--errors` prints every miss (FN) and false positive (FP) with its offsets and its text,
taken from the rebuilt document at run time.
"""

from __future__ import annotations

import argparse
import gzip
import hashlib
import json
import math
import os
import subprocess
import sys
import tempfile
import xml.etree.ElementTree as ET
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DEVSET = ROOT / "bench" / "devset"
DEFAULT_SHARED = ROOT.parent / "shared"
DEFAULT_FACTX = Path("/work/main/.venv/bin/factx")
STYLES = ("wire", "modern", "nonus")
TYPES = ("date", "money", "quantity")
REL_TOL = 1e-3


def sha1(text: str) -> str:
    return hashlib.sha1(text.encode("utf-8")).hexdigest()


# --------------------------------------------------------------------------- texts

def reuters_text(article: dict) -> str:
    """The file form of ../shared/corpus/reuters-sample/ (byte-identical for those 200)."""
    return f"date {article['date']}\n{article['title']}\n\n{article['body']}\n"


def tempeval_parts(path: Path) -> tuple[str, str, str]:
    """(creation date, title, <TEXT> text) of a TimeML file."""
    root = ET.parse(path).getroot()
    dct = root.find("DCT/TIMEX3").get("value")[:10]
    title = " ".join((root.findtext("TITLE") or "").split())
    body = "".join(root.find("TEXT").itertext())
    return dct, title, body


def tempeval_text(path: Path) -> tuple[str, int]:
    """File text and the offset in it of the first character of <TEXT>.

    Form: "date DCT\\nTITLE\\n\\n" + the <TEXT> part without its leading and trailing
    blank lines + "\\n" (the Reuters file form, so the date marker gives the DCT).
    """
    dct, title, body = tempeval_parts(path)
    stripped = body.lstrip("\n")
    head = f"date {dct}\n{title}\n\n"
    return head + stripped.rstrip() + "\n", len(head) - (len(body) - len(stripped))


def newsquant_text(sentences: list[str]) -> str:
    """Sentences of one pseudo-document, one paragraph each; no date marker (no date known)."""
    return "\n\n".join(sentences) + "\n"


class Shared:
    """Lazy access to the sources under ../shared."""

    def __init__(self, root: Path):
        self.root = root
        self._reuters = None
        self._newsquant = None

    def reuters(self) -> dict:
        if self._reuters is None:
            path = self.root / "corpus" / "reuters21578.jsonl.gz"
            with gzip.open(path, "rt", encoding="utf-8") as fh:
                self._reuters = {a["id"]: a for a in map(json.loads, fh)}
        return self._reuters

    def newsquant(self) -> list:
        if self._newsquant is None:
            path = self.root / "benchmarks" / "newsquant" / "NewsQuant.json"
            self._newsquant = json.loads(path.read_text(encoding="utf-8"))
        return self._newsquant

    def text(self, doc: dict) -> str:
        source = doc["source"]
        if source == "reuters21578":
            return reuters_text(self.reuters()[doc["corpus_id"]])
        if source == "tempeval3":
            return tempeval_text(self.root / "benchmarks" / "tempeval3" / "te3-platinum" / doc["file"])[0]
        if source == "newsquant":
            data = self.newsquant()
            return newsquant_text([data[i]["text"] for i in doc["sentences"]])
        raise ValueError(f"unknown source {source!r}")


def load_docs() -> list[dict]:
    with open(DEVSET / "docs.jsonl", encoding="utf-8") as fh:
        return [json.loads(line) for line in fh if line.strip()]


def load_gold(style: str) -> list[dict]:
    path = DEVSET / f"{style}.jsonl"
    if not path.exists():
        return []
    with open(path, encoding="utf-8") as fh:
        return [json.loads(line) for line in fh if line.strip()]


def build(shared: Shared, docs: list[dict], out: Path, gold: list[dict]) -> dict[str, str]:
    """Write every document to OUT/<doc>.txt; check document and span SHA-1s. -> {doc: text}."""
    out.mkdir(parents=True, exist_ok=True)
    texts: dict[str, str] = {}
    bad = 0
    for doc in docs:
        text = shared.text(doc)
        if sha1(text) != doc["sha1"]:
            print(f"devset: {doc['doc']}: rebuilt text differs from the annotated one (sha1)", file=sys.stderr)
            bad += 1
        texts[doc["doc"]] = text
        (out / f"{doc['doc']}.txt").write_text(text, encoding="utf-8")
    for g in gold:
        span = texts[g["doc"]][g["start"]:g["end"]]
        if sha1(span) != g["sha1"]:
            print(f"devset: {g['doc']} {g['start']}-{g['end']}: span sha1 mismatch", file=sys.stderr)
            bad += 1
    if bad:
        sys.exit(f"devset: {bad} check(s) failed; the sources under ../shared are not the annotated ones")
    return texts


# --------------------------------------------------------------------------- values

_UREG = None


def ureg():
    global _UREG
    if _UREG is None:
        try:
            from factx.normalize.units import registry
            _UREG = registry()
        except ImportError:  # fall back to plain pint
            import pint
            _UREG = pint.UnitRegistry()
    return _UREG


def to_base(magnitude: float | None, unit: str) -> tuple[float | None, str]:
    if magnitude is None:
        return None, ""
    q = ureg().Quantity(magnitude, ureg().parse_units(unit) if " " not in unit else ureg().parse_expression(unit).units)
    factor = 1.0
    if " " in unit:  # an expression with a number in it ("0.01 * percent")
        factor = float(ureg().parse_expression(unit).magnitude)
    base = (q * factor).to_base_units()
    return float(base.magnitude), str(base.units)


def close(a: float | None, b: float | None) -> bool:
    if a is None or b is None:
        return a is None and b is None
    return math.isclose(a, b, rel_tol=REL_TOL, abs_tol=1e-12)


@dataclass
class Fact:
    doc: str
    type: str
    start: int
    end: int
    value: dict
    note: str = ""
    ignore: bool = False
    used: bool = False
    base: tuple = ()

    def overlaps(self, other: "Fact") -> bool:
        return self.doc == other.doc and self.start < other.end and other.start < self.end


def quantity_base(value: dict) -> tuple:
    if "base_magnitude" in value:  # a factx prediction
        return (value["base_magnitude"], value.get("base_magnitude_high"), value.get("base_unit", ""))
    low, unit = to_base(value["magnitude"], value["unit"])
    high, _ = to_base(value.get("magnitude_high"), value["unit"])
    return (low, high, unit)


def bare_number(fact: Fact) -> bool:
    if fact.type != "quantity":
        return False
    unit = (fact.value.get("unit") or "").lower()
    return fact.value.get("base_unit", "") in ("dimensionless", "") and not any(
        u in unit for u in ("percent", "basis_point", "ppm", "ppb", "permille"))


def split_money(fact: Fact) -> list[Fact]:
    """A money range counts as its two amounts (bench/quality.py, CONTRACT 8)."""
    v = fact.value
    if fact.type != "money" or v.get("amount_high") is None:
        return [fact]
    low = Fact(fact.doc, fact.type, fact.start, fact.end, {**v, "amount_high": None}, fact.note, fact.ignore)
    high = Fact(fact.doc, fact.type, fact.start, fact.end, {**v, "amount": v["amount_high"], "amount_high": None},
                fact.note, fact.ignore)
    return [low, high]


def value_match(pred: Fact, gold: Fact) -> bool:
    if pred.type != gold.type:
        return False
    p, g = pred.value, gold.value
    if gold.type == "date":
        return p.get("start") == g["start"] and p.get("end") == g["end"]
    if gold.type == "money":
        return (close(p.get("amount"), g["amount"]) and close(p.get("amount_high"), g.get("amount_high"))
                and p.get("currency") == g.get("currency"))
    pb, gb = pred.base, gold.base
    return pb[2] == gb[2] and close(pb[0], gb[0]) and close(pb[1], gb[1])


# --------------------------------------------------------------------------- scoring

@dataclass
class Counts:
    tp: int = 0
    fp: int = 0
    fn: int = 0

    def prf(self) -> tuple[float, float, float]:
        p = self.tp / (self.tp + self.fp) if self.tp + self.fp else 0.0
        r = self.tp / (self.tp + self.fn) if self.tp + self.fn else 0.0
        return p, r, (2 * p * r / (p + r) if p + r else 0.0)


@dataclass
class Result:
    strict: dict = field(default_factory=lambda: defaultdict(Counts))
    lenient: dict = field(default_factory=lambda: defaultdict(Counts))
    dropped: int = 0
    errors: list = field(default_factory=list)


def score(golds: list[Fact], preds: list[Fact], result: Result, style: str, strict: bool) -> None:
    table = result.strict if strict else result.lenient
    for f in golds + preds:
        f.used = False
    scored = [g for g in golds if not g.ignore]
    test = value_match if strict else (lambda p, g: p.type == g.type)
    for p in sorted(preds, key=lambda f: (f.doc, f.start)):
        over = [g for g in scored if not g.used and g.overlaps(p)]
        hit = next((g for g in over if test(p, g)), None)
        if hit is not None:
            hit.used = p.used = True
            continue
        if strict and p.type == "quantity" and p.base[1] is None:  # a range found as its two ends
            for g in over:
                if g.type == "quantity" and g.base[1] is not None and g.base[2] == p.base[2]:
                    other = next((q for q in preds if q is not p and not q.used and q.type == "quantity"
                                  and q.overlaps(g) and q.base[1] is None and q.base[2] == g.base[2]
                                  and close(q.base[0], g.base[1])), None)
                    if close(p.base[0], g.base[0]) and other is not None:
                        g.used = p.used = other.used = True
                        break
            if p.used:
                continue
        dates = [g for g in over if g.type == "date"]
        if strict and p.type == "date" and len(dates) > 1 \
                and p.value.get("start") == min(g.value["start"] for g in dates) \
                and p.value.get("end") == max(g.value["end"] for g in dates):
            for g in dates:  # one span over several gold dates, with their joint range
                g.used = True
            p.used = True
    for g in scored:
        counts = table[(style, g.type)]
        if g.used:
            counts.tp += 1
        else:
            counts.fn += 1
            if strict:
                result.errors.append(("FN", style, g))
    for p in preds:
        if p.used:
            continue
        if any(g.ignore and g.type == p.type and g.overlaps(p) for g in golds) or bare_number(p):
            if strict:
                result.dropped += 1
            continue
        table[(style, p.type)].fp += 1
        if strict:
            result.errors.append(("FP", style, p))


def run_factx(factx: Path, folder: Path, names: list[str]) -> dict[str, list[dict]]:
    files = [str(folder / f"{n}.txt") for n in names]
    env = dict(os.environ)
    proc = subprocess.run([str(factx), "extract", "--format", "json", "--no-store", *files],
                          capture_output=True, text=True, env=env)
    if proc.returncode not in (0,):
        print(proc.stderr, file=sys.stderr)
        sys.exit(f"devset: factx exited with {proc.returncode}")
    out: dict[str, list[dict]] = defaultdict(list)
    for fact in json.loads(proc.stdout or "[]"):
        out[Path(fact["doc"]).stem].append(fact)
    return out


def fmt_value(f: Fact) -> str:
    v = f.value
    if f.type == "date":
        return f"{v.get('start')}..{v.get('end')}" + (f" ({v['grain']})" if v.get("grain") else "")
    if f.type == "money":
        hi = f"-{v['amount_high']:g}" if v.get("amount_high") is not None else ""
        per = f" per {v['per_unit']}" if v.get("per_unit") else ""
        return f"{v.get('amount'):g}{hi} {v.get('currency')}{per}"
    hi = f"-{v['magnitude_high']:g}" if v.get("magnitude_high") is not None else ""
    return f"{v.get('magnitude'):g}{hi} {v.get('unit')}"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--shared", type=Path, default=DEFAULT_SHARED, help="the ../shared folder")
    parser.add_argument("--factx", type=Path, default=DEFAULT_FACTX, help="factx executable")
    parser.add_argument("--styles", default=",".join(STYLES))
    parser.add_argument("--texts", type=Path, default=None, help="write the rebuilt texts here (default: a temp dir)")
    parser.add_argument("--errors", action="store_true", help="print misses and false positives")
    parser.add_argument("--json", action="store_true", help="print the scores as JSON")
    args = parser.parse_args(argv)
    styles = [s.strip() for s in args.styles.split(",") if s.strip()]
    docs = [d for d in load_docs() if d["style"] in styles]
    gold_rows = [g for s in styles for g in load_gold(s)]
    shared = Shared(args.shared)
    tmp = None
    if args.texts is None:
        tmp = tempfile.TemporaryDirectory(prefix="factx-devset-")
        folder = Path(tmp.name)
    else:
        folder = args.texts
    texts = build(shared, docs, folder, gold_rows)
    style_of = {d["doc"]: d["style"] for d in docs}
    golds: dict[str, list[Fact]] = defaultdict(list)
    for g in gold_rows:
        fact = Fact(g["doc"], g["type"], g["start"], g["end"], g.get("value") or {}, g.get("note", ""),
                    bool(g.get("ignore")))
        if fact.type == "quantity" and not fact.ignore:
            fact.base = quantity_base(fact.value)
        golds[g["doc"]].extend(split_money(fact))
    raw = run_factx(args.factx, folder, [d["doc"] for d in docs])
    preds: dict[str, list[Fact]] = defaultdict(list)
    for name, facts in raw.items():
        for f in facts:
            if f["type"] not in TYPES:
                continue
            fact = Fact(name, f["type"], f["start"], f["end"], f.get("value") or {})
            if fact.type == "quantity":
                fact.base = quantity_base(fact.value)
            preds[name].extend(split_money(fact))
    result = Result()
    for doc in docs:
        name = doc["doc"]
        for strict in (True, False):
            score(golds[name], preds[name], result, style_of[name], strict)
    if args.errors:
        for kind, style, f in sorted(result.errors, key=lambda e: (e[2].doc, e[2].start, e[0])):
            text = texts[f.doc][f.start:f.end].replace("\n", "\\n")
            note = f"  [{f.note}]" if f.note else ""
            print(f"{kind} {style:6} {f.type:8} {f.doc} {f.start}-{f.end} {text!r} = {fmt_value(f)}{note}")
    rows = []
    for style in styles + ["all"]:
        for t in TYPES:
            keys = [(s, t) for s in styles] if style == "all" else [(style, t)]
            c = Counts(*(sum(getattr(result.strict[k], a) for k in keys) for a in ("tp", "fp", "fn")))
            lc = Counts(*(sum(getattr(result.lenient[k], a) for k in keys) for a in ("tp", "fp", "fn")))
            p, r, f1 = c.prf()
            lp, lr, lf = lc.prf()
            rows.append({"style": style, "type": t, "gold": c.tp + c.fn, "tp": c.tp, "fp": c.fp, "fn": c.fn,
                         "P": round(p, 3), "R": round(r, 3), "F1": round(f1, 3),
                         "span_P": round(lp, 3), "span_R": round(lr, 3), "span_F1": round(lf, 3)})
    ndocs = {s: sum(d["style"] == s for d in docs) for s in styles}
    print(f"devset: {len(docs)} documents ({', '.join(f'{s} {n}' for s, n in ndocs.items())}); "
          f"{sum(not g.ignore for gs in golds.values() for g in gs)} scored gold facts, "
          f"{sum(g.ignore for gs in golds.values() for g in gs)} ignored; "
          f"{result.dropped} predictions dropped (on ignored spans or bare numbers)", file=sys.stderr)
    if args.json:
        print(json.dumps(rows, indent=2))
        return 0
    print("| style | type | gold | P | R | F1 | tp | fp | fn | span P | span R | span F1 |")
    print("|---|---|---|---|---|---|---|---|---|---|---|---|")
    for r in rows:
        print(f"| {r['style']} | {r['type']} | {r['gold']} | {r['P']:.3f} | {r['R']:.3f} | {r['F1']:.3f} | {r['tp']} "
              f"| {r['fp']} | {r['fn']} | {r['span_P']:.3f} | {r['span_R']:.3f} | {r['span_F1']:.3f} |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
