"""Part files: what `--out DIR` writes and `factx import` reads.

Layout (one pair per batch, same name in both folders):

    DIR/facts/part-<id>.parquet|jsonl       one row per fact
    DIR/documents/part-<id>.parquet|jsonl   one row per document (written second: the
                                            pair's commit mark)

`<id>` is a digest of the batch's document keys and hashes, so an engine that retries a
batch rewrites the same pair instead of adding a second one; each file is written under a
temporary name and renamed. Fact rows carry the contract's fields with `start`, `end`,
`sentence_start` and `fact_index` as integers; in Parquet `value` and `when` are JSON
strings (their keys vary by type), in JSONL they are objects. Every row also carries
`key`, `sha256`, `doc_date`, `model`, `model_version` and `factx_version`.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from factx.batch import META_FIELDS, DocumentResult, fact_rows, json_cell, meta
from factx.facts import FRAME_KEYS

FORMATS = ("parquet", "jsonl")
FACT_FIELDS = ("doc", "type", "label", "text", "start", "end", "sentence", "sentence_start", "value",
               "subject", "about", "when", "qualifier", *FRAME_KEYS)
FACT_COLUMNS = (*FACT_FIELDS, "fact_index", *META_FIELDS)
DOCUMENT_COLUMNS = ("doc", *META_FIELDS, "text", "status", "message", "facts")
_INTS = {"start", "end", "sentence_start", "fact_index", "facts"}
_JSON = {"value", "when"}


def fact_schema():
    """The Parquet / Arrow schema of a fact row (also the Spark API's columns)."""
    import pyarrow as pa

    return pa.schema([(name, pa.int64() if name in _INTS else pa.string()) for name in FACT_COLUMNS])


def document_schema():
    import pyarrow as pa

    return pa.schema([(name, pa.int64() if name in _INTS else pa.string()) for name in DOCUMENT_COLUMNS])


def part_id(results: list[DocumentResult]) -> str:
    digest = hashlib.sha256()
    for result in results:
        made = result.provenance
        line = f"{result.key}\0{made.sha256 if made else None}\0{made.doc_date if made else None}\n"
        digest.update(line.encode("utf-8", "surrogatepass"))
    return digest.hexdigest()[:24]


def document_row(result: DocumentResult) -> dict[str, Any]:
    return {"doc": result.doc, **meta(result), "text": result.text, "status": result.status,
            "message": result.message, "facts": len(result.facts) if result.status == "ok" else 0}


def write_parts(results: list[DocumentResult], out: str, fmt: str = "parquet") -> str:
    """Write one batch's documents and facts under `out`; returns the part id."""
    ident = part_id(results)
    facts = [{name: row.get(name) for name in FACT_COLUMNS} for result in results if result.status == "ok"
             for row in fact_rows(result)]
    documents = [document_row(result) for result in results]
    _write(f"{out.rstrip('/')}/facts/part-{ident}.{fmt}", facts, fmt, fact_schema if fmt == "parquet" else None)
    _write(f"{out.rstrip('/')}/documents/part-{ident}.{fmt}", documents, fmt,
           document_schema if fmt == "parquet" else None)
    return ident


def _encode(rows: list[dict[str, Any]], fmt: str, schema) -> bytes:
    if fmt == "jsonl":
        return "".join(json.dumps(row, ensure_ascii=False) + "\n" for row in rows).encode("utf-8", "surrogatepass")
    import pyarrow as pa
    import pyarrow.parquet as pq

    columns = {name: [json_cell(row[name]) if name in _JSON else row[name] for row in rows]
               for name in schema().names}
    sink = pa.BufferOutputStream()
    pq.write_table(pa.table(columns, schema=schema()), sink)
    return sink.getvalue().to_pybytes()


def _write(target: str, rows: list[dict[str, Any]], fmt: str, schema) -> None:
    data = _encode(rows, fmt, schema)
    if "://" in target and not target.startswith("file://"):
        from pyarrow import fs

        filesystem, path = fs.FileSystem.from_uri(target)
        filesystem.create_dir(path.rsplit("/", 1)[0], recursive=True)
        with filesystem.open_output_stream(path) as stream:  # an object store PUT is atomic
            stream.write(data)
        return
    from factx.outputs import write_atomically

    path = Path(target.removeprefix("file://"))
    path.parent.mkdir(parents=True, exist_ok=True)
    write_atomically(path, data)


# -- reading ----------------------------------------------------------------------------

def find_document_parts(paths: Iterable[str]) -> list[Path]:
    """Every `documents/part-*` file under the given folders (or named directly)."""
    found: list[Path] = []
    for given in paths:
        path = Path(given)
        if path.is_file():
            found.append(path)
            continue
        for fmt in FORMATS:
            found.extend(p for p in path.rglob(f"part-*.{fmt}") if p.parent.name == "documents")
    return sorted(set(found))


def facts_part_for(document_part: Path) -> Path:
    if document_part.parent.name != "documents":
        raise ValueError(f"{document_part}: not under a documents/ folder of factx part files")
    return document_part.parent.parent / "facts" / document_part.name


def read_rows(path: Path) -> list[dict[str, Any]]:
    if path.suffix == ".jsonl":
        with path.open(encoding="utf-8") as handle:
            return [json.loads(line) for line in handle if line.strip()]
    if path.suffix == ".parquet":
        from factx.engines import require

        parquet = require("pyarrow.parquet", "ray")
        rows = parquet.read_table(path).to_pylist()
        for row in rows:
            for name in _JSON:
                if isinstance(row.get(name), str):
                    row[name] = json.loads(row[name])
        return rows
    raise ValueError(f"{path}: not a .jsonl or .parquet part file")
