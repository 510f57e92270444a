"""Reading documents: markers, encodings, binary files and path discovery."""

from __future__ import annotations

import os
from datetime import date

import pytest

from factx.sources import Problem, Source, decode, discover, display_path, parse_date_marker, read_source


@pytest.mark.parametrize(
    ("text", "expected", "end"),
    [
        ("date 2022-02-06\nText", date(2022, 2, 6), 15),
        (" date 2022-02-06 Prime Minister", date(2022, 2, 6), 17),
        ("date 2022-02-06", date(2022, 2, 6), 15),
        ("\tdate   2021-12-31  body", date(2021, 12, 31), 20),
        ("date 2022-13-45 body", None, 0),  # not a calendar date: plain text
        ("The date 2022-02-06 was", None, 0),  # only at the very start
        ("date 2022-02-067", None, 0),
    ],
)
def test_date_marker(text, expected, end):
    assert parse_date_marker(text) == (expected, end)


def test_decode_drops_bom_keeps_crlf_and_counts_replacements():
    assert decode(b"\xef\xbb\xbfa\r\nb") == ("a\r\nb", 0)
    text, replaced = decode("caf\u00e9 \ufffd".encode("utf-8")[:-4] + b"\xe9 x")
    assert replaced >= 1 and "\ufffd" in text
    # A replacement character that was in the file is not counted as a decoding error.
    assert decode("ok \ufffd".encode() + b"\xff") == ("ok \ufffd\ufffd", 1)


def test_read_source_latin1_binary_and_empty(tmp_path):
    latin = tmp_path / "latin.txt"
    latin.write_bytes("Zürich costs 5 francs".encode("latin-1"))
    source = read_source("latin.txt", latin)
    assert isinstance(source, Source) and source.notes and "\ufffd" in source.text
    binary = tmp_path / "blob.txt"
    binary.write_bytes(b"PK\x03\x04\x00\x00 binary")
    problem = read_source("blob.txt", binary)
    assert isinstance(problem, Problem) and not problem.error and "binary" in problem.message
    empty = tmp_path / "empty.txt"
    empty.write_bytes(b"")
    assert read_source("empty.txt", empty).text == ""


def test_read_source_reports_unreadable_and_oversize(tmp_path):
    folder = tmp_path / "dir.txt"
    folder.mkdir()
    problem = read_source("dir.txt", folder)
    assert isinstance(problem, Problem) and problem.error
    big = tmp_path / "big.txt"
    big.write_text("x" * 100)
    problem = read_source("big.txt", big, max_bytes=10)
    assert isinstance(problem, Problem) and not problem.error and "max-bytes" in problem.message


def test_display_path_normalizes_spelling():
    assert display_path("./seeds/a.txt") == display_path("seeds//a.txt") == "seeds/a.txt"


def test_discover_sorts_dedupes_and_filters(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "in" / "sub").mkdir(parents=True)
    (tmp_path / "in" / "b.txt").write_text("b")
    (tmp_path / "in" / "sub" / "a.txt").write_text("a")
    (tmp_path / "in" / "notes.md").write_text("m")
    entries = discover(["./in", "in/b.txt", "missing.txt", "-"])
    assert [e.doc for e in entries] == ["-", "in/b.txt", "in/sub/a.txt", "missing.txt"]
    assert entries[-1].problem
    assert [e.doc for e in discover(["in"], pattern="*.md")] == ["in/notes.md"]


def test_discover_cuts_symlink_loops(tmp_path):
    (tmp_path / "a").mkdir()
    (tmp_path / "a" / "x.txt").write_text("x")
    os.symlink(tmp_path, tmp_path / "a" / "loop")
    assert [e.doc for e in discover([str(tmp_path / "a")])] == [str(tmp_path / "a" / "x.txt")]
    followed = discover([str(tmp_path / "a")], follow_links=True)
    assert len(followed) == 1  # the same file reached twice is one document


def test_records_are_checked_like_files():
    from factx.sources import source_from_json_line, source_from_record

    source = source_from_record({"id": 7, "body": "\ufeffdate 2022-02-06\nText", "date": "2021-01-02T10:00:00Z",
                                 "url": "https://example.com/a", "title": "A"}, "news.jsonl:1")
    assert isinstance(source, Source)
    assert (source.doc, source.key, source.text) == ("7", "7", "date 2022-02-06\nText")  # BOM dropped
    assert source.doc_date == date(2021, 1, 2) and source.marker_date == date(2022, 2, 6)  # the record's date wins
    assert (source.url, source.title) == ("https://example.com/a", "A")
    assert source_from_record({"text": "no id"}, "news.jsonl:3").doc == "news.jsonl:3"
    skipped = source_from_record({"id": "b", "text": "x" * 20}, "-", max_bytes=10)
    assert isinstance(skipped, Problem) and not skipped.error and "max-bytes" in skipped.message
    binary = source_from_record({"id": "c", "text": "a\0b"}, "-")
    assert isinstance(binary, Problem) and not binary.error and "binary" in binary.message
    for bad in ('{"id": "d"}', '{"id": "e", "text": 5}', "[1, 2]", "{oops", '{"id": "f", "text": "", "date": "2022-02-30"}'):
        problem = source_from_json_line(bad, "news.jsonl:9")
        assert isinstance(problem, Problem) and problem.error, bad
    lone = source_from_record({"id": "g", "text": "a\ud800b"}, "-")  # not encodable: replaced, with a note
    assert lone.text == "a\ufffd\ufffd\ufffdb" and lone.notes


def test_each_input_is_read_by_the_reader_of_its_kind(tmp_path):
    import gzip
    import json

    from factx.sources import read_entries

    (tmp_path / "a.txt").write_text("date 2020-01-01\nA.")
    with gzip.open(tmp_path / "b.jsonl.gz", "wt") as handle:
        handle.write(json.dumps({"id": "b1", "text": "B one."}) + "\n\n" + json.dumps({"id": "b2", "text": "B two."}) + "\n")
    os.mkfifo(tmp_path / "c.jsonl")  # not a regular file: reading it would block
    entries = discover([str(tmp_path / "a.txt"), str(tmp_path / "b.jsonl.gz"), str(tmp_path / "c.jsonl"),
                        "s3://bucket/x.jsonl"])
    assert [entry.kind for entry in entries] == ["uri", "text", "records", "records"]
    reads = list(read_entries(entries, doc_date=date(1999, 9, 9)))
    assert [read.doc for read in reads] == ["s3://bucket/x.jsonl", str(tmp_path / "a.txt"), "b1", "b2",
                                           str(tmp_path / "c.jsonl")]
    assert [type(read).__name__ for read in reads] == ["Problem", "Source", "Source", "Source", "Problem"]
    assert {read.doc_date for read in reads if isinstance(read, Source)} == {date(1999, 9, 9)}  # --doc-date wins
