"""Text matching shared by the question-set checks and the evaluation metrics.

Answers, passages, quotes and expected facts are compared after one normalization, so that
accents, case, thousands separators, punctuation and markup never decide a match.
"""

from __future__ import annotations

import html
import re
import unicodedata

# Tags such as <sup>1/</sup>, <div class="x"> or markdown autolinks <https://...>; a lone "<" in
# running text ("a < b") is left to the punctuation rule below.
_TAG = re.compile(r"</?[A-Za-z][^<>]*>")
# A dot or comma between a digit and exactly three digits is a thousands separator in es-MX
# ("81,961") and in the European style some sources use ("1.234"); decimals keep their digits apart.
_THOUSANDS = re.compile(r"(?<=\d)[.,](?=\d{3}(?!\d))")
_NON_WORD = re.compile(r"[\W_]+")


def normalize_for_match(text: str) -> str:
    """Lower-case `text`, drop accents (NFKD), join thousands separators ("1,234" -> "1234"),
    turn punctuation and markup into spaces and collapse whitespace.

    >>> normalize_for_match("Se aprobaron 1,234 <b>créditos</b>, ¡en Cancún!")
    'se aprobaron 1234 creditos en cancun'
    """
    text = _TAG.sub(" ", html.unescape(text))
    decomposed = unicodedata.normalize("NFKD", text)
    text = "".join(ch for ch in decomposed if not unicodedata.combining(ch)).casefold()
    text = _THOUSANDS.sub("", text)
    return _NON_WORD.sub(" ", text).strip()


def contains_quote(passage: str, quote: str) -> bool:
    """True when `quote` occurs in `passage` after normalization, starting and ending on token
    boundaries ("127" is found in "aprobaron 127 créditos" but not in "1275"). An empty quote
    matches nothing."""
    needle = normalize_for_match(quote)
    if not needle:
        return False
    return f" {needle} " in f" {normalize_for_match(passage)} "
