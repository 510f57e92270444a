"""The error family and the exit codes every command shares (docs/reference.md, "Exit codes")."""

from __future__ import annotations

from enum import IntEnum


class ExitCode(IntEnum):
    OK = 0
    FAILED = 1  # some input failed, a store problem, or no spaCy model
    USAGE = 2  # Click's own usage errors
    INTERRUPTED = 130


class FactxError(Exception):
    """An error the CLI reports as one line on stderr, then exits with `code`."""

    code = ExitCode.FAILED


class StoreError(FactxError):
    """The store is missing, not a factx store, corrupt, read-only, full or too new."""


class ModelError(FactxError):
    """No usable spaCy pipeline is installed."""
