"""The word tables factx's rules read: TOML files in this package, each read once.

`load("numbers")` is `factx/normalize/numbers.toml` as a dict. Pure, no spaCy, no pint;
tests/test_vocabulary.py checks that the tables agree with each other and with the code,
pint and CLDR where they overlap.
"""

from __future__ import annotations

import functools
import tomllib
from importlib import resources

__all__ = ["load"]


@functools.cache
def load(name: str) -> dict:
    """The table `factx/normalize/<name>.toml`, parsed on first use."""
    with resources.files("factx.normalize").joinpath(f"{name}.toml").open("rb") as handle:
        return tomllib.load(handle)
