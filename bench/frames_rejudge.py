"""Re-judge the 150 facts of bench/frames/judged150.jsonl on a newer factx output.

    python bench/frames_rejudge.py FACTS.json > bench/frames/judged150_<commit>.jsonl

FACTS.json is `factx extract DIR --no-store --format json` over the 200 articles written by
`bench/frames_draw150.py docs DIR`. Each judged fact is matched by doc, type and offsets (else
the money/quantity fact overlapping its span). A key whose value is unchanged keeps the earlier
verdict; a changed key must have a verdict in NEW below (judged by reading the article with the
rules of judged150.md), else the script stops. Non-claims keep verdict null.
"""
import json, os, sys
from pathlib import Path

KEYS = ["about", "measure", "when", "role", "modality", "attributed_to"]
OLD = Path(__file__).parent / "frames" / "judged150.jsonl"

# n -> key -> (accepted, [error classes], correct value or None, note or None)
NEW = {
    0: {"about": (True, [], None, "null accepted: the sentence names only the industry")},
    2: {"about": (False, ["source-as-holder"], "Commodity Credit Corp", "GAO reports the CCC outlays")},
    3: {"measure": (True, [], None, None)},
    4: {"about": (False, ["truncated-name"], "American Ecology Corp (National Ecology Inc)", "'American' dropped"),
        "attributed_to": (False, ["truncated-name"], "American Ecology Corp", None)},
    5: {"about": (True, [], None, None)},
    6: {"when": (False, ["null-though-given(article-period)"], "1987", "the 1987 quota of the lead and previous sentence")},
    9: {"about": (True, [], None, None), "measure": (True, [], None, None), "when": (True, [], None, None)},
    11: {"when": (True, [], None, None)},
    12: {"about": (True, [], None, None), "attributed_to": (True, [], None, None)},
    18: {"about": (True, [], None, None)},
    21: {"about": (True, [], None, None)},
    22: {"about": (True, [], None, None), "measure": (True, [], None, None)},
    23: {"measure": (False, ["null"], "eurobond issue amount", None), "role": (True, [], None, None)},
    26: {"about": (True, [], None, None), "measure": (True, [], None, None), "when": (True, [], None, None)},
    27: {"about": (True, [], None, None), "measure": (False, ["null"], "sales and operating revenues", "was 'sales' (accepted)")},
    28: {"about": (True, [], None, None)},
    31: {"about": (True, [], None, None), "attributed_to": (True, [], None, None)},
    33: {"about": (False, ["null-though-named"], "Magma Copper Co", "was 'CT'; headline names Magma")},
    34: {"about": (True, [], None, None), "when": (True, [], None, None)},
    35: {"about": (True, [], None, None), "measure": (True, [], None, None), "when": (True, [], None, None)},
    36: {"about": (True, [], None, None), "when": (True, [], None, None)},
    37: {"about": (True, [], None, None),
         "when": (False, ["table-head-for-other-period"], "year 1986", "value is 'in year'; the headline's quarter given")},
    38: {"about": (True, [], None, None),
         "when": (False, ["table-head-for-other-period"], "year 1985", "prior-year value; the headline's 1986 quarter given")},
    40: {"about": (True, [], None, None)},
    41: {"role": (True, [], None, None)},
    43: {"about": (True, [], None, None)},
    47: {"about": (True, [], None, None)},
    53: {"measure": (False, ["null"], "net income reduction", None)},
    56: {"about": (False, ["source-as-holder"], "null (airline industry)", "the analyst's firm for the airlines' loss; was null (accepted)")},
    57: {"about": (False, ["source-as-holder"], "null (airline industry)", "the analyst's firm for the airlines"),
         "attributed_to": (True, [], None, None)},
    58: {"about": (True, [], None, None), "measure": (True, [], None, None)},
    59: {"about": (True, [], None, None), "measure": (True, [], None, None)},
    60: {"when": (True, [], None, None)},
    61: {"about": (True, [], None, None)},
    68: {"measure": (False, ["null"], "WTI posted price", None)},
    69: {"about": (True, [], None, None), "when": (True, [], None, None)},
    70: {"about": (True, [], None, None)},
    71: {"about": (True, [], None, None)},
    74: {"about": (False, ["wrong-entity(list-member)"], "Brazil", "another company of the lead's list (was General Motors)")},
    77: {"about": (True, [], None, None), "measure": (True, [], None, None)},
    78: {"about": (True, [], None, None), "measure": (True, [], None, None)},
    79: {"about": (True, [], None, None), "measure": (True, [], None, None)},
    80: {"measure": (True, [], None, "'car registration' separates it from the article's total vehicle registrations")},
    83: {"about": (True, [], None, None)},
    84: {"about": (True, [], None, None)},
    87: {"about": (True, [], None, None), "measure": (True, [], None, None), "when": (True, [], None, None)},
    88: {"about": (True, [], None, "the Danish name of East Asiatic Co"),
         "measure": (False, ["wrong-noun"], "net turnover", "'net income turnover': net income put before turnover (was 'net turnover', accepted)")},
    89: {"about": (False, ["truncated-name"], "British Printing and Communication Corp", "'British Printing and' dropped")},
    90: {"about": (False, ["other-entity-as-holder"], "ECU", "the U.S. dollar for the ECU's yen rate")},
    93: {"about": (True, [], None, None), "measure": (True, [], None, None), "when": (True, [], None, None)},
    94: {"about": (True, [], None, None), "measure": (True, [], None, None), "when": (True, [], None, None)},
    95: {"about": (True, [], None, None),
         "when": (False, ["table-head-for-other-period"], "1985 (4th qtr and year)", "the sentence names 1985; the headline's 1986 quarter given")},
    96: {"about": (True, [], None, None)},
    99: {"about": (True, [], None, None),
         "attributed_to": (False, ["null-though-said"], "Credit Suisse First Boston", "was right; the lead manager CSFB is the sentence's reporting source")},
    100: {"about": (True, [], None, None), "measure": (True, [], None, "'denomnation' is the article's spelling")},
    101: {"about": (True, [], None, None)},
    102: {"when": (True, [], None, None)},
    103: {"about": (True, [], None, None)},
    105: {"about": (True, [], None, None)},
    106: {"about": (False, ["source-as-holder"], "Allied-Signal Inc", "UBS won (underwrote) Allied-Signal's debentures; was right"),
          "when": (True, [], None, "null accepted")},
    107: {"about": (True, [], None, "the headline's short name; full name Anglo American Industrial Corp (parent's name at worst)"),
          "when": (True, [], None, None)},
    108: {"about": (True, [], None, None), "measure": (True, [], None, None),
          "when": (False, ["block-head-missed"], "first half to 1986-01-31", "row under '1st half'; the quarter given")},
    109: {"about": (True, [], None, None),
          "when": (False, ["end-date-as-day"], "2nd qtr to 1986-01-31", "the headline's 'JAN 31' as a day, and the current year")},
    110: {"about": (True, [], None, None)},
    113: {"about": (True, [], None, None)},
    114: {"about": (True, [], None, None),
          "when": (False, ["null-though-given"], "1986-12", "was 1987-12 (wrong year); now null")},
    116: {"when": (False, ["end-date-as-day"], "2nd qtr and six months to 1987-01-31", "the headline's 'JAN 31' as a day")},
    117: {"about": (True, [], None, None), "measure": (True, [], None, None)},
    119: {"about": (True, [], None, None), "when": (True, [], None, None)},
    120: {"about": (True, [], None, None),
          "when": (False, ["table-head-for-other-period"], "1986", "the 'year' value; the headline's quarter given")},
    122: {"about": (True, [], None, None), "attributed_to": (True, [], None, None)},
    123: {"about": (True, [], None, None), "measure": (True, [], None, None), "when": (True, [], None, None)},
    125: {"about": (True, [], None, None), "attributed_to": (True, [], None, None)},
    127: {"about": (True, [], None, None)},
    128: {"about": (True, [], None, None)},
    133: {"about": (True, [], None, None), "measure": (True, [], None, None)},
    134: {"about": (True, [], None, None), "measure": (True, [], None, None)},
    135: {"about": (True, [], None, None)},
    136: {"about": (True, [], None, None)},
    141: {"about": (True, [], None, None)},
    142: {"about": (True, [], None, None), "measure": (True, [], None, None)},
    143: {"when": (False, ["null-though-given"], "1987-03-11..1987-03-20", "was the first day only; now null")},
    147: {"measure": (False, ["null"], "ownership stake", None)},
    149: {"about": (False, ["person-for-country"], "Australia", None),
          "measure": (False, ["null"], "economic growth", "was right"),
          "role": (True, [], None, "a growth rate may be a level"),
          "attributed_to": (True, [], None, None)},
}


def when_key(w):
    if w is None:
        return None
    v = w.get("value", w)
    return tuple(v.get(k) for k in ("start", "end", "grain", "relation", "range_start", "range_end"))


def key_value(f, k):
    if k == "when":
        return when_key(f["when"])
    if k == "role":
        return (f["role"], f["direction"])
    return f[k]


def main(facts_path):
    facts = json.load(open(facts_path))
    by = {}
    for f in facts:
        by.setdefault(os.path.basename(f["doc"]).removesuffix(".txt"), []).append(f)
    for line in OLD.open(encoding="utf-8"):
        r = json.loads(line)
        fs = [f for f in by.get(r["doc"], []) if f["type"] in ("money", "quantity")]
        exact = [f for f in fs if f["type"] == r["type"] and (f["start"], f["end"]) == (r["start"], r["end"])]
        over = [f for f in fs if f["start"] < r["end"] and r["start"] < f["end"]]
        over.sort(key=lambda f: f["type"] != r["type"])
        m = exact[0] if exact else (over[0] if over else None)
        out = dict(r)
        out["match"] = "same" if exact else ("span-changed" if m else "missing")
        if m is None:
            changed = [k for k in KEYS if key_value(r, k) is not None]
            for k in KEYS:
                out[k] = None
            out["direction"] = None
            if r["claim"]:
                out["verdict"] = {k: False for k in KEYS}
        else:
            changed = [k for k in KEYS if key_value(r, k) != key_value(m, k)]
            for k in ("start", "end", "type", "value", "about", "measure", "role", "direction",
                      "modality", "attributed_to"):
                out[k] = m[k]
            out["when"] = None if m["when"] is None else {**m["when"]["value"], "text": m["when"]["text"]}
            out.pop("text", None)
        out["changed"] = changed
        if r["claim"] and m is not None and changed:
            judged = NEW.get(r["n"], {})
            missing = [k for k in changed if k not in judged]
            assert not missing, (r["n"], missing)
            out["verdict"] = dict(r["verdict"])
            out["correct"] = dict(r["correct"])
            out["errors"] = {k: v for k, v in r["errors"].items()}
            notes = [r["note"]] if r.get("note") else []
            for k in changed:
                ok, errs, correct, note = judged[k]
                out["verdict"][k] = ok
                if ok:
                    out["correct"].pop(k, None)
                    out["errors"].pop(k, None)
                else:
                    out["correct"][k] = correct
                    out["errors"][k] = errs
                if note:
                    notes.append(f"{k} (a083895): {note}")
            out["note"] = "; ".join(notes)
        print(json.dumps(out))


if __name__ == "__main__":
    main(sys.argv[1])
