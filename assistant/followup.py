"""Follow-up questions: turn an elliptical question ("¿y a cuántas benefició?") into a query that
stands alone, by carrying the topic of the previous turns (the rule-based rewrite; an LLM
rewrite can replace it)."""

from __future__ import annotations

import re
from collections.abc import Sequence

from assistant.evidence import proper_name_terms, question_numbers
from index.terms import terms

_ELLIPTICAL_START = re.compile(
    r"^\W*(y|e|pero|entonces|tambi[eé]n|ademas|adem[aá]s|and|what about|y si|o sea)\b",
    re.IGNORECASE,
)
_ANAPHORA = re.compile(
    r"\b(eso|esa|ese|esos|esas|esto|esta|este|ello|dicho|dicha|dichos|dichas|su|sus|lo|la misma|"
    r"el mismo|ah[ií]|all[ií]|ella|ellas|ellos|it|they|them|its|their|that|this|those)\b",
    re.IGNORECASE,
)


def is_elliptical(question: str) -> bool:
    """Whether `question` leans on the conversation: starts with "y…", points back ("eso",
    "su", "ahí") or has too few content words to search with on its own."""
    return bool(
        _ELLIPTICAL_START.search(question)
        or _ANAPHORA.search(question)
        or len(terms(question)) <= 2
    )


def standalone_query(question: str, history: Sequence[str]) -> str:
    """The query to search with: the question itself, or, when it depends on the conversation,
    the previous user turn(s) followed by it."""
    if not history or not is_elliptical(question):
        return question
    carried = [turn for turn in history[-2:] if turn.strip()]
    if len(carried) == 2 and not is_elliptical(carried[1]):
        carried = carried[1:]
    return " ".join([*carried, question])


def names_own_subject(question: str, common: frozenset[str]) -> bool:
    """Whether a follow-up names a subject of its own ("¿y el de lenguaje incluyente, el
    C-311/2017?") rather than only pointing back ("¿y a cuántas benefició?")."""
    return bool(proper_name_terms(question, common) or question_numbers(question))
