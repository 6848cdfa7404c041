"""Keyword search: BM25 (bm25s) over Spanish stemmed, accent-folded terms.

Built in memory from the passages the store holds, so it works the same over an embedded store
and a Chroma server, and can never disagree with the vectors it is fused with."""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Sequence

import numpy as np

from index.terms import terms


class KeywordIndex:
    """BM25 over passages identified by `ids`."""

    def __init__(self, ids: Sequence[str], texts: Sequence[str]) -> None:
        import bm25s

        self._ids = list(ids)
        tokenized = [terms(text) for text in texts]
        self._document_frequency: Counter[str] = Counter()
        for tokens in tokenized:
            self._document_frequency.update(set(tokens))
        self._bm25 = bm25s.BM25()
        if self._ids:
            # bm25s cannot index an empty passage list; an empty index simply finds nothing.
            self._bm25.index([t or ["\x00"] for t in tokenized], show_progress=False)

    def __len__(self) -> int:
        return len(self._ids)

    def idf(self, term: str) -> float:
        """Rarity of a stemmed term in this corpus (terms never seen count as rare)."""
        n = len(self._ids)
        df = self._document_frequency.get(term, 0)
        return math.log(1 + (n - df + 0.5) / (df + 0.5))

    def search(self, query: str, limit: int) -> list[tuple[str, float]]:
        """The best `limit` passages for `query` as (id, score), best first; no match, no row."""
        known = [t for t in terms(query) if t in self._document_frequency]
        if not known or not self._ids:
            return []
        limit = min(limit, len(self._ids))
        found, scores = self._bm25.retrieve([known], k=limit, show_progress=False, n_threads=1)
        return [
            (self._ids[int(i)], float(s))
            for i, s in zip(found[0], scores[0], strict=True)
            if s > 0 and np.isfinite(s)
        ]
