"""The Spanish prompts: grounded answers from numbered passages, in three audiences, and the
rewrite of a follow-up question. Pure: messages in, no model here.

The system prompt is the same for every question, so llama.cpp reads it once and reuses its
state; what changes (passages, question, audience) comes after it."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass

from assistant.answer import NOT_IN_DOCUMENTS
from assistant.audiences import Audience
from assistant.chat_model import ChatMessage
from index.chunking import Chunk
from index.injection import addresses_the_assistant
from index.retrieval import Hit
from index.sentences import split_sentence_spans
from index.terms import terms

GROUNDED_SYSTEM = f"""Eres el asistente de consulta de un instituto de las mujeres en México. \
Respondes en español y solo con lo que dicen los pasajes numerados que recibes; no agregas nada \
que sepas por tu cuenta.

Reglas:
1. Cada oración termina con el número del pasaje que la respalda entre corchetes, por ejemplo [2].
2. Copia cifras, fechas, nombres, teléfonos y direcciones exactamente como están en el pasaje. \
Nunca escribas un dato que no esté en los pasajes.
3. Responde con lo que dicen los pasajes, aunque solo respondan una parte de la pregunta.
4. Si ningún pasaje trata el tema de la pregunta, escribe únicamente: {NOT_IN_DOCUMENTS}

Ejemplo:
Pasajes:
[1] Programa Mujeres Emprendedoras
El programa otorgó 350 apoyos a mujeres de Oaxaca durante 2022. Cada apoyo fue de 5,000 pesos.
[2] Convenio de colaboración
El convenio fue firmado el 3 de marzo de 2021 por la Secretaría de Bienestar.
Pregunta: ¿cuántos apoyos dio el programa y de cuánto?
Respuesta: El programa Mujeres Emprendedoras dio 350 apoyos a mujeres de Oaxaca en 2022 [1]. \
Cada apoyo fue de 5,000 pesos [1]."""

AUDIENCE_STYLE: dict[Audience, str] = {
    "ciudadania": (
        "Escribe para una mujer que no conoce las leyes: 2 a 4 oraciones cortas, con palabras "
        "sencillas, hablándole de tú. Dile qué significa para ella y, si los pasajes nombran "
        "una institución, servicio o lugar al que puede acudir, díselo."
    ),
    "personal": (
        "Escribe para el personal del instituto: preciso y completo, con las cifras, nombres, "
        "cargos y fechas exactos de los pasajes; puedes citar frases textuales entre comillas."
    ),
    "capacitacion": (
        "Escribe un resumen para una capacitación: un título corto que empiece con ##, y debajo "
        "de 3 a 5 viñetas que empiecen con «- », cada una con una idea de los pasajes y su [n] "
        "al final."
    ),
}

REWRITE_SYSTEM = """Reescribe la última pregunta de una conversación para que se entienda sola, \
sin la conversación: agrega el tema del que se habla. Escribe solo la pregunta reescrita, en \
español, en una línea.

Ejemplo:
Preguntas anteriores: ¿Cuántos créditos Mujer Libertad se aprobaron?
Última pregunta: ¿y para mujeres de cuántos estados?
Pregunta reescrita: ¿Para mujeres de cuántos estados se aprobaron los créditos Mujer Libertad?"""


@dataclass(frozen=True)
class Passage:
    """A retrieved passage as shown to the model: `key` its number in the prompt, `spans` the
    parts of the chunk's text shown (all of it, or its best sentences when over budget)."""

    key: str
    hit: Hit
    spans: tuple[tuple[int, int], ...]

    @property
    def chunk(self) -> Chunk:
        return self.hit.chunk

    @property
    def text(self) -> str:
        return " … ".join(self.chunk.text[a:b].strip() for a, b in self.spans)

    @property
    def header(self) -> str:
        chunk = self.chunk
        where = [f"p. {chunk.page}" if chunk.page else "", chunk.heading]
        place = ", ".join(w for w in where if w)
        return f"[{self.key}] {chunk.title}" + (f" ({place})" if place else "")


def select_passages(
    question: str,
    hits: Sequence[Hit],
    budget: int,
    count_tokens: Callable[[str], int],
    limit: int,
    focus: Mapping[str, str] | None = None,
) -> list[Passage]:
    """The best `limit` hits, numbered from 1, trimmed to `budget` tokens in all: each gets an
    equal share (what a short one leaves goes to the next). `focus` maps chunk ids to the span
    the evidence checks found answers the question (the extractive answer's quotes): those
    passages come first. A passage over its share is cut to a window of whole sentences around
    that span (or around the sentence sharing most words with the question): contiguous text
    reads better to a small model than scattered sentences."""
    focus = focus or {}
    ranked = sorted(range(len(hits)), key=lambda i: (hits[i].chunk.chunk_id not in focus, i))
    top = [hits[i] for i in ranked[:limit]]
    wanted = set(terms(question))
    passages: list[Passage] = []
    left = budget
    for index, hit in enumerate(top):
        share = left // (len(top) - index)
        text = hit.chunk.text
        spans = split_sentence_spans(text) or [(0, len(text))]
        cost = [count_tokens(text[a:b]) + 1 for a, b in spans]
        quote = focus.get(hit.chunk.chunk_id, "")
        at = text.find(quote) if quote else -1
        if at >= 0:
            center = next(i for i, (a, b) in enumerate(spans) if b > at)
        else:
            overlap = [len(wanted & set(terms(text[a:b]))) for a, b in spans]
            center = max(range(len(spans)), key=lambda i: (overlap[i], -i))
        low = high = center
        used = cost[center]
        if used > share:
            continue
        while True:  # grow the window one sentence at a time, after then before
            grown = False
            for step in (high + 1, low - 1):
                if 0 <= step < len(spans) and used + cost[step] <= share:
                    used += cost[step]
                    low, high = min(low, step), max(high, step)
                    grown = True
            if not grown:
                break
        left -= used
        passages.append(Passage(str(len(passages) + 1), hit, _shown(text, spans[low : high + 1])))
    return passages


def _shown(text: str, spans: Sequence[tuple[int, int]]) -> tuple[tuple[int, int], ...]:
    """The window's text in runs of consecutive sentences, leaving out any sentence that gives
    orders to the assistant (see `index.injection`)."""
    runs: list[tuple[int, int]] = []
    joined = False
    for a, b in spans:
        if addresses_the_assistant(text[a:b]):
            joined = False
            continue
        if joined:
            runs[-1] = (runs[-1][0], b)
        else:
            runs.append((a, b))
        joined = True
    return tuple(runs)


def grounded_messages(
    question: str,
    passages: Sequence[Passage],
    audience: Audience,
    history: Sequence[str] = (),
) -> list[ChatMessage]:
    """The prompt for a grounded answer: fixed rules, then the numbered passages, the
    conversation so far, the question and the audience's style."""
    shown = "\n\n".join(f"{p.header}\n{p.text}" for p in passages)
    earlier = [h for h in history[-2:] if h.strip()]
    context = f"Preguntas anteriores: {' / '.join(earlier)}\n" if earlier else ""
    user = (
        f"{AUDIENCE_STYLE[audience]}\n\nPasajes:\n{shown}\n\n{context}Pregunta: {question}\n"
        "Respuesta (solo con lo que dicen los pasajes, y [n] después de cada oración):"
    )
    return [ChatMessage("system", GROUNDED_SYSTEM), ChatMessage("user", user)]


def rewrite_messages(question: str, history: Sequence[str]) -> list[ChatMessage]:
    """The prompt that turns a follow-up into a standalone question."""
    earlier = " / ".join(h for h in history[-2:] if h.strip())
    user = f"Preguntas anteriores: {earlier}\nÚltima pregunta: {question}\nPregunta reescrita:"
    return [ChatMessage("system", REWRITE_SYSTEM), ChatMessage("user", user)]
