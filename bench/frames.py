"""Score `factx conflicts` on the judged claim-frame set (bench/frames/groups.jsonl).

The set holds multi-article groups from Reuters-21578 (conflicts, agreements, series) and
look-alike pairs that must never be grouped, as document ids, offsets, a SHA-1 of each
span and the value; no article text. This script rebuilds the involved articles from the
corpus in factx's file form, checks every span's SHA-1, runs `factx extract` and
`factx conflicts --all --format json` on a fresh store, and scores:

- a gold conflict / agreed / series group is *found* when one predicted group has the gold
  status and holds claims (offsets overlapping a gold span of the same document) from at
  least two different documents of that group;
- a look-alike pair is *wrongly grouped* when any predicted group holds claims matching
  both of its spans;
- a predicted group *mixes figures* when its matched claims belong to no single gold
  figure (two different gold groups, or the two sides of a look-alike pair).

    python bench/frames.py [--corpus ../shared/corpus/reuters21578.jsonl.gz]
                           [--factx PATH_TO_factx] [--json] [--keep DIR]

Only `status` and `claims[].doc/start/end` of factx's output are read; the output may be a
list of groups or `{"groups": [...]}`.
"""

from __future__ import annotations

import argparse
import gzip
import hashlib
import json
import shutil
import subprocess
import sys
import tempfile
from collections import defaultdict
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
DEFAULT_GROUPS = HERE / "frames" / "groups.jsonl"
DEFAULT_CORPUS = REPO.parent / "shared" / "corpus" / "reuters21578.jsonl.gz"
GROUPED = ("conflict", "agreed", "series")
STATUSES = GROUPED + ("lookalike",)
SPLITS = ("dev", "heldout", "all")


def file_text(article: dict) -> str:
    """factx's file form of one article, as in ../shared/corpus/reuters-sample/."""
    return f"date {article['date']}\n{article['title']}\n\n{article['body']}\n"


def load_groups(path: Path) -> list[dict]:
    groups = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
    for group in groups:
        if group["status"] not in STATUSES:
            raise SystemExit(f"{path}: group {group['id']} has unknown status {group['status']!r}")
    return groups


def load_articles(corpus: Path, wanted: set[str]) -> dict[str, dict]:
    found = {}
    with gzip.open(corpus, "rt", encoding="utf-8") as handle:
        for line in handle:
            article = json.loads(line)
            if article["id"] in wanted:
                found[article["id"]] = article
    missing = wanted - found.keys()
    if missing:
        raise SystemExit(f"{corpus}: articles not found: {', '.join(sorted(missing))}")
    return found


def write_documents(groups: list[dict], articles: dict[str, dict], folder: Path) -> None:
    """Write `<id>.txt` files and check every gold span against its SHA-1."""
    texts = {doc: file_text(article) for doc, article in articles.items()}
    bad = []
    for group in groups:
        for claim in group["claims"]:
            span = texts[claim["doc"]][claim["start"] : claim["end"]]
            if hashlib.sha1(span.encode("utf-8")).hexdigest() != claim["sha1"]:
                bad.append(f"{group['id']} {claim['doc']} {claim['start']}:{claim['end']}")
    if bad:
        raise SystemExit("gold spans do not match the corpus (SHA-1 differs): " + "; ".join(bad))
    for doc, text in texts.items():
        (folder / f"{doc}.txt").write_text(text, encoding="utf-8", newline="")


def factx_command(given: str | None) -> list[str]:
    if given:
        return [given]
    found = shutil.which("factx")
    return [found] if found else [sys.executable, "-m", "factx"]


def run_factx(factx: list[str], folder: Path, db: Path) -> list[dict]:
    extract = subprocess.run([*factx, "extract", str(folder), "--db", str(db)],
                             stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    if extract.returncode != 0:
        raise SystemExit(f"factx extract failed ({extract.returncode}): {extract.stderr.strip()[-2000:]}")
    conflicts = subprocess.run([*factx, "conflicts", "--all", "--format", "json", "--db", str(db)],
                               capture_output=True, text=True)
    if conflicts.returncode != 0:
        raise SystemExit(f"factx conflicts failed ({conflicts.returncode}): {conflicts.stderr.strip()[-2000:]}")
    data = json.loads(conflicts.stdout or "[]")
    if isinstance(data, dict):
        data = data.get("groups", [])
    return data


def gold_index(groups: list[dict]) -> dict[str, list[tuple[int, int, str, int]]]:
    """doc -> [(start, end, group id, claim index)]."""
    index: dict[str, list[tuple[int, int, str, int]]] = defaultdict(list)
    for group in groups:
        for number, claim in enumerate(group["claims"]):
            index[claim["doc"]].append((claim["start"], claim["end"], group["id"], number))
    return index


def figures(groups: list[dict]) -> dict[tuple[str, int], frozenset[str]]:
    """Which gold figures a gold claim stands for: the conflict/agreed/series groups whose
    claim has the same span, else its own look-alike side."""
    by_span: dict[tuple[str, int, int], set[str]] = defaultdict(set)
    for group in groups:
        if group["status"] in GROUPED:
            for claim in group["claims"]:
                by_span[(claim["doc"], claim["start"], claim["end"])].add(group["id"])
    result = {}
    for group in groups:
        for number, claim in enumerate(group["claims"]):
            same = by_span.get((claim["doc"], claim["start"], claim["end"]))
            result[(group["id"], number)] = frozenset(same) if same else frozenset({f"{group['id']}:{number}"})
    return result


def score(groups: list[dict], predicted: list[dict]) -> dict:
    index = gold_index(groups)
    figure_of = figures(groups)
    by_id = {group["id"]: group for group in groups}
    # For each predicted group: the gold claims (group id, claim index) its claims overlap.
    matched: list[set[tuple[str, int]]] = []
    for pred in predicted:
        hits = set()
        for claim in pred.get("claims", []):
            doc = Path(str(claim.get("doc", ""))).stem
            start, end = claim.get("start"), claim.get("end")
            if start is None or end is None:
                continue
            for g_start, g_end, gid, number in index.get(doc, ()):
                if start < g_end and g_start < end:
                    hits.add((gid, number))
        matched.append(hits)

    per_group = []
    for group in groups:
        docs_of = {number: claim["doc"] for number, claim in enumerate(group["claims"])}
        touching = []  # (predicted index, status, number of gold documents matched)
        for k, hits in enumerate(matched):
            numbers = {number for gid, number in hits if gid == group["id"]}
            if numbers:
                touching.append((k, predicted[k].get("status"), len({docs_of[n] for n in numbers})))
        entry = {"id": group["id"], "status": group["status"], "split": group.get("split", "dev"),
                 "documents": len(set(docs_of.values())),
                 "predicted": [{"group": k, "status": status, "documents": n} for k, status, n in touching]}
        if group["status"] == "lookalike":
            entry["wrongly_grouped"] = any(n >= 2 for _, _, n in touching)
        else:
            entry["found"] = any(status == group["status"] and n >= 2 for _, status, n in touching)
        per_group.append(entry)

    mixing = []
    for k, hits in enumerate(matched):
        if len(hits) < 2:
            continue
        common = None
        for key in hits:
            common = figure_of[key] if common is None else common & figure_of[key]
        if not common:
            mixing.append({"group": k, "status": predicted[k].get("status"),
                           "gold": sorted({gid for gid, _ in hits})})

    summary = {}
    for split in SPLITS:
        chosen = [e for e in per_group if split == "all" or e["split"] == split]
        row = {}
        for status in GROUPED:
            of_status = [e for e in chosen if e["status"] == status]
            row[status] = {"found": sum(e["found"] for e in of_status), "total": len(of_status)}
        looks = [e for e in chosen if e["status"] == "lookalike"]
        row["lookalike"] = {"wrongly_grouped": sum(e["wrongly_grouped"] for e in looks), "total": len(looks)}
        ids = {e["id"] for e in chosen}
        row["mixing_groups"] = sum(1 for m in mixing if ids & set(m["gold"]))
        summary[split] = row
    return {
        "summary": summary,
        "predicted_groups": len(predicted),
        "predicted_groups_touching_gold": sum(1 for hits in matched if hits),
        "mixing": mixing,
        "groups": per_group,
        "gold": {gid: {k: by_id[gid][k] for k in ("entity", "measure", "period")} for gid in by_id},
    }


def print_report(result: dict) -> None:
    print("per gold group (predicted groups touching it: status/gold documents matched):")
    for entry in result["groups"]:
        gold = result["gold"][entry["id"]]
        if entry["status"] == "lookalike":
            verdict = "WRONGLY GROUPED" if entry["wrongly_grouped"] else "kept apart"
        else:
            verdict = "found" if entry["found"] else "missed"
        touching = ", ".join(f"#{p['group']} {p['status']}/{p['documents']}" for p in entry["predicted"]) or "-"
        print(f"  {entry['id']:4} {entry['status']:9} {entry['split']:7} {entry['documents']} docs  "
              f"{verdict:15} [{touching}]  {gold['entity']} | {gold['measure']} | {gold['period']}")
    if result["mixing"]:
        print("predicted groups mixing figures:")
        for m in result["mixing"]:
            print(f"  #{m['group']} {m['status']}: gold {', '.join(m['gold'])}")
    print()
    print("| split | conflict found | agreed found | series found | look-alikes wrongly grouped | mixing groups |")
    print("|---|---|---|---|---|---|")
    for split, row in result["summary"].items():
        cells = [f"{row[s]['found']}/{row[s]['total']}" for s in GROUPED]
        print(f"| {split} | {' | '.join(cells)} | {row['lookalike']['wrongly_grouped']}/{row['lookalike']['total']} "
              f"| {row['mixing_groups']} |")
    print(f"\npredicted groups: {result['predicted_groups']} "
          f"({result['predicted_groups_touching_gold']} touch a gold claim)")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--corpus", type=Path, default=DEFAULT_CORPUS, help="reuters21578.jsonl.gz")
    parser.add_argument("--groups", type=Path, default=DEFAULT_GROUPS, help="judged groups (JSON lines)")
    parser.add_argument("--factx", help="factx executable (default: factx on PATH, else python -m factx)")
    parser.add_argument("--json", action="store_true", help="print the full result as JSON")
    parser.add_argument("--keep", type=Path, help="write the articles and the store here and keep them")
    args = parser.parse_args(argv)

    groups = load_groups(args.groups)
    wanted = {claim["doc"] for group in groups for claim in group["claims"]}
    articles = load_articles(args.corpus, wanted)
    with tempfile.TemporaryDirectory(prefix="factx-frames-") as tmp:
        work = args.keep or Path(tmp)
        folder, db = work / "docs", work / "frames.db"
        folder.mkdir(parents=True, exist_ok=True)
        if db.exists():
            db.unlink()
        write_documents(groups, articles, folder)
        predicted = run_factx(factx_command(args.factx), folder, db)
    result = score(groups, predicted)
    if args.json:
        print(json.dumps(result, indent=2))
    else:
        print_report(result)
    return 0


if __name__ == "__main__":
    sys.exit(main())
