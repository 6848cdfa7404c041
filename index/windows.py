"""Sentence windows: every passage is also embedded a sentence or two at a time.

A long passage's one vector averages all it says, so the sentence that answers a question
("Los servicios se proporcionarán con independencia de que exista o no una denuncia", the last
of an article on the Centros de Justicia) weighs little in it, and a question in other words
than the law's does not find it. Dense search scores each passage by the better of its own
vector and its best window's (small-to-big retrieval); the passage is still what is returned
and cited.

Each sentence alone is embedded too (`passage_sentences`): the extractive answer ranks its
candidate sentences by meaning with those stored vectors, with no pass of the model at
question time."""

from __future__ import annotations

from dataclasses import dataclass

from index.chunking import Chunk
from index.sentences import split_sentence_spans


@dataclass(frozen=True)
class Window:
    """Some consecutive sentences of a passage, `start`–`end` in its text; `text` is what is
    embedded: the passage's context label (document, heading) and the sentences, so a window
    knows where it stands."""

    window_id: str
    chunk_id: str
    source: str
    text: str
    doc_id: str = ""
    start: int = 0
    end: int = 0


def chunk_windows(chunk: Chunk, min_chars: int) -> list[Window]:
    """The windows of `chunk`: its sentences, each short one joined to the next until a window
    has `min_chars` characters (a short tail joins the last window). A passage of a single
    window has none: its own vector already is that window's."""
    if min_chars <= 0:
        return []
    groups: list[list[tuple[int, int]]] = []
    pending: list[tuple[int, int]] = []
    for span in split_sentence_spans(chunk.text):
        pending.append(span)
        if len(_joined(chunk.text, pending)) >= min_chars:
            groups.append(pending)
            pending = []
    if pending:
        if groups:
            groups[-1] += pending
        else:
            groups.append(pending)
    if len(groups) < 2:
        return []
    return [
        Window(
            f"{chunk.chunk_id}~{n:03d}",
            chunk.chunk_id,
            chunk.source,
            f"{chunk.context_label}\n{_joined(chunk.text, spans)}",
            chunk.doc_id,
            spans[0][0],
            spans[-1][1],
        )
        for n, spans in enumerate(groups)
    ]


def _joined(text: str, spans: list[tuple[int, int]]) -> str:
    return " ".join(text[a:b] for a, b in spans)


def sentence_id(chunk_id: str, start: int) -> str:
    """The id of the stored vector of the sentence that starts at `start` in a passage."""
    return f"{chunk_id}:{start}"


def passage_sentences(chunk: Chunk) -> list[Window]:
    """Every sentence of `chunk` alone, as the extractive answer quotes it: their vectors,
    computed once at indexing, rank the candidate sentences by meaning at question time."""
    return [
        Window(
            sentence_id(chunk.chunk_id, a),
            chunk.chunk_id,
            chunk.source,
            chunk.text[a:b],
            chunk.doc_id,
            a,
            b,
        )
        for a, b in split_sentence_spans(chunk.text)
    ]
