"""What a money or quantity claim measures (`subject`), which entity it belongs to
(`about`) and which date it holds at (`when`), read off the dependency parse.

CONTRACT sections 2 and 3: `when` is a date governed by the value's own verb (a deadline of
another verb is not it); `about` is an entity in the subject, or for a definite noun
phrase ("the pipeline") the nearest earlier entity whose name has that head noun.
Precision first: when the parse does not say, the field stays null.
"""

from __future__ import annotations

from collections.abc import Sequence

from spacy.tokens import Doc, Span, Token

from factx.components.extensions import annotated

_MODIFIER_DEPS = {"nummod", "compound", "amod", "quantmod", "nmod", "npadvmod", "poss", "appos"}
_NOUNS = {"NOUN", "PROPN"}
_DEFINITE = {"the", "this", "that", "these", "those"}
_ABOUT_LABELS = {"ORG", "FAC", "PRODUCT", "EVENT", "LAW", "LOC", "GPE", "PERSON", "WORK_OF_ART"}
_MAX_SUBJECT_TOKENS = 12


def governing_verb(token: Token) -> Token | None:
    """The nearest verb above `token` (itself included): the head of its clause."""
    for node in (token, *token.ancestors):
        if node.pos_ == "VERB" or (node.pos_ == "AUX" and node.dep_ == "ROOT"):
            return node
    return None


def modified_noun(span: Span) -> Token | None:
    """The noun the value modifies: "$2.5 billion project", "1,100 km long gas pipeline"."""
    token = span.root
    while token.head is not token and token.dep_ in _MODIFIER_DEPS | {"advmod"}:
        head = token.head
        if head.i in range(span.start, span.end):
            token = head
            continue
        if head.pos_ in _NOUNS:
            return head
        if head.pos_ not in ("ADJ", "ADV", "NUM"):
            return None
        token = head
    return None


def clause_subject(span: Span) -> Token | None:
    """The subject of the value's clause; a participle modifying a noun defers to that
    noun's own clause ("trade has seen an increase reaching ... $790 million")."""
    verb = governing_verb(span.root)
    while verb is not None:
        for child in verb.children:
            if child.dep_ in ("nsubj", "nsubjpass") and child.pos_ != "PRON":
                return child
        if verb.dep_ in ("acl", "relcl", "xcomp", "advcl", "conj") and verb.head is not verb:
            verb = governing_verb(verb.head)
        else:
            return None
    return None


def noun_phrase(noun: Token, exclude: Span | None = None, full: bool = False) -> Span:
    """The noun with its left modifiers (or its whole subtree with `full`), without the
    parts that carry the value ("long" in "1,100 km long gas pipeline") or a determiner."""
    if full:
        tokens = list(noun.subtree)
    else:
        tokens = [t for left in noun.lefts if left.dep_ in ("compound", "amod", "nmod")
                  for t in left.subtree] + [noun]
    if exclude is not None:
        tokens = [t for t in tokens if t is noun or not _holds(t, exclude)]
    while tokens[0] is not noun and (tokens[0].dep_ in ("det", "predet", "poss") or tokens[0].is_punct):
        tokens = tokens[1:]
    return noun.doc[tokens[0].i : tokens[-1].i + 1]


def _holds(token: Token, span: Span | None) -> bool:
    if span is None:
        return False
    return any(span.start <= t.i < span.end for t in token.subtree)


def subject_of(span: Span, of_phrase: Span | None, clause: bool = True) -> tuple[Span | None, Token | None]:
    """(the subject phrase, the noun `about` is looked up from); with `clause`, fall back
    to the subject of the value's clause."""
    noun = modified_noun(span)
    if noun is not None:
        return noun_phrase(noun, exclude=span), noun
    head = clause_subject(span) if clause else None
    if of_phrase is not None:
        return of_phrase, head
    if head is None:
        return None, None
    phrase = noun_phrase(head, full=True)
    if len(phrase) > _MAX_SUBJECT_TOKENS:
        phrase = noun_phrase(head)
    return phrase, head


def about_of(doc: Doc, span: Span, subject: Span | None, head: Token | None) -> str | None:
    """The named entity the claim belongs to, by its canonical name."""
    if subject is not None:
        inside = [ent for ent in doc.ents if ent.label_ in _ABOUT_LABELS
                  and subject.start <= ent.start and ent.end <= subject.end]
        if len(inside) == 1:
            return _name(inside[0])
        if inside:
            return None  # several entities: "trade between Pakistan and Russia" is about neither alone
    if head is None or not any(child.lower_ in _DEFINITE for child in head.children):
        return None
    # "the pipeline project": try the head noun, then its compounds from the right.
    nouns = [head.lower_] + [t.lower_ for t in reversed(list(head.lefts)) if t.dep_ == "compound"]
    earlier = [ent for ent in doc.ents if ent.end_char <= span.start_char and ent.label_ in _ABOUT_LABELS]
    for noun in nouns:
        for ent in reversed(earlier):
            if noun in _head_words(ent):
                return _name(ent)
    return None


def _head_words(ent: Span) -> set[str]:
    """An entity's own words, and the noun it is a compound of ("the X Pipeline project")."""
    words = {token.lower_ for token in ent}
    doc = ent.doc
    if ent.end < len(doc) and doc[ent.end].pos_ in _NOUNS and any(t.head.i == ent.end for t in ent):
        words.add(doc[ent.end].lower_)
    return words


def _name(ent: Span) -> str:
    return ent._.factx_canonical or ent.text


def when_of(span: Span, dates: Sequence[Span]) -> Span | None:
    """The date governed by the same verb as the value, in the same sentence."""
    verb = governing_verb(span.root)
    sentence = span.sent if annotated(span.doc, "SENT_START") else None
    for date_span in dates:
        if sentence is not None and not (sentence.start <= date_span.start < sentence.end):
            continue
        if date_span.start < span.end and span.start < date_span.end:
            continue
        date_verb = governing_verb(date_span.root)
        if (date_verb.i if date_verb else None) == (verb.i if verb else None) and (verb or sentence):
            return date_span
    return None
