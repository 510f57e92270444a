"""What a money or quantity claim measures (`subject`), read off the dependency parse,
and the parse helpers the claim frame builds on (`factx.components.frames`): the value's
governing verb, the noun it modifies, a date governed by the same verb (`when_of`: a
deadline of another verb is not it). Precision first: when the parse does not say, the
field stays null.
"""

from __future__ import annotations

from collections.abc import Sequence

from spacy.tokens import Span, Token

from factx.components.extensions import annotated, sentence_of
from factx.normalize.currencies import currency_candidates
from factx.normalize.units import lookup_unit
from factx.normalize.vocabulary import load, singular

_MODIFIER_DEPS = {"nummod", "compound", "amod", "quantmod", "nmod", "npadvmod", "poss", "appos"}
_NOUNS = {"NOUN", "PROPN"}
_MAX_SUBJECT_TOKENS = 12
_VALUE_LABELS = {"MONEY", "PERCENT", "QUANTITY", "CARDINAL"}
# The word lists of claims.toml (each entry says why it is there).
_WORDS = {key: frozenset(words) for key, words in load("claims", "factx.components")["subject"].items()}
_CHANGE_NOUNS = _WORDS["change_nouns"]
_LEVEL_NOUNS = _WORDS["level_nouns"]
_MEASURE_VERBS = _WORDS["measure_verb_stems"]
_RELATIVE = _WORDS["relative_pronouns"]
_PARTITIVE = _WORDS["partitives"]
_MOVES = _WORDS["moves"]
_SUBUNITS = _WORDS["subunits"]
_THING_PREPS = _WORDS["thing_prepositions"]


def governing_verb(token: Token) -> Token | None:
    """The nearest verb above `token` (itself included): the head of its clause. A copula
    heads its own clause when it is the root, a conjunct, or has a subject of its own
    ("... and Delta was down 1.9%")."""
    for node in (token, *token.ancestors):
        if node.pos_ == "VERB" or (node.pos_ == "AUX" and (
                node.dep_ in ("ROOT", "conj") or any(c.dep_ in ("nsubj", "nsubjpass") for c in node.children))):
            return node
    return None


def modified_noun(span: Span) -> Token | None:
    """The noun the value modifies: "$2.5 billion project", "1,100 km long gas pipeline"."""
    token = span.root
    while token.head.i != token.i and token.dep_ in _MODIFIER_DEPS | {"advmod"}:
        head = token.head
        if head.i in range(span.start, span.end):
            token = head
            continue
        if token.dep_ == "appos" and (head.ent_type_ in ("DATE", "TIME") or _has_number(head)):
            return None  # "49.5 Hz on 9 May, 49.8 Hz on 20 June": a date, or another value
        if head.pos_ in _NOUNS and not _restates(head, span) and not _is_unit_word(head):
            return head  # a unit word is part of a value: "5% to 10% improvement", "9.2% year over year"
        if head.pos_ not in ("ADJ", "ADV", "NUM", *_NOUNS) and not (head.pos_ == "VERB" and head.dep_ == "amod"):
            return None  # a participle used as an adjective passes on: "a 30% owned unit"
        token = head
    return None


def _restates(noun: Token, span: Span) -> bool:
    """A noun that is the unit of the same value restated after this one, or the country
    of its currency: "1.8 billion-mile (2.8bn km) journey", "up $31.20 US"."""
    if noun.i == span.end and noun.ent_type_ in ("GPE", "NORP") and span.label_ == "MONEY":
        return True
    doc = noun.doc
    return span.end < noun.i and doc[span.end].text in ("(", "/") and any(
        child.dep_ == "nummod" and span.end < child.i < noun.i and _is_number_word(child)
        for child in noun.children)


def clause_subject(span: Span, climb: bool = True) -> Token | None:
    """The subject of the value's clause; a participle modifying a noun defers to that
    noun's own clause ("trade has seen an increase reaching ... $790 million"). Without
    `climb`, only the value's own verb is asked (a duration belongs to its own verb:
    "urged businesses to move within 10 days" is not the urging's).

    An adjective's own subject comes first ("a grant worth $8 million"); then, for the
    value's verb and each verb it climbs to, the strategies of CLAUSE_SUBJECT_STRATEGIES in
    order: the first to answer wins, and one may answer STOP (no subject, look no further)."""
    return clause_subject_rule(span, climb)[0]


def clause_subject_rule(span: Span, climb: bool = True) -> tuple[Token | None, str | None]:
    """`clause_subject` and the name of the rule that decided it (None when none did)."""
    verb = governing_verb(span.root)
    small = _small_clause_subject(span, verb)
    if small is not None:
        return small, "small_clause_subject"
    while verb is not None:
        for strategy in CLAUSE_SUBJECT_STRATEGIES:
            found = strategy(span, verb, climb)
            if found is STOP:
                return None, strategy.__name__
            if found is not None:
                return found, strategy.__name__
        if not _shares_subject_with_head(verb, climb):
            return None, None
        verb = governing_verb(verb.head)
    return None, None


# A strategy's answer that ends the search without a subject.
STOP = object()


def written_subject(span: Span, verb: Token, climb: bool) -> Token | None:
    """The verb's own nominal subject, outside the value, read through a relative pronoun,
    a numbered index's name or a partitive ("each of the buildings costs $40 million")."""
    for child in verb.children:
        if child.dep_ in ("nsubj", "nsubjpass") and not span.start <= child.i < span.end:
            found = _subject_word(child, verb)
            if found is not None:
                return found
    return None


def _subject_word(child: Token, verb: Token) -> Token | None:
    if child.lower_ in _RELATIVE and verb.dep_ == "relcl":
        if verb.head.pos_ in _NOUNS and not _is_number_word(verb.head):
            return verb.head  # "the country that is 90 miles wide", "stocks, which were up 2.8%"
        before = _noun_before(child)  # the parse hung the clause elsewhere
        if before is not None:
            return before
    if child.pos_ == "NUM" and any(c.dep_ == "compound" and c.pos_ in _NOUNS for c in child.children):
        return child  # an index named with a number: "the FTSE 100 was down 1%"
    if child.lower_ in _PARTITIVE or _is_value_word(child):
        # "each of the buildings costs $40 million", "78% of the deal is paid in cash"
        part = _pobj_of(child, "of")
        if part is not None:
            return part
    if child.pos_ not in ("PRON", "NUM", "DET") and not _is_number_word(child):
        return child
    return None


def pronoun_subject(span: Span, verb: Token, climb: bool) -> Token | object | None:
    """A pronoun subject the rule above leaves: "they" stands for its antecedent, "it"
    for nothing; either way the search ends here ("it expects")."""
    pronoun = next((child for child in verb.children if child.dep_ in ("nsubj", "nsubjpass", "csubj")
                    and child.lower_ not in _RELATIVE), None)
    if pronoun is None:
        return None
    found = _antecedent(pronoun) if climb else None
    return STOP if found is None else found


def fronted_subject(span: Span, verb: Token, climb: bool) -> Token | None:
    """A root verb without subject or expletive: the parse took the subject into a fronted
    phrase ("Before the crisis global debt was $113 trillion")."""
    if verb.dep_ == "ROOT" and not any(child.dep_ == "expl" for child in verb.children):
        return _fronted_noun(verb)
    return None


def participle_noun(span: Span, verb: Token, climb: bool) -> Token | None:
    """A participle after a plain noun measures that noun: "people earning $50,000 a
    year", "products priced at $10"."""
    if climb and verb.dep_ == "acl" and _plain_noun(verb.head) and verb.head.i < verb.i \
            and verb.head.ent_type_ not in ("DATE", "TIME"):
        return verb.head
    return None


def measured_before_comma(span: Span, verb: Token, climb: bool) -> Token | None:
    """A measuring participle set off by a comma measures the noun before the comma:
    "claims, ranging from $200 to $4 million"."""
    if verb.dep_ in ("advcl", "acl") and _verb_stem(verb) in _MEASURE_VERBS:
        return _noun_before_comma(verb)
    return None


def infinitive_controller(span: Span, verb: Token, climb: bool) -> Token | object | None:
    """Without climbing, an infinitive's or gerund's value belongs to whoever does it:
    "urged firms to move within 10 days" (firms), "kept running for 3 years"."""
    if verb.dep_ == "xcomp" and verb.head.pos_ == "VERB" and not climb:
        controller = _controller(verb.head)
        return STOP if controller is None else controller
    return None


def conjunct_subject(span: Span, verb: Token, climb: bool) -> Token | object | None:
    """A conjoined verb without subject: the noun phrase after "and" before it ("... and
    the voltage across it was 5 volts"); another clause's subject between the two verbs
    leaves whose value this is unclear (STOP)."""
    if verb.dep_ != "conj" or verb.head.i >= verb.i:
        return None
    before = _conjunct_subject(verb)
    if before is not None:
        return before
    if any(t.dep_ in ("nsubj", "nsubjpass") and t.head.i != verb.head.i
           for t in verb.doc[verb.head.i + 1 : verb.i]):
        return STOP
    return None


# Tried in this order for each verb from the value's own upwards; the first answer wins.
CLAUSE_SUBJECT_STRATEGIES = (written_subject, pronoun_subject, fronted_subject, participle_noun,
                             measured_before_comma, infinitive_controller, conjunct_subject)


def _shares_subject_with_head(verb: Token, climb: bool) -> bool:
    """Whether the search goes on to the verb this one hangs from: a conjoined verb shares
    its subject, even for a duration; a participle, relative or complement clause only
    when climbing."""
    return (climb and verb.dep_ in ("acl", "relcl", "xcomp", "advcl", "pcomp") or verb.dep_ == "conj") \
        and verb.head.i != verb.i




def _verb_stem(token: Token) -> str:
    word = token.lower_
    for suffix in ("ing", "ed", "es", "s"):
        if word.endswith(suffix) and len(word) - len(suffix) >= 3:
            return word[: -len(suffix)]
    return word


def _noun_before_comma(verb: Token) -> Token | None:
    """The noun a participle set off by a comma stands right after: "its claims, ranging
    from $200 to $4 million" (the parse hangs the participle on the main verb)."""
    start = verb.left_edge.i
    doc = verb.doc
    if start < 2 or doc[start - 1].text != ",":
        return None
    before = doc[start - 2]
    return before if before.pos_ in _NOUNS and _plain_noun(before) and not _has_number(before) else None


_MAX_ANTECEDENT_TOKENS = 30  # how far back "they" looks for what it stands for


def _antecedent(pronoun: Token) -> Token | None:
    """What "they" stands for: the nearest plural common noun before it in the sentence,
    as a subject or object ("sent the shares surging and they were up 5%"), unless a
    plural name comes first. "It" is left alone: "the analyst said it expects" shows
    how often the nearest noun is not what "it" means."""
    if pronoun.lower_ != "they":
        return None
    doc = pronoun.doc
    stop = max(sentence_of(doc, pronoun.i).start, pronoun.i - _MAX_ANTECEDENT_TOKENS)
    for i in range(pronoun.i - 1, stop - 1, -1):
        token = doc[i]
        if token.tag_ in ("NNS", "NNPS") and token.dep_ in ("nsubj", "nsubjpass", "dobj", "attr"):
            return token if token.tag_ == "NNS" and _plain_noun(token) and not token.ent_type_ else None
    return None


def _fronted_noun(verb: Token) -> Token | None:
    """A root verb without a subject: the parse took the subject into a fronted phrase
    ("Before the crisis global debt, ..., was"); the noun that phrase ends with."""
    for child in verb.lefts:
        if child.dep_ == "prep" and child.pos_ == "ADP":
            for pobj in child.children:
                if pobj.dep_ == "pobj" and pobj.pos_ == "NOUN" and _plain_noun(pobj) and not pobj.ent_type_:
                    return pobj
            return None
    return None


def _controller(verb: Token) -> Token | None:
    """Who does what an infinitive or gerund says: the object of "urge", "ask", "force"
    ("urged firms to move"), else the subject ("kept running")."""
    for child in verb.children:
        if child.dep_ == "dobj":
            return child if _plain_noun(child) else None
    for child in verb.children:
        if child.dep_ in ("nsubj", "nsubjpass"):
            return child if child.pos_ in _NOUNS and not _is_number_word(child) else None
    return None


def _conjunct_subject(verb: Token) -> Token | None:
    """A conjoined verb the parse left without a subject, though a noun phrase stands
    right before it after "and"/"but": "the charge was 2 F and the voltage across it was 5 V"."""
    doc = verb.doc
    start = min([c.i for c in verb.lefts if c.dep_ in ("aux", "auxpass", "neg", "advmod")] + [verb.i])
    if start == 0:
        return None
    node = doc[start - 1]
    best = None
    while True:
        if node.pos_ in _NOUNS and not _is_value_word(node) and node.left_edge.i > 0 \
                and doc[node.left_edge.i - 1].lower_ in ("and", "but", "while", "whereas"):
            best = node
        head = node.head
        if head.i == node.i or head.i >= start or head.right_edge.i != start - 1:
            break
        node = head
    return best


def _small_clause_subject(span: Span, verb: Token | None) -> Token | None:
    """An adjective between the value and its verb that has a subject of its own or
    modifies a noun: "a grant worth up to $8 million", "a wall three metres high"."""
    node = span.root
    while node.head.i != node.i:
        node = node.head
        if node.pos_ in ("VERB", "AUX") or (verb is not None and node.i == verb.i):
            return None
        if node.pos_ == "ADJ" and not (span.start <= node.i < span.end):
            for child in node.children:
                if child.dep_ == "nsubj" and child.pos_ in _NOUNS and not _is_number_word(child):
                    return child
            if node.dep_ == "amod" and _plain_noun(node.head) and node.head.i < span.start:
                return node.head
            if node.head.pos_ == "VERB":  # "will receive a grant worth $12 million"
                thing = _object_of(node.head)
                if thing is not None and thing.right_edge.i + 1 == node.i:
                    return thing
    return None


def _noun_before(token: Token) -> Token | None:
    """The noun written right before `token` (a comma between allowed)."""
    i = token.i - 1
    if i >= 0 and token.doc[i].text == ",":
        i -= 1
    if i < 0:
        return None
    before = token.doc[i]
    return before if before.pos_ in _NOUNS and not _is_number_word(before) else None




def _plain_noun(token: Token) -> bool:
    """A noun that names a thing, not a change, a level or another value."""
    return token.pos_ in _NOUNS and not _is_number_word(token) \
        and _base(token) not in _CHANGE_NOUNS and _base(token) not in _LEVEL_NOUNS


def _pobj_of(token: Token, *preps: str) -> Token | None:
    """The noun object of `token`'s first child preposition among `preps`."""
    for prep in token.children:
        if prep.dep_ == "prep" and prep.lower_ in preps:
            for pobj in prep.children:
                if pobj.dep_ == "pobj" and pobj.pos_ in _NOUNS and not _is_value_word(pobj):
                    return pobj
    return None


def _base(token: Token) -> str:
    """The word in lower case and singular. Never the lemma: factx's own pipeline runs no
    lemmatizer, and a user's pipeline that does must give the same subjects."""
    return singular(token.lower_)


def _is_number_word(token: Token) -> bool:
    """A number, a symbol, or a word of another value ("per cent", "dlrs")."""
    return token.like_num or token.text[:1].isdigit() or token.pos_ == "SYM" \
        or token.ent_type_ in _VALUE_LABELS


def noun_phrase(noun: Token, exclude: Span | None = None, full: bool = False) -> Span:
    """The noun with its left modifiers (or its whole subtree with `full`), without the
    parts that carry the value ("long" in "1,100 km long gas pipeline") or a determiner."""
    if full:  # without clauses and appositions hung on it, and never past the value
        cut = {t.i for child in noun.children if child.dep_ in ("appos", "relcl", "advcl")
               or (child.i > noun.i and _holds(child, exclude)) for t in child.subtree}
        tokens = [t for t in noun.subtree if t.i not in cut
                  and (exclude is None or noun.i >= exclude.start or t.i < exclude.start)]
    else:
        tokens = [t for left in noun.lefts if left.dep_ in ("compound", "amod", "nmod")
                  and not _is_measure(left) and not _holds(left, exclude) for t in left.subtree] + [noun]
    if exclude is not None:
        tokens = [t for t in tokens if t.i == noun.i or not _holds(t, exclude)]
    # Drop a leading article or possessive pronoun ("its"), never a named owner ("Taiwan's").
    while tokens[0].i != noun.i and (tokens[0].dep_ in ("det", "predet") or tokens[0].is_punct
                                     or (tokens[0].dep_ == "poss" and tokens[0].pos_ == "PRON")):
        tokens = tokens[1:]
    while tokens[-1].i != noun.i and (tokens[-1].is_space or tokens[-1].is_punct and tokens[-1].text not in ")]'\""):
        tokens = tokens[:-1]
    return noun.doc[tokens[0].i : tokens[-1].i + 1]


def _is_measure(token: Token) -> bool:
    """A unit word with its own number, modifying a noun: "five-year" and "(2.8bn km)" in
    "a five-year, 1.8 billion-mile (2.8bn km) journey"."""
    return token.pos_ == "NOUN" and any(child.dep_ == "nummod" and _is_number_word(child)
                                        for child in token.children)


def _has_number(token: Token) -> bool:
    """A word with a number of its own: "9 May", "20 shares"."""
    return any(child.dep_ == "nummod" and _is_number_word(child) for child in token.children)


def _in_value(noun: Token) -> bool:
    """A noun that belongs to another value: its unit ("37 pct") or rate ("$3 a share")."""
    return _is_measure(noun) or noun.dep_ == "npadvmod" or _is_number_word(noun.head)


def _holds(token: Token, span: Span | None) -> bool:
    if span is None:
        return False
    return any(span.start <= t.i < span.end for t in token.subtree)


# Prepositions that tie a value to the noun it measures ("a range of 400 km",
# "carbon levels at 1200 ppm") or, on a verb, to the object that changes ("raised its
# forecast to 5%", "cut prices by 10%", "sold the house for $2 million").
_NOUN_PREPS = {"of", "at"}
_PARTIES = {"PERSON", "ORG", "GPE", "NORP", "LOC", ""}  # names that are parties, not things
_VERB_PREPS = {"to", "from", "by", "for", "at"}


def subject_of(span: Span, of_phrase: Span | None, clause: bool = True) -> tuple[Span | None, Token | None]:
    """(the subject phrase, the noun `about` is looked up from), from the value's own
    noun phrase first, then its clause. With `clause` false (durations), the clause is
    asked only at the value's own verb. A value restated in brackets after a number the
    extractor did not take ("a net worth of 1.3 billion ($1.7bn)") is placed where that
    number stands. The phrase never holds the value itself."""
    first = _restated_number(span)
    anchor = Span(span.doc, first.i, first.i + 1, label=span.label_) if first is not None else span
    phrase, head = _subject(anchor, of_phrase, clause)
    if phrase is not None and phrase.start < span.end and span.start < phrase.end \
            and not (span.start <= phrase.start and phrase.end <= span.end):
        phrase = _beside(phrase, span)
    if phrase is not None and not _has_content(phrase):
        return None, None
    return phrase, head


def _beside(phrase: Span, span: Span) -> Span | None:
    """The part of `phrase` on its head's side of the value it overlaps: "turbocharged
    1.6 liter EcoBoost engine" for the "1.6 liter" is "EcoBoost engine"."""
    doc = phrase.doc
    key = phrase.root.i
    start, end = (span.end, phrase.end) if key >= span.end else (phrase.start, span.start)
    while start < end and (doc[start].is_punct or doc[start].is_space):
        start += 1
    while end > start and (doc[end - 1].is_punct or doc[end - 1].is_space):
        end -= 1
    return doc[start:end] if start < end and start <= key < end else None


def _named_dimension(span: Span) -> Token | None:
    """A noun the parse hangs on the value right after it, naming what it measures:
    "a syringe tip (1.5 mm internal diameter)"."""
    for child in span.root.rights:
        if child.dep_ == "npadvmod" and child.pos_ == "NOUN" and child.left_edge.i == span.end \
                and not _is_value_word(child) and not child.ent_type_ and _plain_noun(child) \
                and not any(c.dep_ in ("det", "prep") for c in child.children):  # not "a share"
            return child
    return None


def _name_before(span: Span) -> Token | None:
    """A proper name the parse hangs on the value's own word, written right before it."""
    for child in span.root.lefts:
        if child.dep_ in ("nmod", "compound") and child.pos_ == "PROPN" and child.i == span.start - 1 \
                and not _is_value_word(child) and child.ent_type_ not in ("DATE", "TIME", "GPE", "NORP"):
            return child
    return None


def _restated_number(span: Span) -> Token | None:
    """The number (or its unit) that `span` restates: "1.3 billion ($1.7bn)"."""
    root = span.root
    head = root.head
    if root.dep_ != "appos" or span.start <= head.i < span.end or head.i > span.start \
            or span.start == 0 or span.doc[span.start - 1].text != "(":
        return None
    if _is_number_word(head) or (_is_measure(head) and _is_unit_word(head)):
        return head
    return None


def _subject(span: Span, of_phrase: Span | None, clause: bool) -> tuple[Span | None, Token | None]:
    root = span.root
    listed = listed_name(span)
    if listed is not None:  # "Dow +0.2%", "Acme up 9.4 pct": a market-table row
        return listed, listed.root
    named = _named_dimension(span)
    if named is not None:
        return noun_phrase(named, exclude=span), named
    noun = modified_noun(span)
    if noun is not None and _base(noun) in _LEVEL_NOUNS and not any(
            c.dep_ in ("compound", "amod", "nmod") and c.i < span.start for c in noun.children):
        root = noun  # "sold for a record $44 million": the record says nothing of what was sold
    elif noun is not None:
        return noun_phrase(noun, exclude=span), noun
    owner_name = _name_before(span) if noun is None else None
    if owner_name is not None:  # "the MacBook Pro 16 inch", "a Galaxy S9 64GB"
        first = owner_name.i
        while first > 0 and first > owner_name.i - 4 and span.doc[first - 1].pos_ == "PROPN" \
                and not _is_value_word(span.doc[first - 1]):
            first -= 1
        return span.doc[first : owner_name.i + 1], owner_name
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
    if len(phrase) > _MAX_SUBJECT_TOKENS or (phrase.start < span.end and span.start < phrase.end):
        phrase = noun_phrase(head)
    return phrase, head


def _fragment_head(span: Span) -> Token | None:
    """In a verbless sentence, the noun at its root; when the parse split a clause into
    two roots, the subject of the verb root before the value."""
    if governing_verb(span.root) is not None or not annotated(span.doc, "SENT_START"):
        return None
    sentence = sentence_of(span.doc, span.root.i)
    doc = span.doc
    first = sentence.start
    if first > 0 and doc[first - 1].text not in (".", "!", "?", ";", ":") and not doc[first - 1].is_space:
        first = sentence_of(doc, first - 1).start  # a split the text does not mark: one clause cut in two
    for i in range(span.start - 1, max(first, span.start - 25) - 1, -1):
        if doc[i].dep_ == "ROOT" and doc[i].pos_ in ("AUX", "VERB"):
            # the parse cut the clause in two roots: "The speed of light is | about 3e8 m/s"
            for child in doc[i].children:
                if child.dep_ in ("nsubj", "nsubjpass") and child.pos_ in _NOUNS and not _is_number_word(child):
                    return child
            return None
    root = sentence.root
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
    if root.dep_ == "appos" and head.pos_ in _NOUNS and not _is_number_word(head) and head.i < span.start \
            and head.ent_type_ not in ("DATE", "TIME") and not _has_number(head):
        return head
    if root.dep_ != "pobj" or head.lower_ not in _NOUN_PREPS | _THING_PREPS | {"to", "by"} \
            or head.dep_ != "prep":
        return None
    noun = head.head
    if noun.pos_ not in _NOUNS or noun.i >= span.start or _is_value_word(noun):
        return None  # (the tagger often takes the noun into the value: "a 5 per cent penalty")
    changes = _base(noun) in _CHANGE_NOUNS
    if head.lower_ in ("to", "by") and not changes:
        return None
    if head.lower_ in _THING_PREPS and head.lower_ not in _NOUN_PREPS and (
            (noun.pos_ != "NOUN" and (head.lower_ != "with" or noun.ent_type_ in _PARTIES))
            or span.label_ == "DURATION" or _in_value(noun)):
        # "signed with Chelsea for $50 million": a name is no measured thing; "over the
        # past two years" dates a clause; "to $3 a share from $2": the change's old value
        return None
    if changes:
        for prep in noun.children:
            if prep.dep_ == "prep" and prep.i != head.i and prep.lower_ in ("in", "of"):
                for pobj in prep.children:
                    if pobj.dep_ == "pobj" and pobj.pos_ in _NOUNS and not _is_number_word(pobj):
                        return pobj
    return noun


def _changed_object(root: Token, span: Span) -> Token | None:
    """The object of the value's verb when the value is where it went or what it cost:
    "raised its forecast to 5%", "sold the stake for $2 million"; a price paid for
    something names it: "paid $30,000 for a new roof". The object of a move by the
    value names it too ("pushed the index 2% lower"); an object that is itself a value
    is the size of the move ("added 15 cents to $2.70"), not the thing moved."""
    if root.dep_ == "pobj" and root.head.lower_ in _VERB_PREPS and root.head.head.pos_ == "VERB":
        thing = _object_of(root.head.head)
        if thing is not None:
            return thing
    elif root.dep_ == "npadvmod" and _is_move(root.head) and root.head.head.pos_ == "VERB":
        thing = _object_of(root.head.head)
        if thing is not None and thing.right_edge.i + 1 == span.start:  # "pushed X 2% lower"
            return thing
    if root.dep_ == "dobj" and span.label_ == "MONEY" and root.head.pos_ == "VERB":
        for prep in root.head.children:
            if prep.dep_ == "prep" and prep.lower_ == "for" and prep.i > root.i:
                for pobj in prep.children:
                    if pobj.dep_ == "pobj" and pobj.pos_ in _NOUNS and not _is_number_word(pobj):
                        return pobj
    return None


def _object_of(verb: Token) -> Token | None:
    """The verb's direct object; for an amount in a unit ("338,000 lbs of nickel") the
    thing it is of; none when the object is the size of a move ("added 15 cents")."""
    for child in verb.children:
        if child.dep_ == "dobj" and child.pos_ in _NOUNS:
            if _has_number(child) and _is_unit_word(child):
                return _pobj_of(child, "of")
            return None if _is_number_word(child) else child
    return None


def _is_value_word(token: Token) -> bool:
    """A number, a symbol or a unit or currency word, whatever the entity tagger said."""
    return token.like_num or token.text[:1].isdigit() or token.pos_ == "SYM" or _is_unit_word(token)


def _has_content(phrase: Span) -> bool:
    """Whether the phrase names something beyond numbers and units ("$A12,810,626" does not)."""
    return any(_names_something(t) and not (t.is_stop and t.pos_ in _FUNCTION_POS) for t in phrase)


_FUNCTION_POS = {"CCONJ", "SCONJ", "ADP", "DET", "PRON", "PART", "AUX"}


def _names_something(token: Token) -> bool:
    """A word that is not a number, an amount or a bare unit ("cts", "%"); a currency or
    unit after "the" is a thing ("the pound fell 2%"), a short name with digits too ("V-6")."""
    text = token.text
    if token.like_num or text[:1].isdigit() or text[:1] in "$\u20ac\u00a3\u00a5":
        return False
    letters = sum(c.isalpha() for c in text)
    if letters == 0 or sum(c.isdigit() for c in text) >= 3 * letters:  # "A12,810,626"
        return False
    if letters == len(text) > 1 and _is_unit_word(token):
        return token.i > 0 and token.doc[token.i - 1].lower_ == "the"
    return True


def _is_unit_word(token: Token) -> bool:
    text = token.lower_
    return text in _SUBUNITS or lookup_unit(text) is not None or bool(currency_candidates(text))


def _is_move(token: Token) -> bool:
    """ "higher", "lower", "up", "down" as a verb's complement."""
    return token.pos_ in ("ADV", "ADJ") and token.dep_ in ("advmod", "oprd", "acomp", "xcomp", "ccomp") \
        and (token.tag_ in ("JJR", "RBR") or token.lower_ in _MOVES)


def listed_name(span: Span) -> Span | None:
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


def when_of(span: Span, dates: Sequence[Span]) -> Span | None:
    """The date governed by the same verb as the value, in the same sentence."""
    verb = governing_verb(span.root)
    sentence = sentence_of(span.doc, span.start, span.end) if annotated(span.doc, "SENT_START") else None
    for date_span in dates:
        if sentence is not None and not (sentence.start <= date_span.start < sentence.end):
            continue
        if date_span.start < span.end and span.start < date_span.end:
            continue
        date_verb = governing_verb(date_span.root)
        if (date_verb.i if date_verb else None) == (verb.i if verb else None) and (verb or sentence):
            return date_span
    return None
