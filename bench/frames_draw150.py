"""Draw the articles and the 150 money/quantity facts judged in bench/frames/judged150.jsonl.

Step 1 (docs):  python bench/frames_draw150.py docs  OUTDIR
    writes N_DOCS articles of reuters21578.jsonl.gz (none of the 200 in reuters-sample/),
    drawn with random.Random(SEED), as <id>.txt in the sample's file form.
Step 2 (facts): python bench/frames_draw150.py facts FACTS.json > draw.jsonl
    pools every money/quantity fact of `factx extract OUTDIR --no-store --format json`
    and draws 150 with random.Random(SEED + 1), at most 3 per article.
No article text is kept in the repository.
"""
import gzip, json, os, random, sys
from pathlib import Path

SEED = 150150
N_DOCS = 200
CORPUS = Path("/work/shared/corpus/reuters21578.jsonl.gz")
SAMPLE = Path("/work/shared/corpus/reuters-sample")


def file_text(a):
    return f"date {a['date']}\n{a['title']}\n\n{a['body']}\n"


def docs(outdir):
    outdir = Path(outdir)
    outdir.mkdir(parents=True, exist_ok=True)
    excluded = {p.stem for p in SAMPLE.glob("*.txt")}
    arts = [json.loads(l) for l in gzip.open(CORPUS, "rt", encoding="utf-8")]
    # byte check against the sample's files
    byid = {a["id"]: a for a in arts}
    for sid in sorted(excluded)[:20]:
        assert file_text(byid[sid]).encode() == (SAMPLE / f"{sid}.txt").read_bytes(), sid
    pool = [a for a in arts if a["id"] not in excluded]
    drawn = random.Random(SEED).sample(pool, N_DOCS)
    for a in drawn:
        (outdir / f"{a['id']}.txt").write_text(file_text(a), encoding="utf-8")
    print(f"{len(drawn)} of {len(pool)} articles written to {outdir}", file=sys.stderr)


def facts(path):
    data = json.load(open(path))
    rows = data if isinstance(data, list) else data.get("facts", data)
    pool = [f for f in rows if f.get("type") in ("money", "quantity")]
    rng = random.Random(SEED + 1)
    rng.shuffle(pool)
    per, out = {}, []
    for f in pool:
        d = os.path.basename(f["doc"]).removesuffix(".txt")
        if per.get(d, 0) >= 3:
            continue
        per[d] = per.get(d, 0) + 1
        out.append(f)
        if len(out) == 150:
            break
    out.sort(key=lambda f: (f["doc"], f["start"]))
    print(f"pool {len(pool)} money/quantity facts in {len({f['doc'] for f in pool})} articles; "
          f"drew {len(out)} from {len(per)} articles", file=sys.stderr)
    for f in out:
        print(json.dumps(f))


if __name__ == "__main__":
    {"docs": docs, "facts": facts}[sys.argv[1]](sys.argv[2])
