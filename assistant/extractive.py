"""The extractive generator: answers with the source's own sentences, each followed by the
marker of the passage it comes from, or declines when the passages do not support an answer."""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from assistant.answer import NOT_IN_DOCUMENTS, Citation, Draft
from index.retrieval import Hit
from index.sentences import split_sentence_spans
from index.terms import terms

# Questions that ask for an overview want more than the single best sentence.
_OVERVIEW = re.compile(
    r"\b(resum\w*|explica\w*|describ\w*|cu[aá]les son|qu[eé] (acciones|objetivos|medidas|"
    r"obligaciones|derechos|tipos|funciones)|en qu[eé] consiste|summar\w*|overview|what are)\b",
    re.IGNORECASE,
)
_HOW_MANY = re.compile(r"\b(cu[aá]nt[oa]s?|qu[eé] (cantidad|n[uú]mero|monto|porcentaje)|how (many|much))\b", re.IGNORECASE)
_DIGIT = re.compile(r"\d")


@dataclass(frozen=True)
class Support:
    """How well the best passages cover the question: `coverage` is the rarity-weighted share of
    the question's terms found in one passage, `similarity` the best dense cosine."""

    coverage: float
    similarity: float


def weigh_terms(
    question: str, history: Sequence[str], idf: Callable[[str], float]
) -> dict[str, float]:
    """Question terms weighted by rarity; terms carried over from earlier turns count half, so a
    follow-up keeps its topic but its own words decide which sentence answers it."""
    weights: dict[str, float] = {}
    for turn in history[-2:]:
        for term in terms(turn):
            weights[term] = max(weights.get(term, 0.0), 0.5 * idf(term))
    for term in terms(question):
        weights[term] = idf(term)
    return weights


def coverage(weights: dict[str, float], text: str) -> float:
    """Share of the weighted question terms that `text` contains."""
    total = sum(weights.values())
    if not total:
        return 0.0
    present = set(terms(text))
    return sum(w for t, w in weights.items() if t in present) / total


def measure_support(weights: dict[str, float], hits: Sequence[Hit], depth: int = 3) -> Support:
    top = hits[:depth]
    return Support(
        coverage=max((coverage(weights, h.chunk.context_text) for h in top), default=0.0),
        similarity=max((h.similarity for h in top), default=0.0),
    )


@dataclass(frozen=True)
class _Sentence:
    hit_rank: int
    start: int
    end: int
    score: float


class ExtractiveGenerator:
    """Picks the sentences of the top passages that best match the question."""

    def __init__(
        self,
        idf: Callable[[str], float],
        max_sentences: int = 3,
        max_passages: int = 3,
        min_coverage: float = 0.3,
        min_similarity: float = 0.8,
    ) -> None:
        self._idf = idf
        self._max_sentences = max_sentences
        self._max_passages = max_passages
        self._min_coverage = min_coverage
        self._min_similarity = min_similarity

    def supported(self, support: Support) -> bool:
        """The calibrated refusal rule: answer when the words or the meaning match well enough."""
        return support.coverage >= self._min_coverage or support.similarity >= self._min_similarity

    def generate(self, question: str, hits: Sequence[Hit], history: Sequence[str]) -> Draft:
        weights = weigh_terms(question, history, self._idf)
        if not hits or not self.supported(measure_support(weights, hits)):
            return Draft(NOT_IN_DOCUMENTS, (), answered=False)
        overview = bool(_OVERVIEW.search(question))
        wants_number = bool(_HOW_MANY.search(question))
        limit = self._max_sentences + (2 if overview else 0)
        candidates: list[_Sentence] = []
        for rank, hit in enumerate(hits[: self._max_passages]):
            text = hit.chunk.text
            for start, end in split_sentence_spans(text):
                sentence = text[start:end]
                score = coverage(weights, sentence) + 0.15 / (rank + 1)
                if wants_number and _DIGIT.search(sentence):
                    score += 0.2
                if len(sentence) < 25:
                    score -= 0.2
                candidates.append(_Sentence(rank, start, end, score))
        best = sorted(candidates, key=lambda s: -s.score)
        floor = best[0].score * (0.35 if overview else 0.55) if best else 0.0
        chosen = [s for s in best if s.score >= floor][:limit]
        if not chosen:
            return Draft(NOT_IN_DOCUMENTS, (), answered=False)
        return _compose(hits, chosen)


def _compose(hits: Sequence[Hit], chosen: list[_Sentence]) -> Draft:
    """Sentences in reading order (by passage rank, then position), each with its marker; each
    cited passage's quote is the exact span from its first to its last chosen sentence."""
    ordered = sorted(chosen, key=lambda s: (s.hit_rank, s.start))
    keys: dict[int, str] = {}
    spans: dict[int, tuple[int, int]] = {}
    parts: list[str] = []
    for sentence in ordered:
        key = keys.setdefault(sentence.hit_rank, str(len(keys) + 1))
        a, b = spans.get(sentence.hit_rank, (sentence.start, sentence.end))
        spans[sentence.hit_rank] = (min(a, sentence.start), max(b, sentence.end))
        text = hits[sentence.hit_rank].chunk.text[sentence.start : sentence.end].strip()
        parts.append(f"{text} [{key}]")
    citations = tuple(
        Citation(key=key, chunk=hits[rank].chunk, quote=hits[rank].chunk.text[slice(*spans[rank])])
        for rank, key in keys.items()
    )
    return Draft(" ".join(parts), citations, answered=True)
