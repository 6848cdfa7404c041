"""The document library as the window shows and changes it: one row per document with its
status, and the staff operations on the corpus folder (add an uploaded file under a safe name
after checking it can be read; withdraw a document into a hidden folder the indexer skips)."""

from __future__ import annotations

import json
import re
import shutil
import tempfile
import unicodedata
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

from index.documents import (
    SUPPORTED_SUFFIXES,
    Document,
    DocumentError,
    SourceFile,
    hash_bytes,
)
from index.loading import load_document
from index.manifest import MANIFEST_NAME, parse_manifest
from index.store import StoredDocument
from ui.render import escape

COLUMNS = ["Título", "Institución", "Fecha", "Tipo", "Pasajes", "Estado", "Procedencia"]
WITHDRAWN_FOLDER = ".retirados"  # hidden: the indexer skips it, and nothing is lost
_MAX_STEM = 80


class LibraryError(Exception):
    """A change to the library that cannot be made; the message is Spanish and names the file."""


@dataclass(frozen=True)
class Added:
    """A file accepted into the corpus."""

    path: Path
    title: str


def library_rows(
    documents: Mapping[str, StoredDocument], failed: Mapping[str, str]
) -> list[list[str]]:
    """Rows of the library table (the cells of COLUMNS, then the document id, empty for files
    that failed): indexed documents by title, then the files that failed with the reason."""
    rows = []
    for stored in sorted(documents.values(), key=lambda d: (d.title or d.source).lower()):
        state = "indexado" if stored.complete else "incompleto: hay que volver a indexar"
        rows.append(
            [
                stored.title or stored.source,
                stored.institution or "—",
                stored.date or "—",
                stored.kind or "—",
                str(stored.chunks),
                state,
                provenance(stored),
                stored.doc_id,
            ]
        )
    for source, reason in sorted(failed.items()):
        if source not in documents:
            rows.append([source, "—", "—", "—", "0", f"falló: {reason}", "—", ""])
    return rows


def provenance(stored: StoredDocument) -> str:
    """Where a document comes from and under which terms it may be shared, as the manifest
    says ("CC-BY-SA 4.0, CLADEM · https://…"); "—" when it says nothing."""
    parts = [part for part in (stored.licence, stored.url or stored.origin) if part]
    return " · ".join(parts) or "—"


def library_table(rows: Sequence[Sequence[str]]) -> str:
    """The library as an HTML table, escaped; each indexed title opens its document through the
    safe route. On narrow screens each row reads as a small card (labels come from data-label)."""
    head = "".join(f'<th scope="col">{escape(c)}</th>' for c in COLUMNS)
    body = []
    for *cells, doc_id in rows:
        title = escape(cells[0])
        if doc_id:
            title = (
                f'<a href="documento/{escape(doc_id)}" target="_blank" rel="noopener noreferrer">'
                f"{title}</a>"
            )
        failed = cells[5].startswith("falló")
        parts = [f'<th scope="row" data-label="{COLUMNS[0]}">{title}</th>']
        parts += [
            f'<td data-label="{label}">{escape(cell)}</td>'
            for label, cell in zip(COLUMNS[1:], cells[1:], strict=True)
        ]
        body.append(f'<tr class="{"failed" if failed else "indexed"}">{"".join(parts)}</tr>')
    summary = f"{sum(1 for r in rows if r[-1])} documentos indexados"
    if any(not r[-1] for r in rows):
        summary += f", {sum(1 for r in rows if not r[-1])} con error"
    return (
        f'<table class="library"><caption>{summary}</caption><thead><tr>{head}</tr></thead>'
        f"<tbody>{''.join(body)}</tbody></table>"
    )


def safe_name(filename: str) -> str:
    """A file name safe to write in the corpus folder: no folders, ASCII letters, digits, `-`,
    `_` and one extension; raises LibraryError for unsupported kinds of file."""
    name = Path(filename.replace("\\", "/")).name
    suffix = Path(name).suffix.lower()
    if suffix not in SUPPORTED_SUFFIXES:
        allowed = ", ".join(s.lstrip(".").upper() for s in SUPPORTED_SUFFIXES)
        raise LibraryError(f"`{name}`: solo se aceptan archivos {allowed}")
    stem = unicodedata.normalize("NFKD", Path(name).stem).encode("ascii", "ignore").decode()
    stem = re.sub(r"[^A-Za-z0-9_-]+", "_", stem).strip("_-.").lower()[:_MAX_STEM].strip("_-")
    return f"{stem or 'documento'}{suffix}"


def _unique(folder: Path, name: str) -> Path:
    target = folder / name
    stem, suffix = Path(name).stem, Path(name).suffix
    number = 2
    while target.exists():
        target = folder / f"{stem}-{number}{suffix}"
        number += 1
    return target


def manifest_entry(source: str, title: str, institution: str, date: str, kind: str) -> str:
    """One manifest table as TOML text (JSON strings are valid TOML basic strings)."""
    lines = [f"[{json.dumps(source, ensure_ascii=False)}]"]
    for key, value in (
        ("title", title),
        ("institution", institution),
        ("date", date),
        ("kind", kind),
    ):
        lines.append(f"{key} = {json.dumps(' '.join(value.split()), ensure_ascii=False)}")
    return "\n".join(lines) + "\n"


def check_upload(
    upload: Path,
    filename: str,
    documents: Mapping[str, StoredDocument],
    max_bytes: int,
) -> Document:
    """An uploaded file read as the indexer will read it, or LibraryError (Spanish, naming the
    file): a kind of file that is not accepted, one too large, a copy of a document already in
    the library, or one the loader cannot read (with its reason)."""
    name = safe_name(filename)
    data = upload.read_bytes()
    if len(data) > max_bytes:
        raise LibraryError(
            f"`{filename}`: pesa {len(data) / 1e6:.1f} MB; el máximo es {max_bytes / 1e6:.0f} MB"
        )
    digest = hash_bytes(data)
    same = next((d for d in documents.values() if d.doc_id == digest[:16]), None)
    if same is not None:
        raise LibraryError(f"`{filename}` ya está en la biblioteca como «{same.title}»")
    with tempfile.TemporaryDirectory() as folder:
        probe = Path(folder) / name
        probe.write_bytes(data)
        try:
            return load_document(SourceFile(probe, name, digest))
        except DocumentError as error:
            raise LibraryError(f"`{filename}` no se puede usar: {error.reason}") from error


def add_document(
    upload: Path,
    filename: str,
    corpus: Path,
    documents: Mapping[str, StoredDocument],
    max_bytes: int,
    metadata: Mapping[str, str] | None = None,
) -> Added:
    """Check an uploaded file (`check_upload`) and save it into `corpus` under a safe, unused
    name. `metadata` (title, institution, date, kind) is written to the folder's manifest when
    any of it is given; a missing title is the document's own."""
    document = check_upload(upload, filename, documents, max_bytes)
    data = upload.read_bytes()
    corpus.mkdir(parents=True, exist_ok=True)
    target = _unique(corpus, safe_name(filename))
    title = document.title
    given = metadata or {}
    wanted = {k: (given.get(k) or "").strip() for k in ("title", "institution", "date", "kind")}
    if any(wanted.values()):
        wanted["title"] = wanted["title"] or document.title
        _append_manifest(corpus, manifest_entry(target.name, **wanted))
        title = wanted["title"]
    partial = corpus / f".subiendo-{target.name}"  # hidden until complete: never half-indexed
    partial.write_bytes(data)
    partial.replace(target)
    return Added(target, title)


def _append_manifest(corpus: Path, entry: str) -> None:
    path = corpus / MANIFEST_NAME
    current = path.read_text(encoding="utf-8-sig") if path.exists() else ""
    updated = (current.rstrip("\n") + "\n\n" if current.strip() else "") + entry
    try:
        parse_manifest(updated, str(path))
    except ValueError as error:
        raise LibraryError(f"no se pudo añadir la ficha al manifiesto: {error}") from error
    path.write_text(updated, encoding="utf-8")


def withdraw_document(stored: StoredDocument, roots: Sequence[Path]) -> Path:
    """Move an indexed document's file out of the library into the hidden `.retirados` folder of
    its corpus folder (the next indexing run drops it). Returns where the file went."""
    path = Path(stored.path).resolve()
    root = next((r.resolve() for r in roots if path.is_relative_to(r.resolve())), None)
    if root is None or not path.is_file():
        raise LibraryError(f"`{stored.source}` no está en una carpeta del corpus")
    folder = root / WITHDRAWN_FOLDER
    folder.mkdir(exist_ok=True)
    target = _unique(folder, path.name)
    shutil.move(str(path), target)
    return target
