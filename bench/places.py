"""Measure the gazetteer relabel (CONTRACT 6): every span factx relabels GPE on a corpus,
with its context, for a person to judge. Prints one line per relabel and the count.

    python bench/places.py ../shared/corpus/reuters-sample/ > relabels.tsv
"""

from __future__ import annotations

import sys
from pathlib import Path

from factx.pipeline import build_nlp, find_model


def main(folder: str) -> None:
    nlp = build_nlp(find_model())
    before_factx = [name for name in nlp.pipe_names if not name.startswith("factx_")]
    relabelled = total = 0
    for path in sorted(Path(folder).glob("*.txt")):
        doc = nlp.make_doc(path.read_text(encoding="utf-8", errors="replace"))
        for name in before_factx:
            doc = nlp.get_pipe(name)(doc)
        model_labels = {(ent.start_char, ent.end_char): ent.label_ for ent in doc.ents}
        doc = nlp.get_pipe("factx_entities")(doc)
        for ent in doc.ents:
            total += ent.label_ == "GPE"
            old = model_labels.get((ent.start_char, ent.end_char))
            if ent.label_ == "GPE" and old not in (None, "GPE"):
                relabelled += 1
                left = doc.text[max(0, ent.start_char - 40) : ent.start_char].replace("\n", " ")
                right = doc.text[ent.end_char : ent.end_char + 40].replace("\n", " ")
                print(f"{path.name}\t{old}->GPE\t{left}[{ent.text}]{right}")
    print(f"# {relabelled} relabels among {total} GPE spans", file=sys.stderr)


if __name__ == "__main__":
    main(sys.argv[1] if len(sys.argv) > 1 else "../shared/corpus/reuters-sample/")
