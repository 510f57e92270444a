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
_VALUE_LABELS = {"MONEY", "PERCENT", "QUANTITY", "CARDINAL"}


def governing_verb(token: Token) -> Token | None:
    """The nearest verb above `token` (itself included): the head of its clause. A copula
    heads its own clause when it is the root or has a subject of its own ("... and Delta
    was down 1.9%")."""
    for node in (token, *token.ancestors):
        if node.pos_ == "VERB" or (node.pos_ == "AUX" and (
                node.dep_ == "ROOT" or any(c.dep_ in ("nsubj", "nsubjpass") for c in node.children))):
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


def clause_subject(span: Span, climb: bool = True) -> Token | None:
    """The subject of the value's clause; a participle modifying a noun defers to that
    noun's own clause ("trade has seen an increase reaching ... $790 million"). Without
    `climb`, only the value's own verb is asked (a duration belongs to its own verb:
    "urged businesses to move within 10 days" is not the urging's)."""
    verb = governing_verb(span.root)
    while verb is not None:
        for child in verb.children:
            if child.dep_ not in ("nsubj", "nsubjpass") or span.start <= child.i < span.end:
                continue
            if child.lower_ in _RELATIVE and verb.dep_ == "relcl" and verb.head.pos_ in _NOUNS:
                return verb.head  # "the country that is 90 miles wide", "stocks, which were up 2.8%"
            if child.lower_ in _PARTITIVE:  # "each of the buildings costs $40 million"
                part = _pobj_of(child, "of")
                if part is not None:
                    return part
            if child.pos_ not in ("PRON", "NUM", "DET") and not _is_number_word(child):
                return child
        if climb and verb.dep_ in ("acl", "relcl", "xcomp", "advcl", "conj", "pcomp") and verb.head is not verb:
            verb = governing_verb(verb.head)
        else:
            return None
    return None


_RELATIVE = {"that", "which", "who"}
_PARTITIVE = {"each", "all", "some", "most", "many", "none", "one", "both", "half", "any"}


def _pobj_of(token: Token, *preps: str) -> Token | None:
    """The noun object of `token`'s first child preposition among `preps`."""
    for prep in token.children:
        if prep.dep_ == "prep" and prep.lower_ in preps:
            for pobj in prep.children:
                if pobj.dep_ == "pobj" and pobj.pos_ in _NOUNS and not _is_number_word(pobj):
                    return pobj
    return None


def _base(token: Token) -> str:
    """The word's lemma, or its lower case without a plural "s" when no lemmatizer ran."""
    if token.lemma_:
        return token.lemma_.lower()
    word = token.lower_
    return word[:-1] if len(word) > 3 and word.endswith("s") and not word.endswith("ss") else word


def _is_number_word(token: Token) -> bool:
    """A number, a symbol, or a word of another value ("per cent", "dlrs")."""
    return token.like_num or token.text[:1].isdigit() or token.pos_ == "SYM" \
        or token.ent_type_ in _VALUE_LABELS


def noun_phrase(noun: Token, exclude: Span | None = None, full: bool = False) -> Span:
    """The noun with its left modifiers (or its whole subtree with `full`), without the
    parts that carry the value ("long" in "1,100 km long gas pipeline") or a determiner."""
    if full:  # without clauses and appositions hung on it, and never past the value
        cut = {t.i for child in noun.children if child.dep_ in ("appos", "relcl", "advcl")
               for t in child.subtree}
        tokens = [t for t in noun.subtree if t.i not in cut
                  and (exclude is None or noun.i >= exclude.start or t.i < exclude.start)]
    else:
        tokens = [t for left in noun.lefts if left.dep_ in ("compound", "amod", "nmod")
                  for t in left.subtree] + [noun]
    if exclude is not None:
        tokens = [t for t in tokens if t is noun or not _holds(t, exclude)]
    # Drop a leading article or possessive pronoun ("its"), never a named owner ("Taiwan's").
    while tokens[0] is not noun and (tokens[0].dep_ in ("det", "predet") or tokens[0].is_punct
                                     or (tokens[0].dep_ == "poss" and tokens[0].pos_ == "PRON")):
        tokens = tokens[1:]
    return noun.doc[tokens[0].i : tokens[-1].i + 1]


def _holds(token: Token, span: Span | None) -> bool:
    if span is None:
        return False
    return any(span.start <= t.i < span.end for t in token.subtree)


# Nouns that name a change rather than the thing changing: "an increase of 5% in sales"
# measures sales.
_CHANGE_NOUNS = {"increase", "rise", "fall", "drop", "gain", "decline", "decrease", "cut", "jump",
                 "reduction", "loss", "climb", "improvement", "boost", "growth", "change", "slide", "surge"}
# Prepositions that tie a value to the noun it measures ("a range of 400 km",
# "carbon levels at 1200 ppm") or, on a verb, to the object that changes ("raised its
# forecast to 5%", "cut prices by 10%", "sold the house for $2 million").
_NOUN_PREPS = {"of", "at"}
# Nouns that only say where a value stands ("a record high of $790 million", "a total of
# 5 million"): the measured thing is said elsewhere in the clause, if anywhere.
_LEVEL_NOUNS = {"high", "low", "record", "peak", "level", "total", "sum", "amount", "figure", "average",
                "maximum", "minimum", "tune", "excess", "upwards", "height", "mark"}
_VERB_PREPS = {"to", "from", "by", "for", "at"}
_MOVES = {"up", "down", "off", "higher", "lower"}


def subject_of(span: Span, of_phrase: Span | None, clause: bool = True) -> tuple[Span | None, Token | None]:
    """(the subject phrase, the noun `about` is looked up from), from the value's own
    noun phrase first, then its clause. With `clause` false (durations), the clause is
    asked only at the value's own verb."""
    root = span.root
    listed = _listed_name(span)
    if listed is not None:  # "Dow +0.2%", "Acme up 9.4 pct": a market-table row
        return listed, listed.root
    noun = modified_noun(span)
    if noun is not None:
        return noun_phrase(noun, exclude=span), noun
    if of_phrase is None:
        of_phrase = _of_child(root, span)  # "13 percent of the global economy"
    if of_phrase is not None:
        return of_phrase, clause_subject(span, climb=clause)
    owner = _owner_noun(root, span)  # "a range of 400 km", "its revenue, $5 billion,"
    if owner is not None and _base(owner) not in _LEVEL_NOUNS:
        return noun_phrase(owner, exclude=span), owner
    thing = _changed_object(root, span)  # "lowered its guidance to $84 billion"
    if thing is not None:
        return noun_phrase(thing, exclude=span), thing
    head = clause_subject(span, climb=clause)
    if head is None and owner is not None:  # "a record high of $790 million", nothing else said
        return noun_phrase(owner, exclude=span), owner
    if head is None:
        head = _fragment_head(span)  # "wavelengths at least 2.4 um." (no verb at all)
    if head is None:
        return None, None
    phrase = noun_phrase(head, full=True, exclude=span)
    if len(phrase) > _MAX_SUBJECT_TOKENS:
        phrase = noun_phrase(head)
    return phrase, head


def _fragment_head(span: Span) -> Token | None:
    """In a verbless sentence, the noun at its root."""
    if governing_verb(span.root) is not None or not annotated(span.doc, "SENT_START"):
        return None
    root = span.root.sent.root
    if root.pos_ == "NOUN" and not (span.start <= root.i < span.end) and not _is_number_word(root):
        return root
    return None


def _of_child(root: Token, span: Span) -> Span | None:
    """The "of" phrase hanging on the value's own word: "5 percent of the company";
    for money also "in" + a common noun: "$1 billion in gains", "$5 million in cash"."""
    for child in root.children:
        if child.dep_ != "prep" or child.i < span.end:
            continue
        if child.lower_ == "of" or (child.lower_ == "in" and span.label_ == "MONEY"):
            for pobj in child.children:
                if pobj.dep_ == "pobj" and not _is_number_word(pobj) and (
                        pobj.pos_ == "NOUN" or (child.lower_ == "of" and pobj.pos_ == "PROPN")) \
                        and not pobj.ent_type_:
                    return noun_phrase(pobj)
    return None


def _owner_noun(root: Token, span: Span) -> Token | None:
    """The noun the value is the measure of: "a range of 400 km", "a net profit of $5
    million", "levels at 1200 ppm", an apposition "its revenue, $5 billion"; for a
    change noun ("an increase of 5% in sales"), the thing that changes."""
    head = root.head
    if root.dep_ == "appos" and head.pos_ in _NOUNS and not _is_number_word(head) and head.i < span.start:
        return head
    if root.dep_ != "pobj" or head.lower_ not in _NOUN_PREPS | {"to"} or head.dep_ != "prep":
        return None
    noun = head.head
    if noun.pos_ not in _NOUNS or _is_number_word(noun) or noun.i >= span.start:
        return None
    changes = _base(noun) in _CHANGE_NOUNS
    if head.lower_ == "to" and not changes:
        return None
    if changes:
        for prep in noun.children:
            if prep.dep_ == "prep" and prep is not head and prep.lower_ in ("in", "of"):
                for pobj in prep.children:
                    if pobj.dep_ == "pobj" and pobj.pos_ in _NOUNS and not _is_number_word(pobj):
                        return pobj
    return noun


def _changed_object(root: Token, span: Span) -> Token | None:
    """The object of the value's verb when the value is where it went or what it cost:
    "raised its forecast to 5%", "sold the stake for $2 million"; a price paid for
    something names it: "paid $30,000 for a new roof"."""
    if root.dep_ == "pobj" and root.head.lower_ in _VERB_PREPS and root.head.head.pos_ == "VERB":
        verb = root.head.head
        for child in verb.children:
            if child.dep_ == "dobj" and child.pos_ in _NOUNS and not _is_number_word(child):
                return child
    if root.dep_ == "dobj" and span.label_ == "MONEY" and root.head.pos_ == "VERB":
        for prep in root.head.children:
            if prep.dep_ == "prep" and prep.lower_ == "for" and prep.i > root.i:
                for pobj in prep.children:
                    if pobj.dep_ == "pobj" and pobj.pos_ in _NOUNS and not _is_number_word(pobj):
                        return pobj
    return None


def _listed_name(span: Span) -> Span | None:
    """A name written right before the value in a list of prices or moves: "Dow +0.2%
    S&P 500 +0.3%", "Acme up 9.4 pct"; only a proper noun (or a tagged name) counts,
    and the value must be signed or follow up/down."""
    doc = span.doc
    i = span.start - 1
    moved = i >= 0 and doc[i].lower_ in _MOVES
    if moved:
        i -= 1
    if not (moved or span[0].text[:1] in "+-\u2212"):
        return None
    end = i + 1
    if i > 0 and doc[i].like_num and doc[i].text[:1].isdigit() and _is_name(doc[i - 1]):
        i -= 1  # "S&P 500", "Stoxx 50"
    if i < 0 or not _is_name(doc[i]):
        return None
    start = i
    while start > 0 and end - start < 5 and (_is_name(doc[start - 1]) or doc[start - 1].text == "&") \
            and not doc[start].is_sent_start:
        start -= 1
    return doc[start:end]


def _is_name(token: Token) -> bool:
    return (token.pos_ == "PROPN" or token.ent_type_ in ("ORG", "GPE", "PRODUCT", "PERSON")) \
        and token.is_alpha or token.text in ("S&P", "AT&T")


def about_of(doc: Doc, span: Span, subject: Span | None, head: Token | None,
             ents: Sequence[Span] | None = None) -> str | None:
    """The named entity the claim belongs to, by its canonical name. `ents` is `doc.ents`,
    passed in by callers that already hold it."""
    ents = doc.ents if ents is None else ents
    if subject is not None:
        inside = [ent for ent in ents if ent.label_ in _ABOUT_LABELS
                  and subject.start <= ent.start and ent.end <= subject.end]
        if len(inside) == 1:
            return _name(inside[0])
        if inside:
            return None  # several entities: "trade between Pakistan and Russia" is about neither alone
    if head is None or not any(child.lower_ in _DEFINITE for child in head.children):
        return None
    # "the pipeline project": try the head noun, then its compounds from the right.
    nouns = [head.lower_] + [t.lower_ for t in reversed(list(head.lefts)) if t.dep_ == "compound"]
    earlier = [ent for ent in ents if ent.end_char <= span.start_char and ent.label_ in _ABOUT_LABELS]
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
