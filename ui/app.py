"""The chat window (Gradio): `build_app(assistant)` returns it without launching it;
`create_server` puts it behind the document route in one web application, and `serve` runs that.

Spanish throughout. Every event that changes the library checks the session's staff flag on the
server; hiding a panel is only for the eye."""

from __future__ import annotations

import os
from collections.abc import Iterator
from dataclasses import dataclass
from html import escape
from pathlib import Path
from typing import TYPE_CHECKING, Any

import gradio as gr

from assistant.audiences import AUDIENCES, audience_from_label, audience_label
from ui.conversation import Turn
from ui.documents import view_document
from ui.panel import Panel
from ui.quick_exit import BUTTON_ID, HIDE_JS, LABEL, LEAVE_JS, NEUTRAL_HEADERS, NEUTRAL_PAGE, ROUTE
from ui.render import render_transcript
from ui.staff import ADMIN_QUERY, shown_when_asked, staff_tab
from ui.style import CSS, HEAD, MONO_FONTS, PAGE_JS, SYSTEM_FONTS, TRANSCRIPT_JS
from ui.window import Window

if TYPE_CHECKING:
    from fastapi import FastAPI

    from assistant.core import Assistant
    from assistant.settings import Settings
    from index.indexing import IndexReport, Progress

TITLE = "Asistente sobre derechos de las mujeres"
HEADER = (
    '<header class="app-header"><h1>Asistente sobre derechos de las mujeres</h1>'
    "<p>Derechos, programas, servicios y convenios en México, con respuestas tomadas de "
    "documentos oficiales y sus fuentes a la vista.</p></header>"
)
# Staff reach their tab through this link (or the address itself); visitors never see the tab.
FOOTER = (
    f'<footer class="app-footer"><a href="?{ADMIN_QUERY}=1">Administración</a> '
    "(solo para el personal de la biblioteca)</footer>"
)
AUDIENCE_INFO = " · ".join(f"{a.label}: {a.style}" for a in AUDIENCES)
LIBRARY_INTRO = (
    "Estos son los documentos que el asistente consulta. Solo responde con lo que dicen; "
    "si un documento no se pudo leer, aparece con el motivo."
)
# Gradio's own labels follow the browser's language; a window in Spanish for everyone replaces
# the English ones that this window can show.
BUILTIN_SPANISH = {
    "upload_text.drop_file": "Arrastra el archivo aquí",
    "upload_text.click_to_upload": "Haz clic para elegirlo",
    "common.or": "o",
    "common.clear": "Limpiar",
    "common.upload": "Subir",
    "common.download": "Descargar",
    "common.loading": "Cargando",
    "common.remove": "Quitar",
    "common.empty": "Vacío",
    "file.uploading": "Subiendo…",
    "blocks.lost_connection": "Se perdió la conexión; reconectando…",
    "blocks.waiting_for_inputs": "Espera a que terminen de subirse los archivos.",
    "dropdown.dropdown": "Menú desplegable",
}


def theme() -> gr.themes.Base:
    """Default theme in violet with system fonts (nothing is fetched from font services)."""
    return gr.themes.Default(
        primary_hue=gr.themes.colors.violet,
        secondary_hue=gr.themes.colors.slate,
        neutral_hue=gr.themes.colors.gray,
        font=SYSTEM_FONTS,
        font_mono=MONO_FONTS,
    ).set(
        button_primary_background_fill="*primary_700",
        button_primary_background_fill_hover="*primary_800",
        button_primary_text_color="white",
        button_primary_background_fill_dark="*primary_500",
        body_text_color_subdued="*neutral_600",
        button_cancel_background_fill="#b91c1c",  # white text at 6.5:1
        button_cancel_background_fill_hover="#991b1b",
        button_cancel_text_color="white",
    )


def launch_options() -> dict[str, Any]:
    """What the app must be served with (Gradio 6 takes theme and CSS at launch)."""
    return {
        "theme": theme(),
        "css": CSS,
        "head": HEAD,
        "js": PAGE_JS,
        "footer_links": [],
        "run_history": False,  # conversations are not kept in the browser
        "show_error": False,
        "i18n": gr.I18n(en=BUILTIN_SPANISH),
    }


def answer_queue(settings: Settings) -> dict[str, Any]:
    """How the events that answer or re-index are queued: in one group, so that together they
    never exceed its limit. A language model writes one answer at a time (llama.cpp already
    keeps every core busy, and one model context serves one conversation). The extractive
    generator spends its time in torch and numpy, which let go of the interpreter while they
    compute, so one answer per core (up to 4) runs side by side and the rest wait their turn."""
    limit = 1 if settings.answer.generator == "llm" else max(1, min(os.cpu_count() or 1, 4))
    return {"concurrency_id": "asistente", "concurrency_limit": limit}


@dataclass
class Chat(Panel):
    """The components of the conversation tab that events read and write."""

    transcript: gr.HTML
    turns: gr.State
    votes: gr.State  # turn number -> (feedback row id, rating)
    commenting: gr.State  # turn whose comment box is open
    comment_box: gr.Group
    comment: gr.Textbox
    send_comment: gr.Button
    skip_comment: gr.Button
    question: gr.Textbox
    ask: gr.Button
    examples: gr.Column
    example_buttons: list[gr.Button]
    audience: gr.Radio
    new: gr.Button
    download_md: gr.DownloadButton
    download_docx: gr.DownloadButton

    @property
    def shown(self) -> list[Any]:
        """Every component an answer may change: the outputs of the answering events."""
        return [
            self.transcript,
            self.turns,
            self.question,
            self.examples,
            self.download_md,
            self.download_docx,
            self.comment_box,
        ]


def build_app(
    assistant: Assistant,
    report: IndexReport | None = None,
    prepare: bool = False,
    terminal: Progress | None = None,
) -> gr.Blocks:
    """The chat window for `assistant`; `report` is the last indexing run, whose failures the
    library tab lists. With `prepare`, the corpus is indexed behind the window, which says how
    far it has gone (`terminal` is the console's progress bar). Does not launch."""
    from gradio.utils import get_upload_folder

    # Exports are written inside Gradio's own file cache, which serves them as they are: no
    # copy of a conversation is left behind when the session forgets it.
    window = Window(assistant, report, Path(get_upload_folder()) / "asistente")
    app: gr.Blocks
    with gr.Blocks(title=TITLE, analytics_enabled=False, delete_cache=(3600, 3600)) as app:
        leave = gr.Button(LABEL, variant="stop", size="sm", elem_id=BUTTON_ID)
        gr.HTML(HEADER, js_on_load=None)
        preparing = gr.HTML(preparation_banner(window), js_on_load=None, elem_id="preparing")
        with gr.Tabs():
            with gr.Tab("Conversación", id="conversacion"):
                chat = conversation_tab(assistant.settings)
            with gr.Tab("Documentos", id="documentos"):
                gr.Markdown(LIBRARY_INTRO)
                library = gr.HTML(window.library(), js_on_load=None, elem_id="library")
            staff = (
                staff_tab(window, library, answer_queue(assistant.settings))
                if window.staff_enabled
                else None
            )
        if staff is not None:
            gr.HTML(FOOTER, js_on_load=None)
            app.load(shown_when_asked, None, staff.tab, api_visibility="private")
        wire_answers(chat, window)
        wire_restart(chat, assistant.settings)
        wire_feedback(chat, window)
        wire_exit(chat, window, leave)
        app.load(window.library, None, library, api_visibility="private")
        wire_preparation(window, preparing, library, active=prepare)
        wire_api(window)
    if prepare:
        window.prepare(terminal)
    return app


def preparation_banner(window: Window) -> str:
    """The line under the header while the library is being prepared; nothing once ready."""
    preparation = window.preparation
    if preparation is None:
        return ""
    return f'<p class="preparing" role="status">{escape(preparation.banner)}</p>'


def wire_preparation(window: Window, banner: gr.HTML, library: gr.HTML, active: bool) -> None:
    """While the first indexing runs, the banner and the library tab follow it every second;
    the timer stops once the library is ready."""
    timer = gr.Timer(1.0, active=active)

    def tick() -> tuple[str, str, gr.Timer]:
        preparing = window.preparation is not None
        return preparation_banner(window), window.library(), gr.Timer(active=preparing)

    timer.tick(
        tick,
        None,
        [banner, library, timer],
        show_progress="hidden",
        queue=False,
        api_visibility="private",
    )


def conversation_tab(settings: Settings) -> Chat:
    """The conversation: transcript, comment box, question, examples, audience, downloads."""
    transcript = gr.HTML(
        render_transcript([]), js_on_load=TRANSCRIPT_JS, elem_id="transcript", label="Conversación"
    )
    comment_box, comment, send_comment, skip_comment = _comment_box()
    with gr.Row(equal_height=True, elem_id="ask-row"):
        question = gr.Textbox(
            label="Tu pregunta",
            placeholder="Escribe tu pregunta",
            lines=1,
            max_lines=5,
            scale=5,
            min_width=180,
            elem_id="question",
            autofocus=True,
        )
        ask = gr.Button("Preguntar", variant="primary", scale=1, min_width=100, elem_id="ask")
    with gr.Column(visible=bool(settings.ui.examples), elem_id="examples") as examples:
        gr.Markdown("**¿No sabes por dónde empezar? Prueba con un ejemplo:**")
        example_buttons = [
            gr.Button(text, size="sm", variant="secondary") for text in settings.ui.examples
        ]
    with gr.Row():
        audience = gr.Radio(
            [a.label for a in AUDIENCES],
            value=audience_label(settings.answer.audience),
            label="Respuestas pensadas para",
            info=AUDIENCE_INFO,
            elem_id="audience",
            scale=3,
            min_width=280,
        )
        new = gr.Button(
            "Nueva conversación", variant="secondary", scale=1, min_width=160, elem_id="new"
        )
    download_md, download_docx = _downloads()
    return Chat(
        transcript,
        gr.State([]),
        gr.State({}),
        gr.State(0),
        comment_box,
        comment,
        send_comment,
        skip_comment,
        question,
        ask,
        examples,
        example_buttons,
        audience,
        new,
        download_md,
        download_docx,
    )


def _comment_box() -> tuple[gr.Group, gr.Textbox, gr.Button, gr.Button]:
    """The optional comment asked for after a vote, hidden until then."""
    with gr.Group(visible=False) as box:
        comment = gr.Textbox(
            label="Comentario sobre la respuesta (opcional)",
            placeholder="¿Qué faltó o qué estuvo mal? No escribas datos personales.",
            lines=2,
            max_lines=6,
            elem_id="comment",
        )
        with gr.Row():
            send = gr.Button("Enviar comentario", size="sm")
            skip = gr.Button("Cerrar", size="sm", variant="secondary")
    return box, comment, send, skip


def _downloads() -> tuple[gr.DownloadButton, gr.DownloadButton]:
    """The conversation as Markdown and as Word, offered once there is an answer."""
    with gr.Row():
        markdown, word = (
            gr.DownloadButton(
                f"Descargar conversación ({name})",
                interactive=False,
                variant="secondary",
                min_width=240,
                elem_id=f"download-{suffix}",
            )
            for name, suffix in (("Markdown", "md"), ("Word", "docx"))
        )
    return markdown, word


def wire_answers(chat: Chat, window: Window) -> None:
    """Asking, by the button, by Enter or by an example: each streams the answer into the
    transcript, then offers the conversation's downloads."""

    def respond(
        text: str,
        audience_label: str,
        history: list[Turn],
        voted: dict[int, Any],
        request: gr.Request,
    ) -> Iterator[dict[Any, Any]]:
        text = (text or "").strip()
        if not text:
            yield {}
            return
        chosen = audience_from_label(audience_label)
        ratings = _ratings(voted)
        pending = render_transcript(history, ratings, pending=text)
        yield chat.view(transcript=pending, question="", examples=gr.update(visible=False))
        try:
            for partial in window.stream(text, history, chosen):
                if partial.answer is None:
                    html = render_transcript(history, ratings, text, partial.text, partial.guidance)
                    yield chat.view(transcript=html)
                    continue
                updated = [*history, Turn(text, partial.answer, chosen)]
                md, docx = window.export(updated, request.session_hash or "sesion")
                yield chat.view(
                    transcript=render_transcript(updated, ratings),
                    turns=updated,
                    comment_box=gr.update(visible=False),
                    download_md=gr.update(value=str(md), interactive=True),
                    download_docx=gr.update(value=str(docx), interactive=True),
                )
        except Exception as error:  # noqa: BLE001 - the reader gets a message, not a trace
            gr.Warning(f"No se pudo responder: {error}")
            yield chat.view(transcript=render_transcript(history, ratings), question=text)

    queued = answer_queue(window.assistant.settings)
    triggers: list[tuple[Any, Any, dict[str, Any]]] = [
        (chat.ask.click, chat.question, {"api_name": "preguntar"}),
        (chat.question.submit, chat.question, {"api_visibility": "private"}),
    ]
    triggers += [(b.click, b, {"api_visibility": "private"}) for b in chat.example_buttons]
    for trigger, asked, api in triggers:
        trigger(
            respond,
            [asked, chat.audience, chat.turns, chat.votes],
            chat.shown,
            show_progress="hidden",
            **api,
            **queued,
        )


def _empty(chat: Chat, settings: Settings) -> dict[Any, Any]:
    """The conversation tab as it starts: an empty transcript, no votes, no downloads."""
    return chat.view(
        transcript=render_transcript([]),
        turns=[],
        votes={},
        question="",
        examples=gr.update(visible=bool(settings.ui.examples)),
        download_md=gr.update(value=None, interactive=False),
        download_docx=gr.update(value=None, interactive=False),
        comment_box=gr.update(visible=False),
        commenting=0,
    )


def wire_restart(chat: Chat, settings: Settings) -> None:
    """«Nueva conversación»: the tab as it starts."""
    outputs = [*chat.shown, chat.votes, chat.commenting]
    chat.new.click(lambda: _empty(chat, settings), None, outputs, api_name="nueva_conversacion")


def wire_exit(chat: Chat, window: Window, leave: gr.Button) -> None:
    """«Salida rápida» (see ui/quick_exit.py): the page blanks at once; the server forgets
    the session's conversation, votes and exports; then the neutral page replaces this one."""
    settings = window.assistant.settings

    def forget(request: gr.Request) -> dict[Any, Any]:
        window.forget(request.session_hash or "sesion")
        return _empty(chat, settings)

    outputs = [*chat.shown, chat.votes, chat.commenting]
    leave.click(
        forget, None, outputs, js=HIDE_JS, queue=False, show_progress="hidden",
        api_visibility="private",
    ).then(None, js=LEAVE_JS, api_visibility="private")  # fmt: skip


def wire_feedback(chat: Chat, window: Window) -> None:
    """Votes on an answer (from the transcript's buttons) and the optional comment after one."""

    def rate(history: list[Turn], voted: dict[int, Any], evt: gr.EventData) -> dict[Any, Any]:
        number = int(getattr(evt, "turn", 0) or 0)
        rating = str(getattr(evt, "value", ""))
        if not 1 <= number <= len(history) or rating not in ("up", "down"):
            return {}
        turn = history[number - 1]
        previous = voted.get(number)
        if previous:
            window.feedback.rate(previous[0], rating)
            row = previous[0]
        else:
            row = window.feedback.record(turn.answer, rating, turn.audience)
        voted = {**voted, number: (row, rating)}
        return chat.view(
            transcript=render_transcript(history, _ratings(voted)),
            votes=voted,
            comment_box=gr.update(visible=True),
            comment=gr.update(value="", label=f"Comentario sobre la respuesta {number} (opcional)"),
            commenting=number,
        )

    chat.transcript.feedback(
        rate,
        [chat.turns, chat.votes],
        [chat.transcript, chat.votes, chat.comment_box, chat.comment, chat.commenting],
        api_visibility="private",
    )

    def save_comment(text: str, number: int, voted: dict[int, Any]) -> dict[Any, Any]:
        if number in voted and text.strip():
            window.feedback.comment(voted[number][0], text)
            gr.Info("Comentario guardado. ¡Gracias!")
        return chat.view(comment_box=gr.update(visible=False), comment="", commenting=0)

    closing = [chat.comment_box, chat.comment, chat.commenting]
    chat.send_comment.click(
        save_comment, [chat.comment, chat.commenting, chat.votes], closing, api_visibility="private"
    )
    chat.skip_comment.click(
        lambda: chat.view(comment_box=gr.update(visible=False), commenting=0),
        None,
        closing,
        api_visibility="private",
    )


def wire_api(window: Window) -> None:
    """The JSON API other tools call: one question in, `Answer.to_json()` out."""
    assistant = window.assistant

    def answer_json(pregunta: str, historial: list[str], audiencia: str) -> dict[str, Any]:
        """Responde una pregunta con citas (JSON de Answer.to_json())."""
        chosen = audience_from_label(audiencia, assistant.settings.answer.audience)
        with window.lock.reading():
            answer = window.noted(assistant.answer(pregunta, historial, audience=chosen))
        return answer.to_json()

    gr.api(  # type: ignore[attr-defined]
        answer_json, api_name="responder", **answer_queue(assistant.settings)
    )


def _ratings(voted: dict[int, Any]) -> dict[int, str]:
    return {number: rating for number, (_, rating) in voted.items()}


def create_server(app: gr.Blocks, assistant: Assistant) -> FastAPI:
    """One web application: the document route of `assistant`'s library, then the chat window
    at `/`."""
    from fastapi import FastAPI, Query
    from fastapi.responses import Response

    server = FastAPI(docs_url=None, redoc_url=None, openapi_url=None)

    @server.get(f"/{ROUTE}")
    def neutral_page() -> Response:
        return Response(NEUTRAL_PAGE, 200, NEUTRAL_HEADERS, "text/html; charset=utf-8")

    @server.get("/documento/{doc_id}")
    def document(doc_id: str, pasaje: int | None = Query(None)) -> Response:  # noqa: B008
        view = view_document(
            assistant.documents,
            assistant.settings.corpus.dirs,
            assistant.retriever.chunks,
            doc_id,
            pasaje,
        )
        return Response(view.body, view.status, view.headers, view.media_type)

    max_mb = assistant.settings.ui.max_upload_mb
    mounted: FastAPI = gr.mount_gradio_app(
        server, app, path="/", max_file_size=f"{max_mb}mb", **launch_options()
    )
    return mounted


def serve(app: gr.Blocks, assistant: Assistant, host: str = "127.0.0.1", port: int = 7860) -> None:
    """Run the window until interrupted."""
    import uvicorn

    uvicorn.run(create_server(app, assistant), host=host, port=port, log_level="warning")
