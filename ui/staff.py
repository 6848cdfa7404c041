"""The staff tab of the window, «Administración»: password, uploads, withdrawals and the
feedback CSV. Visitors do not see it: it shows only on the address that asks for it
(`/?admin=1`, linked at the foot of the page). Every event checks the session's staff flag on
the server; hiding a tab or a panel is only for the eye."""

from __future__ import annotations

import time
from dataclasses import dataclass
from typing import Any

import gradio as gr

from ui.panel import Panel
from ui.upload_panel import UploadPanel, upload_panel, wire_upload
from ui.window import Window

NOT_STAFF = "Primero entra con la contraseña del personal."
ADMIN_QUERY = "admin"  # `/?admin=1` shows the tab


@dataclass
class Staff(Panel):
    """The components of the staff tab that events read and write."""

    tab: gr.Tab
    flag: gr.State  # whether this session entered the password
    password: gr.Textbox
    login: gr.Button
    login_box: gr.Group
    login_message: gr.Markdown
    panel: gr.Column
    upload: UploadPanel
    to_remove: gr.Dropdown
    confirm: gr.Checkbox
    remove: gr.Button
    remove_message: gr.Markdown
    prepare_csv: gr.Button
    download_csv: gr.DownloadButton
    logout: gr.Button
    library: gr.HTML


def staff_tab(window: Window, library: gr.HTML, queued: dict[str, Any]) -> Staff:
    """The staff tab, wired; `queued` is the concurrency group of the events that re-index."""
    with gr.Tab("Administración", id="administracion", visible=False) as tab:
        staff = _components(tab, window, library)
    _wire_login(staff, window)
    listings = (staff.library, staff.to_remove)
    wire_upload(staff.upload, staff.flag, window, listings, queued, NOT_STAFF)
    _wire_withdraw(staff, window, queued)
    _wire_feedback_csv(staff, window)
    return staff


def shown_when_asked(request: gr.Request) -> Any:
    """The tab's visibility for one visit: shown only when the address asks for it."""
    return gr.update(visible=bool(request.query_params.get(ADMIN_QUERY)))


def _components(tab: gr.Tab, window: Window, library: gr.HTML) -> Staff:
    flag = gr.State(False)
    with gr.Group() as login_box:
        password = gr.Textbox(label="Contraseña del personal", type="password", elem_id="password")
        login = gr.Button("Entrar", variant="primary", elem_id="login")
    login_message = gr.Markdown("")
    with gr.Column(visible=False) as panel:
        upload = upload_panel()
        gr.Markdown("### Retirar un documento")
        to_remove = gr.Dropdown(
            choices=window.removable(), value=None, label="Documento", elem_id="remove-choice"
        )
        confirm = gr.Checkbox(label="Sí, quiero retirarlo de la biblioteca")
        remove = gr.Button("Retirar", variant="stop", elem_id="remove")
        remove_message = gr.Markdown("")
        gr.Markdown("### Opiniones de las personas usuarias")
        prepare_csv = gr.Button("Preparar CSV de opiniones", elem_id="prepare-csv")
        download_csv = gr.DownloadButton(
            "Descargar CSV de opiniones", visible=False, elem_id="download-csv"
        )
        logout = gr.Button("Salir de la administración", variant="secondary")
    return Staff(
        tab, flag, password, login, login_box, login_message, panel, upload, to_remove,
        confirm, remove, remove_message, prepare_csv, download_csv, logout, library,
    )  # fmt: skip


def _wire_login(staff: Staff, window: Window) -> None:
    def enter(attempt: str) -> dict[Any, Any]:
        if window.check_password(attempt or ""):
            return staff.view(
                flag=True,
                login_box=gr.update(visible=False),
                panel=gr.update(visible=True),
                login_message="Administración abierta.",
                password="",
                to_remove=gr.update(choices=window.removable(), value=None),  # others add too
            )
        time.sleep(1.0)  # slows down guessing
        return staff.view(flag=False, login_message="Contraseña incorrecta.", password="")

    outputs = [staff.flag, staff.login_box, staff.panel, staff.login_message, staff.password]
    for trigger in (staff.login.click, staff.password.submit):
        trigger(enter, [staff.password], [*outputs, staff.to_remove], api_visibility="private")

    def leave() -> dict[Any, Any]:
        return staff.view(
            flag=False,
            login_box=gr.update(visible=True),
            panel=gr.update(visible=False),
            login_message="",
        )

    staff.logout.click(leave, None, outputs[:4], api_visibility="private")


def _wire_withdraw(staff: Staff, window: Window, queued: dict[str, Any]) -> None:
    def withdraw(
        is_staff: bool,
        source: str | None,
        sure: bool,
        progress: gr.Progress = gr.Progress(),  # noqa: B008
    ) -> dict[Any, Any]:
        if not is_staff:
            return staff.view(remove_message=NOT_STAFF)
        if not source:
            return staff.view(
                remove_message="Elige el documento que quieres retirar.", confirm=False
            )
        if not sure:
            return staff.view(remove_message="Marca la casilla de confirmación para retirarlo.")
        return staff.view(
            remove_message=window.withdraw(
                source, status=lambda share, text: progress(share, desc=text)
            ),
            library=window.library(),
            to_remove=gr.update(choices=window.removable(), value=None),
            confirm=False,
        )

    staff.remove.click(
        withdraw,
        [staff.flag, staff.to_remove, staff.confirm],
        [staff.remove_message, staff.library, staff.to_remove, staff.confirm],
        api_visibility="private",
        **queued,
    )


def _wire_feedback_csv(staff: Staff, window: Window) -> None:
    def feedback_file(is_staff: bool) -> Any:
        if not is_staff:
            gr.Warning(NOT_STAFF)
            return gr.skip()
        return gr.update(value=str(window.feedback_csv()), visible=True)

    staff.prepare_csv.click(
        feedback_file, [staff.flag], [staff.download_csv], api_visibility="private"
    )
