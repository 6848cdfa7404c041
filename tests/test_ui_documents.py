"""The document route serves indexed corpus files only, shows text documents as escaped text
with the passage marked, and sends PDFs as they are."""

from __future__ import annotations

from pathlib import Path

import pytest

from assistant.core import Assistant, build_assistant
from tests.conftest import make_settings
from tests.test_loading import build_pdf
from ui.documents import CHANGED, NOT_FOUND, DocumentView, view_document

SCRIPTED = (
    "# Aviso de becas\n\n"
    "El aviso dice &lt;script&gt;alert('x')&lt;/script&gt; y también <b>negritas</b>.\n\n"
    "La Beca Naranja apoya a 300 estudiantes indígenas de Oaxaca.\n"
)


@pytest.fixture
def assistant(planted_corpus: Path, tmp_path: Path) -> Assistant:
    (planted_corpus / "aviso.md").write_text(SCRIPTED, encoding="utf-8")
    (planted_corpus / "informe.pdf").write_bytes(
        build_pdf([["Informe anual del instituto."], ["La Beca Azul tiene 120 becarias."]])
    )
    (planted_corpus / "notas.csv").write_text("no,indexado\n", encoding="utf-8")
    built, report = build_assistant(make_settings(tmp_path / "store", [planted_corpus]))
    assert report is not None and not report.failed
    return built


def view(assistant: Assistant, doc_id: str, passage: int | None = None) -> DocumentView:
    return view_document(
        assistant.documents,
        assistant.settings.corpus.dirs,
        assistant.retriever.chunks,
        doc_id,
        passage,
    )


def doc_id(assistant: Assistant, source: str) -> str:
    return assistant.documents[source].doc_id


def test_text_document_is_escaped_with_the_passage_marked(assistant: Assistant) -> None:
    identifier = doc_id(assistant, "aviso.md")
    chunk = next(c for c in assistant.retriever.chunks.values() if c.doc_id == identifier)
    page = view(assistant, identifier, chunk.ordinal)
    body = page.body.decode()
    assert page.status == 200 and page.media_type.startswith("text/html")
    assert "default-src 'none'" in page.headers["Content-Security-Policy"]
    assert "&lt;script&gt;alert(&#x27;x&#x27;)&lt;/script&gt;" in body
    assert "<script" not in body and "<b>" not in body
    assert '<mark id="pasaje">' in body and "Beca Naranja" in body
    assert "# Aviso" not in body  # heading markers are not shown


def test_pdf_is_sent_as_is(assistant: Assistant) -> None:
    page = view(assistant, doc_id(assistant, "informe.pdf"))
    assert page.status == 200 and page.media_type == "application/pdf"
    assert page.body.startswith(b"%PDF")
    assert page.headers["Content-Disposition"] == 'inline; filename="informe.pdf"'


@pytest.mark.parametrize(
    "requested",
    [
        "../../etc/passwd",
        "..%2F..%2Fetc%2Fpasswd",
        "/etc/passwd",
        "programa_violeta.md",
        "0000000000000000",
        "ABCDEF0123456789",
        "",
    ],
)
def test_anything_but_an_indexed_document_id_is_refused(
    assistant: Assistant, requested: str
) -> None:
    page = view(assistant, requested)
    assert page.status == 404
    assert NOT_FOUND.encode() in page.body.replace(b"&#x27;", b"'")


def test_files_not_indexed_are_refused(assistant: Assistant, planted_corpus: Path) -> None:
    from index.documents import hash_bytes

    unindexed = hash_bytes((planted_corpus / "notas.csv").read_bytes())[:16]
    assert view(assistant, unindexed).status == 404
    later = planted_corpus / "nuevo.txt"
    later.write_text("Añadido después de indexar.", encoding="utf-8")
    assert view(assistant, hash_bytes(later.read_bytes())[:16]).status == 404


def test_a_recorded_path_outside_the_corpus_is_refused(
    assistant: Assistant, tmp_path: Path
) -> None:
    identifier = doc_id(assistant, "programa_violeta.md")
    elsewhere = tmp_path / "otra_carpeta"
    elsewhere.mkdir()
    page = view_document(assistant.documents, [elsewhere], assistant.retriever.chunks, identifier)
    assert page.status == 404


def test_a_document_changed_since_indexing_is_refused(
    assistant: Assistant, planted_corpus: Path
) -> None:
    identifier = doc_id(assistant, "convenio_municipal.txt")
    (planted_corpus / "convenio_municipal.txt").write_text("Otro texto.", encoding="utf-8")
    page = view(assistant, identifier)
    assert page.status == 404 and CHANGED.encode() in page.body
