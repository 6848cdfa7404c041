"""Answering the whole question: the parts of a compound question, a list with every item
across passages, the document a question names, yes-or-no questions, and what the documents do
not cover; over a planted corpus with the deterministic embedder, through the real pipeline."""

from __future__ import annotations

from pathlib import Path

import pytest

from assistant.core import Assistant
from assistant.question_plan import defined_term, plan_question, split_parts, summary_topic
from assistant.sentence_pool import defines, is_furniture
from index.chunking import ChunkingConfig, chunk_document
from index.documents import Document
from index.units import Units
from tests.conftest import planted_assistant

TYPES = "\n\n".join(
    f"{numeral}. La violencia {name}.- Es cualquier acto u omisión que {harm}; "
    "puede consistir en actos reiterados que la persona agresora comete en contra de la "
    "víctima, dentro o fuera del domicilio, con el fin de someterla y controlarla."
    for numeral, name, harm in (
        ("I", "psicológica", "dañe la estabilidad emocional de la víctima"),
        ("II", "física", "inflige daño no accidental usando la fuerza física"),
        ("III", "patrimonial", "afecta la supervivencia de la víctima y sus bienes"),
        ("IV", "económica", "afecta la supervivencia económica de la víctima"),
        ("V", "sexual", "degrada o daña el cuerpo y la sexualidad de la víctima"),
        ("VI", "digital", "expone imágenes íntimas sin consentimiento de la víctima"),
    )
)
LAW = f"""# LEY DE ACCESO DE LAS MUJERES DEL ESTADO DE PRUEBA

DECRETO por el que se expide la Ley de Acceso de las Mujeres del Estado de Prueba.

## CAPÍTULO I DISPOSICIONES GENERALES

Artículo 6.- Los tipos de violencia contra las mujeres son los siguientes:

{TYPES}

## CAPÍTULO II DE LAS ÓRDENES DE PROTECCIÓN

Artículo 28.- Las órdenes de protección que consagra la presente ley podrán ser:

I. De naturaleza administrativa: las que ordena el Ministerio Público.

II. De naturaleza jurisdiccional: las que emiten los órganos de administración de justicia.

Las órdenes de protección tendrán una duración de hasta 60 días, prorrogables por 30 días más.

Deberán expedirse a más tardar dentro de las 4 horas siguientes al conocimiento de los hechos.

Artículo 29.- Queda prohibido que la autoridad obligue a la víctima a conciliar con la persona
agresora.
"""
REPORT = """# Informe anual del Instituto de la Mujer de Zacatecas 2024

## 1. Programas

El Programa Violeta otorgó 4,321 apoyos económicos a mujeres jefas de familia en 2024.

## 2. Capacitación

El Instituto capacitó a 950 servidoras públicas en perspectiva de género durante 2024.
"""

# A report whose title every passage's label repeats: its name cannot rank its sentences.
SECTIONS = (
    ("Refugios", "Los tres refugios del Consejo atendieron a 412 mujeres y 610 hijas e hijos."),
    ("Salud", "La Red de Clínicas Moradas ofreció 2,380 consultas de salud sexual y reproductiva."),
    ("Empleo", "El programa Manos Solidarias colocó a 265 mujeres en empleos formales."),
    ("Justicia", "La Defensoría Feminista litigó 88 amparos por pensiones alimenticias."),
    ("Escuelas", "Las brigadas Aulas Seguras visitaron 140 secundarias de la sierra."),
    ("Medios", "La campaña Nombrarlas difundió 35 spots radiofónicos en lenguas indígenas."),
)
COUNCIL = "# Memoria del Consejo Estatal de las Mujeres de Durango 2023\n\n" + "\n\n".join(
    f"## {number}. {name}\n\nEn este apartado de la memoria del Consejo Estatal de las Mujeres "
    f"de Durango se informa lo realizado en 2023.\n\n{fact}"
    for number, (name, fact) in enumerate(SECTIONS, start=1)
)
# A news note dated on a line of its own above the text it dates.
NOTE = """# Se reúne el Instituto Municipal de Cuencamé con la Red de Abogadas Rurales

Jueves 9 de marzo del 2023

Personal del Instituto Municipal de Cuencamé se reunió con la Red de Abogadas Rurales para
planear asesorías itinerantes en los ejidos.

En esta etapa la Red busca acercar la defensa legal gratuita a las mujeres campesinas mediante
brigadas quincenales.
"""


@pytest.fixture(scope="module")
def assistant(tmp_path_factory: pytest.TempPathFactory) -> Assistant:
    return planted_assistant(
        tmp_path_factory.mktemp("entera"),
        {
            "ley_acceso_prueba.md": LAW,
            "informe_zacatecas_2024.md": REPORT,
            "memoria_durango_2023.md": COUNCIL,
            "nota_cuencame.md": NOTE,
        },
    )


def test_a_list_answer_names_every_item_with_its_article(assistant: Assistant) -> None:
    answer = assistant.answer("¿Cuáles son los tipos de violencia contra las mujeres?")
    assert answer.answered
    for name in ("psicológica", "física", "patrimonial", "económica", "sexual", "digital"):
        assert f"La violencia {name}" in answer.text
    # the items run over more than one passage; each is cited where it stands
    cited = {c.chunk.chunk_id for c in answer.citations}
    assert len(cited) >= 2
    assert all(c.chunk.heading.endswith("Artículo 6") for c in answer.citations)
    assert all(c.quote in c.chunk.text for c in answer.citations)
    assert "Los tipos de violencia contra las mujeres son los siguientes:" in answer.text


def test_a_compound_question_is_answered_part_by_part(assistant: Assistant) -> None:
    answer = assistant.answer(
        "¿Qué tipos de órdenes de protección existen, cuánto tiempo duran y en qué plazo "
        "deben expedirse?"
    )
    assert answer.answered
    for fact in ("administrativa", "jurisdiccional", "60 días", "4 horas"):
        assert fact in answer.text, fact


def test_a_part_the_documents_do_not_cover_is_named_not_refused(assistant: Assistant) -> None:
    answer = assistant.answer(
        "¿Cuánto tiempo duran las órdenes de protección y cuántas psicólogas tiene el refugio?"
    )
    assert answer.answered and "60 días" in answer.text
    assert "no responden a: «cuántas psicólogas tiene el refugio»" in answer.text


def test_a_yes_or_no_question_leads_with_the_provision(assistant: Assistant) -> None:
    answer = assistant.answer("¿la autoridad me puede obligar a conciliar con mi agresor?")
    assert answer.answered
    assert answer.text.startswith("Artículo 29.- Queda prohibido")


def test_a_summary_of_a_whole_document_covers_its_sections_in_order(
    assistant: Assistant,
) -> None:
    answer = assistant.answer(
        "Hazme un resumen de la Memoria del Consejo Estatal de las Mujeres de Durango 2023"
    )
    assert answer.answered
    facts = [fact for _, fact in SECTIONS]
    said = [fact for fact in facts if fact in answer.text]
    # what each section says, not the sentence that repeats the title in every one of them
    assert len(said) >= 5, answer.text
    assert [answer.text.index(fact) for fact in said] == sorted(
        answer.text.index(fact) for fact in said
    )
    assert "En este apartado de la memoria" not in answer.text


def test_a_date_on_the_line_above_the_news_it_dates(assistant: Assistant) -> None:
    answer = assistant.answer(
        "¿En qué fecha se reunió el Instituto Municipal de Cuencamé con la Red de Abogadas Rurales?"
    )
    assert answer.answered and "9 de marzo del 2023" in answer.text, answer.text


def test_a_compound_question_answered_in_other_words_than_its_parts(
    assistant: Assistant,
) -> None:
    # «persigue» is «busca» in the note, «por qué medio» its «mediante»: the answer to the
    # whole question stands, it is not refused for the parts' wording
    answer = assistant.answer(
        "¿Qué persigue en esta etapa la Red de Abogadas Rurales y por qué medio?"
    )
    assert answer.answered and "brigadas quincenales" in answer.text, answer.text


def test_promulgation_furniture_is_never_quoted(assistant: Assistant) -> None:
    answer = assistant.answer("¿Qué decreto expide la Ley de Acceso de las Mujeres del Estado?")
    assert "DECRETO por el que" not in answer.text
    assert is_furniture("DECRETO por el que se expide la Ley de Acceso de las Mujeres.")
    assert is_furniture("ARTÍCULO ÚNICO.- Se reforma el artículo 6 de la Ley General.")
    assert not is_furniture("Las órdenes de protección se expiden en ocho horas.")


def test_the_document_a_question_names_is_where_the_answer_comes_from(
    assistant: Assistant,
) -> None:
    scope = assistant.retriever.names.scope(
        "Según el informe anual del Instituto de la Mujer de Zacatecas, ¿a cuántas servidoras "
        "públicas capacitó?"
    )
    assert scope is not None
    (named,) = scope.doc_ids
    hits = assistant.retriever.retrieve(
        "Según el informe anual del Instituto de la Mujer de Zacatecas, ¿a cuántas servidoras "
        "públicas capacitó?",
        5,
    )
    assert hits and {h.chunk.doc_id for h in hits} == {named}
    assert assistant.retriever.names.scope("¿Cuántas servidoras públicas se capacitaron?") is None


def test_a_fraccion_brings_its_article_head() -> None:
    document = Document(
        "d" * 16, Path("ley.md"), "ley.md", "Ley", "", "", "ley", LAW.replace("# ", "# ")
    )
    chunks = chunk_document(document, ChunkingConfig(max_chars=600))
    units = Units(chunks)
    article = [c for c in chunks if c.heading.endswith("Artículo 6")]
    assert len(article) >= 2 and len({c.parent_id for c in article}) == 1
    around = units.around(article[-1], budget=1200)
    assert around[0] == article[0]  # the head, "… son los siguientes:"
    assert article[-1] in around
    nodes = units.nodes(article[-1])
    assert nodes[article[-1].chunk_id].parent_node.node_id == article[0].parent_id  # type: ignore[union-attr]


SPLITS = [
    (
        "¿Qué es la Cartilla de Derechos de las Mujeres y quién la elaboró?",
        ["Qué es la Cartilla de Derechos de las Mujeres", "quién la elaboró"],
    ),
    (
        "¿Dónde y cuándo se firmó el convenio?",
        ["Dónde cuándo se firmó el convenio", "cuándo se firmó el convenio"],
    ),
    (
        "si me voy a un refugio cuanto tiempo me dejan quedarme? no tengo a donde ir",
        ["si me voy a un refugio cuanto tiempo me dejan quedarme no tengo a donde ir"],
    ),
    (
        "¿Cuántos créditos se aprobaron y en cuántas entidades?",
        ["Cuántos créditos se aprobaron", "en cuántas entidades"],
    ),
]


@pytest.mark.parametrize(("question", "expected"), SPLITS)
def test_a_question_splits_into_what_it_asks(question: str, expected: list[str]) -> None:
    assert split_parts(question)[1] == expected


def test_the_plan_of_a_question() -> None:
    named = plan_question("Según la LGAMVLV, ¿qué tipos de órdenes existen y cuánto duran?")
    assert named.compound and named.wants_list and named.parts[0].context == "Según la LGAMVLV"
    assert plan_question("¿Qué dice el artículo 4o de la Constitución?").article == "4o"
    assert plan_question("me corrieron por estar embarazada, ¿eso se puede?").yes_no
    assert not plan_question("¿Qué es la violencia económica?").wants_list
    assert summary_topic("Resume para un taller la Ley de Acceso") == "la Ley de Acceso"


DEFINITIONS = [
    (
        "En la Ley Federal para Prevenir la Discriminación, ¿qué son las acciones afirmativas?",
        "acciones afirmativas",
    ),
    (
        "¿Cómo define la Ley General para la Igualdad Sustantiva las acciones afirmativas?",
        "acciones afirmativas",
    ),
    ("Según la ley federal, ¿cómo se define la violencia psicológica?", "violencia psicologica"),
    ("¿Qué entiende la LGAMVLV por violencia económica?", "violencia economica"),
    ("que es eso de la violencia vicaria", "violencia vicaria"),
    ("¿Qué es PROABIM y quién lo opera?", "proabim"),
    ("¿Cuántos refugios hay en Chihuahua?", ""),
    ("¿Qué es lo que dice el artículo 4o?", ""),
]


@pytest.mark.parametrize(("question", "term"), DEFINITIONS)
def test_the_term_a_question_asks_to_define(question: str, term: str) -> None:
    assert defined_term(question) == term


def test_a_sentence_that_defines_a_term() -> None:
    term = "orden de proteccion"
    assert defines("ARTÍCULO 27.- Las órdenes de protección son actos de protección", term)
    assert defines("IV. Órdenes de protección: Actos de urgente aplicación", term)
    assert defines("Para los efectos de esta ley se entiende por orden de protección el acto", term)
    # sharing the term's words is not defining it
    assert not defines("Las órdenes de protección tendrán una duración de hasta 60 días", term)
    assert not defines("Las órdenes de protección serán expedidas por el Ministerio Público", term)
    assert not defines("El Ministerio Público emite las órdenes de protección", term)


AGREEMENT_ARTICLES = (
    ("1", "tiene por objeto fijar las reglas de lenguaje incluyente en los escritos judiciales"),
    ("2", "es de observancia general y obligatoria para todo el personal del tribunal"),
    ("3", "encarga a la Escuela Judicial impartir capacitación continua cada semestre"),
    ("4", "incorpora progresivamente el lenguaje incluyente en los reglamentos internos"),
    ("5", "ordena usar términos genéricos universales en lugar del masculino"),
    ("6", "prohíbe el uso de la arroba y de las diagonales en las sentencias"),
    ("7", "obliga a revisar los formatos de las oficialías de partes cada año"),
    ("8", "encomienda a la Contraloría vigilar su cumplimiento y rendir informe anual"),
    ("9", "dispone que las dudas las resuelva el Pleno del Consejo de la Judicatura"),
)
AGREEMENT = "\n\n".join(
    [
        "# ACUERDO 77/2025 DEL CONSEJO DE LA JUDICATURA DE PRUEBA SOBRE LENGUAJE INCLUYENTE",
        "## CONSIDERANDO",
        "Que la Declaración de Viena de 1993, firmada por ciento setenta y un Estados, reconoció"
        " que los derechos humanos de las mujeres son parte inalienable e indivisible.",
        "Que la Convención de Belém do Pará, adoptada en 1994 en Brasil, compromete a Bolivia,"
        " Paraguay, Uruguay y los demás Estados parte a modificar patrones socioculturales.",
        "Que el Plan Trianual 2022-2025 del Tribunal Superior, con sus doce ejes y cuarenta"
        " metas, incluye la transversalidad de la perspectiva de género en Saltillo y Monclova.",
        "## LINEAMIENTOS",
        *(
            f"### Artículo {number}\n\nArtículo {number}. El presente acuerdo {says}."
            for number, says in AGREEMENT_ARTICLES
        ),
        "## Bibliografía",
        "- Organización de las Naciones Unidas. Lenguaje inclusivo en cuanto al género:"
        " https://www.un.org/es/gender-inclusive-language/",
    ]
)


@pytest.fixture(scope="module")
def agreement_assistant(tmp_path_factory: pytest.TempPathFactory) -> Assistant:
    return planted_assistant(
        tmp_path_factory.mktemp("acuerdo"), {"acuerdo_77_2025_lenguaje.md": AGREEMENT}
    )


def test_a_summary_of_an_agreement_states_its_articles_not_its_considerandos(
    agreement_assistant: Assistant,
) -> None:
    # the considerandos are full of rare words, figures and names, which a summary chosen by
    # rare words alone took first; what the agreement establishes is in its articles
    answer = agreement_assistant.answer(
        "Resume para una capacitación el Acuerdo 77/2025 del Consejo de la Judicatura de Prueba"
    )
    assert answer.answered, answer.reason
    said = [says for _, says in AGREEMENT_ARTICLES if says in answer.text]
    assert len(said) >= 7, answer.text
    for preamble in ("Declaración de Viena", "Belém do Pará", "Plan Trianual", "https://"):
        assert preamble not in answer.text, answer.text
