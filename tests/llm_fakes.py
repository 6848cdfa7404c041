"""Fakes for the LLM generator's tests: a scripted chat model (the same two methods as the real
ones) that records its prompts, a corpus-statistics stand-in, and passages built by hand."""

from __future__ import annotations

from collections.abc import Iterator, Sequence

from assistant.chat_model import ChatMessage
from index.chunking import Chunk
from index.retrieval import Hit
from index.terms import terms


class ScriptedChat:
    """Replies with canned texts, in order, streamed a few characters at a time (so markers
    and sentences arrive cut in pieces, as a real model sends them)."""

    def __init__(self, *replies: str, piece: int = 3) -> None:
        self.name = "scripted"
        self._replies = list(replies)
        self._piece = piece
        self.prompts: list[list[ChatMessage]] = []

    def stream(
        self, messages: Sequence[ChatMessage], max_tokens: int, stop: Sequence[str] = ()
    ) -> Iterator[str]:
        self.prompts.append(list(messages))
        reply = self._replies.pop(0) if self._replies else ""
        for stopper in stop:
            reply = reply.split(stopper)[0]
        for start in range(0, len(reply), self._piece):
            yield reply[start : start + self._piece]

    def count_tokens(self, text: str) -> int:
        return len(text) // 4 + 1


class FailingChat(ScriptedChat):
    """A model whose server goes away mid-answer."""

    def stream(
        self, messages: Sequence[ChatMessage], max_tokens: int, stop: Sequence[str] = ()
    ) -> Iterator[str]:
        yield "El programa"
        raise ConnectionError("servidor caído")


class FixedCorpus:
    """Corpus statistics for hand-made passages: every term of `rare_words` is rare."""

    def __init__(self, texts: Sequence[str], rare_words: Sequence[str] = ()) -> None:
        self.common_words = frozenset(w.lower() for t in texts for w in t.split() if w.islower())
        self.acronyms: dict[str, str] = {}

        self._rare = {t for w in rare_words for t in terms(w)}

    def idf(self, term: str) -> float:
        return 7.0 if term in self._rare else 1.0

    def with_aliases(self, text: str) -> str:
        return text

    def name_terms(self, doc_id: str) -> frozenset[str]:
        return frozenset(terms("Documento de prueba Instituto de Prueba"))

    def document_aliases(self, doc_id: str) -> str:

        return ""


def chunk(text: str, number: int = 0, title: str = "Documento de prueba") -> Chunk:
    return Chunk(
        chunk_id=f"doc{number}-0000",
        doc_id=f"doc{number}",
        ordinal=0,
        text=text,
        start=0,
        end=len(text),
        page=None,
        page_end=None,
        heading="",
        title=title,
        source=f"doc{number}.txt",
        institution="Instituto de Prueba",
    )


def hits(*texts: str) -> list[Hit]:
    return [Hit(chunk(t, n), 1.0 / (n + 1), 0.9) for n, t in enumerate(texts)]
