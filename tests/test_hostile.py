"""Hostile and broken input: dull worst cases, proven on real processes."""

from __future__ import annotations

import json
import os
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from factx.sources import decode, parse_date_marker, source_from_bytes

HOSTILE_TEXT = (
    "Acme Corp [bold]said[/bold] it sold 5 mln tonnes \x1b]52;c;cGF5bG9hZA==\x07 of wheat to Egypt "
    "\x1b[2J\x1b]8;;http://evil.example\x07for 9**9**9 m or 2 * 3 km\x1b]8;;\x07 [/bold] \u202eevil\u202c.\n"
)


def _factx(args, cwd, **kwargs):
    return subprocess.run([sys.executable, "-m", "factx", *args], capture_output=True, text=True, cwd=cwd,
                          **kwargs)


def _bad_inputs(folder: Path) -> None:
    folder.mkdir()
    (folder / "good.txt").write_text("Russia sold 5 mln tonnes of wheat to Egypt in 1986.\n", encoding="utf-8")
    (folder / "latin1.txt").write_bytes("Zürich: Moscow paid 5 mln roubles.\n".encode("latin-1"))
    (folder / "bom.txt").write_bytes(b"\xef\xbb\xbfMoscow is big.\n")
    (folder / "crlf.txt").write_bytes(b"Moscow is big.\r\nPutin spoke in Moscow.\r\n")
    (folder / "binary.txt").write_bytes(b"\x7fELF\x00\x00\x00 Moscow")
    (folder / "empty.txt").write_bytes(b"")
    (folder / "hostile.txt").write_text(HOSTILE_TEXT, encoding="utf-8")
    (folder / "looks-like-a-file.txt").mkdir()
    os.mkfifo(folder / "fifo.txt")


def test_bad_input_folder_as_a_real_process(tmp_path):
    _bad_inputs(tmp_path / "in")
    result = _factx(["extract", "in", "--format", "table"], tmp_path, timeout=300)
    assert result.returncode == 1  # the FIFO and the folder named like a file are errors
    assert "Traceback" not in result.stderr
    lines = result.stderr.strip().splitlines()
    for name, words in [("fifo.txt", "regular file"), ("binary.txt", "binary"), ("latin1.txt", "replacement"),
                        ("looks-like-a-file.txt", "directory")]:
        assert any(name in line and words in line for line in lines), (name, lines)
    assert "2 failed" in lines[-1]
    # Nothing a terminal would act on reaches stdout (markup printing literally: test_render).
    assert not any(ch in result.stdout for ch in "\x1b\x07\u202e\x9b")

    connection = sqlite3.connect(tmp_path / "factx.db")
    assert connection.execute("PRAGMA integrity_check").fetchone() == ("ok",)
    stored = dict(connection.execute("SELECT doc, text FROM documents").fetchall())
    assert set(stored) == {"in/good.txt", "in/latin1.txt", "in/bom.txt", "in/crlf.txt", "in/empty.txt",
                           "in/hostile.txt"}
    assert stored["in/bom.txt"].startswith("Moscow") and "\r\n" in stored["in/crlf.txt"]
    rows = connection.execute(
        'SELECT d.text, f.text, f.start, f."end" FROM facts f JOIN documents d ON d.id = f.document_id').fetchall()
    assert rows and all(text[start:end] == fact for text, fact, start, end in rows)
    units = [v for (v,) in connection.execute("SELECT value FROM facts WHERE type = 'quantity'")]
    assert units and not any("9**9" in v or '"6' in v for v in units)  # "9**9**9 m" and "2 * 3 km" stay text


def test_two_extracts_on_one_store_both_finish(tmp_path):
    for name in ("a", "b"):
        folder = tmp_path / name
        folder.mkdir()
        for i in range(8):
            (folder / f"{i}.txt").write_text(f"Exports rose {i} pct to {i + 5} mln tonnes in 1986.\n")
    procs = [subprocess.Popen([sys.executable, "-m", "factx", "extract", name, "--format", "jsonl", "--jobs", "1"],
                              cwd=tmp_path, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
             for name in ("a", "b")]
    for proc in procs:
        assert proc.wait(timeout=300) == 0, proc.stderr.read()
    connection = sqlite3.connect(tmp_path / "factx.db")
    assert connection.execute("PRAGMA integrity_check").fetchone() == ("ok",)
    assert connection.execute("SELECT count(*) FROM documents").fetchone() == (16,)


def test_sigint_keeps_finished_documents(tmp_path):
    folder = tmp_path / "in"
    folder.mkdir()
    # Enough work (about 20 s) that the run is surely still going when the signal comes.
    for i in range(1200):
        (folder / f"{i:04}.txt").write_text(f"Acme Corp sold {i} mln tonnes of wheat to Egypt in 1986.\n" * 5)
    proc = subprocess.Popen([sys.executable, "-m", "factx", "extract", "in", "--format", "jsonl", "--jobs", "1"],
                            cwd=tmp_path, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    db = tmp_path / "factx.db"
    deadline = time.monotonic() + 240
    while time.monotonic() < deadline:
        time.sleep(0.1)
        try:
            if sqlite3.connect(db).execute("SELECT count(*) FROM documents").fetchone()[0] > 0:
                break
        except sqlite3.Error:
            continue
    proc.send_signal(signal.SIGINT)
    started = time.monotonic()
    code = proc.wait(timeout=60)
    assert code == 130 and time.monotonic() - started < 5
    stderr = proc.stderr.read()
    assert "interrupted" in stderr and "Traceback" not in stderr
    connection = sqlite3.connect(db)
    assert connection.execute("PRAGMA integrity_check").fetchone() == ("ok",)
    saved = connection.execute("SELECT count(*) FROM documents").fetchone()[0]
    assert 0 < saved < 1200
    # Every saved document is complete: the same facts as a clean run of those files gives.
    stored = dict(connection.execute(
        "SELECT d.doc, count(f.id) FROM documents d LEFT JOIN facts f ON f.document_id = d.id GROUP BY d.id"))
    clean = _factx(["extract", *stored, "--no-store", "--format", "jsonl"], tmp_path, timeout=300)
    docs = [json.loads(line)["doc"] for line in clean.stdout.splitlines()]
    assert stored == {doc: docs.count(doc) for doc in stored}


def test_show_into_head_ends_quietly(tmp_path):
    (tmp_path / "a.txt").write_text("Moscow and Paris and Berlin and Rome.\n" * 50)
    _factx(["extract", "a.txt", "--format", "jsonl"], tmp_path)
    result = subprocess.run(f"{sys.executable} -m factx show --format jsonl | head -1", shell=True,
                            capture_output=True, text=True, cwd=tmp_path)
    assert len(result.stdout.splitlines()) == 1 and result.stderr == ""


def test_a_20_mb_one_line_file_stays_bounded(tmp_path):
    """Segmented processing on a blank pipeline: peak memory, not facts, is the point."""
    code = r"""
import resource, spacy
from factx.pipeline import Extractor, FACTX_PIPES
from factx.sources import source_from_bytes
import factx.components
nlp = spacy.blank("en")
for pipe in FACTX_PIPES:
    nlp.add_pipe(pipe)
extractor = Extractor("blank", nlp=nlp)  # the documented seam for a pipeline built here
line = "the committee met again and the talks went on without any result " * 150 + "Moscow sold 5 tonnes. "
data = (line * (20_000_000 // len(line) + 1)).encode()[:20_000_000]
source = source_from_bytes("big.txt", "big", data)
before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
(result,) = extractor.process_batch([source])
after = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
print(result.error, (after - before) // 1024)
"""
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=600)
    error, grown_mb = result.stdout.split()
    assert error == "None", result.stderr
    assert int(grown_mb) < 600  # the text itself is 20 MB; pieces of 200 kB go through one at a time


@settings(max_examples=200, deadline=None)
@given(st.binary(max_size=300))
def test_reader_never_raises_and_keeps_text_whole(data):
    text, replaced = decode(data)
    try:
        data.removeprefix(b"\xef\xbb\xbf").decode("utf-8")
        valid = True
    except UnicodeDecodeError:
        valid = False
    assert (replaced == 0) == valid  # a count of insertions only when the bytes are not UTF-8
    source = source_from_bytes("x", "x", data)
    assert hasattr(source, "text") == (b"\0" not in data)  # a NUL byte: skipped as binary
    if b"\0" not in data:
        assert source.text == text
        assert 0 <= source.marker_end <= len(source.text)


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=60))
def test_date_marker_never_raises(text):
    found, end = parse_date_marker("date " + text)
    assert 0 <= end <= len("date " + text)
    assert (found is None) == (end == 0)


def test_time_budget_skips_rules_and_says_so(runner, workdir, monkeypatch, seed_facts):
    import factx.components.extensions as extensions
    from factx.cli import main

    monkeypatch.setattr(extensions, "BUDGET_BASE_S", -1.0)  # every document is over budget at once
    monkeypatch.setattr(extensions, "BUDGET_PER_TOKEN_S", 0.0)
    result = runner.invoke(main, ["extract", "seeds/", "--no-store", "--format", "json"])
    assert result.exit_code == 0
    assert "time budget" in result.stderr
    facts = json.loads(result.stdout)
    assert not [fact for fact in facts if fact["type"] in ("date", "money", "quantity")]
    # The budget stops factx's rules only: the model's entities are all still there.
    def entities(found):
        return [(f["doc"].rsplit("/", 1)[-1], f["start"], f["text"]) for f in found if f["type"] == "entity"]
    assert len(entities(seed_facts)) > 10 and entities(facts) == entities(seed_facts)


def test_hostile_web_inputs_as_a_real_process(tmp_path):
    """A page whose title and text carry terminal escapes, an XML bomb as a feed and a WARC
    file cut short: one line each where they fail, nothing a terminal acts on, no traceback."""
    import gzip
    import html

    pages = tmp_path / "in"
    pages.mkdir()
    escaped = html.escape(HOSTILE_TEXT)
    (pages / "hostile.html").write_text(
        f"<html><head><title>{escaped}</title></head><body><article><p>{escaped}</p>"
        f"<p>Acme said it sold 5 mln tonnes of wheat to Egypt in 1986.</p></article></body></html>", encoding="utf-8")
    (tmp_path / "bomb.xml").write_text(
        '<?xml version="1.0"?><!DOCTYPE r [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">'
        '<!ENTITY c "&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;">]><rss version="2.0"><channel><item><link>&c;</link>'
        "</item></channel></rss>", encoding="utf-8")
    (tmp_path / "cut.warc.gz").write_bytes(gzip.compress(b"WARC/1.0\r\nWARC-Type: response\r\nContent-Length: 9999\r\n"))
    result = _factx(["extract", "in/hostile.html", "cut.warc.gz", "--feed", "bomb.xml", "--format", "table"],
                    tmp_path, timeout=300)

    assert result.returncode == 1 and "Traceback" not in result.stderr
    assert any("bomb.xml: cannot read the feed: refused" in line for line in result.stderr.splitlines())
    assert any(line.startswith("factx: cut.warc.gz: ") for line in result.stderr.splitlines())
    assert not any(ch in result.stdout + result.stderr for ch in "\x1b\x07\u202e\x9b")
    listed = _factx(["docs", "--format", "table"], tmp_path, timeout=120)
    assert listed.returncode == 0 and "Acme" in listed.stdout
    assert not any(ch in listed.stdout for ch in "\x1b\x07\u202e\x9b")
    connection = sqlite3.connect(tmp_path / "factx.db")
    rows = connection.execute(
        'SELECT d.text, f.text, f.start, f."end" FROM facts f JOIN documents d ON d.id = f.document_id').fetchall()
    assert rows and all(text[start:end] == fact for text, fact, start, end in rows)
