"""Checking a written answer against the passages it cites. Pure functions: the check of one
claim (see `assistant.markers` for how an answer splits into claims), and the quote that backs it.

A claim is a sentence (or a list item) with the markers that follow it. It is supported when
every number, proper name and rare term it uses is in the passages it cites (after accent and
case folding); the embedding similarity floor is applied by the generator, which holds the
model."""

from __future__ import annotations

import re
from collections.abc import Sequence

from assistant.evidence import proper_name_terms
from assistant.extractive import CorpusStats
from assistant.markers import Claim
from index.chunking import Chunk
from index.sentences import split_sentence_spans
from index.terms import has_root, terms

_THOUSANDS = re.compile(r"(?<=\d)[.,](?=\d{3}(?!\d))")
_NUMBER = re.compile(r"\*?\d+")
_LONGEST_QUOTE = 700


def numbers(text: str) -> set[str]:
    """The numbers in `text` as digit strings, thousands separators joined ("81,961" ->
    "81961"), star codes kept with their star ("*765")."""
    return set(_NUMBER.findall(_THOUSANDS.sub("", text)))


def check_claim(
    claim: Claim, cited: Sequence[Chunk], corpus: CorpusStats, rare_idf: float
) -> tuple[str, ...]:
    """What `claim` says that the passages it cites do not: missing numbers, proper names and
    rare terms (empty when supported). A claim citing nothing is unsupported, unless it is a
    heading."""
    if claim.structural:
        return ()
    if not cited:
        return ("no cita ningún pasaje",)
    evidence = " ".join(f"{c.title} {c.heading} {c.text}" for c in cited)
    problems = [f"cifra {n}" for n in sorted(numbers(claim.body) - numbers(evidence))]
    known = set(terms(corpus.with_aliases(evidence)))
    names = proper_name_terms(claim.body, corpus.common_words)
    problems += [f"nombre {t}" for t in sorted(names - known)]
    rare = {t for t in terms(claim.body) if not t.isdigit() and corpus.idf(t) >= rare_idf}
    problems += [f"término {t}" for t in sorted(rare - names) if not has_root(t, known)]
    if not problems:
        problems += [
            f"cifra {n} de otra oración" for n in _misplaced(claim, cited, names | rare, corpus)
        ]
    return tuple(problems)


def _misplaced(
    claim: Claim, cited: Sequence[Chunk], key_terms: set[str], corpus: CorpusStats
) -> list[str]:
    """The claim's figures that no sentence of the cited passages gives together with at least
    half of the claim's names and rare terms. Every word of "INMUJERES colaboró con Expertise
    France … [127 créditos] a mujeres de 29 entidades" is in the passage, but the figures belong
    to the next sentence, about another program: a sentence stitched from two is not supported."""
    figures = numbers(claim.body)
    if not figures or not key_terms:
        return []
    placed: set[str] = set()
    for chunk in cited:
        label = set(terms(corpus.with_aliases(f"{chunk.title} {chunk.heading}")))
        for a, b in split_sentence_spans(chunk.text) or [(0, len(chunk.text))]:
            sentence = chunk.text[a:b]
            present = label | set(terms(corpus.with_aliases(sentence)))
            if 2 * sum(has_root(t, present) for t in key_terms) >= len(key_terms):
                placed |= figures & numbers(sentence)
    return sorted(figures - placed)


def best_quote(chunk: Chunk, bodies: Sequence[str], corpus: CorpusStats) -> str:
    """The verbatim span of `chunk` that backs what the answer takes from it: for each sentence
    of the answer, the passage sentence sharing most of its rare terms (numbers count double);
    the quote runs from the first of those to the last, or is the first alone when they lie
    far apart."""
    spans = split_sentence_spans(chunk.text) or [(0, len(chunk.text))]
    words = [set(terms(chunk.text[a:b])) for a, b in spans]
    chosen: list[int] = []
    for body in bodies:
        wanted = {t: corpus.idf(t) * (2.0 if t.isdigit() else 1.0) for t in terms(body)}
        scores = [sum(w for t, w in wanted.items() if t in present) for present in words]
        chosen.append(max(range(len(spans)), key=lambda i: (scores[i], -i)))
    if not chosen:
        return chunk.text.strip()
    first, last = min(chosen), max(chosen)
    if spans[last][1] - spans[first][0] > _LONGEST_QUOTE:
        first = last = chosen[0]
    return chunk.text[spans[first][0] : spans[last][1]].strip()
