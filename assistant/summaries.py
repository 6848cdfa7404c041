"""A summary of a whole document («Hazme un resumen del Protocolo de 2024…», «Resume la nota
informativa…»): the question names the document and nothing else, so its words, which every
passage carries in its label, cannot tell which sentences to take. The summary takes instead
the sentences that say most that the others do not: the document's rarer words, its figures and
its names, one section at a time, read in the document's order; never its title over again,
nor a sentence every section repeats.

A summary about a topic in a document («Resume lo que dice la ley sobre los refugios») is not
this: its topic ranks the sentences (see `assistant.extractive`)."""

from __future__ import annotations

import math
import re
from collections.abc import Callable, Collection

from assistant.details import find_details
from assistant.evidence import proper_name_terms
from assistant.intents import EVERYDAY
from assistant.sentence_pool import Sentence, SentencePool
from index.footnotes import is_footnote
from index.markdown_text import ARTICLE_HEADING
from index.sentences import split_sentence_spans
from index.terms import terms

# Words that say what kind of text is asked about, not what it is about.
_KIND_OF_TEXT = frozenset(
    terms(
        "documento texto nota informe articulo contenido principales principal puntos lo que dice"
        " establece establecen plantea señala taller capacitacion presentacion personal"
    )
)
# A topic that leaves no more than this share of its weight outside the document's name asks
# about the whole document.
_WHOLE = 0.25
_SHORTEST, _LONGEST = 40, 600
# How much a sentence with figures, and one with proper names, counts over its words.
_FIGURES, _NAMES = 0.5, 0.3
# Headings under which a sentence recurs to be a formula, not something a section says.
_REPEATED = 3
# The share of a sentence's words outside the document's name below which it only names it.
_NAMING = 0.5
# The structure leads when its candidates fill at least 1/_ENOUGH of the summary.
_ENOUGH = 2
_WEB_ADDRESS = re.compile(r"https?://|www\.", re.IGNORECASE)
_SOURCES_HEADING = re.compile(
    r"(?:bibliograf[íi]a|referencias|fuentes(?: consultadas)?)\W*$", re.IGNORECASE
)


def asks_about_whole(topic: str, name_terms: Collection[str], idf: Callable[[str], float]) -> bool:
    """Whether a summary's `topic` is only the name of a document (`name_terms`: the stemmed
    words of its title, issuer, acronym and year), give or take a word."""
    weights = {t: idf(t) for t in terms(topic) if t not in _KIND_OF_TEXT}
    total = sum(weights.values())
    left = sum(w for t, w in weights.items() if t not in name_terms)
    return total > 0 and left <= _WHOLE * total


def whole_document_summary(
    pool: SentencePool,
    idf: Callable[[str], float],
    name_terms: Collection[str],
    common: frozenset[str],
    points: int,
) -> list[Sentence]:
    """Up to `points` sentences of `pool` that together say most of its documents: each chosen
    for the rare words it adds to those already chosen (its figures and names counting more),
    one per section before a second from any, returned in reading order."""
    named = set(name_terms)
    repeated = _repeated_sentences(pool)
    candidates = [
        s
        for s in pool.sentences
        if _SHORTEST <= len(s.text) <= _LONGEST
        and not s.text.rstrip().endswith(":")
        and _folded(s.text) not in repeated
    ]
    own = {id(s): set(terms(s.text)) - named - EVERYDAY for s in candidates}
    # a sentence that is mostly the document's name («1.4 Objetivo del Protocolo para …»)
    # announces it, it does not summarize it
    candidates = [s for s in candidates if len(own[id(s)]) > _NAMING * len(set(terms(s.text)))]
    candidates = _by_structure(pool, candidates, points)
    bonus = {
        id(s): 1.0
        + _FIGURES * bool(find_details(s.text, ("count", "amount", "date")))
        + _NAMES * bool(proper_name_terms(s.text, common) - named)
        for s in candidates
    }
    chosen: list[Sentence] = []
    covered: set[str] = set()
    taken: dict[int, int] = {}  # sentences chosen from each section (hit)
    cap = 1
    while len(chosen) < points and cap <= points:
        best, best_score = None, 0.0
        for s in candidates:
            if s in chosen or taken.get(s.hit, 0) >= cap:
                continue
            words = own[id(s)]
            novel = sum(idf(t) for t in words - covered)
            score = bonus[id(s)] * novel / math.sqrt(max(len(words), 1))
            if score > best_score:
                best, best_score = s, score
        if best is None:
            cap += 1  # every section has given its share: a second round
            continue
        chosen.append(best)
        covered |= own[id(best)]
        taken[best.hit] = taken.get(best.hit, 0) + 1
    return sorted(chosen, key=lambda s: (pool.chunk(s).ordinal, s.start))


def _by_structure(pool: SentencePool, candidates: list[Sentence], points: int) -> list[Sentence]:
    """The candidates the document's structure puts forward, when there are enough of them for
    half of `points` (a shorter summary is better than one padded with the rest): in a law or
    an agreement, its articles (what it establishes, not the considerandos that say why); in
    any document, the sentences that open a paragraph or an item, where writers state what the
    paragraph is about. A web address is a source, not a point, and so are a bibliography and
    a footnote's own line."""
    kept = [
        s
        for s in candidates
        if not _WEB_ADDRESS.search(s.text)
        and not is_footnote(s.text)
        and not _SOURCES_HEADING.match(_section_title(pool, s))
    ]
    articles = [s for s in kept if ARTICLE_HEADING.match(_section_title(pool, s))]
    if _ENOUGH * len(articles) >= points:
        kept = articles
    leads = [s for s in kept if _opens_paragraph(pool, s)]
    return leads if _ENOUGH * len(leads) >= points else kept


def _section_title(pool: SentencePool, sentence: Sentence) -> str:
    """The last step of the heading path `sentence` stands under («Artículo 7», «Bibliografía»)."""
    return pool.chunk(sentence).heading.rpartition(" > ")[2]


def _opens_paragraph(pool: SentencePool, sentence: Sentence) -> bool:
    """Whether `sentence` begins a paragraph, a list item or a table row of its passage. A
    passage can begin inside a paragraph (passages overlap), so its first sentence counts only
    when it starts as a paragraph would, not in lower case."""
    before = pool.chunk(sentence).text[: sentence.start]
    if before.strip():
        return before.rstrip(" \t").endswith("\n")
    return not sentence.text[:1].islower()


def _repeated_sentences(pool: SentencePool) -> set[str]:
    """The sentences (folded) that recur under `_REPEATED` or more headings: a letterhead or
    a formula every section repeats says nothing of any of them. (Neighbouring passages
    overlap by a sentence or two, so two headings are not enough.)"""
    headings: dict[str, set[str]] = {}
    for passage in pool.passages:
        text = passage.chunk.text
        for a, b in split_sentence_spans(text):
            headings.setdefault(_folded(text[a:b]), set()).add(passage.chunk.heading)
    return {key for key, where in headings.items() if len(where) >= _REPEATED}


def _folded(sentence: str) -> str:
    return " ".join(sentence.lower().split())
