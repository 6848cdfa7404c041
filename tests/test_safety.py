"""Recognizing people in danger, and the guidance that opens their answer."""

from __future__ import annotations

import pytest
from llm_fakes import chunk

from assistant.intents import asks_something, in_danger
from assistant.safety import SERVICES, crisis_guidance, guidance_answers
from index.retrieval import Hit

DANGER = [
    "me está golpeando",
    "me esta golpeando mi esposo",
    "me esta golpiando",
    "ta pegandome",
    "tengo miedo de que me mate",
    "tengo mucho miedo q me mate",
    "me quiere matar",
    "me kiere matar",
    "m qiere matar ayudaaa",
    "mi esposo me va a matar",
    "me pega mi pareja",
    "vivo en la cdmx y mi pareja me pega, hay algun numero de emergencia al q pueda llamar?",
    "mi novio me amenazo con matarme",
    "me golpeó anoche y dice que va a regresar",
    "mi pareja me pego hoy que hago",
    "me acaba de golpear",
    "si me ve me mata",
    "está afuera de mi casa y tengo miedo de que me haga algo",
    "temo que regrese",
    "me tiene encerrada y no me deja salir",
    "tiene una pistola",
    "mi exnovio me esta siguiendo",
    "estoy en peligro",
    "AUXILIO",
    "a mi hija la esta golpeando su novio",
    "me violó mi padrastro",
    "ya no aguanto, me quiero morir",
]
NOT_DANGER = [
    "¿qué es la violencia física según la ley?",
    "¿Qué pena tiene el feminicidio en el Código Penal Federal?",
    "¿cuáles son los tipos de violencia contra las mujeres?",
    "mi pareja me pegaba hace años, ¿puedo denunciar todavía?",
    "¿Cómo se tramita una orden de protección?",
    "me acosan en mi trabajo, q dicen los convenios de la secretaria de las mujeres",
    "la empresa me viola mis derechos laborales",
    "¿qué es la violencia política?",
    "me quiero lanzar de regidora y ya me estan violentando por ser mujer",
    "¿Qué hace la policía ante una llamada de violencia familiar?",
    "me quiero inscribir en el programa",
    "¿A quién sanciona el artículo 325 por privar de la vida a una mujer?",
    "donde queda casa amiga en juarez?? necesito ir ya",
    "¿Cuántas mujeres fueron asesinadas en 2023?",
    "estudio en una uni intercultural y un profe me acosa",
    "¿Cuántos créditos Mujer Libertad se aprobaron?",
]


@pytest.mark.parametrize("message", DANGER)
def test_danger_now_is_recognized(message: str) -> None:
    assert in_danger(message)


@pytest.mark.parametrize("message", NOT_DANGER)
def test_questions_about_violence_are_not_a_crisis(message: str) -> None:
    assert not in_danger(message)


def test_a_question_inside_a_crisis_message_is_noticed() -> None:
    assert asks_something("mi pareja me pega, hay algun numero al q pueda llamar")
    assert asks_something("me quiere matar ¿a dónde voy?")
    assert not asks_something("me esta golpeando mi esposo")


LINE = (
    "Para la Ciudad se comparten tres prácticas: 1. Senderos Seguros, 2. Modelo LUNAS, "
    "3. Protocolo de Atención a llamadas de Emergencia *765."
)
REFUGE = (
    "ARTÍCULO 45.- Los refugios podrán prestar a las mujeres víctimas de violencia y a sus "
    "hijas e hijos los siguientes servicios especializados y gratuitos:\nI. Hospedaje;\n"
    "II. Alimentación."
)
ADMIN = "XV. Promover la creación de refugios y centros de rehabilitación para agresores."


def _found(*texts: str) -> list[list[Hit]]:
    hits = [Hit(chunk(t, n), 1.0, 0.9) for n, t in enumerate(texts)]
    return [hits for _ in SERVICES]


def test_guidance_opens_with_911_then_cited_services() -> None:
    guidance = crisis_guidance(_found(ADMIN, LINE, REFUGE))
    lines = guidance.text.split("\n")
    assert lines[0].startswith("Si estás en peligro ahora, llama al 911")
    assert "*765. [1]" in guidance.text and "Hospedaje" in guidance.text
    assert "rehabilitación" not in guidance.text  # about running refuges, not using them
    for citation, service in zip(guidance.citations, guidance.services, strict=True):
        assert citation.quote in citation.chunk.text
        assert service.sentence == " ".join(citation.quote.split())
        assert service.key == citation.key
    assert [c.key for c in guidance.citations] == ["1", "2"]


def test_where_to_call_is_answered_by_the_guidance_once_it_gives_a_line() -> None:
    with_line = crisis_guidance(_found(LINE))
    assert guidance_answers("me pega mi pareja a donde llamo", with_line)
    assert guidance_answers("hay algun numero al q pueda llamar? me esta pegando", with_line)
    # asked something else, or no line found: the answer from the documents follows
    assert not guidance_answers("me pega, ¿me pueden quitar a mis hijos si me voy?", with_line)
    without_line = crisis_guidance(_found("El convenio se firmó en 2021."))
    assert not guidance_answers("me pega mi pareja a donde llamo", without_line)


def test_guidance_without_services_still_says_911() -> None:
    guidance = crisis_guidance(_found("El convenio se firmó en 2021."))
    assert guidance.text.startswith("Si estás en peligro ahora, llama al 911")
    assert guidance.citations == () and guidance.services == ()
