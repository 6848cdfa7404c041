"""The document route: opens the whole document behind a source card, and nothing else.

A request names a document by its id (the content hash the index gave it). It is served only
when that id is an indexed document whose recorded path lies inside a corpus folder and whose
bytes still hash to that id; any other request, including paths, is refused. PDFs are sent as
they are (the card links to `#page=N`); every other document is shown as its cleaned text,
HTML-escaped, with the cited passage marked and scrolled to."""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from index.chunking import Chunk
from index.documents import DocumentError, SourceFile, hash_bytes
from index.loading import load_document
from index.store import StoredDocument
from ui.render import escape

DOC_ID = re.compile(r"^[0-9a-f]{16}$")
NOT_FOUND = "Ese documento no está en la biblioteca indexada."
CHANGED = "El documento cambió desde que se indexó: hay que volver a indexar la biblioteca."
TEXT_HEADERS = {
    # The page is escaped text and a stylesheet: nothing may run or load.
    "Content-Security-Policy": "default-src 'none'; style-src 'unsafe-inline'",
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
}
PAGE_STYLE = (
    "body{font-family:system-ui,-apple-system,'Segoe UI',Roboto,sans-serif;max-width:50rem;"
    "margin:0 auto;padding:1rem;line-height:1.6;color:#1f2937;background:#fff}"
    "h1{font-size:1.4rem;line-height:1.3}.meta{color:#4b5563}"
    ".text{white-space:pre-wrap;overflow-wrap:anywhere}"
    "mark{background:#fde68a;color:#111827;scroll-margin-top:30vh}"
    "a{color:#5b21b6}"
)


class DocumentNotFound(Exception):
    """The request does not name an indexed corpus document (Spanish message)."""


@dataclass(frozen=True)
class DocumentView:
    """What the route answers: status, media type, body and headers."""

    status: int
    media_type: str
    body: bytes
    headers: dict[str, str] = field(default_factory=dict)


def indexed_file(
    documents: Mapping[str, StoredDocument], roots: Sequence[Path], doc_id: str
) -> tuple[StoredDocument, Path]:
    """The indexed document `doc_id` and its file, or DocumentNotFound. The file must be the one
    the store recorded, inside one of the corpus folders `roots`, with unchanged content."""
    if not DOC_ID.match(doc_id):
        raise DocumentNotFound(NOT_FOUND)
    stored = next((d for d in documents.values() if d.doc_id == doc_id), None)
    if stored is None or not stored.path:
        raise DocumentNotFound(NOT_FOUND)
    path = Path(stored.path).resolve()
    folders = [root.resolve() for root in roots]
    if not any(path.is_relative_to(folder) for folder in folders) or not path.is_file():
        raise DocumentNotFound(NOT_FOUND)
    if hash_bytes(path.read_bytes())[:16] != doc_id:
        raise DocumentNotFound(CHANGED)
    return stored, path


def text_page(stored: StoredDocument, text: str, passage: Chunk | None) -> str:
    """A self-contained HTML page of a document's text, escaped, the passage in `<mark>`."""
    if passage is not None and 0 <= passage.start < passage.end <= len(text):
        body = (
            _plain(text[: passage.start])
            + f'<mark id="pasaje">{_plain(text[passage.start : passage.end])}</mark>'
            + _plain(text[passage.end :])
        )
    else:
        body = _plain(text)
    meta = " · ".join(escape(p) for p in (stored.institution, stored.date, stored.kind) if p)
    jump = '<p><a href="#pasaje">Ir al pasaje citado</a></p>' if passage is not None else ""
    return (
        '<!DOCTYPE html><html lang="es"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        f"<title>{escape(stored.title or stored.source)}</title>"
        f"<style>{PAGE_STYLE}</style></head><body><main>"
        f"<h1>{escape(stored.title or stored.source)}</h1>"
        + (f'<p class="meta">{meta}</p>' if meta else "")
        + f'<p class="meta">Archivo: {escape(stored.source)}</p>{jump}'
        f'<div class="text">{body}</div></main></body></html>'
    )


def _plain(text: str) -> str:
    # Markdown heading markers are structure for the chunker, not for the reader.
    return escape(re.sub(r"(?m)^#{1,6} ", "", text))


def error_page(message: str) -> str:
    return (
        '<!DOCTYPE html><html lang="es"><head><meta charset="utf-8"><title>Documento no '
        f"disponible</title><style>{PAGE_STYLE}</style></head><body><main>"
        f"<h1>Documento no disponible</h1><p>{escape(message)}</p></main></body></html>"
    )


def view_document(
    documents: Mapping[str, StoredDocument],
    roots: Sequence[Path],
    chunks: Mapping[str, Chunk],
    doc_id: str,
    passage: int | None = None,
) -> DocumentView:
    """The response for one request of the document route."""
    try:
        stored, path = indexed_file(documents, roots, doc_id)
    except DocumentNotFound as refusal:
        return DocumentView(
            404, "text/html; charset=utf-8", error_page(str(refusal)).encode(), dict(TEXT_HEADERS)
        )
    if path.suffix.lower() == ".pdf":
        name = re.sub(r"[^\w.-]", "_", path.name)
        headers = {
            "Content-Disposition": f'inline; filename="{name}"',
            "X-Content-Type-Options": "nosniff",
            "Referrer-Policy": "no-referrer",
        }
        return DocumentView(200, "application/pdf", path.read_bytes(), headers)
    try:
        document = load_document(SourceFile(path, stored.source, hash_bytes(path.read_bytes())))
    except DocumentError as error:
        return DocumentView(
            404, "text/html; charset=utf-8", error_page(str(error)).encode(), dict(TEXT_HEADERS)
        )
    chunk = chunks.get(f"{doc_id}-{passage:04d}") if passage is not None else None
    page = text_page(stored, document.text, chunk)
    return DocumentView(200, "text/html; charset=utf-8", page.encode(), dict(TEXT_HEADERS))
