"""Score factx and anchor date parsers on the test tables date parsers ship (issue 15).

    python bench/datetables.py [--only factx,dateparser,...] [--tables ctparse,...]
                               [--dateparser-repo DIR] [--timefhuman-repo DIR] [--errors]

No table is copied into factx; each is read at run time from where it is published:
- ctparse: `ctparse.time.corpus` and `ctparse.time.auto_corpus` (the corpora ctparse
  trains and tests on, MIT), from the installed package: `pip install ctparse`.
- dateparser: every English row of `tests/test_search.py` (BSD-3): `param("en", text,
  [(found, datetime)...])` and `param(text=..., languages=["en"], expected=...)`, from a clone of github.com/scrapinghub/dateparser
  (`--dateparser-repo`, default: the fetched mirror `/work/.mirror/scrapinghub+dateparser/
  repo`, read with `git show HEAD:`). Its own reference date is the row's RELATIVE_BASE,
  else the day the bench runs (as in the test file).
- timefhuman: the `test_default` table of `tests/test_e2e.py` (Apache-2.0), from a clone
  of github.com/alvinwan/timefhuman (`--timefhuman-repo`); reference time 2018-08-04 14:00
  (the `now` fixture of its conftest.py).

Scoring, at day grain
- A gold is an inclusive day range: a day (a time of day keeps its day), a range's first to
  last day, or, for ctparse values with unknown parts ("2019-X-X"), the year or month.
  dateparser fills unwritten parts from the reference date, so a gold whose month and day
  are the reference's is a year ("2014"), one whose day is the reference's a month
  ("October"). timefhuman writes a month as its first day ("July 2019"): a first-of-month
  gold whose text has no "1" or "first" is a month.
- Out: rows with no date (ctparse "X-X-X", a time-only text whose gold is the reference's
  own day and which names no day word, a duration), rows in another language (ctparse's
  German rows: a word that dateparser's German dictionary has and its English one lacks,
  or an umlaut), open intervals.
- Each row is one text with its reference date. A system's answer is the set of distinct
  day ranges it dates in the text; each gold range matched by an equal predicted range
  counts once. precision = matched predictions / predictions; recall = matched golds /
  golds; F1 their harmonic mean.

Systems: factx (date facts of `Extractor.shared()`, the reference date as the document
date); dateparser.search_dates (RELATIVE_BASE, English, each found text's period from
DateDataParser); Recognizers-Text (`recognizers-text-suite`, English, reference date; of
an ambiguous value's past and future readings the future one, the library's default
for scheduling); ctparse and timefhuman on every table (each is the owner of one). An
anchor that is not installed is skipped with a note.
"""

from __future__ import annotations

import argparse
import ast
import re
import subprocess
import sys
import time
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
MIRRORS = Path("/work/.mirror")
Range = tuple[date, date]


@dataclass
class Row:
    text: str
    ref: datetime
    gold: set[Range]


@dataclass
class Score:
    matched_pred: int = 0
    preds: int = 0
    matched_gold: int = 0
    golds: int = 0
    errors: list[str] = field(default_factory=list)

    def prf(self) -> tuple[float, float, float]:
        p = self.matched_pred / self.preds if self.preds else 0.0
        r = self.matched_gold / self.golds if self.golds else 0.0
        return p, r, (2 * p * r / (p + r) if p + r else 0.0)


def _month_end(y: int, m: int) -> date:
    return date(y + (m == 12), m % 12 + 1, 1) - timedelta(days=1)


# --------------------------------------------------------------------------- language

def _german_words() -> set[str]:
    """Words of dateparser's German date dictionary that its English one lacks."""
    try:
        from dateparser.data.date_translation_data import de, en
    except ImportError:
        return set()

    def words(info: dict) -> set[str]:
        out: set[str] = set()
        for value in info.values():
            if isinstance(value, list):
                out.update(w.lower() for w in value if isinstance(w, str))
            elif isinstance(value, dict):
                out |= words(value)
        return out
    german = set()
    for w in words(de.info) - words(en.info):
        german.update(re.findall(r"[a-zäöüß]{3,}", w))
    return german - words(en.info)


_GERMAN: set[str] = set()
# German words of ctparse's rows that dateparser's dictionary lacks (prepositions and
# parts of the day); only used to leave German rows out of the English tables.
_GERMAN_EXTRA = {"am", "vom", "ab", "bis", "zum", "zur", "nacht", "nachts", "abend", "abends",
                 "morgens", "mittag", "mittags", "nachmittag", "vormittag", "früh", "ende",
                 "anfang", "mitte", "nächste", "nächsten", "letzte", "letzten", "diese",
                 "dieser", "kommende", "kommenden", "bzw", "oder", "nach", "ca"}


def english(text: str) -> bool:
    if re.search(r"[äöüßÄÖÜ]", text):
        return False
    for w in re.findall(r"[a-zäöüß]+", text.lower()):
        # compounds ("Dienstagabend") start with a dictionary word
        if w in _GERMAN_EXTRA or any(w.startswith(g) for g in _GERMAN if len(g) >= 5) \
                or w in _GERMAN:
            return False
    return True


# --------------------------------------------------------------------------- tables

_CT_TIME = re.compile(r"(X|\d{4})-(X|\d{1,2})-(X|\d{1,2}) (?:X|\d{1,2}):(?:X|\d{1,2}) \(.*?\)")


def _ct_value(v: str) -> Range | None:
    m = _CT_TIME.fullmatch(v.strip())
    if not m or m.group(1) == "X":
        return None
    y = int(m.group(1))
    if m.group(2) == "X":
        return (date(y, 1, 1), date(y, 12, 31)) if m.group(3) == "X" else None
    mo = int(m.group(2))
    if m.group(3) == "X":
        return date(y, mo, 1), _month_end(y, mo)
    d = date(y, mo, int(m.group(3)))
    return d, d


def ctparse_table() -> list[Row]:
    from ctparse.time import auto_corpus, corpus

    rows = []
    for target, ref, texts in list(corpus.corpus) + list(auto_corpus.corpus):
        if m := re.fullmatch(r"Time\[\]\{(.*)\}", target):
            rng = _ct_value(m.group(1))
        elif m := re.fullmatch(r"Interval\[\]\{(.*) - (.*)\}", target):
            a, b = _ct_value(m.group(1)), _ct_value(m.group(2))
            rng = (a[0], b[1]) if a and b and a[0] == a[1] and b[0] == b[1] else None
        else:
            rng = None
        if rng is None:
            continue
        for text in dict.fromkeys(texts):
            if english(text):
                rows.append(Row(text, datetime.fromisoformat(ref), {rng}))
    return rows


def _git_show(repo: Path, path: str) -> str:
    return subprocess.run(["git", "--git-dir", str(repo) if repo.name.endswith(".git") or
                           (repo / "HEAD").exists() else str(repo / ".git"), "show",
                           f"HEAD:{path}"], check=True, capture_output=True,
                          text=True).stdout


def _calls(source: str, name: str):
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Call) and getattr(node.func, "id", None) == name:
            yield node


def _literal(node: ast.AST, env: dict):
    # The tables are literals plus datetime(...) and the module's `today`: evaluate just
    # those expressions with nothing else in scope.
    return eval(compile(ast.Expression(node), "<table>", "eval"), {"__builtins__": {}}, env)


def _point_gold(d: datetime, ref: datetime, text: str, first_is_month: bool) -> Range | None:
    day = d.date()
    if first_is_month and day.day == 1 and not re.search(r"\b0?1(?:st)?\b|first", text,
                                                         re.IGNORECASE):
        return day, _month_end(day.year, day.month)
    if (day.month, day.day) == (ref.month, ref.day) and day.year != ref.year:
        return date(day.year, 1, 1), date(day.year, 12, 31)
    if day.day == ref.day and (day.year, day.month) != (ref.year, ref.month) \
            and not re.search(rf"\b0?{day.day}(?:st|nd|rd|th)?\b", text):
        return day.replace(day=1), _month_end(day.year, day.month)
    if day == ref.date() and not re.search(r"today|tonight|now|this", text, re.IGNORECASE):
        return None  # a time of day alone, or a duration from now: no date
    return day, day


def dateparser_table(repo: Path) -> list[Row]:
    import datetime as dt

    import pytz

    source = _git_show(repo, "tests/test_search.py")
    today = dt.datetime.now(tz=pytz.timezone("UTC"))
    env = {"datetime": dt, "today": today, "timedelta": dt.timedelta, "pytz": pytz}
    rows = []
    for call in _calls(source, "param"):
        args, kw = call.args, {k.arg: k.value for k in call.keywords}
        try:
            if len(args) >= 3 and isinstance(args[0], ast.Constant) and args[0].value == "en":
                text, expected = _literal(args[1], env), _literal(args[2], env)
            elif "text" in kw and "expected" in kw and "languages" in kw \
                    and _literal(kw["languages"], env) == ["en"]:
                text, expected = _literal(kw["text"], env), _literal(kw["expected"], env)
            else:
                continue
            settings = _literal(kw["settings"], env) if "settings" in kw else {}
            settings = settings or {}
        except Exception:
            continue
        if not isinstance(text, str) or not isinstance(expected, list) or not english(text):
            continue
        ref = settings.get("RELATIVE_BASE") or today.replace(tzinfo=None)
        gold = set()
        for item in expected:
            if isinstance(item, tuple) and len(item) >= 2 and isinstance(item[1], dt.datetime):
                g = _point_gold(item[1].replace(tzinfo=None), ref, item[0], False)
                if g:
                    gold.add(g)
        if gold:
            rows.append(Row(text, ref, gold))
    return rows


def timefhuman_table(repo: Path) -> list[Row]:
    import datetime as dt

    import pytz

    source = _git_show(repo, "tests/test_e2e.py")
    m = re.search(r"datetime\.datetime\(year=(\d+), month=(\d+), day=(\d+), hour=(\d+)\)",
                  _git_show(repo, "conftest.py"))
    now = datetime(*map(int, m.groups()))
    env = {"datetime": dt, "pytz": pytz}
    tree = ast.parse(source)
    rows = []
    for fn in tree.body:
        if not (isinstance(fn, ast.FunctionDef) and fn.name == "test_default"):
            continue
        for deco in fn.decorator_list:
            table = _literal(deco.args[1], env)
            for text, expected in table:
                gold: set[Range] = set()
                for item in _flatten(expected):
                    if isinstance(item, tuple):
                        a, b = item[0].date(), item[1].date()
                        if (a, b) == (now.date(), now.date()) and not re.search(
                                r"today|tonight|now", text):
                            continue
                        gold.add((a, b))
                    elif isinstance(item, dt.datetime):
                        g = _point_gold(item.replace(tzinfo=None), now, text, True)
                        if g:
                            gold.add(g)
                if gold:
                    rows.append(Row(text, now, gold))
    return rows


def _flatten(items):
    for item in items:
        if isinstance(item, list):
            yield from _flatten(item)
        else:
            yield item


# --------------------------------------------------------------------------- systems

class Factx:
    name = "factx"

    def load(self) -> None:
        from factx.pipeline import Extractor
        from factx.sources import Source

        self.extractor, self.Source = Extractor.shared(), Source

    def run(self, rows: list[Row]) -> list[set[Range]]:
        sources = [self.Source(doc=f"row{i}", key=f"row{i}", text=row.text,
                               date_override=row.ref.date()) for i, row in enumerate(rows)]
        out: list[set[Range]] = []
        for result in self.extractor.process(sources):
            out.append({(date.fromisoformat(f.value["start"]), date.fromisoformat(f.value["end"]))
                        for f in result.facts or [] if f.type == "date"
                        and f.value.get("start") and f.value.get("end")})
        return out


def _period(d: datetime, period: str) -> Range:
    day = d.date()
    if period == "week":
        monday = day - timedelta(days=day.weekday())
        return monday, monday + timedelta(days=6)
    if period == "month":
        return day.replace(day=1), _month_end(day.year, day.month)
    if period == "year":
        return date(day.year, 1, 1), date(day.year, 12, 31)
    return day, day


class Dateparser:
    name = "dateparser.search_dates"

    def load(self) -> None:
        from dateparser.date import DateDataParser
        from dateparser.search import search_dates

        self.search, self.DDP = search_dates, DateDataParser

    def run(self, rows: list[Row]) -> list[set[Range]]:
        out = []
        for row in rows:
            settings = {"RELATIVE_BASE": row.ref}
            got: set[Range] = set()
            try:
                found = self.search(row.text, languages=["en"], settings=settings) or []
            except Exception:
                found = []
            parser = self.DDP(languages=["en"], settings=settings)
            for text, d in found:
                data = parser.get_date_data(text)
                got.add(_period(d, data.period or "day") if data and data.date_obj
                        else (d.date(), d.date()))
            out.append(got)
        return out


class Recognizers:
    name = "recognizers-text"

    def load(self) -> None:
        from recognizers_suite import Culture, recognize_datetime

        self.recognize, self.culture = recognize_datetime, Culture.English

    def run(self, rows: list[Row]) -> list[set[Range]]:
        out = []
        for row in rows:
            got: set[Range] = set()
            try:
                results = self.recognize(row.text, self.culture, reference=row.ref)
            except Exception:
                results = []
            for r in results:
                values = (r.resolution or {}).get("values") or []
                if not values:
                    continue
                v = values[-1]
                rng = _recognizers_range(v)
                if rng:
                    got.add(rng)
            out.append(got)
        return out


def _day(text: str | None) -> date | None:
    m = re.match(r"(\d{4})-(\d{2})-(\d{2})", text or "")
    try:
        return date(*map(int, m.groups())) if m else None
    except ValueError:
        return None


def _recognizers_range(v: dict) -> Range | None:
    kind = v.get("type", "")
    if kind in ("date", "datetime"):
        d = _day(v.get("value"))
        return (d, d) if d else None
    if kind in ("daterange", "datetimerange"):
        a, b = _day(v.get("start")), _day(v.get("end"))
        if a and b:
            # date ranges are end-exclusive ("2016-01-01".."2017-01-01" is 2016)
            if kind == "daterange" and b > a:
                b -= timedelta(days=1)
            return a, b
    return None


class Ctparse:
    name = "ctparse"

    def load(self) -> None:
        from ctparse import ctparse

        self.parse = ctparse

    def run(self, rows: list[Row]) -> list[set[Range]]:
        out = []
        for row in rows:
            got: set[Range] = set()
            try:
                res = self.parse(row.text, ts=row.ref, timeout=1)
            except Exception:
                res = None
            r = getattr(res, "resolution", None)
            if r is not None:
                rng = _ct_value_obj(r)
                if rng:
                    got.add(rng)
            out.append(got)
        return out


def _ct_value_obj(r) -> Range | None:
    text = str(r)
    if m := re.fullmatch(r"(.*) - (.*)", text):
        a, b = _ct_value(m.group(1)), _ct_value(m.group(2))
        return (a[0], b[1]) if a and b else None
    return _ct_value(text)


class Timefhuman:
    name = "timefhuman"

    def load(self) -> None:
        from timefhuman import tfhConfig, timefhuman

        self.parse, self.config = timefhuman, tfhConfig

    def run(self, rows: list[Row]) -> list[set[Range]]:
        import datetime as dt

        out = []
        for row in rows:
            got: set[Range] = set()
            try:
                res = self.parse(row.text, config=self.config(now=row.ref))
            except Exception:
                res = []
            for item in _flatten(res or []):
                if isinstance(item, tuple) and len(item) == 2:
                    got.add((item[0].date(), item[1].date()))
                elif isinstance(item, dt.datetime):
                    got.add((item.date(), item.date()))
                elif isinstance(item, dt.date):
                    got.add((item, item))
            out.append(got)
        return out


SYSTEMS = {s.name: s for s in (Factx, Dateparser, Recognizers, Ctparse, Timefhuman)}


def score(rows: list[Row], preds: list[set[Range]]) -> Score:
    s = Score()
    for row, pred in zip(rows, preds):
        hit = row.gold & pred
        s.preds += len(pred)
        s.golds += len(row.gold)
        s.matched_pred += len(hit)
        s.matched_gold += len(hit)
        if hit != row.gold or hit != pred:
            def fmt(rs):
                return ", ".join(f"{a}..{b}" if a != b else str(a) for a, b in sorted(rs)) or "-"
            s.errors.append(f"{row.text!r} (ref {row.ref:%Y-%m-%d}): gold {fmt(row.gold)}; "
                            f"got {fmt(pred)}")
    return s


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--only", default="", help="comma-separated system names")
    ap.add_argument("--tables", default="ctparse,dateparser,timefhuman")
    ap.add_argument("--dateparser-repo", type=Path,
                    default=MIRRORS / "scrapinghub+dateparser" / "repo")
    ap.add_argument("--timefhuman-repo", type=Path,
                    default=MIRRORS / "alvinwan+timefhuman" / "repo")
    ap.add_argument("--errors", default="", help="print the misses of these systems")
    args = ap.parse_args(argv)

    _GERMAN.update(_german_words())
    loaders = {"ctparse": ctparse_table,
               "dateparser": lambda: dateparser_table(args.dateparser_repo),
               "timefhuman": lambda: timefhuman_table(args.timefhuman_repo)}
    tables = {}
    for name in args.tables.split(","):
        try:
            tables[name] = loaders[name]()
        except (ImportError, subprocess.CalledProcessError, FileNotFoundError) as exc:
            print(f"note: table {name} unavailable ({exc})", file=sys.stderr)
    for name, rows in tables.items():
        print(f"{name}: {len(rows)} rows, {sum(len(r.gold) for r in rows)} gold dates",
              file=sys.stderr)

    names = [n for n in args.only.split(",") if n] or list(SYSTEMS)
    show = set(args.errors.split(",")) if args.errors else set()
    print("\n| table | system | precision | recall | F1 | seconds |")
    print("|---|---|---:|---:|---:|---:|")
    for sys_name in names:
        system = SYSTEMS[sys_name]()
        try:
            system.load()
        except ImportError as exc:
            print(f"note: {sys_name} skipped, not installed ({exc})", file=sys.stderr)
            continue
        for table, rows in tables.items():
            t0 = time.perf_counter()
            s = score(rows, system.run(rows))
            p, r, f = s.prf()
            print(f"| {table} | {sys_name} | {p:.3f} ({s.matched_pred}/{s.preds}) | {r:.3f} "
                  f"({s.matched_gold}/{s.golds}) | {f:.3f} | {time.perf_counter() - t0:.1f} |",
                  flush=True)
            if sys_name in show:
                print(f"\n## {table} / {sys_name}", file=sys.stderr)
                for line in s.errors:
                    print("  " + line, file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
