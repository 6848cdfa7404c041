"""The window as its users meet it (issue 16), in Debian's chromium at 1280×900 and 375×812 on a
running `asistente serve` over the seed corpus: the quick exit, the question box within reach
after every answer, trainer headings and lists (on the screen and in the exports), staff
uploads with cards inferred from the documents and Spanish refusals, and an axe-core audit of
the main states. Screenshots go to tests/artifacts/screenshots/."""

from __future__ import annotations

import io
import re
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.browser import (
    DESKTOP,
    PASSWORD,
    PHONE,
    SCREENSHOTS,
    Visit,
    chromium,
    open_tab,
    publish_screenshot,
    require_browser,
    serious_violations,
    serving,
)
from tests.conftest import SEED_CORPUS
from tests.test_upload_metadata import NOTE, RELEASE

pytestmark = pytest.mark.slow

QUESTION = "¿Qué institución otorga el crédito Mujer Libertad?"
LIST_QUESTION = "¿Qué acciones realizó el INMUJERES en 2023?"
REPORT_TITLE = "Instituto Nacional de las Mujeres: acciones y resultados 2023"
REFUSED = "¿Cuál es la capital de Francia?"
DANGER = "mi pareja me esta golpeando y tengo miedo de que me mate"
MAX_UPLOAD_MB = 1


@pytest.fixture(scope="module")
def served(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, Any]]:
    require_browser()
    root = tmp_path_factory.mktemp("ventana")
    corpus = root / "corpus"
    shutil.copytree(SEED_CORPUS, corpus)
    with serving(root, corpus, {"ASISTENTE_UI__MAX_UPLOAD_MB": str(MAX_UPLOAD_MB)}) as served:
        yield served


@pytest.fixture(scope="module")
def browser(served: dict[str, Any]) -> Iterator[Any]:
    with chromium() as launched:
        yield launched


def in_view(page: Any, selector: str) -> bool:
    """Whether the element is wholly inside the viewport."""
    return bool(
        page.evaluate(
            """(selector) => { const r = document.querySelector(selector).getBoundingClientRect();
                return r.top >= 0 && r.left >= 0 && r.bottom <= innerHeight
                    && r.right <= innerWidth; }""",
            selector,
        )
    )


def exported(served: dict[str, Any]) -> set[Path]:
    return set(served["gradio"].glob("asistente/**/conversacion.*"))


@pytest.mark.parametrize(("viewport", "how"), [(PHONE, "botón"), (DESKTOP, "Esc Esc")])
def test_quick_exit_leaves_nothing_behind(
    browser: Any, served: dict[str, Any], viewport: dict[str, int], how: str
) -> None:
    visit = Visit(browser, served["url"], viewport)
    page = visit.page
    before = exported(served)
    visit.ask(QUESTION)
    files = exported(served) - before
    assert files, "la respuesta no dejó su exportación"
    page.evaluate(
        "() => { localStorage.setItem('prueba', '1'); sessionStorage.setItem('p', '1'); }"
    )
    # always on screen, wherever the page is scrolled
    page.evaluate("window.scrollTo(0, document.body.scrollHeight)")
    assert in_view(page, "#salida")
    if how == "botón":
        page.get_by_role("button", name="Salida rápida").click()
    else:
        page.get_by_label("Tu pregunta").click()
        page.keyboard.press("Escape")
        page.keyboard.press("Escape")
    page.wait_for_url("**/salida", timeout=10_000)
    assert page.locator("h1").inner_text() == "Agua de jamaica"
    assert page.title() == "Recetas de casa"
    assert page.evaluate("localStorage.length + sessionStorage.length") == 0
    assert QUESTION not in page.content()
    assert not any(path.exists() for path in files), "quedó la conversación exportada"
    # the back button does not bring the conversation back
    page.go_back()
    page.wait_for_timeout(500)
    assert "salida" in page.url or page.url == "about:blank"
    assert QUESTION not in page.content()
    assert QUESTION not in served["log"].read_text(encoding="utf-8", errors="replace")
    visit.close()


@pytest.mark.parametrize("viewport", [PHONE, DESKTOP], ids=["375", "1280"])
def test_the_question_box_stays_within_reach(
    browser: Any, served: dict[str, Any], viewport: dict[str, int]
) -> None:
    visit = Visit(browser, served["url"], viewport)
    page = visit.page
    # first screen: the question box and «Preguntar» without scrolling
    assert in_view(page, "#question textarea") and in_view(page, "#ask")
    phone = viewport == PHONE
    for number, question in enumerate((QUESTION, LIST_QUESTION), start=1):
        answer = visit.ask(question, press_enter=number == 1)
        page.wait_for_function(
            "document.activeElement && document.activeElement.closest('#question') !== null"
        )
        page.wait_for_timeout(300)
        assert in_view(page, "#question textarea") and in_view(page, "#ask")
        sources = answer.locator("details.sources")
        # on a phone the source cards fold behind «Fuentes (n)»
        assert sources.evaluate("d => d.open") is (not phone)
        assert re.fullmatch(r"Fuentes \(\d+\)", sources.locator("summary").inner_text())
        # the answer reads from its start
        assert (
            page.evaluate(
                "n => document.querySelector('#turno-' + n).getBoundingClientRect().top", number
            )
            < viewport["height"] / 2
        )
    if phone:
        page.screenshot(path=str(SCREENSHOTS / "movil-pregunta-siempre-a-mano.png"))
        publish_screenshot(SCREENSHOTS / "movil-pregunta-siempre-a-mano.png", "movil-respuesta.png")
        sources.locator("summary").click()
        assert answer.locator("li.card").first.is_visible()
    assert page.evaluate("document.documentElement.scrollWidth") <= viewport["width"]
    visit.close()


def test_trainer_headings_and_lists_on_screen_and_in_the_exports(
    browser: Any, served: dict[str, Any]
) -> None:
    from docx import Document as WordDocument

    visit = Visit(browser, served["url"], DESKTOP)
    page = visit.page
    page.get_by_role("radio", name="Capacitación").check()
    trainer = visit.ask(LIST_QUESTION)
    heading = trainer.locator("h3.answer-heading").first
    assert heading.inner_text() == REPORT_TITLE
    assert trainer.locator(".answer-text ul.bulleted > li").count() >= 3
    assert "## " not in trainer.locator(".answer-text").inner_text()
    page.get_by_role("radio", name="Personal").check()
    personal = visit.ask(LIST_QUESTION)
    items = personal.locator(".answer-text ul.bulleted > li")
    assert items.count() >= 3  # a list in «Personal» too, one item each
    screen = [page.locator(f"#turno-{n} .answer-text a.cite").all_inner_texts() for n in (1, 2)]
    assert screen[1][0] == "[1]"  # each turn starts again at [1]

    with page.expect_download() as markdown:
        page.get_by_role("button", name="Descargar conversación (Markdown)").click()
    text = Path(markdown.value.path()).read_text(encoding="utf-8")
    assert f"\n### {REPORT_TITLE}\n" in text and "\n## Pregunta 2\n" in text
    assert "\n- El INMUJERES" in text and "\\-" not in text
    for number, turn in enumerate(text.split("\n## Pregunta ")[1:]):
        answer_part = turn.split("**Respuesta:**")[1].split("**Fuentes:**")[0]
        assert re.findall(r"\[\d+\]", answer_part) == screen[number]  # numbered as on screen
        sources = turn.split("**Fuentes:**")[1]
        assert sources.lstrip().startswith("- [1] ")
    with page.expect_download() as word:
        page.get_by_role("button", name="Descargar conversación (Word)").click()
    document = WordDocument(io.BytesIO(Path(word.value.path()).read_bytes()))
    styled = [(p.style.name, p.text) for p in document.paragraphs]
    assert ("Heading 2", "Pregunta 2") in styled and ("Heading 3", REPORT_TITLE) in styled
    assert sum(1 for style, _ in styled if style == "List Bullet") >= 6
    visit.shot("escritorio-capacitacion")
    visit.close()


def choose_files(page: Any, paths: list[Path]) -> None:
    with page.expect_file_chooser() as chooser:
        page.get_by_role("button", name="Elegir archivos para añadir…").click()
    chooser.value.set_files([str(p) for p in paths])


def test_uploads_get_cards_from_their_documents_and_spanish_refusals(
    browser: Any, served: dict[str, Any], tmp_path: Path
) -> None:
    folder = tmp_path / "escritorio"
    folder.mkdir()
    (folder / "nota_iztapalapa.txt").write_text(NOTE, encoding="utf-8")
    (folder / "boletin_juarez.txt").write_text(RELEASE, encoding="utf-8")
    (folder / "instalador.exe").write_bytes(b"MZ\x90\x00" + bytes(200))
    (folder / "enorme.txt").write_text("Texto de relleno. " * 70_000, encoding="utf-8")
    visit = Visit(browser, served["url"] + "?admin=1", DESKTOP)
    page = visit.page
    open_tab(page, "Administración")
    page.get_by_label("Contraseña del personal").fill(PASSWORD)
    page.get_by_role("button", name="Entrar", exact=True).click()
    page.get_by_text("Administración abierta.").wait_for()

    # too large: refused in Spanish by the browser before anything is sent
    choose_files(page, [folder / "enorme.txt"])
    page.get_by_text("No se subió").wait_for(timeout=30_000)
    assert f"pesa más que el máximo permitido ({MAX_UPLOAD_MB:.1f} MB)" in page.inner_text("body")

    page.evaluate(
        """() => { window.progressSeen = [];
            new MutationObserver(() => {
              for (const m of document.body.innerText.matchAll(/Indexando[^\\n%]*/g))
                if (!window.progressSeen.includes(m[0])) window.progressSeen.push(m[0]);
            }).observe(document.body, {childList: true, subtree: true, characterData: true}); }"""
    )
    choose_files(
        page, [folder / n for n in ("instalador.exe", "nota_iztapalapa.txt", "boletin_juarez.txt")]
    )
    check = page.locator("#upload-check")
    check.get_by_text("Revisa la ficha de cada documento").wait_for(timeout=30_000)
    assert "instalador.exe: solo se aceptan archivos PDF, TXT, MD" in check.inner_text()
    body = page.inner_text("body")
    assert "Invalid file" not in body and "exceed" not in body
    assert page.get_by_label("Institución de nota_iztapalapa.txt").input_value() == (
        "Secretaría de las Mujeres de la Ciudad de México"
    )
    assert page.get_by_label("Fecha (AAAA-MM-DD) de nota_iztapalapa.txt").input_value() == (
        "2024-03-15"
    )
    assert page.get_by_label("Título de boletin_juarez.txt").input_value() == (
        "Instala IMM Ventanilla Violeta en Ciudad Juárez"
    )
    page.get_by_label("Institución de boletin_juarez.txt").fill(
        "Instituto Municipal de las Mujeres de Ciudad Juárez"
    )
    visit.shot("escritorio-administracion-fichas")
    page.get_by_role("button", name="Añadir e indexar").click()
    result = page.locator("#add-message")
    result.get_by_text("ya se puede preguntar").first.wait_for(timeout=120_000)
    assert result.inner_text().count("ya se puede preguntar") == 2
    seen = page.evaluate("window.progressSeen")
    # counted in uploaded documents (Gradio adds the percentage, as " - 50.0" or, in the
    # status tracker, ": 50"), never naming other files
    counted = re.compile(r"Indexando [12] de 2 documentos(?:(?: -|:) [\d.]+)?")
    assert seen and all(counted.fullmatch(line.strip()) for line in seen), seen

    # a new choice clears the previous result
    choose_files(page, [folder / "instalador.exe"])
    check.get_by_text("instalador.exe: solo se aceptan").wait_for()
    assert result.inner_text().strip() == ""

    open_tab(page, "Documentos")
    row = page.locator("#library").get_by_role("row", name="Nota informativa: Jornada de atención")
    assert "Secretaría de las Mujeres de la Ciudad de México\t2024-03-15\tnota informativa" in (
        row.inner_text()
    )
    manifest = (served["corpus"] / "manifest.toml").read_text(encoding="utf-8")
    assert 'institution = "Instituto Municipal de las Mujeres de Ciudad Juárez"' in manifest
    visit.close()


@pytest.mark.parametrize("viewport", [DESKTOP, PHONE], ids=["1280", "375"])
def test_a_woman_in_danger_sees_911_then_only_services(
    browser: Any, served: dict[str, Any], viewport: dict[str, int]
) -> None:
    """The crisis box opens with 911 and lists only services: never the seeds' program for
    migrant women's entrepreneurship in Tapachula that used to be listed to «me pega mi
    pareja a donde llamo»."""
    visit = Visit(browser, served["url"], viewport)
    message = visit.ask("me pega mi pareja a donde llamo")
    crisis = message.locator(".crisis")
    crisis.wait_for()
    text = crisis.inner_text()
    assert "911" in text.split("\n")[0] or text.index("911") < 120, text
    for unrelated in ("Tapachula", "emprend", "hago envío"):
        assert unrelated not in text, (unrelated, text)
    visit.close()


@pytest.mark.parametrize("viewport", [DESKTOP, PHONE], ids=["1280", "375"])
def test_no_serious_accessibility_violations(
    browser: Any, served: dict[str, Any], viewport: dict[str, int]
) -> None:
    """axe-core (from npm, tests/axe/) on the main states: start, answer, refusal, crisis,
    library and staff (the last two at desktop width, where their tables and forms are)."""
    visit = Visit(browser, served["url"] + "?admin=1", viewport)
    page = visit.page
    found: dict[str, list[str]] = {"inicio": serious_violations(page)}
    visit.ask(QUESTION)
    found["respuesta"] = serious_violations(page)
    visit.ask(REFUSED)
    found["rechazo"] = serious_violations(page)
    crisis = visit.ask(DANGER)
    found["crisis"] = serious_violations(page)
    if viewport == PHONE:
        crisis.locator(".crisis").scroll_into_view_if_needed()
        page.evaluate("window.scrollBy(0, -80)")
        page.screenshot(path=str(SCREENSHOTS / "movil-crisis.png"))
        publish_screenshot(SCREENSHOTS / "movil-crisis.png", "movil-crisis.png")
    else:
        open_tab(page, "Documentos")
        found["biblioteca"] = serious_violations(page)
        open_tab(page, "Administración")
        page.get_by_label("Contraseña del personal").fill(PASSWORD)
        page.get_by_role("button", name="Entrar", exact=True).click()
        page.get_by_text("Administración abierta.").wait_for()
        choose_files(page, [SEED_CORPUS / "manifest.toml"])  # a refusal
        page.locator("#upload-check").get_by_text("solo se aceptan").wait_for(timeout=30_000)
        found["administracion"] = serious_violations(page)
    assert not any(found.values()), found
    visit.close()
