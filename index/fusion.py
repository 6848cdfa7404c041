"""Reciprocal rank fusion: one ranking from several, by rank alone, so that BM25 scores and
cosine similarities never have to be put on one scale."""

from __future__ import annotations

from collections.abc import Collection, Mapping, Sequence


def reciprocal_rank_fusion(
    rankings: Mapping[str, Sequence[str]],
    weights: Mapping[str, float] | None = None,
    k: int = 60,
) -> list[tuple[str, float, dict[str, int]]]:
    """Fuse named rankings of ids (best first) into (id, score, {ranking name: 0-based rank}),
    best first; ties keep the order in which ids were first seen."""
    scores: dict[str, float] = {}
    ranks: dict[str, dict[str, int]] = {}
    for name, ranking in rankings.items():
        weight = (weights or {}).get(name, 1.0)
        for rank, item in enumerate(ranking):
            scores[item] = scores.get(item, 0.0) + weight / (k + rank + 1)
            ranks.setdefault(item, {})[name] = rank
    order = sorted(scores, key=lambda item: -scores[item])
    return [(item, scores[item], ranks[item]) for item in order]


def top_keeping_leaders(
    fused: Sequence[tuple[str, float, dict[str, int]]], k: int, leaders: Collection[str]
) -> list[tuple[str, float, dict[str, int]]]:
    """The best `k` of `fused`, in fused order, except that every leader (the first of one
    ranking) in `fused` keeps a place, displacing the last of the others: a passage one
    ranking puts first and the other never saw otherwise loses to passages both rank middling."""
    first = [item[0] for item in fused if item[0] in leaders]
    chosen = set((first + [item[0] for item in fused if item[0] not in leaders])[:k])
    return [item for item in fused if item[0] in chosen]
