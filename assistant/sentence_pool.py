"""The sentences an extractive answer can quote: every sentence of the passages the top hits
bring (each hit's article or section, see `index.units`), once each, in reading order, scored
against what a question (or one part of it) asks. Editorial residue (reform notes), text that
gives orders to the assistant and document furniture (promulgation decrees, signatures) is
never among them."""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace

from index.chunking import Chunk
from index.injection import addresses_the_assistant
from index.lines import opens_with_reform_note
from index.retrieval import Hit
from index.sentences import split_sentence_spans
from index.terms import fold, terms

# closeness of a question to sentences, each given as (its passage, its start there, its text)
Similarity = Callable[[str, list[tuple[Chunk, int, str]]], list[float]]
# What a sentence of the passage retrieval matched counts over the rest of its unit.
_OWN = 0.1
# How many sentences the embedding model re-scores (the best by words shared with the question).
DENSE_RERANK = 16
# A list item: "I.", "XII Bis.", "a)", "b.", "1.", "- ", "• ".
ENUMERATED = re.compile(
    r"^\s*(?:[IVXLC]+(?:\s+(?:bis|ter|quater|quinquies))?\s*(?:\.-|\.|\)|-)|[a-zñ]\)|[a-zñ]\.(?=\s)"
    r"|\d{1,3}(?:\.\d{1,3})*[.)]|[-•*–])\s+",
    re.IGNORECASE,
)
# The furniture of a law's first page and last lines: the decree that promulgates it, who
# signed it. They say nothing a person asked.
_FURNITURE = re.compile(
    r"^\W*(?:al margen un sello|decreto por el que|nueva ley publicada"
    r"|el presidente de los estados unidos mexicanos|el congreso general de los estados unidos"
    r"|sabed:|a sus habitantes sabed|se expide la ley|dado en el palacio|en cumplimiento de lo"
    r" dispuesto por la fraccion i del articulo 89|rubrica|sufragio efectivo|publiquese"
    r"|(?:articulo unico|primero|segundo)\.?\s*-?\s*se (?:reforma|adiciona|deroga|expide)"
    r"|se (?:reforma|reforman|adiciona|adicionan|deroga|derogan)\b[^.]{0,160}"
    r"(?:para quedar como sigue|de la ley|del codigo|de la constitucion)"
    r"|(?:dip|sen)\.\s|(?:presidente|presidenta|secretario|secretaria) de la mesa directiva)",
)


def is_furniture(sentence: str) -> bool:
    return bool(_FURNITURE.match(fold(sentence)))


# A sentence that defines a term opens with it, after its article's and its item's labels
# («Artículo 15 Séptimus.-», «XII.», see ENUMERATED), and a defining verb or mark; or it says
# «se entiende por» it.
_ARTICLE_LABEL = re.compile(
    r"^\W*(?:articulo \d+\w*(?: (?:bis|ter|quater|quinquies|sexies|septimus|octavus))?\W*)?"
)
_DEFINING = (
    r"(?:,[^,]{0,80},\s*)?(?:es|son|consisten?|constituyen?|se entiende|se entenderan?"
    r"|se considera|se consideraran?|se refiere|:|\.-|-|–)"
)
_SAID = r"\bse (?:entiende|entendera|considera|consideraran?) (?:por|como) (?:el |la |los |las )?"


def defines(sentence: str, term: str) -> bool:
    """Whether `sentence` states what `term` (folded, see `assistant.question_plan.
    defined_term`) is."""
    if not term:
        return False
    folded = fold(sentence)
    body = ENUMERATED.sub("", _ARTICLE_LABEL.sub("", folded, count=1), count=1)
    # each word of the term with its ending free: «orden» is defined as «Las órdenes …»
    escaped = r"\s+".join(
        re.escape(w) if len(w) <= 3 else re.escape(w[: max(4, len(w) - 2)]) + r"\w*"
        for w in term.split()
    )
    opening = rf"^(?:el |la |los |las |lo )?{escaped}\s*{_DEFINING}"
    return bool(re.match(opening, body) or re.search(rf"{_SAID}{escaped}\b", folded))


@dataclass(frozen=True)
class Passage:
    """A passage the answer may quote: the rank of the hit that brought it, the chunk, and
    whether retrieval matched it (or it only came with its unit)."""

    hit: int
    chunk: Chunk
    own: bool = True


@dataclass(frozen=True)
class Sentence:
    """One quotable sentence: its passage (index in the pool), the hit it came with, its order
    within that hit's unit, its span in the passage's text, and a score once ranked."""

    passage: int
    hit: int
    position: int
    start: int
    end: int
    text: str
    score: float = 0.0

    @property
    def enumerated(self) -> bool:
        return bool(ENUMERATED.match(self.text))

    @property
    def announces_list(self) -> bool:
        """ "… son los siguientes:", "… tendrá las funciones siguientes:" — items follow."""
        return self.text.rstrip().endswith(":")


def coverage(weights: dict[str, float], text: str) -> float:
    """Share of the weighted question terms that `text` contains."""
    total = sum(weights.values())
    if not total:
        return 0.0
    present = set(terms(text))
    return sum(w for t, w in weights.items() if t in present) / total


class SentencePool:
    """The quotable sentences of `hits`, each once (overlapping passages repeat sentences:
    the better hit keeps it)."""

    def __init__(self, hits: Sequence[Hit]) -> None:
        self.hits = list(hits)
        self.passages = [
            Passage(rank, c, c.chunk_id == hit.chunk.chunk_id or c.chunk_id in hit.matched)
            for rank, hit in enumerate(hits)
            for c in hit.passages
        ]
        self.sentences: list[Sentence] = []
        seen: dict[str, list[str]] = {}  # document -> its sentences taken, folded
        positions: dict[int, int] = {}
        for index, passage in enumerate(self.passages):
            text = passage.chunk.text
            taken = seen.setdefault(passage.chunk.doc_id, [])
            for a, b in split_sentence_spans(text):
                sentence = text[a:b].strip()
                key = " ".join(sentence.lower().split())
                # a passage cut mid-sentence repeats the start of a sentence another one has
                if any(key in other for other in taken) or not _quotable(sentence):
                    continue
                taken.append(key)
                position = positions.get(passage.hit, 0)
                positions[passage.hit] = position + 1
                self.sentences.append(Sentence(index, passage.hit, position, a, b, sentence))
        self._by_place = {(s.hit, s.position): s for s in self.sentences}

    def chunk(self, sentence: Sentence) -> Chunk:
        return self.passages[sentence.passage].chunk

    def ranked(
        self,
        question: str,
        weights: dict[str, float],
        similarity: Similarity | None = None,
        own_only: bool = False,
    ) -> list[Sentence]:
        """Every sentence, best first. A sentence scores by the question terms it holds, a little
        by those of its neighbours (an address or a phone is often a line of its own under the
        name it belongs to), by its hit's rank, and, when a model is at hand, by its meaning's
        closeness to the question."""
        candidates = [s for s in self.sentences if not own_only or self.passages[s.passage].own]
        own = {id(s): coverage(weights, s.text) for s in self.sentences}

        scored = []
        for s in candidates:
            neighbours = [self._by_place.get((s.hit, s.position + step)) for step in (-1, 1)]
            around = max((own[id(n)] for n in neighbours if n is not None), default=0.0)
            score = own[id(s)] + 0.3 * around + 0.15 / (s.hit + 1)
            if self.passages[s.passage].own:
                score += _OWN
            if len(s.text) < 25:
                score -= 0.2
            scored.append(replace(s, score=score))
        scored.sort(key=lambda s: -s.score)
        if similarity and scored:
            # Only the lexical front-runners are embedded: the model costs tens of
            # milliseconds per sentence on a CPU, and it reorders the top, it does not rescue
            # sentences that share nothing with the question.
            front = scored[:DENSE_RERANK]
            closeness = similarity(question, [(self.chunk(s), s.start, s.text) for s in front])
            front = [
                replace(s, score=s.score + 1.5 * max(0.0, c - 0.75))
                for s, c in zip(front, closeness, strict=True)
            ]
            scored = sorted(front, key=lambda s: -s.score) + scored[DENSE_RERANK:]
        return scored

    def items_after(self, head: Sentence, limit: int) -> list[Sentence]:
        """The list a sentence announces: the enumerated sentences that follow it in its unit,
        with the sentences an item runs on into, up to `limit` items."""
        items: list[Sentence] = []
        count = 0
        for step in range(1, 400):
            following = self._by_place.get((head.hit, head.position + step))
            if following is None:
                break
            if following.enumerated:
                count += 1
                if count > limit:
                    break
                items.append(following)
                continue
            if not items or self.is_head(following):
                break  # "… siguientes:" then plain text, or the next list
            last = items[-1].text.rstrip()
            runs_on = following.text[:1].islower() or not last.endswith((";", ".", ":"))
            if not runs_on and not self._list_goes_on(head.hit, head.position + step):
                break  # the paragraph after the list
            items.append(following)
        return items

    def _list_goes_on(self, hit: int, position: int, ahead: int = 3) -> bool:
        """Whether another item follows within `ahead` sentences: the sentence at `position`
        is then the rest of the item before it («I. … administrativas. Tendrán esta misma
        naturaleza…», then «II. …»)."""
        for step in range(1, ahead + 1):
            later = self._by_place.get((hit, position + step))
            if later is None or later.announces_list and not later.enumerated:
                return False
            if later.enumerated:
                return True
        return False

    def is_head(self, sentence: Sentence) -> bool:
        """Whether `sentence` announces a list: it ends with a colon, or it is a short title
        line («Efectos NO Mortales») with items right after it."""
        if sentence.announces_list:
            return True
        short = len(sentence.text.split()) <= 8 and not sentence.text.rstrip().endswith(".")
        following = self._by_place.get((sentence.hit, sentence.position + 1))
        return short and not sentence.enumerated and following is not None and following.enumerated

    def before(self, sentence: Sentence) -> Sentence | None:
        """The sentence just before `sentence` in its unit."""
        return self._by_place.get((sentence.hit, sentence.position - 1))

    def rest_of_item(self, item: Sentence) -> list[Sentence]:
        """The sentences that finish the list item `item` on its own line («X. Se evitará el
        uso de la arroba. No se utilizará … toda vez que no es un signo lingüístico.»)."""
        rest: list[Sentence] = []
        last = item
        while (following := self.after(last)) is not None and following.passage == item.passage:
            between = self.passages[item.passage].chunk.text[last.end : following.start]
            if "\n" in between or following.enumerated or self.is_head(following):
                break
            rest.append(following)
            last = following
        return rest

    def after(self, sentence: Sentence) -> Sentence | None:
        """The sentence just after `sentence` in its unit."""
        return self._by_place.get((sentence.hit, sentence.position + 1))

    def head_of(self, item: Sentence) -> Sentence | None:
        """The sentence that announces the list `item` belongs to, earlier in its unit."""
        for step in range(1, 40):
            earlier = self._by_place.get((item.hit, item.position - step))
            if earlier is None:
                return None
            if self.is_head(earlier):
                return earlier
            if not earlier.enumerated and not earlier.text[:1].islower():
                return None
        return None


def _quotable(sentence: str) -> bool:
    return not (
        opens_with_reform_note(sentence)
        or addresses_the_assistant(sentence)
        or is_furniture(sentence)
    )
