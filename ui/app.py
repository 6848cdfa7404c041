"""The chat window (Gradio): `build_app(assistant)` returns it without launching it;
`create_server` puts it behind the document route in one web application, and `serve` runs that.

Spanish throughout. Every event that changes the library checks the session's staff flag on the
server; hiding a panel is only for the eye."""

from __future__ import annotations

import os
import time
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any

import gradio as gr

from assistant.answer import Audience
from ui.conversation import AUDIENCES, Turn
from ui.documents import view_document
from ui.library import UPLOAD_SUFFIXES
from ui.render import render_transcript
from ui.style import CSS, HEAD, MONO_FONTS, PAGE_JS, SYSTEM_FONTS, TRANSCRIPT_JS
from ui.window import Upload, Window, progress_bridge

if TYPE_CHECKING:
    from fastapi import FastAPI

    from assistant.core import Assistant
    from assistant.settings import Settings
    from index.indexing import IndexReport

TITLE = "Asistente sobre derechos de las mujeres"
HEADER = (
    '<header class="app-header"><h1>Asistente sobre derechos de las mujeres</h1>'
    "<p>Derechos, programas, servicios y convenios en México, con respuestas tomadas de "
    "documentos oficiales y sus fuentes a la vista.</p></header>"
)
AUDIENCE_INFO = (
    "Ciudadanía: lenguaje sencillo · Personal: cifras, nombres y fechas precisos · "
    "Capacitación: resumen ordenado para talleres"
)
LIBRARY_INTRO = (
    "Estos son los documentos que el asistente consulta. Solo responde con lo que dicen; "
    "si un documento no se pudo leer, aparece con el motivo."
)
NOT_STAFF = "Primero entra con la contraseña del personal."
# Gradio's own labels follow the browser's language; a window in Spanish for everyone replaces
# the English ones that this window can show.
BUILTIN_SPANISH = {
    "upload_text.drop_file": "Arrastra el archivo aquí",
    "upload_text.click_to_upload": "Haz clic para elegirlo",
    "common.or": "o",
    "common.clear": "Limpiar",
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


def build_app(assistant: Assistant, report: IndexReport | None = None) -> gr.Blocks:
    """The chat window for `assistant`; `report` is the last indexing run, whose failures the
    library tab lists. Does not launch."""
    window = Window(assistant, report)
    settings = assistant.settings
    queued = answer_queue(settings)
    app: gr.Blocks
    with gr.Blocks(title=TITLE, analytics_enabled=False, delete_cache=(3600, 3600)) as app:
        turns = gr.State([])
        votes = gr.State({})  # turn number -> (feedback row id, rating)
        commenting = gr.State(0)  # turn whose comment box is open

        gr.HTML(HEADER, js_on_load=None)
        with gr.Tabs():
            with gr.Tab("Conversación", id="conversacion"):
                transcript = gr.HTML(
                    render_transcript([]),
                    js_on_load=TRANSCRIPT_JS,
                    elem_id="transcript",
                    label="Conversación",
                )
                with gr.Group(visible=False) as comment_box:
                    comment = gr.Textbox(
                        label="Comentario sobre la respuesta (opcional)",
                        placeholder="¿Qué faltó o qué estuvo mal? No escribas datos personales.",
                        lines=2,
                        max_lines=6,
                        elem_id="comment",
                    )
                    with gr.Row():
                        send_comment = gr.Button("Enviar comentario", size="sm")
                        skip_comment = gr.Button("Cerrar", size="sm", variant="secondary")
                with gr.Row(equal_height=True):
                    question = gr.Textbox(
                        label="Tu pregunta",
                        placeholder="Escribe tu pregunta",
                        lines=1,
                        max_lines=5,
                        scale=5,
                        min_width=260,
                        elem_id="question",
                        autofocus=True,
                    )
                    ask = gr.Button(
                        "Preguntar", variant="primary", scale=1, min_width=110, elem_id="ask"
                    )
                with gr.Column(visible=bool(settings.ui.examples), elem_id="examples") as examples:
                    gr.Markdown("**¿No sabes por dónde empezar? Prueba con un ejemplo:**")
                    example_buttons = [
                        gr.Button(text, size="sm", variant="secondary")
                        for text in settings.ui.examples
                    ]
                with gr.Row():
                    audience = gr.Radio(
                        list(AUDIENCES),
                        value=_audience_label(settings.answer.audience),
                        label="Respuestas pensadas para",
                        info=AUDIENCE_INFO,
                        elem_id="audience",
                        scale=3,
                        min_width=280,
                    )
                    new = gr.Button(
                        "Nueva conversación",
                        variant="secondary",
                        scale=1,
                        min_width=160,
                        elem_id="new",
                    )
                with gr.Row():
                    download_md = gr.DownloadButton(
                        "Descargar conversación (Markdown)",
                        interactive=False,
                        variant="secondary",
                        min_width=240,
                        elem_id="download-md",
                    )
                    download_docx = gr.DownloadButton(
                        "Descargar conversación (Word)",
                        interactive=False,
                        variant="secondary",
                        min_width=240,
                        elem_id="download-docx",
                    )

            with gr.Tab("Documentos", id="documentos"):
                gr.Markdown(LIBRARY_INTRO)
                library = gr.HTML(window.library(), js_on_load=None, elem_id="library")

            if window.staff_enabled:
                staff_tab(window, library)

        # --- conversation -------------------------------------------------------------------

        def respond(
            text: str,
            audience_label: str,
            history: list[Turn],
            voted: dict[int, Any],
            request: gr.Request,
        ) -> Iterator[tuple[Any, ...]]:
            text = (text or "").strip()
            if not text:
                yield _keep(7)
                return
            chosen: Audience = AUDIENCES.get(audience_label, "ciudadania")  # type: ignore[assignment]
            pending = render_transcript(history, _ratings(voted), pending=text)
            yield (pending, history, "", gr.update(visible=False), gr.skip(), gr.skip(), gr.skip())
            answer = None
            try:
                for partial, answer in window.stream(text, history, chosen):
                    if answer is None:
                        html = render_transcript(history, _ratings(voted), text, partial)
                        yield (html, history, gr.skip(), gr.skip(), gr.skip(), gr.skip(), gr.skip())
            except Exception as error:  # noqa: BLE001 - the reader gets a message, not a trace
                gr.Warning(f"No se pudo responder: {error}")
                yield (
                    render_transcript(history, _ratings(voted)),
                    history,
                    text,
                    gr.skip(),
                    gr.skip(),
                    gr.skip(),
                    gr.skip(),
                )
                return
            assert answer is not None
            updated = [*history, Turn(text, answer, chosen)]
            md, docx = window.export(updated, request.session_hash or "sesion")
            yield (
                render_transcript(updated, _ratings(voted)),
                updated,
                gr.skip(),
                gr.update(visible=False),
                gr.update(value=str(md), interactive=True),
                gr.update(value=str(docx), interactive=True),
                gr.skip(),
            )

        chat_outputs = [
            transcript,
            turns,
            question,
            examples,
            download_md,
            download_docx,
            comment_box,
        ]
        ask.click(
            respond,
            [question, audience, turns, votes],
            chat_outputs,
            api_name="preguntar",
            **queued,
            show_progress="hidden",
        )
        question.submit(
            respond,
            [question, audience, turns, votes],
            chat_outputs,
            api_visibility="private",
            **queued,
            show_progress="hidden",
        )
        for button in example_buttons:
            button.click(
                respond,
                [button, audience, turns, votes],
                chat_outputs,
                api_visibility="private",
                **queued,
                show_progress="hidden",
            )

        def restart() -> tuple[Any, ...]:
            return (
                render_transcript([]),
                [],
                {},
                "",
                gr.update(visible=bool(settings.ui.examples)),
                gr.update(value=None, interactive=False),
                gr.update(value=None, interactive=False),
                gr.update(visible=False),
                0,
            )

        new.click(
            restart,
            None,
            [
                transcript,
                turns,
                votes,
                question,
                examples,
                download_md,
                download_docx,
                comment_box,
                commenting,
            ],
            api_name="nueva_conversacion",
        )

        def rate(history: list[Turn], voted: dict[int, Any], evt: gr.EventData) -> tuple[Any, ...]:
            number = int(getattr(evt, "turn", 0) or 0)
            rating = str(getattr(evt, "value", ""))
            if not 1 <= number <= len(history) or rating not in ("up", "down"):
                return gr.skip(), voted, gr.skip(), gr.skip(), gr.skip()
            turn = history[number - 1]
            previous = voted.get(number)
            if previous:
                window.feedback.rate(previous[0], rating)
                row = previous[0]
            else:
                row = window.feedback.record(turn.answer, rating, turn.audience)
            voted = {**voted, number: (row, rating)}
            return (
                render_transcript(history, _ratings(voted)),
                voted,
                gr.update(visible=True),
                gr.update(value="", label=f"Comentario sobre la respuesta {number} (opcional)"),
                number,
            )

        transcript.feedback(
            rate,
            [turns, votes],
            [transcript, votes, comment_box, comment, commenting],
            api_visibility="private",
        )

        def save_comment(text: str, number: int, voted: dict[int, Any]) -> tuple[Any, ...]:
            if number in voted and text.strip():
                window.feedback.comment(voted[number][0], text)
                gr.Info("Comentario guardado. ¡Gracias!")
            return gr.update(visible=False), gr.update(value=""), 0

        send_comment.click(
            save_comment,
            [comment, commenting, votes],
            [comment_box, comment, commenting],
            api_visibility="private",
        )
        skip_comment.click(
            lambda: (gr.update(visible=False), 0),
            None,
            [comment_box, commenting],
            api_visibility="private",
        )

        # --- library ------------------------------------------------------------------------

        app.load(window.library, None, library, api_visibility="private")

        def answer_json(pregunta: str, historial: list[str], audiencia: str) -> dict[str, Any]:
            """Responde una pregunta con citas (JSON de Answer.to_json())."""
            chosen = audiencia if audiencia in AUDIENCES.values() else settings.answer.audience
            with window.lock.reading():
                answer = assistant.answer(pregunta, historial, audience=chosen)  # type: ignore[arg-type]
            return answer.to_json()

        gr.api(  # type: ignore[attr-defined]
            answer_json, api_name="responder", **queued
        )

    return app


def staff_tab(window: Window, library: gr.HTML) -> None:
    """The staff tab: password, uploads, withdrawals and the feedback CSV. Every event checks
    the session's staff flag on the server."""
    queued = answer_queue(window.assistant.settings)
    with gr.Tab("Personal", id="personal"):
        staff = gr.State(False)
        with gr.Group() as login_box:
            password = gr.Textbox(
                label="Contraseña del personal", type="password", elem_id="password"
            )
            login = gr.Button("Entrar", variant="primary", elem_id="login")
        login_message = gr.Markdown("")
        with gr.Column(visible=False) as staff_box:
            gr.Markdown(
                "### Añadir documentos\nPDF, TXT, MD o HTML. Cada archivo se "
                "revisa antes de aceptarlo y se indexa enseguida."
            )
            files = gr.File(
                label="Archivos para añadir",
                file_count="multiple",
                file_types=list(UPLOAD_SUFFIXES),
                type="filepath",
                elem_id="upload",
            )
            with gr.Accordion("Ficha del documento (opcional, si se sube uno solo)", open=False):
                meta_title = gr.Textbox(label="Título")
                meta_institution = gr.Textbox(label="Institución")
                meta_date = gr.Textbox(label="Fecha (AAAA-MM-DD)")
                meta_kind = gr.Textbox(label="Tipo (ley, informe, convenio…)")
            add = gr.Button("Añadir e indexar", variant="primary", elem_id="add")
            add_message = gr.Markdown("", elem_id="add-message")
            gr.Markdown("### Retirar un documento")
            to_remove = gr.Dropdown(
                choices=window.removable(),
                value=None,
                label="Documento",
                elem_id="remove-choice",
            )
            confirm = gr.Checkbox(label="Sí, quiero retirarlo de la biblioteca")
            remove = gr.Button("Retirar", variant="stop", elem_id="remove")
            remove_message = gr.Markdown("")
            gr.Markdown("### Opiniones de las personas usuarias")
            prepare_csv = gr.Button("Preparar CSV de opiniones", elem_id="prepare-csv")
            download_csv = gr.DownloadButton(
                "Descargar CSV de opiniones", visible=False, elem_id="download-csv"
            )
            logout = gr.Button("Salir del modo personal", variant="secondary")

    def enter(attempt: str) -> tuple[Any, ...]:
        if window.check_password(attempt or ""):
            return (
                True,
                gr.update(visible=False),
                gr.update(visible=True),
                "Modo personal activo.",
                "",
                gr.update(choices=window.removable(), value=None),  # other sessions add too
            )
        time.sleep(1.0)  # slows down guessing
        return (False, gr.skip(), gr.skip(), "Contraseña incorrecta.", "", gr.skip())

    for trigger in (login.click, password.submit):
        trigger(
            enter,
            [password],
            [staff, login_box, staff_box, login_message, password, to_remove],
            api_visibility="private",
        )

    def leave() -> tuple[Any, ...]:
        return (False, gr.update(visible=True), gr.update(visible=False), "")

    logout.click(
        leave, None, [staff, login_box, staff_box, login_message], api_visibility="private"
    )

    def upload(
        is_staff: bool,
        paths: list[str] | None,
        title: str,
        institution: str,
        date: str,
        kind: str,
        progress: gr.Progress = gr.Progress(),  # noqa: B008
    ) -> tuple[Any, ...]:
        if not is_staff:
            return NOT_STAFF, gr.skip(), gr.skip(), gr.skip()
        uploads = [Upload(Path(p), Path(p).name) for p in paths or []]
        metadata = {
            "title": title or "",
            "institution": institution or "",
            "date": date or "",
            "kind": kind or "",
        }
        message = window.add(uploads, metadata, progress_bridge(progress))
        return (
            message,
            window.library(),
            gr.update(choices=window.removable()),
            gr.update(value=None),
        )

    add.click(
        upload,
        [staff, files, meta_title, meta_institution, meta_date, meta_kind],
        [add_message, library, to_remove, files],
        api_visibility="private",
        **queued,
    )

    def withdraw(
        is_staff: bool,
        source: str | None,
        sure: bool,
        progress: gr.Progress = gr.Progress(),  # noqa: B008
    ) -> tuple[Any, ...]:
        if not is_staff:
            return NOT_STAFF, gr.skip(), gr.skip(), gr.skip()
        if not source:
            return "Elige el documento que quieres retirar.", gr.skip(), gr.skip(), False
        if not sure:
            return (
                "Marca la casilla de confirmación para retirarlo.",
                gr.skip(),
                gr.skip(),
                gr.skip(),
            )
        message = window.withdraw(source, progress_bridge(progress))
        return (message, window.library(), gr.update(choices=window.removable(), value=None), False)

    remove.click(
        withdraw,
        [staff, to_remove, confirm],
        [remove_message, library, to_remove, confirm],
        api_visibility="private",
        **queued,
    )

    def feedback_file(is_staff: bool) -> Any:
        if not is_staff:
            gr.Warning(NOT_STAFF)
            return gr.skip()
        return gr.update(value=str(window.feedback_csv()), visible=True)

    prepare_csv.click(feedback_file, [staff], [download_csv], api_visibility="private")


def _audience_label(value: str) -> str:
    return next((label for label, key in AUDIENCES.items() if key == value), "Ciudadanía")


def _ratings(voted: dict[int, Any]) -> dict[int, str]:
    return {number: rating for number, (_, rating) in voted.items()}


def _keep(count: int) -> tuple[Any, ...]:
    return tuple(gr.skip() for _ in range(count))


def create_server(app: gr.Blocks, assistant: Assistant) -> FastAPI:
    """One web application: the document route of `assistant`'s library, then the chat window
    at `/`."""
    from fastapi import FastAPI, Query
    from fastapi.responses import Response

    server = FastAPI(docs_url=None, redoc_url=None, openapi_url=None)

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
