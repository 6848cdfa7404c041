"""Footnotes of official reports, put back where they are called.

Government reports keep the answer to "¿cuáles son esos estados?" in a footnote: "…en siete
estados del país,¹" and, pages later, "1/ Aguascalientes, Baja California, …". A passage that
says "siete estados" and a footnote alone in another passage answer nothing; the note's text in
parentheses at its call does. Calls are marked while lines are stripped of their markup, and
resolved here once the whole document's notes are known; a call whose note is missing or too
long to read inline is dropped, as before."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import replace

from index.lines import Line

_MARK = "\u2063"  # INVISIBLE SEPARATOR: never part of the documents' own text
_CALL = re.compile(rf"([,.;:]?){_MARK}([^{_MARK}]{{1,8}}){_MARK}")
_NOTE = re.compile(r"^(\d{1,3})/\s+(\S.*)$")
# Longer notes (sources, legal references) would bury the sentence they hang from.
_MAX_INLINE = 300


def is_footnote(text: str) -> bool:
    """Whether `text` is a footnote's own line ("6/ La Red cuenta con…"), which says again
    what its call already carries inline."""
    return bool(_NOTE.match(text.strip()))


def call_mark(label: str) -> str:
    """The placeholder for a footnote call labelled `label` ("1/" or "1")."""
    return f"{_MARK}{label.rstrip('/')}{_MARK}"


def inline_footnotes(lines: Sequence[Line]) -> list[Line]:
    """Every call replaced by its note in parentheses (before the punctuation it followed)."""
    notes: dict[str, str] = {}
    for line in lines:
        if (note := _NOTE.match(line.text)) is not None:
            notes.setdefault(note.group(1), note.group(2).strip().rstrip("."))

    def resolve(call: re.Match[str]) -> str:
        note = notes.get(call.group(2), "")
        if not note or len(note) > _MAX_INLINE:
            return call.group(1)
        return f" ({note}){call.group(1)}"

    return [
        replace(line, text=_CALL.sub(resolve, line.text)) if _MARK in line.text else line
        for line in lines
    ]
