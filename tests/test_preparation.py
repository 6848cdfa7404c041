"""`asistente serve` opens the window at once and prepares the library behind it: answers come
from what is already stored, say that the library is still being prepared, and the window shows
how far it has gone. Indexing is held at a known point by an embedder that waits on an event
(the deterministic hashing embedder underneath), so nothing here depends on timing."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path
from typing import Any

import pytest

from assistant.core import Assistant, build_assistant
from evals.process import free_port
from index.embedding import Embedder, TextKind, Vectors
from tests.conftest import make_settings
from ui.window import Preparation, Window

# The first file holds more passages than one model call takes (index.indexing._EMBED_BATCH),
# so it is stored before the second file is read; the second waits at the gate.
LAW = "\n\n".join(
    f"Artículo {n}.- La Ley de Ejemplo dispone en su artículo {n} que las autoridades municipales "
    f"de Villa Ejemplo atenderán cada caso número {n} con personal capacitado, en un plazo de "
    f"{n} días hábiles, y darán aviso a la Procuraduría de la Defensa del Contribuyente de la "
    "región; el incumplimiento se sancionará conforme a los reglamentos municipales vigentes, "
    "sin perjuicio de las responsabilidades administrativas, civiles o penales que procedan. "
    "La autoridad llevará un registro público de cada atención y lo actualizará cada trimestre, "
    "con los datos desagregados por edad, municipio y tipo de servicio prestado a la persona."
    for n in range(1, 81)
)
FILES = {
    "a_ley_de_ejemplo.txt": LAW,
    "b_programa_violeta.md": (
        "# Programa Violeta\n\nEl Programa Violeta otorga becas de 3,000 pesos mensuales a "
        "mujeres jefas de familia que estudian el bachillerato en Zacatecas."
    ),
}
LAW_QUESTION = "¿En cuántos días hábiles atienden el caso número 7 en Villa Ejemplo?"
LATER_QUESTION = "¿De cuánto son las becas del Programa Violeta?"


class GatedEmbedder:
    """The hashing embedder, whose passage calls after the first `free` wait for `gate`."""

    def __init__(self, inner: Embedder, free: int = 1) -> None:
        self.inner, self.free, self.calls = inner, free, 0
        self.gate, self.waiting = threading.Event(), threading.Event()

    @property
    def name(self) -> str:
        return self.inner.name

    def embed(self, texts: Sequence[str], kind: TextKind) -> Vectors:
        if kind == "passage":
            self.calls += 1
            if self.calls > self.free:
                self.waiting.set()
                assert self.gate.wait(timeout=120), "the test never opened the gate"
        return self.inner.embed(texts, kind)


def _until(condition: Callable[[], bool], timeout: float = 60.0) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < deadline, "timed out"
        time.sleep(0.05)


@pytest.fixture
def gated(tmp_path: Path) -> tuple[Assistant, GatedEmbedder]:
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    for name, text in FILES.items():
        (corpus / name).write_text(text, encoding="utf-8")
    settings = make_settings(tmp_path / "store", [corpus])
    from assistant.core import build_embedder

    embedder = GatedEmbedder(build_embedder(settings.embedding))
    assistant, report = build_assistant(settings, index=False, embedder=embedder)  # type: ignore[arg-type]
    assert report is None and assistant.store.count() == 0
    return assistant, embedder


def _answer(window: Window, question: str) -> Any:
    *_, last = window.stream(question, [], window.assistant.settings.answer.audience)  # type: ignore[arg-type]
    return last.answer


def test_answers_during_preparation_use_what_is_stored_and_say_so(
    gated: tuple[Assistant, GatedEmbedder],
) -> None:
    assistant, embedder = gated
    window = Window(assistant)
    empty = _answer(window, LAW_QUESTION)  # an empty library answers, it does not fail
    assert not empty.answered and empty.notice == ""

    thread = window.prepare(refresh_every=0.0)
    assert embedder.waiting.wait(timeout=60)
    _until(lambda: "a_ley_de_ejemplo.txt" in assistant.documents)
    assert window.preparation == Preparation(1, 2)
    assert window.preparation.banner == "Preparando la biblioteca: 1 de 2 documentos"

    during = _answer(window, LAW_QUESTION)
    assert during.answered and "7 días hábiles" in during.text
    assert during.notice.startswith("La biblioteca todavía se está preparando (1 de 2 documentos)")
    assert during.to_json()["notice"] == during.notice
    not_yet = _answer(window, LATER_QUESTION)
    assert all(c.chunk.source != "b_programa_violeta.md" for c in not_yet.citations)

    embedder.gate.set()
    thread.join(timeout=60)
    assert not thread.is_alive() and window.preparation is None
    assert set(assistant.documents) == set(FILES)
    after = _answer(window, LATER_QUESTION)
    assert after.answered and "3,000 pesos" in after.text and after.notice == ""
    assert after.to_json()["notice"] is None


@pytest.fixture
def served_in_process(gated: tuple[Assistant, GatedEmbedder]) -> Iterator[dict[str, Any]]:
    """The window over the gated assistant, served by uvicorn on 127.0.0.1 in this process."""
    import uvicorn

    from tests.browser import require_browser
    from ui.app import build_app, create_server

    require_browser()
    assistant, embedder = gated
    app = build_app(assistant, prepare=True)
    port = free_port()
    server = uvicorn.Server(
        uvicorn.Config(
            create_server(app, assistant), host="127.0.0.1", port=port, log_level="warning"
        )
    )
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    _until(lambda: server.started)
    try:
        yield {"url": f"http://127.0.0.1:{port}/", "embedder": embedder}
    finally:
        embedder.gate.set()
        server.should_exit = True
        thread.join(timeout=30)


@pytest.mark.slow
def test_the_window_shows_the_preparation_and_answers_meanwhile(
    served_in_process: dict[str, Any],
) -> None:
    from tests.browser import DESKTOP, Visit, chromium

    embedder = served_in_process["embedder"]
    with chromium() as browser:
        visit = Visit(browser, served_in_process["url"], DESKTOP)
        page = visit.page
        banner = page.locator("#preparing")
        banner.get_by_text("Preparando la biblioteca: 1 de 2 documentos").wait_for(timeout=60_000)
        visit.shot("preparando-la-biblioteca")

        answer = visit.ask(LAW_QUESTION)
        notice = answer.locator(".notice")
        assert "todavía se está preparando (1 de 2 documentos)" in notice.inner_text()
        assert "7 días hábiles" in answer.locator(".answer-text").inner_text()

        embedder.gate.set()
        page.wait_for_function(
            "() => !document.querySelector('#preparing').innerText.includes('Preparando')",
            timeout=60_000,
        )
        later = visit.ask(LATER_QUESTION)
        assert "3,000 pesos" in later.locator(".answer-text").inner_text()
        assert later.locator(".notice").count() == 0
        assert visit.outside == []
