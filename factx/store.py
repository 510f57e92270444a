"""The local SQLite store: documents, their decoded text and their facts.

Each document's facts are replaced in one transaction, so an interrupted run leaves every
document either as it was or fully updated. Schema changes are an ordered list of
migrations; `PRAGMA user_version` records how many ran, `PRAGMA application_id` marks the
file as a factx store.
"""

from __future__ import annotations

import json
import os
import re
import sqlite3
import stat
import time
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path

from factx.errors import StoreError
from factx.facts import Fact

APPLICATION_ID = 0x66637478  # "fctx"
BUSY_TIMEOUT_S = 60

MIGRATIONS: list[str] = [
    """
    CREATE TABLE documents (
        id INTEGER PRIMARY KEY,
        key TEXT NOT NULL UNIQUE,          -- resolved absolute path, or stdin:<sha256 prefix>
        doc TEXT NOT NULL,                 -- the path as last given, normalized
        sha256 TEXT NOT NULL,
        doc_date TEXT,                     -- effective document date (ISO), if any
        model TEXT NOT NULL,
        model_version TEXT NOT NULL,
        factx_version TEXT NOT NULL,
        extracted_at TEXT NOT NULL,
        text TEXT NOT NULL                 -- the decoded text every offset refers to
    );
    CREATE INDEX documents_doc ON documents (doc);
    CREATE TABLE facts (
        id INTEGER PRIMARY KEY,
        document_id INTEGER NOT NULL REFERENCES documents (id) ON DELETE CASCADE,
        type TEXT NOT NULL,
        label TEXT NOT NULL,
        text TEXT NOT NULL,
        start INTEGER NOT NULL,
        "end" INTEGER NOT NULL,
        sentence TEXT NOT NULL,
        sentence_start INTEGER NOT NULL,
        value TEXT NOT NULL,               -- JSON
        subject TEXT,
        about TEXT,
        "when" TEXT,                       -- JSON or NULL
        qualifier TEXT
    );
    CREATE INDEX facts_document ON facts (document_id, start, "end", type);
    CREATE INDEX facts_type ON facts (type);
    CREATE INDEX facts_label ON facts (label);
    """,
    # 2: the claim frame of money and quantity facts.
    """
    ALTER TABLE facts ADD COLUMN measure TEXT;
    ALTER TABLE facts ADD COLUMN role TEXT;
    ALTER TABLE facts ADD COLUMN direction TEXT;
    ALTER TABLE facts ADD COLUMN attributed_to TEXT;
    ALTER TABLE facts ADD COLUMN modality TEXT;
    """,
    # 3: sentences by offsets: with `sentence_end` set, `sentence` is '' and the sentence is
    # documents.text[sentence_start:sentence_end] (every fact of a run-on line stored its
    # own 2,000 characters). Old rows keep their text (sentence_end NULL).
    """
    ALTER TABLE facts ADD COLUMN sentence_end INTEGER;
    """,
    # 4: views with one column per common field, for Datasette and sqlite-utils users who
    # should not need JSON functions (docs/sql.md). Rows in the output order of `facts`.
    """
    CREATE VIEW facts_flat AS SELECT
        f.id AS id, d.doc AS doc, d.doc_date AS doc_date,
        f.type AS type, f.label AS label, f.text AS text, f.start AS start, f."end" AS "end",
        json_extract(f.value, '$.canonical') AS canonical,
        json_extract(f.value, '$.amount') AS amount,
        json_extract(f.value, '$.amount_high') AS amount_high,
        json_extract(f.value, '$.currency') AS currency,
        json_extract(f.value, '$.currency_text') AS currency_text,
        json_extract(f.value, '$.per_unit') AS per_unit,
        json_extract(f.value, '$.magnitude') AS magnitude,
        json_extract(f.value, '$.magnitude_high') AS magnitude_high,
        json_extract(f.value, '$.unit') AS unit,
        json_extract(f.value, '$.base_magnitude') AS base_magnitude,
        json_extract(f.value, '$.base_magnitude_high') AS base_magnitude_high,
        json_extract(f.value, '$.base_unit') AS base_unit,
        CASE f.type WHEN 'date' THEN json_extract(f.value, '$.start') END AS date_start,
        CASE f.type WHEN 'date' THEN json_extract(f.value, '$.end') END AS date_end,
        json_extract(f.value, '$.grain') AS grain,
        f.qualifier AS qualifier, f.subject AS subject, f.about AS about,
        json_extract(f."when", '$.text') AS when_text,
        json_extract(f."when", '$.value.start') AS when_date_start,
        json_extract(f."when", '$.value.end') AS when_date_end,
        f.measure AS measure, f.role AS role, f.direction AS direction,
        f.attributed_to AS attributed_to, f.modality AS modality,
        CASE WHEN f.sentence_end IS NULL THEN f.sentence
             ELSE substr(d.text, f.sentence_start + 1, f.sentence_end - f.sentence_start) END AS sentence,
        f.sentence_start AS sentence_start
    FROM documents d CROSS JOIN facts f ON f.document_id = d.id
    ORDER BY d.doc, d.id, f.start, f."end", f.type;
    CREATE VIEW documents_flat AS SELECT
        d.id AS id, d.doc AS doc, d.key AS key, d.doc_date AS doc_date, length(d.text) AS characters,
        count(f.id) AS facts,
        count(CASE f.type WHEN 'entity' THEN 1 END) AS entities,
        count(CASE f.type WHEN 'date' THEN 1 END) AS dates,
        count(CASE f.type WHEN 'money' THEN 1 END) AS money,
        count(CASE f.type WHEN 'quantity' THEN 1 END) AS quantities,
        d.model AS model, d.model_version AS model_version, d.factx_version AS factx_version,
        d.extracted_at AS extracted_at, d.sha256 AS sha256
    FROM documents d LEFT JOIN facts f ON f.document_id = d.id
    GROUP BY d.id
    ORDER BY d.doc, d.id;
    """,
    # 5: what a web page knows about itself: its URL and title (NULL for plain text).
    """
    ALTER TABLE documents ADD COLUMN url TEXT;
    ALTER TABLE documents ADD COLUMN title TEXT;
    DROP VIEW documents_flat;
    CREATE VIEW documents_flat AS SELECT
        d.id AS id, d.doc AS doc, d.key AS key, d.title AS title, d.url AS url, d.doc_date AS doc_date,
        length(d.text) AS characters,
        count(f.id) AS facts,
        count(CASE f.type WHEN 'entity' THEN 1 END) AS entities,
        count(CASE f.type WHEN 'date' THEN 1 END) AS dates,
        count(CASE f.type WHEN 'money' THEN 1 END) AS money,
        count(CASE f.type WHEN 'quantity' THEN 1 END) AS quantities,
        d.model AS model, d.model_version AS model_version, d.factx_version AS factx_version,
        d.extracted_at AS extracted_at, d.sha256 AS sha256
    FROM documents d LEFT JOIN facts f ON f.document_id = d.id
    GROUP BY d.id
    ORDER BY d.doc, d.id;
    """,
]
SCHEMA_VERSION = len(MIGRATIONS)

_FACT_COLUMNS = (
    "type", "label", "text", "start", "end", "sentence", "sentence_start", "value", "subject",
    "about", "when", "qualifier", "measure", "role", "direction", "attributed_to", "modality",
)
# Columns a store of an older schema lacks, by the migration that added them: a store
# opened only to read is read as it is, the missing columns as null.
_ADDED_BY = {**{column: 2 for column in ("measure", "role", "direction", "attributed_to", "modality")},
             "sentence_end": 3, "url": 5, "title": 5}


@dataclass(frozen=True)
class Provenance:
    """What a document's facts were made from; equal provenance means nothing to redo."""

    sha256: str
    doc_date: str | None
    model: str
    model_version: str
    factx_version: str


@dataclass(frozen=True)
class DocumentRow:
    doc: str
    key: str
    doc_date: str | None
    sha256: str
    model: str
    model_version: str
    factx_version: str
    extracted_at: str
    facts: int
    url: str | None = None
    title: str | None = None


class Store:
    def __init__(self, connection: sqlite3.Connection, path: str):
        self._db = connection
        connection.create_function("factx_file_name", 1, _file_name, deterministic=True)
        self.path = path
        self.version = SCHEMA_VERSION  # the schema of the open store (an older one is read as it is)

    @classmethod
    def open(cls, path: str, *, create: bool = True, readonly: bool = False) -> Store:
        """Open (and with `create`, make or migrate) the store at `path`.

        Nothing is changed before the file is known to be a factx store (or new): a foreign
        SQLite file is refused as it was, never switched to WAL. Readers open read-only.
        """
        try:
            info = os.stat(path)
        except FileNotFoundError:
            info = None
        except OSError as exc:
            raise StoreError(f"{path}: cannot open the store ({exc.strerror}); check the path or pass another --db") from exc
        if info is None and not create:
            raise StoreError(f"{path}: no factx store here; run 'factx extract' first or pass --db")
        if info is not None and not stat.S_ISREG(info.st_mode):  # a FIFO would block SQLite forever
            raise StoreError(f"{path}: not a regular file, so not a factx store; pass another --db")
        connection = None
        try:
            # A busy timeout lets a second writer wait for the first instead of failing.
            connection = _connect_readonly(path) if readonly else sqlite3.connect(path, timeout=BUSY_TIMEOUT_S)
            store = cls(connection, path)
            current = store._check(readonly)
            if not readonly:
                store._check_integrity()
                # WAL: readers never block the writer, and a crash mid-write leaves the store valid.
                _patiently(connection, "PRAGMA journal_mode = WAL")
                # In WAL mode NORMAL still makes every transaction atomic; it skips the fsync
                # per commit (one per document), so a power cut can lose the last few
                # documents, which the next run redoes, but never leaves one half-written.
                connection.execute("PRAGMA synchronous = NORMAL")
                if not current:
                    store._migrate()
            connection.execute("PRAGMA foreign_keys = ON")
        except sqlite3.DatabaseError as exc:
            if connection is not None:
                connection.close()
            if not readonly and not _writable(path):  # SQLite says only "unable to open"
                raise StoreError(f"{path}: store or its folder is read-only; pass a writable --db") from exc
            raise StoreError(f"{path}: {_describe(exc)}") from exc
        except BaseException:
            if connection is not None:
                connection.close()
            raise
        return store

    def _migrate(self) -> None:
        # One writer migrates while others wait; re-check inside the lock, since another
        # process may have created the store meanwhile.
        _patiently(self._db, "BEGIN IMMEDIATE")
        try:
            if not self._check(readonly=False):
                version = self._db.execute("PRAGMA user_version").fetchone()[0]
                for migration in MIGRATIONS[version:]:
                    for statement in filter(str.strip, migration.split(";")):
                        self._db.execute(statement)
                self._db.execute(f"PRAGMA application_id = {APPLICATION_ID}")
                self._db.execute(f"PRAGMA user_version = {SCHEMA_VERSION}")
                self.version = SCHEMA_VERSION
            self._db.execute("COMMIT")
        except BaseException:
            self._db.execute("ROLLBACK")
            raise

    def _check(self, readonly: bool) -> bool:
        """True when the store is current; raises when it is not a factx store, damaged or
        too new. Only reads: runs before anything is written."""
        app_id = self._db.execute("PRAGMA application_id").fetchone()[0]
        version = self._db.execute("PRAGMA user_version").fetchone()[0]
        tables = self._db.execute("SELECT count(*) FROM sqlite_master").fetchone()[0]
        if app_id != APPLICATION_ID and tables:
            raise StoreError(f"{self.path}: not a factx store; pass another --db")
        if app_id == APPLICATION_ID and version == 0:
            # Marked as factx's but with no schema version: migrating would fail on the
            # tables it already has, so this is damage, not an old store.
            raise StoreError(f"{self.path}: factx store without a schema version (damaged); pass another --db")
        if version > SCHEMA_VERSION:
            raise StoreError(f"{self.path}: made by a newer factx (schema {version}); upgrade factx")
        if version < 1 and readonly and tables:
            raise StoreError(f"{self.path}: store needs an upgrade; run 'factx extract' to migrate it")
        self.version = version
        return version == SCHEMA_VERSION

    def _check_integrity(self) -> None:
        """Refuse to write into a damaged file: SQLite's quick check (the b-tree structure
        of every page, without cross-checking indexes) before the first write."""
        problems = [row[0] for row in self._db.execute("PRAGMA quick_check(3)")]
        if problems != ["ok"]:
            raise StoreError(f"{self.path}: store is corrupt ({problems[0]}); restore a copy or pass another --db")

    def close(self) -> None:
        self._db.close()

    @contextmanager
    def _errors(self) -> Iterator[None]:
        """SQLite's errors as one-line store errors (read-only, full disk, corrupt)."""
        try:
            yield
        except sqlite3.DatabaseError as exc:
            raise StoreError(f"{self.path}: {_describe(exc)}") from exc

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # -- writing --------------------------------------------------------------

    def replace_document(
        self, key: str, doc: str, text: str, provenance: Provenance, facts: Iterable[Fact], staged: bool = False,
        url: str | None = None, title: str | None = None,
    ) -> None:
        """Store one document and its facts (and with `staged`, those `stage_facts` put
        aside) in a single transaction: all or nothing. `url` and `title` are what a web
        page says of itself."""
        now = datetime.now(timezone.utc).isoformat(timespec="seconds")
        with self._errors(), self._db:
            self._db.execute("DELETE FROM documents WHERE key = ?", (key,))
            cursor = self._db.execute(
                "INSERT INTO documents (key, doc, sha256, doc_date, model, model_version,"
                " factx_version, extracted_at, text, url, title) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                (key, doc, provenance.sha256, provenance.doc_date, provenance.model,
                 provenance.model_version, provenance.factx_version, now, text, url, title),
            )
            document_id = cursor.lastrowid
            self._db.executemany(_INSERT_FACT.format(table="main.facts"),
                                 (_stored_row(document_id, fact, text) for fact in facts))
            if staged:
                self._db.execute(f"INSERT INTO main.facts (document_id, {_STORED_COLUMNS}) SELECT ?, {_STORED_COLUMNS}"
                                 " FROM temp.staged_facts ORDER BY rowid", (document_id,))
                self._db.execute("DELETE FROM temp.staged_facts")

    def stage_facts(self, text: str, facts: Iterable[Fact]) -> None:
        """Put aside facts of a long document, piece by piece, for `replace_document(...,
        staged=True)` to store with the document in one transaction. A TEMP table: its own
        file, so staging holds no lock on the store and no memory beyond SQLite's cache."""
        with self._errors(), self._db:
            self._db.execute("CREATE TEMP TABLE IF NOT EXISTS staged_facts AS SELECT * FROM main.facts WHERE 0")
            self._db.executemany(_INSERT_FACT.format(table="temp.staged_facts"),
                                 (_stored_row(None, fact, text) for fact in facts))

    def discard_staged(self) -> None:
        with self._errors(), self._db:
            self._db.execute("DROP TABLE IF EXISTS temp.staged_facts")

    def provenances(self) -> dict[str, tuple[Provenance, str]]:
        """What every stored document was made from and the path it was last shown as, by
        key: one query for a whole run."""
        with self._errors():
            rows = self._db.execute(
                "SELECT key, doc, sha256, doc_date, model, model_version, factx_version FROM documents"
            )
            return {key: (Provenance(*rest), doc) for key, doc, *rest in rows}

    def touch_doc(self, key: str, doc: str) -> None:
        """Record the spelling a document was last reached by."""
        with self._errors(), self._db:
            self._db.execute("UPDATE documents SET doc = ? WHERE key = ?", (doc, key))

    def forget(self, patterns: Iterable[str]) -> int:
        """Drop the documents whose path (as shown or resolved) matches any glob."""
        removed = 0
        with self._errors(), self._db:
            for pattern in patterns:
                absolute = _glob_from_here(pattern)
                removed += self._db.execute(
                    "DELETE FROM documents WHERE doc GLOB ?1 OR key GLOB ?1 OR key GLOB ?2",
                    (pattern, absolute),
                ).rowcount
        return removed

    # -- reading --------------------------------------------------------------

    def _column(self, column: str, table: str = "f") -> str:
        """`column` of `table` (`f` facts, `d` documents) in a SELECT, or NULL when this
        store's schema predates it."""
        if column == "doc":
            return "d.doc"
        return f'{table}."{column}"' if _ADDED_BY.get(column, 1) <= self.version else "NULL"

    def facts(
        self,
        types: Sequence[str] = (),
        labels: Sequence[str] = (),
        doc_glob: str | None = None,
        grep: str | None = None,
        keys: Sequence[str] = (),
    ) -> Iterator[Fact]:
        """Stored facts matching every given filter, by document path then offset."""
        where, params = [], []
        for column, values in (("f.type", types), ("f.label", labels), ("d.key", keys)):
            if values:
                where.append(f"{column} IN ({', '.join('?' * len(values))})")
                params.extend(values)
        if doc_glob:
            condition, doc_params = _doc_filter([doc_glob])
            where.append(condition)
            params += doc_params
        sql = (
            "SELECT d.id, " + ", ".join(self._column(column) for column in ("sentence_end", "doc", *_FACT_COLUMNS))
            # CROSS JOIN keeps documents as the outer loop: rows come out in output order
            # straight from the indexes, so the first line streams without a sort.
            + " FROM documents d CROSS JOIN facts f ON f.document_id = d.id"
            + (" WHERE " + " AND ".join(where) if where else "")
            + ' ORDER BY d.doc, d.id, f.start, f."end", f.type'
        )
        sentence_at = 1 + _FACT_COLUMNS.index("sentence")
        text_of: tuple[int, str] | None = None  # one document's text at a time, read once
        with self._errors():
            for document_id, sentence_end, *row in self._db.execute(sql, params):
                if sentence_end is not None:
                    if text_of is None or text_of[0] != document_id:
                        text_of = (document_id, self._db.execute(
                            "SELECT text FROM documents WHERE id = ?", (document_id,)).fetchone()[0])
                    row[sentence_at] = text_of[1][row[sentence_at + 1] : sentence_end]
                fact = _fact_from_row(row)
                # Matched here, not in SQL: the sentence is known only now.
                if grep and grep not in fact.text and grep not in (fact.subject or "") and grep not in fact.sentence:
                    continue
                yield fact

    def documents(self, doc_globs: Sequence[str] = ()) -> list[DocumentRow]:
        """Stored documents (those matching any of `doc_globs` when given), by path."""
        condition, params = _doc_filter(doc_globs) if doc_globs else ("1", [])
        with self._errors():
            rows = self._db.execute(
                "SELECT d.doc, d.key, d.doc_date, d.sha256, d.model, d.model_version, d.factx_version,"
                f" d.extracted_at, count(f.id), {self._column('url', 'd')}, {self._column('title', 'd')}"
                " FROM documents d LEFT JOIN facts f ON f.document_id = d.id"
                f" WHERE {condition} GROUP BY d.id ORDER BY d.doc", params
            ).fetchall()
        return [DocumentRow(*row) for row in rows]

    def text(self, key: str) -> str | None:
        with self._errors():
            row = self._db.execute("SELECT text FROM documents WHERE key = ?", (key,)).fetchone()
        return row[0] if row else None


def _doc_filter(doc_globs: Sequence[str]) -> tuple[str, list[str]]:
    """The SQL condition on documents `d` for `--doc`: a document matches a glob by its path
    as shown, its absolute path (the key), its file name alone (`cnn_002.txt` matches
    `data/cnn_002.txt`), or the glob read as a path from the current folder (`./seeds/a.txt`,
    `../x/*.txt`)."""
    conditions, params = [], []
    for glob in doc_globs:
        conditions.append("d.doc GLOB ? OR d.key GLOB ? OR factx_file_name(d.doc) GLOB ? OR d.key GLOB ?")
        params += [glob, glob, glob, _glob_from_here(glob)]
    return "(" + " OR ".join(conditions) + ")", params


_GLOB_CHARACTERS = re.compile(r"([*?\[])")


def _glob_from_here(glob: str) -> str:
    """`glob` as a glob on absolute paths: its folders before the first wildcard resolved
    from the current folder as a document's key is (symbolic links too), and matched
    literally even when they hold a `*`, `?` or `[`."""
    folder, rest = glob, ""
    while _GLOB_CHARACTERS.search(folder):
        folder, last = os.path.split(folder)
        rest = os.path.join(last, rest) if rest else last
    resolved = _GLOB_CHARACTERS.sub(r"[\1]", os.path.realpath(folder or "."))
    return os.path.join(resolved, rest) if rest else resolved


def _file_name(path: str) -> str:
    return path.rsplit("/", 1)[-1]


def _writable(path: str) -> bool:
    """Whether the store file and its folder (where the -wal and -shm files go) take writes."""
    folder = os.path.dirname(os.path.abspath(path))
    return os.access(folder, os.W_OK) and (not os.path.exists(path) or os.access(path, os.W_OK))


def _connect_readonly(path: str) -> sqlite3.Connection:
    """A read-only connection. A WAL store needs its -shm file even to read; in a folder
    the reader cannot write (a read-only mount, a shared archive, a full disk) that file
    cannot be made, so the store is then opened as immutable: read as it is on disk, no locks."""
    uri = Path(path).resolve().as_uri()
    connection = sqlite3.connect(f"{uri}?mode=ro", uri=True, timeout=BUSY_TIMEOUT_S)
    try:
        connection.execute("PRAGMA application_id").fetchone()
        return connection
    except sqlite3.OperationalError as exc:
        connection.close()
        if not any(words in str(exc) for words in ("unable to open", "readonly", "disk I/O")):
            raise  # (a full disk cannot take the -shm file either)
    return sqlite3.connect(f"{uri}?mode=ro&immutable=1", uri=True, timeout=BUSY_TIMEOUT_S)


def _patiently(connection: sqlite3.Connection, statement: str) -> None:
    """Run a statement that needs the write lock, waiting while another process holds it.
    Switching the journal mode can report "locked" at once, without SQLite's busy wait,
    while a second `factx extract` is still creating the store."""
    deadline = time.monotonic() + BUSY_TIMEOUT_S
    while True:
        try:
            connection.execute(statement)
            return
        except sqlite3.OperationalError as exc:
            if "locked" not in str(exc) or time.monotonic() > deadline:
                raise
            time.sleep(0.05)


_STORED_COLUMNS = ", ".join(f'"{column}"' for column in (*_FACT_COLUMNS, "sentence_end"))
_INSERT_FACT = ("INSERT INTO {table} (document_id, " + _STORED_COLUMNS + ") VALUES (?"
                + ", ?" * (len(_FACT_COLUMNS) + 1) + ")")


def _stored_row(document_id: int | None, fact: Fact, text: str) -> tuple:
    """`_fact_row` plus `sentence_end`: the sentence kept as offsets when it is the
    document's own text there (as it is unless a component rewrote it), else as text."""
    row = _fact_row(document_id, fact)
    end = fact.sentence_start + len(fact.sentence)
    if text[fact.sentence_start : end] == fact.sentence:
        return (*row[:6], "", *row[7:], end)
    return (*row, None)


def _fact_row(document_id: int | None, fact: Fact) -> tuple:
    row = fact.to_dict()
    row["value"] = json.dumps(fact.value, ensure_ascii=False)
    row["when"] = json.dumps(fact.when, ensure_ascii=False) if fact.when is not None else None
    return (document_id, *(row[column] for column in _FACT_COLUMNS))


def _fact_from_row(row: tuple) -> Fact:
    fields = dict(zip(("doc", *_FACT_COLUMNS), row))
    fields["value"] = json.loads(fields["value"])
    fields["when"] = json.loads(fields["when"]) if fields["when"] else None
    return Fact(**fields)


def _describe(exc: sqlite3.DatabaseError) -> str:
    message = str(exc)
    if "not a database" in message or "malformed" in message:
        return "not a factx store or corrupt; pass another --db or delete it"
    if "readonly" in message or "read-only" in message:
        return "store is read-only; pass a writable --db"
    if "disk is full" in message or "disk I/O" in message:
        return f"cannot write the store ({message}); free space or pass another --db"
    if "unable to open" in message:
        return "cannot open the store; check the path or pass another --db"
    return message
