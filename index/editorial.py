"""Editorial residue of consolidated laws: "Artículo 327.- Derogado.", "Denominación del Capítulo
reformada DOF 10-01-1994", "Texto original". Such passages say when the text changed, never what
it says; retrieval leaves them out, so that their five places go to passages with content."""

from __future__ import annotations

import re

from index.lines import is_reform_note, split_reform_notes
from index.terms import terms

_ARTICLE_HEAD = re.compile(
    r"^\W*(art[ií]culo|art\.)\s*\d+\w*\.?(\s*(bis|ter|qu[aá]ter|quinquies|sexies|septies|"
    r"octies|nonies|decies)\b)?\s*[.\-–—:]*",
    re.IGNORECASE,
)
_REPEALED = re.compile(r"\b(se deroga|derogad[oa]s?|texto original)\b\.?", re.IGNORECASE)


def is_editorial(text: str) -> bool:
    """Whether `text` is only repeal marks and reform notes (and the article numbers they go
    with): a short passage without such a mark ("Llama al 911.") is content."""
    pieces = split_reform_notes(text)
    notes = [p for p in pieces if is_reform_note(p)]
    body = " ".join(p for p in pieces if not is_reform_note(p))
    body, repeals = _REPEALED.subn(" ", _ARTICLE_HEAD.sub(" ", body))
    return bool(notes or repeals) and len(terms(body)) < 3
