"""A conversation exported for trainers, as Markdown or as a Word document, with the structure
the window shows: «Pregunta N» at level 2, each answer's headings below it (level 3), its lists
as lists with their introductions, and under each turn the sources it cites, numbered as on
the screen (every turn starts again at [1])."""

from __future__ import annotations

import io
import re
from collections.abc import Sequence
from datetime import datetime
from typing import TYPE_CHECKING

from assistant.answer import Citation, Guidance
from assistant.audiences import audience_label
from ui.conversation import Turn, reference_line
from ui.structure import Block, Heading, Item, ListBlock, Paragraph, answer_blocks

if TYPE_CHECKING:
    from docx.document import Document as WordDocument

TITLE = "Conversación con el asistente de derechos de las mujeres"
GUIDANCE_TITLE = "Ayuda inmediata"
SOURCES_TITLE = "Fuentes"
REFUSAL_NOTE = "(Los documentos no contienen la respuesta.)"
TURN_LEVEL = 2  # «Pregunta N»; an answer's headings are one level below


def _markdown_text(text: str) -> str:
    """Document text made inert in Markdown: tags, emphasis, links and line-opening markup are
    escaped; citation markers stay as they read («[1]»)."""
    text = re.sub(r"([\\<>`*_])", r"\\\1", " ".join(text.split()))
    text = text.replace("](", "]\\(")
    return re.sub(r"^(\s*)([#+\-]|\d+[.)])(\s|$)", r"\1\\\2\3", text)


def _xml_safe(text: str) -> str:
    """Text Word can store: control characters other than tab and newline are dropped."""
    return re.sub(r"[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]", "", text)


def _guidance_blocks(guidance: Guidance) -> list[Block]:
    """The crisis guidance as the window shows it: the emergency line, the services the
    documents name (a list under its introduction), and the note when they name none."""
    blocks: list[Block] = [Paragraph(guidance.emergency)]
    if guidance.services:
        items = tuple(Item(f"{s.source}: {s.sentence} [{s.key}]") for s in guidance.services)
        blocks.append(ListBlock(items, guidance.intro))
    if guidance.note:
        blocks.append(Paragraph(guidance.note))
    return blocks


def _reference(citation: Citation) -> str:
    return f"[{citation.key}] {reference_line(citation)}. «{' '.join(citation.quote.split())}»"


def markdown_blocks(blocks: Sequence[Block]) -> list[str]:
    """Blocks as Markdown lines: headings below the turn's level, a list right under its
    introduction, an item's continuing lines indented under it."""
    lines: list[str] = []
    for block in blocks:
        if isinstance(block, Heading):
            level = min(6, TURN_LEVEL + block.level)
            lines += [f"{'#' * level} {_markdown_text(block.text)}", ""]
        elif isinstance(block, Paragraph):
            lines += [_markdown_text(block.text), ""]
        else:
            if block.intro:
                lines.append(_markdown_text(block.intro))
            for item in block.items:
                lines.append(f"- {_markdown_text(item.text)}")
                lines += [f"  {_markdown_text(more)}" for more in item.more]
            lines.append("")
    return lines


def conversation_markdown(turns: Sequence[Turn], when: datetime | None = None) -> str:
    """The conversation as Markdown (see the module docstring)."""
    when = when or datetime.now()
    lines = [f"# {TITLE}", "", f"Exportada el {when:%Y-%m-%d %H:%M}.", ""]
    for number, turn in enumerate(turns, start=1):
        answer = turn.answer
        audience = audience_label(turn.audience)
        lines += [
            f"{'#' * TURN_LEVEL} Pregunta {number}",
            "",
            f"**Pregunta** ({audience}): {_markdown_text(turn.question)}",
            "",
        ]
        if answer.guidance is not None:
            lines += [f"**{GUIDANCE_TITLE}:**", ""]
            lines += markdown_blocks(_guidance_blocks(answer.guidance))
        text = answer.text.strip()
        if text or answer.guidance is None:
            label = "**Respuesta:**" if answer.answered else f"**Respuesta:** {REFUSAL_NOTE}"
            lines += [label, ""]
            lines += markdown_blocks(answer_blocks(text))
        if answer.all_citations:
            lines += [f"**{SOURCES_TITLE}:**", ""]
            lines += [f"- {_markdown_text(_reference(c))}" for c in answer.all_citations]
            lines.append("")
    return "\n".join(lines)


def _word_blocks(word: WordDocument, blocks: Sequence[Block]) -> None:
    for block in blocks:
        if isinstance(block, Heading):
            word.add_heading(_xml_safe(block.text), level=min(9, TURN_LEVEL + block.level))
        elif isinstance(block, Paragraph):
            word.add_paragraph(_xml_safe(block.text))
        else:
            if block.intro:
                intro = word.add_paragraph(_xml_safe(block.intro))
                intro.paragraph_format.keep_with_next = True  # never alone at a page's foot
            style = "List Bullet" if block.bulleted else "List Paragraph"
            for item in block.items:
                word.add_paragraph(_xml_safe(item.text), style=style)
                for more in item.more:
                    word.add_paragraph(_xml_safe(more), style="List Continue")


def conversation_docx(turns: Sequence[Turn], when: datetime | None = None) -> bytes:
    """The conversation as a Word document (.docx bytes), with the structure of the Markdown."""
    from docx import Document as new_document
    from docx.shared import Pt

    when = when or datetime.now()
    word = new_document()
    word.core_properties.title = TITLE
    word.core_properties.language = "es-MX"
    word.add_heading(TITLE, level=1)
    word.add_paragraph(f"Exportada el {when:%Y-%m-%d %H:%M}.")
    for number, turn in enumerate(turns, start=1):
        answer = turn.answer
        word.add_heading(f"Pregunta {number}", level=TURN_LEVEL)
        asked = word.add_paragraph()
        asked.add_run("Pregunta").bold = True
        asked.add_run(_xml_safe(f" ({audience_label(turn.audience)}): {turn.question}"))
        if answer.guidance is not None:
            word.add_paragraph().add_run(f"{GUIDANCE_TITLE}:").bold = True
            _word_blocks(word, _guidance_blocks(answer.guidance))
        text = answer.text.strip()
        if text or answer.guidance is None:
            label = word.add_paragraph()
            label.add_run("Respuesta:").bold = True
            if not answer.answered:
                label.add_run(f" {REFUSAL_NOTE}")
            _word_blocks(word, answer_blocks(text))
        if answer.all_citations:
            word.add_paragraph().add_run(f"{SOURCES_TITLE}:").bold = True
            for citation in answer.all_citations:
                item = word.add_paragraph()
                item.add_run(f"[{citation.key}] ").bold = True
                item.add_run(_xml_safe(f"{reference_line(citation)}. "))
                quoted = item.add_run(_xml_safe(f"«{' '.join(citation.quote.split())}»"))
                quoted.italic = True
                quoted.font.size = Pt(10)
    buffer = io.BytesIO()
    word.save(buffer)
    return buffer.getvalue()
