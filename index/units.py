"""Articles and sections as units of retrieval and of answering (small-to-big).

A question is matched against passages, but what answers it is often a whole article of a law
(its head, "… son los siguientes:", and its fracciones) or a whole numbered section of a report,
which the chunker spreads over several passages. Every passage records at index time the unit
it belongs to (`Chunk.parent_id`); a hit on any of them brings the unit's other passages, the
article head first, within a length budget.

The relations are llama-index's: a unit is a parent node whose children are its passages, each
linked to the previous and next one (`NodeRelationship.PARENT/CHILD/PREVIOUS/NEXT`). Nodes are
built for the units a question touches, not for the whole corpus."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import TYPE_CHECKING

from index.chunking import Chunk
from index.sentences import split_sentence_spans

if TYPE_CHECKING:
    from llama_index.core.schema import TextNode


@dataclass(frozen=True)
class Unit:
    """The passages of one article or section, in reading order."""

    parent_id: str
    chunks: tuple[Chunk, ...]

    @property
    def text(self) -> str:
        return merge_texts([c.text for c in self.chunks])


def merge_texts(texts: Sequence[str]) -> str:
    """Consecutive passages as one text, the sentences they repeat (the chunker's overlap)
    written once."""
    merged = ""
    for text in texts:
        if not merged:
            merged = text
            continue
        cut = 0
        for _, end in split_sentence_spans(text):
            if merged.endswith(text[:end].rstrip()):
                cut = end
        merged = f"{merged}\n{text[cut:].lstrip()}" if text[cut:].strip() else merged
    return merged


class Units:
    """The units of the indexed passages. A section longer than `max_chars` (a report with no
    headings is one section) is cut into runs of consecutive passages of up to `max_chars`:
    a unit is something an answer can take whole."""

    def __init__(self, chunks: Iterable[Chunk], max_chars: int = 0) -> None:
        members: dict[str, list[Chunk]] = {}
        for chunk in chunks:
            members.setdefault(chunk.parent_id or chunk.chunk_id, []).append(chunk)
        self._units: dict[str, tuple[Chunk, ...]] = {}
        self._key: dict[str, str] = {}
        for parent, group in members.items():
            ordered = sorted(group, key=lambda c: c.ordinal)
            for key, run in _runs(parent, ordered, max_chars):
                self._units[key] = run
                self._key.update((c.chunk_id, key) for c in run)
        self._nodes = lru_cache(maxsize=512)(self._build_nodes)

    def key(self, chunk: Chunk) -> str:
        """The id of `chunk`'s unit: its parent's, or its run's in a long section."""
        return self._key.get(chunk.chunk_id, chunk.parent_id or chunk.chunk_id)

    def of(self, chunk: Chunk) -> Unit:
        key = self.key(chunk)
        return Unit(key, self._units.get(key, (chunk,)))

    def nodes(self, chunk: Chunk) -> dict[str, TextNode]:
        """The llama-index nodes of `chunk`'s unit, by id: the parent (the unit) and its
        children (the passages), linked."""
        return self._nodes(self.key(chunk))

    def _build_nodes(self, parent: str) -> dict[str, TextNode]:
        from llama_index.core.schema import NodeRelationship, RelatedNodeInfo, TextNode

        members = self._units.get(parent, ())
        nodes = {
            parent: TextNode(
                id_=parent,
                text="",
                relationships={
                    NodeRelationship.CHILD: [RelatedNodeInfo(node_id=c.chunk_id) for c in members]
                },
            )
        }
        for position, chunk in enumerate(members):
            relations = {NodeRelationship.PARENT: RelatedNodeInfo(node_id=parent)}
            if position:
                relations[NodeRelationship.PREVIOUS] = RelatedNodeInfo(
                    node_id=members[position - 1].chunk_id
                )
            if position + 1 < len(members):
                relations[NodeRelationship.NEXT] = RelatedNodeInfo(
                    node_id=members[position + 1].chunk_id
                )
            nodes[chunk.chunk_id] = TextNode(
                id_=chunk.chunk_id, text=chunk.text, relationships=relations
            )
        return nodes

    def around(self, chunk: Chunk, budget: int) -> tuple[Chunk, ...]:
        """`chunk`'s unit within `budget` characters: all of it when it fits; otherwise its
        head (the first passage, which names the article and announces its list) and `chunk`,
        then the passages after and before `chunk`, one at a time, while they fit."""
        unit = self.of(chunk)
        if sum(len(c.text) for c in unit.chunks) <= budget or len(unit.chunks) == 1:
            return unit.chunks
        by_id = {c.chunk_id: c for c in unit.chunks}
        nodes = self.nodes(chunk)
        head = unit.chunks[0]
        chosen = {head.chunk_id, chunk.chunk_id}
        used = sum(len(by_id[i].text) for i in chosen)
        after, before = nodes[chunk.chunk_id].next_node, nodes[chunk.chunk_id].prev_node
        while after is not None or before is not None:
            for side in ("after", "before"):
                related = after if side == "after" else before
                if related is None:
                    continue
                size = len(by_id[related.node_id].text)
                node = nodes[related.node_id]
                if related.node_id not in chosen and used + size > budget:
                    related = None
                else:
                    if related.node_id not in chosen:
                        chosen.add(related.node_id)
                        used += size
                    related = node.next_node if side == "after" else node.prev_node
                if side == "after":
                    after = related
                else:
                    before = related
        return tuple(c for c in unit.chunks if c.chunk_id in chosen)


def _runs(
    parent: str, chunks: Sequence[Chunk], max_chars: int
) -> Iterable[tuple[str, tuple[Chunk, ...]]]:
    """The section whole when it fits in `max_chars` (or there is no limit), else runs of
    consecutive passages that do, keyed `{parent}#{n}`."""
    if not max_chars or sum(len(c.text) for c in chunks) <= max_chars:
        yield parent, tuple(chunks)
        return
    run: list[Chunk] = []
    size = 0
    number = 0
    for chunk in chunks:
        if run and size + len(chunk.text) > max_chars:
            yield f"{parent}#{number}", tuple(run)
            run, size, number = [], 0, number + 1
        run.append(chunk)
        size += len(chunk.text)
    if run:
        yield f"{parent}#{number}", tuple(run)
