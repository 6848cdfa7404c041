from assistant.evidence import (
    counted_noun,
    counts,
    has_answer_type,
    missing_names,
    missing_numbers,
    proper_name_terms,
)
from assistant.followup import standalone_query
from assistant.intents import AnswerType, answer_type, is_elliptical
from index.acronyms import expand_aliases, learn_acronyms
from index.terms import common_words, terms

COMMON = common_words(["la secretaría de las mujeres y el instituto nacional de la red"])


def test_answer_types_from_spanish_and_english_questions() -> None:
    assert answer_type("me pega mi pareja a donde llamo") is AnswerType.PHONE
    assert answer_type("¿En qué horario atiende el instituto?") is AnswerType.SCHEDULE
    assert answer_type("¿Cuánto presupuesto se asignó?") is AnswerType.MONEY
    assert answer_type("donde queda el centro de justicia") is AnswerType.ADDRESS
    assert answer_type("¿Cuándo se firmó el convenio?") is AnswerType.DATE
    assert answer_type("How many loans were approved?") is AnswerType.QUANTITY
    assert answer_type("¿Quién preside la comisión?") is AnswerType.NAME
    assert answer_type("¿Qué es la violencia económica?") is AnswerType.OTHER


def test_answer_type_evidence_ignores_what_the_question_already_says() -> None:
    assert has_answer_type("Llama a la línea *765 las 24 horas.", AnswerType.PHONE)
    assert not has_answer_type("Acude al centro de atención.", AnswerType.PHONE)
    assert has_answer_type("Se aprobaron 127 créditos.", AnswerType.QUANTITY)
    assert not has_answer_type("1. Senderos Seguros, 2. Modelo LUNAS", AnswerType.QUANTITY)
    q = "¿Cuántas cartillas se repartieron de los 28 convenios?"
    assert not has_answer_type("Se firmaron 28 convenios.", AnswerType.QUANTITY, q)
    assert has_answer_type("el 10 de octubre de 2014", AnswerType.DATE)
    assert has_answer_type("presidida por la Mtra. Nadine Gasman", AnswerType.NAME, "", COMMON)
    assert not has_answer_type("la Secretaría de las Mujeres", AnswerType.NAME, "", COMMON)
    assert not has_answer_type(
        "el Premio Martha Sánchez", AnswerType.NAME, "¿Quién ganó el Premio Martha Sánchez?", COMMON
    )


def test_requirements_and_members_are_answered_only_by_passages_that_state_them() -> None:
    q = "¿Qué requisitos debe reunir la persona que ocupe la Dirección del Centro?"
    assert answer_type(q) is AnswerType.REQUIREMENTS  # "Dirección" is an office, not an address
    assert answer_type("que papeles me piden para entrar a un refugio") is AnswerType.REQUIREMENTS
    assert has_answer_type("deberá reunir los siguientes requisitos:", AnswerType.REQUIREMENTS)
    assert not has_answer_type(
        "Se llevó a cabo la Tercera Edición de Mujer Exporta MX.", AnswerType.REQUIREMENTS
    )
    assert answer_type("¿Quiénes integran el Consejo Estatal?") is AnswerType.MEMBERS
    assert answer_type("¿Qué dependencias y organizaciones conforman el grupo?") is (
        AnswerType.MEMBERS
    )
    assert answer_type("¿Cuántos países integran la Red?") is AnswerType.QUANTITY
    assert has_answer_type("El Consejo estará integrado por:", AnswerType.MEMBERS)
    assert not has_answer_type(
        "En marzo, el INMUJERES instaló el Grupo Promotor para generar sinergias.",
        AnswerType.MEMBERS,
    )


def test_named_numbers_and_names_must_be_in_the_evidence() -> None:
    question = "¿Cuántos créditos se aprobaron en Chiapas durante 2024?"
    assert missing_numbers(question, "En 2023 se aprobaron 127 créditos.") == ["2024"]
    assert missing_numbers("mi hija tiene 14 años", "nada") == []  # short numbers are no constraint
    assert missing_names(question, "se aprobaron créditos", COMMON) == terms("Chiapas")
    # Capitalized common nouns and parenthesized aliases are not names to look for.
    assert proper_name_terms("¿Qué hace la Secretaría de la Red (SR) en Oaxaca?", COMMON) == set(
        terms("Oaxaca")
    )
    assert proper_name_terms("What did the Institute do in Oaxaca?", COMMON) == set()
    assert counted_noun("¿Cuántos kilómetros de senderos hay?") == terms("kilómetros")[0]
    assert counted_noun("¿Cuántas veces sesionó?") is None


def test_a_count_is_a_number_next_to_the_counted_noun() -> None:
    credits = counted_noun("¿Cuántos créditos se aprobaron?")
    assert credits and counts("se aprobaron 127 créditos a mujeres de 29 entidades", credits)
    women = counted_noun("¿Cuántas mujeres fueron atendidas?")
    assert women and counts("se dieron 3,500 atenciones psicológicas a mujeres", women)
    assert counts("se atendió a doscientas mujeres", women)
    assert not counts("En 2023 las mujeres de la ciudad", women)  # a year counts nothing
    heads = counted_noun("¿Cuántas titulares asistieron?")
    assert heads and counts("la presencia de las titulares de las 32 IMEF", heads)
    lunas = counted_noun("¿Cuántas LUNAS hay?")
    assert lunas and not counts("Tres temas: 1. Senderos, 2. Modelo LUNAS, 3. Protocolo", lunas)


def test_a_count_of_a_long_noun_phrase_or_of_its_acronym_is_a_count() -> None:
    """«¿Cuántas denuncias por violencia familiar…?» is answered by «las denuncias por violencia
    familiar sumaron 2 834», and «¿cuántas instancias municipales de las mujeres…?» by «505
    IMM»: both used to be refused for want of a count beside the noun."""
    complaints = counted_noun("¿Cuántas denuncias por violencia familiar se registraron?")
    assert complaints and counts("las denuncias por violencia familiar sumaron 2 834", complaints)
    bodies = counted_noun("¿Cuántas instancias municipales de las mujeres recibieron apoyo?")
    acronyms = {"imm": "instancias municipales de las mujeres"}
    sentence = "se beneficiaron a 32 IMEF y 505 IMM para su fortalecimiento institucional"
    assert bodies and counts(sentence, bodies, acronyms) and not counts(sentence, bodies)


def test_a_person_is_asked_for_by_role_and_answered_by_a_persons_name() -> None:
    question = "¿Cómo se llama la secretaria de las Mujeres que firmó los convenios?"
    assert answer_type(question) is AnswerType.PERSON
    assert answer_type("¿Quién es la directora del instituto?") is AnswerType.PERSON
    assert answer_type("¿Quién preside la Secretaría de las Mujeres?") is AnswerType.NAME
    bodies = (
        "la Comisión Nacional de Tribunales Superiores de Justicia y plataformas como Uber y DiDi"
    )
    assert has_answer_type(bodies, AnswerType.NAME, question, COMMON)
    assert not has_answer_type(bodies, AnswerType.PERSON, question, COMMON)
    person = "la Dra. Nadine Gasman Zylbermann, presidenta"
    assert has_answer_type(person, AnswerType.PERSON, question, COMMON)
    assert has_answer_type("la directora Elvira Urrutia Vargas", AnswerType.PERSON, "", COMMON)


def test_acronyms_are_learned_from_definitions_in_the_corpus() -> None:
    learned = learn_acronyms(
        [
            "El Instituto Nacional de las Mujeres (INMUJERES) firmó con la Financiera para el "
            "Bienestar (FINABIEN) un convenio. La Comisión (de prueba) no es acrónimo."
        ]
    )
    assert learned["inmujeres"] == "instituto nacional de las mujeres"
    assert learned["finabien"] == "financiera para el bienestar"
    assert "de prueba" not in learned.values()
    expanded = expand_aliases("¿Qué hizo el Inmujeres en la CDMX?", learned)
    assert "instituto nacional de las mujeres" in expanded and "ciudad de mexico" in expanded
    assert "inmujeres" in expand_aliases("el Instituto Nacional de las Mujeres, dijo", learned)


def test_follow_ups_carry_the_previous_turn() -> None:
    history = ["¿Cuántos créditos Mujer Libertad se aprobaron?"]
    assert is_elliptical("¿y en cuántas entidades?")
    assert standalone_query("¿y en cuántas entidades?", history).startswith(history[0])
    full = "¿Qué es la violencia económica según la ley general de acceso?"
    assert standalone_query(full, history) == full
    assert standalone_query("¿y en cuántas entidades?", []) == "¿y en cuántas entidades?"
