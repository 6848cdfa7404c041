"""Conversation exports for trainers: Markdown and Word with one numbered reference list."""

from __future__ import annotations

import io
from dataclasses import replace
from datetime import datetime

from docx import Document as WordDocument

from assistant.answer import NOT_IN_DOCUMENTS, Answer, Citation
from tests.test_ui_render import VIOLETA, chunk
from ui.conversation import Turn
from ui.export import conversation_docx, conversation_markdown

WHEN = datetime(2026, 3, 8, 10, 30)
LAW = Citation(
    "1",
    chunk(
        "Artículo 3.- Las órdenes de protección se expiden en ocho horas.",
        ordinal=2,
        page=4,
        doc_id="fedcba9876543210",
        title="Ley de prueba <del estado>",
        source="ley.pdf",
        institution="Congreso del Estado",
        date="2025",
        kind="ley",
    ),
    "Las órdenes de protección se expiden en ocho horas.",
)


def conversation() -> list[Turn]:
    first = Answer("¿Apoyos?", "¿Apoyos?", "Se otorgaron 4,321 apoyos. [1]", (VIOLETA,), (), True)
    second = Answer(
        "¿Y las órdenes?",
        "¿Y las órdenes?",
        "Se expiden en ocho horas. [1] Hubo 4,321 apoyos. [2]",
        (LAW, replace(VIOLETA, key="2")),
        (),
        True,
    )
    refused = Answer("¿Capital de Francia?", "", NOT_IN_DOCUMENTS, (), (), False)
    return [
        Turn("¿Apoyos?", first, "ciudadania"),
        Turn("¿Y las órdenes?", second, "capacitacion"),
        Turn("¿Capital de Francia?", refused, "personal"),
    ]


def test_markdown_has_questions_answers_and_numbered_references() -> None:
    text = conversation_markdown(conversation(), WHEN)
    assert text.startswith("# Conversación con el asistente")
    assert "Exportada el 2026-03-08 10:30." in text
    assert "## Pregunta 2" in text and "**Pregunta** (Capacitación): ¿Y las órdenes?" in text
    # the second answer's [1] is the conversation's reference 2, its [2] is reference 1
    assert "Se expiden en ocho horas. [2] Hubo 4,321 apoyos. [1]" in text
    assert "**Respuesta:** (Los documentos no contienen la respuesta.)" in text
    references = text.split("## Referencias")[1]
    assert "1. Programa Violeta. Instituto de la Mujer, 2024-05-01, Requisitos. «El Programa" in (
        references
    )
    assert "2. Ley de prueba \\<del estado\\>. Congreso del Estado, 2025, p. 4." in references
    assert references.count("\n1. ") == 1  # a passage cited twice is listed once


def test_word_document_has_the_same_content() -> None:
    data = conversation_docx(conversation(), WHEN)
    word = WordDocument(io.BytesIO(data))
    paragraphs = [p.text for p in word.paragraphs]
    assert paragraphs[0] == "Conversación con el asistente de derechos de las mujeres"
    assert "Pregunta 3" in paragraphs
    assert "Pregunta (Ciudadanía): ¿Apoyos?" in paragraphs
    assert "Se expiden en ocho horas. [2] Hubo 4,321 apoyos. [1]" in paragraphs
    assert "Respuesta: (Los documentos no contienen la respuesta.)" in paragraphs
    references = paragraphs[paragraphs.index("Referencias") + 1 :]
    assert references[0].startswith("1. Programa Violeta. Instituto de la Mujer, 2024-05-01")
    assert references[1].startswith("2. Ley de prueba <del estado>. Congreso del Estado, 2025")
    assert word.core_properties.language == "es-MX"


def test_empty_conversation_exports_without_references() -> None:
    assert "## Referencias" not in conversation_markdown([], WHEN)
    assert WordDocument(io.BytesIO(conversation_docx([], WHEN))).paragraphs
