"""`factx_layout`: sentences start where the text's layout says so.

Placed before the parser, it marks a sentence start after every line break that is not a
soft wrap (see `factx.layout`): a blank line, a new paragraph, a table row, the end of a
headline, dateline or byline. The parser keeps the starts it is given, so no sentence runs
across them.
"""

from __future__ import annotations

from spacy.language import Language
from spacy.tokens import Doc

from factx.components.extensions import doc_text
from factx.layout import sentence_starts


@Language.factory("factx_layout", requires=[], assigns=["token.is_sent_start"])
def make_layout(nlp: Language, name: str) -> LayoutSentences:
    return LayoutSentences()


class LayoutSentences:
    def __call__(self, doc: Doc) -> Doc:
        # factx's own pipeline hands in unwrapped text (its original kept beside it)
        starts = set(sentence_starts(doc_text(doc), unwrapped="factx_source" in doc.user_data))
        if starts:
            for token in doc:
                if token.idx in starts and token.i > 0:
                    token.is_sent_start = True
        return doc
