"""The word tables factx's rules read: TOML files in this package, each read once.

`load("numbers")` is `factx/normalize/numbers.toml` as a dict; `singular` is the one
singularizer the tables' nouns are matched with. Pure, no spaCy, no pint;
tests/test_vocabulary.py checks that the tables agree with each other and with the code,
pint and CLDR where they overlap.
"""

from __future__ import annotations

import functools
import tomllib
from importlib import resources

__all__ = ["load", "singular"]


@functools.cache
def load(name: str, package: str = "factx.normalize") -> dict:
    """The table `<name>.toml` of `package` (factx/normalize/ unless told), parsed on first use."""
    with resources.files(package).joinpath(f"{name}.toml").open("rb") as handle:
        return tomllib.load(handle)


def singular(word: str) -> str:
    """The singular of a lower-case noun: irregular plurals from plurals.toml, then rules."""
    irregular = load("plurals")["irregular"]
    if word in irregular:
        return irregular[word]
    if len(word) > 4 and word.endswith("ies"):
        return word[:-3] + "y"
    if len(word) > 4 and word.endswith(("ches", "shes", "sses", "xes")):
        return word[:-2]
    if len(word) > 3 and word.endswith("s") and not word.endswith(("ss", "us", "is")):
        return word[:-1]
    return word
