"""Claim frames: who a money or quantity claim is about, what it measures, when it holds,
whether it is a level or a change, who states it and whether it is a forecast.

One strategy per frame key, each read off the dependency parse and the words of
`frames.toml`. Precision first: when the parse does not say, the key stays null (and a
claim with a null `about` or `measure` is compared with nothing). No strategy reads
lemmas, so the frame is the same whichever of the model's pipes are loaded.
"""

from __future__ import annotations

import calendar
import functools
import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date as date_type
from datetime import timedelta

from spacy.tokens import Doc, Span, Token

from factx.components.claims import governing_verb, listed_name, modified_noun
from factx.components.extensions import annotated, doc_text
from factx.identity import MARKER
from factx.normalize.dates import MONTHS, REPORTING_DAYS
from factx.normalize.numbers import parse_number
from factx.normalize.currencies import currency_candidates
from factx.normalize.units import lookup_unit
from factx.normalize.vocabulary import load, singular

# Labels an entity must have to be what a figure is about.
HOLDER_LABELS = {"ORG", "GPE", "LOC", "FAC", "PRODUCT", "EVENT", "LAW", "PERSON", "WORK_OF_ART"}
# A reporting subject or a lead entity is an organisation or a place: a person who says
# a figure rarely holds it ("Baker said the dollar fell").
PARTY_LABELS = {"ORG", "GPE"}
# How far back "it", "its" or "the company" may look for the entity it stands for.
ANTECEDENT_TOKENS = 80
# The tokens that may stand between a value and its own date: "$210 million in 2018".
OWN_DATE_GAP = {"in", "for", "during", "at", "on", "of", "the", "end", ",", "as"}
MAX_OWN_DATE_GAP = 3
MAX_HEADLINE_CHARS = 200
MAX_TABLE_LABEL = 4
_ORDINALS = {"first": 1, "1st": 1, "second": 2, "2nd": 2, "third": 3, "3rd": 3, "fourth": 4, "4th": 4}
_REPORTED_PERIOD = re.compile(
    r"\b(?P<ord>first|second|third|fourth|1st|2nd|3rd|4th)[\s-]+(?P<unit>qtr|quarter|half)\b", re.IGNORECASE)
_MONTHS_RUN = re.compile(r"\b(?P<count>\d{1,2}|three|six|nine|twelve)\s+(?:mos|mths|months)\b|\b(?P<year>year|yr)\b",
                         re.IGNORECASE)
# The day a reported period ends, written after it: "3RD QTR FEB 28", "1ST QTR" ... "Feb 28 end".
_PERIOD_END = re.compile(
    r"\b(?P<month>jan|feb|mar|apr|may|jun|jul|aug|sep|sept|oct|nov|dec)[a-z]*\.?\s+(?P<day>\d{1,2})\b",
    re.IGNORECASE)
_BRACKETED = re.compile(r"<(?P<inside>[A-Z0-9][A-Z0-9&.,'/ -]{0,60})>")
# "0.5 pct less than in February 1986", "10 pct higher": a value that compares is a change.
_COMPARATIVES = {"more": "up", "higher": "up", "above": "up", "greater": "up", "less": "down", "lower": "down",
                 "below": "down", "fewer": "down"}
MAX_CLAUSE_CLIMB = 3
_POSSESSIVE = re.compile(r"\s*['\u2019]s?$")
_TICKER_NAME = re.compile(
    r"(?P<name>(?:[A-Z][\w&.'-]*\s+){1,6})<[A-Z0-9.]{1,10}>(?:\s+(?P<form>Plc|PLC|Inc|Corp|Co|Ltd|AG|SA|NV)\b)?")
LEAD_CHARS = 200  # how far into the story its opening names the company
MIN_STEM = 5  # "japan" and "japanese", "brazil" and "brazilian": one stem
MAX_TABLE_ROWS = 12
VERSUS = {"vs", "vs.", "versus"}
_BLANK_LINE = re.compile(r"[ \t\r]*\n")


@functools.cache
def words() -> dict:
    """The frame vocabulary (frames.toml), as sets, read once."""
    def as_sets(node):
        if isinstance(node, dict):
            return {key: as_sets(value) for key, value in node.items()}
        return set(node) if isinstance(node, list) else node

    return as_sets(load("frames", "factx.components"))


@dataclass
class Context:
    """What the strategies share for one document."""

    doc: Doc
    ents: Sequence[Span]
    lead: Span | None
    headline_end: int  # character offset where the headline ends (0: no headline)
    by_token: dict[int, Span]  # token index -> holder-label entity holding it
    lead_name: str | None = None  # the lead entity's name (a headline may name it in "<...>" only)
    headline_period: dict | None = None  # the period a results headline names, as a `when`
    table_period: dict | None = None  # the same, read with the line above a table's rows


def context(doc: Doc, ents: Sequence[Span]) -> Context:
    headline_end = headline_span(doc)
    by_token = {i: ent for ent in ents if ent.label_ in HOLDER_LABELS and "\n" not in ent.text
                and not _is_value_name(ent) for i in range(ent.start, ent.end)}
    ctx = Context(doc, ents, None, headline_end[1] if headline_end else 0, by_token)
    ctx.headline_period, ctx.table_period = _headline_periods(doc, headline_end)
    ctx.lead = lead_entity(ctx, headline_end)
    if ctx.lead is not None:
        ctx.lead_name = _name(ctx.lead)
    else:  # the wire's own marking: "<ACME CORP>" or "ACME CORP <ACME>" in the headline,
        # "Acme Corp <ACME.N> said" opening the story
        text = doc_text(doc)
        start = headline_end[1] if headline_end else (doc._.factx_marker_end or 0)
        ctx.lead_name = (bracketed_company(text[headline_end[0] : headline_end[1]]) if headline_end else None) \
            or ticker_company(text[start : start + LEAD_CHARS])
    return ctx


def _is_value_name(ent: Span) -> bool:
    """A unit, a currency or a figure the model took for a name ("cts" tagged ORG in a
    table row, "Revs 1,284,939"): never what a figure is about."""
    text = ent.text.lower().strip("<>.")
    return bool(currency_candidates(text)) or lookup_unit(text) is not None \
        or any(t.like_num for t in ent)


# --- the headline and the lead entity -------------------------------------------------

def headline_span(doc: Doc) -> tuple[int, int] | None:
    """(start, end) characters of the headline: the first line of the text (after a
    `date` marker) when a blank line follows it."""
    text = doc_text(doc)
    start = doc._.factx_marker_end or 0
    while start < len(text) and text[start].isspace():
        start += 1
    end = text.find("\n", start)
    if end <= start or not _BLANK_LINE.match(text, end + 1):
        return None
    line = text[start:end].rstrip()
    if len(line) > MAX_HEADLINE_CHARS or line.endswith("."):
        return None  # a lead paragraph on a line of its own, not a headline
    return start, end


def lead_entity(ctx: Context, headline: tuple[int, int] | None) -> Span | None:
    """The article's lead entity: the one organisation or place of the first sentence
    after the headline whose name the headline also says (matched by words, as wire
    headlines are in capitals: "GERMAN" says Germany); when that sentence names none (a
    table of results), the one the headline names; without a headline, the only one the
    first sentence names. A source the sentence quotes ("..., Statistics Canada said") is
    who tells the story, not what it is about, unless it is all the sentence names
    ("Acme said its profit rose")."""
    doc = ctx.doc
    if not annotated(doc, "SENT_START") or not len(doc):
        return None
    body_start = headline[1] if headline else (doc._.factx_marker_end or 0)
    first = next((t for t in doc if t.idx >= body_start and not t.is_space), None)
    if first is None:
        return None
    sentence = first.sent
    named = _parties(ctx, sentence.start, sentence.end)
    if any(not _is_speaker(ent) for ent in named):
        named = [ent for ent in named if not _is_speaker(ent)]
    if headline is not None:
        heading = [w.strip(".,'\"<>()").lower() for w in doc_text(doc)[headline[0] : headline[1]].split()]
        if named:
            named = [ent for ent in named if any(_same_word(t.lower_, w) for t in ent for w in heading)]
        else:  # a results table: the company the headline names
            company = bracketed_company(doc_text(doc)[headline[0] : headline[1]])
            if company is not None:
                return None  # `context` takes the bracketed name itself
            named = [ent for ent in _parties(ctx, 0, first.i) if ent.start_char >= headline[0]
                     and not any(c in ent.text for c in "<>")]
    names = {_name(ent) for ent in named}
    return named[0] if len(names) == 1 else None


def bracketed_company(heading: str) -> str | None:
    """A company a wire headline names the wire's way: "<AMERICAN VARIETY INTERNATIONAL
    INC>", or "ELECTRO RENT CORP <ELRC>" (a name before its ticker)."""
    match = _BRACKETED.search(heading)
    if match is None:
        return None
    inside = match["inside"].strip()
    if " " in inside:
        return inside
    before = MARKER.sub("", heading[: match.start()]).strip(" -")
    return before if before and len(before.split()) <= MAX_TABLE_LABEL + 2 else None


def ticker_company(text: str) -> str | None:
    """The company a story opens with, named with its ticker: "American Can Co <AC.N> is
    issuing", "News International <NWSL.L> Plc is issuing"."""
    match = _TICKER_NAME.search(text)
    if match is None:
        return None
    return " ".join(filter(None, [match["name"].strip(), match["form"]]))


def _same_word(word: str, heading_word: str) -> bool:
    """A name's word as a headline writes it, or its adjective ("german", "germany")."""
    word, heading_word = word.rstrip("."), heading_word.rstrip(".")
    if len(word) < 3 or len(heading_word) < 3:
        return False
    if word == heading_word:
        return True
    short, long = sorted((word, heading_word), key=len)
    return len(short) >= MIN_STEM and long.startswith(short[:-1] if len(short) > MIN_STEM else short)


def _is_speaker(ent: Span) -> bool:
    """The subject of a verb of saying: "Statistics Canada said"."""
    root = ent.root
    return root.dep_ in ("nsubj", "nsubjpass") and root.head.lower_ in words()["reporting"]["verbs"]


def _parties(ctx: Context, start: int, end: int) -> list[Span]:
    return [ent for ent in ctx.ents if ent.label_ in PARTY_LABELS and start <= ent.start < end
            and "\n" not in ent.text and not _is_value_name(ent)]


# --- about ------------------------------------------------------------------------------

def about_of(ctx: Context, claim: Span, subject: Span | None, head: Token | None) -> str | None:
    """The entity the value belongs to, asked in the order a careful reader asks: the
    measured noun's possessor or holder, the clause's subject, the reporting clause's
    subject, an entity inside the measured phrase ("Opec March output"; "Lockheed won a
    304 mln dlr Air Force contract" is Lockheed's), an apposition, then the article's
    lead entity when the claim's sentence names no other organisation or place."""
    for strategy in (_holder, _clause_subject, _reporting_subject, _inside_subject, _apposition):
        found = strategy(ctx, claim, subject, head)
        if found is not None:
            return found if isinstance(found, str) else _name(found)
    return _lead(ctx, claim)


def _holder(ctx: Context, claim: Span, subject: Span | None, head: Token | None) -> Span | None:
    """ "Peru's foreign debt", "its output", "exports of Chile", "the loss at Chrysler"."""
    if head is None:
        return None
    for child in head.children:
        if child.dep_ == "poss":
            return _entity_for(ctx, child)
    for child in head.children:
        if child.dep_ == "prep" and child.lower_ in ("of", "at", "for") and child.i > head.i:
            for pobj in child.children:
                if pobj.dep_ == "pobj" and not (claim.start <= pobj.i < claim.end):
                    found = ctx.by_token.get(pobj.i)
                    if found is not None:
                        return found
    return None


def _inside_subject(ctx: Context, claim: Span, subject: Span | None, head: Token | None) -> Span | None:
    """One entity named in the measured phrase itself ("Opec March output"); several
    ("trade between Pakistan and Russia") say it is about neither alone."""
    if subject is None:
        return None
    inside = {ctx.by_token[i].start: ctx.by_token[i] for i in range(subject.start, subject.end) if i in ctx.by_token}
    if len(inside) == 1:
        return next(iter(inside.values()))
    if not inside and head is not None:
        return _description(ctx, head)  # "the pipeline", "the company"
    return None


def _clause_subject(ctx: Context, claim: Span, subject: Span | None, head: Token | None) -> Span | None:
    """ "Chrysler reported a loss of 42 cents": the subject of the value's own clause (a
    participle on a noun asks the noun's clause: "its unit executed contracts valued at
    142 mln dlrs"). A person who says or estimates a figure is its source, not its holder."""
    verb = governing_verb(claim.root)
    for _ in range(MAX_CLAUSE_CLIMB):
        if verb is None:
            return None
        for child in verb.children:
            if child.dep_ in ("nsubj", "nsubjpass") and not (claim.start <= child.i < claim.end):
                found = _entity_for(ctx, child)
                if isinstance(found, Span) and found.label_ == "PERSON" and (
                        verb.lower_ in words()["reporting"]["verbs"] or _lead_is_place(ctx)):
                    return None  # a person who estimates a figure, or acts for the story's country
                return found
        if verb.dep_ not in ("acl", "xcomp", "conj", "advcl") or verb.head.i == verb.i:
            return None
        verb = governing_verb(verb.head)
    return None


def _reporting_subject(ctx: Context, claim: Span, subject: Span | None, head: Token | None) -> Span | None:
    """ "Texaco said output was 30,000 barrels a day": an organisation or place that
    reports a figure of its own."""
    verb = reporting_verb(claim)
    if verb is None:
        return None
    speaker = _speaker(verb)
    found = _entity_for(ctx, speaker) if speaker is not None else None
    if isinstance(found, str):
        return found
    if found is None or found.label_ not in PARTY_LABELS:
        return None
    if _lead_is_place(ctx) and _name(found) != ctx.lead_name:
        return None  # in a story about a country, an office or a bank that reports is its source
    return found


def _lead_is_place(ctx: Context) -> bool:
    return ctx.lead is not None and ctx.lead.label_ == "GPE"


def _apposition(ctx: Context, claim: Span, subject: Span | None, head: Token | None) -> Span | None:
    """ "Acme's unit, Beta Corp, ...": an entity in apposition to the measured noun."""
    if head is None:
        return None
    if head.dep_ == "appos":
        return ctx.by_token.get(head.head.i)
    for child in head.children:
        if child.dep_ == "appos" and child.i in ctx.by_token:
            return ctx.by_token[child.i]
    return None


def _lead(ctx: Context, claim: Span) -> str | None:
    """The lead entity, for a claim whose sentence names no other organisation or place
    than its sources."""
    if ctx.lead_name is None:
        return None
    sentence = _sentence_of(claim)
    if any(_name(ent) != ctx.lead_name and not _is_speaker(ent) and _is_argument(ent)
           for ent in _parties(ctx, sentence.start, sentence.end)):
        return None
    return ctx.lead_name


def _is_argument(ent: Span) -> bool:
    """A name in a place where it could hold a figure (a subject, an object, a possessor,
    a modifier of a subject), not an adjunct ("listed in Luxembourg", "rated by Moody's")."""
    root = ent.root
    if root.dep_ == "compound":
        root = root.head
    return root.dep_ in ("nsubj", "nsubjpass", "dobj", "poss", "appos", "attr", "dative", "ROOT")


def _entity_for(ctx: Context, token: Token) -> Span | str | None:
    """The entity a word stands for: the entity holding it, what "it"/"its" refers to,
    or what a definite description ("the company") refers to."""
    if token.i in ctx.by_token:
        found = ctx.by_token[token.i]
        return None if found.start_char < ctx.headline_end else found
    if token.lower_ in ("it", "its"):
        return _antecedent(ctx, token, PARTY_LABELS)
    if token.pos_ == "NOUN":
        return _description(ctx, token)
    return None


def _description(ctx: Context, head: Token) -> Span | str | None:
    """ "the company" stands for the story's lead company (else the nearest earlier
    organisation), "the country" for its lead country (else the nearest earlier place),
    "the pipeline" for the nearest earlier name with that word."""
    if not any(child.dep_ == "det" and child.lower_ in ("the", "this", "that") for child in head.children):
        return None
    labels = words()["about"]["descriptions"].get(singular(head.lower_))
    if labels:
        # in a story about one company or country, "the company", "the country" is it
        if ctx.lead is not None and ctx.lead.label_ in labels:
            return ctx.lead
        if ctx.lead is None and ctx.lead_name is not None and "ORG" in labels:
            return ctx.lead_name
        return _antecedent(ctx, head, set(labels))
    # "the pipeline project": the head noun, then its compounds from the right, in an
    # earlier name or as the noun that name is a compound of ("the X Pipeline project").
    nouns = [head.lower_] + [t.lower_ for t in reversed(list(head.lefts)) if t.dep_ == "compound"]
    earlier = [ent for ent in _earlier(ctx, head) if ent.label_ in HOLDER_LABELS]
    for noun in nouns:
        for ent in earlier:
            if noun in _head_words(ent):
                return ent
    return None


def _head_words(ent: Span) -> set[str]:
    """An entity's own words, and the noun it is a compound of."""
    found = {token.lower_ for token in ent}
    doc = ent.doc
    if ent.end < len(doc) and doc[ent.end].pos_ in ("NOUN", "PROPN") and any(t.head.i == ent.end for t in ent):
        found.add(doc[ent.end].lower_)
    return found


def _antecedent(ctx: Context, token: Token, labels: set[str]) -> Span | None:
    for ent in _earlier(ctx, token):
        if ent.label_ in labels:
            return ent
    return None


def _earlier(ctx: Context, token: Token) -> list[Span]:
    """Entities before `token` within ANTECEDENT_TOKENS, nearest first, outside the headline."""
    first = token.i - ANTECEDENT_TOKENS
    return [ent for ent in reversed(ctx.ents) if first <= ent.start and ent.end <= token.i
            and ent.start_char >= ctx.headline_end and "\n" not in ent.text and not _is_value_name(ent)]


def _name(ent: Span) -> str:
    name = ent._.factx_canonical or ent.text
    return _POSSESSIVE.sub("", name)  # "West Germany's" holds for West Germany


# --- who states it ------------------------------------------------------------------------

def reporting_verb(claim: Span) -> Token | None:
    """The verb of saying or reporting whose clause holds the value, if any."""
    verbs = words()["reporting"]["verbs"]
    for node in (claim.root, *claim.root.ancestors):
        if node.pos_ in ("VERB", "AUX") and node.lower_ in verbs and _speaker(node) is not None:
            return node
    return None


def _speaker(verb: Token) -> Token | None:
    for child in verb.children:
        if child.dep_ in ("nsubj", "nsubjpass") and child.lower_ not in ("which", "that", "who"):
            if child.dep_ == "nsubjpass":  # "was estimated by traders"
                agent = next((t for c in verb.children if c.dep_ == "agent" for t in c.children
                              if t.dep_ == "pobj"), None)
                return agent
            return child
    return None


def attributed_to_of(ctx: Context, claim: Span) -> str | None:
    """Who states the figure: "according to the ministry", "Texaco said", "traders
    estimated"; an entity by its canonical name, else the written source ("traders")."""
    sentence = _sentence_of(claim)
    for token in sentence:
        if token.lower_ == "according" and token.i + 1 < len(ctx.doc) and ctx.doc[token.i + 1].lower_ == "to":
            source = next((t for t in ctx.doc[token.i + 1].children if t.dep_ == "pobj"), None)
            named = _source_name(ctx, source) if source is not None else None
            if named is not None:
                return named
    verb = reporting_verb(claim)
    speaker = _speaker(verb) if verb is not None else None
    return _source_name(ctx, speaker) if speaker is not None else None


def _source_name(ctx: Context, token: Token) -> str | None:
    """An entity by its canonical name ("he" for the person named just before), else the
    written source: "traders", "the ministry", "industry sources"."""
    ent = ctx.by_token.get(token.i) or next((e for e in ctx.ents if e.start <= token.i < e.end
                                              and e.label_ in ("PERSON", "NORP")), None)
    if ent is None and token.lower_ in ("he", "she"):
        ent = _antecedent(ctx, token, {"PERSON"})
    if ent is None:
        ent = _entity_for(ctx, token)
    if ent is not None:
        return ent if isinstance(ent, str) else _name(ent)
    if token.pos_ == "NOUN":
        modifiers = [t for t in token.lefts if t.dep_ in ("compound", "amod") and t.is_alpha]
        return " ".join([t.lower_ for t in modifiers] + [token.lower_])
    return None


# --- what is measured -------------------------------------------------------------------

@dataclass
class TableRow:
    """A results-table row the claim stands in: "Shr loss 56 cts vs profit 71 cts"."""

    row: Span
    versus: int  # token index of "vs"
    label: list[str]  # the row's label words, lower case
    section: list[str]  # the heading of the block of rows above it ("year", "nine mths")
    section_span: Span | None = None

    def prior(self, claim: Span) -> bool:
        """Whether `claim` is in the column after "vs": the year-earlier figure."""
        return claim.start > self.versus

    def previous(self, claim: Span) -> bool:
        """ "Qtly div 17-1/2 cts vs 17-1/4 cts (prior)": the figure before this one (a
        dividend's last payment), not the year-earlier one."""
        doc = claim.doc
        return self.prior(claim) and (
            claim.end < len(doc) and doc[claim.end].lower_ in ("prior", "previously")
            or bool(set(self.label) & words()["table"]["previous_rows"]))


def table_row(ctx: Context, claim: Span) -> TableRow | None:
    """The results-table row a value stands in: its line holds "vs" and starts with a
    label of words ("Shr loss", "Net", "Avg shrs")."""
    doc = claim.doc
    row = line_of(doc, claim.start)
    versus = next((t.i for t in row if t.lower_ in VERSUS), None)
    if versus is None:
        return None
    label = row_label(row, claim.start)
    if label is None:
        return None
    section = _table_section(row, ctx.headline_end)
    return TableRow(row, versus, label, [t.lower_ for t in section] if section else [], section)


def line_of(doc: Doc, i: int) -> Span:
    """The tokens of the text line holding token `i` (the parser's sentences may cut a
    table row in two: "Net" | "663.3 mln vs 590.8 mln")."""
    text = doc_text(doc)
    start = text.rfind("\n", 0, doc[i].idx) + 1
    end = text.find("\n", doc[i].idx)
    line = doc.char_span(start, len(text) if end < 0 else end, alignment_mode="expand")
    while len(line) > 1 and line[0].is_space:
        line = line[1:]
    return line


def row_label(row: Span, before: int | None = None) -> list[str] | None:
    """A table row's label: its words before the first number (and before token
    `before`), at most MAX_TABLE_LABEL of them; None when the row starts otherwise."""
    label = []
    for token in row:
        if token.like_num or token.text[:1].isdigit() or (before is not None and token.i >= before):
            break
        if not token.is_alpha:
            return None
        label.append(token.lower_)
    return label if 1 <= len(label) <= MAX_TABLE_LABEL else None


def table_measure(claim: Span, row: TableRow) -> str:
    """The row's label is what is measured, after its block's heading ("year shr"); a
    column's own profit/loss word replaces the label's; the year-earlier column is kept
    apart by `(year earlier)` when its period is not known."""
    signs = words()["table"]["sign_words"]
    names = words()["table"]["labels"]
    label = [*row.section, *(names.get(word, word) for word in row.label)]
    if row.prior(claim):
        sign = next((t.lower_ for t in claim.doc[row.versus + 1 : claim.start] if t.lower_ in signs), None)
        if sign is not None:
            label = [w for w in label if w not in signs] + [sign]
    return " ".join(singular(w) for w in label)


def table_when(ctx: Context, claim: Span, row: TableRow) -> dict | None:
    """The period of a table value: the headline's ("RUBBERMAID 1ST QTR NET"), or for a
    block under a heading ("Year", "Nine mths") that many months ending where the
    headline's period ends; a year earlier for the column after "vs"."""
    if ctx.table_period is None:
        return None
    when = ctx.table_period
    if row.section:
        months = _section_months(row.section)
        if months is None or row.section_span is None:
            return None
        end = when["value"]["end"]
        start = _months_before(date_type.fromisoformat(end), months).isoformat()
        grain = "year" if months == 12 else "quarter" if months == 3 else "month"
        when = {"text": row.section_span.text, "start": row.section_span.start_char,
                "end": row.section_span.end_char,
                "value": {"start": start, "end": end, "grain": grain, "anchored": True}}
    if row.prior(claim):
        value = when["value"]
        when = {**when, "value": {**value, "start": _year_earlier(value["start"]), "end": _year_earlier(value["end"])}}
    return when


def headline_period(ctx: Context, claim: Span) -> dict | None:
    """The period a results headline names ("4TH QTR", "3RD QTR FEB 28"), for a claim of
    the body whose own words give none."""
    return ctx.headline_period if claim.start_char >= ctx.headline_end else None


def _headline_periods(doc: Doc, headline: tuple[int, int] | None) -> tuple[dict | None, dict | None]:
    """The headline's reported period as a `when` (read once per document): from the
    headline alone, and for a results table also with the line above its rows ("Feb 28
    end"); the period's own words are always the headline's."""
    if headline is None:
        return None, None
    text = doc_text(doc)
    start = doc._.factx_marker_end or 0
    heading = text[start : headline[1]]
    first_line = text[headline[1] :].lstrip("\n").split("\n", 1)[0]
    with_line = heading if any(w.lower() in VERSUS for w in first_line.split()) else heading + "\n" + first_line

    def when(written: str) -> dict | None:
        found = reported_period(written, doc._.factx_doc_date)
        if found is None or found[0][1] > len(heading):
            return None
        (first, last), value = found
        return {"text": text[start + first : start + last], "start": start + first, "end": start + last,
                "value": value}

    return when(heading), when(with_line)


def _section_months(section: list[str]) -> int | None:
    """How many months a table block's heading covers: "Year" 12, "Nine mths" 9, "Qtr" 3."""
    words_ = " ".join(section)
    if words_ in ("qtr", "quarter"):
        return 3
    match = _MONTHS_RUN.fullmatch(words_)
    return _months_of(match) if match else None


def _months_of(match: re.Match[str]) -> int | None:
    """How many months "12 mos", "nine mths" or "year" name."""
    written = (match["count"] or match["year"]).lower()
    if written in ("year", "yr"):
        return 12
    number = parse_number(written)
    return int(number) if number and number.is_integer() else None


def _ended_on(ended: re.Match[str], doc_date: date_type) -> date_type | None:
    """The day a "FEB 28" after a period names: its latest occurrence by the document date."""
    return _last_before(doc_date, MONTHS[ended["month"].lower()[:3]], int(ended["day"]))


def reported_period(heading: str, doc_date: date_type | None) -> tuple[tuple[int, int], dict] | None:
    """The period results are reported for in a headline: "4TH QTR", "1ST QTR FEB 28",
    "FIRST HALF". A quarter or half without its end date is the calendar one that ended
    most recently before the document date, if at most REPORTING_DAYS before it
    (results come out weeks after a period ends; later, it is a fiscal period)."""
    if doc_date is None:
        return None
    match = _REPORTED_PERIOD.search(heading)
    if match is None:
        return _months_ended(heading, doc_date)
    ordinal = _ORDINALS[match["ord"].lower()]
    months = 3 if match["unit"].lower() in ("qtr", "quarter") else 6
    ended = _PERIOD_END.search(heading, match.end())
    if ended:
        end = _ended_on(ended, doc_date)
        if end is None:
            return None
        start = _months_before(end, months)
    else:
        count = 12 // months
        if ordinal > count:
            return None
        last_month = ordinal * months
        ends = (date_type(year, last_month, calendar.monthrange(year, last_month)[1])
                for year in (doc_date.year, doc_date.year - 1))
        end = next((day for day in ends if day < doc_date), None)
        if end is None or (doc_date - end).days > REPORTING_DAYS:
            return None
        start = date_type(end.year, ordinal * months - months + 1, 1)
    grain = "quarter" if months == 3 else "half"
    return match.span(), {"start": start.isoformat(), "end": end.isoformat(), "grain": grain, "anchored": True}


def _months_ended(heading: str, doc_date: date_type) -> tuple[tuple[int, int], dict] | None:
    """ "12 MOS MAY 31", "NINE MTHS DEC 31", "YEAR DEC 31": a run of months ended on a
    stated day (without the day, a fiscal period: unknown)."""
    match = _MONTHS_RUN.search(heading)
    if match is None:
        return None
    ended = _PERIOD_END.search(heading, match.end())
    if ended is None:
        return None
    count = _months_of(match)
    end = _ended_on(ended, doc_date)
    if not count or count > 24 or end is None:
        return None
    grain = "year" if count == 12 else "month"
    value = {"start": _months_before(end, count).isoformat(), "end": end.isoformat(), "grain": grain,
             "anchored": True}
    return match.span(), value


def _last_before(doc_date: date_type, month: int, day: int) -> date_type | None:
    for year in (doc_date.year, doc_date.year - 1):
        try:
            candidate = date_type(year, month, day)
        except ValueError:
            return None
        if candidate <= doc_date:
            return candidate
    return None


def _months_before(end: date_type, months: int) -> date_type:
    """The first day of the `months`-month period that ends on `end`: the first of a
    month when `end` is a month's last day, else the day after the same day `months`
    months earlier (a 13-week quarter ended December 28 began September 29)."""
    month, year = end.month - months, end.year
    if month < 1:
        month, year = month + 12, year - 1
    if (end + timedelta(days=1)).day == 1:
        month, year = (1, year + 1) if month == 12 else (month + 1, year)
        return date_type(year, month, 1)
    return date_type(year, month, min(end.day, 28)) + timedelta(days=1)


def _year_earlier(iso: str | None) -> str | None:
    if iso is None:
        return None
    day = date_type.fromisoformat(iso)
    try:
        return day.replace(year=day.year - 1).isoformat()
    except ValueError:  # 29 February
        return day.replace(year=day.year - 1, day=28).isoformat()


def _table_section(row: Span, headline_end: int) -> Span | None:
    """The heading of the block of rows `row` is in: a short line of words above it
    ("Year", "Nine mths"), within the rows of the same table (no blank line between, not
    the headline)."""
    doc = row.doc
    i = row.start - 1
    for _ in range(MAX_TABLE_ROWS):
        while i >= 0 and doc[i].is_space:
            if "\n\n" in doc[i].text:
                return None
            i -= 1
        if i < 0 or doc[i].idx < headline_end:
            return None
        above = line_of(doc, i)
        content = [t for t in above if not t.is_space and not t.is_punct]
        if not any(t.lower_ in VERSUS for t in above):
            if 1 <= len(content) <= MAX_TABLE_LABEL and all(t.is_alpha for t in content):
                return doc[content[0].i : content[-1].i + 1]
            return None
        i = above.start - 1
    return None


def _starts_line(doc: Doc, i: int) -> bool:
    text = doc_text(doc)
    start = doc[i].idx
    return start == 0 or not text[:start].strip(" \t") or text[:start].rstrip(" \t").endswith("\n")



def measure_of(subject: Span | None, about: str | None = None) -> str | None:
    """A key for what is measured, stable across articles: the measured noun with its
    modifiers and a "per"/"of" tail, singular and lower case, without determiners,
    possessors, names, dates, numbers and reporting words, nor the words of the name of
    what it is about ("the pipeline project" of the Stream Gas Pipeline is its project)."""
    if subject is None:
        return None
    root = subject.root
    if root.ent_type_ and root.ent_type_ in HOLDER_LABELS | {"NORP"}:
        return None  # the phrase is a name ("Ireland is raising 300 mln marks"): what is measured is unsaid
    named = set(about.lower().split()) if about else set()
    keep = [t for t in subject if _measure_word(t, root, subject) and (t.i == root.i or t.lower_ not in named)]
    drop = words()["measure"]["drop"]
    found = [singular(t.lower_) if t.i == root.i or t.tag_ in ("NNS", "NNPS") else t.lower_
             for t in keep if t.lower_ not in drop or t.i == root.i]
    found = [w for w in found if w.strip("-'")]
    while found and found[-1] in ("of", "per", "in", "for"):
        found.pop()
    while found and found[0] in ("of", "per", "in", "for", "and"):
        found.pop(0)
    return " ".join(found) or None


def _measure_word(token: Token, root: Token, subject: Span) -> bool:
    if token.is_punct or token.is_space or token.like_num or token.text[:1].isdigit() or token.pos_ in (
            "DET", "PRON", "SYM", "NUM", "PART", "CCONJ"):
        return False
    if token.ent_type_ and token.i != root.i:
        return False  # a name, a date or another value: "Peru's", "March", "1985"
    if any(a.dep_ == "poss" for a in (token, *token.ancestors) if subject.start <= a.i < subject.end
           and a.i != root.i):
        return False
    if token.i > root.i:  # a tail: only "per share", "of crude oil"
        chain = [token, *token.ancestors]
        preps = [a for a in chain if a.dep_ == "prep" and subject.start <= a.i < subject.end]
        return bool(preps) and all(p.lower_ in ("per", "of") and p.head.i == root.i for p in preps[-1:]) \
            and not token.ent_type_ and token.pos_ in ("NOUN", "ADJ", "ADP", "PROPN")
    return True


# --- level or change ------------------------------------------------------------------------

def role_of(claim: Span) -> tuple[str, str | None]:
    """("level", None) or ("change", "up"|"down"|None): "closed at 1,276 stg" and
    "debt is 2.1 billion" are levels; "slid 300 stg", "up 5 pct", "by $2" and "an
    increase of 5 pct" are changes; "from X to Y" after a change verb are two levels."""
    role = words()["role"]
    text = claim.text
    if listed_name(claim) is not None or text[:1] == "+":
        sign = text[:1]
        before = claim.doc[claim.start - 1].lower_ if claim.start else ""
        if sign == "+" or before in role["up"]:
            return "change", "up"
        if sign in "-\u2212" or before in role["down"]:
            return "change", "down"
    root = claim.root
    head = root.head
    doc = claim.doc
    after = doc[claim.end].lower_ if claim.end < len(doc) else ""
    before = doc[claim.start - 1].lower_ if claim.start else ""
    if after in _COMPARATIVES and (after in ("above", "below", "higher", "lower")
                                   or claim.end + 1 < len(doc) and doc[claim.end + 1].lower_ == "than"):
        return "change", _COMPARATIVES[after]  # "0.5 pct less than in 1986", "5 dlrs above"
    if before in ("up", "down") or after in ("up", "down"):
        return "change", "up" if "up" in (before, after) else "down"  # "up 13 pct", "2 pct down"
    if head.i != root.i and head.pos_ in ("ADV", "ADJ", "ADP") and head.lower_ in ("up", "down", "higher", "lower") \
            and not (claim.start <= head.i < claim.end):
        return "change", "up" if head.lower_ in ("up", "higher") else "down"
    noun = modified_noun(claim)
    if noun is not None:
        direction = _noun_direction(noun)
        if direction is not None:
            return "change", direction
    if root.dep_ == "pobj" and head.dep_ == "prep":
        if head.lower_ == "of" and _noun_direction(head.head) is not None:
            return "change", _noun_direction(head.head)
        if head.lower_ == "by" and head.head.pos_ == "VERB":
            return "change", _verb_direction(head.head, claim)
        return "level", None
    if root.dep_ in ("dobj", "npadvmod", "advmod", "obj") and head.pos_ == "VERB":
        direction = _verb_direction(head, claim)
        if direction is not None:
            return "change", direction
    return "level", None


def _verb_direction(verb: Token, claim: Span) -> str | None:
    role = words()["role"]
    word = verb.lower_
    if claim.label_ == "MONEY" and word in role["money_levels"]:
        return None
    if word in role["up"]:
        return "up"
    if word in role["down"]:
        return "down"
    return None


def _noun_direction(noun: Token) -> str | None:
    role = words()["role"]
    word = singular(noun.lower_)
    if word in role["up_nouns"]:
        return "up"
    if word in role["down_nouns"]:
        return "down"
    return None


# --- forecast, target, estimate or actual -----------------------------------------------------

def modality_of(claim: Span, head: Token | None) -> str:
    """`target` for a quota, ceiling, goal or plan ("OPEC's 16 mln bpd ceiling"),
    `forecast` for an expected or future value ("will reach", "expected to"),
    `estimate` for an estimated one, else `actual`."""
    modality = words()["modality"]
    nouns = [t for t in (head, modified_noun(claim), _of_head(claim)) if t is not None]
    if any(singular(t.lower_) in modality["target_nouns"] for t in nouns):
        return "target"
    if any(singular(t.lower_) in modality["forecast_nouns"] for t in nouns):
        return "forecast"
    noun = modified_noun(claim)
    if noun is not None and noun.dep_ in ("nsubj", "nsubjpass"):
        return "actual"  # "the $2.5 billion project is expected to be completed": the clause is about the project
    verb = governing_verb(claim.root)
    reporter = reporting_verb(claim)
    chain = []
    node = verb
    while node is not None and len(chain) < 6:  # the value's verb and the verbs it hangs on, up to the reporting verb
        chain.append(node)
        if reporter is not None and node.i == reporter.i or node.dep_ not in ("xcomp", "ccomp"):
            break
        node = node.head if node.head.i != node.i else None
    for node in chain:
        if node.lower_ in modality["target_verbs"]:
            return "target"
        if node.lower_ in modality["forecast_verbs"] and not (reporter is not None and node.i == reporter.i
                                                               and node.lower_ not in ("expects", "expected", "sees")):
            return "forecast"
        if any(c.dep_ in ("aux", "auxpass") and c.lower_ in modality["forecast_aux"] for c in node.children):
            return "forecast"
        if node.i != (reporter.i if reporter is not None else -1) and node.lower_ in modality["estimate_words"]:
            return "estimate"
    if any(t.lower_ in modality["estimate_words"] for t in claim.doc[max(claim.start - 2, 0) : claim.start]):
        return "estimate"  # "an estimated 5 mln tonnes"
    if reporter is not None and reporter.lower_ in modality["estimate_words"]:
        return "estimate"  # "traders estimated output at 5 mln tonnes"
    return "actual"


def _of_head(claim: Span) -> Token | None:
    """The noun a value is "of": "a ceiling of 16 mln bpd"."""
    root = claim.root
    if root.dep_ == "pobj" and root.head.lower_ == "of" and root.head.head.pos_ == "NOUN":
        return root.head.head
    return None


# --- when ---------------------------------------------------------------------------------------

def own_date(claim: Span, dates: Sequence[Span]) -> Span | None:
    """A date written right after the value ("$210 million in 2018") or hung on it."""
    doc = claim.doc
    for date_span in dates:
        if date_span.start >= claim.end:
            gap = doc[claim.end : date_span.start]
            if len(gap) <= MAX_OWN_DATE_GAP and all(t.lower_ in OWN_DATE_GAP or t.is_space for t in gap) \
                    and not any(t.lower_ == "," for t in gap[:1]):
                return date_span
            break
    for date_span in dates:
        if any(claim.start <= a.i < claim.end for a in date_span.root.ancestors) \
                and not (claim.start <= date_span.start < claim.end) \
                and all(a.dep_ in ("pobj", "npadvmod", "nmod", "compound") or a.lower_ in OWN_DATE_GAP
                        for a in _path_up(date_span.root, claim)):
            return date_span
    return None


def _path_up(token: Token, claim: Span) -> list[Token]:
    path = []
    for node in (token, *token.ancestors):
        if claim.start <= node.i < claim.end:
            break
        path.append(node)
    return path


# A date one or two words after these is the base a value is compared with, not its
# period: "up 5 pct from January", "less than in February 1986", "compared with January".
_BASE_WORDS = {"from", "than", "over", "vs", "versus", "against", "since", "with", "compared"}
# A date after these words is an attribute of a thing ("notes due 1990"), not a period.
_ATTRIBUTE_WORDS = {"due", "maturing", "expiring"}


def clause_dates(dates: Sequence[Span], taken: set[int]) -> list[Span]:
    """The dates a clause may give a value: not another value's own date, not a base."""
    return [d for d in dates if d.start not in taken
            and not any(t.lower_ in _BASE_WORDS | _ATTRIBUTE_WORDS for t in d.doc[max(d.start - 2, 0) : d.start])
            and not _in_base_phrase(d)]


def _in_base_phrase(date_span: Span) -> bool:
    """A date inside a "from ..." or "than ..." phrase of its clause: "fell to 10.1 billion
    from 10.4 billion in February" (February is the base's period)."""
    for node in date_span.root.ancestors:
        if node.pos_ in ("VERB", "AUX"):
            return False
        if node.dep_ == "prep" and node.lower_ in _BASE_WORDS:
            return True
    return False


def phrase_date(subject: Span | None, dates: Sequence[Span]) -> Span | None:
    """A date inside the measured phrase: "the 1985 wheat harvest", "March output"."""
    if subject is None:
        return None
    inside = [d for d in dates if subject.start <= d.start and d.end <= subject.end]
    return inside[0] if len(inside) == 1 else None


def headline_date(ctx: Context, claim: Span, dates: Sequence[Span]) -> Span | None:
    """The one date a headline names, for a claim of the body."""
    if not ctx.headline_end or claim.start_char < ctx.headline_end:
        return None
    found = [d for d in dates if d.end_char <= ctx.headline_end and not (d._.factx_value or {}).get("relation")]
    return found[0] if len(found) == 1 else None


def _sentence_of(claim: Span) -> Span:
    if annotated(claim.doc, "SENT_START"):
        return claim.root.sent
    return claim.doc[:]
