"""Entity labels on held-out news: a hand-judged sample of factx's entity mentions.

    python bench/entities.py build  [--out DIR]          # write the articles (not kept in the repo)
    python bench/entities.py sample [--out DIR]          # draw mentions to judge, with context (stdout)
    python bench/entities.py score  [--out DIR] [-v]     # label accuracy of the current code

The articles (default DIR: /tmp/factx-entities-bench) are rebuilt from the shared data,
never copied into the repository:
- Reuters: `ARTICLES` articles drawn with `random.Random(SEED)` from
  `../shared/corpus/reuters21578.jsonl.gz`, none of them in `reuters-sample/`, each
  written as f"date {date}\\n{title}\\n\\n{body}\\n";
- TempEval-3 platinum: the 20 articles, written the same way (DCT date, `<TITLE>`, the
  `<TEXT>` part with its tags removed and outer blank lines stripped).

`bench/entities/judged.jsonl` holds one judged mention a line: the document, the span's
offsets in the file above, `sha1` of the span's text (no article text is stored), the
label factx gave when it was drawn (`drawn_label`), and the verdict: `gold_label`, the
label the mention should have (`NONE`: not an entity, such as a unit word or a headline
fragment), and `gold_start`/`gold_end` when the entity is right but its span is not
("VARIETY INTERNATIONAL INC>": the name without the bracket).

Scoring: each judged mention is looked up in factx's output on the same file: the entity
with the same offsets, else the one overlapping them most, else none (`NONE`). The label
is right when it equals `gold_label`; the span is right when it equals the gold span
(for `NONE`, when no entity overlaps).
"""

from __future__ import annotations

import argparse
import gzip
import hashlib
import json
import random
import sys
import xml.etree.ElementTree as ET
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SHARED = ROOT.parent / "shared"
REUTERS = SHARED / "corpus" / "reuters21578.jsonl.gz"
REUTERS_SAMPLE = SHARED / "corpus" / "reuters-sample"
TEMPEVAL = SHARED / "benchmarks" / "tempeval3" / "te3-platinum"
JUDGED = ROOT / "bench" / "entities" / "judged.jsonl"
DEFAULT_OUT = Path("/tmp/factx-entities-bench")
SEED = 20240615
ARTICLES = 120
PER_SOURCE = 30  # mentions drawn from each of Reuters and TempEval-3


def build(out: Path) -> list[Path]:
    out.mkdir(parents=True, exist_ok=True)
    taken = {path.stem for path in REUTERS_SAMPLE.glob("*.txt")}
    with gzip.open(REUTERS, "rt", encoding="utf-8") as handle:
        pool = [row for row in map(json.loads, handle) if row["id"] not in taken]
    paths = []
    for row in sorted(random.Random(SEED).sample(pool, ARTICLES), key=lambda r: int(r["id"].split("-")[1])):
        path = out / f"{row['id']}.txt"
        path.write_text(f"date {row['date']}\n{row['title']}\n\n{row['body']}\n", encoding="utf-8")
        paths.append(path)
    for tml in sorted(TEMPEVAL.glob("*.tml")):
        root = ET.parse(tml).getroot()
        dct = root.find("DCT/TIMEX3").get("value")[:10]
        title = " ".join("".join(root.find("TITLE").itertext()).split())
        text = "".join(root.find("TEXT").itertext()).strip("\n")
        path = out / f"te3-{tml.stem}.txt"
        path.write_text(f"date {dct}\n{title}\n\n{text}\n", encoding="utf-8")
        paths.append(path)
    return paths


def entities(paths: list[Path]) -> dict[str, list]:
    from factx.pipeline import Extractor
    from factx.sources import source_from_text

    extractor = Extractor.shared()
    sources = [source_from_text(str(p), p.name, p.read_text(encoding="utf-8")) for p in paths]
    found = {}
    for result in extractor.process(sources):
        found[Path(result.source.doc).name] = [f for f in result.facts or [] if f.type == "entity"]
    return found


def sha1(text: str) -> str:
    return hashlib.sha1(text.encode("utf-8")).hexdigest()


def sample(out: Path) -> None:
    paths = build(out)
    found = entities(paths)
    rng = random.Random(SEED)
    for prefix in ("reuters-", "te3-"):
        pool = [(doc, f) for doc, facts in sorted(found.items()) if doc.startswith(prefix) for f in facts]
        for doc, fact in sorted(rng.sample(pool, PER_SOURCE), key=lambda x: (x[0], x[1].start)):
            text = (out / doc).read_text(encoding="utf-8")
            left = text[max(0, fact.start - 60): fact.start].replace("\n", "⏎")
            right = text[fact.end: fact.end + 60].replace("\n", "⏎")
            row = {"doc": doc, "start": fact.start, "end": fact.end, "sha1": sha1(fact.text),
                   "drawn_label": fact.label, "gold_label": None}
            print(json.dumps(row))
            print(f"#   {left}[[{fact.text}]]{right}", file=sys.stderr)


def _match(facts: list, start: int, end: int):
    exact = [f for f in facts if (f.start, f.end) == (start, end)]
    if exact:
        return exact[0]
    overlapping = [f for f in facts if f.start < end and start < f.end]
    return max(overlapping, key=lambda f: min(f.end, end) - max(f.start, start), default=None)


def score(out: Path, verbose: bool) -> dict:
    rows = [json.loads(line) for line in JUDGED.read_text(encoding="utf-8").splitlines() if line.strip()]
    paths = build(out)
    for row in rows:
        text = (out / row["doc"]).read_text(encoding="utf-8")
        if sha1(text[row["start"]: row["end"]]) != row["sha1"]:
            sys.exit(f"{row['doc']} {row['start']}:{row['end']}: the text differs from the judged one")
    found = entities([p for p in paths if p.name in {row["doc"] for row in rows}])
    tally: Counter = Counter()
    for row in rows:
        fact = _match(found.get(row["doc"], []), row["start"], row["end"])
        label = fact.label if fact else "NONE"
        gold_span = (row.get("gold_start", row["start"]), row.get("gold_end", row["end"]))
        span_ok = fact is None if row["gold_label"] == "NONE" else bool(fact) and (fact.start, fact.end) == gold_span
        drawn_ok = row["drawn_label"] == row["gold_label"]
        source = "reuters" if row["doc"].startswith("reuters-") else "tempeval3"
        for key in ("all", source):
            tally[key, "n"] += 1
            tally[key, "drawn"] += drawn_ok
            tally[key, "label"] += label == row["gold_label"]
            tally[key, "span"] += span_ok
        if verbose and (label != row["gold_label"] or not span_ok or not drawn_ok):
            got = f"{fact.text!r} {label}" if fact else "NONE"
            print(f"{row['doc']}\t{row['start']}:{row['end']}\tdrawn {row['drawn_label']}\tgold {row['gold_label']}"
                  f"\tnow {got}", file=sys.stderr)
    report = {}
    for key in ("all", "reuters", "tempeval3"):
        n = tally[key, "n"]
        if n:
            report[key] = {"mentions": n, "label_when_drawn": round(tally[key, "drawn"] / n, 3),
                           "label_now": round(tally[key, "label"] / n, 3), "span_now": round(tally[key, "span"] / n, 3)}
    print(json.dumps(report, indent=2))
    return report


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("command", choices=("build", "sample", "score"))
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT)
    parser.add_argument("-v", "--verbose", action="store_true")
    args = parser.parse_args()
    if args.command == "build":
        print(f"{len(build(args.out))} articles in {args.out}")
    elif args.command == "sample":
        sample(args.out)
    else:
        score(args.out, args.verbose)


if __name__ == "__main__":
    main()
