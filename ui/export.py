"""A conversation exported for trainers: questions, answers and one numbered list of references
(title, institution, date, page), as Markdown or as a Word document."""

from __future__ import annotations

import io
import re
from collections.abc import Mapping, Sequence
from datetime import datetime

from assistant.audiences import audience_label
from assistant.markers import renumber
from ui.conversation import Reference, Turn, numbered_references, reference_line

TITLE = "Conversación con el asistente de derechos de las mujeres"
GUIDANCE_TITLE = "Ayuda inmediata"
REFUSAL_NOTE = "(Los documentos no contienen la respuesta.)"


def _markdown_text(text: str) -> str:
    """Document text made inert in Markdown: tags and line-opening markup are escaped."""
    text = re.sub(r"([\\<>`*_])", r"\\\1", text)
    return re.sub(r"(?m)^(\s*)([#+\-]|\d+\.)(\s)", r"\1\\\2\3", text)


def _xml_safe(text: str) -> str:
    """Text Word can store: control characters other than tab and newline are dropped."""
    return re.sub(r"[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]", "", text)


def _quote(reference: Reference) -> str:
    return " ".join(reference.citation.quote.split())


def _shown(turn: Turn, mapping: Mapping[str, int]) -> tuple[str, str]:
    """A turn's crisis guidance (or "") and answer text, markers renumbered to the references."""
    keys = {key: str(number) for key, number in mapping.items()}
    guidance = turn.answer.guidance
    return (
        renumber(guidance.text, keys) if guidance else "",
        renumber(turn.answer.text.strip(), keys),
    )


def conversation_markdown(turns: Sequence[Turn], when: datetime | None = None) -> str:
    """The conversation as Markdown, citation markers renumbered to the reference list."""
    when = when or datetime.now()
    references, mappings = numbered_references(turns)
    lines = [f"# {TITLE}", "", f"Exportada el {when:%Y-%m-%d %H:%M}.", ""]
    for number, (turn, mapping) in enumerate(zip(turns, mappings, strict=True), start=1):
        audience = audience_label(turn.audience)
        guidance, text = _shown(turn, mapping)
        lines += [
            f"## Pregunta {number}",
            "",
            f"**Pregunta** ({audience}): {_markdown_text(turn.question)}",
            "",
        ]
        if guidance:
            lines += [f"**{GUIDANCE_TITLE}:**", "", _markdown_text(guidance), ""]
        if text or not guidance:
            lines += [
                "**Respuesta:**" if turn.answer.answered else f"**Respuesta:** {REFUSAL_NOTE}",
                "",
                _markdown_text(text),
                "",
            ]
    if references:
        lines += ["## Referencias", ""]
        for reference in references:
            line = _markdown_text(reference_line(reference.citation))
            lines.append(f"{reference.number}. {line}. «{_markdown_text(_quote(reference))}»")
        lines.append("")
    return "\n".join(lines)


def conversation_docx(turns: Sequence[Turn], when: datetime | None = None) -> bytes:
    """The conversation as a Word document (.docx bytes), with the same content as Markdown."""
    from docx import Document as WordDocument
    from docx.shared import Pt

    when = when or datetime.now()
    references, mappings = numbered_references(turns)
    word = WordDocument()
    word.core_properties.title = TITLE
    word.core_properties.language = "es-MX"
    word.add_heading(TITLE, level=1)
    word.add_paragraph(f"Exportada el {when:%Y-%m-%d %H:%M}.")
    for number, (turn, mapping) in enumerate(zip(turns, mappings, strict=True), start=1):
        word.add_heading(f"Pregunta {number}", level=2)
        asked = word.add_paragraph()
        asked.add_run("Pregunta").bold = True
        asked.add_run(_xml_safe(f" ({audience_label(turn.audience)}): {turn.question}"))
        guidance, text = _shown(turn, mapping)
        if guidance:
            word.add_paragraph().add_run(f"{GUIDANCE_TITLE}:").bold = True
            word.add_paragraph(_xml_safe(guidance))
        if text or not guidance:
            label = word.add_paragraph()
            label.add_run("Respuesta:").bold = True
            if not turn.answer.answered:
                label.add_run(f" {REFUSAL_NOTE}")
            for paragraph in re.split(r"\n\s*\n", text):
                word.add_paragraph(_xml_safe(paragraph.strip()))
    if references:
        word.add_heading("Referencias", level=2)
        for reference in references:
            item = word.add_paragraph()
            item.add_run(f"{reference.number}. ").bold = True
            item.add_run(_xml_safe(f"{reference_line(reference.citation)}. "))
            quoted = item.add_run(_xml_safe(f"«{_quote(reference)}»"))
            quoted.italic = True
            quoted.font.size = Pt(10)
    buffer = io.BytesIO()
    word.save(buffer)
    return buffer.getvalue()
