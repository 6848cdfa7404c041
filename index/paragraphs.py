"""Typed lines joined into one-line paragraphs (hard wraps and hyphenation across lines undone)
and the paragraphs assembled into the final text, with exact offsets for each PDF page."""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from index.documents import PageSpan
from index.lines import TERMINAL_END, Line, is_caps, is_reform_note, starts_block


@dataclass(frozen=True)
class Paragraph:
    """One output paragraph; `breaks` holds (offset in `text`, page) where a new page begins."""

    text: str
    page: int = 0
    breaks: tuple[tuple[int, int], ...] = ()


_HYPHEN_END = re.compile(r"[a-záéíóúñü]-$")


def line_width(lines: Iterable[Line]) -> int:
    """The usual length of a full line (90th percentile), 0 when there are too few lines."""
    lengths = sorted(len(line.text) for line in lines if line.kind in ("text", "item"))
    return lengths[int(0.9 * len(lengths))] if len(lengths) >= 5 else 0


def _continues(previous: str, following: str, width: int, in_item: bool) -> bool:
    """Whether `following` goes on the paragraph that `previous` ends (width 0: not wrapped)."""
    if starts_block(following) or is_reform_note(previous):
        return False
    if _HYPHEN_END.search(previous) and following[:1].islower():
        return True
    previous_caps, following_caps = is_caps(previous), is_caps(following)
    if previous_caps and following_caps:
        return not TERMINAL_END.search(previous)  # a title written over two lines
    if following[:1].islower():
        return True
    if following[:1].isdigit() and not TERMINAL_END.search(previous):
        return True  # "…Se REFORMA el artículo" + "19, fracción IX."
    if previous_caps or following_caps:
        return False
    if not width:
        return in_item and not TERMINAL_END.search(previous)
    # A line that would have had room for the next word ended on purpose, not by wrapping.
    first_word = following.split(" ", 1)[0]
    return len(previous) + 1 + len(first_word) >= 0.85 * width


def build_paragraphs(lines: Sequence[Line], width: int = 0) -> list[Paragraph]:
    """Join lines into paragraphs. Blank lines, headings, table rows and list items always break;
    other lines are joined when they continue the previous one (`width` > 0 means the text is
    hard-wrapped at about that many characters). Hyphenation across lines is undone."""
    paragraphs: list[Paragraph] = []
    current: list[Line] = []

    def flush() -> None:
        if not current:
            return
        text = ("- " if current[0].kind == "item" else "") + current[0].text
        breaks: list[tuple[int, int]] = []
        for before, line in zip(current, current[1:], strict=False):
            if _HYPHEN_END.search(text) and line.text[:1].islower():
                text = text[:-1]
            else:
                text += " "
            if line.page and line.page != before.page:
                breaks.append((len(text), line.page))
            text += line.text
        paragraphs.append(Paragraph(text, current[0].page, tuple(breaks)))
        current.clear()

    for line in lines:
        if line.kind == "blank":
            flush()
        elif line.kind in ("heading", "row"):
            flush()
            text = f"{'#' * line.level} {line.text}" if line.kind == "heading" else line.text
            paragraphs.append(Paragraph(text, line.page))
        elif line.kind == "item":
            flush()
            current.append(line)
        elif current and _continues(current[-1].text, line.text, width, current[0].kind == "item"):
            current.append(line)
        else:
            flush()
            current.append(line)
    flush()
    return paragraphs


def assemble(
    paragraphs: Sequence[Paragraph], page_count: int = 0
) -> tuple[str, tuple[PageSpan, ...]]:
    """Join paragraphs with blank lines and, for paged documents, compute one PageSpan per page
    (empty pages get an empty span) so every offset of the text maps to its page."""
    parts: list[str] = []
    starts: dict[int, int] = {}
    offset = 0
    for paragraph in paragraphs:
        if parts:
            offset += 2
        if paragraph.page:
            starts.setdefault(paragraph.page, offset)
        for inner, page in paragraph.breaks:
            starts.setdefault(page, offset + inner)
        parts.append(paragraph.text)
        offset += len(paragraph.text)
    text = "\n\n".join(parts)
    if not page_count:
        return text, ()
    bounds = [0] * (page_count + 2)
    bounds[page_count + 1] = len(text)
    for page in range(page_count, 0, -1):
        bounds[page] = min(starts.get(page, bounds[page + 1]), bounds[page + 1])
    bounds[1] = 0
    spans = tuple(PageSpan(p, bounds[p], bounds[p + 1]) for p in range(1, page_count + 1))
    return text, spans
