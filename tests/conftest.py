"""Shared fixtures. The spaCy model loads once per test session (Extractor.shared)."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

ROOT = Path(__file__).resolve().parent.parent
SEEDS = ROOT / "seeds"
SEED_000 = "000_334a6d619c7a494c.txt"
SEED_003 = "003_5edcf8e630143796.txt"


@pytest.fixture
def runner() -> CliRunner:
    return CliRunner()


@pytest.fixture
def workdir(tmp_path, monkeypatch) -> Path:
    """A scratch folder as the current directory, holding a copy of the seeds."""
    shutil.copytree(SEEDS, tmp_path / "seeds")
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("FACTX_DB", raising=False)
    monkeypatch.delenv("FACTX_MODEL", raising=False)
    return tmp_path


@pytest.fixture(scope="session")
def seed_facts() -> list[dict]:
    """Every fact of both seeds, through the CLI's JSON output (no store)."""
    from factx.cli import main

    result = CliRunner().invoke(main, ["extract", str(SEEDS), "--no-store", "--format", "json"])
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


def facts_of(facts: list[dict], doc_name: str, kind: str | None = None) -> list[dict]:
    return [f for f in facts if f["doc"].endswith(doc_name) and (kind is None or f["type"] == kind)]
