"""Recompute the shares of bench/frames/judged150.jsonl (150 judged claim frames).

    python bench/frames_judged.py [bench/frames/judged150.jsonl]
    python bench/frames_judged.py bench/frames/judged150_a083895.jsonl   # re-judged at a083895

A key is accepted when its verdict is true. Shares are given over the claims (facts a reader
takes as a money/quantity claim) and, strictly, over all drawn facts (a non-claim counts as
not accepted). `about` is also given among the claims whose sentence or headline names the
holder entity (the issue's target: >= 0.80).
"""
import json, sys
from collections import Counter
from pathlib import Path

KEYS = ["about", "measure", "when", "role", "modality", "attributed_to"]
path = Path(sys.argv[1] if len(sys.argv) > 1 else Path(__file__).parent / "frames" / "judged150.jsonl")
rows = [json.loads(l) for l in path.open(encoding="utf-8")]
claims = [r for r in rows if r["claim"]]
named = [r for r in claims if r["entity_named"]]
unnamed = [r for r in claims if not r["entity_named"]]


def share(rs, k):
    ok = sum(1 for r in rs if r["verdict"][k] is True)
    return ok, len(rs)


print(f"{len(rows)} facts in {len({r['doc'] for r in rows})} articles; {len(claims)} claims, "
      f"{len(rows) - len(claims)} not a claim")
print(f"{'key':<24}{'claims':>16}{'all facts (strict)':>22}")
for k in KEYS:
    a, n = share(claims, k)
    b, m = share(rows, k)
    print(f"{k:<24}{a:>5}/{n:<4} {a / n:6.3f}{b:>9}/{m:<4} {b / m:6.3f}")
a, n = share(named, "about")
print(f"{'about, entity named':<24}{a:>5}/{n:<4} {a / n:6.3f}")
a, n = share(unnamed, "about")
print(f"{'about, entity not named':<24}{a:>5}/{n:<4} {a / n:6.3f}")
core = sum(1 for r in claims if all(r["verdict"][k] for k in KEYS[:4]))
print(f"{'about+measure+when+role':<24}{core:>5}/{len(claims):<4} {core / len(claims):6.3f}")
print(f"\nerror classes (count of judged facts):")
for k in KEYS + ["claim"]:
    c = Counter(cls for r in rows for cls in r["errors"].get(k, []))
    if c:
        print(f"  {k}: " + "; ".join(f"{cls} {n}" for cls, n in c.most_common()))
