"""PDF text extraction with pypdf: one string per page plus the document's metadata, or a
DocumentError whose Spanish reason says what is wrong with the file."""

from __future__ import annotations

import io
import logging
import re
import warnings
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from index.documents import DocumentError

if TYPE_CHECKING:
    from pypdf import PdfReader

DAMAGED = "el archivo PDF está dañado o incompleto"
ENCRYPTED = "el PDF está protegido con contraseña"
NO_TEXT = "el PDF no tiene capa de texto (es un escaneo); necesita OCR"
_JUNK_TITLE = re.compile(
    r"^(?:microsoft (?:word|powerpoint) - .*|untitled|sin t[íi]tulo|documento\s*\d*|"
    r".*\.(?:docx?|pdf|odt|rtf|pptx?))$",
    re.IGNORECASE,
)


@dataclass(frozen=True)
class PdfText:
    """The raw text of each page (page 1 first) and the metadata worth keeping."""

    pages: tuple[str, ...]
    metadata: dict[str, str] = field(default_factory=dict)


@contextmanager
def quiet_pypdf() -> Iterator[None]:
    """Silence pypdf while it reads: it logs harmless repairs ("Ignoring wrong pointing
    object") for many real files, and the user only needs our own error, if any."""
    logger = logging.getLogger("pypdf")
    previous = logger.level
    logger.setLevel(logging.CRITICAL + 1)
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            yield
    finally:
        logger.setLevel(previous)


def read_pdf(data: bytes, source: str) -> PdfText:
    """Extract the text of every page of a PDF given as bytes. Raises DocumentError for files
    that are not PDFs, are truncated or corrupt, are password-protected or have no text layer."""
    from pypdf import PdfReader
    from pypdf.errors import DependencyError

    # pypdf in non-strict mode "repairs" almost anything, so a cut-off download would come back
    # as a few pages or none; the header and the final %%EOF tell a whole file from a broken one.
    if b"%PDF-" not in data[:1024] or b"%%EOF" not in data[-2048:]:
        raise DocumentError(source, DAMAGED)
    with quiet_pypdf():
        try:
            reader = PdfReader(io.BytesIO(data), strict=False)
            if reader.is_encrypted:
                try:
                    opened = reader.decrypt("")  # owner-only protection opens with no password
                except DependencyError as err:
                    raise DocumentError(
                        source, "el PDF está cifrado y falta el paquete `cryptography` para abrirlo"
                    ) from err
                if not opened:
                    raise DocumentError(source, ENCRYPTED)
            texts: list[str] = []
            failed = 0
            for page in reader.pages:
                try:
                    texts.append(page.extract_text() or "")
                except Exception:  # noqa: BLE001 - one bad content stream should not sink the file
                    texts.append("")
                    failed += 1
            metadata = _metadata(reader)
        except DocumentError:
            raise
        except Exception as err:  # noqa: BLE001 - pypdf raises many types on corrupt input
            raise DocumentError(source, DAMAGED) from err
    if not any(text.strip() for text in texts):
        raise DocumentError(source, DAMAGED if failed or not texts else NO_TEXT)
    return PdfText(tuple(texts), metadata)


def _metadata(reader: PdfReader) -> dict[str, str]:
    try:
        info = reader.metadata
    except Exception:  # noqa: BLE001 - a broken Info dictionary is no reason to drop the text
        return {}
    if info is None:
        return {}
    meta: dict[str, str] = {}
    for key, name in (("/Title", "title"), ("/Author", "author"), ("/Subject", "subject"),
                      ("/Keywords", "keywords")):  # fmt: skip
        value = info.get(key)
        text = " ".join(str(value).split()) if value is not None else ""
        if text and not (name == "title" and _JUNK_TITLE.match(text)):
            meta[name] = text
    return meta
