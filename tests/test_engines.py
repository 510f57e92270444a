"""Engines: the same facts from every driver — local, `--jobs 2`, `--out` + `factx import`,
Ray Data and Spark — on the short articles of tests/articles/ (written for the tests) plus
one binary file (a reported skip). Runs on a fresh clone: no corpus needed.

Tested in local cluster mode only (`ray.init(num_cpus=2)`, Spark `local[2]`). The Ray and
Spark tests skip, with the reason, only when their extra is not installed.

Model loads are counted in every worker process through a test seam, not production code:
`count_loads` puts a `sitecustomize.py` on the workers' PYTHONPATH that wraps
`factx.pipeline.build_nlp` (the one place a model is built) and logs the process id.
"""

from __future__ import annotations

import gzip
import hashlib
import json
import os
import shutil
import subprocess
import sys
from collections import Counter
from pathlib import Path

import pytest

from conftest import ROOT, SEEDS
from factx.cli import main

ARTICLES_DIR = ROOT / "tests" / "articles"
ARTICLES = len(list(ARTICLES_DIR.glob("*.txt")))

LOAD_COUNTER = """\
import os

_log = os.environ.get("FACTX_TEST_LOAD_LOG")
if _log:
    import factx.pipeline as _pipeline

    _build = _pipeline.build_nlp

    def _counted(model):
        with open(_log, "a", encoding="utf-8") as handle:
            handle.write(f"{os.getpid()}\\n")
        return _build(model)

    _pipeline.build_nlp = _counted
"""


@pytest.fixture(scope="module")
def count_loads(tmp_path_factory):
    """Every Python process started from here on logs each model load (its pid) to a file."""
    folder = tmp_path_factory.mktemp("load-counter")
    (folder / "sitecustomize.py").write_text(LOAD_COUNTER, encoding="utf-8")
    log = folder / "loads.txt"
    saved = {name: os.environ.get(name) for name in ("PYTHONPATH", "FACTX_TEST_LOAD_LOG")}
    os.environ["PYTHONPATH"] = os.pathsep.join(filter(None, [str(folder), saved["PYTHONPATH"]]))
    os.environ["FACTX_TEST_LOAD_LOG"] = str(log)
    yield log
    for name, value in saved.items():
        if value is None:
            os.environ.pop(name, None)
        else:
            os.environ[name] = value


def _loads(log: Path) -> Counter:
    return Counter(log.read_text().split()) if log.exists() else Counter()


@pytest.fixture(scope="module")
def articles(tmp_path_factory) -> Path:
    """The test articles plus one binary file (a reported skip)."""
    folder = tmp_path_factory.mktemp("engines") / "in"
    shutil.copytree(ARTICLES_DIR, folder, ignore=shutil.ignore_patterns("*.md"))
    (folder / "zz-binary.txt").write_bytes(b"date 1987-01-01\n\0\0 not text")
    return folder


@pytest.fixture(scope="module")
def records(articles, tmp_path_factory) -> Path:
    """The same articles as JSON-lines records in a .jsonl.gz, with ids and no date field."""
    path = tmp_path_factory.mktemp("records") / "news.jsonl.gz"
    with gzip.open(path, "wt", encoding="utf-8") as handle:
        for article in sorted(ARTICLES_DIR.glob("*.txt")):
            handle.write(json.dumps({"id": article.stem, "body": article.read_text(encoding="utf-8")}) + "\n")
    return path


def _cli(args) -> tuple[int, str, str]:
    from click.testing import CliRunner

    result = CliRunner().invoke(main, args, catch_exceptions=False)
    return result.exit_code, result.stdout, result.stderr


def _digest(jsonl: str) -> str:
    lines = sorted(line for line in jsonl.splitlines() if line.strip())
    assert lines
    return hashlib.sha256("\n".join(lines).encode()).hexdigest()


@pytest.fixture(scope="module")
def local(articles, tmp_path_factory) -> dict:
    """The reference: `factx extract --jobs 1` into a store, and `factx show` of it."""
    db = tmp_path_factory.mktemp("local") / "local.db"
    code, out, err = _cli(["extract", str(articles), "--db", str(db), "--format", "jsonl", "--jobs", "1"])
    assert code == 0, err
    _, shown, _ = _cli(["show", "--db", str(db), "--format", "jsonl"])
    types = {json.loads(line)["type"] for line in shown.splitlines()}
    assert types == {"entity", "date", "money", "quantity"}  # the fixture exercises every fact type
    return {"stdout": out, "show": shown, "digest": _digest(shown), "db": db}


def _show(db) -> str:
    code, out, err = _cli(["show", "--db", str(db), "--format", "jsonl"])
    assert code == 0, err
    return out


def _without_doc(jsonl: str) -> list[dict]:
    """Facts with the document's name left out, in a fixed order."""
    facts = [{**json.loads(line), "doc": None} for line in jsonl.splitlines() if line.strip()]
    return sorted(facts, key=lambda fact: json.dumps(fact, sort_keys=True))


# -- no engine needed --------------------------------------------------------------------

def test_help_and_local_runs_never_import_engines(tmp_path):
    child = (
        "import sys\n"
        "from factx.cli import main\n"
        "for args in (['--help'], ['extract', '--help'], ['import', '--help'],\n"
        f"             ['extract', {str(SEEDS)!r}, '--no-store', '--format', 'jsonl', '--jobs', '1']):\n"
        "    try:\n"
        "        main(args, standalone_mode=False)\n"
        "    except SystemExit:\n"
        "        pass\n"
        "print('LOADED', sorted(m for m in ('ray', 'pyspark', 'pyarrow', 'pandas') if m in sys.modules))\n"
    )
    result = subprocess.run([sys.executable, "-c", child], capture_output=True, text=True, cwd=tmp_path)
    assert "LOADED []" in result.stdout, result.stdout[-500:] + result.stderr[-2000:]


@pytest.mark.parametrize("module, call, extra", [
    ("ray", "main(['extract', '--engine', 'ray', SEEDS, '--no-store'])", "ray"),
    ("pyspark", "__import__('factx.spark').spark.extract_facts(None)", "spark"),
])
def test_missing_extra_is_one_line_naming_pip_install(module, call, extra, tmp_path):
    child = (f"import sys\nsys.modules[{module!r}] = None  # as if not installed\nSEEDS = {str(SEEDS)!r}\n"
             "from factx.cli import _run, main\n"
             f"_run(lambda: ({call}) and None)\n")
    result = subprocess.run([sys.executable, "-c", child], capture_output=True, text=True, cwd=tmp_path)
    assert result.returncode == 1, result.stderr
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and f'pip install "factx[{extra}]"' in lines[0], result.stderr


def test_jobs_2_stores_exactly_what_one_process_stores(articles, local, tmp_path):
    db = tmp_path / "jobs.db"
    code, out, err = _cli(["extract", str(articles), "--db", str(db), "--format", "jsonl", "--jobs", "2"])
    assert code == 0 and "zz-binary.txt: looks binary" in err, err
    assert out == local["stdout"] and _show(db) == local["show"]


def test_local_out_parts_import_like_a_local_run_and_reimport_is_a_no_op(articles, local, tmp_path):
    out = tmp_path / "parts"
    code, stdout, err = _cli(["extract", str(articles), "--out", str(out), "--format", "jsonl"])
    assert code == 0 and stdout == "", err
    assert "zz-binary.txt: looks binary" in err and "1 skipped" in err
    db = tmp_path / "imported.db"
    code, _, err = _cli(["import", str(out), "--db", str(db)])
    assert code == 0 and f"{ARTICLES} document(s) imported" in err, err
    assert _show(db) == local["show"]
    before = _documents(db)
    code, _, err = _cli(["import", str(out), "--db", str(db)])
    assert code == 0 and "0 document(s) imported" in err and f"{ARTICLES} unchanged" in err, err
    assert _documents(db) == before


def test_records_give_the_facts_their_articles_give_as_files(records, local):
    """One reader: a JSON-lines record is checked and processed like the same text in a file."""
    code, out, err = _cli(["extract", str(records), "--no-store", "--format", "jsonl"])
    assert code == 0 and f"{ARTICLES} document(s) read" in err, err
    assert {json.loads(line)["doc"] for line in out.splitlines()} == {p.stem for p in ARTICLES_DIR.glob("*.txt")}
    assert _without_doc(out) == _without_doc(local["stdout"])


def _documents(db) -> list:
    import sqlite3

    connection = sqlite3.connect(db)
    rows = connection.execute("SELECT key, sha256, extracted_at, (SELECT count(*) FROM facts) FROM documents"
                              " ORDER BY key").fetchall()
    connection.close()
    return rows


def test_import_refuses_other_versions_unless_forced(tmp_path):
    out = tmp_path / "parts"
    code, _, err = _cli(["extract", str(SEEDS), "--out", str(out), "--format", "jsonl"])
    assert code == 0, err
    for part in out.rglob("*.jsonl"):
        rows = [json.loads(line) for line in part.read_text().splitlines()]
        part.write_text("".join(json.dumps({**row, "factx_version": "0.0.1"}) + "\n" for row in rows))
    db = tmp_path / "x.db"
    code, _, err = _cli(["import", str(out), "--db", str(db)])
    assert code == 1 and "made by factx 0.0.1" in err and "--force" in err, err
    code, _, err = _cli(["import", str(out), "--db", str(db), "--force"])
    assert code == 0 and "2 document(s) imported" in err, err


def test_jsonl_records_in_and_failing_records_are_reported_skips(tmp_path):
    source = tmp_path / "news.jsonl.gz"
    with gzip.open(source, "wt", encoding="utf-8") as handle:
        handle.write(json.dumps({"id": "a", "date": "2022-02-06", "body": "Pakistan will import 12.3 bcm of gas."}) + "\n")
        handle.write("{not json\n")
        handle.write(json.dumps({"id": "b", "text": "bad\u0000bytes"}) + "\n")
        handle.write(json.dumps({"id": "c", "date": "2022-02-31", "text": "A bad date."}) + "\n")
        handle.write(json.dumps({"id": "d", "text": "x" * 100}) + "\n")
    out = tmp_path / "parts"
    code, _, err = _cli(["extract", str(source), "--out", str(out), "--format", "jsonl", "--max-bytes", "99"])
    assert code == 1 and "news.jsonl.gz:2: not a JSON record" in err and "b: looks binary" in err, err
    assert "c: record date '2022-02-31' is not YYYY-MM-DD" in err and "d: 100 bytes is over --max-bytes" in err
    assert "1 document(s) read" in err and "2 skipped, 2 failed" in err, err
    facts = [json.loads(line) for part in (out / "facts").glob("*.jsonl") for line in part.read_text().splitlines()]
    assert {(f["doc"], f["text"]) for f in facts} >= {("a", "12.3 bcm"), ("a", "Pakistan")}
    assert {f["doc_date"] for f in facts} == {"2022-02-06"}


def test_a_uri_is_read_by_ray_only(tmp_path):
    code, _, err = _cli(["extract", "s3://bucket/news/", "--no-store"])
    assert code == 1 and "s3://bucket/news/: URIs are read by --engine ray only" in err, err


def test_the_reader_table_is_the_one_place_an_input_kind_is_added(tmp_path, monkeypatch):
    """A new kind plugs in through sources.KINDS and READERS; the drivers are not touched."""
    from factx import sources

    def shouting(entry, max_bytes):
        yield sources.source_from_bytes(entry.doc, str(entry.path), entry.path.read_bytes().upper(), max_bytes)

    monkeypatch.setattr(sources, "KINDS", [("shout", lambda name: name.endswith(".shout")), *sources.KINDS])
    monkeypatch.setitem(sources.READERS, "shout", shouting)
    (tmp_path / "a.shout").write_text("Acme sold 5 tonnes of wheat in 1986.")
    code, out, err = _cli(["extract", str(tmp_path / "a.shout"), "--no-store", "--format", "jsonl"])
    assert code == 0, err
    assert "ACME SOLD 5 TONNES OF WHEAT IN 1986." in {json.loads(line)["sentence"] for line in out.splitlines()}


# -- Ray -----------------------------------------------------------------------------------

@pytest.fixture(scope="module")
def ray_cluster(count_loads):
    ray = pytest.importorskip("ray", reason='ray not installed: pip install "factx[ray]"')
    pytest.importorskip("ray.data", reason='ray[data] not installed: pip install "factx[ray]"')
    ray.init(num_cpus=2, include_dashboard=False, log_to_driver=False)
    yield count_loads
    ray.shutdown()


def test_ray_streams_into_the_store_exactly_as_a_local_run(ray_cluster, articles, local, tmp_path):
    ray_cluster.write_text("")
    db = tmp_path / "ray.db"
    code, out, err = _cli(["extract", str(articles), "--engine", "ray", "--workers", "2", "--db", str(db),
                           "--format", "jsonl"])
    assert code == 0, err
    assert "zz-binary.txt: looks binary" in err and "1 skipped" in err, err
    assert out == local["stdout"]  # same order too
    assert _show(db) == local["show"] and _digest(_show(db)) == local["digest"]
    loads = _loads(ray_cluster)
    # Once per worker process, not per batch (5 batches here; an actor Ray restarts is a new process).
    assert 1 <= len(loads) <= 3 and set(loads.values()) == {1}, loads


def test_ray_out_survives_a_killed_actor_and_parts_import_cleanly(ray_cluster, articles, local, tmp_path):
    import ray.cloudpickle

    from factx.engines import ray_engine
    from factx.pipeline import find_model
    from factx.sources import discover

    class Dying(ray_engine.RayExtract):
        marker = str(tmp_path / "died")

        def __call__(self, batch):
            if not os.path.exists(self.marker):
                Path(self.marker).touch()
                os._exit(1)  # the actor process dies mid-batch
            return super().__call__(batch)

    ray.cloudpickle.register_pickle_by_value(sys.modules[__name__])
    out = tmp_path / "parts"
    _, items, _ = ray_engine.plan(discover([str(articles)]))
    rows = list(ray_engine.run(items, [], model=find_model(None), workers=2, out=str(out), udf=Dying))
    assert (tmp_path / "died").exists()
    assert sorted(row["doc"] for row in rows) == sorted(item["doc"] for item in items)  # each once
    parts = sorted(p.name for p in (out / "documents").glob("part-*.parquet"))
    assert parts == sorted(p.name for p in (out / "facts").glob("part-*.parquet"))
    docs = Counter(row["doc"] for part in parts for row in _parquet(out / "documents" / part))
    assert set(docs.values()) == {1} and len(docs) == ARTICLES + 1  # no loss, no duplicate
    db = tmp_path / "imported.db"
    code, _, err = _cli(["import", str(out), "--db", str(db)])
    assert code == 0 and f"{ARTICLES} document(s) imported" in err, err
    assert _digest(_show(db)) == local["digest"]
    code, _, err = _cli(["import", str(out), "--db", str(db)])
    assert "0 document(s) imported" in err and f"{ARTICLES} unchanged" in err, err


def test_ray_reads_jsonl_gz_records_like_a_local_run(ray_cluster, records, tmp_path):
    parts = {}
    for engine in ("local", "ray"):
        out = tmp_path / engine
        args = ["extract", str(records), "--engine", engine, "--out", str(out), "--format", "jsonl"]
        code, _, err = _cli(args + (["--workers", "2"] if engine == "ray" else []))
        assert code == 0 and f"{ARTICLES} document(s) read" in err, err
        parts[engine] = _digest("".join(p.read_text() for p in (out / "facts").glob("*.jsonl")))
    assert parts["ray"] == parts["local"]


def _parquet(path):
    import pyarrow.parquet as pq

    return pq.read_table(path).to_pylist()


# -- Spark ---------------------------------------------------------------------------------

@pytest.fixture(scope="module")
def spark(count_loads):
    pytest.importorskip("pyspark", reason='pyspark not installed: pip install "factx[spark]"')
    if shutil.which("java") is None and not os.environ.get("JAVA_HOME"):
        pytest.skip("Spark needs a Java runtime (apt-get install openjdk-17-jre-headless)")
    from pyspark.sql import SparkSession

    os.environ["PYSPARK_PYTHON"] = sys.executable  # the JVM and its Python workers inherit the environment
    session = (SparkSession.builder.master("local[2]").appName("factx-tests")
               .config("spark.ui.enabled", "false").config("spark.sql.shuffle.partitions", "2").getOrCreate())
    session.sparkContext.setLogLevel("ERROR")
    yield session, count_loads
    session.stop()


def test_spark_extract_facts_equals_a_local_run(spark, articles, local):
    from factx.engines.parts import FACT_FIELDS
    from factx.spark import extract_facts

    session, log = spark
    log.write_text("")
    rows = [{"doc": str(articles / path.name), "body": path.read_bytes().decode("utf-8", "replace")}
            for path in sorted(articles.glob("*.txt"))]
    df = session.createDataFrame(rows).repartition(2)
    result = [row.asDict() for row in extract_facts(df, text_col="body").collect()]
    errors = [row for row in result if row["error"]]
    assert [row["doc"] for row in errors] == [str(articles / "zz-binary.txt")]
    assert "looks binary" in errors[0]["error"]
    facts = []
    for row in result:
        if not row["error"]:
            fact = {name: row[name] for name in FACT_FIELDS}
            fact["value"] = json.loads(fact["value"])
            fact["when"] = json.loads(fact["when"]) if fact["when"] else None
            facts.append(json.dumps(fact, ensure_ascii=False))
    assert _digest("\n".join(facts)) == local["digest"]
    loads = _loads(log)
    assert 1 <= len(loads) <= 2 and set(loads.values()) == {1}, loads  # once per Python worker, 2 tasks


# -- web pages and WARC files through the engines --------------------------------------------

@pytest.fixture(scope="module")
def web_inputs(tmp_path_factory) -> dict:
    """A saved page and a WARC file of two pages, with the local run's facts as reference."""
    from test_web_inputs import ARTICLE, UNDATED, write_warc

    folder = tmp_path_factory.mktemp("web")
    (folder / "saved.html").write_bytes(UNDATED)
    write_warc(folder / "crawl.warc.gz", [("https://ledger.example/port", ARTICLE),
                                          ("https://ledger.example/mill", UNDATED)])
    code, out, err = _cli(["extract", str(folder / "saved.html"), str(folder / "crawl.warc.gz"), "--no-store",
                           "--format", "jsonl", "--jobs", "1"])
    assert code == 0, err
    assert {json.loads(line)["doc"] for line in out.splitlines()} == {
        str(folder / "saved.html"), "https://ledger.example/port", "https://ledger.example/mill"}
    return {"folder": folder, "stdout": out}


def test_ray_reads_html_files_and_warc_files_like_a_local_run(ray_cluster, web_inputs, tmp_path):
    folder = web_inputs["folder"]
    db = tmp_path / "ray.db"
    code, out, err = _cli(["extract", str(folder / "saved.html"), str(folder / "crawl.warc.gz"), "--engine", "ray",
                           "--workers", "2", "--db", str(db), "--format", "jsonl"])
    assert code == 0, err
    assert _digest(out) == _digest(web_inputs["stdout"])
    _, listed, _ = _cli(["docs", "--db", str(db), "--format", "json"])
    titles = {row["doc"]: (row["title"], row["url"]) for row in json.loads(listed)}
    assert titles["https://ledger.example/mill"] == ("Paper Mill Closes", "https://ledger.example/mill")


def test_spark_reads_warc_pages_into_the_facts_a_local_run_gives(spark, web_inputs):
    from factx.engines.parts import FACT_FIELDS
    from factx.spark import extract_facts, warc_pages

    session, _ = spark
    folder = web_inputs["folder"]
    pages = warc_pages(session, [str(folder / "crawl.warc.gz")])
    listed = {row["doc"]: row.asDict() for row in pages.collect()}
    assert set(listed) == {"https://ledger.example/port", "https://ledger.example/mill"}
    assert listed["https://ledger.example/port"]["date"] == "2023-03-14"
    assert listed["https://ledger.example/mill"]["title"] == "Paper Mill Closes"
    rows = extract_facts(pages.where("error IS NULL"), date_col="date").collect()
    facts = []
    for row in rows:
        fact = {name: row[name] for name in FACT_FIELDS}
        fact["value"] = json.loads(fact["value"])
        fact["when"] = json.loads(fact["when"]) if fact["when"] else None
        facts.append(json.dumps(fact, ensure_ascii=False))
    expected = [line for line in web_inputs["stdout"].splitlines() if json.loads(line)["doc"].startswith("https:")]
    assert _digest("\n".join(facts)) == _digest("\n".join(expected))
