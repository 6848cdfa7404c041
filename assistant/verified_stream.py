"""The LLM's answer as it streams, verified sentence by sentence: each finished sentence is
checked against the passages it cites (or credited to the one passage that supports it), and
only verified ones reach the reader, renumbered in order of appearance. See
`assistant.grounded` for the decisions around it."""

from __future__ import annotations

from collections.abc import Callable, Collection, Sequence
from dataclasses import replace

from assistant.answer import NOT_IN_DOCUMENTS, Citation, SentenceCheck, TokenSink
from assistant.details import restore_star_codes
from assistant.extractive import CorpusStats
from assistant.markers import Claim, drop_unoffered, mark, split_claims, without_markers
from assistant.prompts import Passage
from assistant.verification import best_quote
from index.chunking import Chunk
from index.terms import fold

_NOT_IN = " ".join(fold(NOT_IN_DOCUMENTS).split()[:5])  # "los documentos consultados no contienen"
Check = Callable[[Claim, Sequence[Passage]], tuple[tuple[str, ...], float]]


class VerifiedStream:
    """Turns the model's stream into verified text: holds the sentence being written, checks
    each finished one, and passes on those that hold, renumbered."""

    def __init__(
        self,
        passages: Sequence[Passage],
        check: Check,
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
        claims = split_claims(drop_unoffered(self.raw, self._passages))
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
        return mark([self.display[c.chunk_id] for c in chunks])

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


def _finished(text: str) -> bool:
    """Whether the model's text ends a sentence: a period, a marker, or a list item's line."""
    tail = text.rstrip()
    last_line = tail.rsplit("\n", 1)[-1].lstrip()
    return tail.endswith((".", "!", "?", "]", ":", "»", '"', "”")) or last_line.startswith(
        ("-", "*", "•", "#")
    )
