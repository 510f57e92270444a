"""`factx report` without a browser: structure, CSP, escaping, highlighting, scales, sizes.

The browser half (console, focus, screenshots, the hostile article executing nothing)
is in tests/browser/.
"""

from __future__ import annotations

import base64
import hashlib
import json
import re
import subprocess
import sys
from html.parser import HTMLParser
from pathlib import Path

import pytest

import factx
from click.testing import CliRunner
from hypothesis import given, settings
from hypothesis import strategies as st

from factx.facts import Fact
from factx.report import Mark, highlight, nice_ticks, render_report, time_ticks, value_scale
from factx.safety import html_visible
from factx.store import Store
from hostile_article import HOSTILE, HOSTILE_NAME

ROOT = Path(__file__).resolve().parent.parent
SEEDS = ROOT / "seeds"


def extract_into(db: Path, *paths: Path | str) -> None:
    from factx.cli import main

    result = CliRunner().invoke(main, ["extract", *map(str, paths), "--db", str(db), "--format", "jsonl"])
    assert result.exit_code == 0, result.output


@pytest.fixture(scope="module")
def seeds_db(tmp_path_factory) -> Path:
    db = tmp_path_factory.mktemp("report") / "seeds.db"
    extract_into(db, SEEDS)
    return db


@pytest.fixture(scope="module")
def seeds_html(seeds_db) -> str:
    with Store.open(str(seeds_db), create=False, readonly=True) as store:
        return render_report(store)


def stored_facts(db: Path, **filters) -> list[Fact]:
    with Store.open(str(db), create=False, readonly=True) as store:
        return list(store.facts(**filters))


class Outline(HTMLParser):
    """Marks, their text (tips and labels left out), and the article text as read."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.stack: list[dict] = []
        self.marks: dict[str, dict] = {}
        self.conts: list[dict] = []
        self.text: list[str] = []
        self.skip = 0

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        classes = (attrs.get("class") or "").split()
        node = {"tag": tag, "classes": classes, "attrs": attrs, "text": []}
        if self.skip or (tag == "span" and {"tip", "lbl"} & set(classes)):
            self.skip += 1
            node["skip"] = True
        self.stack.append(node)
        if tag == "mark":
            if "cont" in classes:
                self.conts.append(node)
            else:
                self.marks[attrs["id"]] = node

    def handle_endtag(self, tag):
        node = self.stack.pop()
        assert node["tag"] == tag, f"misnested </{tag}> closes <{node['tag']}>"
        if node.get("skip"):
            self.skip -= 1

    def handle_data(self, data):
        if self.skip:
            return
        self.text.append(data)
        for node in self.stack:
            if node["tag"] == "mark":
                node["text"].append(data)


def outline(markup: str) -> Outline:
    parser = Outline()
    parser.feed(markup)
    parser.close()
    assert not parser.stack
    return parser


def fact(start: int, end: int, text: str, kind: str = "entity", label: str = "ORG", **extra) -> Fact:
    return Fact(doc="d.txt", type=kind, label=label, text=text[start:end], start=start, end=end,
                sentence=text, sentence_start=0, value=extra.pop("value", {"canonical": text[start:end]}), **extra)


# -- the highlighter -------------------------------------------------------------


def test_nested_and_crossing_facts_keep_every_character_once():
    text = "The Stream Gas Pipeline costs $2.5 billion."
    facts = [fact(4, 23, text), fact(11, 14, text, "quantity", "QUANTITY",
                                     value={"magnitude": 1, "unit": "x"}), fact(30, 42, text, "money", "MONEY",
                                                                                value={"amount": 2.5e9, "currency": "USD"}),
             fact(19, 34, text, "date", "DATE", value={"start": None, "end": None, "grain": "day"})]
    marks = [Mark(f"f{i}", f, f.start, f.end, f"t-{f.type}") for i, f in enumerate(facts)]
    parsed = outline(str(highlight(text, marks)))
    assert "".join(parsed.text) == text
    assert sorted(parsed.marks) == ["f0", "f1", "f2", "f3"]
    for mark in marks:
        pieces = [parsed.marks[mark.fid]] + [c for c in parsed.conts if c["attrs"].get("data-of") == mark.fid]
        assert "".join("".join(p["text"]) for p in pieces) == mark.fact.text
    assert parsed.marks["f1"]["attrs"]["tabindex"] == "0"
    assert parsed.marks["f1"]["attrs"]["aria-describedby"] == "f1t"


@settings(max_examples=200, deadline=None)
@given(st.text(alphabet="ab <>&\"'\u202e\n", min_size=1, max_size=40).flatmap(
    lambda text: st.tuples(st.just(text), st.lists(
        st.tuples(st.integers(0, len(text) - 1), st.integers(1, len(text))).filter(lambda p: p[0] < p[1]),
        max_size=8))))
def test_highlight_is_well_formed_for_any_spans(case):
    text, spans = case
    marks = [Mark(f"f{i}", fact(s, e, text), s, e, "t-entity") for i, (s, e) in enumerate(spans)]
    parsed = outline(str(highlight(text, marks)))
    assert "".join(parsed.text) == html_visible(text)
    assert len(parsed.marks) == len(marks)
    for mark in marks:
        pieces = [parsed.marks[mark.fid]] + [c for c in parsed.conts if c["attrs"].get("data-of") == mark.fid]
        assert "".join("".join(p["text"]) for p in pieces) == html_visible(mark.fact.text)


# -- the seeds' page -------------------------------------------------------------


def test_csp_allows_only_the_hashed_stylesheet(seeds_html):
    csp = re.search(r'<meta http-equiv="Content-Security-Policy" content="([^"]+)">', seeds_html).group(1)
    styles = re.findall(r"<style>(.*?)</style>", seeds_html, re.S)
    assert len(styles) == 1
    digest = base64.b64encode(hashlib.sha256(styles[0].encode()).digest()).decode()
    assert csp == f"default-src 'none'; style-src 'sha256-{digest}'; base-uri 'none'; form-action 'none'"
    assert seeds_html.index("Content-Security-Policy") < seeds_html.index("<style>")
    assert "<script" not in seeds_html.lower()
    assert not re.search(r"\sstyle=", seeds_html)  # inline style attributes would need 'unsafe-inline'
    assert not re.search(r"""\s(?:src|href|xlink:href|action)=(?!["']?#)""", seeds_html)  # only in-page links
    assert "@import" not in styles[0] and "url(" not in styles[0]


def test_every_stored_fact_is_one_highlight(seeds_db, seeds_html):
    facts = stored_facts(seeds_db)
    marks = re.findall(r'<mark class="fact (?!cont)[^"]*" id="(f\d+)"', seeds_html)
    assert len(marks) == len(facts) == len(set(marks)) > 100
    assert seeds_html.count('role="tooltip"') == len(facts)


def test_header_sections_and_tables(seeds_db, seeds_html):
    facts = stored_facts(seeds_db)
    for anchor in ("conflicts", "timeline", "articles", "documents"):
        assert f'href="#{anchor}"' in seeds_html and f'<section id="{anchor}"' in seeds_html
    assert f"<b>{len(facts)}</b> facts" in seeds_html
    assert "en_core_web_sm" in seeds_html and f"factx {factx.__version__}" in seeds_html
    assert seeds_html.count("<svg") == seeds_html.count('role="img"')
    assert seeds_html.count("<svg") <= seeds_html.count("<table")  # each chart has its table


def test_timeline_has_one_mark_per_dated_fact(seeds_db, seeds_html):
    def dated(f: Fact) -> bool:
        value = f.value if f.type == "date" else (f.when or {}).get("value") if f.type in ("money", "quantity") else None
        return bool(value and (value.get("start") or value.get("end")))

    expected = sum(dated(f) for f in stored_facts(seeds_db))
    assert expected >= 9
    assert len(re.findall(r'<a class="tm[" ]', seeds_html)) == expected


def test_seeds_report_stays_small(seeds_html):
    assert len(seeds_html.encode()) < 300_000


def test_template_overhead_is_small(tmp_path):
    with Store.open(str(tmp_path / "empty.db")) as store:
        html = render_report(store)
    assert len(html.encode()) < 15_000
    assert "No documents" in html


def test_filters_by_doc_glob_and_type(seeds_db):
    with Store.open(str(seeds_db), create=False, readonly=True) as store:
        html = render_report(store, doc_globs=["*003_*"], types=["quantity", "money"])
    marks = re.findall(r'<mark class="fact (t-\w+)', html)
    assert marks and set(marks) <= {"t-quantity", "t-money"}
    assert "000_334a6d619c7a494c.txt</h3>" not in html and "003_5edcf8e630143796.txt</h3>" in html
    assert len(marks) == len([f for f in stored_facts(seeds_db, types=["quantity", "money"]) if "003_" in f.doc])


def test_cli_report_to_stdout_and_file(seeds_db, tmp_path):
    from factx.cli import main

    result = CliRunner().invoke(main, ["report", "--db", str(seeds_db), "-o", "-"])
    assert result.exit_code == 0, result.output
    assert result.stdout.startswith("<!DOCTYPE html>")
    out = tmp_path / "r.html"
    result = CliRunner().invoke(main, ["report", "--db", str(seeds_db), "-o", str(out)])
    assert result.exit_code == 0 and out.read_text(encoding="utf-8").rstrip().endswith("</html>")


def test_report_loads_no_spacy_and_no_pint(seeds_db):
    code = (
        "import sys\nfrom factx.store import Store\nfrom factx.report import render_report\n"
        f"with Store.open({str(seeds_db)!r}, create=False, readonly=True) as s:\n"
        "    html = render_report(s)\n"
        "print(sorted(m for m in sys.modules if m.split('.')[0] in ('spacy', 'pint', 'thinc')))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"


# -- untrusted text ------------------------------------------------------------------



@pytest.fixture(scope="module")
def hostile_db(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("hostile")
    (folder / HOSTILE_NAME).write_text(HOSTILE, encoding="utf-8")
    db = folder / "hostile.db"
    extract_into(db, folder / HOSTILE_NAME)
    return db


def test_hostile_article_is_escaped_everywhere(hostile_db):
    facts = stored_facts(hostile_db)
    assert len(facts) >= 5
    with Store.open(str(hostile_db), create=False, readonly=True) as store:
        html = render_report(store)
    body = html.split("</head>", 1)[1]
    for raw in ("<script", "<img", "<a href=\"javascript", "</textarea>", "<style>", "onerror=\"", "\u202e", "\u2066"):
        assert raw not in body
    assert "&lt;script&gt;window.__pwned=1&lt;/script&gt;" in body
    assert "&lt;img src=x onerror=window.__pwned=5&gt;.txt" in body  # the file name, in headings and tables
    assert "\u2039U+202E\u203a" in body


def test_fake_groups_draw_one_axis_and_log_when_tenfold(seeds_db, monkeypatch):
    import factx.conflicts

    facts = [f for f in stored_facts(seeds_db, types=["quantity"]) if f.subject == "natural gas"]

    class Group:
        def __init__(self, status, values):
            self.status, self.values = status, values

        def to_dict(self):
            return {"subject": "<b>gas</b>", "about": "Pipe", "dimensionality": "[length] ** 3 / [time]",
                    "currency": None, "unit": "meter ** 3 / year", "status": self.status,
                    "claims": [{**f.to_dict(), "doc_date": None, "common_value": v, "common_value_high": None}
                               for f, v in zip(facts, self.values)]}

    monkeypatch.setattr(factx.conflicts, "find_groups",
                        lambda store, **kw: [Group("conflict", [1e9, 5e10]), Group("agreed", [3.0, 3.1])])
    with Store.open(str(seeds_db), create=False, readonly=True) as store:
        html = render_report(store)
    figures = re.findall(r'<figure class="conflict s-(\w+)".*?</figure>', html, re.S)
    assert figures == ["conflict", "agreed"]
    first, second = re.findall(r'<figure class="conflict.*?</figure>', html, re.S)
    assert "(log scale)" in first and "50 billion" in first and "meter³/year" in first
    assert "(log scale)" not in second and "backed by 2 documents" in second
    assert "&lt;b&gt;gas&lt;/b&gt;" in first and "<b>gas</b>" not in html
    assert first.count('<a class="pt" href="#f') == 2


def test_report_renders_without_the_conflicts_feature(seeds_db, monkeypatch):
    monkeypatch.setitem(sys.modules, "factx.conflicts", None)  # import raises ImportError
    with Store.open(str(seeds_db), create=False, readonly=True) as store:
        html = render_report(store)
    assert "no conflicts feature" in html and '<figure class="conflict' not in html
    assert len(re.findall(r'<a class="tm[" ]', html)) > 0


def test_seeds_conflict_16_vs_12_3_bcm_a_year(seeds_html):
    pytest.importorskip("factx.conflicts", reason="the conflicts feature (factx/conflicts.py) has not landed")
    conflicts = re.findall(r'<figure class="conflict s-conflict".*?</figure>', seeds_html, re.S)
    gas = [f for f in conflicts if "natural gas" in f]
    assert len(gas) == 1
    assert ">16 billion<" in gas[0] and ">12.3 billion<" in gas[0] and "meter³/year" in gas[0]
    assert "000_334a6d619c7a494c.txt" in gas[0] and "003_5edcf8e630143796.txt" in gas[0]
    assert "2022-02-06" in gas[0]
    agreed = re.findall(r'<figure class="conflict s-agreed".*?</figure>', seeds_html, re.S)
    assert any("2.5 billion" in f and "backed by 2 documents" in f for f in agreed)


# -- scales ------------------------------------------------------------------------


def test_nice_ticks_and_value_scales():
    assert nice_ticks(0, 16e9) == [0, 5e9, 10e9, 15e9, 20e9]
    scale, ticks = value_scale([12.3e9, 16e9], 100, 500)
    assert not scale.log and ticks[0] == 0 and scale(0) == 100 and scale(ticks[-1]) == 500
    scale, ticks = value_scale([2, 300], 0, 100)
    assert scale.log and ticks == [1, 10, 100, 1000] and scale(10) == pytest.approx(100 / 3, abs=0.1)
    scale, _ = value_scale([-5, 5], 0, 100)
    assert not scale.log and scale(0) == 50


def test_time_ticks_pick_months_years_or_decades():
    from datetime import date

    assert [label for _, label in time_ticks(date(2022, 1, 15), date(2022, 5, 1))][:2] == ["Feb 2022", "Mar"]
    assert [label for _, label in time_ticks(date(2014, 6, 1), date(2023, 6, 1))][0] == "2015"
    assert [label for _, label in time_ticks(date(1972, 1, 1), date(2025, 1, 1))][:2] == ["1975", "1980"]
    assert [label for _, label in time_ticks(date(1900, 1, 1), date(2025, 1, 1))][:2] == ["1900", "1920"]
