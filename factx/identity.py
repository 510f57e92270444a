"""Entities across the whole store: one `entity_id` per real-world thing.

Per-document `canonical` names stay as extracted; this module links them across
documents at query time (so `forget` never leaves stale links). The rules are general:
- names are compared normalized: case, a leading "the", a possessive and a generic
  trailing head ("project", "company", ...) do not matter;
- an alias the text states ("formerly known as") joins two names;
- a name of two or more words joins the one longer name of the same kind that ends with
  it ("Stream Gas Pipeline" -> "Pakistan Stream Gas Pipeline"), or, for organisations and
  things, begins with it ("Federal Paper" -> "Federal Paper Board Co"), never when several
  longer names would fit, and never across kinds or with places ("Pakistan" stays Pakistan).
"""

from __future__ import annotations

import hashlib
import re
from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field

from factx.facts import Fact
from factx.normalize.names import strip_article

GENERIC_HEADS = {
    "project", "projects", "company", "plan", "scheme", "programme", "program", "initiative",
    "deal", "agreement", "venture", "group", "organisation", "organization",
}
# Which labels may name the same thing (an alias may cross ORG and LOC, say).
KIND = {
    "PERSON": "person",
    **dict.fromkeys(("ORG", "FAC", "LOC", "PRODUCT", "EVENT", "WORK_OF_ART", "LAW"), "thing"),
    "GPE": "place", "NORP": "group", "LANGUAGE": "language",
}
# Legal forms a company's name may carry or drop ("Acme Corp", "ACME CORP INC").
LEGAL_FORMS = {"inc", "corp", "co", "ltd", "plc", "llc", "ag", "sa", "nv", "bv", "gmbh", "spa", "pty", "limited",
               "corporation", "incorporated"}
# Wire headlines put these before a story's own words: "CORRECTED - ACME CORP".
HEADLINE_MARKERS = {"corrected", "correction", "refiled", "repeat", "rpt", "update"}
_POSSESSIVE = re.compile(r"['’]s$")
MARKER = re.compile(r"^\W*(?:" + "|".join(sorted(HEADLINE_MARKERS)) + r")\b\W*(?:\d+\W+)?", re.IGNORECASE)


def name_key(name: str) -> str:
    name = MARKER.sub("", name.strip()) or name
    words = [w.strip("<>.,") for w in _POSSESSIVE.sub("", name.strip()).lower().split()]
    words = [w for w in words if w]
    if words[:1] == ["the"]:
        words = words[1:]
    while len(words) > 1 and (words[-1] in GENERIC_HEADS or words[-1] in LEGAL_FORMS):
        words = words[:-1]
    return " ".join(words)


@dataclass
class Entity:
    entity_id: str
    name: str
    label: str
    mentions: int = 0
    docs: set[str] = field(default_factory=set)
    aliases: set[str] = field(default_factory=set)


class EntityIndex:
    """Union-find over normalized names, built from the store's entity facts."""

    def __init__(self, facts: Iterable[Fact]):
        self._parent: dict[str, str] = {}
        self._kind: dict[str, str] = {}
        names: dict[str, Counter] = defaultdict(Counter)
        labels: dict[str, Counter] = defaultdict(Counter)
        mentions: list[tuple[str, str]] = []
        aliases: list[tuple[str, str]] = []
        for fact in facts:
            if fact.type != "entity":
                continue
            canonical = fact.value.get("canonical") or fact.text
            key = name_key(canonical)
            if not key:
                continue
            self._parent.setdefault(key, key)
            self._kind.setdefault(key, KIND.get(fact.label, fact.label))
            names[key][canonical] += 1
            labels[key][fact.label] += 1
            mentions.append((key, fact.doc))
            if fact.value.get("alias_of"):
                aliases.append((key, name_key(fact.value["alias_of"])))
        for key, other in aliases:
            if other in self._parent:
                self._union(other, key)
        self._join_suffixes()
        self.entities = self._collect(names, labels, mentions)

    def _find(self, key: str) -> str:
        while self._parent[key] != key:
            self._parent[key] = self._parent[self._parent[key]]
            key = self._parent[key]
        return key

    def _union(self, keep: str, other: str) -> None:
        self._parent[self._find(other)] = self._find(keep)

    def _join_suffixes(self) -> None:
        by_kind: dict[str, list[str]] = defaultdict(list)
        for key, kind in self._kind.items():
            if kind in ("thing", "person"):
                by_kind[kind].append(key)
        for kind, keys in by_kind.items():
            for short in keys:
                if len(short.split()) < 2:
                    continue
                longer = {self._find(k) for k in keys if k != short and k.endswith(" " + short)}
                if not longer and kind == "thing":  # "Federal Paper" for "Federal Paper Board Co"
                    longer = {self._find(k) for k in keys if k != short and k.startswith(short + " ")}
                if len(longer) == 1:
                    self._union(longer.pop(), short)

    def _collect(self, names, labels, mentions) -> dict[str, Entity]:
        members: dict[str, list[str]] = defaultdict(list)
        for key in self._parent:
            members[self._find(key)].append(key)
        entities: dict[str, Entity] = {}
        for root, keys in members.items():
            written = Counter()
            label = Counter()
            for key in keys:
                written.update(names[key])
                label.update(labels[key])
            # The display name: the longest written form, the most frequent on ties.
            display = max(written, key=lambda name: (len(name_key(name).split()), written[name]))
            display = strip_article(display)
            entity_id = "E" + hashlib.sha1(f"{self._kind[root]}:{name_key(display)}".encode()).hexdigest()[:10]
            entities[root] = Entity(entity_id, display, label.most_common(1)[0][0],
                                    aliases={n for n in written if name_key(n) != name_key(display)})
        for key, doc in mentions:
            entity = entities[self._find(key)]
            entity.mentions += 1
            entity.docs.add(doc)
        return entities

    def lookup(self, name: str | None) -> Entity | None:
        """The entity a name (such as a claim's `about`) stands for, if the store knows it."""
        if not name:
            return None
        key = name_key(name)
        return self.entities[self._find(key)] if key in self._parent else None

    def resolve(self, name: str | None) -> Entity | None:
        """The entity a name stands for; a name no entity fact holds (a company named only
        in a wire headline's "<...>") stands for itself, linked by its normalized form."""
        found = self.lookup(name)
        if found is not None or not name or not name_key(name):
            return found
        key = name_key(name)
        if len(key.split()) >= 2:  # the one organisation whose name begins or ends with it
            longer = {self._find(k) for k, kind in self._kind.items() if kind == "thing"
                      and (k.startswith(key + " ") or k.endswith(" " + key))}
            if len(longer) == 1:
                return self.entities[longer.pop()]
        return Entity("N" + hashlib.sha1(f"name:{key}".encode()).hexdigest()[:10], name, "ORG")

    def rows(self) -> list[dict]:
        return [
            {"entity_id": e.entity_id, "name": e.name, "label": e.label, "mentions": e.mentions,
             "documents": sorted(e.docs), "aliases": sorted(e.aliases)}
            for e in sorted(self.entities.values(), key=lambda e: (-e.mentions, e.name))
        ]
