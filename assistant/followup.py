"""Follow-up questions: turn an elliptical question ("¿y a cuántas benefició?") into a query that
stands alone, by carrying the topic of the previous turns: with a language model when one is
loaded, and by rule otherwise (or when the model's rewrite does not hold up)."""

from __future__ import annotations

import logging
import re
from collections.abc import Sequence
from typing import TYPE_CHECKING

from assistant.evidence import proper_name_terms, question_numbers
from assistant.intents import is_elliptical
from index.terms import terms

if TYPE_CHECKING:
    from assistant.chat_model import ChatModel

log = logging.getLogger(__name__)
_REWRITE_TOKENS = 48
_LABEL = re.compile(r"^\W*(pregunta reescrita|pregunta|reescrita)\s*:\s*", re.IGNORECASE)


def standalone_query(question: str, history: Sequence[str], model: ChatModel | None = None) -> str:
    """The query to search with: the question itself, or, when it depends on the conversation,
    the model's standalone rewrite of it, or (without a model, or when the rewrite drops the
    question's own words) the previous user turn(s) followed by it."""
    if not history or not is_elliptical(question):
        return question
    if model is not None and (rewritten := rewrite_with_model(question, history, model)):
        return rewritten
    carried = [turn for turn in history[-2:] if turn.strip()]
    if len(carried) == 2 and not is_elliptical(carried[1]):
        carried = carried[1:]
    return " ".join([*carried, question])


def names_own_subject(question: str, common: frozenset[str]) -> bool:
    """Whether a follow-up names a subject of its own ("¿y el de lenguaje incluyente, el
    C-311/2017?") rather than only pointing back ("¿y a cuántas benefició?")."""
    return bool(proper_name_terms(question, common) or question_numbers(question))


def rewrite_with_model(question: str, history: Sequence[str], model: ChatModel) -> str | None:
    """The model's one-line standalone version of `question`, or None when it fails or does not
    keep most of the question's own words while adding some of the conversation's."""
    from assistant.prompts import rewrite_messages

    try:
        pieces = model.stream(rewrite_messages(question, history), _REWRITE_TOKENS, stop=["\n"])
        text = "".join(pieces).strip()
    except Exception as error:  # the search goes on with the rule-based rewrite
        log.warning("No se pudo reescribir la pregunta con el modelo: %s", error)
        return None
    text = _LABEL.sub("", text.splitlines()[0] if text else "").strip(" \"'«»")
    if not text or len(text) > 300:
        return None
    own, new = set(terms(question)), set(terms(text))
    context = {t for turn in history[-2:] for t in terms(turn)}
    if len(own & new) * 2 < len(own) or not (new - own) & context:
        return None
    return text
