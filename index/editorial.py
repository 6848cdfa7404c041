"""Editorial residue of consolidated laws: "Artículo 327.- Derogado.", "Denominación del Capítulo
reformada DOF 10-01-1994", "Texto original". Such passages say when the text changed, never what
it says; retrieval leaves them out, so that their five places go to passages with content."""

from __future__ import annotations

import re

from index.terms import terms

_REFORM_NOTE = re.compile(
    r"\b(art[ií]culo|p[aá]rrafo|fracci[oó]n|inciso|denominaci[oó]n|cap[ií]tulo|secci[oó]n|"
    r"t[ií]tulo|apartado|numeral|encabezado)s?\b(\s+(del?|la)\s+\w+)?\s+(reformad|adicionad|"
    r"derogad|recorrid)\w*(\s+(y|por)\s+\w+)?\s*(dof|poe|p\.\s?o\.\s?e\.?)?[\s\d\-,./y]*",
    re.IGNORECASE,
)
_ARTICLE_HEAD = re.compile(
    r"^\W*(art[ií]culo|art\.)\s*\d+\w*\.?(\s*(bis|ter|qu[aá]ter|quinquies|sexies|septies|"
    r"octies|nonies|decies)\b)?\s*[.\-–—:]*",
    re.IGNORECASE,
)
_REPEALED = re.compile(r"\b(se deroga|derogad[oa]s?|texto original)\b\.?", re.IGNORECASE)


def is_editorial(text: str) -> bool:
    """Whether `text` is only repeal marks and reform notes (and the article numbers they go
    with): a short passage without such a mark ("Llama al 911.") is content."""
    body, notes = _REFORM_NOTE.subn(" ", text)
    body, repeals = _REPEALED.subn(" ", _ARTICLE_HEAD.sub(" ", body))
    return bool(notes or repeals) and len(terms(body)) < 3
