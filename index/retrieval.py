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
from index.scope import DocumentNames, Scope, without_naming
from index.store import ChromaStore
from index.terms import common_words, terms
from index.units import Units, merge_texts

RetrievalMode = Literal["hybrid", "dense", "bm25"]
# Up to this many passages dense search is exact, in memory; above it, the store's HNSW index.
EXACT_LIMIT = 200_000


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
    # The passages of the hit's article or section that come with it (see `index.units`), in
    # reading order, `chunk` among them; empty when units are off.
    unit: tuple[Chunk, ...] = field(default=(), hash=False, compare=False)
    # The passages of the unit that retrieval itself ranked among the best (`chunk` first).
    matched: frozenset[str] = field(default=frozenset(), hash=False, compare=False)

    @property
    def passages(self) -> tuple[Chunk, ...]:
        """What the answer may draw on for this hit: its unit's passages, or its own."""
        return self.unit or (self.chunk,)

    @property
    def text(self) -> str:
        """The text of `passages`, their overlaps written once."""
        return merge_texts([c.text for c in self.passages])


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
        exact_limit: int = EXACT_LIMIT,
        leaders: int = 1,
        unit_chars: int = 0,
        scoped: bool = False,
    ) -> None:
        self._store = store
        self._embedder = embedder
        self.mode = mode
        self._candidates = candidates
        self._rrf_k = rrf_k
        self._weights = weights or {"dense": 1.0, "bm25": 1.0}
        self._exact_limit = exact_limit
        self._leaders = leaders
        self._unit_chars = unit_chars
        self._scoped = scoped
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
        # a section of more than twice the budget is taken as runs of passages of one budget
        self.units = Units(chunks, 2 * self._unit_chars)
        text_terms = [terms(c.text) for c in chunks]
        self._words = {c.chunk_id: frozenset(t) for c, t in zip(chunks, text_terms, strict=True)}
        self._editorial = frozenset(c.chunk_id for c in chunks if is_editorial(c.text))
        # a passage's context is its label, a line break, then its text (`Chunk.context_text`),
        # so its terms are the label's then the text's; labels repeat over a section's passages
        label_terms = {label: terms(label) for label in {c.context_label for c in chunks}}
        self.keyword = KeywordIndex(
            self._ids,
            [label_terms[c.context_label] + t for c, t in zip(chunks, text_terms, strict=True)],
        )
        self.acronyms = learn_acronyms(c.context_text for c in chunks)
        self.common_words = common_words(c.text for c in chunks)
        self.names = DocumentNames(chunks, self.acronyms)
        self._document_aliases: dict[str, str] = {}
        self._doc_rows: dict[str, np.ndarray] = {}
        for row, chunk in enumerate(chunks):
            self._doc_rows.setdefault(chunk.doc_id, np.zeros(len(chunks), dtype=bool))[row] = True

    @property
    def exact(self) -> bool:
        """Whether dense search is the exact product over vectors in memory (up to
        `exact_limit` passages) rather than the store's approximate HNSW index."""
        return self._matrix is not None

    def outline(self, doc_id: str, limit: int) -> list[Hit]:
        """The document's units in reading order, as hits (each its first passage, with the
        unit's passages within the unit budget); `limit` of them, evenly spread, when it has
        more: what a summary of the whole document draws on."""
        rows = np.flatnonzero(self._doc_rows.get(doc_id, np.zeros(0, dtype=bool)))
        chunks = sorted((self.chunks[self._ids[row]] for row in rows), key=lambda c: c.ordinal)
        heads: dict[str, Chunk] = {}
        for chunk in chunks:
            if not is_editorial(chunk.text):
                heads.setdefault(self.units.key(chunk), chunk)
        units = list(heads.values())
        if len(units) > limit:
            step = len(units) / limit
            units = [units[int(i * step)] for i in range(limit)]
        return [
            Hit(head, 0.0, 0.0, {}, self.units.around(head, self._unit_chars), frozenset())
            for head in units
        ]

    def idf(self, term: str) -> float:
        """Rarity of a stemmed term in the indexed passages."""
        return self.keyword.idf(term)

    def name_terms(self, doc_id: str) -> frozenset[str]:
        return self.names.name_terms(doc_id)

    def with_aliases(self, text: str) -> str:
        """`text` plus the other name of each acronym or long name it uses."""
        return expand_aliases(text, self.acronyms)

    def document_aliases(self, doc_id: str) -> str:
        """The other names of the acronyms and long names `doc_id` uses anywhere in it (read
        once per document, when first asked)."""
        if doc_id not in self._document_aliases:
            rows = np.flatnonzero(self._doc_rows.get(doc_id, np.zeros(0, dtype=bool)))
            text = " ".join(self.chunks[self._ids[row]].text for row in rows)
            self._document_aliases[doc_id] = expand_aliases(text, self.acronyms)[len(text) :]
        return self._document_aliases[doc_id]

    def retrieve(self, query: str, k: int, also: Sequence[str] = ()) -> list[Hit]:
        """The `k` best passages for `query`, best first. Rankings for the `also` queries (the
        bare wording of a follow-up, say) are fused in, so that a follow-up naming a new
        subject is not drowned by the topic it carried over."""
        if not self.chunks or not query.strip():
            return []
        queries = [query, *(q for q in also if q.strip() and q != query)]
        scope = self.names.scope(query) if self._scoped else None
        allowed = self._allowed(scope)
        if scope is not None:
            # within the documents it names, the question is ranked by what it asks of them
            queries = [without_naming(q, scope) for q in queries]
        vectors = [self._embedder.embed([q], "query")[0] for q in queries]
        question_vector = vectors[0] if scope is None else self._embedder.embed([query], "query")[0]
        rankings: dict[str, list[str]] = {}
        weights: dict[str, float] = {}
        for number, (text, vector) in enumerate(zip(queries, vectors, strict=True)):
            suffix = f"#{number}" if number else ""
            if self.mode in ("hybrid", "dense"):
                rankings["dense" + suffix] = self._nearest(vector, allowed, scope)
                weights["dense" + suffix] = self._weights["dense"]
            if self.mode in ("hybrid", "bm25"):
                found = self.keyword.search(self.with_aliases(text), self._candidates, allowed)
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
        if self._unit_chars:
            distinct = self._distinct(fused, k, leaders, True)
            return self._unit_hits(question_vector, distinct, k, leaders)
        fused = top_keeping_leaders(self._distinct(fused, k, leaders), k, leaders)
        similarity = self._similarities(question_vector, [chunk_id for chunk_id, _, _ in fused])
        return [
            Hit(self.chunks[chunk_id], score, similarity.get(chunk_id, 0.0), ranks)
            for chunk_id, score, ranks in fused
            if chunk_id in self.chunks
        ]

    def _unit_hits(
        self,
        vector: np.ndarray,
        fused: list[tuple[str, float, dict[str, int]]],
        k: int,
        leaders: set[str],
    ) -> list[Hit]:
        """One hit per unit, the `k` best units keeping the leaders' (see
        `top_keeping_leaders`): its best passage, with the unit's passages around it."""
        groups: dict[str, list[tuple[str, float, dict[str, int]]]] = {}
        for item in fused:
            groups.setdefault(self._parent(item[0]), []).append(item)
        led = [p for p, items in groups.items() if any(i[0] in leaders for i in items)]
        chosen = set((led + [p for p in groups if p not in led])[:k])
        best = [items[0][0] for parent, items in groups.items() if parent in chosen]
        similarity = self._similarities(vector, best)
        hits = []
        for parent, items in groups.items():
            if parent not in chosen:
                continue
            chunk_id, score, ranks = items[0]
            around = self.units.around(self.chunks[chunk_id], self._unit_chars)
            found = {i[0] for i in items}
            unit = tuple(
                c
                for c in self.units.of(self.chunks[chunk_id]).chunks
                if c in around or c.chunk_id in found
            )
            merged = {name: rank for i in reversed(items) for name, rank in i[2].items()}
            similar = similarity.get(chunk_id, 0.0)
            hits.append(Hit(self.chunks[chunk_id], score, similar, merged, unit, frozenset(found)))
        return hits

    def _parent(self, chunk_id: str) -> str:
        return self.units.key(self.chunks[chunk_id])

    def _distinct(
        self,
        fused: list[tuple[str, float, dict[str, int]]],
        k: int,
        leaders: set[str],
        by_unit: bool = False,
    ) -> list[tuple[str, float, dict[str, int]]]:
        """The fused results, down to the `k`-th (passage, or unit `by_unit`) and the last of
        the `leaders`, without passages that repeat one ranked above almost word for word (the
        successive versions of an article a state law keeps, overlapping copies), so that the
        `k` places go to `k` different things."""
        taken: list[tuple[str, float, dict[str, int]]] = []
        seen: list[frozenset[str]] = []
        waiting = set(leaders)
        units: set[str] = set()
        for item in fused:
            count = len(units) if by_unit else len(taken)
            if count >= k and not waiting and (not by_unit or self._parent(item[0]) not in units):
                break
            waiting.discard(item[0])
            words = self._words.get(item[0], frozenset())
            if any(len(words & other) >= 0.85 * max(len(words), len(other), 1) for other in seen):
                continue
            taken.append(item)
            seen.append(words)
            if by_unit and item[0] in self.chunks:
                units.add(self._parent(item[0]))
        return taken

    def _allowed(self, scope: Scope | None) -> np.ndarray | None:
        """One boolean per passage (in the order of `_ids`): those of the scope's documents."""
        if scope is None:
            return None
        rows = [self._doc_rows[d] for d in scope.doc_ids if d in self._doc_rows]
        return np.logical_or.reduce(rows) if rows else None

    def _nearest(
        self, vector: np.ndarray, allowed: np.ndarray | None = None, scope: Scope | None = None
    ) -> list[str]:
        """The dense ranking: passages by the better of their own similarity to the query and
        their best sentence window's (see `index.windows`); only `allowed` ones when given."""
        if self._matrix is None:
            documents = sorted(scope.doc_ids) if scope is not None else None
            found = dict(self._store.nearest(vector, self._candidates, documents))
            windows = self._store.nearest_windows(vector, 4 * self._candidates, documents)
            for chunk_id, similarity in windows:
                found[chunk_id] = max(similarity, found.get(chunk_id, -1.0))
            return sorted(found, key=lambda chunk_id: -found[chunk_id])[: self._candidates]
        similarities = self._matrix @ vector
        if self._window_matrix is not None and len(self._window_rows):
            np.maximum.at(similarities, self._window_rows, self._window_matrix @ vector)
        if allowed is not None:
            similarities = np.where(allowed, similarities, -np.inf)
        limit = min(self._candidates, len(self._ids))
        best = np.argpartition(-similarities, limit - 1)[:limit]
        best = best[np.argsort(-similarities[best], kind="stable")]
        return [self._ids[i] for i in best if np.isfinite(similarities[i])]

    def _similarities(self, vector: np.ndarray, chunk_ids: list[str]) -> dict[str, float]:
        if self._matrix is not None:
            return {c: float(self._matrix[self._row[c]] @ vector) for c in chunk_ids}
        vectors = self._store.vectors(chunk_ids)
        return {chunk_id: float(np.dot(vectors[chunk_id], vector)) for chunk_id in vectors}
