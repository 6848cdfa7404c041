"""Writing an extractive answer from the sentences chosen for it: in reading order (or the
sentence that settles a yes-or-no question first), each followed by the marker of its passage;
a list's items compactly on one line under the sentence that announces them; a trainer's
handout as one bullet per point under a heading per document; and what the documents do not
cover said plainly at the end. Each cited passage's quote is the exact span from its first to
its last chosen sentence."""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Literal

from assistant.answer import Citation, Draft
from assistant.markers import mark
from assistant.sentence_pool import ENUMERATED, Sentence, SentencePool

# A list item longer than this is cut to its label ("I. La violencia psicológica.- Es cualquier
# acto…" -> "I. La violencia psicológica") or, without one, to its first words.
_LONG_ITEM = 220
_LABEL = re.compile(r"^(.{3,110}?)(?:\.-|\.–|:\s|\s–\s|\s-\s)")
NOT_COVERED = "Los documentos consultados no responden a: {parts}."


def compact_item(text: str) -> str:
    """A list item as the source words it, without the "; y" that joins it to the next; a long
    one that opens with its label ("I. La violencia psicológica.- Es cualquier acto…") by its
    label alone."""
    text = " ".join(text.split()).rstrip(" ;,")
    if text.endswith((" y", " o", " e")):
        text = text[:-2].rstrip(" ;,")
    label = _LABEL.match(text)
    if len(text) > _LONG_ITEM and label and len(ENUMERATED.sub("", label.group(1))) > 3:
        return label.group(1).rstrip(" .")
    return text


def compose(
    pool: SentencePool,
    chosen: Sequence[Sentence],
    *,
    handout: bool = False,
    lead: Sentence | None = None,
    not_covered: Sequence[str] = (),
    order: Literal["answer", "document"] = "answer",
) -> Draft:
    """The answer from `chosen` (see the module docstring); `lead` goes first; `not_covered`
    are the parts of the question the documents do not answer. Sentences are read by hit,
    the best hit first, or (`order="document"`, a summary) as each document runs."""
    # the same sentence may answer two parts (scored apart for each)
    unique = {(s.passage, s.start): s for s in reversed(chosen)}

    def place(s: Sentence) -> tuple[int, str, int, int]:
        if order == "document":
            chunk = pool.chunk(s)
            return (0, chunk.doc_id, chunk.start + s.start, 0)
        return (s.hit, "", s.position, 0)

    ordered = sorted(unique.values(), key=place)
    if lead is not None:
        ordered.sort(key=lambda s: (s.passage, s.start) != (lead.passage, lead.start))
    keys: dict[int, str] = {}
    spans: dict[int, tuple[int, int]] = {}
    for sentence in ordered:
        keys.setdefault(sentence.passage, str(len(keys) + 1))
        a, b = spans.get(sentence.passage, (sentence.start, sentence.end))
        spans[sentence.passage] = (min(a, sentence.start), max(b, sentence.end))
    lines = _handout_lines(pool, ordered, keys) if handout else _answer_lines(ordered, keys)
    if not_covered:
        lines.append(NOT_COVERED.format(parts="; ".join(f"«{p}»" for p in not_covered)))
    citations = tuple(
        Citation(key, pool.passages[p].chunk, pool.passages[p].chunk.text[slice(*spans[p])])
        for p, key in keys.items()
    )
    text = ("\n" if handout else " ").join(lines).strip()
    return Draft(re.sub(r" *\n *", "\n", text), citations, answered=True)


def _answer_lines(ordered: Sequence[Sentence], keys: dict[int, str]) -> list[str]:
    """Sentences each with its marker; a run of list items on one line, "I. …; II. …", its
    marker after the last item of each passage."""
    lines: list[str] = []
    run: list[Sentence] = []

    def close_run() -> None:
        if not run:
            return
        pieces = []
        for position, item in enumerate(run):
            last = position + 1 == len(run)
            last_of_passage = last or run[position + 1].passage != item.passage
            # the separator before the marker: a marker closes the items before it
            piece = compact_item(item.text) + ("" if last else ";")
            pieces.append(f"{piece} {mark([keys[item.passage]])}" if last_of_passage else piece)
        lines.append("\n" + " ".join(pieces) + "\n")
        run.clear()

    for sentence in ordered:
        if sentence.enumerated:
            run.append(sentence)
            continue
        close_run()
        lines.append(f"{sentence.text} {mark([keys[sentence.passage]])}")
    close_run()
    return [line.strip(" ") for line in lines]


def _handout_lines(
    pool: SentencePool, ordered: Sequence[Sentence], keys: dict[int, str]
) -> list[str]:
    """A heading per document, one bullet per sentence or item."""
    lines: list[str] = []
    titles: list[str] = []
    for sentence in ordered:
        title = pool.chunk(sentence).title
        if title not in titles:
            titles.append(title)
            lines.append(f"{chr(10) if lines else ''}## {title}")
        text = compact_item(sentence.text) if sentence.enumerated else sentence.text
        lines.append(f"- {text.lstrip('-•* ')} {mark([keys[sentence.passage]])}")
    return lines
