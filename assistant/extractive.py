"""The extractive generator: answers with the source's own sentences, each followed by the
marker of the passage it comes from, or declines when the passages do not hold the answer.

It answers the whole question: each part of a compound question gets the sentence that
answers it (and a part the documents do not cover is named, instead of refusing the rest); a
question asking for a list gets the sentence that announces it with every item; a summary gets
a point from each of the sections it draws on; a yes-or-no question gets the provision that
settles it first."""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from typing import Literal, Protocol

from assistant.answer import NOT_IN_DOCUMENTS, Draft, TokenSink
from assistant.audiences import Audience
from assistant.composition import compose
from assistant.evidence import (
    counted_noun,
    counts,
    has_answer_type,
    missing_names,
    missing_numbers,
)
from assistant.intents import (
    EVERYDAY,
    AnswerType,
    answer_type,
    asks_overview,
    is_english,
    topical,
)
from assistant.legal_terms import legal_wording
from assistant.lists import best_lists, with_list
from assistant.question_plan import Part, QuestionPlan, plan_question, summary_topic
from assistant.sentence_pool import (
    DENSE_RERANK,
    Sentence,
    SentencePool,
    Similarity,
    coverage,
    defines,
)
from assistant.summaries import asks_about_whole, whole_document_summary
from index.chunking import Chunk
from index.retrieval import Hit
from index.terms import has_root, terms

# How many points a summary has at most.
_SUMMARY_POINTS = 8
# How much a part's own words weigh against the rest of the question's when choosing the
# sentence that answers that part.
_OTHER_PARTS = 0.35
# Everyday words ("hago", "mis hijos") are rare in official documents, so rarity overrates
# them: they count this much of their rarity.
_EVERYDAY_WEIGHT = 0.3
# The share of a part's own words (by rarity) the sentences answering it must hold.

_COVERED = 0.5
# Data that belong to the name printed right above them, never to a sentence elsewhere.
_CONTACT_DATA = frozenset([AnswerType.PHONE, AnswerType.ADDRESS, AnswerType.SCHEDULE])
# How close to the best sentence's score one must come to carry the datum on its own.
_SELF_NAMED = 0.6
# How much the documents' words for a situation told in everyday words weigh in ranking.
_LEGAL_WEIGHT = 0.5


class CorpusStats(Protocol):
    """What the generator needs to know about the indexed corpus (the Retriever provides it)."""

    common_words: frozenset[str]
    acronyms: dict[str, str]  # folded acronym -> folded long form, as the corpus defines them

    def idf(self, term: str) -> float: ...

    def with_aliases(self, text: str) -> str: ...

    def name_terms(self, doc_id: str) -> frozenset[str]:
        """The stemmed words that name a document (title, issuer, acronym, year)."""
        ...

    def document_aliases(self, doc_id: str) -> str:
        """The acronyms and long names a document uses ("CONAPRED" for the law that writes
        "Consejo Nacional para Prevenir la Discriminación"), as text."""
        ...


@dataclass(frozen=True)
class Support:
    """How well the best passages cover the question: `coverage` is the rarity-weighted share of
    the question's terms found in one passage, `similarity` the best dense cosine."""

    coverage: float
    similarity: float


def weigh_terms(
    question: str, history: Sequence[str], idf: Callable[[str], float]
) -> dict[str, float]:
    """Question terms weighted by rarity; terms carried over from earlier turns count half, so a
    follow-up keeps its topic but its own words decide which sentence answers it."""
    weights: dict[str, float] = {}
    for turn in history[-2:]:
        for term in terms(turn):
            weights[term] = max(weights.get(term, 0.0), 0.5 * idf(term))
    for term in terms(question):
        weights[term] = idf(term) * (_EVERYDAY_WEIGHT if term in EVERYDAY else 1.0)

    return weights


def measure_support(
    weights: dict[str, float], hits: Sequence[Hit], aliases: Callable[[str], str]
) -> Support:
    return Support(
        coverage=max((coverage(weights, aliases(h.chunk.context_text)) for h in hits), default=0.0),
        similarity=max((h.similarity for h in hits), default=0.0),
    )


@dataclass(frozen=True)
class _Answered:
    """What was found for one part: its sentences, or why none answers it."""

    sentences: list[Sentence]
    problem: str = ""


class ExtractiveGenerator:
    """Picks the sentences of the top passages that answer every part of the question."""

    def __init__(
        self,
        corpus: CorpusStats,
        similarity: Similarity | None = None,
        max_sentences: int = 3,
        max_passages: int = 3,
        min_coverage: float = 0.3,
        min_similarity: float = 0.8,
    ) -> None:
        self._corpus = corpus
        self._similarity = similarity
        self._max_sentences = max_sentences
        self._max_passages = max_passages
        self._min_coverage = min_coverage
        self._min_similarity = min_similarity

    def supported(self, support: Support) -> bool:
        """The calibrated threshold: answer when the words or the meaning match well enough."""
        return support.coverage >= self._min_coverage or support.similarity >= self._min_similarity

    def generate(
        self,
        question: str,
        hits: Sequence[Hit],
        history: Sequence[str],
        audience: Audience = "ciudadania",
        on_token: TokenSink | None = None,
    ) -> Draft:
        draft = self._draft(question, hits, history, handout=audience == "capacitacion")
        if on_token:
            on_token(draft.text)  # nothing to stream: the answer exists whole at once
        return draft

    def _draft(
        self, question: str, hits: Sequence[Hit], history: Sequence[str], handout: bool = False
    ) -> Draft:
        plan = plan_question(question)
        # a compound question brings a unit for each of its parts besides its own; a summary
        # draws on all the units it was given
        more = len(plan.parts) if plan.compound else 0
        top = hits if plan.wants_summary else hits[: self._max_passages + more]
        weights = weigh_terms(question, history, self._corpus.idf)
        if not top:
            return _declined("no se recuperó ningún pasaje")
        # everyday words ("hago", "mis hijos") never carry the support on their own
        support = measure_support(topical(weights), top, self._corpus.with_aliases)
        for part in plan.parts if plan.compound else ():
            # a compound question's parts stand in different passages: one of them suffices
            own = weigh_terms(part.query, history, self._corpus.idf)
            found = measure_support(topical(own), top, self._corpus.with_aliases)
            support = max(support, found, key=lambda s: s.coverage)
        wording = legal_wording(question)
        if wording:
            # a situation she tells in her words is supported by a passage naming it in the
            # documents' words ("a su nombre … sacarlo": "desocupación del domicilio")
            legal = weigh_terms(wording, (), self._corpus.idf)
            found = measure_support(legal, top, self._corpus.with_aliases)
            support = max(support, found, key=lambda s: s.coverage)
        if not self.supported(support):
            return _declined(f"poco respaldo ({support.coverage:.2f}, {support.similarity:.3f})")
        # the documents' words rank sentences too, below her own words
        for term in terms(wording):
            weights.setdefault(term, _LEGAL_WEIGHT * self._corpus.idf(term))
        pool = SentencePool(top)
        whole = Part(question, answer_type(question))
        if plan.wants_summary:
            topic = summary_topic(question)
            documents = {h.chunk.doc_id for h in top}
            names = frozenset().union(*(self._corpus.name_terms(d) for d in documents))
            if len(documents) == 1 and asks_about_whole(topic, names, self._corpus.idf):
                summary = whole_document_summary(
                    pool, self._corpus.idf, names, self._corpus.common_words, _SUMMARY_POINTS
                )
            else:
                about = weigh_terms(topic, history, self._corpus.idf)
                summary = self._summary(pool, Part(topic, whole.datum), about)
            base = _Answered(summary, "ninguna oración responde")
        else:
            # an overview, or what the article it names says, wants more than one sentence
            overview = asks_overview(question) or bool(plan.article)
            base = self._answer_part(pool, whole, weights, overview, own_only=True)

        if plan.wants_list and base.sentences:  # a list for what the checks let answer
            base = _Answered(with_list(pool, base.sentences, weights), base.problem)
        order: Literal["answer", "document"] = "document" if plan.wants_summary else "answer"
        if not plan.compound:
            if not base.sentences:
                return _declined(base.problem)
            lead = _lead(plan, whole, base.sentences)
            return compose(pool, base.sentences, handout=handout, lead=lead, order=order)
        chosen, not_covered = self._cover_parts(pool, plan, base.sentences, weights)
        if (
            not chosen
            or plan.parts[0].text in not_covered
            and 2 * len(not_covered) >= len(plan.parts)
        ):
            if not base.sentences:
                # the main part is not in the documents: a near miss, not half an answer
                return _declined(base.problem or "ninguna oración responde a la pregunta principal")
            # the answer to the whole question passed every check, in other words than the
            # parts': it stands, and the parts' check, which missed it, names nothing missing
            chosen, not_covered = base.sentences, []
        lead = _lead(plan, whole, chosen)
        return compose(
            pool, chosen, handout=handout, lead=lead, not_covered=not_covered, order=order
        )

    def _cover_parts(
        self,
        pool: SentencePool,
        plan: QuestionPlan,
        chosen: list[Sentence],
        weights: dict[str, float],
    ) -> tuple[list[Sentence], list[str]]:
        """Each part covered: by the sentences already chosen, or by a sentence of its own;
        and the parts the documents do not cover."""
        chosen = list(chosen)
        not_covered: list[str] = []
        for part in plan.parts:
            if chosen and self._covers(pool, chosen, part):
                continue
            own = {t: w if t in set(part.terms) else _OTHER_PARTS * w for t, w in weights.items()}
            found = self._answer_part(pool, part, own, limit=1)
            if part.wants_list and found.sentences:
                found = _Answered(with_list(pool, found.sentences, own), found.problem)
            if found.sentences and self._covers(pool, found.sentences, part):
                chosen += found.sentences
            else:
                not_covered.append(part.text)
        return chosen, not_covered

    def _answer_part(
        self,
        pool: SentencePool,
        part: Part,
        weights: dict[str, float],
        overview: bool = False,
        own_only: bool = False,
        limit: int = 0,
    ) -> _Answered:
        """The sentences that answer `part` (the whole question, for the first answer): the
        best by `weights`, up to `limit` (the configured number, more for an overview), with
        the datum the part asks for and everything it names."""
        ranked = _definition_first(
            pool.ranked(part.query, weights, self._similarity, own_only), part
        )
        limit = limit or self._max_sentences + (2 if overview else 0)
        floor = ranked[0].score * (0.35 if overview else 0.55) if ranked else 0.0
        chosen = [s for s in ranked if s.score >= floor][:limit]
        if not chosen:
            return _Answered([], "ninguna oración responde")
        wanted = part.datum
        common = self._corpus.common_words
        if not any(has_answer_type(s.text, wanted, part.query, common) for s in chosen):
            typed = self._typed(pool, ranked, part, len(chosen))
            if typed is None:
                return _Answered([], f"los pasajes no dan el dato pedido ({wanted.value})")
            chosen = [*chosen[: limit - 1], typed]

        if missing := self._missing(pool, part.query, wanted, chosen, ranked):
            return _Answered([], f"los pasajes no mencionan {', '.join(missing)}")
        return _Answered(with_list(pool, chosen, weights, wanted=False))

    def _typed(
        self, pool: SentencePool, ranked: list[Sentence], part: Part, chosen: int
    ) -> Sentence | None:
        """The sentence with the datum `part` asks for when the `chosen` best ones lack it.
        A contact detail sits right next to the best sentence (an address on the line under
        the name it belongs to), never elsewhere in the passage, where it is someone else's;
        a date may sit next to any chosen sentence (a dateline above the news it dates); a
        figure or a date may also be in the list the best sentence announces, or in a sentence
        that by itself names most of what the part asks ("La permanencia … en los refugios no
        podrá ser mayor a tres meses")."""
        best, common = ranked[0], self._corpus.common_words
        items: set[tuple[int, int]] = set()
        if pool.is_head(best):
            items = {(s.hit, s.position) for s in pool.items_after(best, 60)}
        contact = part.datum in _CONTACT_DATA
        # a date dates the text around it, the way a dateline dates the news under it
        anchors = ranked[: max(chosen, 1)] if part.datum is AnswerType.DATE else ranked[:1]
        for rank, s in enumerate(ranked):
            beside = any(s.hit == a.hit and abs(s.position - a.position) <= 3 for a in anchors)
            in_list = (s.hit, s.position) in items
            self_named = not contact and rank < DENSE_RERANK and s.score >= _SELF_NAMED * best.score
            if (beside or in_list or self_named) and has_answer_type(
                s.text, part.datum, part.query, common, stated=not (beside or in_list)
            ):
                return s

        return None

    def _identity(self, chunk: Chunk) -> str:
        """What names a passage's document and place in it (see `_identity`), and the names
        its document uses."""
        return f"{_identity(chunk)} {self._corpus.document_aliases(chunk.doc_id)}"

    def _covers(self, pool: SentencePool, sentences: Sequence[Sentence], part: Part) -> bool:
        """Whether `sentences` answer `part`: they hold the datum it asks for, a list when it
        asks for one, and most of its own words (or words of the same root)."""
        text = " ".join(s.text for s in sentences)
        if part.datum is not AnswerType.OTHER and not has_answer_type(
            text, part.datum, part.query, self._corpus.common_words
        ):
            return False
        if (
            part.wants_list
            and not any(pool.is_head(s) or s.enumerated for s in sentences)
            and best_lists(pool, {t: self._corpus.idf(t) for t in part.terms})
        ):
            return False  # a list was asked for, the documents have one, the answer does not
        own = {t: self._corpus.idf(t) for t in part.terms}
        if not own:
            return True
        # one passage of consecutive sentences must say what the part asks: words scattered
        # over the answer do not; nor do the words of its document's name, which every
        # passage's label carries («… presta especial atención la iniciativa» is not answered
        # by any sentence of the note on the Iniciativa Spotlight)
        best = 0.0
        for run in _runs(sentences):
            chunk = pool.chunk(run[0])
            names = self._corpus.name_terms(chunk.doc_id)
            asked = {t: w for t, w in own.items() if t not in names} or own
            said = " ".join(s.text for s in run)
            present = set(terms(self._corpus.with_aliases(f"{said} {self._identity(chunk)}")))
            held = sum(w for t, w in asked.items() if has_root(t, present))
            if part.datum is not AnswerType.OTHER:
                best = max(best, held)
            else:
                best = max(best, held / sum(asked.values()))
        if part.datum is not AnswerType.OTHER:
            return best > 0  # the datum is there, and something of what it is about
        return best >= _COVERED

    def _summary(
        self, pool: SentencePool, whole: Part, weights: dict[str, float]
    ) -> list[Sentence]:
        """The sentences that answer the question best (as for any overview), and then a point
        from each other unit the hits bring that speaks to it; read in the document's order.
        (Taking each unit's opening sentence instead, to follow the document's structure, was
        measured and dropped: summary facts fell on both older sets, 0.863 -> 0.820 and
        0.760 -> 0.696 overall, and rose nowhere.)"""
        chosen = self._answer_part(pool, whole, weights, overview=True, own_only=True).sentences
        ranked = pool.ranked(whole.text, weights, self._similarity)
        if not ranked:
            return chosen
        floor = 0.3 * ranked[0].score
        covered = {s.hit for s in chosen}
        for sentence in ranked:
            if len(chosen) >= _SUMMARY_POINTS:
                break
            if sentence.hit not in covered and sentence.score >= floor:
                covered.add(sentence.hit)
                chosen.append(sentence)
        return chosen

    def _missing(
        self,
        pool: SentencePool,
        question: str,
        wanted: AnswerType,
        chosen: list[Sentence],
        ranked: list[Sentence],
    ) -> list[str]:
        """What the question names that the answer's evidence lacks. Numbers must be in the
        chosen sentences (or their passage's title and heading). Names and the counted noun
        must be around one sentence that carries the datum asked for: the sentences next to
        it often carry its subject, but a count of something in Chiapas is not "128 nodes"
        from one paragraph and "Chiapas" from another."""
        labels = " ".join(self._identity(pool.chunk(s)) for s in chosen)
        said = " ".join(s.text for s in chosen)
        if missing := missing_numbers(question, f"{said} {labels}"):
            return missing
        common = self._corpus.common_words
        anchors = [
            s
            for s in chosen
            if wanted is AnswerType.OTHER or has_answer_type(s.text, wanted, question, common)
        ]
        noun = None if is_english(question) else counted_noun(question)
        best: list[str] | None = None
        for anchor in anchors or chosen:
            around = " ".join(
                s.text for s in ranked if _near(pool, s, anchor) or _names_document(pool, s, anchor)
            )
            nearby = self._corpus.with_aliases(f"{around} {self._identity(pool.chunk(anchor))}")
            missing = missing_names(question, nearby, common)
            acronyms = self._corpus.acronyms
            if noun and wanted is AnswerType.QUANTITY and not counts(anchor.text, noun, acronyms):
                missing.append(f"una cifra de {noun}")
            elif noun and noun not in terms(nearby):
                missing.append(noun)
            if not missing:
                return []
            if best is None or len(missing) < len(best):
                best = missing
        return best or []


def _lead(plan: QuestionPlan, whole: Part, chosen: Sequence[Sentence]) -> Sentence | None:
    """The sentence the answer opens with, whatever its place: the provision that settles a
    yes-or-no question, the definition a «¿qué es …?» asks for."""
    if not chosen:
        return None
    if plan.yes_no or defines(chosen[0].text, whole.defined_term):
        return chosen[0]
    return None


def _definition_first(ranked: list[Sentence], part: Part) -> list[Sentence]:
    """For «¿qué es …?», «¿cómo se define …?»: the best sentence that defines the term («Las
    acciones afirmativas son las medidas especiales …») leads, ahead of the sentences that only
    share its words («Las acciones afirmativas podrán incluir …»)."""
    term = part.defined_term
    definition = next((s for s in ranked if defines(s.text, term)), None) if term else None
    if definition is None or definition is ranked[0]:
        return ranked
    lead = replace(definition, score=ranked[0].score)
    return [lead, *(s for s in ranked if s is not definition)]


def _runs(sentences: Sequence[Sentence]) -> list[list[Sentence]]:
    """The sentences in runs of neighbours (one after the other in one hit's unit)."""
    runs: list[list[Sentence]] = []
    for sentence in sorted(sentences, key=lambda s: (s.hit, s.position)):
        last = runs[-1][-1] if runs else None
        if last is not None and last.hit == sentence.hit and sentence.position - last.position <= 1:
            runs[-1].append(sentence)
        else:
            runs.append([sentence])
    return runs


# How far from the sentence that carries the datum its subject may be named: about two
# sentences, measured in the document, so neighbours in an overlapping passage count too.
_NEAR_CHARS = 600


def _near(pool: SentencePool, sentence: Sentence, anchor: Sentence) -> bool:
    a, b = pool.chunk(sentence), pool.chunk(anchor)
    if a.doc_id != b.doc_id:
        return False
    start, end = a.start + sentence.start, a.start + sentence.end
    anchor_start, anchor_end = b.start + anchor.start, b.start + anchor.end
    return end >= anchor_start - _NEAR_CHARS and start <= anchor_end + _NEAR_CHARS


def _names_document(pool: SentencePool, sentence: Sentence, anchor: Sentence) -> bool:
    """A title line in capitals ("ACUERDO C-311/2017 EMITIDO POR EL CONSEJO DE LA JUDICATURA…")
    names the whole document, as its title does."""
    if pool.chunk(sentence).doc_id != pool.chunk(anchor).doc_id:
        return False
    letters = [c for c in sentence.text if c.isalpha()]
    return len(letters) >= 30 and sum(c.isupper() for c in letters) >= 0.8 * len(letters)


def _identity(chunk: Chunk) -> str:
    """What names a passage's document and place in it: "según la ley de Chihuahua de 2024"
    is satisfied by the title, acronym, institution, date, file name or heading, not only by
    the text."""
    name = re.sub(r"[_\-.]+", " ", chunk.source.rsplit("/", 1)[-1])
    return f"{chunk.title} {chunk.acronym} {chunk.institution} {chunk.date} {name} {chunk.heading}"


def _declined(reason: str) -> Draft:
    return Draft(NOT_IN_DOCUMENTS, (), answered=False, reason=reason)
