"""Lists in answers: a law's article that announces «… son los siguientes:» and its fracciones,
a report's heading and its bullets. A sentence that announces a list answers nothing without
its items; a question that asks for a list gets the one that best matches it."""

from __future__ import annotations

from dataclasses import replace

from assistant.sentence_pool import Sentence, SentencePool
from index.terms import terms

# How many items a list answer brings at most (a law's longest lists run to about 30).
LIST_ITEMS = 40
# Words a sentence and the list announced right after it must share for the list to spell out
# the sentence («… por una razón de género.» then «Se considera que existen razones de género
# cuando concurra alguna de las siguientes circunstancias:»).
_SPELLED_OUT = 2


def with_list(
    pool: SentencePool, chosen: list[Sentence], weights: dict[str, float], wanted: bool = True
) -> list[Sentence]:
    """A chosen sentence that announces a list ("… como mínimo los siguientes servicios:")
    answers nothing without its items: they come along, every one; so does the list announced
    right after a chosen rule that it spells out, and the rest of a chosen item's line. When a
    list is `wanted` and none of the chosen sentences announces one, the lists best matching
    the question, anywhere in the hits' units, come first with their items (and only those
    chosen sentences that match the question better stay)."""
    result = list(chosen)
    heads = [s for s in chosen if pool.is_head(s)]
    heads += [h for s in chosen if (h := _spelled_out(pool, s)) is not None and h not in heads]
    if wanted and not heads:
        heads = best_lists(pool, weights)
        if heads:
            label = pool.before(heads[0])  # «IX. No se hará uso de peyorativos.» names it
            lead = [label] if label is not None and label.enumerated else []
            result = [*lead, *heads, *(s for s in chosen if s.score > heads[0].score)]
    # an item is quoted whole, and a list with every item
    more = [rest for s in chosen if s.enumerated for rest in pool.rest_of_item(s)]
    more += [item for head in heads for item in [head, *pool.items_after(head, LIST_ITEMS)]]
    places = {(s.passage, s.start) for s in result}
    for sentence in more:
        if (sentence.passage, sentence.start) not in places:
            places.add((sentence.passage, sentence.start))
            result.append(sentence)
    return result


def _spelled_out(pool: SentencePool, sentence: Sentence) -> Sentence | None:
    """The list announced right after `sentence` that spells out what it names, if any: a
    provision's rule followed by the list of the cases it means is half quoted without it."""
    if sentence.enumerated or pool.is_head(sentence):
        return None
    following = pool.after(sentence)
    if following is None or not pool.is_head(following) or following.enumerated:
        return None
    shared = set(terms(sentence.text)) & set(terms(following.text))
    return following if len(shared) >= _SPELLED_OUT else None


def best_lists(pool: SentencePool, weights: dict[str, float]) -> list[Sentence]:
    """The lists that best match the question: the best by its announcing sentence's words
    and its neighbours', and a little by its items'; and the lists beside it in its unit that
    match almost as well («Efectos NO Mortales», «Efectos Mortales»). None when no list comes
    close to the best sentence of the pool."""
    ranked = pool.ranked("", weights)
    if not ranked:
        return []
    score = {(s.passage, s.start): s.score for s in ranked}
    heads = {(s.passage, s.start): s for s in ranked if pool.is_head(s)}
    for sentence in ranked[:12]:  # the list an item that matches belongs to
        if sentence.enumerated and (head := pool.head_of(sentence)) is not None:
            place = (head.passage, head.start)
            heads.setdefault(place, replace(head, score=score.get(place, 0.0)))
    values: list[tuple[float, Sentence]] = []
    for head in heads.values():
        items = pool.items_after(head, LIST_ITEMS)
        if items:
            best_item = max(score.get((i.passage, i.start), 0.0) for i in items)
            values.append((head.score + 0.3 * best_item, head))
    if not values:
        return []
    values.sort(key=lambda v: -v[0])
    best_value, best = values[0]
    if best_value < 0.5 * ranked[0].score:
        return []
    beside = [h for v, h in values[1:] if h.hit == best.hit and v >= 0.85 * best_value]
    return sorted([best, *beside], key=lambda h: h.position)
