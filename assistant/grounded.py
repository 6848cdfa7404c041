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
from collections.abc import Callable, Collection, Sequence
from dataclasses import replace

from assistant.answer import (
    NOT_IN_DOCUMENTS,
    Audience,
    Citation,
    Draft,
    SentenceCheck,
    TokenSink,
)
from assistant.chat_model import ChatModel
from assistant.evidence import proper_name_terms
from assistant.extractive import CorpusStats, ExtractiveGenerator
from assistant.prompts import Passage, grounded_messages, select_passages
from assistant.verification import (
    Claim,
    best_quote,
    check_claim,
    drop_unoffered_markers,
    numbers,
    restore_star_codes,
    split_claims,
    without_markers,
)
from index.chunking import Chunk
from index.retrieval import Hit
from index.terms import fold, terms

log = logging.getLogger(__name__)
# cos(a[i], b[i]) for two equally long lists of texts
PairSimilarity = Callable[[Sequence[str], Sequence[str]], list[float]]
_NOT_IN = " ".join(fold(NOT_IN_DOCUMENTS).split()[:5])  # "los documentos consultados no contienen"


class _Writer:
    """Turns the model's stream into verified text: holds the sentence being written, checks
    each finished one, and passes on those that hold, renumbered."""

    def __init__(
        self,
        passages: Sequence[Passage],
        check: Callable[[Claim, Sequence[Passage]], tuple[tuple[str, ...], float]],
        sink: TokenSink | None,
        anchors: Collection[str] = (),
    ) -> None:
        self._passages = {p.key: p for p in passages}
        self._check = check
        self._sink = sink
        # Nothing is shown until a sentence cites one of these passages (those the evidence
        # checks found answer the question): a fluent answer about the passage next door is
        # no answer.
        self._anchors = set(anchors)
        self.anchored = not self._anchors
        self._staged: list[tuple[str, int]] = []
        self.raw = ""
        self._done = 0
        self._pending: list[Claim] = []  # headings wait for something under them
        self._line = -1
        self.parts: list[str] = []
        self.display: dict[str, str] = {}  # chunk id -> number shown
        self._chunks: dict[str, Chunk] = {}
        self.bodies: dict[str, list[str]] = {}  # chunk id -> shown sentences citing it
        self.checks: list[SentenceCheck] = []
        self._said: set[str] = set()
        self.looping = False  # the model repeats itself: stop reading it

    @property
    def text(self) -> str:
        return "".join(self.parts)

    def feed(self, piece: str) -> None:
        self.raw += piece
        self._advance(final=False)

    def finish(self, complete: bool = True) -> None:
        """Settle what is left. The last sentence counts only if it was finished (a model
        stopped by its token limit or a failure leaves half a sentence)."""
        self._advance(final=complete and _finished(self.raw))

    def _advance(self, final: bool) -> None:
        claims = split_claims(drop_unoffered_markers(self.raw, self._passages))
        # The last sentence may still grow (or gain its marker) unless the stream has ended.
        ready = claims if final or self.raw.endswith("\n") else claims[:-1]
        for claim in ready[self._done :]:
            self._settle(claim)
        self._done = max(self._done, len(ready))

    def _settle(self, claim: Claim) -> None:
        if claim.structural:
            self._pending.append(claim)
            return
        said = " ".join(fold(claim.body).split())
        if _NOT_IN in said:  # the refusal sentence is a verdict on the passages, not a claim
            self.checks.append(SentenceCheck(claim.text, False, ("dice que no hay información",)))
            return
        if said in self._said:
            self.looping = True
            return
        self._said.add(said)
        claim, problems = self._attribute(claim)
        cited = [self._passages[k].chunk.chunk_id for k in claim.keys]
        self.checks.append(SentenceCheck(claim.text, not problems, problems, tuple(cited)))
        if problems:
            return
        for heading in self._pending:
            if heading.line < claim.line:
                self._emit(heading.text, heading.line)
        self._pending = []
        if any(self._passages[k].chunk.chunk_id in self._anchors for k in claim.keys):
            self.anchored = True
        # Markers go after the sentence, however the model placed them.
        chunks = [self._passages[k].chunk for k in claim.keys]
        self._emit(f"{without_markers(claim.text)} {self._marks(claim.body, chunks)}", claim.line)

    def _marks(self, body: str, chunks: Sequence[Chunk]) -> str:
        for chunk in chunks:
            self._chunks[chunk.chunk_id] = chunk
            self.display.setdefault(chunk.chunk_id, str(len(self.display) + 1))
            self.bodies.setdefault(chunk.chunk_id, []).append(body)
        return "".join(f"[{self.display[c.chunk_id]}]" for c in chunks)

    def quote(self, sentence: str, chunk: Chunk, bullet: bool) -> None:
        """Add a source sentence word for word, in quotation marks, on a line of its own."""
        text = f"{'- ' if bullet else ''}«{sentence}» {self._marks(sentence, [chunk])}"
        self.checks.append(SentenceCheck(text, True, (), (chunk.chunk_id,)))
        self._emit(text, self._line + 1)

    @property
    def shown_bodies(self) -> list[str]:
        return [b for bodies in self.bodies.values() for b in bodies]

    def _attribute(self, claim: Claim) -> tuple[Claim, tuple[str, ...]]:
        """Check `claim` against the passages it cites. A small model often forgets the marker
        or puts the wrong one: then the other passage that supports the sentence on its own,
        under the same checks, and is closest to it in meaning, is cited instead."""
        problems, _ = self._verify(claim, claim.keys)
        if not problems:
            return self._with_stars(claim, claim.keys), ()
        best: tuple[float, str] | None = None
        for key in self._passages:
            if key in claim.keys:
                continue
            failed, closeness = self._verify(claim, (key,))
            if not failed and (best is None or closeness > best[0]):
                best = (closeness, key)
        if best is None:
            return claim, problems
        return self._with_stars(claim, (best[1],)), ()

    def _with_stars(self, claim: Claim, keys: tuple[str, ...]) -> Claim:
        evidence = " ".join(self._passages[k].chunk.text for k in keys)
        return replace(
            claim,
            text=restore_star_codes(claim.text, evidence),
            body=restore_star_codes(claim.body, evidence),
            keys=keys,
        )

    def _verify(self, claim: Claim, keys: tuple[str, ...]) -> tuple[tuple[str, ...], float]:
        return self._check(self._with_stars(claim, keys), [self._passages[k] for k in keys])

    def _emit(self, text: str, line: int) -> None:
        self._staged.append((text, line))
        if not self.anchored:
            return
        for staged, at in self._staged:
            separator = "" if not self.parts else ("\n" if at != self._line else " ")
            self._line = at
            self.parts.append(separator + staged)
            if self._sink:
                self._sink(separator + staged)
        self._staged = []

    def citations(self, corpus: CorpusStats) -> tuple[Citation, ...]:
        return tuple(
            Citation(
                shown, self._chunks[key], best_quote(self._chunks[key], self.bodies[key], corpus)
            )
            for key, shown in self.display.items()
        )

    @property
    def declined(self) -> bool:
        return _NOT_IN in " ".join(fold(self.raw).split())


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

        writer = _Writer(passages, check, on_token, focus)
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


def _finished(text: str) -> bool:
    """Whether the model's text ends a sentence: a period, a marker, or a list item's line."""
    tail = text.rstrip()
    last_line = tail.rsplit("\n", 1)[-1].lstrip()
    return tail.endswith((".", "!", "?", "]", ":", "»", '"', "”")) or last_line.startswith(
        ("-", "*", "•", "#")
    )


def _emitted(draft: Draft, sink: TokenSink | None) -> Draft:
    if sink:
        sink(draft.text)
    return draft
