"""Checking a written answer against the passages it cites. Pure functions: markers, the split
of an answer into claims, the check of one claim, and the quote that backs it.

A claim is a sentence (or a list item) with the markers that follow it. It is supported when
every number, proper name and rare term it uses is in the passages it cites (after accent and
case folding); the embedding similarity floor is applied by the generator, which holds the
model."""

from __future__ import annotations

import re
from collections.abc import Collection, Sequence
from dataclasses import dataclass

from assistant.evidence import proper_name_terms
from assistant.extractive import CorpusStats
from index.chunking import Chunk
from index.sentences import split_sentence_spans
from index.terms import terms

MARKER = re.compile(r"\[\s*(\d+(?:\s*(?:,|;|y|-)\s*\d+)*)\s*\]")
_LEADING_MARKERS = re.compile(r"^\s*((?:\[\d+\]\s*)+)")
_ENUMERATOR = re.compile(r"^\s*(?:[-*•–]|\d{1,2}[.)]|[a-z][.)])\s+")
_THOUSANDS = re.compile(r"(?<=\d)[.,](?=\d{3}(?!\d))")
_NUMBER = re.compile(r"\*?\d+")
_LONGEST_QUOTE = 700
_HEADING = re.compile(r"^\s*(#{1,6}\s+.+|\*\*[^*]+\*\*:?|[^\[\]\d]{1,80}:)\s*$")


@dataclass(frozen=True)
class Claim:
    """One sentence or list item of an answer: `text` as written (markers included), `body`
    without markers or list bullets, `keys` the markers citing it, `line` the answer line it
    is on (list items and headings keep their lines), `structural` for headings."""

    text: str
    body: str
    keys: tuple[str, ...]
    line: int
    structural: bool = False


def marker_keys(text: str) -> list[str]:
    """Keys of all markers in `text`, in order, "[1, 3]" giving "1" and "3"."""
    return [k for m in MARKER.finditer(text) for k in re.findall(r"\d+", m.group(1))]


def drop_unoffered_markers(text: str, offered: Collection[str]) -> str:
    """`text` with every marker reduced to the keys that were offered ("[1, 7]" -> "[1]" when
    only 1..4 were shown; "[7]" disappears) and "[1, 2]" written "[1][2]"."""

    def keep(match: re.Match[str]) -> str:
        return "".join(f"[{k}]" for k in re.findall(r"\d+", match.group(1)) if k in offered)

    cleaned = MARKER.sub(keep, text)
    cleaned = re.sub(r"[ \t]+([.,;:])", r"\1", cleaned)
    return re.sub(r"[ \t]{2,}", " ", cleaned)


def without_markers(text: str) -> str:
    """`text` with its markers taken out and the spacing they leave behind mended."""
    bare = " ".join(MARKER.sub(" ", text).split())
    return re.sub(r" ([.,;:!?])", r"\1", bare)


def _body(text: str) -> str:
    body = _ENUMERATOR.sub("", without_markers(text))
    return " ".join(re.sub(r"[#*_`]+", " ", body).split())


def split_claims(text: str) -> list[Claim]:
    """The claims of an answer. A marker belongs to the sentence it follows; markers opening
    a sentence ("[2] Si tu pareja…") go back to the previous sentence when that one has none,
    since small models put the period before the marker."""
    claims: list[Claim] = []
    for line_number, line in enumerate(text.split("\n")):
        if not line.strip():
            continue
        pieces = [line[a:b] for a, b in split_sentence_spans(line)]
        for index, piece in enumerate(pieces):
            lead = _LEADING_MARKERS.match(piece)
            if lead and index > 0 and claims and claims[-1].line == line_number:
                previous = claims[-1]
                if not previous.keys:
                    moved = marker_keys(lead.group(1))
                    claims[-1] = Claim(
                        f"{previous.text} {lead.group(1).strip()}",
                        previous.body,
                        tuple(moved),
                        line_number,
                        previous.structural,
                    )
                    piece = piece[lead.end() :]
            if not any(ch.isalnum() for ch in _body(piece)):
                continue
            keys = tuple(dict.fromkeys(marker_keys(piece)))
            structural = not keys and bool(_HEADING.match(piece))
            claims.append(Claim(piece.strip(), _body(piece), keys, line_number, structural))
    return claims


def numbers(text: str) -> set[str]:
    """The numbers in `text` as digit strings, thousands separators joined ("81,961" ->
    "81961"), star codes kept with their star ("*765")."""
    return set(_NUMBER.findall(_THOUSANDS.sub("", text)))


def restore_star_codes(text: str, evidence: str) -> str:
    """Write "*765" where the model wrote "765" for a line the passage prints as "*765" (and
    never without the star): dialing the number without it reaches nobody."""
    plain = numbers(evidence)
    for code in {n for n in plain if n.startswith("*")}:
        digits = code[1:]
        if digits not in {n for n in plain if not n.startswith("*")}:
            text = re.sub(rf"(?<![\d*]){digits}(?!\d)", code, text)
    return text


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
    problems += [f"término {t}" for t in sorted(rare - names) if not _has_root(t, known)]
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
            if 2 * sum(_has_root(t, present) for t in key_terms) >= len(key_terms):
                placed |= figures & numbers(sentence)
    return sorted(figures - placed)


def _has_root(term: str, known: set[str]) -> bool:
    """Whether `known` has `term` or a word of the same root: stems of one verb differ at the
    end ("abri" for abrió, "abre" for abre)."""
    if term in known:
        return True
    root = term[: max(3, min(len(term) - 1, 5))]
    return any(k.startswith(root) for k in known)


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


def assemble(claims: Sequence[Claim]) -> str:
    """The answer text from the claims that survive, keeping their lines; a heading stays only
    if something survives under it."""
    lines: dict[int, list[Claim]] = {}
    for claim in claims:
        lines.setdefault(claim.line, []).append(claim)
    ordered = [lines[n] for n in sorted(lines)]
    kept: list[str] = []
    for position, group in enumerate(ordered):
        if all(c.structural for c in group):
            following = ordered[position + 1 :]
            if not any(not c.structural for g in following[:1] for c in g):
                continue
        kept.append(" ".join(c.text for c in group))
    return "\n".join(kept).strip()
