"""What the assistant hands back: an Answer whose sentences cite passages by short keys."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any, Protocol

from assistant.audiences import Audience
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
    span of the passage that supports what the answer says. Everything else about the source
    (title, institution, date, page, heading) is the chunk's."""

    key: str
    chunk: Chunk
    quote: str


@dataclass(frozen=True)
class ServiceNote:
    """One service the documents name for someone in danger: who offers it (`source`), the
    source's own sentence about it, and the key of the citation that sentence comes from."""

    source: str
    sentence: str
    key: str


@dataclass(frozen=True)
class Guidance:
    """What to do now, shown before anything else to someone in danger: the emergency number,
    then the services the documents name, each quoted and cited. Composed from source
    sentences, never written by a model."""

    emergency: str
    services: tuple[ServiceNote, ...]
    citations: tuple[Citation, ...]
    intro: str = ""  # the sentence that introduces the services
    note: str = ""  # said when the documents name no service

    @property
    def text(self) -> str:
        """The guidance as plain text, one line each (the command line, streaming, copies)."""
        lines = [self.emergency]
        if self.services:
            lines.append(self.intro)
            lines += [f"- {s.source}: {s.sentence} [{s.key}]" for s in self.services]
        if self.note:
            lines.append(self.note)
        return "\n".join(lines)

    def to_json(self) -> dict[str, Any]:
        return {
            "text": self.text,
            "services": [
                {"source": s.source, "sentence": s.sentence, "key": s.key} for s in self.services
            ],
            "citations": [citation_json(c) for c in self.citations],
        }


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
    # crisis guidance, shown before the answer; its citations' keys come before the answer's
    guidance: Guidance | None = None
    # what the reader should know about how it was answered («La biblioteca todavía se está
    # preparando…»), shown above it
    notice: str = ""

    @property
    def all_citations(self) -> tuple[Citation, ...]:
        """The guidance's citations, then the answer's: every key used on the screen."""
        return (*(self.guidance.citations if self.guidance else ()), *self.citations)

    @property
    def full_text(self) -> str:
        """The guidance and the answer as one plain text."""
        return "\n\n".join(t for t in (self.guidance and self.guidance.text, self.text) if t)

    def to_json(self) -> dict[str, Any]:
        """The stable JSON shape read by the CLI, the evaluation and other tools. `answer` is
        the documents' answer, `guidance` the crisis guidance before it (or null);
        `citations` lists the citations of both, the guidance's first."""
        return {
            "question": self.question,
            "query": self.query,
            "answer": self.text,
            "answered": self.answered,
            "reason": self.reason,
            "guidance": self.guidance.to_json() if self.guidance else None,
            "notice": self.notice or None,
            "citations": [citation_json(c) for c in self.all_citations],
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


def citation_json(citation: Citation) -> dict[str, Any]:
    chunk = citation.chunk
    return {
        "key": citation.key,
        "doc_id": chunk.doc_id,
        "title": chunk.title,
        "institution": chunk.institution,
        "date": chunk.date,
        "kind": chunk.kind,
        "source": chunk.source,
        "page": chunk.page,
        "heading": chunk.heading,
        "text": chunk.text,
        "quote": citation.quote,
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
        "unit_text": hit.text,  # the passages of its article or section that came with it
        "score": round(hit.score, 6),
        "similarity": round(hit.similarity, 4),
    }


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
