"""The article highlighter: every fact wrapped where it stands in a focusable `<mark>` with its value tip."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from markupsafe import Markup

from factx import formatting
from factx.facts import Fact
from factx.safety import html_text

# The frame keys a money or quantity tip lists, in this order, when the fact has them.
TIP_KEYS = ("subject", "about", "measure", "role", "direction", "modality", "attributed_to", "qualifier")


@dataclass
class Mark:
    fid: str
    fact: Fact
    start: int
    end: int
    classes: str


def tip_rows(fact: Fact) -> list[tuple[str, str]]:
    """(key, value) lines of a fact's tip: its value, SI base, frame and `when`."""
    v = fact.value or {}
    rows = [(fact.label, formatting.fact_value(fact))]
    if fact.type == "quantity" and v.get("base_unit"):
        base = formatting.number_range(v.get("base_magnitude"), v.get("base_magnitude_high"))
        rows.append(("SI", f"{base} {formatting.unit(v['base_unit'])}"))
    if fact.type in ("money", "quantity"):
        rows += [(key, getattr(fact, key)) for key in TIP_KEYS if getattr(fact, key)]
        if fact.when:
            rows.append(("when", f"{fact.when.get('text', '')} = {formatting.date_value(fact.when.get('value') or {})}"))
    if fact.type == "date" and v.get("anchored"):
        rows.append(("anchored", "resolved against the document date"))
    return rows


def highlight(text: str, marks: Sequence[Mark], escape: Callable[[str], str] = html_text) -> Markup:
    """`text` with every mark wrapped in a focusable `<mark>` carrying its value tip.

    Nested spans nest. A span crossing another's end is closed there and reopened as a
    continuation piece (class `cont`, no id), the way HTML parsers repair misnesting, so
    each fact has exactly one `mark.fact:not(.cont)` and no text is lost or repeated.
    `escape` makes each untrusted string safe (only the tests' negative control passes another).
    """
    starting: dict[int, list[Mark]] = defaultdict(list)
    points = {0, len(text)}
    for mark in marks:
        starting[mark.start].append(mark)
        points.update((mark.start, mark.end))
    for group in starting.values():
        group.sort(key=lambda m: -m.end)  # longer first: the outer one opens first
    out: list[str] = []
    stack: list[Mark] = []
    pos = 0

    def open_(mark: Mark, first: bool) -> None:
        if first:
            out.append(
                f'<mark class="fact {mark.classes}" id="{mark.fid}" tabindex="0" '
                f'aria-describedby="{mark.fid}t">'
            )
        else:
            out.append(f'<mark class="fact cont {mark.classes}" data-of="{mark.fid}">')

    def close(mark: Mark, first: bool, final: bool) -> None:
        if final:
            out.append(f'<span class="lbl">{escape(mark.fact.label)}</span>')
        if first:
            rows = "".join(
                f'<span class="r"><b>{escape(key)}</b> {escape(value)}</span>' for key, value in tip_rows(mark.fact)
            )
            out.append(f'<span class="tip" role="tooltip" id="{mark.fid}t">{rows}</span>')
        out.append("</mark>")

    opened_first: set[str] = set()
    for point in sorted(points):
        if point > pos:
            out.append(escape(text[pos:point]))
            pos = point
        while any(m.end <= point for m in stack):
            k = min(i for i, m in enumerate(stack) if m.end <= point)
            for m in reversed(stack[k:]):
                first = m.fid not in opened_first
                close(m, first, final=m.end <= point)
                opened_first.add(m.fid)
            survivors = [m for m in stack[k:] if m.end > point]
            del stack[k:]
            for m in survivors:
                open_(m, first=False)
                stack.append(m)
        for mark in starting.get(point, ()):
            if mark.end > point:
                open_(mark, first=True)
                stack.append(mark)
    for m in reversed(stack):  # only if an offset ran past the text (clamped before)
        close(m, m.fid not in opened_first, final=True)
    return Markup("".join(out))
