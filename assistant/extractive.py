"""The extractive generator: answers with the source's own sentences, each followed by the
marker of the passage it comes from, or declines when the passages do not hold the answer."""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Protocol

from assistant.answer import NOT_IN_DOCUMENTS, Citation, Draft, TokenSink
from assistant.audiences import Audience
from assistant.evidence import (
    counted_noun,
    counts,
    has_answer_type,
    missing_names,
    missing_numbers,
)
from assistant.intents import AnswerType, answer_type, asks_overview, is_english
from assistant.markers import mark
from index.chunking import Chunk
from index.injection import addresses_the_assistant
from index.lines import opens_with_reform_note
from index.retrieval import Hit
from index.sentences import split_sentence_spans
from index.terms import terms

# How many sentences the embedding model re-scores (the best by words shared with the question).
_DENSE_RERANK = 16
# How many list items an introducing sentence ("… los siguientes servicios:") brings along.
_LIST_ITEMS = 10
Similarity = Callable[[str, list[str]], list[float]]


class CorpusStats(Protocol):
    """What the generator needs to know about the indexed corpus (the Retriever provides it)."""

    common_words: frozenset[str]

    def idf(self, term: str) -> float: ...

    def with_aliases(self, text: str) -> str: ...


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


def measure_support(
    weights: dict[str, float], hits: Sequence[Hit], aliases: Callable[[str], str]
) -> Support:
    return Support(
        coverage=max((coverage(weights, aliases(h.chunk.context_text)) for h in hits), default=0.0),
        similarity=max((h.similarity for h in hits), default=0.0),
    )


@dataclass(frozen=True)
class _Sentence:
    hit_rank: int
    index: int
    start: int
    end: int
    score: float
    text: str


class ExtractiveGenerator:
    """Picks the sentences of the top passages that best answer the question."""

    def __init__(
        self,
        corpus: CorpusStats,
        similarity: Similarity | None = None,
        max_sentences: int = 3,
        max_passages: int = 3,
        min_coverage: float = 0.3,
        min_similarity: float = 0.8,
    ) -> None:
        self._corpus = corpus
        self._similarity = similarity
        self._max_sentences = max_sentences
        self._max_passages = max_passages
        self._min_coverage = min_coverage
        self._min_similarity = min_similarity

    def supported(self, support: Support) -> bool:
        """The calibrated threshold: answer when the words or the meaning match well enough."""
        return support.coverage >= self._min_coverage or support.similarity >= self._min_similarity

    def generate(
        self,
        question: str,
        hits: Sequence[Hit],
        history: Sequence[str],
        audience: Audience = "ciudadania",
        on_token: TokenSink | None = None,
    ) -> Draft:
        draft = self._draft(question, hits, history, handout=audience == "capacitacion")
        if on_token:
            on_token(draft.text)  # nothing to stream: the answer exists whole at once
        return draft

    def _draft(
        self, question: str, hits: Sequence[Hit], history: Sequence[str], handout: bool = False
    ) -> Draft:
        top = hits[: self._max_passages]
        weights = weigh_terms(question, history, self._corpus.idf)
        if not top:
            return _declined("no se recuperó ningún pasaje")
        support = measure_support(weights, top, self._corpus.with_aliases)
        if not self.supported(support):
            return _declined(f"poco respaldo ({support.coverage:.2f}, {support.similarity:.3f})")
        ranked = self._rank_sentences(question, top, weights)
        overview = asks_overview(question)
        limit = self._max_sentences + (2 if overview else 0)
        floor = ranked[0].score * (0.35 if overview else 0.55) if ranked else 0.0
        chosen = [s for s in ranked if s.score >= floor][:limit]
        if not chosen:
            return _declined("ninguna oración responde")
        wanted = answer_type(question)
        common = self._corpus.common_words
        if not any(has_answer_type(s.text, wanted, question, common) for s in chosen):
            # The datum asked for (a phone, a date, a count) may sit in a lesser sentence right
            # next to the best one (an address under the name it belongs to); take it from
            # there, never from elsewhere in the passage, where it is someone else's.
            best = chosen[0]
            typed = [
                s
                for s in ranked
                if s.hit_rank == best.hit_rank
                and abs(s.index - best.index) <= 3
                and has_answer_type(s.text, wanted, question, common)
            ]
            if not typed:
                return _declined(f"los pasajes no dan el dato pedido ({wanted.value})")
            chosen = [*chosen[: limit - 1], typed[0]]
        if missing := self._missing(question, wanted, top, chosen, ranked):
            return _declined(f"los pasajes no mencionan {', '.join(missing)}")
        return _compose(top, _with_list_items(chosen, ranked), handout)

    def _missing(
        self,
        question: str,
        wanted: AnswerType,
        hits: Sequence[Hit],
        chosen: list[_Sentence],
        ranked: list[_Sentence],
    ) -> list[str]:
        """What the question names that the answer's evidence lacks. Numbers must be in the
        chosen sentences (or their passage's title and heading). Names and the counted noun
        must be around one sentence that carries the datum asked for: the sentences next to
        it often carry its subject, but a count of something in Chiapas is not "128 nodes"
        from one paragraph and "Chiapas" from another."""
        cited = {s.hit_rank for s in chosen}
        labels = " ".join(_identity(hits[r].chunk) for r in cited)
        said = " ".join(s.text for s in chosen)
        if missing := missing_numbers(question, f"{said} {labels}"):
            return missing
        common = self._corpus.common_words
        anchors = [
            s
            for s in chosen
            if wanted is AnswerType.OTHER or has_answer_type(s.text, wanted, question, common)
        ]
        noun = None if is_english(question) else counted_noun(question)
        best: list[str] | None = None
        for anchor in anchors or chosen:
            chunk = hits[anchor.hit_rank].chunk
            around = " ".join(
                s.text for s in ranked if _near(hits, s, anchor) or _names_document(hits, s, anchor)
            )
            nearby = self._corpus.with_aliases(f"{around} {_identity(chunk)}")
            missing = missing_names(question, nearby, common)
            if noun and wanted is AnswerType.QUANTITY and not counts(anchor.text, noun):
                missing.append(f"una cifra de {noun}")
            elif noun and noun not in terms(nearby):
                missing.append(noun)
            if not missing:
                return []
            if best is None or len(missing) < len(best):
                best = missing
        return best or []

    def _rank_sentences(
        self, question: str, hits: Sequence[Hit], weights: dict[str, float]
    ) -> list[_Sentence]:
        """Every distinct sentence of the passages, best first. A sentence scores by the
        question terms it holds, a little by those of its neighbours (an address or a phone
        is often a line of its own under the name it belongs to), by its passage's rank, and,
        when a model is at hand, by its meaning's closeness to the question."""
        sentences: list[_Sentence] = []
        seen: set[str] = set()
        for rank, hit in enumerate(hits):
            text = hit.chunk.text
            spans = split_sentence_spans(text)
            own = [coverage(weights, text[a:b]) for a, b in spans]
            for i, (a, b) in enumerate(spans):
                sentence = text[a:b].strip()
                # Overlapping passages repeat sentences; quote each once, from the better hit.
                key = " ".join(sentence.lower().split())
                if (
                    key in seen
                    or opens_with_reform_note(sentence)
                    or addresses_the_assistant(sentence)
                ):
                    continue
                seen.add(key)
                neighbours = max(own[max(0, i - 1) : i] + own[i + 1 : i + 2], default=0.0)
                score = own[i] + 0.3 * neighbours + 0.15 / (rank + 1)
                if len(sentence) < 25:
                    score -= 0.2
                sentences.append(_Sentence(rank, i, a, b, score, sentence))
        sentences.sort(key=lambda s: -s.score)
        if self._similarity and sentences:
            # Only the lexical front-runners are embedded: the model costs tens of
            # milliseconds per sentence on a CPU, and it reorders the top, it does not rescue
            # sentences that share nothing with the question.
            front = sentences[:_DENSE_RERANK]
            closeness = self._similarity(question, [s.text for s in front])
            front = [
                _Sentence(
                    s.hit_rank, s.index, s.start, s.end, s.score + 1.5 * max(0.0, c - 0.75), s.text
                )
                for s, c in zip(front, closeness, strict=True)
            ]
            sentences = sorted(front, key=lambda s: -s.score) + sentences[_DENSE_RERANK:]
        return sentences


def _with_list_items(chosen: list[_Sentence], ranked: list[_Sentence]) -> list[_Sentence]:
    """A chosen sentence that introduces a list ("… como mínimo los siguientes servicios:")
    answers nothing without the items that follow it in its passage: bring them along."""
    by_place = {(s.hit_rank, s.index): s for s in ranked}
    result = list(chosen)
    for sentence in chosen:
        if not sentence.text.rstrip().endswith(":"):
            continue
        for step in range(1, _LIST_ITEMS + 1):
            item = by_place.get((sentence.hit_rank, sentence.index + step))
            if item is None or item.text.rstrip().endswith(":"):
                break
            if item not in result:
                result.append(item)
    return result


# How far from the sentence that carries the datum its subject may be named: about two
# sentences, measured in the document, so neighbours in an overlapping passage count too.
_NEAR_CHARS = 600


def _near(hits: Sequence[Hit], sentence: _Sentence, anchor: _Sentence) -> bool:
    a, b = hits[sentence.hit_rank].chunk, hits[anchor.hit_rank].chunk
    if a.doc_id != b.doc_id:
        return False
    start, end = a.start + sentence.start, a.start + sentence.end
    anchor_start, anchor_end = b.start + anchor.start, b.start + anchor.end
    return end >= anchor_start - _NEAR_CHARS and start <= anchor_end + _NEAR_CHARS


def _names_document(hits: Sequence[Hit], sentence: _Sentence, anchor: _Sentence) -> bool:
    """A title line in capitals ("ACUERDO C-311/2017 EMITIDO POR EL CONSEJO DE LA JUDICATURA…")
    names the whole document, as its title does."""
    if hits[sentence.hit_rank].chunk.doc_id != hits[anchor.hit_rank].chunk.doc_id:
        return False
    letters = [c for c in sentence.text if c.isalpha()]
    return len(letters) >= 30 and sum(c.isupper() for c in letters) >= 0.8 * len(letters)


def _identity(chunk: Chunk) -> str:
    """What names a passage's document and place in it: "según la ley de Chihuahua de 2024"
    is satisfied by the title, institution, file name or heading, not only by the text."""
    name = re.sub(r"[_\-.]+", " ", chunk.source.rsplit("/", 1)[-1])
    return f"{chunk.title} {chunk.institution} {name} {chunk.heading}"


def _declined(reason: str) -> Draft:
    return Draft(NOT_IN_DOCUMENTS, (), answered=False, reason=reason)


def _compose(hits: Sequence[Hit], chosen: list[_Sentence], handout: bool = False) -> Draft:
    """Sentences in reading order (by passage rank, then position), each with its marker; each
    cited passage's quote is the exact span from its first to its last chosen sentence. A
    trainer's `handout` has one bullet per sentence under a heading per document."""
    ordered = sorted(chosen, key=lambda s: (s.hit_rank, s.start))
    keys: dict[int, str] = {}
    spans: dict[int, tuple[int, int]] = {}
    parts: list[str] = []
    titles: list[str] = []
    for sentence in ordered:
        key = keys.setdefault(sentence.hit_rank, str(len(keys) + 1))
        a, b = spans.get(sentence.hit_rank, (sentence.start, sentence.end))
        spans[sentence.hit_rank] = (min(a, sentence.start), max(b, sentence.end))
        if not handout:
            parts.append(f"{sentence.text} {mark([key])}")
            continue
        title = hits[sentence.hit_rank].chunk.title
        if title not in titles:
            titles.append(title)
            parts.append(f"{chr(10) if parts else ''}## {title}")
        parts.append(f"- {sentence.text.lstrip('-•* ')} {mark([key])}")
    citations = tuple(
        Citation(key=key, chunk=hits[rank].chunk, quote=hits[rank].chunk.text[slice(*spans[rank])])
        for rank, key in keys.items()
    )
    return Draft(("\n" if handout else " ").join(parts), citations, answered=True)
