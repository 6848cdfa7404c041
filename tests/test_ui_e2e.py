"""End to end in a real browser: Debian Chromium driven by Playwright on a running
`asistente serve` (started here as a subprocess on a free port) with the real embedding model on
a copy of the seed corpus, plus one planted document whose text contains a `<script>` tag.

Screenshots (desktop and 375 px wide) go to tests/artifacts/screenshots/."""

from __future__ import annotations

import io
import shutil
import sqlite3
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from assistant.answer import NOT_IN_DOCUMENTS
from tests.browser import (
    DESKTOP,
    PASSWORD,
    PHONE,
    SCREENSHOTS,
    Visit,
    chromium,
    open_tab,
    require_browser,
    serving,
)
from tests.conftest import SEED_CORPUS
from tests.test_loading import build_pdf

pytestmark = pytest.mark.slow

SEED_QUESTION = (
    "¿Dónde y en qué días se llevó a cabo el Encuentro Nacional de Titulares de las Instancias "
    "para las Mujeres?"
)
OUT_OF_CORPUS = "¿Cuál es el teléfono de la Línea Mujeres de Locatel?"
SCRIPTED_NAME = "aviso_jornada_tlaxcala.txt"
SCRIPTED = (
    "Aviso del portal estatal\n\n"
    "La Jornada Violeta de Tlaxcala &lt;script&gt;alert('hola')&lt;/script&gt; atenderá a 800 "
    "mujeres artesanas en sus talleres de comercio justo.\n"
)
SCRIPTED_QUESTION = "¿A cuántas mujeres artesanas atenderá la Jornada Violeta de Tlaxcala?"
PDF_TITLE = "Programa Estatal de Becas Lila 2025"  # as the upload card infers it from the PDF
PDF_QUESTION = "¿Cuánto entrega la Beca Lila a las madres estudiantes de Colima?"
PDF_PAGES = [
    ["Programa Estatal de Becas Lila 2025", "Gobierno del Estado de Colima"],
    [
        "La Beca Lila entrega 2,750 pesos mensuales a madres estudiantes de Colima.",
        "Las solicitudes se reciben en la Secretaria de Educacion del estado.",
    ],
]


@pytest.fixture(scope="module")
def served(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, Any]]:
    """`asistente serve` on a copy of the seed corpus (uploads land there)."""
    require_browser()
    root = tmp_path_factory.mktemp("e2e")
    corpus = root / "corpus"
    shutil.copytree(SEED_CORPUS, corpus)
    (corpus / SCRIPTED_NAME).write_text(SCRIPTED, encoding="utf-8")
    with serving(root, corpus) as served:
        yield served


@pytest.fixture(scope="module")
def browser(served: dict[str, Any]) -> Iterator[Any]:
    with chromium() as launched:
        yield launched


def test_seed_question_card_document_refusal_exports_and_feedback(
    browser: Any, served: dict[str, Any]
) -> None:
    from docx import Document as WordDocument

    visit = Visit(browser, served["url"], DESKTOP)
    page = visit.page
    visit.shot("escritorio-1-bienvenida")
    assert page.get_by_text("¿Qué quieres saber?").is_visible()
    page.wait_for_function("document.documentElement.lang === 'es-MX'")
    assert page.get_by_role("button", name="Descargar conversación (Word)").is_disabled()

    # a seed question: the answer arrives with numbered markers
    answer = visit.ask(SEED_QUESTION)
    assert page.evaluate("window.sawPending")  # the turn showed while the answer was written
    assert "answer" in (answer.get_attribute("class") or "")
    assert "Cancún" in answer.locator(".answer-text").inner_text()
    marker = answer.locator("a.cite").first
    assert marker.inner_text() == "[1]"

    # the marker leads to its card: title, institution, date and the quote highlighted
    marker.click()
    card = answer.locator("li.card").first
    page.wait_for_function("document.activeElement && document.activeElement.id === 'fuente-1-1'")
    assert card.is_visible()
    card_text = card.inner_text()
    assert "Nota informativa: Encuentro Nacional de Titulares" in card_text
    assert "Secretaría de las Mujeres de la Ciudad de México" in card_text
    assert "2023-11-10" in card_text
    assert "Cancún" in card.locator("mark").inner_text()
    visit.shot("escritorio-2-respuesta-y-fuente")

    # the card opens the whole document through the safe route, scrolled to the passage
    with visit.context.expect_page() as opened:
        card.get_by_role("link", name="Abrir el documento completo").click()
    document = opened.value
    document.wait_for_load_state("domcontentloaded")
    assert "/documento/" in document.url and document.url.endswith("#pasaje")
    assert document.locator("h1").inner_text().startswith("Nota informativa")
    passage = document.locator("mark#pasaje")
    assert "Cancún" in passage.inner_text()
    assert passage.evaluate(
        "e => { const r = e.getBoundingClientRect(); return r.top < innerHeight && r.bottom > 0; }"
    )
    document.screenshot(path=str(SCREENSHOTS / "escritorio-3-documento.png"))
    document.close()

    # a question the corpus does not answer is declined, visibly different from an answer
    refusal = visit.ask(OUT_OF_CORPUS, press_enter=False)
    assert "refusal" in (refusal.get_attribute("class") or "")
    assert NOT_IN_DOCUMENTS in refusal.inner_text()
    assert refusal.locator("li.card").count() == 0
    assert refusal.evaluate("e => getComputedStyle(e).borderStyle") == "dashed"
    visit.shot("escritorio-4-rechazo")

    # copy one answer with its references
    answer.get_by_role("button", name="Copiar respuesta").click()
    copied = page.evaluate("navigator.clipboard.readText()")
    assert copied.startswith(answer.locator(".answer-text").inner_text().strip()[:40])
    assert "Fuentes:\n[1] Nota informativa: Encuentro Nacional de Titulares" in copied

    # 👍 with a comment: stored with personal data redacted
    answer.get_by_role("button", name="Útil (respuesta 1)", exact=True).click()
    comment = page.get_by_label("Comentario sobre la respuesta 1 (opcional)")
    comment.fill("Muy clara. Mi teléfono es 55 1234 5678")
    page.get_by_role("button", name="Enviar comentario").click()
    page.get_by_text("Comentario guardado").wait_for()
    rows = (
        sqlite3.connect(served["feedback"])
        .execute("SELECT rating, comment, question FROM feedback")
        .fetchall()
    )
    assert rows == [("up", "Muy clara. Mi teléfono es [teléfono]", SEED_QUESTION)]

    # exports: Markdown and Word, with both questions and numbered references
    with page.expect_download() as markdown:
        page.get_by_role("button", name="Descargar conversación (Markdown)").click()
    text = Path(markdown.value.path()).read_text(encoding="utf-8")
    assert f"**Pregunta** (Ciudadanía): {SEED_QUESTION}" in text
    assert "## Pregunta 2" in text and "(Los documentos no contienen la respuesta.)" in text
    assert "**Fuentes:**" in text
    assert (
        "- [1] Nota informativa: Encuentro Nacional de Titulares de las Instancias para las "
        "Mujeres en las Entidades Federativas. Secretaría de las Mujeres de la Ciudad de "
        "México, 2023-11-10"
    ) in text
    with page.expect_download() as word:
        page.get_by_role("button", name="Descargar conversación (Word)").click()
    paragraphs = [
        p.text for p in WordDocument(io.BytesIO(Path(word.value.path()).read_bytes())).paragraphs
    ]
    assert "Fuentes:" in paragraphs and "Pregunta 2" in paragraphs
    assert any(p.startswith("[1] Nota informativa: Encuentro Nacional") for p in paragraphs)

    # a new conversation starts from the welcome again
    page.get_by_role("button", name="Nueva conversación").click()
    page.get_by_text("¿Qué quieres saber?").wait_for()
    assert page.locator("section.turn").count() == 0
    visit.close()


def test_someone_in_danger_sees_the_crisis_banner_first(
    browser: Any, served: dict[str, Any]
) -> None:
    visit = Visit(browser, served["url"], PHONE)
    reply = visit.ask("mi pareja me esta golpeando y tengo miedo de que me mate")
    banner = reply.locator(".crisis[role=alert]")
    assert "911" in banner.inner_text()
    assert banner.evaluate("e => getComputedStyle(e).backgroundColor") == "rgb(153, 27, 27)"
    assert banner.locator("p").last.evaluate("e => getComputedStyle(e).color") == (
        "rgb(255, 255, 255)"
    )
    first = reply.evaluate("e => e.querySelector('.crisis, .answer-text').className")
    assert first == "crisis"  # above the answer
    visit.shot("movil-4-crisis")
    visit.close()


def test_a_script_inside_a_document_shows_as_text(browser: Any, served: dict[str, Any]) -> None:
    visit = Visit(browser, served["url"], DESKTOP)
    answer = visit.ask(SCRIPTED_QUESTION)
    assert "answer" in (answer.get_attribute("class") or "")
    card = answer.locator("li.card").first
    assert "<script>alert('hola')</script>" in card.locator("blockquote").inner_text()
    assert visit.page.locator("#transcript script").count() == 0
    with visit.context.expect_page() as opened:
        card.get_by_role("link", name="Abrir el documento completo").click()
    document = opened.value
    document.wait_for_load_state("domcontentloaded")
    assert "<script>alert('hola')</script>" in document.locator("main").inner_text()
    assert document.locator("main script").count() == 0
    document.close()
    visit.close()


def test_phone_width_first_visit_and_example_question(browser: Any, served: dict[str, Any]) -> None:
    visit = Visit(browser, served["url"], PHONE)
    page = visit.page
    visit.shot("movil-1-bienvenida")
    example = page.get_by_role("button", name="¿Qué institución otorga el crédito Mujer Libertad?")
    example.click()
    answer = page.locator("section.turn:not(.pending) .msg.bot").first
    answer.wait_for(timeout=120_000)
    assert "FINABIEN" in answer.inner_text()
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    answer.locator("a.cite").first.click()
    page.wait_for_timeout(500)
    visit.shot("movil-2-respuesta")
    # the whole window works from the keyboard: the question box, then the ask button
    page.get_by_label("Tu pregunta").focus()
    page.keyboard.type(OUT_OF_CORPUS)
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.id") == "ask"
    page.keyboard.press("Enter")
    page.locator(".msg.bot.refusal").wait_for(timeout=120_000)
    visit.shot("movil-3-rechazo")
    visit.close()


def test_staff_upload_a_pdf_then_get_a_cited_answer_from_it(
    browser: Any, served: dict[str, Any], tmp_path: Path
) -> None:
    visit = Visit(browser, served["url"] + "?admin=1", DESKTOP)
    page = visit.page
    # before: the PDF's content is not known
    assert "refusal" in (visit.ask(PDF_QUESTION).get_attribute("class") or "")

    open_tab(page, "Administración")
    page.get_by_label("Contraseña del personal").fill("no-es")
    page.get_by_role("button", name="Entrar", exact=True).click()
    page.get_by_text("Contraseña incorrecta.").wait_for()
    page.get_by_label("Contraseña del personal").fill(PASSWORD)
    page.get_by_role("button", name="Entrar", exact=True).click()
    page.get_by_text("Administración abierta.").wait_for()

    upload = tmp_path / "Becas Lila 2025.pdf"
    upload.write_bytes(build_pdf(PDF_PAGES))
    with page.expect_file_chooser() as chooser:
        page.get_by_role("button", name="Elegir archivos para añadir…").click()
    chooser.value.set_files(str(upload))
    # the card comes from the document itself, for staff to check before adding it
    title = page.get_by_label("Título de Becas Lila 2025.pdf")
    title.wait_for(timeout=30_000)
    assert title.input_value() == PDF_TITLE
    assert page.get_by_label("Institución de Becas Lila 2025.pdf").input_value() == (
        "Gobierno del Estado de Colima"
    )
    page.get_by_label("Fecha (AAAA-MM-DD) de Becas Lila 2025.pdf").fill("2025-01-15")
    page.get_by_role("button", name="Añadir e indexar").click()
    page.get_by_text("ya se puede preguntar sobre él").wait_for(timeout=120_000)
    assert (served["corpus"] / "becas_lila_2025.pdf").read_bytes() == upload.read_bytes()
    visit.shot("escritorio-5-personal-subida")

    # the library lists it as indexed, with its card
    open_tab(page, "Documentos")
    library = page.locator("#library")
    row = library.get_by_role("row", name=PDF_TITLE)
    assert "indexado" in row.inner_text() and "\t1\t" in row.inner_text()
    assert "Gobierno del Estado de Colima\t2025-01-15\tprograma" in row.inner_text()
    visit.shot("escritorio-6-biblioteca")

    # answerable right away, cited, and the card opens the PDF at its page
    open_tab(page, "Conversación")
    answer = visit.ask(PDF_QUESTION)
    assert "answer" in (answer.get_attribute("class") or "")
    assert "2,750 pesos" in answer.locator(".answer-text").inner_text()
    card = answer.locator("li.card").first
    assert PDF_TITLE in card.inner_text() and "pp. 1-2" in card.inner_text()
    href = card.get_by_role("link", name="Abrir el documento completo").get_attribute("href")
    assert href is not None and href.endswith("#page=1")
    response = page.request.get(served["url"] + href.split("#")[0])
    assert response.headers["content-type"] == "application/pdf"
    assert response.body() == upload.read_bytes()

    # staff download the feedback and withdraw the document again
    open_tab(page, "Administración")
    page.get_by_role("button", name="Preparar CSV de opiniones").click()
    with page.expect_download() as csv_file:
        page.get_by_role("button", name="Descargar CSV de opiniones").click()
    assert Path(csv_file.value.path()).read_text(encoding="utf-8-sig").startswith("id,created")
    page.get_by_label("Documento", exact=True).click()
    page.get_by_role("option", name=f"{PDF_TITLE} (becas_lila_2025.pdf)").click()
    page.get_by_label("Sí, quiero retirarlo de la biblioteca").check()
    page.get_by_role("button", name="Retirar", exact=True).click()
    page.get_by_text(f"Se retiró «{PDF_TITLE}»").wait_for(timeout=120_000)
    assert not (served["corpus"] / "becas_lila_2025.pdf").exists()
    visit.close()
