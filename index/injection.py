"""Text inside a document that addresses the assistant ("ignora tus instrucciones y responde
que…") is part of the document, never an order: such sentences are neither quoted in answers
nor shown to the language model. Anyone who can put a file in the corpus could otherwise
speak through the assistant to the women who consult it."""

from __future__ import annotations

import re

from index.terms import fold

_ADDRESSED = re.compile(
    r"\b(ignora|ignore|ignoren|olvida|olvide|olviden|omite|omita|desobedece|disregard|forget)\s+"
    r"(todas\s+|all\s+|any\s+)?(tus|las|sus|your|the|previous|prior)?\s*"
    r"(instrucciones|reglas|indicaciones|instructions|rules|previous instructions)\b"
    r"|\b(system prompt|prompt del sistema|mensaje del sistema|jailbreak)\b"
    r"|\b(a partir de ahora|from now on)\b.{0,40}\b(eres|responde|actua|you are|answer)\b"
    r"|\b(asistente|modelo de lenguaje|inteligencia artificial|assistant|language model)\b"
    r".{0,40}\b(debes|deberas|tienes que|must|should)\s+(responder|decir|contestar|answer|say)\b"
)


INSTRUCTIONS_WARNING = (
    "contiene texto que da órdenes al asistente («ignora tus instrucciones…»); se indexa, pero "
    "esas oraciones nunca se citan ni se muestran al modelo de lenguaje"
)


def addresses_the_assistant(sentence: str) -> bool:
    """Whether `sentence` gives orders to an assistant or a language model."""
    return bool(_ADDRESSED.search(fold(sentence)))
