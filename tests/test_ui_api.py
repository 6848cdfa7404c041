"""The chat window driven through its API with gradio_client, on a real server bound to
127.0.0.1 (hashing embedder, planted corpus: fast)."""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import httpx
import pytest

from assistant.answer import Citation, Draft, TokenSink
from assistant.core import Assistant, build_assistant
from evals.process import free_port
from index.indexing import IndexReport
from index.retrieval import Hit
from tests.conftest import PLANTED, make_settings

QUESTION = "¿Cuántos apoyos económicos otorgó el Programa Violeta?"


class SlowScript:
    """A generator that writes a fixed answer in pieces, pausing between them (a stand-in for a
    language model, to watch the window stream)."""

    PIECES = ("El Programa Violeta ", "otorgó 4,321 apoyos ", "económicos. [1]")

    def generate(
        self,
        question: str,
        hits: Sequence[Hit],
        history: Sequence[str],
        audience: str = "ciudadania",
        on_token: TokenSink | None = None,
    ) -> Draft:
        for piece in self.PIECES:
            if on_token:
                on_token(piece)
            time.sleep(0.6)
        quote = hits[0].chunk.text.split(". ")[0]
        return Draft("".join(self.PIECES), (Citation("1", hits[0].chunk, quote),), True)


@contextmanager
def serving(assistant: Assistant, report: IndexReport | None) -> Iterator[str]:
    """The window on a free port of 127.0.0.1, served from a thread; yields its URL."""
    import uvicorn

    from ui.app import build_app, create_server

    config = uvicorn.Config(
        create_server(build_app(assistant, report), assistant),
        host="127.0.0.1",
        port=free_port(),
        log_level="warning",
        timeout_graceful_shutdown=1,
    )
    running = uvicorn.Server(config)
    thread = threading.Thread(target=running.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 60
    while not running.started and time.monotonic() < deadline:
        time.sleep(0.1)
    assert running.started, "el servidor no arrancó"
    try:
        yield f"http://127.0.0.1:{config.port}/"
    finally:
        running.should_exit = True
        thread.join(timeout=10)


def planted_assistant(root: Path) -> tuple[Assistant, IndexReport | None]:
    corpus = root / "corpus"
    corpus.mkdir()
    for name, text in PLANTED.items():
        (corpus / name).write_text(text, encoding="utf-8")
    settings = make_settings(root / "store", [corpus])
    settings.ui.feedback_db = root / "opiniones.sqlite"
    settings.ui.staff_password = "clave-de-prueba"
    return build_assistant(settings)


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, Any]]:
    assistant, report = planted_assistant(tmp_path_factory.mktemp("api"))
    with serving(assistant, report) as url:
        yield {"url": url, "assistant": assistant}


@pytest.fixture
def client(server: dict[str, Any]) -> Iterator[Any]:
    from gradio_client import Client

    connected = Client(server["url"], verbose=False)
    yield connected
    connected.close()


def test_only_the_public_endpoints_are_offered(client: Any) -> None:
    endpoints = set(client.view_api(print_info=False, return_format="dict")["named_endpoints"])
    assert endpoints == {"/preguntar", "/nueva_conversacion", "/responder"}


def test_chat_answers_with_linked_sources_keeps_context_and_exports(
    client: Any, server: dict[str, Any]
) -> None:
    transcript, _examples, markdown, word = client.predict(
        QUESTION, "Ciudadanía", api_name="/preguntar"
    )
    assert "4,321 apoyos" in transcript
    assert '<a class="cite" href="#fuente-1-1"' in transcript
    assert '<li class="card" id="fuente-1-1"' in transcript and "<mark>" in transcript
    assert 'class="msg bot answer"' in transcript

    # a follow-up in the same session reads the earlier question
    transcript, *_ = client.predict("¿Y qué requisitos piden?", "Personal", api_name="/preguntar")
    assert transcript.count('<section class="turn"') == 2
    assert "identificación oficial" in transcript

    # the exports are served by the app and hold both questions and numbered references
    _, _, markdown, word = client.predict(
        "¿Capital de Francia?", "Ciudadanía", api_name="/preguntar"
    )
    for update in (markdown, word):
        assert update["interactive"] is True
    text = httpx.get(f"{server['url']}gradio_api/file={markdown['value']}").text
    assert "## Pregunta 2" in text and "**Pregunta** (Personal): ¿Y qué requisitos piden?" in text
    assert "**Respuesta:** (Los documentos no contienen la respuesta.)" in text
    assert "**Fuentes:**" in text and "- [1] Programa Violeta de Apoyo." in text
    docx = httpx.get(f"{server['url']}gradio_api/file={word['value']}").content
    assert docx[:2] == b"PK"  # a Word document is a zip file

    transcript, *_ = client.predict(api_name="/nueva_conversacion")[:1]
    assert "¿Qué quieres saber?" in transcript


def test_refusal_is_marked_as_such(client: Any) -> None:
    transcript, *_ = client.predict(
        "¿Cuál es la capital de Francia?", "Ciudadanía", api_name="/preguntar"
    )
    assert 'class="msg bot refusal"' in transcript and "No está en los documentos" in transcript


def test_json_endpoint_returns_the_answer_shape(client: Any) -> None:
    result = client.predict(QUESTION, [], "capacitacion", api_name="/responder")
    assert result["answered"] is True
    assert result["citations"][0]["source"] == "programa_violeta.md"
    follow = client.predict("¿Y los requisitos?", [QUESTION], "personal", api_name="/responder")
    assert follow["query"] != "¿Y los requisitos?"  # made standalone from the history


def test_document_route_over_http(server: dict[str, Any]) -> None:
    documents = server["assistant"].documents
    identifier = documents["programa_violeta.md"].doc_id
    page = httpx.get(f"{server['url']}documento/{identifier}?pasaje=0")
    assert page.status_code == 200 and '<mark id="pasaje">' in page.text
    assert "default-src 'none'" in page.headers["content-security-policy"]
    for bad in ("..%2F..%2Fetc%2Fpasswd", "0000000000000000", "programa_violeta.md"):
        assert httpx.get(f"{server['url']}documento/{bad}").status_code == 404
    assert httpx.get(f"{server['url']}documento/../../etc/passwd").status_code == 404


def test_the_neutral_page_of_the_quick_exit(server: dict[str, Any]) -> None:
    page = httpx.get(f"{server['url']}salida")
    assert page.status_code == 200 and "<h1>Agua de jamaica</h1>" in page.text
    assert page.headers["clear-site-data"] == '"cache", "storage"'
    assert page.headers["cache-control"] == "no-store"
    assert "default-src 'none'" in page.headers["content-security-policy"]
    # self-contained: nothing it loads, nothing that points back to the assistant
    assert "src=" not in page.text and "href=" not in page.text
    assert "asistente" not in page.text.lower() and "mujeres" not in page.text.lower()


def test_answers_stream_into_the_window_as_they_are_written(tmp_path: Path) -> None:
    from gradio_client import Client

    assistant, report = planted_assistant(tmp_path)
    assistant.generator = SlowScript()
    with serving(assistant, report) as url:
        client = Client(url, verbose=False)
        job = client.submit(QUESTION, "Ciudadanía", api_name="/preguntar")
        seen = [output[0] for output in job]
        client.close()
    written = [html.split('class="msg bot writing"')[1] for html in seen if "writing" in html]
    assert "Buscando en los documentos" in written[0]
    assert any("otorgó 4,321 apoyos" in html and "económicos" not in html for html in written)
    assert '<a class="cite" href="#fuente-1-1"' in seen[-1] and "pending" not in seen[-1]
