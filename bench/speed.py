#!/usr/bin/env python3
"""Speed benchmark of issue 6: factx against bare spaCy `nlp.pipe` on the same texts.

    python bench/speed.py                      # the 200-article sample, 5 alternating runs
    python bench/speed.py --runs 9 --jobs 2    # more runs; --jobs passed through to factx
    python bench/speed.py --full               # the full Reuters-21578 corpus, one run each

Four measurements, each on exactly the same texts (every input file, `date` marker line
included; characters are Python `str` code points):

  A  bare      `nlp.pipe(texts)` in this process, same model, FULL default pipeline (nothing
               excluded), model already loaded, texts already in memory; docs discarded.
  B  factx     `factx.extraction.run_extraction` in this process with the model already
               loaded (by an untimed warm-up run on a one-line document): finding and reading
               the files, hashing, processing, writing a fresh SQLite store, rendering
               --format jsonl to /dev/null. This is factx's throughput after model load
               (with --jobs above 1, the worker processes load their own models inside B).
  C  bare e2e  a fresh `python` subprocess: import spaCy, load the model, read the files,
               `nlp.pipe` them. Start-up included.
  D  factx e2e the installed CLI as a subprocess: `factx extract DIR --db <fresh temp db>
               --format jsonl --model M --jobs N > /dev/null`. Start-up included, store
               included. --jobs is 1 unless given (and left out if this factx lacks it);
               bare spaCy's n_process follows a numeric --jobs (or --bare-processes).

Ratios printed (factx / bare): B/A after model load, D/C end to end, and D/A (factx end to
end against bare `nlp.pipe` alone; issue 6's target is at most 1.10 on the full corpus with
--jobs 1). Start-up on its own is measured too (`--startup-only` measures nothing else):
`factx extract --no-store` on one short input (a one-line document, or `--startup-input`)
against bare spaCy loading the model and reading that input in a fresh `python`, and
`python -c "import spacy; spacy.load(M)"`; the ratio factx / bare load+read is issue 16's
(target at most 1.25). factx's table cache (see docs/cache.md) is whatever the environment
says: warm after the first run.

On the sample, every run measures A..D with the order inside each pair alternating from
run to run (A,B / B,A and C,D / D,C), and medians are reported. With --full the corpus is
first written out as one file per article into a temporary folder (untimed, never into the
repository) and each measurement runs once; by default only A and D there (start-up is
then negligible, so C ~ A and B ~ D; `--measure ABCD` runs all four). Peak memory (max RSS)
is reported for the two subprocesses.
"""

from __future__ import annotations

import argparse
import cProfile
import gc
import gzip
import json
import os
import platform
import pstats
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import fields
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
CORPUS = REPO.parent / "shared" / "corpus"
SAMPLE = CORPUS / "reuters-sample"
FULL = CORPUS / "reuters21578.jsonl.gz"

BARE_E2E = r"""
import sys
from pathlib import Path
import spacy
model, folder, n_process = sys.argv[1], sys.argv[2], int(sys.argv[3])
batch_size = int(sys.argv[4]) or None
nlp = spacy.load(model)
paths = sorted(Path(folder).rglob("*.txt"))
texts = (path.read_text(encoding="utf-8") for path in paths)
count = 0
for doc in nlp.pipe(texts, n_process=n_process, batch_size=batch_size):
    count += 1
print(count)
"""

# Start-up's baseline: bare spaCy loading the model and reading the same short input.
BARE_STARTUP = r"""
import sys
from pathlib import Path
import spacy
nlp = spacy.load(sys.argv[1])
for path in sorted(p for arg in sys.argv[2:] for p in ([Path(arg)] if Path(arg).is_file() else Path(arg).rglob("*.txt"))):
    nlp(path.read_text(encoding="utf-8"))
"""

LABELS = {
    "A": "bare nlp.pipe, model loaded (in-process)",
    "B": "factx in-process, model loaded",
    "C": "bare end to end (subprocess)",
    "D": "factx extract end to end (subprocess)",
}


# -- inputs -------------------------------------------------------------------------------

def write_full_corpus(gz_path: Path, folder: Path) -> None:
    """Every article as `<id>.txt` in the sample's layout: marker, title, blank, body."""
    with gzip.open(gz_path, "rt", encoding="utf-8") as lines:
        for line in lines:
            article = json.loads(line)
            text = f"date {article['date']}\n{article['title']}\n\n{article['body']}\n"
            (folder / f"{article['id']}.txt").write_text(text, encoding="utf-8")


def read_texts(folder: Path) -> list[str]:
    texts = []
    for path in sorted(folder.rglob("*.txt")):
        text = path.read_text(encoding="utf-8")
        texts.append(text[1:] if text.startswith("\ufeff") else text)
    return texts


# -- helpers ------------------------------------------------------------------------------

def factx_command() -> list[str]:
    script = Path(sys.executable).with_name("factx")
    if script.exists():
        return [str(script)]
    found = shutil.which("factx")
    return [found] if found else [sys.executable, "-m", "factx"]


def factx_has_jobs(command: list[str]) -> bool:
    out = subprocess.run([*command, "extract", "--help"], capture_output=True, text=True)
    return re.search(r"(^|\s)--jobs\b", out.stdout) is not None


# The child is started by a small launcher, so its peak RSS is its own: on Linux a process
# started straight from this one would inherit this process's high-water mark (model loaded).
LAUNCHER = r"""
import json, os, subprocess, sys, time
start = time.perf_counter()
child = subprocess.Popen(sys.argv[2:])
_, status, usage = os.wait4(child.pid, 0)
elapsed = time.perf_counter() - start
with open(sys.argv[1], "w") as out:
    json.dump({"seconds": elapsed, "rss_mb": usage.ru_maxrss / 1024,
               "code": os.waitstatus_to_exitcode(status)}, out)
"""


def run_child(argv: list[str], stdout=subprocess.DEVNULL) -> tuple[float, float, str]:
    """(wall seconds, peak RSS in MB, stderr) of one subprocess; fails loudly on non-zero.

    The time is taken by the launcher around the child alone (the launcher's own start-up is
    not in it); the peak RSS is the child's, or its largest waited-for descendant's.
    """
    with tempfile.TemporaryFile(mode="w+") as err, tempfile.NamedTemporaryFile(mode="r") as result:
        subprocess.run([sys.executable, "-c", LAUNCHER, result.name, *argv],
                       stdout=stdout, stderr=err, stdin=subprocess.DEVNULL, check=False)
        err.seek(0)
        stderr = err.read()
        try:
            measured = json.loads(Path(result.name).read_text())
        except ValueError:
            raise SystemExit(f"launcher failed: {' '.join(argv)}\n{stderr}") from None
    if measured["code"] != 0:
        raise SystemExit(f"failed ({measured['code']}): {' '.join(argv)}\n{stderr}")
    return measured["seconds"], measured["rss_mb"], stderr


def factx_version() -> str:
    from factx import __version__
    return __version__


def factx_revision() -> str:
    """The checkout's commit and whether it has local changes (read-only git calls)."""
    def git(*args: str) -> str:
        try:
            return subprocess.run(["git", "--no-optional-locks", "-C", str(REPO), *args], capture_output=True,
                                  text=True, timeout=10).stdout.strip()
        except (OSError, subprocess.SubprocessError):
            return ""
    commit = git("rev-parse", "--short", "HEAD")
    dirty = git("status", "--porcelain", "--untracked-files=no", "--", "factx")
    return f"{commit}{' + local changes' if dirty else ''}" if commit else "unknown"


def fmt_rate(value: float) -> str:
    return f"{value:,.0f}" if value >= 100 else f"{value:,.1f}"


# -- the measurements ---------------------------------------------------------------------

class Bench:
    def __init__(self, args: argparse.Namespace, folder: Path, texts: list[str], work: Path):
        import spacy

        from factx.pipeline import find_model, model_version

        self.args, self.folder, self.texts, self.work = args, folder, texts, work
        self.model = find_model(args.model)
        self.model_version = model_version(self.model)
        self.factx = factx_command()
        self.jobs_flag: list[str] = []
        if factx_has_jobs(self.factx):
            # Without --jobs, compare like with like: factx --jobs 1 against one bare process
            # (factx's own default, auto, would use every core on a large input).
            self.jobs_flag = ["--jobs", args.jobs or "1"]
        elif args.jobs is not None:
            print(f"note: this factx has no `extract --jobs`; --jobs {args.jobs} ignored", file=sys.stderr)
        jobs = self.jobs_flag[1] if self.jobs_flag else "1"
        self.bare_processes = args.bare_processes or (int(jobs) if jobs.isdigit() else 1)
        start = time.perf_counter()
        self.nlp = spacy.load(self.model)  # full default pipeline, nothing excluded
        self.bare_load = time.perf_counter() - start
        self.bare_batch_size = args.bare_batch_size or self.nlp.batch_size  # the model config's nlp.batch_size
        self.spacy_version = spacy.__version__
        self.tiny = work / "tiny" / "tiny.txt"
        self.tiny.parent.mkdir()
        self.tiny.write_text("date 1987-03-03\nShell said it would buy 5 mln barrels.\n", encoding="utf-8")
        self.db_counter = 0
        self.factx_facts: dict[str, int] = {}
        # Warm-up, untimed: loads factx's model in this process the way run_extraction does.
        self._factx_inprocess(self.tiny.parent, store=False)

    def fresh_db(self) -> Path:
        self.db_counter += 1
        return self.work / f"factx-{self.db_counter}.db"

    # A
    def bare_pipe(self) -> dict:
        gc.collect()
        start = time.perf_counter()
        count = 0
        for _ in self.nlp.pipe(self.texts, n_process=self.bare_processes, batch_size=self.bare_batch_size):
            count += 1
        elapsed = time.perf_counter() - start
        assert count == len(self.texts)
        return {"seconds": elapsed}

    # B
    def _factx_inprocess(self, folder: Path, store: bool = True, profile: cProfile.Profile | None = None):
        from factx.extraction import Options, Stats, run_extraction
        from factx.render import write_facts
        from factx.store import Store

        extra = {}
        names = {field.name for field in fields(Options)}
        if self.jobs_flag and "jobs" in names:  # factx's Options: an int, or None for auto
            jobs = self.jobs_flag[1]
            extra["jobs"] = int(jobs) if jobs.isdigit() else None
        options = Options([str(folder)], model=self.model, **extra)
        stats = Stats()
        notes: list[str] = []
        db = self.fresh_db() if store else None
        gc.collect()
        start = time.perf_counter()
        if profile:
            profile.enable()
        opened = Store.open(str(db)) if db else None
        try:
            with open(os.devnull, "w", encoding="utf-8") as sink:
                facts = run_extraction(options, opened, lambda doc, message: notes.append(f"{doc}: {message}"),
                                       stats=stats)
                write_facts(facts, "jsonl", sink)
        finally:
            if opened is not None:
                opened.close()
            if profile:
                profile.disable()
        elapsed = time.perf_counter() - start
        if db:
            db.unlink()
        return elapsed, stats, notes

    def factx_inprocess(self) -> dict:
        elapsed, stats, notes = self._factx_inprocess(self.folder)
        if stats.processed != len(self.texts) or stats.failed:
            raise SystemExit(f"factx in-process: {stats.summary()}\n" + "\n".join(notes[:20]))
        self.factx_facts = dict(stats.facts)
        return {"seconds": elapsed}

    # C
    def bare_e2e(self) -> dict:
        argv = [sys.executable, "-c", BARE_E2E, self.model, str(self.folder), str(self.bare_processes),
                str(self.bare_batch_size)]
        elapsed, rss, _ = run_child(argv)
        return {"seconds": elapsed, "rss_mb": rss}

    # D
    def factx_e2e(self, folder: Path | None = None) -> dict:
        db = self.fresh_db()
        argv = [*self.factx, "extract", str(folder or self.folder), "--db", str(db), "--format", "jsonl",
                "--model", self.model, *self.jobs_flag]
        elapsed, rss, stderr = run_child(argv)
        result = {"seconds": elapsed, "rss_mb": rss, "summary": stderr.strip().splitlines()[-1:] or [""]}
        if self.args.store_checks:
            result["store_checks"] = self.store_checks(argv, db)
        db.unlink(missing_ok=True)
        return result

    def store_checks(self, extract_argv: list[str], db: Path) -> dict:
        """On the store D just wrote: the same extract again (nothing changed), the time to
        the first line of `factx show --type quantity --format jsonl`, and `factx --help`
        against `python -c "import click, rich"` (medians of 5)."""
        rerun, rerun_rss, stderr = run_child(extract_argv)
        show = [*self.factx, "show", "--type", "quantity", "--format", "jsonl", "--db", str(db)]
        first_lines = []
        for _ in range(5):
            start = time.perf_counter()
            with subprocess.Popen(show, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL) as child:
                line = child.stdout.readline()
                first_lines.append(time.perf_counter() - start)
                child.kill()
            if not line:
                raise SystemExit("factx show printed nothing")
        helps = [run_child([*self.factx, "--help"])[0] for _ in range(5)]
        imports = [run_child([sys.executable, "-c", "import click, rich"])[0] for _ in range(5)]
        return {"rerun_seconds": rerun, "rerun_rss_mb": rerun_rss,
                "rerun_summary": stderr.strip().splitlines()[-1:] or [""],
                "show_first_line_seconds": statistics.median(first_lines),
                "help_seconds": statistics.median(helps), "import_click_rich_seconds": statistics.median(imports)}

    # start-up alone
    def startups(self, repeat: int = 3) -> dict:
        """Start-up: factx on one short input end to end against bare spaCy loading the model
        and reading that input (and against `spacy.load` alone), alternating, medians."""
        short = self.args.startup_input or self.tiny
        steps = {
            "bare_load_subprocess": [sys.executable, "-c", f"import spacy; spacy.load({self.model!r})"],
            "bare_load_read": [sys.executable, "-c", BARE_STARTUP, self.model, str(short)],
            "factx_tiny_doc": [*self.factx, "extract", str(short), "--no-store", "--format", "jsonl",
                               "--model", self.model, *self.jobs_flag],
        }
        times: dict[str, list[float]] = {key: [] for key in steps}
        for run in range(repeat):
            for key in (steps if run % 2 == 0 else reversed(steps)):
                times[key].append(run_child(steps[key])[0])
        result: dict = {key: statistics.median(values) for key, values in times.items()}
        result["ratio"] = result["factx_tiny_doc"] / result["bare_load_read"]
        result["all"] = times
        result["input"] = str(short)
        result["repeat"] = repeat
        return result

    def profile(self, out: Path, top: int) -> None:
        profiler = cProfile.Profile()
        elapsed, stats, _ = self._factx_inprocess(self.folder, profile=profiler)
        profiler.dump_stats(str(out))
        print(f"\ncProfile of one in-process factx run ({elapsed:.2f} s under the profiler), saved to {out}")
        report = pstats.Stats(profiler, stream=sys.stdout).sort_stats("tottime")
        print(f"top {top} functions by own time:")
        report.print_stats(top)
        print(f"top {top} functions of factx's own code by cumulative time:")
        report.sort_stats("cumulative").print_stats(r"/factx/", top)


def print_startup(startup: dict, bare_load: float) -> None:
    short = "a one-line document" if startup["input"].endswith("tiny.txt") else startup["input"]
    print(f"start-up alone (median of {startup['repeat']}, alternating): python -c 'import spacy; spacy.load(...)' "
          f"{startup['bare_load_subprocess']:.2f} s; bare spaCy loading the model and reading {short} "
          f"{startup['bare_load_read']:.2f} s; factx extract --no-store on it {startup['factx_tiny_doc']:.2f} s "
          f"(spacy.load in this process: {bare_load:.2f} s)")
    print(f"  start-up ratio, factx / bare load+read = {startup['ratio']:.2f}   (issue 16 target: <= 1.25)")
    print("  all start-up runs (seconds): " + "; ".join(
        f"{key} " + " ".join(f"{value:.2f}" for value in values) for key, values in startup["all"].items()))


# -- driver -------------------------------------------------------------------------------

def measure(bench: Bench, runs: int, keys: str) -> dict[str, list[dict]]:
    results: dict[str, list[dict]] = {key: [] for key in LABELS if key in keys}
    steps = {"A": bench.bare_pipe, "B": bench.factx_inprocess, "C": bench.bare_e2e, "D": bench.factx_e2e}
    for run in range(runs):
        # Alternate who goes first inside each pair: A,B,C,D then B,A,D,C then A,B,C,D ...
        order = ("A", "B", "C", "D") if run % 2 == 0 else ("B", "A", "D", "C")
        line = []
        for key in order:
            if key not in results:
                continue
            print(f"run {run + 1}/{runs}: {key} {LABELS[key]}...", file=sys.stderr, flush=True)
            result = steps[key]()
            results[key].append(result)
            line.append(f"{key} {result['seconds']:.2f}s")
        print(f"run {run + 1}/{runs}: " + ", ".join(line), file=sys.stderr, flush=True)
    return results


def report(bench: Bench, name: str, results: dict[str, list[dict]], startup: dict, runs: int) -> dict:
    docs, chars = len(bench.texts), sum(map(len, bench.texts))
    median = {key: statistics.median(r["seconds"] for r in rows) for key, rows in results.items()}
    rss = {key: max(r["rss_mb"] for r in rows) for key, rows in results.items() if "rss_mb" in rows[0]}
    jobs = " ".join(bench.jobs_flag) or "(no --jobs passed)"
    print()
    print(f"factx speed benchmark: {name}: {docs:,} documents, {chars:,} characters")
    print(f"model {bench.model} {bench.model_version}, spaCy {bench.spacy_version}; bare pipeline: "
          f"{', '.join(bench.nlp.pipe_names)}; bare n_process={bench.bare_processes}, "
          f"batch_size={bench.bare_batch_size}{'' if bench.args.bare_batch_size else ' (model default)'}; "
          f"factx {jobs}")
    print(f"factx {factx_version()} at {factx_revision()}; python {platform.python_version()}, "
          f"{os.cpu_count()} CPUs; " + (f"median of {runs} alternating runs" if runs > 1 else "one run each"))
    print()
    print(f"{'':3}{'measurement':44}{'seconds':>9}{'docs/s':>10}{'chars/s':>12}{'peak RSS':>10}")
    for key, seconds in median.items():
        memory = f"{rss[key]:,.0f} MB" if key in rss else ""
        print(f"{key:3}{LABELS[key]:44}{seconds:9.2f}{fmt_rate(docs / seconds):>10}"
              f"{fmt_rate(chars / seconds):>12}{memory:>10}")
    print()
    ratios = {}
    for ratio, what in (("B/A", "after model load"), ("D/C", "end to end"),
                        ("D/A", "factx end to end / bare nlp.pipe")):
        top, bottom = ratio.split("/")
        if top in median and bottom in median:
            ratios[ratio] = median[top] / median[bottom]
    if ratios:
        print("ratios, factx / bare:")
    if "B/A" in ratios:
        print(f"  after model load                   B/A = {ratios['B/A']:.2f}")
    if "D/C" in ratios:
        print(f"  end to end                         D/C = {ratios['D/C']:.2f}")
    if "D/A" in ratios:
        print(f"  factx end to end / bare nlp.pipe   D/A = {ratios['D/A']:.2f}   "
              "(issue 6 target on the full corpus with --jobs 1: <= 1.10)")
    if "B" in median:
        print(f"factx throughput after model load (B): {fmt_rate(chars / median['B'])} characters/s, "
              f"{fmt_rate(docs / median['B'])} documents/s")
    print()
    print_startup(startup, bench.bare_load)
    if "D" in median:
        print(f"  D minus factx start-up = {median['D'] - startup['factx_tiny_doc']:.2f} s"
              + (f" (B = {median['B']:.2f} s)" if "B" in median else ""))
    if runs > 1:
        print("all runs (seconds): " + "; ".join(
            f"{key} " + " ".join(f"{r['seconds']:.2f}" for r in rows) for key, rows in results.items()))
    if "D" in results:
        print(f"factx's own summary (last D run): {results['D'][-1]['summary'][0]}")
        checks = results["D"][-1].get("store_checks")
        if checks:
            print(f"re-run on the unchanged input (same store): {checks['rerun_seconds']:.2f} s, "
                  f"{median['D'] / checks['rerun_seconds']:.1f}x faster than D (target >= 20x); "
                  f"peak RSS {checks['rerun_rss_mb']:,.0f} MB; {checks['rerun_summary'][0]}")
            print(f"factx show --type quantity --format jsonl, first line: "
                  f"{checks['show_first_line_seconds']:.2f} s (target < 0.3 s)")
            print(f"factx --help {checks['help_seconds']:.2f} s vs python -c 'import click, rich' "
                  f"{checks['import_click_rich_seconds']:.2f} s: "
                  f"{checks['help_seconds'] / checks['import_click_rich_seconds']:.2f}x (target <= 1.5x)")
    if bench.factx_facts:
        print(f"facts (last B run): {dict(sorted(bench.factx_facts.items()))}")
    return {
        "input": name, "factx": factx_version(), "revision": factx_revision(), "documents": docs,
        "characters": chars, "runs": runs, "model": bench.model, "model_version": bench.model_version,
        "spacy": bench.spacy_version, "jobs": bench.jobs_flag, "bare_processes": bench.bare_processes,
        "bare_batch_size": bench.bare_batch_size,
        "median_seconds": median, "peak_rss_mb": rss, "ratios": ratios, "startup": startup,
        "bare_load_in_process": bench.bare_load,
        "all_seconds": {key: [r["seconds"] for r in rows] for key, rows in results.items()},
        "store_checks": results["D"][-1].get("store_checks") if "D" in results else None,
        "facts": bench.factx_facts,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0],
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--runs", type=int, default=5, help="alternating runs on the sample (default 5)")
    parser.add_argument("--full", action="store_true",
                        help=f"the full corpus ({FULL.name}), written to a temp folder first; one run each")
    parser.add_argument("--measure", metavar="LETTERS",
                        help="which of A B C D to measure (default: ABCD on the sample, AD with --full, "
                             "where start-up is negligible and C ~ A, B ~ D)")
    parser.add_argument("--jobs", metavar="N|auto",
                        help="passed to `factx extract --jobs` when it has that option (default 1, so that both "
                             "sides use one process); a number also sets bare spaCy's n_process")
    parser.add_argument("--bare-processes", type=int, metavar="N",
                        help="n_process of bare nlp.pipe (default: --jobs when a number, else 1)")
    parser.add_argument("--bare-batch-size", type=int, metavar="N",
                        help="batch_size of bare nlp.pipe (default: the model's own, nlp.batch_size)")
    parser.add_argument("--model", help="spaCy pipeline (default: factx's default)")
    parser.add_argument("--sample", type=Path, default=SAMPLE, help="sample folder (default: %(default)s)")
    parser.add_argument("--corpus", type=Path, default=FULL, help="full corpus .jsonl.gz (default: %(default)s)")
    parser.add_argument("--store-checks", action=argparse.BooleanOptionalAction, default=None,
                        help="after D, time a re-run on the unchanged input, the first line of `factx show` "
                             "and `factx --help` (default: on with --full)")
    parser.add_argument("--profile", type=Path, metavar="FILE",
                        help="also cProfile one in-process factx run, save the stats to FILE, print the top")
    parser.add_argument("--top", type=int, default=25, help="rows of the --profile listing (default 25)")
    parser.add_argument("--json", type=Path, metavar="FILE", help="also write the results as JSON")
    parser.add_argument("--startup-only", action="store_true",
                        help="measure start-up alone (factx on one short input vs bare spaCy loading the model "
                             "and reading it) and skip A..D")
    parser.add_argument("--startup-runs", type=int, default=3, metavar="N",
                        help="alternating start-up runs, medians reported (default 3)")
    parser.add_argument("--startup-input", type=Path, metavar="PATH",
                        help="the short input of the start-up measurement (default: a one-line document)")
    args = parser.parse_args()
    if args.runs < 1:
        parser.error("--runs must be at least 1")
    keys = (args.measure or ("AD" if args.full else "ABCD")).upper()
    if args.store_checks is None:
        args.store_checks = args.full
    if not keys or set(keys) - set(LABELS):
        parser.error("--measure takes letters from ABCD")

    with tempfile.TemporaryDirectory(prefix="factx-speed-") as tmp:
        work = Path(tmp)
        if args.full:
            folder = work / "reuters"
            folder.mkdir()
            print(f"writing {args.corpus} to {folder} (untimed)...", file=sys.stderr, flush=True)
            write_full_corpus(args.corpus, folder)
            name, runs = f"full corpus {args.corpus.name}", 1
        else:
            folder, name, runs = args.sample, f"sample {args.sample.name}", args.runs
        texts = read_texts(folder)
        if not texts:
            raise SystemExit(f"no *.txt files in {folder}")
        bench = Bench(args, folder, texts, work)
        startup = bench.startups(args.startup_runs)
        if args.startup_only:
            print(f"\nfactx {factx_version()} at {factx_revision()}; model {bench.model} {bench.model_version}; "
                  f"python {platform.python_version()}, {os.cpu_count()} CPUs")
            print_startup(startup, bench.bare_load)
            if args.json:
                args.json.write_text(json.dumps({"startup": startup}, indent=2) + "\n", encoding="utf-8")
            return
        results = measure(bench, runs, keys)
        summary = report(bench, name, results, startup, runs)
        if args.profile:
            bench.profile(args.profile, args.top)
        if args.json:
            args.json.write_text(json.dumps(summary, indent=2) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
