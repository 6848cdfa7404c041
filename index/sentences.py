"""Spanish sentence splitting for official text.

A regex splitter rather than NLTK Punkt (English parameters) or pysbd (slow on long laws): a
period ends a sentence unless it closes an abbreviation common in Mexican legal and
administrative writing ("Art.", "Lic.", "fracc.", "C.P."), an initial, an enumerator ("I.", "a)")
or a number.
"""

from __future__ import annotations

import re

ABBREVIATIONS = frozenset(
    [
        "art",
        "arts",
        "artículo",
        "lic",
        "lics",
        "licda",
        "mtra",
        "mtro",
        "mtras",
        "mtros",
        "dra",
        "dr",
        "dras",
        "dres",
        "sr",
        "sra",
        "srta",
        "sres",
        "ing",
        "arq",
        "psic",
        "prof",
        "profa",
        "gral",
        "col",
        "no",
        "núm",
        "num",
        "nº",
        "pág",
        "págs",
        "pag",
        "p",
        "pp",
        "fracc",
        "fracs",
        "fr",
        "frac",
        "inc",
        "incs",
        "cap",
        "caps",
        "vol",
        "vols",
        "ed",
        "eds",
        "etc",
        "ej",
        "dir",
        "depto",
        "av",
        "lt",
        "mz",
        "tel",
        "tels",
        "ext",
        "cp",
        "c.p",
        "s.a",
        "c.v",
        "ee.uu",
        "uu",
        "vs",
        "aprox",
        "máx",
        "mín",
        "min",
        "max",
        "fig",
        "cfr",
        "op",
        "cit",
        "ibid",
        "id",
        "ss",
        "sig",
        "sigs",
        "dof",
        "poe",
        "cpeum",
        "no.",
        "ene",
        "feb",
        "mar",
        "abr",
        "may",
        "jun",
        "jul",
        "ago",
        "sep",
        "sept",
        "oct",
        "nov",
        "dic",
    ]
)

# Candidate boundary: terminal punctuation, optional closing quote/bracket, whitespace, then
# something that can open a sentence.
_BOUNDARY = re.compile(r"""([.!?…]+["'”’»)\]]*)\s+(?=[¿¡"“«(\[A-ZÁÉÍÓÚÑÜ0-9•\-–])""")
_LAST_WORDS = re.compile(r"(?:(\S+)\s+)?(\S+)\.$")
_NUMBERING = re.compile(r"^(?:[IVXLCDM]+|\d{1,3}(?:\.\d+)*|[a-zA-Z])$")
_NUMBERED_NOUNS = frozenset(
    [
        "artículo",
        "articulo",
        "fracción",
        "fraccion",
        "inciso",
        "numeral",
        "capítulo",
        "capitulo",
        "título",
        "titulo",
        "sección",
        "seccion",
        "apartado",
        "punto",
    ]
)


def _ends_with_abbreviation(candidate: str) -> bool:
    """Whether the period closing `candidate` belongs to an abbreviation, not a sentence end."""
    match = _LAST_WORDS.search(candidate.strip())
    if not match:
        return False
    before, word = (match.group(1) or "").lower(), match.group(2).strip('("“«')
    if word.lower() in ABBREVIATIONS or "." in word or (len(word) == 1 and word.isalpha()):
        return True
    if _NUMBERING.match(word):
        # "I." / "3." opening a list item, "…: 1. Senderos, 2. Modelo" inside a run-in list, or
        # "Artículo 6." / "fracción IV." inside a sentence.
        return not before or before[-1] in ",;:" or before.strip(",;:") in _NUMBERED_NOUNS
    return False


def _line_sentence_spans(text: str, offset: int) -> list[tuple[int, int]]:
    spans: list[tuple[int, int]] = []
    start = 0
    for match in _BOUNDARY.finditer(text):
        end = match.end(1)
        candidate = text[start:end]
        if match.group(1) == "." and _ends_with_abbreviation(candidate):
            continue
        if candidate.strip():
            spans.append((offset + start, offset + end))
        start = match.end()
    if text[start:].strip():
        spans.append((offset + start, offset + len(text.rstrip())))
    return spans


def split_sentence_spans(text: str) -> list[tuple[int, int]]:
    """Character spans of the sentences of `text` (whitespace between them excluded). A line
    break always ends a sentence: list items and headings have no final period."""
    spans: list[tuple[int, int]] = []
    for line in re.finditer(r"[^\n]+", text):
        stripped = line.group().lstrip()
        lead = len(line.group()) - len(stripped)
        spans.extend(_line_sentence_spans(stripped, line.start() + lead))
    return spans


def split_sentences(text: str) -> list[str]:
    """The sentences of `text`, in order."""
    return [text[a:b] for a, b in split_sentence_spans(text)]
