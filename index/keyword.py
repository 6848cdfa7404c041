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

    def __init__(self, ids: Sequence[str], tokenized: Sequence[list[str]]) -> None:
        """The index of passages already split into `terms` (the retriever needs those terms
        anyway and does not pay for them twice)."""
        import bm25s

        self._ids = list(ids)
        self._document_frequency: Counter[str] = Counter()
        for tokens in tokenized:
            self._document_frequency.update(set(tokens))
        self._variants = _deletion_index(self._document_frequency)
        self._bm25 = bm25s.BM25()
        if self._ids:
            # bm25s cannot index an empty passage list; an empty index simply finds nothing.
            self._bm25.index([t or ["\x00"] for t in tokenized], show_progress=False)

    @classmethod
    def of_texts(cls, ids: Sequence[str], texts: Sequence[str]) -> KeywordIndex:
        """The index of passages given as text."""
        return cls(ids, [terms(text) for text in texts])

    def __len__(self) -> int:
        return len(self._ids)

    def idf(self, term: str) -> float:
        """Rarity of a stemmed term in this corpus (terms never seen count as rare)."""
        n = len(self._ids)
        df = self._document_frequency.get(term, 0)
        return math.log(1 + (n - df + 0.5) / (df + 0.5))

    def variants(self, term: str) -> list[str]:
        """Corpus terms one edit away from `term` ("psicolog" finds the "sicolog" a state law
        prints; "adolecent" finds "adolescent"). Short terms and numbers have none."""
        if len(term) < 5 or term.isdigit():
            return []
        found: set[str] = set()
        for key in {term, *_deletions(term)}:
            found.update(self._variants.get(key, ()))
        found.discard(term)
        return sorted(t for t in found if _one_edit(term, t))

    def search(
        self, query: str, limit: int, allowed: np.ndarray | None = None
    ) -> list[tuple[str, float]]:
        """The best `limit` passages for `query` as (id, score), best first; no match, no row.
        Query terms also match their one-edit variants in the corpus (typos, spelling).
        `allowed` (one boolean per passage, in the order of `ids`) keeps the others out."""
        known = []
        for term in terms(query):
            if term in self._document_frequency:
                known.append(term)
            known.extend(self.variants(term))
        if not known or not self._ids:
            return []
        limit = min(limit, len(self._ids))
        mask = None if allowed is None else allowed.astype(np.float32)
        found, scores = self._bm25.retrieve(
            [known], k=limit, show_progress=False, n_threads=1, weight_mask=mask
        )
        return [
            (self._ids[int(i)], float(s))
            for i, s in zip(found[0], scores[0], strict=True)
            if s > 0 and np.isfinite(s)
        ]


def _deletions(term: str) -> set[str]:
    return {term[:i] + term[i + 1 :] for i in range(len(term))}


def _deletion_index(vocabulary: Counter[str]) -> dict[str, list[str]]:
    """Symmetric-delete index (as in SymSpell): every term and its one-letter deletions map to
    the terms they come from, so one-edit neighbours are found without scanning the vocabulary."""
    index: dict[str, list[str]] = {}
    for term in vocabulary:
        if len(term) < 5 or term.isdigit():
            continue
        for key in {term, *_deletions(term)}:
            index.setdefault(key, []).append(term)
    return index


def _one_edit(a: str, b: str) -> bool:
    """Levenshtein distance of exactly one (or an adjacent transposition)."""
    if a == b or abs(len(a) - len(b)) > 1:
        return False
    if len(a) == len(b):
        diffs = [i for i in range(len(a)) if a[i] != b[i]]
        return len(diffs) == 1 or (
            len(diffs) == 2
            and diffs[1] == diffs[0] + 1
            and a[diffs[0]] == b[diffs[1]]
            and a[diffs[1]] == b[diffs[0]]
        )
    short, long = (a, b) if len(a) < len(b) else (b, a)
    return any(long[:i] + long[i + 1 :] == short for i in range(len(long)))
