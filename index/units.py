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
    """The units of the indexed passages, by parent id."""

    def __init__(self, chunks: Iterable[Chunk]) -> None:
        members: dict[str, list[Chunk]] = {}
        for chunk in chunks:
            members.setdefault(chunk.parent_id or chunk.chunk_id, []).append(chunk)
        self._units = {
            parent: tuple(sorted(group, key=lambda c: c.ordinal))
            for parent, group in members.items()
        }
        self._nodes = lru_cache(maxsize=512)(self._build_nodes)

    def of(self, chunk: Chunk) -> Unit:
        parent = chunk.parent_id or chunk.chunk_id
        return Unit(parent, self._units.get(parent, (chunk,)))

    def nodes(self, chunk: Chunk) -> dict[str, TextNode]:
        """The llama-index nodes of `chunk`'s unit, by id: the parent (the unit) and its
        children (the passages), linked."""
        return self._nodes(chunk.parent_id or chunk.chunk_id)

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
