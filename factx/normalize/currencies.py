"""Currency words, symbols and codes as written in news -> ISO 4217 codes.

What this module owns:
- ``currency_unit(text, context)``: (ISO code or None, factor), e.g. "cts" ->
  ("USD", 0.01): the amount is multiplied by ``factor``.
- ``lookup_currency(text, context)``: just the code.
- ``currency_candidates(text)``: every code the form could mean (empty: the text
  is not a currency at all), so a caller can tell "ambiguous" from "unknown".

Where the knowledge comes from: CLDR through babel (ISO codes including historic
ones such as DEM and FRF, English names and plurals, English-locale symbols, the
currencies each territory has used) plus ``currency_aliases.json`` for newswire
forms no data package ships ("dlrs", "stg", "cts"). babel is imported on first
use only.

What must stay true: a currency is never guessed. A form that several currencies
share ("rupees", "francs", "dollars") resolves only from the article's own
``context``: a candidate's ISO code written there, or a country named there
whose currency (current one preferred) is among the candidates. Two different
answers, or none, give None. "$" is USD and "¥" is JPY, as the English locale
of CLDR says.
"""

from __future__ import annotations

import functools
import json
import re
import unicodedata
from collections import defaultdict
from dataclasses import dataclass
from datetime import date
from importlib import resources
from typing import Any

from factx.normalize import cache as _cache
from factx.normalize.places import city_countries

__all__ = ["Clues", "article_clues", "currency_unit", "lookup_currency", "currency_candidates", "dateline_territory"]

_ALIASES = "currency_aliases.json"

# Alias forms shorter than this match exactly only ("DM", "stg", "cts", "Rs"):
# short forms are case-sensitive symbols. Longer forms ignore case, accents and
# dots ("U.S. dlrs" = "US dlrs").
_MIN_FOLDED_LEN = 4

_PARENTHETICAL = re.compile(r"\s*\(.*?\)")
# A country name, optionally as its demonym-like derivative ("Pakistani",
# "Indian", "Russian"); never in the middle of a word, never "New Jersey".
_DEMONYM_SUFFIX = r"(?:n|an|ian|i|ese)?"


@dataclass(frozen=True)
class _Entry:
    codes: frozenset[str]
    factor: float = 1.0


@dataclass(frozen=True)
class _Data:
    known: frozenset[str]  # every ISO code CLDR knows, historic ones included
    exact: dict[str, _Entry]  # aliases, codes, symbols: matched as written
    folded: dict[str, _Entry]  # aliases and CLDR names: matched after _fold()
    heads: dict[str, frozenset[str]]  # "rupees" -> every tender currency so named
    # territory -> [(code, still in use)] for currencies that were legal tender there
    territory_currencies: dict[str, list[tuple[str, bool]]]
    # code -> [(first day, day after the last or None)] of legal tender anywhere
    circulation: dict[str, list[tuple[tuple[int, ...] | None, tuple[int, ...] | None]]]
    territory_names: dict[str, str]  # name as written -> territory code
    territory_pattern: re.Pattern[str]
    dollars: frozenset[str]  # every tender currency CLDR names "... dollar"


@dataclass(frozen=True)
class Clues:
    """What a whole article says about its currencies, read once per document by
    ``article_clues``: the territory of its dateline ("SYDNEY (Reuters) -" is AU), the
    dollars it names with their country anywhere ("A$", "Canadian dlrs", "NZ$"), and
    the names of its places and organisations ("Coffee Board of Kenya")."""

    dateline: str | None = None
    dollars: frozenset[str] = frozenset()
    names: str = ""


def currency_unit(text: str, context: str | None = None, on: date | None = None,
                  clues: Clues | None = None, about: str | None = None,
                  conversion: bool = False) -> tuple[str | None, float]:
    """Return (ISO code or None, factor) for a currency form such as "cts" or "rupees".

    ``context`` is the text around the amount (its sentence) used to settle forms
    several currencies share; ``clues`` what the rest of the article says
    (``article_clues``); ``on`` is the article's date (default: today): a form
    whose candidates include exactly one currency in circulation on that day means
    that one ("shekels" in 1987 or today is ILS, not the 1980-85 ILR). Unknown forms
    give (None, 1.0); so do ambiguous ones that neither settles, keeping their factor.

    "$" is USD unless the article points to another dollar: its dateline, a country
    named in ``context``, or a qualified dollar ("A$", "Canadian dollars") in the
    article; evidence for two dollars gives None. ``about`` (default: ``context``) narrows
    the countries "$" listens to to the words the claim is about (its clause's subject,
    its noun's possessor): "Canada's deficit reached $20 billion" is CAD, "the discount
    peaked at $52 ... in Western Canada" stays USD. A dollar name ("dollars", "cents")
    is settled the same way and also by the countries the article names; when the
    article names countries and none of them has a dollar, it is USD (the rupee is
    not a dollar); with no country at all it stays None. ``conversion``: the amount
    restates another in brackets ("9 billion shekels ($2.4 billion)"), news' convention
    for a conversion into US dollars: a dollar there is the dateline's dollar, else USD.
    """
    entry = _entry(text)
    if entry is None:
        return None, 1.0
    form = " ".join(text.split())
    data = _data()
    if conversion and "USD" in entry.codes and (form == "$" or len(entry.codes & data.dollars) > 1):
        dateline = _dollar_of(clues.dateline) if clues is not None and clues.dateline else set()
        return (dateline.pop() if len(dateline) == 1 else "USD"), entry.factor
    if form == "$":
        return _settle_dollar_sign(context if about is None else about, clues), entry.factor
    if "USD" in entry.codes and len(entry.codes & data.dollars) > 1:
        return _settle_dollar_name(entry.codes, context, on, clues), entry.factor
    if clues is not None and clues.names:
        context = f"{context or ''} {clues.names}"
    return _resolve(entry.codes, context, on, clues), entry.factor


def lookup_currency(text: str, context: str | None = None, on: date | None = None,
                    clues: Clues | None = None, about: str | None = None) -> str | None:
    """Return the ISO 4217 code ``text`` stands for, or None if unknown or unsettled."""
    return currency_unit(text, context, on, clues, about)[0]


def _dollar_of(territory: str) -> set[str]:
    """The dollar a territory uses today ("AU" -> {"AUD"}, "EC" -> {"USD"}), else empty."""
    data = _data()
    return {code for code, current in data.territory_currencies.get(territory, []) if current and code in data.dollars}


def _settle_dollar_sign(context: str | None, clues: Clues | None) -> str | None:
    evidence: set[str] = set()
    if clues is not None:
        evidence |= {code for code in clues.dollars if code != "USD"}  # "US$" points nowhere new
        if clues.dateline:
            evidence |= _dollar_of(clues.dateline)
    if context:
        for territory in _territories_in(context):
            evidence |= _dollar_of(territory)
    if not evidence:
        return "USD"
    return evidence.pop() if len(evidence) == 1 else None


def _settle_dollar_name(codes: frozenset[str], context: str | None, on: date | None,
                        clues: Clues | None) -> str | None:
    text = f"{context or ''} {clues.names if clues else ''}"
    territories = set(_territories_in(text)) if text.strip() else set()
    if clues is not None and clues.dateline:
        territories.add(clues.dateline)
    picks = {code for territory in territories for code in _dollar_of(territory) if code in codes}
    written = {code for code in codes if re.search(rf"(?<![A-Za-z]){code}(?![A-Za-z])", text)}
    picks |= written
    if clues is not None:
        picks |= clues.dollars & codes
    if not picks:
        # Countries named, none with a dollar: a dollar figure in a story about
        # Pakistan or Kenya is the US dollar. No country at all: unsettled.
        return "USD" if territories else _only_one_in_circulation(codes, on)
    return picks.pop() if len(picks) == 1 else None


def currency_candidates(text: str) -> frozenset[str]:
    """Every ISO code the form may mean; empty when ``text`` is not a currency form."""
    entry = _entry(text)
    return entry.codes if entry is not None else frozenset()


def _entry(text: str) -> _Entry | None:
    data = _data()
    form = " ".join(text.split())
    if not form or len(form) > 60:
        return None
    entry = data.exact.get(form)
    # Short words are names ("yen", "Won") unless written in capitals: those are
    # codes or symbols, exact only ("DM" is not "dm").
    if entry is None and (len(form) >= _MIN_FOLDED_LEN or not form.isupper()):
        key = _fold(form)
        entry = data.folded.get(key)
        if entry is None and key in data.heads:
            entry = _Entry(data.heads[key])
    if entry is None and 2 <= len(form) <= 5 and not (form.isascii() and form.isalpha() and form.islower()):
        entry = _local_symbols().get(form)  # "RM", "zł", "Kč", "$US"
    return entry


def _resolve(codes: frozenset[str], context: str | None, on: date | None = None,
             clues: Clues | None = None) -> str | None:
    if len(codes) <= 1:
        return next(iter(codes), None)
    picks = _context_picks(codes, context) if context else set()
    if clues is not None and clues.dateline:
        picks |= _context_picks(codes, "", (clues.dateline,))
    if not picks:
        return _only_one_in_circulation(codes, on)
    return picks.pop() if len(picks) == 1 else None  # the context says two things: unsettled


def _only_one_in_circulation(codes: frozenset[str], on: date | None) -> str | None:
    """The one candidate that was legal tender somewhere on `on` (today if None), else None."""
    day = (on or date.today()).timetuple()[:3]
    spans = _data().circulation
    live = {code for code in codes for start, end in spans.get(code, ()) if (start or day) <= day < (end or (9999,))}
    return live.pop() if len(live) == 1 else None


def _context_picks(codes: frozenset[str], context: str, territories: tuple[str, ...] = ()) -> set[str | None]:
    """What the context says: candidate codes written in it, else the currencies of the
    countries it names (None for a country that leaves the choice open)."""
    written = {code for code in codes if re.search(rf"(?<![A-Za-z]){code}(?![A-Za-z])", context)}
    if written:
        return set(written)
    data = _data()
    picks: set[str | None] = set()
    for territory in territories or _territories_in(context):
        used = [(code, current) for code, current in data.territory_currencies.get(territory, []) if code in codes]
        if not used:
            continue
        current = {code for code, is_current in used if is_current}
        every = {code for code, _ in used}
        # Prefer the currency in use today: "pesos" with Mexico is MXN, not the
        # pre-1993 MXP. With no date to go by, two past currencies stay unsettled.
        picks.add(current.pop() if len(current) == 1 else every.pop() if len(every) == 1 else None)
    return picks


@functools.lru_cache(maxsize=16)
def _territories_in(context: str) -> frozenset[str]:
    """Territory codes of the countries named in ``context`` (cached: one article, many amounts)."""
    data = _data()
    text = _strip_accents(context).replace("\u2019", "'")
    return frozenset(data.territory_names[m.group(1)] for m in data.territory_pattern.finditer(text))


# A dateline: a place in capitals at the start of a line, maybe its region, then the
# date, the agency in brackets or a dash: "SYDNEY, Oct 3 -", "OSLO (Reuters) -",
# "PORTLAND, Maine (AP) --".
_MONTH = r"(?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec)[a-z]*\.?"
_DATELINE = re.compile(
    r"^[ \t]*(?P<place>[A-Z][A-Z'.\-]+(?:[ ][A-Z][A-Z'.\-]+){0,3})"
    r"(?:,[ \t]*(?P<region>[A-Z][A-Za-z.']+(?:[ ][A-Z][A-Za-z.']+){0,2}))??"
    r"[ \t]*(?:,[ \t]*" + _MONTH + r"[ \t]*\d{1,2}\b|\([A-Za-z .&\-]{1,30}\)[ \t]*[-\u2013\u2014]|[-\u2013\u2014]{1,2}[ \t])",
    re.MULTILINE)
_DATELINE_REACH = 2000  # the dateline opens the story: look no further
# Where a dollar is named with its country: "A$", "$NZ", "HK$", "Canadian dollars".
_DOLLAR_MARK = re.compile(r"\$|\b(?:dollars?|dlrs?)\b", re.IGNORECASE)
_LETTERS_BEFORE = re.compile(r"[A-Z]{1,3}$")
_LETTERS_AFTER = re.compile(r"[A-Z]{1,3}(?![A-Za-z])")
_WORDS_BEFORE = re.compile(r"(?:([A-Z][\w.]*)\s+)?([A-Z][\w.]*)\s+$")
# Only a dollar written with an amount counts: "A$ 5", "$NZ3", "5 mln Canadian dlrs"
# ("reserves held in Canadian dollars" names no amount in them).
_AMOUNT_AFTER = re.compile(r"[A-Z]{0,3}\s?[\d.]")
_AMOUNT_BEFORE = re.compile(r"(?:\d|\b(?:thousand|million|billion|trillion|mln|bln|bn|mn|trn))\s+$", re.IGNORECASE)


def article_clues(text: str, names: str = "") -> Clues:
    """Read what an article says about its currencies (see ``Clues``); ``names`` are the
    names of its places and organisations, as a named-entity tagger found them."""
    data = _data()
    dollars: set[str] = set()
    for match in _DOLLAR_MARK.finditer(text):
        start, end = match.span()
        forms = []
        if match.group() == "$":
            if _AMOUNT_AFTER.match(text, end, end + 5) is None:
                continue
            if (before := _LETTERS_BEFORE.search(text, max(start - 3, 0), start)) is not None:
                forms.append(before.group() + "$")
            if (after := _LETTERS_AFTER.match(text, end, end + 4)) is not None:
                forms.append("$" + after.group())
        elif (words := _WORDS_BEFORE.search(text, max(start - 40, 0), start)) is not None \
                and _AMOUNT_BEFORE.search(text, max(words.start() - 12, 0), words.start()) is not None:
            if words.group(1):
                forms.append(f"{words.group(1)} {words.group(2)} {match.group()}")
            forms.append(f"{words.group(2)} {match.group()}")
        for form in forms:
            codes = currency_candidates(form)
            if len(codes) == 1 and codes <= data.dollars:
                dollars |= codes
                break
    return Clues(dateline_territory(text), frozenset(dollars), names)


def dateline_territory(text: str) -> str | None:
    """The territory of the story's dateline ("SYDNEY (Reuters) -" -> "AU", "OSLO,
    March 3 -" -> "NO", "PORTLAND, Maine (AP) --" -> "US"), else None. A city name that
    cities of several countries share names the biggest only when it is ten times the
    size of any other (Sydney, Australia, not Sydney, Nova Scotia); else None."""
    for match in _DATELINE.finditer(text, 0, _DATELINE_REACH):
        region = match.group("region")
        if region:
            code = _place_territory(region, cities=False)
            if code is not None:
                return code
        code = _place_territory(_capwords(match.group("place")), cities=True)
        if code is not None:
            return code
    return None


def _capwords(text: str) -> str:
    return " ".join(word[:1] + word[1:].lower() for word in text.split())


def _place_territory(name: str, cities: bool) -> str | None:
    data = _data()
    name = _strip_accents(name).rstrip(".")
    if name in data.territory_names:
        return data.territory_names[name]
    if name in _us_states():
        return "US"
    return _city_territories().get(name) if cities else None


def _us_states() -> frozenset[str]:
    return _dateline_places()[0]


def _city_territories() -> dict[str, str]:
    """City name -> the country of the biggest city so named, when it is its country's
    capital or at least ten times as big as any city of that name in another country
    (GeoNames: countries' capitals, cities over 15,000 people)."""
    return _dateline_places()[1]


@functools.cache
def _dateline_places() -> tuple[frozenset[str], dict[str, str]]:
    """(US state names, ``_city_territories``), from the table cache or GeoNames (once)."""
    return _cache.cached(
        "dateline_places", _build_dateline_places,
        encode=lambda places: {"us_states": sorted(places[0]), "cities": places[1]},
        decode=_decode_dateline_places, sources=_SOURCES)


def _decode_dateline_places(table: dict[str, Any]) -> tuple[frozenset[str], dict[str, str]]:
    states, cities = frozenset(table["us_states"]), dict(table["cities"])
    if not all(isinstance(name, str) for name in states) or \
            not all(isinstance(name, str) and isinstance(code, str) for name, code in cities.items()):
        raise ValueError("not a table of dateline places")
    return states, cities


def _build_dateline_places() -> tuple[frozenset[str], dict[str, str]]:
    from factx.normalize.places import gazetteer

    states = frozenset(state["name"] for state in gazetteer().get_us_states().values())
    capitals = {(_strip_accents(country["capital"]), country["iso"])
                for country in gazetteer().get_countries().values() if country.get("capital")}
    sizes: dict[str, dict[str, int]] = defaultdict(dict)
    for city in gazetteer().get_cities().values():
        by_country = sizes[_strip_accents(city["name"])]
        by_country[city["countrycode"]] = max(by_country.get(city["countrycode"], 0), city["population"])
    found = {}
    for name, by_country in sizes.items():
        ranked = sorted(by_country.items(), key=lambda item: -item[1])
        if len(ranked) == 1 or ranked[0][1] >= 10 * ranked[1][1] or (name, ranked[0][0]) in capitals:
            found[name] = ranked[0][0]
    return states, found


def _fold(text: str) -> str:
    return " ".join(_strip_accents(text).replace("\u2019", "'").replace(".", "").casefold().split())


def _strip_accents(text: str) -> str:
    return "".join(ch for ch in unicodedata.normalize("NFKD", text) if not unicodedata.combining(ch))


# The factx files the cached tables are built from: editing one builds them again.
_SOURCES = (("factx.normalize", "currencies.py"), ("factx.normalize", _ALIASES), ("factx.normalize", "places.py"),
            ("factx.normalize", "units.py"), ("factx.normalize", "units.txt"))


@functools.cache
def _data() -> _Data:
    """The lookup tables (once per process): from the table cache, else built from CLDR."""
    return _cache.cached("currencies", _build_data, _encode_data, _decode_data, _SOURCES)


def _territory_pattern(territory_names: dict[str, str]) -> re.Pattern[str]:
    alternatives = "|".join(re.escape(name) for name in sorted(territory_names, key=len, reverse=True))
    return re.compile(rf"(?<![\w.])(?<!New )({alternatives}){_DEMONYM_SUFFIX}(?![\w])")


def _encode_entries(entries: dict[str, _Entry]) -> dict[str, list]:
    return {form: [sorted(entry.codes), entry.factor] for form, entry in entries.items()}


def _decode_entries(table: dict[str, list]) -> dict[str, _Entry]:
    return {form: _Entry(_codes(codes), float(factor)) for form, (codes, factor) in table.items()}


def _codes(codes: list[str]) -> frozenset[str]:
    """A cached list of ISO codes as a set; anything else is a corrupt file."""
    if not isinstance(codes, list) or not all(isinstance(code, str) for code in codes):
        raise ValueError("not a list of currency codes")
    return frozenset(codes)


def _day(value: list[int] | None) -> tuple[int, ...] | None:
    return None if value is None else tuple(value)


def _encode_data(data: _Data) -> dict[str, Any]:
    """``_Data`` as plain JSON data (the pattern is compiled again from the names)."""
    return {
        "known": sorted(data.known),
        "exact": _encode_entries(data.exact),
        "folded": _encode_entries(data.folded),
        "heads": {key: sorted(codes) for key, codes in data.heads.items()},
        "territory_currencies": data.territory_currencies,
        "circulation": data.circulation,
        "territory_names": data.territory_names,
        "dollars": sorted(data.dollars),
    }


def _decode_data(table: dict[str, Any]) -> _Data:
    territory_names = dict(table["territory_names"])
    return _Data(
        known=_codes(table["known"]),
        exact=_decode_entries(table["exact"]),
        folded=_decode_entries(table["folded"]),
        heads={key: _codes(codes) for key, codes in table["heads"].items()},
        territory_currencies={territory: [(code, bool(current)) for code, current in entries]
                              for territory, entries in table["territory_currencies"].items()},
        circulation={code: [(_day(start), _day(end)) for start, end in spans]
                     for code, spans in table["circulation"].items()},
        territory_names=territory_names,
        territory_pattern=_territory_pattern(territory_names),
        dollars=_codes(table["dollars"]),
    )


def _build_data() -> _Data:
    """Build the lookup tables from CLDR and the alias file."""
    from babel import Locale  # lazy: babel's data loading is not free
    from babel.core import get_global
    from babel.numbers import get_currency_name, list_currencies

    english = Locale("en")
    known = frozenset(list_currencies())
    raw_territories: dict[str, list[tuple[str, Any, Any, bool]]] = get_global("territory_currencies")
    territory_currencies = {
        territory: [(code, end is None) for code, _start, end, tender in entries if tender]
        for territory, entries in raw_territories.items()
    }
    tender = {code for entries in territory_currencies.values() for code, _ in entries}
    circulation: dict[str, list] = defaultdict(list)
    for entries in raw_territories.values():
        for code, start, end, is_tender in entries:
            if is_tender:
                circulation[code].append((start and tuple(start), end and tuple(end)))
    aliases = json.loads((resources.files(__package__) / _ALIASES).read_text(encoding="utf-8"))
    not_currencies = {_fold(word) for word in aliases["not_currencies"]}

    exact: dict[str, _Entry] = {code: _Entry(frozenset([code])) for code in known}
    symbols: dict[str, set[str]] = defaultdict(set)
    for code, symbol in english.currency_symbols.items():
        if code in known and symbol != code and symbol != "\u00a4":  # ¤ is "no symbol"
            symbols[symbol].add(code)
    for symbol, codes in symbols.items():
        exact.setdefault(symbol, _Entry(frozenset(codes)))

    names: dict[str, set[str]] = defaultdict(set)
    heads: dict[str, set[str]] = defaultdict(set)
    for code in known:
        for count in (1, 2):  # English has two plural forms: "US dollar", "US dollars"
            name = get_currency_name(code, count=count, locale=english)
            if name == code:
                continue  # CLDR has no English name for it
            names[_fold(name)].add(code)
            head = _fold(_PARENTHETICAL.sub("", name)).rsplit(" ", 1)[-1]
            # Only currencies that were legal tender somewhere give their head
            # word: the WIR franc/euro funds must not make "euros" ambiguous.
            if code in tender and head not in not_currencies and head.rstrip("s") not in not_currencies:
                heads[head].add(code)
    folded = {key: _Entry(frozenset(codes)) for key, codes in names.items()}
    head_codes = {key: frozenset(codes) for key, codes in heads.items()}
    _add_aliases(aliases["currencies"], exact, folded, head_codes)

    territory_names = {
        _strip_accents(_PARENTHETICAL.sub("", name)).replace("\u2019", "'"): code
        for code, name in english.territories.items()
        if len(code) == 2 and code.isalpha() and code in territory_currencies
    }
    territory_names.update(aliases["territories"])
    for name, code in city_countries(_BIG_CITY).items():
        territory_names.setdefault(_strip_accents(name), code)
    pattern = _territory_pattern(territory_names)
    dollars = frozenset(heads.get("dollars", set()) | heads.get("dollar", set()))
    return _Data(
        dollars=dollars,
        known=known,
        exact=exact,
        folded=folded,
        heads=head_codes,
        territory_currencies=territory_currencies,
        circulation=dict(circulation),
        territory_names=territory_names,
        territory_pattern=pattern,
    )


# A city this big names its country for currency purposes ("Rs 450 in Delhi" is INR).
_BIG_CITY = 1_000_000


@functools.cache
def _local_symbols() -> dict[str, _Entry]:
    """Symbols a country's official-language locales write for its current currency
    ("RM" for MYR in Malaysia, "zł" for PLN, "Kč" for CZK), from CLDR. Kept only when
    one currency owns the symbol, it is not a single letter, and it is not a unit word.
    Loaded on the first form nothing else knows, from the table cache or built (it
    reads a few hundred locales)."""
    return _cache.cached("currency_symbols", _build_local_symbols, _encode_entries, _decode_entries, _SOURCES)


def _build_local_symbols() -> dict[str, _Entry]:
    from babel.core import get_global
    from babel.localedata import load, locale_identifiers

    from factx.normalize.units import lookup_unit

    data = _data()
    identifiers = set(locale_identifiers())
    found: dict[str, set[str]] = defaultdict(set)
    for territory, languages in get_global("territory_languages").items():
        current = [code for code, in_use in data.territory_currencies.get(territory, []) if in_use]
        for language, info in languages.items():
            identifier = f"{language}_{territory}"
            if not current or not info.get("official_status") or identifier not in identifiers:
                continue
            symbols = load(identifier).get("currency_symbols", {})
            for code in current:
                symbol = symbols.get(code)
                if symbol and symbol != code and code in data.known:
                    found[symbol].add(code)
    return {
        symbol: _Entry(frozenset(codes)) for symbol, codes in found.items()
        if len(codes) == 1 and len(symbol) >= 2 and symbol not in data.exact and not symbol.isdigit()
        and lookup_unit(symbol) is None and lookup_unit(symbol.lower()) is None
    }


def _add_aliases(
    aliases: dict[str, Any],
    exact: dict[str, _Entry],
    folded: dict[str, _Entry],
    heads: dict[str, frozenset[str]],
) -> None:
    """Put the alias file's forms in front of CLDR's (an alias wins over a CLDR name)."""

    def like(form: str) -> frozenset[str]:
        key = _fold(form)
        entry = folded.get(key)
        return entry.codes if entry is not None else heads.get(key, frozenset())

    entries: dict[str, _Entry] = {}
    for form, target in aliases.items():
        if isinstance(target, str):
            entries[form] = _Entry(frozenset([target]))
        elif "code" in target:
            entries[form] = _Entry(frozenset([target["code"]]), float(target.get("factor", 1)))
        else:
            forms = [target["like"]] if isinstance(target["like"], str) else target["like"]
            entries[form] = _Entry(frozenset().union(*map(like, forms)), float(target.get("factor", 1)))
    for form, entry in entries.items():
        exact[form] = entry
        if len(form) >= _MIN_FOLDED_LEN:
            folded[_fold(form)] = entry


def alias_codes() -> dict[str, frozenset[str]]:
    """Every alias form and the codes it may mean (for tests and documentation)."""
    aliases = json.loads((resources.files(__package__) / _ALIASES).read_text(encoding="utf-8"))["currencies"]
    return {form: currency_candidates(form) for form in aliases}


def warm_tables() -> None:
    """Load (building and caching where needed) every table this module reads."""
    _data()
    _local_symbols()
    _dateline_places()
