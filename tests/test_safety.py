"""Recognizing people in danger, and the guidance that opens their answer."""

from __future__ import annotations

from dataclasses import replace

import pytest
from llm_fakes import chunk

from assistant.intents import asks_something, in_danger
from assistant.safety import (
    CENTER,
    COMPLAINT,
    HEALTH,
    LINE,
    NO_SERVICE,
    ORDERS,
    SERVICES,
    SHELTER,
    Situation,
    answers_questions,
    crisis_guidance,
    found_where_she_is,
    guidance_answers,
    places,
    questions_beyond_help,
    services_for,
    situations,
)
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


LINE_TEXT = (
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


def _guidance(message: str, *hits: Hit) -> object:
    return crisis_guidance(message, SERVICES, [list(hits) for _ in SERVICES])


def test_guidance_opens_with_911_then_cited_services() -> None:
    guidance = crisis_guidance("me pega", SERVICES, _found(ADMIN, LINE_TEXT, REFUGE))
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
    with_line = crisis_guidance("me pega", SERVICES, _found(LINE_TEXT))
    assert guidance_answers("me pega mi pareja a donde llamo", with_line)
    assert guidance_answers("hay algun numero al q pueda llamar? me esta pegando", with_line)
    # asked something else, or no line found: the answer from the documents follows
    assert not guidance_answers("me pega, ¿me pueden quitar a mis hijos si me voy?", with_line)
    # asking for help now is answered by the guidance, line or not
    assert guidance_answers("me pega mi esposo, que hago", with_line)
    assert guidance_answers("mi papa le pega a mi mama, a quien le digo", with_line)
    without_line = crisis_guidance("me pega", SERVICES, _found("El convenio se firmó en 2021."))
    assert not guidance_answers("me pega mi pareja a donde llamo", without_line)


def test_guidance_without_services_still_says_911() -> None:
    guidance = crisis_guidance("me pega", SERVICES, _found("El convenio se firmó en 2021."))
    assert guidance.text.startswith("Si estás en peligro ahora, llama al 911")
    assert guidance.citations == () and guidance.services == ()
    # and says, plainly, that the documents name no service for her case
    assert guidance.note == NO_SERVICE and guidance.text.endswith(NO_SERVICE)


def test_the_situation_decides_which_services_come_first() -> None:
    assert situations("tiene un cuchillo y dice q me va a matar")[0] is Situation.LIFE
    assert services_for("tiene un cuchillo y dice q me va a matar")[0] is ORDERS
    assert services_for("me violaron anoche no se a donde ir")[:2] == (CENTER, HEALTH)
    # sexual harassment at work: the centre, then the complaint unit, before any line
    harassed = "trabajo en un juzgado y el secretario me toca las piernas"
    assert services_for(harassed)[:2] == (CENTER, COMPLAINT)
    assert HEALTH not in services_for(harassed)  # touching is not rape: no «120 horas»
    assert services_for("a mi prima no la dejan salir y le quitaron sus papeles")[0] is SHELTER
    # a danger with no setting named still gets the services open to anyone
    assert services_for("estoy en peligro") == (LINE, CENTER, ORDERS, SHELTER)


def test_places_include_the_state_they_lie_in() -> None:
    assert places("soy de juarez") == {"juarez", "chihuahua"}
    assert places("vivo en iztapalapa") == {"iztapalapa", "ciudad de mexico"}
    assert places("Secretaría de las Mujeres de la Ciudad de México") == {"ciudad de mexico"}
    assert places("me pega mi pareja") == frozenset()


CDMX_LINE = chunk(
    "Línea Mujeres atiende llamadas de emergencia las 24 horas al 55 5658 1111.",
    1,
    title="Servicios de la Secretaría de las Mujeres de la Ciudad de México",
)
CHIHUAHUA_CENTER = chunk(
    "El Centro de Justicia para las Mujeres brinda atención gratuita a víctimas las 24 horas.",
    2,
    title="Ley Estatal del Derecho de las Mujeres a una Vida Libre de Violencia (Chihuahua)",
)
JUDICIARY_UNIT = chunk(
    "La Unidad de Igualdad atiende de manera confidencial las quejas de víctimas de acoso.",
    3,
    title="Protocolo contra el acoso en el Poder Judicial del Estado de Chihuahua",
)


def test_services_of_another_city_are_left_out_when_she_says_where_she_is() -> None:
    hits = [Hit(CDMX_LINE, 1.0, 0.9), Hit(CHIHUAHUA_CENTER, 0.9, 0.9)]
    juarez = crisis_guidance("soy de juarez y me pega", [LINE, CENTER], [hits, hits])
    assert [c.chunk for c in juarez.citations] == [CHIHUAHUA_CENTER]
    # she names no place: both are hers to know about
    anywhere = crisis_guidance("me pega", [LINE, CENTER], [hits, hits])
    assert [c.chunk for c in anywhere.citations] == [CDMX_LINE, CHIHUAHUA_CENTER]


def test_a_complaint_unit_serves_only_those_who_work_there() -> None:
    hits = [Hit(JUDICIARY_UNIT, 1.0, 0.9)]
    staff = crisis_guidance(
        "soy actuaria en un juzgado de chihuahua y mi jefe me acosa", [COMPLAINT], [hits]
    )
    assert [c.chunk for c in staff.citations] == [JUDICIARY_UNIT]
    maquila = crisis_guidance("en la maquila el supervisor me acosa", [COMPLAINT], [hits])
    assert maquila.citations == () and maquila.note == NO_SERVICE
    elsewhere = replace(JUDICIARY_UNIT, title="Protocolo del Poder Judicial de Coahuila")
    other = [Hit(elsewhere, 1.0, 0.9)]
    assert (
        crisis_guidance("trabajo en un juzgado de chihuahua", [COMPLAINT], [other]).citations == ()
    )


def test_what_she_asks_beyond_help_now() -> None:
    assert questions_beyond_help("me pega mi pareja a donde llamo") == []
    assert questions_beyond_help("hay algun numero de emergencia al q pueda llamar?") == []
    assert questions_beyond_help(
        "si me voy de la casa x q mi marido me maltrata me pueden quitar a mis hijos??"
    ) == ["si me voy de la casa x q mi marido me maltrata me pueden quitar a mis hijos"]
    assert questions_beyond_help("creo que mi tio abuso de mi hija, que hago, lo denuncio?") == [
        "lo denuncio"
    ]
    # a question with no words of its own asks about the whole message
    whole = "anoche me violaron y ya vino la policia, que me tienen que decir?"
    assert questions_beyond_help(whole) == [whole]


def test_a_passage_sharing_only_everyday_words_answers_nothing() -> None:
    def idf(term: str) -> float:
        return 1.0

    asked = ["me pueden quitar a mis hijos si me voy"]
    assert not answers_questions(asked, "El refugio recibe a sus hijas e hijos.", idf)
    assert not answers_questions(["lo pueden sacar de la casa"], "hago envío de mi informe", idf)
    assert answers_questions(asked, "Nadie puede quitar a la madre la guarda de sus hijos.", idf)


def test_her_question_is_answered_in_the_documents_words_for_it() -> None:
    def idf(term: str) -> float:
        return 1.0

    message = "mi pareja me pega y la casa esta a su nombre, lo pueden sacar aunque sea el dueño?"
    asked = questions_beyond_help(message)
    law = (
        "Son órdenes de protección de emergencia la desocupación del domicilio por el agresor, "
        "independientemente de la propiedad."
    )
    assert not answers_questions(asked, law, idf)  # none of her words
    assert answers_questions(asked, law, idf, message=message)
    # the name of the harm she tells («me pega»: «violencia física») answers nothing she asks
    hit = "mi pareja me pega, como lo denuncio"
    definition = "La violencia física es todo acto que inflige daño."
    assert not answers_questions(["como lo denuncio"], definition, idf, message=hit)


TORREON_CENTER = chunk(
    "El Centro de Justicia y Empoderamiento en La Laguna cuenta con servicios de psicología, "
    "área legal y ministerio público, todo bajo un mismo techo.",
    40,
    title="Día Internacional de la Eliminación de la Violencia contra la Mujer (IMPLAN Torreón)",
)
TORREON_POLICY = chunk(
    "Desde 2010 se ha puesto en marcha como política pública el modelo de Centros de Justicia "
    "para las Mujeres, bajo la coordinación de la Comisión Nacional.",
    41,
    title="Mujeres y el acceso a una vida sin violencia (IMPLAN Torreón)",
)
NATIONAL_CENTER = chunk(
    "Los Centros de Justicia para las Mujeres brindan atención integral y gratuita a mujeres "
    "víctimas de violencia en un mismo lugar.",
    42,
    title="Ley General de Acceso de las Mujeres a una Vida Libre de Violencias",
)


def test_whether_the_service_shown_to_her_is_from_where_she_is() -> None:
    # what decides whether her place's documents are searched for the service too
    message = "vivo en torreon y mi esposo me golpea"
    national = [Hit(TORREON_POLICY, 1.0, 0.9), Hit(NATIONAL_CENTER, 0.9, 0.9)]
    # a line of her city's report that names the centres only as a policy is not a service
    assert not found_where_she_is(CENTER, message, national)
    assert found_where_she_is(CENTER, message, [*national, Hit(TORREON_CENTER, 0.5, 0.8)])
    assert not found_where_she_is(CENTER, "mi esposo me golpea", [Hit(TORREON_CENTER, 1, 0.9)])
