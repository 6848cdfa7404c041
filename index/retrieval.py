"""Retrieval: dense search in the store, BM25 keyword search, or both fused by reciprocal rank."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Literal

import numpy as np

from index.acronyms import expand_aliases, learn_acronyms
from index.chunking import Chunk
from index.editorial import is_editorial
from index.embedding import Embedder
from index.fusion import reciprocal_rank_fusion, top_keeping_leaders
from index.keyword import KeywordIndex
from index.store import ChromaStore
from index.terms import common_words, terms

RetrievalMode = Literal["hybrid", "dense", "bm25"]


@dataclass(frozen=True)
class Hit:
    """A retrieved passage: `score` orders hits, `similarity` is the question-passage cosine
    similarity (for the refusal decision: the passage's own, not its best window's, so the
    threshold keeps meaning what it was calibrated on), `ranks` the 0-based rank in each
    ranking it was in."""

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
        exact_limit: int = 200_000,
        leaders: int = 1,
    ) -> None:
        self._store = store
        self._embedder = embedder
        self.mode = mode
        self._candidates = candidates
        self._rrf_k = rrf_k
        self._weights = weights or {"dense": 1.0, "bm25": 1.0}
        self._exact_limit = exact_limit
        self._leaders = leaders
        self.refresh()

    def refresh(self) -> None:
        """Reload passages from the store and rebuild the keyword index over them."""
        # Up to `exact_limit` passages, dense search is an exact dot product over vectors held
        # in memory: faster than the store's approximate (HNSW) index at this size, and it
        # never misses the true nearest passage, which HNSW was seen to do.
        exact = self._store.count() <= self._exact_limit
        chunks, self._matrix = self._store.chunks_and_vectors(with_vectors=exact)
        self._ids = [c.chunk_id for c in chunks]
        self._row = {chunk_id: row for row, chunk_id in enumerate(self._ids)}
        self._window_rows, self._window_matrix = np.empty(0, dtype=np.intp), None
        if exact:
            owners, window_vectors = self._store.windows_and_vectors()
            known = [i for i, owner in enumerate(owners) if owner in self._row]
            self._window_rows = np.array([self._row[owners[i]] for i in known], dtype=np.intp)
            self._window_matrix = window_vectors[known]
        self.chunks = {c.chunk_id: c for c in chunks}
        self._words = {c.chunk_id: frozenset(terms(c.text)) for c in chunks}
        self._editorial = frozenset(c.chunk_id for c in chunks if is_editorial(c.text))
        self.keyword = KeywordIndex([c.chunk_id for c in chunks], [c.context_text for c in chunks])
        self.acronyms = learn_acronyms(c.context_text for c in chunks)
        self.common_words = common_words(c.text for c in chunks)

    def idf(self, term: str) -> float:
        """Rarity of a stemmed term in the indexed passages."""
        return self.keyword.idf(term)

    def with_aliases(self, text: str) -> str:
        """`text` plus the other name of each acronym or long name it uses."""
        return expand_aliases(text, self.acronyms)

    def retrieve(self, query: str, k: int, also: Sequence[str] = ()) -> list[Hit]:
        """The `k` best passages for `query`, best first. Rankings for the `also` queries (the
        bare wording of a follow-up, say) are fused in, so that a follow-up naming a new
        subject is not drowned by the topic it carried over."""
        if not self.chunks or not query.strip():
            return []
        queries = [query, *(q for q in also if q.strip() and q != query)]
        vectors = [self._embedder.embed([q], "query")[0] for q in queries]
        rankings: dict[str, list[str]] = {}
        weights: dict[str, float] = {}
        for number, (text, vector) in enumerate(zip(queries, vectors, strict=True)):
            suffix = f"#{number}" if number else ""
            if self.mode in ("hybrid", "dense"):
                rankings["dense" + suffix] = self._nearest(vector)
                weights["dense" + suffix] = self._weights["dense"]
            if self.mode in ("hybrid", "bm25"):
                found = self.keyword.search(self.with_aliases(text), self._candidates)
                rankings["bm25" + suffix] = [chunk_id for chunk_id, _ in found]
                weights["bm25" + suffix] = self._weights["bm25"]
        rankings = {
            name: [c for c in ranking if c not in self._editorial]
            for name, ranking in rankings.items()
        }
        leaders = {
            chunk_id
            for name in ("dense", "bm25")
            for chunk_id in rankings.get(name, [])[: self._leaders]
        }
        fused = reciprocal_rank_fusion(rankings, weights, self._rrf_k)
        fused = top_keeping_leaders(self._distinct(fused, k, leaders), k, leaders)
        similarity = self._similarities(vectors[0], [chunk_id for chunk_id, _, _ in fused])
        return [
            Hit(self.chunks[chunk_id], score, similarity.get(chunk_id, 0.0), ranks)
            for chunk_id, score, ranks in fused
            if chunk_id in self.chunks
        ]

    def _distinct(
        self, fused: list[tuple[str, float, dict[str, int]]], k: int, leaders: set[str]
    ) -> list[tuple[str, float, dict[str, int]]]:
        """The fused results, down to the `k`-th and the last of the `leaders`, without passages
        that repeat one ranked above almost word for word (the successive versions of an
        article a state law keeps, overlapping copies), so that the `k` places go to `k`
        different things."""
        taken: list[tuple[str, float, dict[str, int]]] = []
        seen: list[frozenset[str]] = []
        waiting = set(leaders)
        for item in fused:
            if len(taken) >= k and not waiting:
                break
            waiting.discard(item[0])
            words = self._words.get(item[0], frozenset())
            if any(len(words & other) >= 0.85 * max(len(words), len(other), 1) for other in seen):
                continue
            taken.append(item)
            seen.append(words)
        return taken

    def _nearest(self, vector: np.ndarray) -> list[str]:
        """The dense ranking: passages by the better of their own similarity to the query and
        their best sentence window's (see `index.windows`)."""
        if self._matrix is None:
            found = dict(self._store.nearest(vector, self._candidates))
            for chunk_id, similarity in self._store.nearest_windows(vector, 4 * self._candidates):
                found[chunk_id] = max(similarity, found.get(chunk_id, -1.0))
            return sorted(found, key=lambda chunk_id: -found[chunk_id])[: self._candidates]
        similarities = self._matrix @ vector
        if self._window_matrix is not None and len(self._window_rows):
            np.maximum.at(similarities, self._window_rows, self._window_matrix @ vector)
        limit = min(self._candidates, len(self._ids))
        best = np.argpartition(-similarities, limit - 1)[:limit]
        best = best[np.argsort(-similarities[best], kind="stable")]
        return [self._ids[i] for i in best]

    def _similarities(self, vector: np.ndarray, chunk_ids: list[str]) -> dict[str, float]:
        if self._matrix is not None:
            return {c: float(self._matrix[self._row[c]] @ vector) for c in chunk_ids}
        vectors = self._store.vectors(chunk_ids)
        return {chunk_id: float(np.dot(vectors[chunk_id], vector)) for chunk_id in vectors}
