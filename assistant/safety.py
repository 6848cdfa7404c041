"""Safety for people at risk: what to do now, for someone whose message describes danger or
violence happening now (see `assistant.intents.in_danger`): call 911, then the services the
documents name for that situation, each cited. The guidance is composed from source sentences,
never written by a model, and it is the same for every generator."""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from assistant.answer import Citation, Guidance, ServiceNote
from assistant.details import dialable, line_named_at
from assistant.intents import AnswerType, answer_type
from index.retrieval import Hit
from index.sentences import split_sentence_spans
from index.terms import fold_in_place

EMERGENCY = "Si estás en peligro ahora, llama al 911, el número de emergencias en México."
SERVICES_INTRO = "Los documentos consultados mencionan estos servicios:"


@dataclass(frozen=True)
class Service:
    """A kind of help the documents may name: how to search for it, and how to recognize a
    sentence about it (in folded text)."""

    query: str
    named_at: Callable[[str], int | None]  # where a sentence names it, or None


def _pattern(regex: str) -> Callable[[str], int | None]:
    compiled = re.compile(regex)

    def named_at(text: str) -> int | None:
        found = compiled.search(text)
        return found.start() if found else None

    return named_at


SERVICES = (
    Service(
        "línea telefónica de emergencia para mujeres víctimas de violencia *765",
        line_named_at,
    ),
    Service(
        "Centro de Justicia para las Mujeres atención a víctimas de violencia",
        _pattern(r"centros? de justicia para (las )?mujeres|\blunas\b"),
    ),
    Service(
        "refugios para mujeres víctimas de violencia y sus hijas e hijos servicios",
        _pattern(r"\brefugios?\b"),
    ),
    Service(
        "órdenes de protección de emergencia para víctimas de violencia",
        _pattern(r"\bordene?s? de proteccion\b"),
    ),
)
# Sentences about running a service ("Proponer … los protocolos que rijan los refugios") help
# nobody in danger; sentences about what it offers her do.
_HELPFUL = re.compile(
    r"\b(victimas?|gratuit\w*|24 horas|brind\w+|proporcion\w+|atencion integral|urgente|"
    r"inmediat\w*|emergencia|seguros?|servicios|hijas|hijos|llamadas|acceso a la justicia|"
    r"podran|todos los dias)\b"
)
_BUREAUCRATIC = re.compile(
    r"\b(proponer|promover|fomentar|difundir|validar|cerciorarse|certificar|disenar|impulsar|"
    r"gestionar|coordinar|representar|evaluar|crear|creacion|rehabilitacion|agresores|"
    r"reformad\w*|adicionad\w*|derogad\w*|presupuest\w*|no se comparte|representativ\w*|"
    r"secretarias|dependencias|comisionaran)\b"
)
_MAX_SENTENCE = 600
_LONG_SENTENCE = 300


def _clause(text: str, a: int, b: int, at: int) -> int:
    """Start of the clause of text[a:b] holding position `at`: after the last colon or
    semicolon before it (a long sentence is quoted from there)."""
    cut = max(text.rfind(":", a, at), text.rfind(";", a, at))
    return a if cut < 0 else cut + 1 + (len(text[cut + 1 : b]) - len(text[cut + 1 : b].lstrip()))


def _service_sentence(service: Service, hits: Sequence[Hit]) -> tuple[Hit, str] | None:
    """The passage sentence that best tells a person about `service` (a long one from the
    clause that names it; a short one with the sentence before it)."""
    best: tuple[float, Hit, str] | None = None
    for rank, hit in enumerate(hits):
        text = hit.chunk.text
        spans = split_sentence_spans(text)
        for i, (a, b) in enumerate(spans):
            folded = fold_in_place(text[a:b])
            named = service.named_at(folded)
            if named is None:
                continue
            if b - a > _LONG_SENTENCE:
                a = _clause(text, a, b, a + named)
                if b - a > _MAX_SENTENCE:
                    continue
                folded = fold_in_place(text[a:b])
            elif b - a < 80 and i > 0:
                a = spans[i - 1][0]
            if text[a:b].rstrip().endswith(":"):
                # "… los siguientes servicios:" says nothing without its items
                for _, end in spans[i + 1 :]:
                    if end - a > _MAX_SENTENCE:
                        break
                    b = end
            while text[a] in "-–•* \t":
                a += 1
            score = (
                len(set(_HELPFUL.findall(folded)))
                + 3 * bool(dialable(folded))
                - 2 * len(_BUREAUCRATIC.findall(folded))
                - 0.3 * rank
            )
            if best is None or score > best[0]:
                best = (score, hit, text[a:b].strip())
    if best is None or best[0] <= 0:
        return None
    return best[1], best[2]


def crisis_guidance(found: Sequence[Sequence[Hit]], limit: int = 3) -> Guidance:
    """What to do now: 911, then up to `limit` services from `found` (the passages retrieved for
    each of SERVICES, in order), each quoted and cited."""
    services: list[ServiceNote] = []
    citations: list[Citation] = []
    seen: set[str] = set()
    for service, hits in zip(SERVICES, found, strict=False):
        if len(citations) >= limit:
            break
        chosen = _service_sentence(service, hits)
        if chosen is None or chosen[1] in seen:
            continue
        hit, sentence = chosen
        seen.add(sentence)
        key = str(len(citations) + 1)
        citations.append(Citation(key=key, chunk=hit.chunk, quote=sentence))
        source = hit.chunk.institution or hit.chunk.title
        services.append(ServiceNote(source, " ".join(sentence.split()), key))
    return Guidance(EMERGENCY, tuple(services), tuple(citations), SERVICES_INTRO)


def guidance_answers(message: str, guidance: Guidance) -> bool:
    """Whether the crisis guidance is the whole answer: the message asks where to call and the
    guidance already gives a cited number besides 911. (An answer from the documents after it
    only brought statistics and remarks about the line, «no son representativas…», to a woman
    asking where to call.)"""
    return answer_type(message) is AnswerType.PHONE and any(
        dialable(s.sentence) for s in guidance.services
    )
