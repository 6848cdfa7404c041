"""The chat window's pure parts: answers rendered as HTML with linked `[n]` markers and source
cards, everything escaped; conversation numbering and copy text."""

from __future__ import annotations

import re
from dataclasses import replace

from assistant.answer import NOT_IN_DOCUMENTS, Answer, Citation, Guidance, ServiceNote
from assistant.markers import cited_keys
from index.chunking import Chunk
from tests.test_ui_structure import HANDOUT, PERSONAL
from ui.conversation import Turn, answer_with_references, history
from ui.render import (
    WELCOME,
    document_href,
    find_span,
    highlight,
    render_answer,
    render_transcript,
)

PASSAGE = (
    "El Programa Violeta otorgó 4,321 apoyos económicos a mujeres jefas de familia en 2024. "
    "Las solicitudes se reciben en las oficinas del Instituto."
)


def chunk(text: str = PASSAGE, ordinal: int = 0, page: int | None = None, **kw: str) -> Chunk:
    doc_id = kw.get("doc_id", "0123456789abcdef")
    return Chunk(
        chunk_id=f"{doc_id}-{ordinal:04d}",
        doc_id=doc_id,
        ordinal=ordinal,
        text=text,
        start=0,
        end=len(text),
        page=page,
        page_end=page,
        heading=kw.get("heading", "Requisitos"),
        title=kw.get("title", "Programa Violeta"),
        source=kw.get("source", "programa_violeta.md"),
        institution=kw.get("institution", "Instituto de la Mujer"),
        date=kw.get("date", "2024-05-01"),
        kind=kw.get("kind", "informe"),
    )


def answer(text: str, citations: tuple[Citation, ...], answered: bool = True) -> Answer:
    return Answer("¿Pregunta?", "¿Pregunta?", text, citations, (), answered)


VIOLETA = Citation(
    "1",
    chunk(),
    "El Programa Violeta otorgó 4,321 apoyos económicos a mujeres jefas de familia en 2024.",
)


def test_markers_link_to_cards_with_highlighted_quote() -> None:
    html = render_answer(answer("Se otorgaron 4,321 apoyos. [1]", (VIOLETA,)), turn=2)
    assert '<a class="cite" href="#fuente-2-1"' in html
    assert 'id="fuente-2-1"' in html
    assert "<mark>El Programa Violeta otorgó 4,321 apoyos" in html
    assert "Instituto de la Mujer · 2024-05-01 · Requisitos · informe" in html
    assert 'class="msg bot answer"' in html
    assert 'href="documento/0123456789abcdef?pasaje=0#pasaje"' in html


def test_unknown_markers_stay_text_and_keys_are_read_in_order() -> None:
    html = render_answer(answer("Dato [1]. Otro [7]. Ambos [1, 7].", (VIOLETA,)), turn=1)
    assert "[7]" in html and 'href="#fuente-1-7"' not in html
    assert cited_keys("a [2] b [1][2] c [3, 1]") == ["2", "1", "3"]


def test_everything_from_documents_and_questions_is_escaped() -> None:
    evil = chunk(
        "Aviso <script>alert('x')</script> y <img src=x onerror=alert(1)> fin.",
        title="<b>Título</b>",
    )
    citation = Citation("1", evil, "<script>alert('x')</script>")
    html = render_transcript([Turn("<i>hola</i>", answer("<script>x</script> [1]", (citation,)))])
    assert "<script" not in html and "<img" not in html and "<b>" not in html
    assert "&lt;script&gt;alert(&#x27;x&#x27;)&lt;/script&gt;" in html
    assert "<mark>&lt;script&gt;" in html
    assert "&lt;i&gt;hola&lt;/i&gt;" in html
    # the copy text travels in an attribute: quotes are escaped too, so it cannot break out
    copy = re.search(r'data-copy="([^"]*)"', html)
    assert copy and "&lt;script&gt;" in copy.group(1)


def test_refusal_looks_different_and_has_no_cards() -> None:
    html = render_answer(answer(NOT_IN_DOCUMENTS, (), answered=False), turn=1)
    assert 'class="msg bot refusal"' in html
    assert "No está en los documentos" in html
    assert "Fuentes" not in html


def test_pdf_cards_open_the_document_at_its_page() -> None:
    pdf = Citation("1", chunk(page=7, source="ley.pdf", ordinal=3), "El Programa Violeta")
    assert document_href(pdf) == "documento/0123456789abcdef#page=7"
    assert "p. 7" in render_answer(answer("x [1]", (pdf,)), 1)


def test_long_passages_are_trimmed_around_the_quote() -> None:
    long = "inicio " * 200 + "la frase citada aquí" + " final" * 200
    shown = highlight(long, "la frase  citada\naquí", radius=50)
    assert "<mark>la frase citada aquí</mark>" in shown
    assert shown.startswith("… ") and shown.endswith(" …")
    assert len(shown) < 200
    assert find_span("a  b\nc", "a b c") == (0, 6)
    assert highlight("texto", "no aparece").startswith("<mark>no aparece</mark>")


def test_transcript_welcomes_then_shows_pending_question() -> None:
    assert WELCOME in render_transcript([])
    pending = render_transcript([], pending="¿Y <b>esto</b>?", partial="")
    assert "Buscando en los documentos" in pending and "&lt;b&gt;" in pending
    streaming = render_transcript([], pending="¿Y esto?", partial="Parte de la resp")
    assert "Parte de la resp" in streaming


def test_votes_show_as_pressed() -> None:
    html = render_transcript([Turn("¿P?", answer("x [1]", (VIOLETA,)))], votes={1: "down"})
    assert 'data-value="down" aria-pressed="true"' in html
    assert 'data-value="up" aria-pressed="false"' in html
    assert "Gracias por tu opinión" in html


LINE = Citation("1", chunk("Línea Mujeres <24 h>: *765.", ordinal=9), "Línea Mujeres <24 h>: *765.")
GUIDANCE = Guidance(
    "Si estás en peligro ahora, llama al 911.",
    (ServiceNote("Secretaría <de> las Mujeres", "Línea Mujeres <24 h>: *765.", "1"),),
    (LINE,),
    "Los documentos consultados mencionan estos servicios:",
)


def test_crisis_guidance_shows_as_a_banner_above_the_answer() -> None:
    refusal = replace(answer(NOT_IN_DOCUMENTS, (), answered=False), guidance=GUIDANCE)
    html = render_answer(refusal, 1)
    assert html.index('class="crisis" role="alert"') < html.index('class="answer-text"')
    assert "Secretaría &lt;de&gt; las Mujeres:</strong> Línea Mujeres &lt;24 h&gt;: *765." in html
    assert '<a class="cite" href="#fuente-1-1"' in html and 'id="fuente-1-1"' in html
    assert html.split('class="actions"')[0].count("llama al 911") == 1  # not repeated below
    assert 'class="msg bot refusal"' in html

    # guidance alone: no empty answer under the banner
    alone = replace(answer("", (), answered=True), guidance=GUIDANCE, reason="crisis")
    html = render_answer(alone, 1)
    assert 'class="crisis" role="alert"' in html and 'class="answer-text"' not in html

    # an answer after the guidance cites passages of its own, numbered after the guidance's
    after = replace(answer("Se otorgaron 4,321 apoyos. [2]", (replace(VIOLETA, key="2"),)))
    html = render_answer(replace(after, guidance=GUIDANCE), 1)
    assert 'id="fuente-1-1"' in html and 'id="fuente-1-2"' in html
    assert "Fuentes (2)" in html

    # while the answer is still being written, the banner is already there
    pending = render_transcript([], pending="me pega", partial="", guidance=GUIDANCE)
    assert 'class="crisis" role="alert"' in pending and "Buscando en los documentos" in pending


def test_history_and_copy_text() -> None:
    other = Citation("1", chunk("Otro pasaje.", ordinal=5), "Otro pasaje.")
    first = Turn("¿Uno?", answer("A [1].", (VIOLETA,)))
    second = Turn("¿Dos?", answer("B [1]. C [2].", (other, replace(VIOLETA, key="2"))))
    assert history([first, second]) == ["¿Uno?", "¿Dos?"]
    copied = answer_with_references(first.answer)
    assert copied.startswith("A [1].\n\nFuentes:\n[1] Programa Violeta. Instituto de la Mujer, ")
    assert "«El Programa Violeta otorgó 4,321" in copied


def test_headings_are_headings_and_lists_lists_in_every_mode() -> None:
    citations = tuple(replace(VIOLETA, key=str(n)) for n in range(1, 6))
    handout = render_answer(answer(HANDOUT, citations), 2)
    # «Pregunta N» is the turn's h2; the answer's own headings are below it
    assert (
        '<h3 class="answer-heading">Ley General de Acceso de las Mujeres a una Vida Libre de '
        "Violencias</h3>"
    ) in handout
    assert "## " not in handout.split('class="actions"')[0]  # the copy text is Markdown
    assert '<ul class="bulleted"><li>ARTÍCULO 6.- Los tipos' in handout
    personal = render_answer(answer(PERSONAL, citations), 1)
    intro = (
        '<div class="list-block"><p class="list-intro">ARTÍCULO 6.- Los tipos de violencias '
        'contra las mujeres son: <a class="cite" href="#fuente-1-1"'
    )
    assert intro in personal
    assert '<ul class="enumerated"><li>I. La violencia psicológica.' in personal
    assert '<p class="more">Es cualquier acto' in personal
    assert personal.count("<li>") == 8
    transcript = render_transcript([Turn("¿Tipos?", answer(HANDOUT, citations))])
    assert '<h2 class="visually-hidden" id="titulo-1">Pregunta 1</h2>' in transcript
    # while it streams, the structure already shows
    streaming = render_transcript([], pending="¿Tipos?", partial=HANDOUT[:90])
    assert '<h3 class="answer-heading">' in streaming


def test_vote_icons_are_svg_not_emoji() -> None:
    html = render_answer(answer("x [1]", (VIOLETA,)), 1)
    assert html.count('<svg class="icon" aria-hidden="true"') == 2
    assert not re.search(r"[\U0001F300-\U0001FAFF\u2600-\u27BF]", html)
