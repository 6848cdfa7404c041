"""What the chat window shows, as HTML built by pure functions: each answer with its `[n]` markers
linked to source cards (title, institution, date, page or heading, the passage with the quoted
span highlighted), refusals styled apart from answers, and crisis guidance in a box of its own.

Every piece of text that comes from a question, an answer or a document goes through `escape`:
HTML or scripts inside a document are shown as text and never run."""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from html import escape as _escape
from itertools import groupby
from urllib.parse import quote as url_quote

from assistant.answer import Answer, Citation, Guidance
from assistant.markers import link
from ui.conversation import Turn, answer_with_references, location

EXCERPT_RADIUS = 240  # characters of passage shown on each side of the quote in a card

WELCOME = (
    '<div class="welcome">'
    '<h2 class="welcome-title">¿Qué quieres saber?</h2>'
    "<p>Respondo preguntas sobre derechos de las mujeres, programas, servicios y convenios "
    "en México <strong>solo con lo que dicen los documentos oficiales</strong> de la biblioteca. "
    "Cada respuesta trae sus fuentes numeradas para que puedas comprobarlas.</p>"
    "<p>Si los documentos no lo dicen, te lo digo en lugar de inventar.</p>"
    '<p class="welcome-note">No escribas datos personales (nombre, teléfono, CURP). '
    "Este asistente no es un servicio de emergencia: si estás en peligro, llama al "
    "<strong>911</strong>.</p>"
    "</div>"
)


def escape(text: str) -> str:
    """HTML-escaped text, quotes included (safe in element bodies and attribute values)."""
    return _escape(text, quote=True)


def card_id(turn: int, key: str) -> str:
    """The HTML id of the source card `key` of turn `turn` (1-based)."""
    return f"fuente-{turn}-{re.sub(r'[^0-9A-Za-z]', '', key)}"


def document_href(citation: Citation) -> str:
    """The safe route opening the whole cited document: PDFs at their page, text documents
    scrolled to the passage."""
    chunk = citation.chunk
    base = f"documento/{url_quote(chunk.doc_id, safe='')}"
    if chunk.source.lower().endswith(".pdf"):
        return f"{base}#page={chunk.page}" if chunk.page else base
    return f"{base}?pasaje={chunk.ordinal}#pasaje"


def find_span(text: str, quote: str) -> tuple[int, int] | None:
    """Where `quote` lies in `text`, tolerating differences in whitespace."""
    quote = quote.strip()
    if not quote:
        return None
    start = text.find(quote)
    if start >= 0:
        return start, start + len(quote)
    words = quote.split()
    pattern = r"\s+".join(re.escape(word) for word in words)
    match = re.search(pattern, text)
    return (match.start(), match.end()) if match else None


def highlight(passage: str, quote: str, radius: int = EXCERPT_RADIUS) -> str:
    """The passage around `quote` as HTML, the quote in `<mark>`; long passages are trimmed at
    word boundaries to `radius` characters on each side. A quote not found in the passage is
    shown whole, highlighted, before the passage."""
    span = find_span(passage, quote)
    if span is None:
        body = escape(_clip(passage, 2 * radius))
        return f"<mark>{escape(quote)}</mark> … {body}" if quote.strip() else body
    start, end = span
    before, after = passage[:start], passage[end:]
    if len(before) > radius:
        before = "… " + before[-radius:].split(" ", 1)[-1]
    if len(after) > radius:
        after = after[:radius].rsplit(" ", 1)[0] + " …"
    return f"{escape(before)}<mark>{escape(passage[start:end])}</mark>{escape(after)}"


def _clip(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[:limit].rsplit(" ", 1)[0] + " …"


def link_markers(escaped_text: str, turn: int, keys: Sequence[str]) -> str:
    """Already-escaped answer text with each `[n]` of a known citation key made a link to its
    card; markers of unknown keys stay as text."""

    def linked(key: str) -> str:
        if key not in keys:
            return f"[{key}]"
        card = card_id(turn, key)
        return (
            f'<a class="cite" href="#{card}" data-card="{card}"'
            f' aria-label="Ver la fuente {key}">[{key}]</a>'
        )

    return link(escaped_text, linked)


_BULLET = re.compile(r"^(?:[-•*]|\d+[.)])\s+(.*)$")


def answer_body(text: str, turn: int, keys: Sequence[str]) -> str:
    """Answer text as paragraphs and bullet lists, escaped, markers linked."""
    blocks: list[str] = []
    for paragraph in re.split(r"\n\s*\n", text.strip()):
        lines = [line.strip() for line in paragraph.splitlines() if line.strip()]
        for is_list, group in groupby(lines, key=lambda line: bool(_BULLET.match(line))):
            linked = [link_markers(escape(_BULLET.sub(r"\1", line)), turn, keys) for line in group]
            if is_list:
                blocks.append("<ul>" + "".join(f"<li>{item}</li>" for item in linked) + "</ul>")
            else:
                blocks.append("<p>" + "<br>".join(linked) + "</p>")
    return "".join(blocks)


def render_card(citation: Citation, turn: int) -> str:
    """One source card: number, title, institution, date, page or heading, highlighted passage,
    and a link opening the whole document through the safe route."""
    chunk = citation.chunk
    where = location(citation)
    if where == chunk.title:  # a heading that only repeats the title says nothing
        where = ""
    parts = (chunk.institution, chunk.date, where, chunk.kind)
    meta = [escape(part) for part in parts if part]
    heading = ""
    if chunk.heading and chunk.page is not None:
        heading = f'<p class="card-heading">{escape(chunk.heading)}</p>'
    title = escape(chunk.title or chunk.source)
    return (
        f'<li class="card" id="{card_id(turn, citation.key)}" tabindex="-1">'
        f'<p class="card-title"><span class="card-num">[{escape(citation.key)}]</span> '
        f"{title}</p>"
        + (f'<p class="card-meta">{" · ".join(meta)}</p>' if meta else "")
        + heading
        + f'<blockquote class="passage">{highlight(chunk.text, citation.quote)}</blockquote>'
        f'<a class="open-doc" href="{escape(document_href(citation))}" target="_blank" '
        f'rel="noopener noreferrer">Abrir el documento completo'
        f'<span class="visually-hidden"> (se abre en otra pestaña): {title}</span></a>'
        "</li>"
    )


def render_answer(answer: Answer, turn: int, vote: str = "") -> str:
    """The assistant's side of one turn: crisis banner, answer or refusal, cards, actions."""
    parts: list[str] = []
    citations = answer.all_citations
    keys = [c.key for c in citations]
    text = answer.text.strip()
    if answer.guidance is not None:
        parts.append(render_guidance(answer.guidance, turn, keys))
    if text or answer.guidance is None:  # guidance alone needs no empty answer under it
        who = "Respuesta" if answer.answered else "No está en los documentos"
        parts.append(f'<p class="who">{who}</p>')
        parts.append(f'<div class="answer-text">{answer_body(text, turn, keys)}</div>')
    if not answer.answered:
        parts.append(
            '<p class="refusal-hint">Prueba a preguntarlo de otra forma, o revisa en la pestaña '
            "«Documentos» qué temas cubre la biblioteca.</p>"
        )
    if citations:
        cards = "".join(render_card(c, turn) for c in citations)
        parts.append(
            f'<details class="sources" open><summary>Fuentes ({len(citations)})</summary>'
            f'<ol class="cards">{cards}</ol></details>'
        )
    parts.append(render_actions(answer, turn, vote))
    kind = "answer" if answer.answered else "refusal"
    label = "Respuesta" if answer.answered else "Sin respuesta en los documentos"
    return (
        f'<div class="msg bot {kind}" role="group" aria-label="{label} {turn}">'
        + "".join(parts)
        + "</div>"
    )


def render_guidance(guidance: Guidance, turn: int, keys: Sequence[str]) -> str:
    """The «Ayuda inmediata» box: the emergency number, then each service the documents name,
    cited."""
    services = "".join(
        f"<li><strong>{escape(s.source)}:</strong> "
        f"{link_markers(escape(f'{s.sentence} [{s.key}]'), turn, keys)}</li>"
        for s in guidance.services
    )
    return (
        '<div class="crisis" role="alert"><p class="crisis-title">Ayuda inmediata</p>'
        f"<p>{escape(guidance.emergency)}</p>"
        + (f"<p>{escape(guidance.intro)}</p><ul>{services}</ul>" if services else "")
        + (f"<p>{escape(guidance.note)}</p>" if guidance.note else "")
        + "</div>"
    )


def render_actions(answer: Answer, turn: int, vote: str = "") -> str:
    """Copy and 👍/👎 buttons of one answer; the copy text travels in a data attribute."""
    copy_text = escape(answer_with_references(answer))
    hidden = f'<span class="visually-hidden"> (respuesta {turn})</span>'
    buttons = [
        f'<button type="button" class="copy" data-turn="{turn}" data-copy="{copy_text}">'
        f"Copiar respuesta</button>"
    ]
    for value, icon, label in (("up", "👍", "Útil"), ("down", "👎", "No útil")):
        pressed = "true" if vote == value else "false"
        buttons.append(
            f'<button type="button" class="vote" data-turn="{turn}" data-value="{value}" '
            f'aria-pressed="{pressed}"><span aria-hidden="true">{icon}</span> {label}{hidden}'
            "</button>"
        )
    thanks = '<span class="thanks" role="status">Gracias por tu opinión.</span>' if vote else ""
    return f'<div class="actions">{"".join(buttons)}{thanks}</div>'


def render_question(question: str, turn: int) -> str:
    return (
        f'<div class="msg user" role="group" aria-label="Pregunta {turn}">'
        f'<p class="who">Tu pregunta</p><p>{escape(question)}</p></div>'
    )


def render_transcript(
    turns: Sequence[Turn],
    votes: Mapping[int, str] | None = None,
    pending: str | None = None,
    partial: str = "",
    guidance: Guidance | None = None,
) -> str:
    """The whole conversation as HTML: the welcome text when it is empty, else every turn
    (1-based numbering) and, while an answer is being written, the `pending` question with the
    crisis `guidance` (once there is one) and the `partial` text received so far."""
    votes = votes or {}
    sections = []
    for number, turn in enumerate(turns, start=1):
        sections.append(
            f'<section class="turn" id="turno-{number}">'
            + render_question(turn.question, number)
            + render_answer(turn.answer, number, votes.get(number, ""))
            + "</section>"
        )
    if pending is not None:
        number = len(turns) + 1
        body = (
            f'<div class="answer-text"><p>{escape(partial)}</p></div>'
            if partial.strip()
            else '<p class="searching">Buscando en los documentos…</p>'
        )
        if guidance is not None:
            keys = [c.key for c in guidance.citations]
            body = render_guidance(guidance, number, keys) + body
        sections.append(
            f'<section class="turn pending" id="turno-{number}" aria-busy="true">'
            + render_question(pending, number)
            + f'<div class="msg bot writing"><p class="who">Respuesta</p>{body}</div></section>'
        )
    inner = "".join(sections) if sections else WELCOME
    return f'<div class="transcript">{inner}</div>'
