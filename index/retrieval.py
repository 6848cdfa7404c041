"""Retrieval: dense search in the store, BM25 keyword search, or both fused by reciprocal rank."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

import numpy as np

from index.acronyms import expand_aliases, learn_acronyms
from index.chunking import Chunk
from index.embedding import Embedder
from index.fusion import reciprocal_rank_fusion
from index.keyword import KeywordIndex
from index.store import ChromaStore
from index.terms import common_words

RetrievalMode = Literal["hybrid", "dense", "bm25"]


@dataclass(frozen=True)
class Hit:
    """A retrieved passage: `score` orders hits, `similarity` is the question-passage cosine
    similarity (for the refusal decision), `ranks` the 0-based rank in each ranking it was in."""

    chunk: Chunk
    score: float
    similarity: float
    ranks: dict[str, int] = field(default_factory=dict, hash=False, compare=False)


class Retriever:
    """Finds the passages that answer a query. Holds the passages and the keyword index in
    memory; call `refresh()` after the store changes."""

    def __init__(
        self,
        store: ChromaStore,
        embedder: Embedder,
        mode: RetrievalMode = "hybrid",
        candidates: int = 40,
        rrf_k: int = 60,
        weights: dict[str, float] | None = None,
    ) -> None:
        self._store = store
        self._embedder = embedder
        self.mode = mode
        self._candidates = candidates
        self._rrf_k = rrf_k
        self._weights = weights or {"dense": 1.0, "bm25": 1.0}
        self.refresh()

    def refresh(self) -> None:
        """Reload passages from the store and rebuild the keyword index over them."""
        chunks = self._store.chunks()
        self.chunks = {c.chunk_id: c for c in chunks}
        self.keyword = KeywordIndex(
            [c.chunk_id for c in chunks], [c.context_text for c in chunks]
        )
        self.acronyms = learn_acronyms(c.context_text for c in chunks)
        self.common_words = common_words(c.text for c in chunks)

    def idf(self, term: str) -> float:
        """Rarity of a stemmed term in the indexed passages."""
        return self.keyword.idf(term)

    def with_aliases(self, text: str) -> str:
        """`text` plus the other name of each acronym or long name it uses."""
        return expand_aliases(text, self.acronyms)

    def retrieve(self, query: str, k: int) -> list[Hit]:
        """The `k` best passages for `query`, best first."""
        if not self.chunks or not query.strip():
            return []
        vector = self._embedder.embed([query], "query")[0]
        rankings: dict[str, list[str]] = {}
        similarity: dict[str, float] = {}
        if self.mode in ("hybrid", "dense"):
            dense = self._store.nearest(vector, self._candidates)
            rankings["dense"] = [chunk_id for chunk_id, _ in dense]
            similarity.update(dense)
        if self.mode in ("hybrid", "bm25"):
            found = self.keyword.search(self.with_aliases(query), self._candidates)
            rankings["bm25"] = [chunk_id for chunk_id, _ in found]
        fused = reciprocal_rank_fusion(rankings, self._weights, self._rrf_k)[:k]
        missing = [chunk_id for chunk_id, _, _ in fused if chunk_id not in similarity]
        if missing:
            similarity.update(self._similarities(vector, missing))
        return [
            Hit(self.chunks[chunk_id], score, similarity.get(chunk_id, 0.0), ranks)
            for chunk_id, score, ranks in fused
            if chunk_id in self.chunks
        ]

    def _similarities(self, vector: np.ndarray, chunk_ids: list[str]) -> dict[str, float]:
        vectors = self._store.vectors(chunk_ids)
        return {chunk_id: float(np.dot(vectors[chunk_id], vector)) for chunk_id in vectors}
