"""Score money reading on the public price tables of price-parser (scrapinghub/price-parser).

Usage (from the repository root, in a venv with factx installed):

    .venv/bin/python bench/pricetables.py                   # factx and every anchor that imports
    .venv/bin/python bench/pricetables.py --systems factx --misses factx
    .venv/bin/python bench/pricetables.py --source /path/to/price_parser-0.5.1.tar.gz

Where the table comes from: price-parser's own test module `tests/test_price_parsing.py`,
read at run time from the price-parser source distribution (BSD-3-Clause; the data is not
copied into this repository). Without `--source` the script asks pip for it
(`pip download --no-deps --no-binary :all: price-parser==0.5.1` into a cache folder under
the system temp dir); `--source` takes the sdist (.tar.gz) or the test file itself. The
module is never imported: its `Example(...)` rows are read with `ast` (constants and
`Decimal("...")` only).

Anchors (bench-only, none is a factx dependency; a missing one is skipped with a note):
- price-parser itself (`pip install price-parser`): the table's own author, tuned on it;
- Recognizers-Text (`pip install recognizers-text-suite "emoji<1.0"`; its utilities import
  `emoji.UNICODE_EMOJI`, gone in emoji 1.0): `NumberWithUnitRecognizer(Culture.English)`'s
  currency model.

Scoring (CONTRACT-like: amount and currency right)
- A row is `Example(currency_hint, price_text, currency, amount_text, amount)`. Every system
  reads `price_text` alone (no hint, no decimal-separator hint: a news reader has neither).
- Out of scoring: rows with no amount or no currency (no price); rows whose currency is only
  in the hint (the text does not say it); rows that need a decimal-separator hint (the
  table's `DECIMAL_SEPARATOR` list); rows in another language: a word of the text (letters,
  two or more) that wordfreq finds more frequent in some other language than in English,
  or a currency written in a non-Latin script ("руб.", "원", "تومان"). The currency text
  itself and ISO codes are not words for this test.
- The gold currency is the table's currency text mapped to ISO 4217: an ISO code as is,
  "$" is USD (as NewsQuant is scored, CONTRACT 8), else every code CLDR (babel, all
  locales) writes with that symbol or names with that word; a row whose currency text
  maps to no code is out. A prediction's currency is right when it is one of them.
- Each system gives at most one price per row: its first money value. Right amount
  (relative tolerance 1e-6) and currency: true positive. A value that is wrong: a false
  positive and a miss. Nothing found: a miss.
"""

from __future__ import annotations

import argparse
import ast
import math
import subprocess
import sys
import tarfile
import tempfile
import time
import unicodedata
from collections import defaultdict
from dataclasses import dataclass
from decimal import Decimal
from functools import cache
from pathlib import Path

PACKAGE = "price-parser==0.5.1"
TEST_FILE = "tests/test_price_parsing.py"
SKIPPED_LISTS = {"PRICE_PARSING_DECIMAL_SEPARATOR_EXAMPLES"}  # rows that need a separator hint


@dataclass
class Row:
    table: str
    hint: str | None
    text: str | None
    currency: str | None
    amount: float | None
    out: str = ""  # why the row is not scored
    codes: frozenset[str] = frozenset()


# --------------------------------------------------------------------------- the table

def test_source(source: Path | None) -> str:
    if source is None:
        cache_dir = Path(tempfile.gettempdir()) / "factx-pricetables"
        cache_dir.mkdir(exist_ok=True)
        found = sorted(cache_dir.glob("price_parser-*.tar.gz"))
        if not found:
            subprocess.run([sys.executable, "-m", "pip", "download", "-q", "--no-deps", "--no-binary", ":all:",
                            PACKAGE, "-d", str(cache_dir)], check=True)
            found = sorted(cache_dir.glob("price_parser-*.tar.gz"))
        source = found[-1]
    if source.suffix == ".py":
        return source.read_text(encoding="utf-8")
    with tarfile.open(source) as tar:
        member = next(m for m in tar.getmembers() if m.name.endswith(TEST_FILE))
        return tar.extractfile(member).read().decode("utf-8")


def _literal(node: ast.AST):
    if isinstance(node, ast.Constant):
        return node.value
    if isinstance(node, ast.Call) and getattr(node.func, "id", None) == "Decimal":
        return float(Decimal(node.args[0].value))
    raise ValueError(ast.dump(node))


def read_rows(source_text: str) -> list[Row]:
    rows = []
    for node in ast.parse(source_text).body:
        if not isinstance(node, ast.Assign) or not isinstance(node.value, ast.List):
            continue
        name = node.targets[0].id
        if not name.startswith("PRICE_PARSING_"):
            continue
        for call in node.value.elts:
            if not (isinstance(call, ast.Call) and getattr(call.func, "id", None) == "Example"):
                continue
            args = [_literal(a) for a in call.args]
            hint, text, currency, _amount_text, amount = args[:5]
            row = Row(name, hint, text, currency, amount)
            if name in SKIPPED_LISTS or len(args) > 5 or any(k.arg == "decimal_separator" for k in call.keywords):
                row.out = "needs a decimal-separator hint"
            rows.append(row)
    return rows


# --------------------------------------------------------------------------- gold currencies

@cache
def cldr_symbols() -> dict[str, frozenset[str]]:
    """Symbol or English name (case-folded) -> every ISO code CLDR writes that way."""
    from babel import Locale
    from babel.localedata import load, locale_identifiers
    from babel.numbers import get_currency_name, list_currencies

    found: dict[str, set[str]] = defaultdict(set)
    for identifier in locale_identifiers():
        for code, symbol in load(identifier).get("currency_symbols", {}).items():
            found[symbol.casefold()].add(code)
    english = Locale("en")
    for code in list_currencies():
        for count in (1, 2):
            found[get_currency_name(code, count=count, locale=english).casefold()].add(code)
    return {symbol: frozenset(codes) for symbol, codes in found.items()}


@cache
def iso_codes() -> frozenset[str]:
    from babel.numbers import list_currencies

    return frozenset(list_currencies())


def currency_codes(text: str | None) -> frozenset[str]:
    if not text:
        return frozenset()
    form = text.strip().rstrip(".").strip()
    if form == "$":
        return frozenset({"USD"})
    if form.upper() in iso_codes() and form.isalpha():
        return frozenset({form.upper()})
    return cldr_symbols().get(form.casefold()) or cldr_symbols().get(text.strip().casefold(), frozenset())


def _non_latin(text: str) -> bool:
    return any(ch.isalpha() and not unicodedata.name(ch, "").startswith("LATIN") for ch in text)


@cache
def _languages() -> tuple[str, ...]:
    from wordfreq import available_languages

    # Chinese, Japanese and Korean need extra tokenizers; a Latin-script word is never theirs.
    return tuple(lang for lang in available_languages() if lang not in ("en", "zh", "ja", "ko"))


@cache
def is_english(word: str) -> bool:
    from wordfreq import zipf_frequency

    word = word.lower()
    english = zipf_frequency(word, "en")
    return english > 0 and all(zipf_frequency(word, lang) <= english for lang in _languages())


def classify(row: Row) -> None:
    import re

    if row.out:
        return
    if row.text is None or row.amount is None or not row.currency:
        row.out = "no price (no amount or no currency)"
        return
    if row.currency.strip() not in row.text:
        row.out = "currency only in the hint"
        return
    if _non_latin(row.currency):
        row.out = "other language (currency in a non-Latin script)"
        return
    row.codes = currency_codes(row.currency)
    if not row.codes:
        row.out = "currency text maps to no ISO code"
        return
    rest = row.text.replace(row.currency.strip(), " ")
    for word in re.findall(r"[^\W\d_]{2,}", rest):
        if word.upper() in iso_codes() and word.isupper():
            continue
        if _non_latin(word) or not is_english(word):
            row.out = f"other language ({word!r})"
            return


# --------------------------------------------------------------------------- systems

def run_factx(texts: list[str]) -> list[tuple[float, str | None] | None]:
    import factx

    out = []
    for text in texts:
        money = [f for f in factx.extract(text) if f.type == "money"]
        out.append((money[0].value["amount"], money[0].value.get("currency")) if money else None)
    return out


def run_price_parser(texts: list[str]) -> list[tuple[float, str | None] | None]:
    from price_parser import Price

    out = []
    for text in texts:
        price = Price.fromstring(text)
        if price.amount is None:
            out.append(None)
            continue
        # Its currency is the text as written: right when any code CLDR gives it is the gold's.
        out.append((float(price.amount), currency_codes(price.currency)))
    return out


def run_recognizers(texts: list[str]) -> list[tuple[float, str | None] | None]:
    from recognizers_number_with_unit import NumberWithUnitRecognizer
    from recognizers_text import Culture

    model = NumberWithUnitRecognizer(Culture.English).get_currency_model()
    out = []
    for text in texts:
        found = None
        for result in model.parse(text):
            resolution = result.resolution or {}
            if resolution.get("value") is None:
                continue
            code = resolution.get("isoCurrency") or ("USD" if resolution.get("unit") == "Dollar" else None)
            found = (float(resolution["value"]), code)
            break
        out.append(found)
    return out


SYSTEMS = {"factx": run_factx, "price-parser": run_price_parser, "recognizers-text": run_recognizers}


# --------------------------------------------------------------------------- scoring

def score(rows: list[Row], predictions) -> tuple[int, int, int, list]:
    tp = fp = fn = 0
    misses = []
    for row, found in zip(rows, predictions):
        codes = found[1] if found is not None and isinstance(found[1], frozenset) else {found and found[1]}
        right = found is not None and math.isclose(found[0], row.amount, rel_tol=1e-6, abs_tol=1e-9) \
            and bool(codes & row.codes)
        if right:
            tp += 1
            continue
        fn += 1
        if found is not None:
            fp += 1
        misses.append((row, found))
    return tp, fp, fn, misses


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--source", type=Path, default=None, help="price-parser sdist (.tar.gz) or its test file")
    parser.add_argument("--systems", default=",".join(SYSTEMS))
    parser.add_argument("--misses", default="", help="print the misses of these systems")
    parser.add_argument("--rows", action="store_true", help="print every row and why it is out, if it is")
    args = parser.parse_args(argv)
    rows = read_rows(test_source(args.source))
    for row in rows:
        classify(row)
    scored = [r for r in rows if not r.out]
    reasons: dict[str, int] = defaultdict(int)
    for r in rows:
        if r.out:
            reasons[r.out.split(" (")[0]] += 1
    if args.rows:
        for r in rows:
            print(f"{'OUT ' + r.out if r.out else 'IN'} | {r.text!r} | {r.currency!r} -> {sorted(r.codes)} | {r.amount}")
    print(f"price-parser tables: {len(rows)} rows; {len(scored)} scored; out: "
          + ", ".join(f"{n} {why}" for why, n in sorted(reasons.items())), file=sys.stderr)
    print("| system | P | R | F1 | tp | fp | fn | seconds |")
    print("|---|---|---|---|---|---|---|---|")
    for name in [s.strip() for s in args.systems.split(",") if s.strip()]:
        began = time.perf_counter()
        try:
            predictions = SYSTEMS[name]([r.text for r in scored])
        except ImportError as error:
            print(f"| {name} | skipped: {error} |||||||")
            continue
        seconds = time.perf_counter() - began
        tp, fp, fn, misses = score(scored, predictions)
        p = tp / (tp + fp) if tp + fp else 0.0
        r = tp / (tp + fn) if tp + fn else 0.0
        f1 = 2 * p * r / (p + r) if p + r else 0.0
        print(f"| {name} | {p:.3f} | {r:.3f} | {f1:.3f} | {tp} | {fp} | {fn} | {seconds:.1f} |")
        if name in args.misses.split(","):
            for row, found in misses:
                print(f"  MISS {name}: {row.text!r} gold {row.amount} {sorted(row.codes)} got {found}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
