"""A situation told in everyday words reaches the provision that names it in the documents'
words: the wording table itself, and the search and the answer over a planted law with the
deterministic embedder (which knows no synonyms, so only the wording can bridge them)."""

from __future__ import annotations

import pytest

from assistant.core import Assistant
from assistant.legal_terms import legal_wording
from tests.conftest import planted_assistant

LAW = """# LEY DE ACCESO DE LAS MUJERES DEL ESTADO DE PRUEBA

## CAPÍTULO I DE LAS ÓRDENES DE PROTECCIÓN

Artículo 30.- Son órdenes de protección de emergencia la desocupación inmediata por el
agresor del domicilio conyugal o donde habite la víctima, independientemente de la
acreditación de propiedad o posesión del inmueble.

## CAPÍTULO II DE LA VIOLENCIA DIGITAL

Artículo 31.- La violencia digital es toda acción dolosa que exponga, distribuya, difunda o
comercialice imágenes, audios o videos de contenido íntimo sexual de una persona sin su
consentimiento. La autoridad ordenará a las plataformas retirar el contenido de inmediato.

## CAPÍTULO III DE LOS CENTROS DE TRABAJO

Artículo 32.- El hostigamiento sexual en los centros de trabajo será investigado por la unidad
de igualdad de cada dependencia, que recibirá las quejas de las trabajadoras.
"""


@pytest.mark.parametrize(
    ("question", "wording"),
    [
        ("mi ex subio unas fotos intimas mias a face", "violencia digital"),
        ("la casa esta a su nombre, lo pueden sacar?", "desocupación del domicilio"),
        ("me corrieron por estar embarazada", "discriminación por embarazo"),
        ("estaba dandole pecho a mi bebe y me corrieron de la plaza", "lactancia materna"),
        ("me ofrecieron trabajo y ahora dicen que tengo que atender clientes", "trata"),
        ("mi jefe me manda mensajes y me toca, a quien le digo", "hostigamiento sexual"),
        ("en el hospital me hicieron cesarea sin preguntarme", "violencia obstétrica"),
    ],
)
def test_everyday_words_get_the_documents_words(question: str, wording: str) -> None:
    assert wording in legal_wording(question)


def test_a_question_in_the_documents_words_gets_none() -> None:
    assert legal_wording("¿Qué es la violencia digital según la ley?") == ""
    assert legal_wording("¿Cuántos créditos se aprobaron en 2023?") == ""


@pytest.fixture(scope="module")
def assistant(tmp_path_factory: pytest.TempPathFactory) -> Assistant:
    # beside the law, a look-alike that shares her everyday words
    note = (
        "# Nota del programa Casa Abierta\n\nEl programa pinta la casa de las familias de la "
        "colonia y regala fotos familiares a quien sube al camión del programa.\n"
    )
    return planted_assistant(
        tmp_path_factory.mktemp("palabras"), {"ley_prueba.md": LAW, "nota.md": note}
    )


def test_her_words_find_the_provision_that_names_the_situation(assistant: Assistant) -> None:
    answer = assistant.answer("vivo con mi pareja y la casa esta a su nombre, lo pueden sacar?")
    assert answer.answered, answer.reason
    assert answer.text.startswith("Artículo 30.- Son órdenes de protección de emergencia")
    assert answer.citations[0].chunk.heading.endswith("Artículo 30")


def test_her_words_rank_the_sentence_that_answers(assistant: Assistant) -> None:
    answer = assistant.answer("mi ex subio unas fotos intimas mias sin permiso, que hago")
    assert answer.answered, answer.reason
    assert answer.text.startswith("Artículo 31.- La violencia digital"), answer.text
    assert "Casa Abierta" not in answer.text
