"""What the chat window shows, as HTML built by pure functions: each answer with its `[n]` markers
linked to source cards (title, institution, date, page or heading, the passage with the quoted
span highlighted), refusals styled apart from answers, and crisis guidance in a box of its own.

Every piece of text that comes from a question, an answer or a document goes through `escape`:
HTML or scripts inside a document are shown as text and never run."""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from html import escape as _escape
from urllib.parse import quote as url_quote

from assistant.answer import Answer, Citation, Guidance
from assistant.markers import link
from ui.conversation import Turn, answer_with_references, location
from ui.structure import Block, Heading, Paragraph, answer_blocks

EXCERPT_RADIUS = 240  # characters of passage shown on each side of the quote in a card
# Each turn is a section under an <h2> «Pregunta N» (read by screen readers, as in the exports);
# an answer's own headings come below it.
TURN_HEADING_LEVEL = 2

# Icons are inline SVG (Material Icons, Apache 2.0): no emoji, which a machine without an emoji
# font shows as empty boxes.
_ICON = (
    '<svg class="icon" aria-hidden="true" focusable="false" viewBox="0 0 24 24" width="18" '
    'height="18"><path fill="currentColor" d="{path}"/></svg>'
)
THUMB_UP = _ICON.format(
    path="M1 21h4V9H1v12zm22-11c0-1.1-.9-2-2-2h-6.31l.95-4.57.03-.32c0-.41-.17-.79-.44-1.06"
    "L14.17 1 7.59 7.59C7.22 7.95 7 8.45 7 9v10c0 1.1.9 2 2 2h9c.83 0 1.54-.5 1.84-1.22l3.02"
    "-7.05c.09-.23.14-.47.14-.73v-2z"
)
THUMB_DOWN = _ICON.format(
    path="M15 3H6c-.83 0-1.54.5-1.84 1.22l-3.02 7.05c-.09.23-.14.47-.14.73v2c0 1.1.9 2 2 2h6.31"
    "l-.95 4.57-.03.32c0 .41.17.79.44 1.06L9.83 23l6.59-6.59c.36-.36.58-.86.58-1.41V5c0-1.1-.9"
    "-2-2-2zm4 0v12h4V3h-4z"
)

WELCOME = (
    '<div class="welcome">'
    '<h2 class="welcome-title">¿Qué quieres saber?</h2>'
    "<p>Respondo preguntas sobre derechos de las mujeres, programas, servicios y convenios "
    "en México <strong>solo con lo que dicen los documentos oficiales</strong> de la biblioteca. "
    "Cada respuesta trae sus fuentes numeradas para que puedas comprobarlas.</p>"
    "<p>Si los documentos no lo dicen, te lo digo en lugar de inventar.</p>"
    '<p class="welcome-note">No escribas datos personales (nombre, teléfono, CURP). '
    "Este asistente no es un servicio de emergencia: si estás en peligro, llama al "
    "<strong>911</strong>. Para salir de inmediato de esta página, usa «Salida rápida» "
    "(arriba a la derecha) o pulsa Esc dos veces.</p>"
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


def answer_body(text: str, turn: int, keys: Sequence[str]) -> str:
    """Answer text as HTML, escaped, markers linked: headings (one level below the turn's),
    paragraphs, and lists together with the line that introduces them."""
    return "".join(render_block(block, turn, keys) for block in answer_blocks(text))


def render_block(block: Block, turn: int, keys: Sequence[str]) -> str:
    """One block of an answer (see ui/structure.py) as HTML."""

    def inline(text: str) -> str:
        return link_markers(escape(text), turn, keys)

    if isinstance(block, Heading):
        level = min(6, TURN_HEADING_LEVEL + block.level)
        return f'<h{level} class="answer-heading">{inline(block.text)}</h{level}>'
    if isinstance(block, Paragraph):
        return f"<p>{inline(block.text)}</p>"
    items = "".join(
        f"<li>{inline(item.text)}"
        + "".join(f'<p class="more">{inline(line)}</p>' for line in item.more)
        + "</li>"
        for item in block.items
    )
    kind = "bulleted" if block.bulleted else "enumerated"
    intro = f'<p class="list-intro">{inline(block.intro)}</p>' if block.intro else ""
    return f'<div class="list-block">{intro}<ul class="{kind}">{items}</ul></div>'


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
    if answer.notice:
        parts.append(f'<p class="notice" role="note">{escape(answer.notice)}</p>')
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
    """Copy and «Útil» / «No útil» buttons of one answer (thumb icons in SVG); the copy text
    travels in a data attribute."""
    copy_text = escape(answer_with_references(answer))
    hidden = f'<span class="visually-hidden"> (respuesta {turn})</span>'
    buttons = [
        f'<button type="button" class="copy" data-turn="{turn}" data-copy="{copy_text}">'
        f"Copiar respuesta</button>"
    ]
    for value, icon, label in (("up", THUMB_UP, "Útil"), ("down", THUMB_DOWN, "No útil")):
        pressed = "true" if vote == value else "false"
        buttons.append(
            f'<button type="button" class="vote" data-turn="{turn}" data-value="{value}" '
            f'aria-pressed="{pressed}">{icon} {label}{hidden}'
            "</button>"
        )
    thanks = '<span class="thanks" role="status">Gracias por tu opinión.</span>' if vote else ""
    return f'<div class="actions">{"".join(buttons)}{thanks}</div>'


def turn_heading(turn: int) -> str:
    """The turn's heading, «Pregunta N», for screen readers (the exports show it too)."""
    level = TURN_HEADING_LEVEL
    return f'<h{level} class="visually-hidden" id="titulo-{turn}">Pregunta {turn}</h{level}>'


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
            f'<section class="turn" id="turno-{number}" aria-labelledby="titulo-{number}">'
            + turn_heading(number)
            + render_question(turn.question, number)
            + render_answer(turn.answer, number, votes.get(number, ""))
            + "</section>"
        )
    if pending is not None:
        number = len(turns) + 1
        body = (
            f'<div class="answer-text">{answer_body(partial, number, [])}</div>'
            if partial.strip()
            else '<p class="searching">Buscando en los documentos…</p>'
        )
        if guidance is not None:
            keys = [c.key for c in guidance.citations]
            body = render_guidance(guidance, number, keys) + body
        sections.append(
            f'<section class="turn pending" id="turno-{number}" aria-busy="true" '
            f'aria-labelledby="titulo-{number}">'
            + turn_heading(number)
            + render_question(pending, number)
            + f'<div class="msg bot writing"><p class="who">Respuesta</p>{body}</div></section>'
        )
    inner = "".join(sections) if sections else WELCOME
    return f'<div class="transcript">{inner}</div>'
