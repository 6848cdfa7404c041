"""What PDF extraction and PDF-to-text dumps leave around and inside the content: page counters,
running headers and footers, tables of contents, page headers leaked into sentences and words
split in two. Works on typed lines, or on raw page lines before they are typed."""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Sequence

from index.lines import BLANK, Line, has_words

_SPACES = re.compile(r"\s+")


# --- document-level repairs ---------------------------------------------------------------

_UPPER_WORD = r"[A-ZÁÉÍÓÚÜÑ][A-ZÁÉÍÓÚÜÑ.,;:'\"“”()-]*"
_UPPER_RUN = re.compile(rf"(?<!\w)(?:{_UPPER_WORD}\s+){{4,}}{_UPPER_WORD}(?!\w)")


def remove_leaked_headers(lines: Sequence[Line], min_count: int = 8) -> list[Line]:
    """Drop a capitals phrase of five words or more that recurs `min_count` times or more as a
    whole run, even inside sentences: a page header that a PDF-to-Markdown converter spliced
    into the text ("…no tiene más PARA LA PROTECCIÓN Y ASISTENCIA… opción que…")."""
    counts: Counter[str] = Counter()
    for line in lines:
        for match in _UPPER_RUN.finditer(line.text):
            counts[match.group(0).strip(" ,;:")] += 1
    leaked = {run for run, n in counts.items() if n >= min_count and len(run) >= 30}
    if not leaked:
        return list(lines)

    def drop(match: re.Match[str]) -> str:
        return " " if match.group(0).strip(" ,;:") in leaked else match.group(0)

    def drop_leading(text: str) -> str:  # the header glued before a heading or a decree title
        for run in leaked:
            if text.startswith(run) and not text[len(run) : len(run) + 1].isalnum():
                return text[len(run) :]
        return text

    out: list[Line] = []
    for line in lines:
        if line.kind == "blank":
            out.append(line)
            continue
        text = _SPACES.sub(" ", drop_leading(_UPPER_RUN.sub(drop, line.text).strip())).strip()
        out.append(Line(text, line.kind, line.page, line.level) if has_words(text) else BLANK)
    return out


_WORD = re.compile(r"[^\W\d_]+")
_OPENERS = "([«“\"'¿¡"
_CLOSERS = ".,;:)]»”\"'?!"


def repair_split_words(lines: Sequence[Line]) -> list[Line]:
    """Rejoin words that PDF extraction split in two ("garant izar" -> "garantizar") when the
    joined form occurs elsewhere in the same document and neither piece does."""
    vocabulary = Counter(w.lower() for line in lines for w in _WORD.findall(line.text))

    def pieces(a: str, b: str) -> tuple[str, str] | None:
        left, right = a.lstrip(_OPENERS), b.rstrip(_CLOSERS)
        if not (left.isalpha() and right.isalpha() and right[0].islower()):
            return None
        joined = (left + right).lower()
        return (left.lower(), right.lower()) if len(joined) >= 4 and vocabulary[joined] else None

    in_pairs: Counter[str] = Counter()  # occurrences of a piece inside candidate pairs
    for line in lines:
        words = line.text.split(" ")
        for a, b in zip(words, words[1:], strict=False):
            if (found := pieces(a, b)) is not None:
                in_pairs.update(found)

    def unknown(piece: str) -> bool:
        return vocabulary[piece] <= in_pairs[piece]

    out: list[Line] = []
    for line in lines:
        words = line.text.split(" ")
        fixed: list[str] = []
        index = 0
        while index < len(words):
            found = pieces(words[index], words[index + 1]) if index + 1 < len(words) else None
            if found is not None and unknown(found[0]) and unknown(found[1]):
                fixed.append(words[index] + words[index + 1])
                index += 2
            else:
                fixed.append(words[index])
                index += 1
        text = " ".join(fixed)
        out.append(line if text == line.text else Line(text, line.kind, line.page, line.level))
    return out


_TOC_ENTRY = re.compile(
    r"\S.*?(?:\t+[ \t]*|[ \t]*(?:\.{4,}|…{2,}|_{4,}|·{4,})[ \t]*)\d{1,4}[ \t]*$"
)
_TOC_TITLE = re.compile(
    r"^[#*\s]*(?:[ÍI]NDICE|[ÍI]ndice|CONTENIDO|Contenido|TABLA DE CONTENIDOS?|Tabla de contenidos?"
    r"|SUMARIO|Sumario)[*:\s]*$"
)


def remove_toc(lines: Sequence[Line]) -> list[Line]:
    """Remove tables of contents: runs of three or more entries ending in a page number after a
    tab or dot leaders, with their "ÍNDICE" title and column header, and a trailing tail made
    only of headings (a TOC at the end of a file)."""
    entries = [
        i for i, line in enumerate(lines) if line.kind != "blank" and _TOC_ENTRY.match(line.text)
    ]
    runs: list[list[int]] = []
    for i in entries:
        if runs and sum(1 for line in lines[runs[-1][-1] + 1 : i] if line.kind != "blank") <= 2:
            runs[-1].append(i)
        else:
            runs.append([i])
    drop: set[int] = set()
    for run in (r for r in runs if len(r) >= 3):
        start, end = run[0], run[-1]
        cursor, taken = start - 1, 0
        while cursor >= 0 and taken < 3:
            line = lines[cursor]
            if line.kind == "blank":
                cursor -= 1
                continue
            header = "\t" in line.text and not any(ch.isdigit() for ch in line.text)
            if not (_TOC_TITLE.match(line.text) or header):
                break
            start, cursor, taken = cursor, cursor - 1, taken + 1
        if all(line.kind in ("blank", "heading") for line in lines[end + 1 :]):
            end = len(lines) - 1
        drop.update(range(start, end + 1))
    return [line for i, line in enumerate(lines) if i not in drop]


# --- pages --------------------------------------------------------------------------------

_PAGE_COUNTER = re.compile(
    r"^\s*(?:(?:P[áa]gina|P[áa]g\.?|Hoja)\s*)?\d{1,4}\s*(?:de|/)\s*\d{1,4}\s*$"
    r"|^\s*(?:P[áa]gina|P[áa]g\.?|Hoja)\s+\d{1,4}\s*$|^\s*[-–—]\s*\d{1,4}\s*[-–—]\s*$",
    re.IGNORECASE,
)
_BARE_NUMBER = re.compile(r"^\s*\d{1,4}\s*$")
_N_OF_M = re.compile(r"^\s*(?:P[áa]gina\s+)?\d{1,4}\s+de\s+\d{1,4}\s*$", re.IGNORECASE)


def split_text_pages(text: str) -> list[str]:
    """Pages of a plain-text dump of a PDF: split on form feeds, else after "N de M" counters."""
    if "\f" in text:
        return text.split("\f")
    lines = text.split("\n")
    counters = [i for i, line in enumerate(lines) if _N_OF_M.match(line)]
    if len(counters) < 2:
        return [text]
    pages, start = [], 0
    for i in counters:
        pages.append("\n".join(lines[start : i + 1]))
        start = i + 1
    pages.append("\n".join(lines[start:]))
    return pages


def _furniture_key(line: str) -> str:
    return _SPACES.sub(" ", re.sub(r"\d", "#", line.lower())).strip()


def _zone(page: Sequence[str], top: int, bottom: int) -> list[int]:
    filled = [i for i, line in enumerate(page) if line.strip()]
    return sorted(set(filled[:top] + filled[-bottom:]))


def remove_page_furniture(
    pages: Sequence[Sequence[str]], top: int = 8, bottom: int = 8
) -> list[list[str]]:
    """Remove page counters ("12 de 88", "Página 3") and running headers/footers: lines near a
    page edge that recur on at least half the pages (digits ignored, so "Última Reforma DOF …"
    matches across pages). Only the first copy per page goes, so a title that repeats the
    running header just below it survives."""
    cleaned = [[line for line in page if not _PAGE_COUNTER.match(line)] for page in pages]
    if len(cleaned) < 2:
        return cleaned
    counts: Counter[str] = Counter()
    for page in cleaned:
        counts.update({_furniture_key(page[i]) for i in _zone(page, top, bottom)})
    threshold = max(2, math.ceil(len(cleaned) / 2))
    repeated = {key for key, n in counts.items() if n >= threshold and len(key) >= 3}
    out: list[list[str]] = []
    for page in cleaned:
        drop, seen = set(), set()
        for i in _zone(page, top, bottom):
            key = _furniture_key(page[i])
            if _BARE_NUMBER.match(page[i]) or (key in repeated and key not in seen):
                drop.add(i)
                seen.add(key)
        out.append([line for i, line in enumerate(page) if i not in drop])
    return out
