"""Incremental, idempotent indexing of corpus folders into the store.

A document is identified by its content hash: unchanged files are skipped without being parsed,
changed ones re-embedded, deleted ones removed, and a document whose indexing was interrupted
(fewer passages stored than it should have) is redone. One unreadable file is reported and
never stops the others."""

from __future__ import annotations

import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from index.chunking import Chunk, ChunkingConfig, chunk_document
from index.documents import Document, DocumentError, SourceFile
from index.embedding import Embedder
from index.injection import INSTRUCTIONS_WARNING, addresses_the_assistant
from index.loading import MAX_TEXT_CHARS, load_document, scan_corpus
from index.manifest import NO_ENTRY, ManifestEntry, read_manifest
from index.sentences import split_sentences
from index.store import ChromaStore
from index.windows import chunk_windows, passage_sentences

Progress = Callable[[int, int, str], None]


@dataclass
class IndexReport:
    """What one indexing run did."""

    added: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)
    failed: dict[str, str] = field(default_factory=dict)
    warnings: dict[str, str] = field(default_factory=dict)  # indexed, but worth a look
    chunks_embedded: int = 0
    windows_embedded: int = 0  # sentence windows (index.windows) embedded with those passages
    chunks_total: int = 0
    seconds: float = 0.0

    @property
    def changed(self) -> bool:
        return bool(self.added or self.updated or self.removed)

    def summary(self) -> str:
        """A one-paragraph Spanish summary for the console."""
        lines = [
            f"Documentos: {len(self.added)} nuevos, {len(self.updated)} actualizados, "
            f"{len(self.unchanged)} sin cambios, {len(self.removed)} eliminados, "
            f"{len(self.failed)} con error.",
            f"Pasajes: {self.chunks_embedded} procesados ahora (con {self.windows_embedded} "
            f"ventanas de oraciones), {self.chunks_total} en el índice. "
            f"Tiempo: {self.seconds:.1f} s.",
        ]
        lines += [f"  ✗ {source}: {reason}" for source, reason in sorted(self.failed.items())]
        lines += [f"  ! {source}: {note}" for source, note in sorted(self.warnings.items())]
        return "\n".join(lines)


def _scan(
    roots: Sequence[Path], report: IndexReport
) -> list[tuple[SourceFile, ManifestEntry | None]]:
    found: dict[str, tuple[SourceFile, ManifestEntry | None]] = {}
    for root in roots:
        if not root.is_dir():
            report.failed[str(root)] = "la carpeta del corpus no existe"
            continue
        try:
            manifest = read_manifest(root)
        except ValueError as error:
            report.failed[f"{root.name}/manifest.toml"] = str(error)
            manifest = {}
        for file in scan_corpus([root]):
            if file.source in found:
                report.failed[f"{root}/{file.source}"] = (
                    f"otro corpus ya tiene un documento llamado `{file.source}`"
                )
                continue
            found[file.source] = (file, manifest.get(file.source))
    return list(found.values())


def index_corpus(
    roots: Sequence[Path],
    store: ChromaStore,
    embedder: Embedder,
    config: ChunkingConfig,
    progress: Progress | None = None,
    max_chars: int = MAX_TEXT_CHARS,
) -> IndexReport:
    """Bring `store` up to date with the documents under `roots`.

    Holds the store's indexing lock throughout: a second indexer of the same store gets
    IndexingBusyError at once instead of interleaving its writes with this one's. The store is
    consistent whenever the process dies: a document counts as done only once all its passages
    are stored, so the next run finishes what a killed one left half-way."""
    with store.lock.hold():
        return _index(roots, store, embedder, config, progress, max_chars)


# Passages embedded per model call. Small documents (a note, an agreement) hold a handful of
# passages each; embedding them one document at a time left the model running on batches of 3
# to 7 and cost a fifth of its speed on a corpus of short files (measured: 0.82 of the bare
# model's rate on the seed corpus ×10, against 0.94 on long laws).
_EMBED_BATCH = 64


def _embed_and_store(
    pending: list[tuple[Document, list[Chunk], bool]],
    store: ChromaStore,
    embedder: Embedder,
    config: ChunkingConfig,
    report: IndexReport,
) -> None:
    """Embed the pending documents' passages, their sentence windows and their sentences in
    one call, then store each document whole: a document is written only once all its vectors
    exist, so a killed run never leaves one half-stored (the next run redoes what was
    pending)."""
    if not pending:
        return
    windows = [
        [w for c in chunks for w in chunk_windows(c, config.window_min_chars)]
        for _, chunks, _ in pending
    ]
    sentences = [[s for c in chunks for s in passage_sentences(c)] for _, chunks, _ in pending]
    texts = [c.context_text for _, chunks, _ in pending for c in chunks]
    texts += [w.text for document_windows in windows for w in document_windows]
    texts += [s.text for document_sentences in sentences for s in document_sentences]
    # Neighbouring passages overlap by a sentence or two, so their windows and sentences repeat:
    # a fifth of the characters on the 25 documents. Each distinct text is embedded once.
    distinct = list(dict.fromkeys(texts))
    row = {text: i for i, text in enumerate(distinct)}
    vectors = embedder.embed(distinct, "passage")[[row[text] for text in texts]]
    start = 0
    window_start = sum(len(chunks) for _, chunks, _ in pending)
    sentence_start = window_start + sum(len(w) for w in windows)
    for (document, chunks, replaces), document_windows, document_sentences in zip(
        pending, windows, sentences, strict=True
    ):
        # whatever an earlier write of this file left, an interrupted one included: passages,
        # and windows a run killed before the passages never had counted
        store.delete(document.source)
        window_end = window_start + len(document_windows)
        sentence_end = sentence_start + len(document_sentences)
        store.add(
            document,
            chunks,
            vectors[start : start + len(chunks)],
            document_windows,
            vectors[window_start:window_end],
            document_sentences,
            vectors[sentence_start:sentence_end],
        )
        start, window_start, sentence_start = start + len(chunks), window_end, sentence_end
        report.chunks_embedded += len(chunks)
        report.windows_embedded += len(document_windows)
        (report.updated if replaces else report.added).append(document.source)
    pending.clear()


def _index(
    roots: Sequence[Path],
    store: ChromaStore,
    embedder: Embedder,
    config: ChunkingConfig,
    progress: Progress | None,
    max_chars: int,
) -> IndexReport:
    started = time.perf_counter()
    report = IndexReport()
    files = _scan(roots, report)
    stored = store.documents()
    seen_ids: dict[str, str] = {}
    pending: list[tuple[Document, list[Chunk], bool]] = []
    for position, (file, entry) in enumerate(files):
        if progress:
            progress(position, len(files), file.source)
        previous = stored.get(file.source)
        if file.doc_id in seen_ids:
            report.failed[file.source] = f"es idéntico a `{seen_ids[file.doc_id]}` (se omite)"
            continue
        seen_ids[file.doc_id] = file.source
        fingerprint = entry.fingerprint if entry else NO_ENTRY
        if (
            previous
            and previous.doc_id == file.doc_id
            and previous.complete
            and previous.manifest == fingerprint
        ):
            report.unchanged.append(file.source)
            continue
        try:
            document = load_document(file, entry, max_chars)
        except DocumentError as error:
            report.failed[file.source] = error.reason
            if previous:
                store.delete(file.source)
            continue
        if any(addresses_the_assistant(s) for s in split_sentences(document.text)):
            report.warnings[file.source] = INSTRUCTIONS_WARNING
        pending.append((document, chunk_document(document, config), previous is not None))
        if sum(len(chunks) for _, chunks, _ in pending) >= _EMBED_BATCH:
            _embed_and_store(pending, store, embedder, config, report)
    _embed_and_store(pending, store, embedder, config, report)
    present = {file.source for file, _ in files}
    for source in stored.keys() - present:
        store.delete(source)
        report.removed.append(source)
    store.delete_parts_except(present)
    if progress:
        progress(len(files), len(files), "")
    report.chunks_total = store.count()
    report.seconds = time.perf_counter() - started
    return report
