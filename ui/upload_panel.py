"""Adding documents, in the Administración tab: staff choose files; each is checked at once
(refusals in Spanish, the kind of file included: Gradio's own English check of `file_types` is
not used) and gets a card inferred from the document itself (ui/upload_metadata.py) for staff
to correct; «Añadir e indexar» saves the files with their cards into the manifest and indexes
them, counting the documents as it goes («Indexando 2 de 3 documentos»). A new choice of files,
or a new press of the button, clears the previous result first."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import gradio as gr

from ui.library import LibraryError
from ui.upload_metadata import DocumentCard
from ui.window import Upload, Window

MAX_FILES = 6  # cards shown at once; more files are refused by name
CARD_FIELDS = (
    ("title", "Título"),
    ("institution", "Institución"),
    ("date", "Fecha (AAAA-MM-DD)"),
    ("kind", "Tipo (ley, informe…)"),
)
INTRO = (
    "### Añadir documentos\nPDF, TXT, MD o HTML. Cada archivo se revisa al elegirlo; su ficha "
    "(título, institución, fecha, tipo) se deduce del propio documento para que la revises y "
    "corrijas antes de añadirlo."
)
CHECKED = "Revisa la ficha de cada documento: se dedujo del propio texto y puede fallar."
NOTHING = "No se eligió ningún archivo que se pueda añadir."


@dataclass
class Card:
    """The fields of one chosen file's card."""

    group: gr.Group
    heading: gr.Markdown
    fields: tuple[gr.Textbox, ...]  # in the order of CARD_FIELDS


@dataclass
class UploadPanel:
    """The components of the upload section that events read and write."""

    files: gr.UploadButton
    pending: gr.State  # [path, file name] of each file accepted for adding, in card order
    check_message: gr.Markdown
    cards: list[Card]
    add: gr.Button
    add_message: gr.Markdown

    @property
    def fields(self) -> list[gr.Textbox]:
        return [field for card in self.cards for field in card.fields]

    @property
    def card_parts(self) -> list[Any]:
        return [part for card in self.cards for part in (card.group, card.heading, *card.fields)]


def upload_panel() -> UploadPanel:
    """The upload section's components (inside the staff panel)."""
    gr.Markdown(INTRO)
    # A button rather than Gradio's file box, whose toolbar nests one button in another (an
    # accessibility fault) and speaks English; the cards below list the files chosen.
    files = gr.UploadButton(
        "Elegir archivos para añadir…",
        file_count="multiple",
        type="filepath",
        variant="secondary",
        elem_id="upload",
    )
    check_message = gr.Markdown("", elem_id="upload-check")
    cards = []
    for number in range(MAX_FILES):
        with gr.Group(visible=False, elem_id=f"ficha-{number + 1}") as group:
            heading = gr.Markdown("")
            fields = tuple(gr.Textbox(label=label, max_lines=2) for _, label in CARD_FIELDS)
        cards.append(Card(group, heading, fields))
    add = gr.Button("Añadir e indexar", variant="primary", elem_id="add")
    add_message = gr.Markdown("", elem_id="add-message")
    return UploadPanel(files, gr.State([]), check_message, cards, add, add_message)


def _shown_cards(
    panel: UploadPanel, chosen: Sequence[tuple[Upload, DocumentCard]]
) -> dict[Any, Any]:
    """The cards of the `chosen` files filled in with what their documents say, labelled with
    each file's name; the other cards hidden and emptied."""
    shown: dict[Any, Any] = {}
    for position, card in enumerate(panel.cards):
        if position < len(chosen):
            upload, guess = chosen[position]
            name = upload.filename
            shown[card.group] = gr.update(visible=True)
            shown[card.heading] = f"**Ficha de `{name}`**"
            values = guess.as_metadata()
            for (key, label), field in zip(CARD_FIELDS, card.fields, strict=True):
                shown[field] = gr.update(value=values[key], label=f"{label} de {name}")
        else:
            shown[card.group] = gr.update(visible=False)
            shown[card.heading] = ""
            for field in card.fields:
                shown[field] = gr.update(value="")
    return shown


def wire_upload(
    panel: UploadPanel,
    flag: gr.State,
    window: Window,
    listings: tuple[gr.HTML, gr.Dropdown],
    queued: dict[str, Any],
    not_staff: str,
) -> None:
    """Checking files as they are chosen, and adding them; `flag` is the session's staff flag,
    `listings` the library table and the list of documents to withdraw (refreshed after an
    addition), `queued` the concurrency group of the events that re-index."""
    library, to_remove = listings

    def check(is_staff: bool, paths: list[str] | None) -> dict[Any, Any]:
        if not is_staff:
            return {panel.check_message: not_staff, panel.pending: [], **_shown_cards(panel, [])}
        refusals: list[str] = []
        chosen: list[tuple[Upload, DocumentCard]] = []
        for path in paths or []:
            upload = Upload(Path(path), Path(path).name)
            if len(chosen) == MAX_FILES:
                refusals.append(
                    f"- ✗ `{upload.filename}`: se pueden añadir hasta {MAX_FILES} archivos a la "
                    "vez; súbelo después."
                )
                continue
            try:
                chosen.append((upload, window.inspect(upload)))
            except LibraryError as error:
                refusals.append(f"- ✗ {error}")
        said = ([CHECKED] if chosen else []) + (["\n".join(refusals)] if refusals else [])
        shown = {
            panel.pending: [[str(u.path), u.filename] for u, _ in chosen],
            panel.check_message: "\n\n".join(said),
            **_shown_cards(panel, chosen),
        }
        shown[panel.add_message] = ""  # a new choice of files: the previous result goes
        return shown

    panel.files.upload(
        check,
        [flag, panel.files],
        [panel.pending, panel.check_message, panel.add_message, *panel.card_parts],
        api_visibility="private",
        show_progress="hidden",
    )

    def add(
        is_staff: bool,
        pending: list[list[str]],
        *values: str,
        progress: gr.Progress = gr.Progress(),  # noqa: B008
    ) -> dict[Any, Any]:
        if not is_staff:
            return {panel.add_message: not_staff}
        if not pending:
            return {panel.add_message: NOTHING}
        width = len(CARD_FIELDS)
        uploads = [
            Upload(
                Path(path),
                name,
                DocumentCard(*(v.strip() for v in values[width * n : width * (n + 1)])),
            )
            for n, (path, name) in enumerate(pending)
        ]
        message = window.add(uploads, status=lambda share, text: progress(share, desc=text))
        return {
            panel.add_message: message,
            panel.files: gr.update(value=None),
            panel.pending: [],
            panel.check_message: "",
            **_shown_cards(panel, []),
            library: window.library(),
            to_remove: gr.update(choices=window.removable()),
        }

    outputs = [panel.add_message, panel.files, panel.pending, panel.check_message]
    panel.add.click(
        lambda: "", None, panel.add_message, queue=False, api_visibility="private"
    ).then(
        add,
        [flag, panel.pending, *panel.fields],
        [*outputs, *panel.card_parts, library, to_remove],
        api_visibility="private",
        **queued,
    )
