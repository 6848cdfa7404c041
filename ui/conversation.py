"""A conversation as the chat window keeps it: turns of (question, Answer), the earlier questions
handed back to the assistant as context, and each cited passage as a one-line reference."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from assistant.answer import Answer, Citation


@dataclass(frozen=True)
class Turn:
    """One exchange: what was asked, for which audience, and the answer."""

    question: str
    answer: Answer
    audience: str = "ciudadania"


def history(turns: Sequence[Turn]) -> list[str]:
    """The earlier user questions, oldest first, as the assistant reads them for follow-ups."""
    return [turn.question for turn in turns]


def location(citation: Citation) -> str:
    """Where the passage sits in its document: "p. 3", "pp. 3-4", or its heading."""
    chunk = citation.chunk
    if chunk.page is not None:
        end = chunk.page_end
        return f"pp. {chunk.page}-{end}" if end and end != chunk.page else f"p. {chunk.page}"
    return chunk.heading


def reference_line(citation: Citation) -> str:
    """One reference as plain text: "Título. Institución, fecha, p. 3"."""
    chunk = citation.chunk
    details = [part for part in (chunk.institution, chunk.date, location(citation)) if part]
    title = citation.chunk.title or citation.chunk.source
    return f"{title}. {', '.join(details)}" if details else title


def answer_with_references(answer: Answer) -> str:
    """An answer as plain text followed by its references, for copying it elsewhere."""
    lines = [answer.full_text.strip()]
    if answer.all_citations:
        lines += ["", "Fuentes:"]
        lines += [
            f"[{c.key}] {reference_line(c)}. «{' '.join(c.quote.split())}»"
            for c in answer.all_citations
        ]
    return "\n".join(lines)
