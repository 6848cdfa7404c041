"""Pure text cleaning: from raw lines (Markdown, plain text, PDF pages, HTML blocks) to the text
the chunker reads: one paragraph per line, paragraphs separated by one blank line, `#` headings
for the legal structure (TÍTULO, CAPÍTULO, SECCIÓN) and the Markdown/HTML headings.

Everything that changes characters happens line by line; lines are joined into paragraphs last,
so PDF page boundaries can be tracked as exact offsets into the final text.

This module runs the stages in order; each stage lives in the module that owns it:
index.lines (typed lines, tidying, legal structure), index.markdown_text (Markdown lines and
metadata), index.page_furniture (running headers, page counters, TOC, split words) and
index.paragraphs (paragraphs and page spans)."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field

from index.documents import PageSpan
from index.lines import (
    BLANK,
    LEADING_GLYPHS,
    Line,
    as_bullet,
    has_words,
    mark_structure,
    normalize_unicode,
    split_reform_notes,
    tidy_line,
)
from index.markdown_text import markdown_lines, split_front_matter
from index.page_furniture import (
    remove_leaked_headers,
    remove_page_furniture,
    remove_toc,
    repair_split_words,
    split_text_pages,
)
from index.paragraphs import assemble, build_paragraphs, line_width


@dataclass(frozen=True)
class CleanText:
    """The cleaned text of one document, its page spans (PDF only) and metadata found in it."""

    text: str
    pages: tuple[PageSpan, ...] = ()
    metadata: dict[str, str] = field(default_factory=dict)


def finish(
    lines: Sequence[Line],
    *,
    wrapped: bool | None = None,
    page_count: int = 0,
    repair_words: bool = False,
) -> tuple[str, tuple[PageSpan, ...]]:
    """The common tail of every format: tidy lines, split reform notes off, drop leaked headers,
    (PDF) repair split words, mark structure headings, build paragraphs and assemble the text.
    `wrapped=None` guesses hard wrapping from the line lengths."""
    tidy: list[Line] = []
    for line in lines:
        if line.kind == "blank":
            tidy.append(BLANK)
            continue
        text = line.text
        if line.kind == "heading":  # "### ➤ Orientar…": a bullet glyph is not part of a title
            text = LEADING_GLYPHS.sub("", text)
        text = tidy_line(text)
        if not has_words(text):
            tidy.append(BLANK)
            continue
        pieces = split_reform_notes(text) if line.kind == "text" else [text]
        tidy.extend(Line(piece, line.kind, line.page, line.level) for piece in pieces)
    tidy = remove_leaked_headers(tidy)
    if repair_words:
        tidy = repair_split_words(tidy)
    tidy = mark_structure(tidy)
    width = line_width(tidy)
    if wrapped is None:
        wrapped = 0 < width <= 130
    return assemble(build_paragraphs(tidy, width if wrapped else 0), page_count)


# --- plain text and PDF pages -------------------------------------------------------------


def plain_lines(text: str, page: int = 0) -> list[Line]:
    """Lines of extracted or plain text, with bullet lines marked as list items."""
    out: list[Line] = []
    for raw in text.split("\n"):
        if not raw.strip():
            out.append(Line("", "blank", page))
        elif (item := as_bullet(raw)) is not None:
            out.append(Line(item, "item", page))
        else:
            out.append(Line(raw.rstrip(), "text", page))
    return out


def clean_pdf_pages(pages: Sequence[str]) -> CleanText:
    """Clean the per-page text of a PDF: running headers, footers and counters removed, pages
    joined so paragraphs flow across page breaks, split words repaired; with page spans."""
    page_lines = [normalize_unicode(page).split("\n") for page in pages]
    page_lines = remove_page_furniture(page_lines)
    lines: list[Line] = []
    for number, page in enumerate(page_lines, start=1):
        body = plain_lines("\n".join(page), number)
        while body and body[0].kind == "blank":  # edges left by the removed header/footer
            body.pop(0)
        while body and body[-1].kind == "blank":
            body.pop()
        lines.extend(body)
    lines = remove_toc(lines)
    text, spans = finish(lines, wrapped=True, page_count=len(pages), repair_words=True)
    return CleanText(text, spans)


# --- Markdown and text files --------------------------------------------------------------

_HTML_BLOCK = re.compile(
    r"<(script|style|noscript|iframe)\b[^>]*>.*?</\1\s*>|<!--.*?-->|<[A-Za-z/][^<>]*\n[^<>]*>",
    re.IGNORECASE | re.DOTALL,
)


def clean_markdown(text: str, *, paged: bool = False) -> CleanText:
    """Clean a Markdown or text file. With `paged`, the text is treated as a PDF dump first:
    split into pages (form feeds or "N de M" counters) and stripped of running headers."""
    text = normalize_unicode(text)
    metadata, body = split_front_matter(text)
    # Scripts, comments and tags written over several lines cannot be stripped line by line.
    body = _HTML_BLOCK.sub(" ", body)
    if paged:
        pages = split_text_pages(body)
        if len(pages) >= 2:
            body = "\n".join(
                "\n".join(page) for page in remove_page_furniture([p.split("\n") for p in pages])
            )
    body = body.replace("\f", "\n")
    lines, table_metadata = markdown_lines(body)
    lines = remove_toc(lines)
    cleaned, _ = finish(lines)
    return CleanText(cleaned, (), {**table_metadata, **metadata})
