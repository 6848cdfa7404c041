"""Documents as they come out of the corpus folder: one record per file, cleaned text and pages."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from pathlib import Path

SUPPORTED_SUFFIXES = (".pdf", ".txt", ".md", ".markdown", ".html", ".htm")


@dataclass(frozen=True)
class PageSpan:
    """Where one PDF page lies in `Document.text` (character offsets, end exclusive)."""

    number: int
    start: int
    end: int


@dataclass(frozen=True)
class SourceFile:
    """A file found in a corpus folder, hashed but not parsed yet."""

    path: Path
    source: str  # path relative to its corpus root, with forward slashes
    sha256: str

    @property
    def doc_id(self) -> str:
        return self.sha256[:16]


@dataclass(frozen=True)
class Document:
    """A cleaned document. `text` is paragraphs separated by blank lines, each paragraph one line;
    markdown-style `#` heading lines mark the structure the chunker splits on."""

    doc_id: str
    path: Path
    source: str
    title: str
    institution: str
    date: str
    kind: str
    text: str
    pages: tuple[PageSpan, ...] = ()
    metadata: dict[str, str] = field(default_factory=dict, hash=False, compare=False)
    acronym: str = ""  # the manifest's short name ("LGAMVLV")
    url: str = ""
    origin: str = ""  # where the file was taken from
    licence: str = ""  # its licence, or the attribution it asks for
    manifest: str = "-"  # fingerprint of the manifest entry it was indexed with

    def page_at(self, offset: int) -> int | None:
        """The page number holding character `offset`, or None for documents without pages."""
        for span in self.pages:
            if span.start <= offset < span.end:
                return span.number
        return self.pages[-1].number if self.pages and offset >= self.pages[-1].end else None


class DocumentError(Exception):
    """A file that cannot be turned into a Document; the message is Spanish and names the file."""

    def __init__(self, source: str, reason: str) -> None:
        super().__init__(f"no se pudo leer `{source}`: {reason}")
        self.source = source
        self.reason = reason


def hash_bytes(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()
