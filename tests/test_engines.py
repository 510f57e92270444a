"""Engines (issue 9): the same facts from Ray Data and Spark as from a local run.

Tested in local cluster mode only (`ray.init(num_cpus=2)`, Spark `local[2]`) on 20 articles
of ../shared/corpus/reuters-sample/ (read in place, never copied into the repository).
The Ray and Spark tests skip, with the reason, only when their extra is not installed.
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

SAMPLE = ROOT.parent / "shared" / "corpus" / "reuters-sample"
CORPUS = ROOT.parent / "shared" / "corpus" / "reuters21578.jsonl.gz"
ARTICLES = 20
needs_sample = pytest.mark.skipif(not SAMPLE.is_dir(), reason=f"corpus sample not found at {SAMPLE}")


def _installed(module: str) -> bool:
    import importlib.util

    return importlib.util.find_spec(module) is not None


@pytest.fixture(scope="module")
def articles(tmp_path_factory) -> Path:
    """A folder of symlinks to 20 sample articles plus one binary file (a reported skip)."""
    folder = tmp_path_factory.mktemp("engines") / "in"
    folder.mkdir()
    for path in sorted(SAMPLE.glob("*.txt"))[:ARTICLES]:
        (folder / path.name).symlink_to(path)
    (folder / "zz-binary.txt").write_bytes(b"date 1987-01-01\n\0\0 not text")
    return folder


def _cli(args, cwd=None) -> tuple[int, str, str]:
    from click.testing import CliRunner

    result = CliRunner().invoke(main, args, catch_exceptions=False)
    return result.exit_code, result.stdout, result.stderr


def _digest(jsonl: str) -> str:
    lines = sorted(line for line in jsonl.splitlines() if line.strip())
    assert lines
    return hashlib.sha256("\n".join(lines).encode()).hexdigest()


@pytest.fixture(scope="module")
def local(articles, tmp_path_factory) -> dict:
    """The reference: `factx extract --engine local` into a store, and `factx show` of it."""
    db = tmp_path_factory.mktemp("local") / "local.db"
    code, out, err = _cli(["extract", str(articles), "--db", str(db), "--format", "jsonl", "--jobs", "1"])
    assert code == 0, err
    _, shown, _ = _cli(["show", "--db", str(db), "--format", "jsonl"])
    return {"stdout": out, "show": shown, "digest": _digest(shown), "db": db}


def _show(db) -> str:
    code, out, err = _cli(["show", "--db", str(db), "--format", "jsonl"])
    assert code == 0, err
    return out


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


@needs_sample
def test_local_out_parts_import_like_a_local_run_and_reimport_is_a_no_op(articles, local, tmp_path):
    out = tmp_path / "parts"
    code, _, err = _cli(["extract", str(articles), "--out", str(out), "--format", "jsonl"])
    assert code == 0, err
    assert "zz-binary.txt: looks binary" in err and "1 skipped" in err
    db = tmp_path / "imported.db"
    code, _, err = _cli(["import", str(out), "--db", str(db)])
    assert code == 0 and f"{ARTICLES} document(s) imported" in err, err
    assert _show(db) == local["show"]
    before = (db.stat().st_mtime_ns, _documents(db))
    code, _, err = _cli(["import", str(out), "--db", str(db)])
    assert code == 0 and "0 document(s) imported" in err and f"{ARTICLES} unchanged" in err, err
    assert _documents(db) == before[1]


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
    out = tmp_path / "parts"
    code, _, err = _cli(["extract", str(source), "--out", str(out), "--format", "jsonl"])
    assert code == 1 and "not a JSON record" in err and "b: looks binary" in err, err
    assert "1 document(s) read" in err and "1 skipped, 1 failed" in err, err
    facts = [json.loads(line) for part in (out / "facts").glob("*.jsonl") for line in part.read_text().splitlines()]
    assert {(f["doc"], f["text"]) for f in facts} >= {("a", "12.3 bcm"), ("a", "Pakistan")}
    assert {f["doc_date"] for f in facts} == {"2022-02-06"}


# -- Ray -----------------------------------------------------------------------------------

@pytest.fixture(scope="module")
def ray_cluster(tmp_path_factory):
    ray = pytest.importorskip("ray", reason='ray not installed: pip install "factx[ray]"')
    pytest.importorskip("ray.data", reason='ray[data] not installed: pip install "factx[ray]"')
    log = tmp_path_factory.mktemp("loads") / "ray-loads.txt"
    ray.init(num_cpus=2, include_dashboard=False, log_to_driver=False,
             runtime_env={"env_vars": {"FACTX_LOAD_LOG": str(log)}})
    yield log
    ray.shutdown()


@needs_sample
def test_ray_streams_into_the_store_exactly_as_a_local_run(ray_cluster, articles, local, tmp_path):
    ray_cluster.write_text("")
    db = tmp_path / "ray.db"
    code, out, err = _cli(["extract", str(articles), "--engine", "ray", "--workers", "2", "--db", str(db),
                           "--format", "jsonl"])
    assert code == 0, err
    assert "zz-binary.txt: looks binary" in err and "1 skipped" in err, err
    assert out == local["stdout"]  # same order too
    assert _show(db) == local["show"] and _digest(_show(db)) == local["digest"]
    loads = Counter(ray_cluster.read_text().split())
    # Once per worker process, not per batch (7 batches here; an actor Ray restarts is a new process).
    assert 1 <= len(loads) < 7 and set(loads.values()) == {1}, loads


class DiesOnce:
    """Marker path set by the test; the first batch any actor gets kills that actor."""

    marker: str = ""


@needs_sample
def test_ray_out_survives_a_killed_actor_and_parts_import_cleanly(ray_cluster, articles, local, tmp_path):
    import ray.cloudpickle

    from factx.engines import ray_engine
    from factx.engines.records import file_items
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
    items = list(file_items(discover([str(articles)]), None))
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


def _parquet(path):
    import pyarrow.parquet as pq

    return pq.read_table(path).to_pylist()


# -- Spark ---------------------------------------------------------------------------------

@pytest.fixture(scope="module")
def spark(tmp_path_factory):
    pytest.importorskip("pyspark", reason='pyspark not installed: pip install "factx[spark]"')
    if shutil.which("java") is None and not os.environ.get("JAVA_HOME"):
        pytest.skip("Spark needs a Java runtime (apt-get install openjdk-17-jre-headless)")
    from pyspark.sql import SparkSession

    log = tmp_path_factory.mktemp("loads") / "spark-loads.txt"
    os.environ["FACTX_LOAD_LOG"] = str(log)  # the JVM and its Python workers inherit it
    os.environ["PYSPARK_PYTHON"] = sys.executable
    session = (SparkSession.builder.master("local[2]").appName("factx-tests")
               .config("spark.ui.enabled", "false").config("spark.sql.shuffle.partitions", "2").getOrCreate())
    session.sparkContext.setLogLevel("ERROR")
    yield session, log
    session.stop()
    os.environ.pop("FACTX_LOAD_LOG", None)


@needs_sample
def test_spark_extract_facts_equals_a_local_run(spark, articles, local):
    from factx.engines.parts import FACT_FIELDS
    from factx.spark import extract_facts

    session, log = spark
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
    loads = Counter(log.read_text().split())
    assert 1 <= len(loads) <= 2 and set(loads.values()) == {1}, loads  # once per Python worker, 2 tasks


@pytest.mark.skipif(not CORPUS.is_file(), reason=f"corpus not found at {CORPUS}")
def test_ray_reads_jsonl_gz_records_like_a_local_run(ray_cluster, tmp_path):
    source = tmp_path / "news.jsonl.gz"
    with gzip.open(CORPUS, "rt", encoding="utf-8") as lines, gzip.open(source, "wt", encoding="utf-8") as out:
        for _, line in zip(range(12), lines):
            out.write(line)
    parts = {}
    for engine in ("local", "ray"):
        out = tmp_path / engine
        args = ["extract", str(source), "--engine", engine, "--out", str(out), "--format", "jsonl"]
        code, _, err = _cli(args + (["--workers", "2"] if engine == "ray" else []))
        assert code == 0 and "12 document(s) read" in err, err
        parts[engine] = _digest("".join(p.read_text() for p in (out / "facts").glob("*.jsonl")))
    assert parts["ray"] == parts["local"]
