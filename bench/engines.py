#!/usr/bin/env python3
"""Engines benchmark of issue 9: Ray Data and Spark (local mode, 2 workers) beside bare
spaCy `nlp.pipe(n_process=2)` and `factx extract --jobs 2`, on the same texts, in one run.

    python bench/engines.py                  # 200-article sample and 2,000 corpus articles
    python bench/engines.py --articles 500   # a smaller slice of the full corpus
    python bench/engines.py --json out.json  # also write the figures as JSON

Inputs: ../shared/corpus/reuters-sample/ (200 files), and the first N articles of
../shared/corpus/reuters21578.jsonl.gz written out (untimed, into a temporary folder, never
into the repository) as one `date` marker + title + body file each, as bench/speed.py does.
Every measurement reads the same texts; characters are Python `str` code points.

  bare1   `nlp.pipe(texts)` in this process, model loaded, texts in memory (per-core rate)
  bare2   `nlp.pipe(texts, n_process=2)`, same (the reference of every ratio)
  jobs2   `factx extract DIR --jobs 2 --no-store --format jsonl` as a subprocess: end to
          end, start-up and the two worker processes' model loads included
  ray     `factx.engines.ray_engine.run` over the folder's files, `ray.init(num_cpus=2)`
          done once before (its time reported as start-up), 2 actors; each run builds its
          actor pool, so actor start and model load are inside every run; rows (facts and
          text) streamed back to the driver. Run 1 and run 2 are reported; run 2 is the ratio.
  spark   `factx.spark.extract_facts` on a DataFrame of the texts in 2 partitions,
          `local[2]`, session started once before; `.collect()`. Python worker reuse keeps
          the model across runs, so run 2 has no model load (run 1 has it).
  ray8    ray with batches of 8 instead of 64 (sample only): per-batch overhead

Ratio = chars/s of the row / chars/s of bare2. All facts counts are printed so that the
engines can be seen to produce the same facts as jobs2.
"""

from __future__ import annotations

import argparse
import gzip
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
CORPUS = REPO.parent / "shared" / "corpus"
SAMPLE = CORPUS / "reuters-sample"
FULL = CORPUS / "reuters21578.jsonl.gz"


def write_articles(count: int, folder: Path) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    with gzip.open(FULL, "rt", encoding="utf-8") as lines:
        for number, line in enumerate(lines):
            if number >= count:
                break
            article = json.loads(line)
            text = f"date {article['date']}\n{article['title']}\n\n{article['body']}\n"
            (folder / f"{article['id']}.txt").write_text(text, encoding="utf-8")
    return folder


def texts_of(folder: Path) -> list[tuple[str, str]]:
    return [(str(path), path.read_text(encoding="utf-8")) for path in sorted(folder.glob("*.txt"))]


def timed(function):
    start = time.perf_counter()
    result = function()
    return time.perf_counter() - start, result


def bare(nlp, texts: list[str], n_process: int) -> float:
    def go():
        for _ in nlp.pipe(texts, n_process=n_process, batch_size=64):
            pass
    return timed(go)[0]


def jobs2(folder: Path, model: str) -> tuple[float, int]:
    factx = Path(sys.executable).with_name("factx")
    start = time.perf_counter()
    out = subprocess.run([str(factx), "extract", str(folder), "--jobs", "2", "--no-store", "--format", "jsonl",
                          "--model", model], capture_output=True, text=True, check=True)
    return time.perf_counter() - start, out.stdout.count("\n")


def ray_run(folder: Path, model: str, batch_size: int = 64) -> tuple[float, int]:
    from factx.engines import ray_engine
    from factx.sources import discover

    _, items, _ = ray_engine.plan(discover([str(folder)]))

    def go():
        return sum(len(json.loads(row["facts"])) for row in
                   ray_engine.run(items, [], model=model, workers=2, batch_size=batch_size))
    return timed(go)


def spark_run(spark, pairs, model: str) -> tuple[float, int]:
    from factx.spark import extract_facts

    df = spark.createDataFrame([{"doc": doc, "text": text} for doc, text in pairs]).repartition(2).cache()
    df.count()  # the texts are in the executors before the clock starts

    def go():
        return extract_facts(df, model=model).where("error IS NULL").count()
    return timed(go)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--articles", type=int, default=2000)
    parser.add_argument("--skip-bare1", action="store_true", help="leave out the single-process rate")
    parser.add_argument("--json", type=Path)
    args = parser.parse_args()

    os.environ.setdefault("PYSPARK_PYTHON", sys.executable)
    import spacy

    from factx.pipeline import find_model

    model = find_model(None)
    t_load, nlp = timed(lambda: spacy.load(model))
    import ray
    t_ray, _ = timed(lambda: ray.init(num_cpus=2, include_dashboard=False, log_to_driver=False))
    from pyspark.sql import SparkSession
    t_spark, spark = timed(lambda: SparkSession.builder.master("local[2]").config("spark.ui.enabled", "false")
                           .config("spark.driver.memory", "2g").getOrCreate())
    spark.sparkContext.setLogLevel("ERROR")
    results: dict = {"model": model, "model_load_s": t_load, "ray_init_s": t_ray, "spark_session_s": t_spark,
                     "cpus": os.cpu_count(), "corpora": {}}
    print(f"model load {t_load:.2f} s; ray.init {t_ray:.2f} s; SparkSession {t_spark:.2f} s", flush=True)

    with tempfile.TemporaryDirectory() as work:
        corpora = [("sample-200", SAMPLE), (f"corpus-{args.articles}", write_articles(args.articles, Path(work) / "c"))]
        for name, folder in corpora:
            pairs = texts_of(folder)
            texts = [text for _, text in pairs]
            chars = sum(map(len, texts))
            row: dict = {"docs": len(texts), "chars": chars}
            if not args.skip_bare1:
                row["bare1"] = {"s": bare(nlp, texts, 1)}
            row["bare2"] = {"s": bare(nlp, texts, 2)}
            seconds, facts = jobs2(folder, model)
            row["jobs2"] = {"s": seconds, "facts": facts}
            for run in (1, 2):
                seconds, facts = ray_run(folder, model)
                row[f"ray_run{run}"] = {"s": seconds, "facts": facts}
            for run in (1, 2):
                seconds, facts = spark_run(spark, pairs, model)
                row[f"spark_run{run}"] = {"s": seconds, "facts": facts}
            if name.startswith("sample"):
                seconds, facts = ray_run(folder, model, batch_size=8)
                row["ray8"] = {"s": seconds, "facts": facts}
            reference = chars / row["bare2"]["s"]
            for key, value in row.items():
                if isinstance(value, dict):
                    value["chars_per_s"] = chars / value["s"]
                    value["ratio_vs_bare2"] = value["chars_per_s"] / reference
            results["corpora"][name] = row
            print(f"\n{name}: {len(texts)} docs, {chars:,} chars", flush=True)
            print(f"{'':12} {'seconds':>8} {'chars/s':>9} {'ratio':>6} {'facts':>7}")
            for key, value in row.items():
                if isinstance(value, dict):
                    print(f"{key:12} {value['s']:8.2f} {value['chars_per_s']:9,.0f} {value['ratio_vs_bare2']:6.2f}"
                          f" {value.get('facts', ''):>7}", flush=True)
    spark.stop()
    ray.shutdown()
    if args.json:
        args.json.write_text(json.dumps(results, indent=2))


if __name__ == "__main__":
    main()
