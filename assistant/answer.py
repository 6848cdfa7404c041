"""What the assistant hands back: an Answer whose sentences cite passages by short keys."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any, Literal, Protocol

from index.chunking import Chunk
from index.retrieval import Hit

# One sentence shared by the generators, the evaluation and the UI, so "the documents do not say"
# is recognized the same everywhere.
NOT_IN_DOCUMENTS = (
    "Los documentos consultados no contienen información para responder esa pregunta."
)
EMPTY_QUESTION = "Escribe una pregunta para poder buscar en los documentos."


@dataclass(frozen=True)
class Citation:
    """A cited passage: `key` is the marker used in the text ("1" for [1]), `quote` the exact
    span of the passage that supports what the answer says."""

    key: str
    chunk: Chunk
    quote: str
    institution: str = ""
    date: str = ""
    kind: str = ""


@dataclass(frozen=True)
class SentenceCheck:
    """One sentence a language model wrote (as written, with the passage numbers of its
    prompt) and whether the passages it cites support it; unsupported ones are not shown."""

    text: str
    verified: bool
    problems: tuple[str, ...] = ()
    chunk_ids: tuple[str, ...] = ()  # the passages it was verified against


@dataclass(frozen=True)
class Draft:
    """A generator's output, before the assistant stamps it with timings and settings."""

    text: str
    citations: tuple[Citation, ...]
    answered: bool
    reason: str = ""  # why the generator declined, for logs and evaluation reports
    checks: tuple[SentenceCheck, ...] = ()  # the model's sentences and their verdicts
    # seconds since generation started ("first_token"), and other generator measurements
    timings: dict[str, float] = field(default_factory=dict, compare=False)


@dataclass(frozen=True)
class Answer:
    """The answer to one question, with everything needed to check it."""

    question: str
    query: str
    text: str
    citations: tuple[Citation, ...]
    hits: tuple[Hit, ...]
    answered: bool
    timings: dict[str, float] = field(default_factory=dict)
    settings_fingerprint: str = ""
    reason: str = ""
    checks: tuple[SentenceCheck, ...] = ()

    def to_json(self) -> dict[str, Any]:
        """The stable JSON shape read by the CLI, the evaluation and other tools."""
        return {
            "question": self.question,
            "query": self.query,
            "answer": self.text,
            "answered": self.answered,
            "reason": self.reason,
            "citations": [
                {
                    "key": c.key,
                    "doc_id": c.chunk.doc_id,
                    "title": c.chunk.title,
                    "institution": c.institution,
                    "date": c.date,
                    "source": c.chunk.source,
                    "page": c.chunk.page,
                    "heading": c.chunk.heading,
                    "text": c.chunk.text,
                    "quote": c.quote,
                }
                for c in self.citations
            ],
            "retrieved": [hit_json(rank, h) for rank, h in enumerate(self.hits, start=1)],
            "sentences": [
                {
                    "text": c.text,
                    "verified": c.verified,
                    "problems": list(c.problems),
                    "chunk_ids": list(c.chunk_ids),
                }
                for c in self.checks
            ],
            "latency_s": round(self.timings.get("total", 0.0), 4),
            "timings": {k: round(v, 4) for k, v in self.timings.items()},
            "settings_fingerprint": self.settings_fingerprint,
        }


def hit_json(rank: int, hit: Hit) -> dict[str, Any]:
    """One retrieved passage in the JSON shape other tools read (1-based rank)."""
    return {
        "rank": rank,
        "chunk_id": hit.chunk.chunk_id,
        "doc_id": hit.chunk.doc_id,
        "title": hit.chunk.title,
        "source": hit.chunk.source,
        "page": hit.chunk.page,
        "heading": hit.chunk.heading,
        "text": hit.chunk.text,
        "score": round(hit.score, 6),
        "similarity": round(hit.similarity, 4),
    }


Audience = Literal["ciudadania", "personal", "capacitacion"]
TokenSink = Callable[[str], None]


class Generator(Protocol):
    """Writes an answer to `question` from retrieved passages, or declines. `audience` sets the
    style; `on_token`, when given, receives the answer's text as it is produced."""

    def generate(
        self,
        question: str,
        hits: Sequence[Hit],
        history: Sequence[str],
        audience: Audience = "ciudadania",
        on_token: TokenSink | None = None,
    ) -> Draft: ...
