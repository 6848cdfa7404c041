"""The vector store: Chroma, embedded in a local folder or as a server, holding one record per
passage with flat metadata (doc_id, source, page, ordinal, ...) and always our own vectors."""

from __future__ import annotations

from collections.abc import Collection, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from index.chunking import Chunk
from index.documents import Document
from index.embedding import Vectors
from index.indexing_lock import IndexingLock
from index.windows import Window

_BATCH = 256
# Records read per request: Chroma fetches a page's metadata in one SQL statement, which SQLite
# refuses beyond 32 766 variables (a whole store of 54 000 windows could not be read at once).
_PAGE = 5000
# What the store keeps of a document besides its passages (on each passage's record).
_DOCUMENT_FIELDS = ("acronym", "url", "origin", "licence", "manifest")


@dataclass(frozen=True)
class DocumentRecords:
    """What the store writes of one document: its passages and their sentence windows, each
    with its vector (rows in the same order)."""

    document: Document
    chunks: Sequence[Chunk]
    vectors: Vectors
    windows: Sequence[Window] = ()
    window_vectors: Vectors | None = None
    # each sentence alone (`index.windows.passage_sentences`), what the extractive answer
    # ranks by meaning
    sentences: Sequence[Window] = ()
    sentence_vectors: Vectors | None = None

    def parts(self) -> tuple[tuple[Sequence[Window], Vectors | None], ...]:
        """The windows and the sentences, each with its vectors, in the store's order."""
        return (self.windows, self.window_vectors), (self.sentences, self.sentence_vectors)


class StoreMismatchError(Exception):
    """The store was written with another embedding model or chunking: mixing is refused."""


@dataclass(frozen=True)
class StoredDocument:
    """What the store knows of one indexed document."""

    doc_id: str
    source: str
    path: str
    title: str
    institution: str
    date: str
    kind: str
    chunks: int
    expected_chunks: int
    acronym: str = ""
    url: str = ""
    origin: str = ""
    licence: str = ""
    manifest: str = "-"  # fingerprint of the manifest entry it was indexed with

    @property
    def complete(self) -> bool:
        """False when indexing was interrupted half-way through this document."""
        return self.chunks == self.expected_chunks


def connect(
    backend: str, path: Path, host: str = "127.0.0.1", port: int = 8000, token: str = ""
) -> Any:
    """A Chroma client with telemetry off: embedded in `path`, or a server at host:port."""
    import chromadb
    from chromadb.config import Settings as ChromaSettings

    if backend == "http":
        headers = {"Authorization": f"Bearer {token}"} if token else None
        return chromadb.HttpClient(
            host=host,
            port=port,
            headers=headers,
            settings=ChromaSettings(anonymized_telemetry=False),
        )
    path.mkdir(parents=True, exist_ok=True)
    return chromadb.PersistentClient(
        path=str(path), settings=ChromaSettings(anonymized_telemetry=False)
    )


class ChromaStore:
    """Passages and their vectors in one Chroma collection stamped with the model and chunking
    that produced them, and the vectors of their sentence windows (see `index.windows`) in a
    second one beside it. Writers hold `lock` (see `index_corpus`); readers do not need it."""

    def __init__(
        self, client: Any, collection: str, stamp: dict[str, str], lock: IndexingLock
    ) -> None:
        self._client = client
        self.lock = lock
        self._name = collection
        self._stamp = stamp
        self._collection, self._windows, self._sentences = self._open()
        self._check_stamp()

    def _names(self) -> tuple[str, str, str]:
        return self._name, f"{self._name}-windows", f"{self._name}-sentences"

    def _open(self) -> tuple[Any, Any, Any]:
        # embedding_function=None: Chroma's default embedder would download a model.
        passages, windows, sentences = (
            self._client.get_or_create_collection(
                name,
                configuration={"hnsw": {"space": "cosine"}},
                metadata=self._stamp,
                embedding_function=None,
            )
            for name in self._names()
        )
        return passages, windows, sentences

    def _check_stamp(self) -> None:
        found = {
            k: str(v) for k, v in (self._collection.metadata or {}).items() if k in self._stamp
        }
        if found == self._stamp:
            return
        if self._collection.count() == 0:
            self._collection.modify(metadata=self._stamp)
            for part in (self._windows, self._sentences):
                if part.count():  # left by a run killed before its first passage
                    part.delete(ids=_read_all(part, [])["ids"])
                part.modify(metadata=self._stamp)
            return
        differences = ", ".join(
            f"{key}: guardado «{found.get(key, '?')}», configurado «{value}»"
            for key, value in self._stamp.items()
            if found.get(key) != value
        )
        raise StoreMismatchError(
            f"El índice «{self._name}» se construyó con otra configuración ({differences}). "
            "No se mezclan vectores distintos: ejecute `asistente index --rebuild` para "
            "reconstruirlo, o use otra carpeta de índice (ASISTENTE_STORE__PATH)."
        )

    def reset(self) -> None:
        """Drop every passage (a rebuild)."""
        with self.lock.hold():
            for name in self._names():
                self._client.delete_collection(name)
            self._collection, self._windows, self._sentences = self._open()

    def count(self) -> int:
        return int(self._collection.count())

    def documents(self) -> dict[str, StoredDocument]:
        """Indexed documents by source, counting the passages each really has."""
        metadatas = _read_all(self._collection, ["metadatas"])["metadatas"]
        counts: dict[str, int] = {}
        first: dict[str, dict[str, Any]] = {}
        for meta in metadatas:
            source = str(meta["source"])
            counts[source] = counts.get(source, 0) + 1
            first.setdefault(source, meta)
        return {
            source: StoredDocument(
                doc_id=str(meta["doc_id"]),
                source=source,
                path=str(meta.get("path", "")),
                title=str(meta.get("title", "")),
                institution=str(meta.get("institution", "")),
                date=str(meta.get("date", "")),
                kind=str(meta.get("kind", "")),
                chunks=counts[source],
                expected_chunks=int(meta.get("n_chunks", -1)),
                **{key: str(meta.get(key, "")) for key in _DOCUMENT_FIELDS},
            )
            for source, meta in sorted(first.items())
        }

    def window_count(self) -> int:
        return int(self._windows.count())

    def add(
        self,
        document: Document,
        chunks: Sequence[Chunk],
        vectors: Vectors,
        windows: Sequence[Window] = (),
        window_vectors: Vectors | None = None,
        sentences: Sequence[Window] = (),
        sentence_vectors: Vectors | None = None,
    ) -> None:
        """Store a document's passages, their windows and their sentences. Ids are
        deterministic, so re-adding is an overwrite. Windows and sentences go first: a document
        whose passages are all stored (the test of `StoredDocument.complete`) has them too."""
        self.add_many(
            [
                DocumentRecords(
                    document, chunks, vectors, windows, window_vectors, sentences, sentence_vectors
                )
            ]
        )

    def add_many(self, records: Sequence[DocumentRecords], batch: int = _BATCH) -> None:
        """Store several documents as `add` does, in writes of up to `batch` records that may
        span documents: bulk loading (a benchmark's synthetic store) pays Chroma's cost per
        write far less often. All the windows go before all the passages."""
        for r in records:
            for (parts, vectors), what in zip(r.parts(), ("ventana", "oración"), strict=True):
                if parts and (vectors is None or len(vectors) != len(parts)):
                    raise ValueError(f"{r.document.source}: cada {what} necesita su vector")
        for kind, collection in enumerate((self._windows, self._sentences)):
            having = [r.parts()[kind] for r in records if r.parts()[kind][0]]
            if having:
                self._add_parts(
                    collection,
                    [part for parts, _ in having for part in parts],
                    np.concatenate([vectors for _, vectors in having]),
                    batch,
                )
        with_chunks = [r for r in records if r.chunks]
        if not with_chunks:
            return
        passages = [(r.document, c, len(r.chunks)) for r in with_chunks for c in r.chunks]
        vectors = np.concatenate([r.vectors[: len(r.chunks)] for r in with_chunks])
        for begin in range(0, len(passages), batch):
            part = passages[begin : begin + batch]
            self._collection.upsert(
                ids=[c.chunk_id for _, c, _ in part],
                embeddings=vectors[begin : begin + len(part)],
                documents=[c.text for _, c, _ in part],
                metadatas=[_metadata(document, c, n) for document, c, n in part],
            )

    @staticmethod
    def _add_parts(collection: Any, parts: Sequence[Window], vectors: Vectors, batch: int) -> None:
        for begin in range(0, len(parts), batch):
            part = parts[begin : begin + batch]
            collection.upsert(
                ids=[w.window_id for w in part],
                embeddings=vectors[begin : begin + len(part)],
                metadatas=[
                    {"chunk_id": w.chunk_id, "source": w.source, "doc_id": w.doc_id} for w in part
                ],
            )

    def delete_parts_except(self, sources: Collection[str]) -> None:
        """Drop the windows and sentences of every file but `sources`: a run killed between a
        document's parts and its passages leaves parts no passage owns, and the file may be
        gone."""
        for part in (self._windows, self._sentences):
            if sources:
                part.delete(where={"source": {"$nin": sorted(sources)}})
            elif part.count():
                part.delete(ids=_read_all(part, [])["ids"])

    def delete(self, source: str) -> None:
        """Remove every passage of one document, and their windows and sentences."""
        for collection in (self._collection, self._windows, self._sentences):
            collection.delete(where={"source": source})

    def chunks(self) -> list[Chunk]:
        """Every stored passage, in document and reading order."""
        return self.chunks_and_vectors(with_vectors=False)[0]

    def chunks_and_vectors(self, with_vectors: bool = True) -> tuple[list[Chunk], Vectors | None]:
        """Every stored passage in document and reading order, and (optionally) their vectors
        as one matrix in the same order."""
        include = ["documents", "metadatas", *(["embeddings"] if with_vectors else [])]
        got = _read_all(self._collection, include)
        rows = zip(got["ids"], got["documents"], got["metadatas"], strict=True)
        chunks = [_chunk(chunk_id, text, meta) for chunk_id, text, meta in rows]
        order = sorted(range(len(chunks)), key=lambda i: (chunks[i].source, chunks[i].ordinal))
        vectors = None
        if with_vectors:
            vectors = got["embeddings"][order] if chunks else np.empty((0, 0), np.float32)
        return [chunks[i] for i in order], vectors

    def windows_and_vectors(self) -> tuple[list[str], Vectors]:
        """The passage id of every stored window, and the windows' vectors in the same order."""
        got = _read_all(self._windows, ["metadatas", "embeddings"])
        owners = [str(meta["chunk_id"]) for meta in got["metadatas"]]
        if not owners:
            return [], np.empty((0, 0), dtype=np.float32)
        return owners, got["embeddings"]

    def nearest(
        self, vector: Vectors, limit: int, documents: Sequence[str] | None = None
    ) -> list[tuple[str, float]]:
        """The `limit` passages closest to `vector` as (id, cosine similarity), best first; only
        passages of `documents` (ids) when given."""
        if limit <= 0 or self.count() == 0:
            return []
        result = self._collection.query(
            query_embeddings=[vector],
            n_results=min(limit, self.count()),
            include=["distances"],
            where=_of_documents(documents),
        )
        return [
            (chunk_id, 1.0 - float(distance))
            for chunk_id, distance in zip(result["ids"][0], result["distances"][0], strict=True)
        ]

    def nearest_windows(
        self, vector: Vectors, limit: int, documents: Sequence[str] | None = None
    ) -> list[tuple[str, float]]:
        """The `limit` windows closest to `vector` as (passage id, cosine similarity), best
        first; a passage appears once per window found; only windows of `documents`."""
        count = self.window_count()
        if limit <= 0 or count == 0:
            return []
        result = self._windows.query(
            query_embeddings=[vector],
            n_results=min(limit, count),
            include=["metadatas", "distances"],
            where=_of_documents(documents),
        )
        return [
            (str(meta["chunk_id"]), 1.0 - float(distance))
            for meta, distance in zip(result["metadatas"][0], result["distances"][0], strict=True)
        ]

    def vectors(self, chunk_ids: Sequence[str]) -> dict[str, Vectors]:
        """The stored vectors of some passages, by id."""
        return _vectors(self._collection, chunk_ids)

    def sentence_vectors(self, sentence_ids: Sequence[str]) -> dict[str, Vectors]:
        """The stored vectors of some sentences, by id (`index.windows.sentence_id`)."""
        return _vectors(self._sentences, sentence_ids)


def _vectors(collection: Any, ids: Sequence[str]) -> dict[str, Vectors]:
    if not ids:
        return {}
    # Chroma refuses a repeated id; two sentences of one window ask for it twice
    got = collection.get(ids=list(dict.fromkeys(ids)), include=["embeddings"])
    embeddings = got["embeddings"] if got["embeddings"] is not None else []
    return {
        key: np.asarray(vector, dtype=np.float32)
        for key, vector in zip(got["ids"], embeddings, strict=True)
    }


def _read_all(collection: Any, include: list[str]) -> dict[str, Any]:
    """Every record of `collection`, page by page: `ids`, and each field of `include` as a
    list (`embeddings` as one float32 matrix, a row per record)."""
    got: dict[str, list[Any]] = {"ids": [], **{field: [] for field in include}}
    matrices: list[np.ndarray] = []
    while True:
        page = collection.get(include=include, limit=_PAGE, offset=len(got["ids"]))
        got["ids"] += page["ids"]
        for field in include:
            values = page[field] if page[field] is not None else []
            if field == "embeddings":
                if len(values):
                    matrices.append(np.asarray(values, dtype=np.float32).reshape(len(values), -1))
            else:
                got[field] += values
        if len(page["ids"]) < _PAGE:
            break
    result: dict[str, Any] = dict(got)
    if "embeddings" in include:
        result["embeddings"] = (
            np.concatenate(matrices) if matrices else np.empty((0, 0), np.float32)
        )
    return result


def _of_documents(documents: Sequence[str] | None) -> dict[str, Any] | None:
    """A Chroma filter on document ids (None: no filter)."""
    if not documents:
        return None
    return {"doc_id": {"$in": list(documents)}}


def _metadata(document: Document, chunk: Chunk, n_chunks: int) -> dict[str, Any]:
    meta: dict[str, Any] = {
        "doc_id": chunk.doc_id,
        "source": chunk.source,
        "path": str(document.path),
        "ordinal": chunk.ordinal,
        "n_chunks": n_chunks,
        "start": chunk.start,
        "end": chunk.end,
        "heading": chunk.heading,
        "title": chunk.title,
        "institution": chunk.institution,
        "date": chunk.date,
        "kind": chunk.kind,
        "parent_id": chunk.parent_id,
        **{key: getattr(document, key) for key in _DOCUMENT_FIELDS},
    }
    if chunk.page is not None:
        meta["page"] = chunk.page
        meta["page_end"] = chunk.page_end if chunk.page_end is not None else chunk.page
    return meta


def _chunk(chunk_id: str, text: str, meta: dict[str, Any]) -> Chunk:
    page = meta.get("page")
    return Chunk(
        chunk_id=chunk_id,
        doc_id=str(meta["doc_id"]),
        ordinal=int(meta["ordinal"]),
        text=text,
        start=int(meta["start"]),
        end=int(meta["end"]),
        page=int(page) if page is not None else None,
        page_end=int(meta.get("page_end", page)) if page is not None else None,
        heading=str(meta.get("heading", "")),
        title=str(meta.get("title", "")),
        source=str(meta["source"]),
        institution=str(meta.get("institution", "")),
        date=str(meta.get("date", "")),
        kind=str(meta.get("kind", "")),
        acronym=str(meta.get("acronym", "")),
        parent_id=str(meta.get("parent_id", "")),
    )
