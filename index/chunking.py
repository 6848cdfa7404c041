"""Structure-aware chunking of Spanish official text.

Documents are split on the structure they have: headings, then articles of a law ("Artículo 6.-"),
then paragraphs, then sentences. A chunk never straddles two articles or two sections when it can
be avoided, and carries its heading path ("CAPÍTULO I > Artículo 6") and its pages.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from functools import cached_property
from pathlib import PurePosixPath

from pydantic import BaseModel, ConfigDict, Field

from index.documents import Document
from index.sentences import split_sentence_spans
from index.terms import terms

CHUNKER_VERSION = "10"

_HEADING = re.compile(r"^(#{1,6})\s+(.*)$")
_ARTICLE = re.compile(
    r"^(?:art[íi]culo|ART[ÍI]CULO)\s+(\d+[oº°]?(?:\s*(?:bis|ter|qu[aá]ter|quinquies|sexies)\b)?)"
    r"(?=[\s.\-–:,])",
    re.IGNORECASE,
)
_TRANSITORY = re.compile(r"^(?:transitorios?|art[íi]culos transitorios)$", re.IGNORECASE)


class ChunkingConfig(BaseModel):
    """How documents are cut into passages."""

    model_config = ConfigDict(frozen=True)

    max_chars: int = Field(1100, description="Longest passage, in characters.")
    min_chars: int = Field(250, description="Sections shorter than this join the next one.")
    overlap_sentences: int = Field(
        1, description="Sentences repeated between consecutive passages of one long section."
    )
    window_min_chars: int = Field(
        80,
        description=(
            "Each passage is also embedded sentence by sentence (shorter sentences join the "
            "next), so that one sentence of a long passage can find it; 0 turns this off."
        ),
    )
    version: str = Field(CHUNKER_VERSION, description="Changes whenever chunking logic changes.")


@dataclass(frozen=True)
class Chunk:
    """A passage of a document, the unit that is embedded, retrieved and cited."""

    chunk_id: str
    doc_id: str
    ordinal: int
    text: str
    start: int
    end: int
    page: int | None
    page_end: int | None
    heading: str
    title: str
    source: str
    institution: str = ""
    date: str = ""  # the document's, as the manifest or its front matter gives it
    kind: str = ""  # the document's kind: "ley", "informe", "convenio"…
    acronym: str = ""  # the document's short name, as its manifest gives it ("LGAMVLV")
    # The unit it belongs to (see `index.units`): one article of a law with its fracciones, or
    # one section of a report; the passages of a unit share it. `{doc_id}-s{section:04d}`.
    parent_id: str = ""

    @cached_property
    def context_text(self) -> str:
        """What retrieval sees: the passage behind its document title, issuing institution, file
        name and heading path, so that "según la ley de Chihuahua" or "Artículo 325" find the
        passage that says neither."""
        return f"{self.context_label}\n{self.text}"

    @cached_property
    def context_label(self) -> str:
        """Document title, issuing institution, file name and heading path, on one line."""
        label = self.title
        if self.institution and self.institution.lower() not in self.title.lower():
            label += f" ({self.institution})"
        name = re.sub(r"[_\-.\s]+", " ", PurePosixPath(self.source).stem).strip()
        if not set(terms(name)) <= set(terms(label)):
            label += f" [{name}]"
        if self.heading:
            label += f" > {self.heading}"
        return label


@dataclass(frozen=True)
class _Paragraph:
    start: int
    end: int
    text: str


@dataclass(frozen=True)
class _Section:
    heading: str
    paragraphs: tuple[_Paragraph, ...]
    is_article: bool

    @property
    def size(self) -> int:
        return sum(len(p.text) + 2 for p in self.paragraphs)


def _paragraphs(text: str) -> Iterator[_Paragraph]:
    for match in re.finditer(r"[^\n]+(?:\n(?!\n)[^\n]+)*", text):
        stripped = match.group().strip()
        if stripped:
            offset = match.start() + match.group().index(stripped[0])
            yield _Paragraph(offset, offset + len(stripped), stripped)


def _sections(text: str) -> list[_Section]:
    """Group paragraphs under the heading path in force, starting a section at every heading and
    every article."""
    stack: list[tuple[int, str]] = []
    sections: list[_Section] = []
    current: list[_Paragraph] = []
    heading, is_article = "", False

    def close() -> None:
        if current:
            sections.append(_Section(heading, tuple(current), is_article))
            current.clear()

    for paragraph in _paragraphs(text):
        if match := _HEADING.match(paragraph.text):
            close()
            level, title = len(match.group(1)), match.group(2).strip(" #")
            stack = [(lvl, t) for lvl, t in stack if lvl < level] + [(level, title)]
            heading, is_article = " > ".join(t for _, t in stack), False
            if _TRANSITORY.match(title):
                is_article = True
            continue
        if match := _ARTICLE.match(paragraph.text):
            close()
            label = f"Artículo {' '.join(match.group(1).split())}"
            path = [t for _, t in stack if not _ARTICLE.match(t)]
            heading, is_article = " > ".join([*path, label]), True
        current.append(paragraph)
    close()
    return sections


def _merge_small(sections: list[_Section], config: ChunkingConfig) -> list[_Section]:
    """Join short non-article sections with the next one of the same kind, so a heading with one
    line of text does not become a passage of its own. Articles stay whole and separate."""
    merged: list[_Section] = []
    for section in sections:
        previous = merged[-1] if merged else None
        if (
            previous is not None
            and not previous.is_article
            and not section.is_article
            and previous.size < config.min_chars
            and previous.size + section.size <= config.max_chars
        ):
            merged[-1] = _Section(
                previous.heading or section.heading,
                previous.paragraphs + section.paragraphs,
                False,
            )
        else:
            merged.append(section)
    return merged


def _pieces(paragraph: _Paragraph, max_chars: int) -> list[_Paragraph]:
    """A paragraph, or its sentences when it is too long to be one passage."""
    if len(paragraph.text) <= max_chars:
        return [paragraph]
    pieces: list[_Paragraph] = []
    for a, b in split_sentence_spans(paragraph.text):
        text = paragraph.text[a:b]
        # A run-on "sentence" longer than a passage (tables, lists without periods) is cut at
        # the last space before the limit.
        while len(text) > max_chars:
            cut = text.rfind(" ", 0, max_chars)
            cut = cut if cut > max_chars // 2 else max_chars
            pieces.append(_Paragraph(paragraph.start + a, paragraph.start + a + cut, text[:cut]))
            text, a = text[cut:].lstrip(), a + cut + (len(text[cut:]) - len(text[cut:].lstrip()))
        pieces.append(_Paragraph(paragraph.start + a, paragraph.start + a + len(text), text))
    return pieces


def _windows(section: _Section, config: ChunkingConfig) -> Iterator[tuple[_Paragraph, ...]]:
    """Pack a section's paragraphs (or their sentences) into passages of at most `max_chars`,
    repeating the last `overlap_sentences` pieces when a section spills over."""
    pieces = [piece for p in section.paragraphs for piece in _pieces(p, config.max_chars)]
    window: list[_Paragraph] = []
    size = 0
    for piece in pieces:
        if window and size + len(piece.text) + 1 > config.max_chars:
            yield tuple(window)
            keep = window[-config.overlap_sentences :] if config.overlap_sentences else []
            keep = [p for p in keep if len(p.text) + len(piece.text) < config.max_chars]
            window, size = list(keep), sum(len(p.text) + 1 for p in keep)
        window.append(piece)
        size += len(piece.text) + 1
    if window:
        yield tuple(window)


def chunk_document(document: Document, config: ChunkingConfig) -> list[Chunk]:
    """Cut a document into passages with deterministic ids `{doc_id}-{ordinal:04d}`."""
    chunks: list[Chunk] = []
    for number, section in enumerate(_merge_small(_sections(document.text), config)):
        for window in _windows(section, config):
            start, end = window[0].start, window[-1].end
            text = _join(window)
            ordinal = len(chunks)
            chunks.append(
                Chunk(
                    chunk_id=f"{document.doc_id}-{ordinal:04d}",
                    doc_id=document.doc_id,
                    ordinal=ordinal,
                    text=text,
                    start=start,
                    end=end,
                    page=document.page_at(start),
                    page_end=document.page_at(max(start, end - 1)),
                    heading=section.heading,
                    title=document.title,
                    source=document.source,
                    institution=document.institution,
                    date=document.date,
                    kind=document.kind,
                    acronym=document.acronym,
                    parent_id=f"{document.doc_id}-s{number:04d}",
                )
            )
    return chunks


def _join(pieces: tuple[_Paragraph, ...]) -> str:
    """Sentences of one paragraph join with a space, paragraphs with a line break."""
    out = pieces[0].text
    for before, piece in zip(pieces, pieces[1:], strict=False):
        out += ("\n" if piece.start - before.end > 1 else " ") + piece.text
    return out
