"""Finding corpus files and turning each into a cleaned Document."""

from __future__ import annotations

import codecs
import re
from collections.abc import Sequence
from pathlib import Path

from index.cleaning import CleanText, clean_markdown, clean_pdf_pages
from index.documents import SUPPORTED_SUFFIXES, Document, DocumentError, SourceFile, hash_bytes
from index.html_text import clean_html
from index.lines import has_placeholder
from index.manifest import MANIFEST_NAME, NO_ENTRY, ManifestEntry
from index.pdf import read_pdf

EMPTY = "el archivo está vacío"
NO_TEXT_LEFT = "no queda texto legible después de limpiar el documento"
BINARY = "el archivo no es de texto (parece binario)"
# About 4,500 passages: a few minutes of embedding on a CPU. Beyond this a file is most likely a
# dump that would hold the index up for an hour; it is reported, not silently truncated.
MAX_TEXT_CHARS = 5_000_000

_STRUCTURE_TITLE = re.compile(
    r"^(?:LIBRO|T[ÍI]TULO|CAP[ÍI]TULO|SECCI[ÓO]N|TRANSITORIO|ART[ÍI]CULO)", re.IGNORECASE
)
_DOCUMENT_TITLE = re.compile(
    r"^(?:LEY|C[ÓO]DIGO|CONSTITUCI[ÓO]N|PROTOCOLO|REGLAMENTO|ACUERDO|LINEAMIENTOS|NORMA|PROGRAMA"
    r"|MODELO|CONVENIO|DECRETO|BASES|GU[ÍI]A|MANUAL|INFORME|ANEXO)\s+\S+\s+\S+"
)
_ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}")
_MAX_TITLE = 160


def scan_corpus(roots: Sequence[Path]) -> list[SourceFile]:
    """Every supported file under `roots` (recursively), hashed, in a stable order: by root, then
    by relative path. Hidden files and folders and `manifest.toml` are skipped, and so is a file
    whose bytes repeat one already found (same content, same doc_id)."""
    found: list[SourceFile] = []
    seen: set[str] = set()
    for root in roots:
        candidates = []
        for path in root.rglob("*"):
            relative = path.relative_to(root)
            if any(part.startswith(".") for part in relative.parts) or path.name == MANIFEST_NAME:
                continue
            if path.suffix.lower() in SUPPORTED_SUFFIXES and path.is_file():
                candidates.append((relative.as_posix(), path))
        for source, path in sorted(candidates):
            digest = hash_bytes(path.read_bytes())
            if digest not in seen:
                seen.add(digest)
                found.append(SourceFile(path=path, source=source, sha256=digest))
    return found


def load_document(
    file: SourceFile, entry: ManifestEntry | None = None, max_chars: int = MAX_TEXT_CHARS
) -> Document:
    """Read, decode, extract and clean one file. Title, institution, date and kind come from the
    manifest entry when given, else from the file's own metadata (front matter, HTML head, PDF
    info), else from its first heading or its name. Raises DocumentError (Spanish) when the
    file cannot give any text."""
    source = file.source
    suffix = file.path.suffix.lower()
    if suffix not in SUPPORTED_SUFFIXES:
        allowed = ", ".join(SUPPORTED_SUFFIXES)
        raise DocumentError(
            source, f"formato no admitido ({suffix or 'sin extensión'}); se admiten {allowed}"
        )
    try:
        data = file.path.read_bytes()
    except OSError as err:
        raise DocumentError(source, f"no se pudo abrir el archivo ({err.strerror or err})") from err
    if not data.strip():
        raise DocumentError(source, EMPTY)
    # A text file's characters are at most its bytes (and at least a quarter of them): a file
    # that cannot fit is refused before it is decoded and cleaned.
    if suffix != ".pdf" and len(data) > 4 * max_chars:
        raise DocumentError(source, _too_large(len(data) / 4, max_chars))
    cleaned = _clean(data, suffix, source)
    if not cleaned.text.strip():
        raise DocumentError(source, NO_TEXT_LEFT)
    if len(cleaned.text) > max_chars:
        raise DocumentError(source, _too_large(len(cleaned.text), max_chars))
    metadata = cleaned.metadata
    given = entry or ManifestEntry(title="")
    return Document(
        doc_id=file.doc_id,
        path=file.path,
        source=source,
        title=given.title.strip() or choose_title(metadata, cleaned.text, file.path),
        institution=given.institution or _institution(metadata),
        date=given.date or _date(metadata),
        kind=given.kind or metadata.get("kind", metadata.get("tipo", "")),
        text=cleaned.text,
        pages=cleaned.pages,
        metadata=metadata,
        acronym=given.acronym,
        url=given.url,
        origin=given.origin,
        licence=given.licence,
        manifest=entry.fingerprint if entry else NO_ENTRY,
    )


def _too_large(chars: float, max_chars: int) -> str:
    return (
        f"el documento es demasiado grande (más de {chars / 1e6:.1f} millones de caracteres de "
        f"texto; el máximo es {max_chars / 1e6:g} millones): divídalo en varios archivos o suba "
        "el límite con ASISTENTE_CORPUS__MAX_TEXT_CHARS"
    )


def _clean(data: bytes, suffix: str, source: str) -> CleanText:
    if suffix == ".pdf":
        extracted = read_pdf(data, source)
        cleaned = clean_pdf_pages(extracted.pages)
        return CleanText(cleaned.text, cleaned.pages, extracted.metadata)
    text = decode_bytes(data)
    if _looks_binary(text):
        raise DocumentError(source, BINARY)
    if suffix in (".html", ".htm"):
        return clean_html(text)
    return clean_markdown(text, paged=suffix == ".txt")


def decode_bytes(data: bytes) -> str:
    """Text from bytes: UTF-8 (with or without BOM), UTF-16 with BOM (or plainly UTF-16 by its
    zero bytes), else Windows-1252, else Latin-1 (which never fails)."""
    if data.startswith(codecs.BOM_UTF8):
        return data[len(codecs.BOM_UTF8) :].decode("utf-8", errors="replace")
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return data.decode("utf-16", errors="replace")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    zeros = data[:4096].count(0)
    if zeros > len(data[:4096]) // 4:  # UTF-16 without BOM: every other byte of ASCII is zero
        odd_zeros = data[1:4096:2].count(0)
        return data.decode("utf-16-le" if odd_zeros >= zeros / 2 else "utf-16-be", errors="replace")
    try:
        return data.decode("cp1252")
    except UnicodeDecodeError:
        return data.decode("latin-1")


def _looks_binary(text: str) -> bool:
    sample = text[:4096]
    odd = sum(1 for ch in sample if (ord(ch) < 32 and ch not in "\t\n\r\f") or ch == "\ufffd")
    return bool(sample) and odd > len(sample) * 0.1


def choose_title(metadata: dict[str, str], text: str, path: Path) -> str:
    """The best title without a manifest: metadata title (front matter, Pelican `Title:`, HTML
    <h1>/<title>, PDF info), else a heading that opens the text or the first level-1 heading
    (not a TÍTULO/CAPÍTULO line), else a capitals line naming the document ("LEY FEDERAL
    PARA…") near the top, else the file name made readable."""
    title = metadata.get("title", "")
    if title and not has_placeholder(title):
        return _shorten(title)
    paragraphs = text.split("\n\n")
    for number, paragraph in enumerate(paragraphs):
        if not paragraph.startswith("#"):
            continue
        heading = paragraph.lstrip("#").strip()
        if (number == 0 or paragraph.startswith("# ")) and not _STRUCTURE_TITLE.match(heading):
            return _shorten(heading)
    for paragraph in paragraphs[:25]:
        if _DOCUMENT_TITLE.match(paragraph) and paragraph.upper() == paragraph:
            return _shorten(paragraph.rstrip("."))
    return humanize_name(path)


def humanize_name(path: Path) -> str:
    """A readable title from a file name: "ley_federal_LFPED.txt" -> "Ley federal LFPED"."""
    words = re.sub(r"[_\-\s]+", " ", path.stem).strip()
    return words[:1].upper() + words[1:] if words else path.name


def _shorten(title: str) -> str:
    title = " ".join(title.split())
    if len(title) <= _MAX_TITLE:
        return title
    return title[:_MAX_TITLE].rsplit(" ", 1)[0].rstrip(",;:") + "…"


def _institution(metadata: dict[str, str]) -> str:
    for key in ("institution", "institucion", "institución", "publisher", "author", "autor"):
        value = metadata.get(key, "")
        # PDF authors are often a login name ("lgguzman"); an institution has several words.
        if len(value.split()) >= 2:
            return value
    return ""


def _date(metadata: dict[str, str]) -> str:
    for key in ("date", "fecha", "datepublished"):
        value = metadata.get(key, "")
        if value:
            match = _ISO_DATE.match(value)
            return match.group(0) if match else value
    return ""
