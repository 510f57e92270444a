"""A real Chromium for the report's browser tests, driven by Playwright.

The browser is Debian's `chromium` (or $FACTX_CHROMIUM), launched with `executable_path`:
never `playwright install`, which downloads a browser and fails offline. Without a
browser (or without playwright) these tests skip, unless FACTX_REQUIRE_BROWSER=1 (set by
.ci/run), which turns the skip into a failure.
"""

from __future__ import annotations

import os
import shutil
from dataclasses import dataclass, field
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
ARTIFACTS = ROOT / "artifacts"


def _unavailable(why: str):
    if os.environ.get("FACTX_REQUIRE_BROWSER") == "1":
        pytest.fail(f"{why}; FACTX_REQUIRE_BROWSER=1 requires the browser tests to run", pytrace=False)
    pytest.skip(why)


def chromium_path() -> str | None:
    exe = os.environ.get("FACTX_CHROMIUM") or shutil.which("chromium") or shutil.which("chromium-browser")
    return exe if exe and Path(exe).exists() else None


@pytest.fixture(scope="session")
def browser():
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        _unavailable("playwright is not installed (pip install -e '.[test]')")
    exe = chromium_path()
    if exe is None:
        _unavailable("no Chromium: apt-get install chromium fonts-dejavu-core, or set FACTX_CHROMIUM")
    with sync_playwright() as pw:
        try:
            chromium = pw.chromium.launch(executable_path=exe)  # Playwright adds --no-sandbox as root
        except Exception as exc:  # noqa: BLE001 - any launch failure means no usable browser
            _unavailable(f"Chromium at {exe} did not start: {exc}")
        yield chromium
        chromium.close()


@dataclass
class Loaded:
    page: object
    console: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    requests: list[str] = field(default_factory=list)

    @property
    def remote_requests(self) -> list[str]:
        return [url for url in self.requests if not url.startswith("file:")]


@pytest.fixture
def open_report(browser):
    """open_report(path, **context_options) -> Loaded, with console, errors and requests logged."""
    contexts = []

    def _open(path: Path, **options) -> Loaded:
        context = browser.new_context(viewport={"width": 1200, "height": 900}, **options)
        contexts.append(context)
        page = context.new_page()
        loaded = Loaded(page)
        page.on("console", lambda msg: loaded.console.append(f"{msg.type}: {msg.text}"))
        page.on("pageerror", lambda exc: loaded.errors.append(str(exc)))
        page.on("request", lambda request: loaded.requests.append(request.url))
        page.goto(path.resolve().as_uri())
        page.wait_for_load_state("load")
        return loaded

    yield _open
    for context in contexts:
        context.close()


@pytest.fixture(scope="session")
def artifacts() -> Path:
    ARTIFACTS.mkdir(exist_ok=True)
    return ARTIFACTS
