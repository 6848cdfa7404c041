"""Conversation exports for trainers: Markdown and Word with the window's structure, and each
turn's sources numbered as on the screen."""

from __future__ import annotations

import io
from dataclasses import replace
from datetime import datetime
from pathlib import Path

from docx import Document as WordDocument

from assistant.answer import NOT_IN_DOCUMENTS, Answer, Citation
from assistant.core import build_assistant
from tests.conftest import make_settings
from tests.test_ui_render import GUIDANCE, VIOLETA, chunk
from tests.test_ui_structure import HANDOUT, PERSONAL
from ui.conversation import Turn
from ui.export import conversation_docx, conversation_markdown
from ui.window import Window

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


def test_markdown_has_questions_answers_and_each_turns_sources_numbered_as_on_screen() -> None:
    text = conversation_markdown(conversation(), WHEN)
    assert text.startswith("# Conversación con el asistente")
    assert "Exportada el 2026-03-08 10:30." in text
    assert "## Pregunta 2" in text and "**Pregunta** (Capacitación): ¿Y las órdenes?" in text
    # numbers as on the screen: every turn starts again at [1], its sources listed under it
    assert "Se expiden en ocho horas. [1] Hubo 4,321 apoyos. [2]" in text
    second = text.split("## Pregunta 2")[1].split("## Pregunta 3")[0]
    assert (
        "**Fuentes:**\n\n- [1] Ley de prueba \\<del estado\\>. Congreso del Estado, 2025, p. 4."
        in (second)
    )
    assert (
        "- [2] Programa Violeta. Instituto de la Mujer, 2024-05-01, Requisitos. «El Programa"
        in (second)
    )
    first = text.split("## Pregunta 1")[1].split("## Pregunta 2")[0]
    assert "- [1] Programa Violeta." in first
    assert "**Respuesta:** (Los documentos no contienen la respuesta.)" in text
    assert "Fuentes" not in text.split("## Pregunta 3")[1]


def handout_turns() -> list[Turn]:
    citations = tuple(replace(VIOLETA, key=str(n)) for n in range(1, 6))
    handout = Answer("¿Tipos?", "¿Tipos?", HANDOUT, citations[:2], (), True)
    personal = Answer("¿Tipos?", "¿Tipos?", PERSONAL, citations, (), True)
    guided = Answer("me pega", "me pega", "", (), (), True, guidance=GUIDANCE)
    return [
        Turn("¿Tipos?", handout, "capacitacion"),
        Turn("¿Tipos?", personal, "personal"),
        Turn("me pega", guided, "ciudadania"),
    ]


def test_markdown_has_the_structure_of_the_window() -> None:
    text = conversation_markdown(handout_turns(), WHEN)
    first = text.split("## Pregunta 1")[1].split("## Pregunta 2")[0]
    # the answer's headings below «## Pregunta N», real bullets (not «\\-»)
    assert "\n### Ley General de Acceso de las Mujeres a una Vida Libre de Violencias\n" in first
    assert "\n- ARTÍCULO 6.- Los tipos de violencias contra las mujeres son: [1]\n" in first
    assert "\\-" not in text and "\n## Ley" not in text
    second = text.split("## Pregunta 2")[1].split("## Pregunta 3")[0]
    # an introduction goes right above its list; continuing lines are indented under an item
    assert (
        "ARTÍCULO 6.- Los tipos de violencias contra las mujeres son: [1]\n"
        "- I. La violencia psicológica. [1]\n"
        "  Es cualquier acto u omisión que dañe la estabilidad psicológica; [1]\n"
        "- II. La violencia física [1]\n"
    ) in second
    third = text.split("## Pregunta 3")[1]
    assert "**Ayuda inmediata:**\n\nSi estás en peligro ahora, llama al 911.\n" in third
    assert (
        "Los documentos consultados mencionan estos servicios:\n"
        "- Secretaría \\<de\\> las Mujeres: Línea Mujeres \\<24 h\\>: \\*765. [1]"
    ) in third
    assert "**Respuesta:**" not in third  # guidance alone
    assert third.count("- [1] Programa Violeta.") == 1


def test_word_has_the_same_structure() -> None:
    word = WordDocument(io.BytesIO(conversation_docx(handout_turns(), WHEN)))
    styled = [(p.style.name, p.text) for p in word.paragraphs]
    assert ("Heading 2", "Pregunta 1") in styled
    assert (
        "Heading 3",
        "Ley General de Acceso de las Mujeres a una Vida Libre de Violencias",
    ) in styled
    assert ("List Bullet", "I. La violencia psicológica. [1]") in styled
    intro = next(
        p for p in word.paragraphs if p.text.startswith("ARTÍCULO 6.-") and p.style.name == "Normal"
    )
    assert intro.paragraph_format.keep_with_next
    assert ("List Paragraph", "II. La violencia física [1]") in styled
    assert (
        "List Continue",
        "Es cualquier acto u omisión que dañe la estabilidad psicológica; [1]",
    ) in styled
    assert ("List Bullet", "Secretaría <de> las Mujeres: Línea Mujeres <24 h>: *765. [1]") in styled


def test_word_document_has_the_same_content() -> None:
    data = conversation_docx(conversation(), WHEN)
    word = WordDocument(io.BytesIO(data))
    paragraphs = [p.text for p in word.paragraphs]
    assert paragraphs[0] == "Conversación con el asistente de derechos de las mujeres"
    assert "Pregunta 3" in paragraphs
    assert "Pregunta (Ciudadanía): ¿Apoyos?" in paragraphs
    assert "Se expiden en ocho horas. [1] Hubo 4,321 apoyos. [2]" in paragraphs
    assert "Respuesta: (Los documentos no contienen la respuesta.)" in paragraphs
    second = paragraphs[paragraphs.index("Pregunta 2") : paragraphs.index("Pregunta 3")]
    sources = second[second.index("Fuentes:") + 1 :]
    assert sources[0].startswith("[1] Ley de prueba <del estado>. Congreso del Estado, 2025")
    assert sources[1].startswith("[2] Programa Violeta. Instituto de la Mujer, 2024-05-01")
    assert word.core_properties.language == "es-MX"


def test_empty_conversation_exports_without_sources() -> None:
    assert "Fuentes" not in conversation_markdown([], WHEN)
    assert WordDocument(io.BytesIO(conversation_docx([], WHEN))).paragraphs


def test_exports_are_one_per_session_and_forgotten_on_quick_exit(
    planted_corpus: Path, tmp_path: Path
) -> None:
    settings = make_settings(tmp_path / "store", [planted_corpus])
    settings.ui.feedback_db = tmp_path / "opiniones.sqlite"
    assistant, report = build_assistant(settings)
    window = Window(assistant, report, tmp_path / "cache")
    turns = conversation()
    first, _ = window.export(turns[:1], "sesion-A")
    markdown, word = window.export(turns, "sesion-A")
    other, _ = window.export(turns[:1], "sesion-B")
    assert markdown.is_relative_to(tmp_path / "cache") and word.read_bytes()[:2] == b"PK"
    assert not first.exists()  # a longer conversation replaces the shorter one's files
    assert first.parent != markdown.parent  # and comes under another address
    window.forget("sesion-A")
    assert not markdown.exists() and not word.exists() and not markdown.parent.parent.exists()
    assert other.exists()  # other sessions keep theirs
    window.close()
