"""Sentence windows: every passage is also embedded a sentence or two at a time.

A long passage's one vector averages all it says, so the sentence that answers a question
("Los servicios se proporcionarán con independencia de que exista o no una denuncia", the last
of an article on the Centros de Justicia) weighs little in it, and a question in other words
than the law's does not find it. Dense search scores each passage by the better of its own
vector and its best window's (small-to-big retrieval); the passage is still what is returned
and cited."""

from __future__ import annotations

from dataclasses import dataclass

from index.chunking import Chunk
from index.sentences import split_sentences


@dataclass(frozen=True)
class Window:
    """Some consecutive sentences of a passage; `text` is what is embedded: the passage's
    context label (document, heading) and the sentences, so a window knows where it stands."""

    window_id: str
    chunk_id: str
    source: str
    text: str
    doc_id: str = ""


def chunk_windows(chunk: Chunk, min_chars: int) -> list[Window]:
    """The windows of `chunk`: its sentences, each short one joined to the next until a window
    has `min_chars` characters (a short tail joins the last window). A passage of a single
    window has none: its own vector already is that window's."""
    if min_chars <= 0:
        return []
    spans: list[str] = []
    pending = ""
    for sentence in split_sentences(chunk.text):
        pending = f"{pending} {sentence}".strip()
        if len(pending) >= min_chars:
            spans.append(pending)
            pending = ""
    if pending:
        if spans:
            spans[-1] = f"{spans[-1]} {pending}"
        else:
            spans.append(pending)
    if len(spans) < 2:
        return []
    return [
        Window(
            f"{chunk.chunk_id}~{n:03d}",
            chunk.chunk_id,
            chunk.source,
            f"{chunk.context_label}\n{text}",
            chunk.doc_id,
        )
        for n, text in enumerate(spans)
    ]
