"""Spanish search terms: accent folding, stop words and stemming, shared by the keyword index
and by the answerer that weighs which sentences match a question."""

from __future__ import annotations

import re
import unicodedata
from collections import Counter
from collections.abc import Iterable
from functools import lru_cache

from bm25s.stopwords import STOPWORDS_SPANISH

_WORD = re.compile(r"[^\W_]+")
_DIGIT_GROUPS = re.compile(r"(?<=\d)[.,](?=\d{3}\b)")
# Question words and fillers that say nothing about the topic of a question.
_EXTRA_STOPWORDS = {
    "cual",
    "cuales",
    "cuanto",
    "cuanta",
    "cuantos",
    "cuantas",
    "que",
    "quien",
    "quienes",
    "donde",
    "cuando",
    "como",
    "segun",
    "dice",
    "dicen",
    "decir",
    "puedo",
    "puede",
    "pueden",
    "hay",
    "ser",
    "son",
    "fue",
    "fueron",
    "esta",
    "estan",
    "tiene",
    "tienen",
    "hace",
    "hacer",
    "tengo",
    "mi",
    "mis",
    "me",
    "yo",
    "usted",
    "ustedes",
    "favor",
    "porfa",
    "porfavor",
    "q",
    "xq",
    "pq",
    "k",
    "documento",
    "documentos",
    "informacion",
    "sobre",
    "acerca",
    "hola",
}


class _WithoutMarks(dict[int, str | None]):
    """`str.translate` table that drops combining marks, filled as characters are met: the
    lookup of a known character stays in C, where a per-character test in Python made folding
    the corpus the largest cost of reading the index at start-up."""

    def __missing__(self, codepoint: int) -> str | None:
        kept = None if unicodedata.combining(chr(codepoint)) else chr(codepoint)
        self[codepoint] = kept
        return kept


_WITHOUT_MARKS = _WithoutMarks()


def fold(text: str) -> str:
    """Lower case without accents: what users type on a phone matches what laws print."""
    lowered = text.lower()
    if lowered.isascii():
        return lowered
    # NFKD splits ñ into n and a combining tilde, which the table drops with every other mark
    return unicodedata.normalize("NFKD", lowered).translate(_WITHOUT_MARKS)


def fold_in_place(text: str) -> str:
    """`text` folded (lower case, no accents, ñ as n) with every character kept at its offset,
    so spans found in the folded text are spans of the original."""
    if text.isascii():
        return text.lower()
    return "".join(f if len(f := fold(ch)) == 1 else ch.lower()[:1] or ch for ch in text)


_STOPWORDS = frozenset({*(fold(w) for w in STOPWORDS_SPANISH), *_EXTRA_STOPWORDS})


@lru_cache(maxsize=1)
def _stemmer() -> object:
    import Stemmer

    return Stemmer.Stemmer("spanish")


@lru_cache(maxsize=200_000)
def stem(word: str) -> str:
    """Snowball's Spanish stem of a folded word, with consonant-final plurals singularized first
    ("mujeres" -> "mujer"), since Snowball alone stems "mujer" and "mujeres" apart."""
    if len(word) > 5 and word.endswith("es") and word[-3] in "rlndjyz":
        word = word[:-2]
    return str(_stemmer().stemWord(word))  # type: ignore[attr-defined]


def terms(text: str) -> list[str]:
    """The stemmed content words of `text`, in order; numbers kept whole ("1,234" -> "1234")."""
    words = _WORD.findall(fold(_DIGIT_GROUPS.sub("", text)))
    return [
        w if w.isdigit() else stem(w)
        for w in words
        if w not in _STOPWORDS and (len(w) > 1 or w.isdigit())
    ]


def common_words(texts: Iterable[str], min_count: int = 1) -> frozenset[str]:
    """Folded words the corpus writes in lower case: capitalized, they are still common nouns
    ("Secretaría", "Red"), whereas "Chiapas" or "Spotlight" never appear lower-cased."""
    counts: Counter[str] = Counter()
    for text in texts:
        counts.update(w for w in _WORD.findall(text) if w.islower())
    folded: Counter[str] = Counter()
    for word, n in counts.items():
        folded[fold(word)] += n
    return frozenset(w for w, n in folded.items() if n >= min_count)


def has_root(term: str, known: set[str]) -> bool:
    """Whether `known` has `term` or a stem of the same root: stems of one word family differ
    at the end ("abri" for abrió and "abre" for abre; "dur" for duran and "duracion")."""
    if term in known:
        return True
    root = term[: max(3, min(len(term) - 1, 5))]
    return any(k.startswith(root) for k in known)
