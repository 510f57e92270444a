"""The documentation stays true to the code.

- docs/cli.md is exactly what `python docs/cli.py` renders from the commands' `--help`
  (a changed flag fails here until the page is regenerated); rendering it loads no spaCy;
- every command has help text;
- the README keeps the two quick-start commands, stays short, and every relative link in
  the README and docs/ points at a file that exists.
"""

from __future__ import annotations

import importlib.util
import re
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
GENERATOR = ROOT / "docs" / "cli.py"

QUICK_START = (
    "python3 -m venv .venv && .venv/bin/pip install -r models.txt -e . && .venv/bin/factx extract seeds/",
    'python3 -m venv .venv && .venv/bin/pip install -r models.txt -e ".[test]" && .venv/bin/pytest',
)


def _generator():
    spec = importlib.util.spec_from_file_location("factx_docs_cli", GENERATOR)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_cli_reference_is_current():
    rendered = _generator().render()
    committed = (ROOT / "docs" / "cli.md").read_text(encoding="utf-8")
    assert rendered == committed, "docs/cli.md is out of date: run python docs/cli.py"


def test_cli_reference_covers_every_command():
    from factx.cli import main

    page = (ROOT / "docs" / "cli.md").read_text(encoding="utf-8")
    for name in main.commands:
        assert f"## factx {name}\n" in page
        assert f"Usage: factx {name} " in page


def test_every_command_has_help():
    from factx.cli import main

    for name, command in main.commands.items():
        assert (command.help or "").strip(), f"factx {name} has no help text"
        for param in command.params:
            if isinstance(param, __import__("click").Option) and not param.hidden:
                assert (param.help or "").strip(), f"factx {name} {param.opts[0]} has no help text"


def test_rendering_the_reference_does_not_import_spacy():
    code = (
        "import importlib.util, sys\n"
        f"spec = importlib.util.spec_from_file_location('g', {str(GENERATOR)!r})\n"
        "m = importlib.util.module_from_spec(spec); spec.loader.exec_module(m)\n"
        "m.render()\n"
        "print(sorted(n for n in sys.modules if n.split('.')[0] in ('spacy', 'pint', 'thinc')))\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"


def test_readme_quick_start_and_length():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    for command in QUICK_START:
        assert f"    {command}\n" in readme
    assert len(readme.splitlines()) <= 160


def test_readme_speaks_to_users():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    for pattern in (r"\bissue \d", r"\bCONTRACT\b", r"/work/", r"\.\./shared", r"\b(?=[0-9a-f]*[a-f])(?=[0-9a-f]*[0-9])[0-9a-f]{7,40}\b"):
        assert not re.search(pattern, readme), pattern


@pytest.mark.parametrize("page", ["README.md", *sorted(p.relative_to(ROOT).as_posix() for p in (ROOT / "docs").glob("*.md")),
                                  "bench/README.md"])
def test_relative_links_resolve(page):
    path = ROOT / page
    text = path.read_text(encoding="utf-8")
    for target in re.findall(r"\]\(([^)\s]+)\)", text):
        if re.match(r"[a-z]+:", target) or target.startswith("#"):
            continue
        assert (path.parent / target.split("#")[0]).exists(), f"{page}: broken link {target}"
