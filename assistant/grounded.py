"""The LLM generator: a language model writes the answer from numbered passages, and each
sentence is shown only once it is verified against the passages it cites.

Decisions, in order:
1. The extractive generator's evidence checks run first (milliseconds). When they find the
   passages do not support the question, the answer declines without asking the model: a
   1.5B model answers near misses ("the right program, another year") confidently, and the
   checks were calibrated for exactly those. When they answer, the passages they quote are
   shown to the model first, trimmed around the quoted span.
2. The model writes; as each sentence completes, markers not offered are dropped and the
   sentence is checked: its numbers, proper names and rare terms must be in the passages it
   cites (accents and case folded), it must say more than the question, and its embedding
   must be close enough to a cited passage's. A sentence without a marker, or with a wrong
   one, is credited to the one passage that passes those same checks best, if any.
3. Verified sentences stream to the caller, markers renumbered in order of appearance, once
   one of them cites a passage the evidence checks quoted (an answer drawn only from the
   passage next door is not shown). The others are recorded in `Draft.checks`, never shown.
4. If nothing is shown by the end (nothing verified, only other passages used, or the model
   says the passages do not answer while the evidence checks say they do), the extractive
   answer is given instead: it quotes the passages, so it is right whenever the checks are.
   The same holds when the model fails or its server goes away; the failure is logged.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable, Sequence
from dataclasses import replace

from assistant.answer import Draft, TokenSink
from assistant.audiences import Audience
from assistant.chat_model import ChatModel
from assistant.evidence import proper_name_terms
from assistant.extractive import CorpusStats, ExtractiveGenerator
from assistant.markers import Claim, split_claims
from assistant.prompts import Passage, grounded_messages, select_passages
from assistant.verification import check_claim, numbers
from assistant.verified_stream import VerifiedStream
from index.chunking import Chunk
from index.retrieval import Hit
from index.terms import terms

log = logging.getLogger(__name__)
# cos(a[i], b[i]) for two equally long lists of texts
PairSimilarity = Callable[[Sequence[str], Sequence[str]], list[float]]


class GroundedGenerator:
    """Answers with a language model, keeping only sentences its cited passages support."""

    def __init__(
        self,
        model: ChatModel,
        fallback: ExtractiveGenerator,
        corpus: CorpusStats,
        similarity: PairSimilarity | None = None,
        *,
        max_tokens: int = 320,
        passage_tokens: int = 700,
        max_passages: int = 3,
        min_similarity: float = 0.85,
        rare_idf: float = 5.0,
        evidence_gate: bool = True,
    ) -> None:
        self.model = model
        self._fallback = fallback
        self._corpus = corpus
        self._similarity = similarity
        self._max_tokens = max_tokens
        self._passage_tokens = passage_tokens
        self._max_passages = max_passages
        self._min_similarity = min_similarity
        self._rare_idf = rare_idf
        self._gate = evidence_gate

    def generate(
        self,
        question: str,
        hits: Sequence[Hit],
        history: Sequence[str],
        audience: Audience = "ciudadania",
        on_token: TokenSink | None = None,
    ) -> Draft:
        started = time.perf_counter()
        extractive = self._fallback.generate(question, hits, history, audience)
        if not hits or (self._gate and not extractive.answered):
            return _emitted(extractive, on_token)
        focus = {c.chunk.chunk_id: c.quote for c in extractive.citations}
        passages = select_passages(
            question,
            hits,
            self._passage_tokens,
            self.model.count_tokens,
            self._max_passages,
            focus,
        )
        messages = grounded_messages(question, passages, audience, history)
        asked = {t for text in (question, *history[-2:]) for t in terms(text)}

        def check(claim: Claim, cited: Sequence[Passage]) -> tuple[tuple[str, ...], float]:
            return self._check(claim, cited, asked)

        writer = VerifiedStream(passages, check, on_token, focus)
        timings: dict[str, float] = {}
        failure = ""
        try:
            stream = self.model.stream(messages, self._max_tokens)
            for piece in stream:
                timings.setdefault("first_token", time.perf_counter() - started)
                writer.feed(piece)
                if writer.looping:
                    break
            close = getattr(stream, "close", None)
            if close:
                close()  # frees the model for the next question
        except Exception as error:  # a server gone, a model crashed: answer anyway
            failure = f"el modelo falló ({error})"
            log.warning("El modelo de lenguaje falló; se responde con el extractivo: %s", error)
        writer.finish(complete=not failure)
        timings["llm"] = time.perf_counter() - started
        if writer.parts:
            # What the evidence checks quoted and the model left out follows word for word: a
            # fluent answer that drops the figure asked for is no better than none.
            bullet = audience == "capacitacion"
            for sentence, chunk in self._left_out(extractive, writer.shown_bodies):
                writer.quote(sentence, chunk, bullet)
            checks = tuple(writer.checks)
            return Draft(writer.text, writer.citations(self._corpus), True, "", checks, timings)
        checks = tuple(writer.checks)
        if failure:
            reason = failure
        elif writer.checks and any(c.verified for c in writer.checks):
            reason = "el modelo no usó los pasajes que responden la pregunta"
        elif writer.declined:
            reason = "el modelo dijo que los pasajes no responden"
        else:
            reason = "ninguna oración del modelo se pudo verificar"
        fallback = replace(
            extractive,
            reason=f"{reason}; respuesta extractiva" if extractive.answered else extractive.reason,
            checks=checks,
            timings=timings,
        )
        return _emitted(fallback, on_token)

    def _left_out(self, extractive: Draft, shown: Sequence[str]) -> list[tuple[str, Chunk]]:
        """The extractive answer's sentences the shown sentences do not cover: a figure of
        theirs is missing, or a quarter of their proper names and rare terms is. (Keeping only
        those about the question, a third of its weighted terms, was measured and dropped:
        fact accuracy 0.842 -> 0.799, summaries and colloquial questions lost their data.)"""
        chunks = {c.key: c.chunk for c in extractive.citations}
        said = " ".join(shown)
        have = numbers(said) | set(terms(self._corpus.with_aliases(said)))
        missing = []
        for claim in split_claims(extractive.text):
            if not claim.keys or claim.body.rstrip().endswith(":"):
                continue  # a list's introduction says nothing alone; its items are judged apart
            names = proper_name_terms(claim.body, self._corpus.common_words)
            rare = {t for t in terms(claim.body) if self._corpus.idf(t) >= self._rare_idf}
            key_terms = (names | rare) - numbers(claim.body)
            lacking = len(key_terms - have) > 0.25 * len(key_terms)
            if not numbers(claim.body) <= have or lacking:
                missing.append((claim.body, chunks[claim.keys[0]]))
        return missing

    def _check(
        self, claim: Claim, cited: Sequence[Passage], asked: set[str]
    ) -> tuple[tuple[str, ...], float]:
        """What the cited passages do not support in `claim`, and its closeness in meaning to
        the closest of them (1.0 without an embedder). A sentence that only repeats the
        question's words ("El gobierno piensa hacer algo con los cuidados.") says nothing."""
        chunks = [p.chunk for p in cited]
        problems = check_claim(claim, chunks, self._corpus, self._rare_idf)
        if not claim.structural and set(terms(claim.body)) <= asked:
            problems = (*problems, "solo repite la pregunta")
        if problems or not cited or self._similarity is None:
            return problems, 1.0
        closeness = max(self._similarity([claim.body] * len(chunks), [c.text for c in chunks]))
        if closeness < self._min_similarity:
            return (f"similitud {closeness:.2f} < {self._min_similarity:.2f}",), closeness
        return (), closeness


def _emitted(draft: Draft, sink: TokenSink | None) -> Draft:
    if sink:
        sink(draft.text)
    return draft
