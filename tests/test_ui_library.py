"""The library as staff change it: uploads checked with the indexer's loader, saved under safe
names, indexed and answerable at once; withdrawn documents leave the index but not the disk."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pytest

from assistant.core import build_assistant
from index.manifest import read_manifest
from tests.conftest import make_settings
from tests.test_loading import build_pdf
from ui.library import LibraryError, add_document, library_rows, library_table, safe_name
from ui.window import Upload, Window

BECA_PDF = build_pdf(
    [
        ["Programa Estatal de Becas Lila 2025"],
        ["La Beca Lila entrega 2,750 pesos mensuales a madres estudiantes de Colima."],
    ]
)


@pytest.mark.parametrize(
    ("given", "expected"),
    [
        ("Informe Anual 2024 (versión final).PDF", "informe_anual_2024_version_final.pdf"),
        ("../../etc/passwd.txt", "passwd.txt"),
        ("C:\\Users\\ana\\Leyes\\ley ñandú.md", "ley_nandu.md"),
        (".oculto.html", "oculto.html"),
        ("¿¿??.htm", "documento.htm"),
    ],
)
def test_safe_names(given: str, expected: str) -> None:
    assert safe_name(given) == expected


def test_unsupported_kinds_are_refused_by_name() -> None:
    with pytest.raises(LibraryError, match=r"`virus.exe`: solo se aceptan archivos PDF, TXT"):
        safe_name("virus.exe")


def test_add_validates_before_accepting(tmp_path: Path) -> None:
    corpus = tmp_path / "corpus"
    upload = tmp_path / "subida.pdf"
    upload.write_bytes(b"%PDF-1.7 roto")
    with pytest.raises(LibraryError, match=r"`Informe.pdf` no se puede usar"):
        add_document(upload, "Informe.pdf", corpus, {}, 10_000_000)
    upload.write_bytes(b"   \n")
    with pytest.raises(LibraryError, match="vacío"):
        add_document(upload, "vacio.pdf", corpus, {}, 10_000_000)
    upload.write_bytes(BECA_PDF)
    with pytest.raises(LibraryError, match="máximo"):
        add_document(upload, "beca.pdf", corpus, {}, 100)
    assert not corpus.exists() or not any(corpus.iterdir())  # nothing half-written

    added = add_document(
        upload,
        "Becas Lila.pdf",
        corpus,
        {},
        10_000_000,
        {"title": "Becas Lila", "institution": "Gobierno de Colima", "date": "2025"},
    )
    assert added.path == corpus / "becas_lila.pdf"
    assert added.path.read_bytes() == BECA_PDF
    entry = read_manifest(corpus)["becas_lila.pdf"]
    assert (entry.title, entry.institution, entry.date) == (
        "Becas Lila",
        "Gobierno de Colima",
        "2025",
    )
    upload.write_text("Otro documento distinto con texto suficiente.", encoding="utf-8")
    again = add_document(upload, "becas lila.txt", corpus, {}, 10_000_000)
    assert again.path.name == "becas_lila.txt"
    upload.write_text("Y otro más, con el mismo nombre.", encoding="utf-8")
    assert add_document(upload, "becas lila.txt", corpus, {}, 10_000_000).path.name == (
        "becas_lila-2.txt"
    )


def test_uploaded_pdf_is_answerable_right_away_and_can_be_withdrawn(
    planted_corpus: Path, tmp_path: Path
) -> None:
    settings = make_settings(tmp_path / "store", [planted_corpus])
    settings.ui.feedback_db = tmp_path / "opiniones.sqlite"
    assistant, report = build_assistant(settings)
    window = Window(assistant, report)
    upload = tmp_path / "navegador" / "Becas Lila.pdf"
    upload.parent.mkdir()
    upload.write_bytes(BECA_PDF)
    steps: list[tuple[float, str]] = []
    message = window.add(
        [Upload(upload, upload.name)], status=lambda share, text: steps.append((share, text))
    )
    assert "✓" in message and "`becas_lila.pdf`" in message and "ya se puede preguntar" in message
    # progress counts the uploaded documents only, never names the others, ends at 100 %
    assert set(steps[:-1]) == {(0.0, "Indexando 1 de 1 documento")} and steps[-1] == (
        1.0,
        "Índice al día",
    )
    answer = assistant.answer("¿Cuánto entrega la Beca Lila a las madres estudiantes?")
    assert answer.answered
    assert answer.citations[0].chunk.source == "becas_lila.pdf"
    assert answer.citations[0].chunk.page_end == 2  # the passage runs onto page 2

    duplicate = window.add([Upload(upload, "copia.pdf")])
    assert "ya está en la biblioteca" in duplicate

    steps.clear()
    message = window.withdraw("becas_lila.pdf", lambda share, text: steps.append((share, text)))
    assert {text for _, text in steps} == {"Actualizando el índice", "Índice al día"}
    assert message.startswith("✓ Se retiró") and ".retirados" in message
    assert "becas_lila.pdf" not in assistant.documents
    assert (planted_corpus / ".retirados" / "becas_lila.pdf").is_file()
    assert not assistant.answer("¿Cuánto entrega la Beca Lila a las madres estudiantes?").answered
    window.close()


def test_library_lists_documents_and_failures(planted_corpus: Path, tmp_path: Path) -> None:
    (planted_corpus / "dañado.pdf").write_bytes(b"%PDF-1.7 no es un pdf completo")
    assistant, report = build_assistant(make_settings(tmp_path / "store", [planted_corpus]))
    assert report is not None
    rows = library_rows(assistant.documents, report.failed)
    assert [row[0] for row in rows[:3]] == [
        "Convenio municipal",
        "LEY DE PRUEBA DEL ESTADO",
        "Programa Violeta de Apoyo",
    ]
    assert all(row[5] == "indexado" and len(row[7]) == 16 for row in rows[:3])
    assert all(row[6] == "—" for row in rows[:3])  # the planted corpus has no manifest
    failed = rows[-1]
    assert failed[0] == "dañado.pdf" and failed[5].startswith("falló: ") and failed[7] == ""

    odd = ["<b>raro</b>.md", "—", "—", "—", "0", "falló: <i>x</i>", "—", ""]
    html = library_table([*rows, odd])
    assert "<caption>3 documentos indexados, 2 con error</caption>" in html
    assert f'<a href="documento/{rows[0][7]}"' in html
    assert 'data-label="Estado">falló: ' in html
    assert "<b>" not in html and "<i>" not in html and "&lt;b&gt;raro&lt;/b&gt;.md" in html


def test_the_library_says_where_each_document_comes_from(tmp_path: Path) -> None:
    """The default corpus ships laws, reports and pages of others: each row names its licence
    or the attribution it asks for, and where it was taken from."""
    from tests.conftest import DEFAULT_CORPUS

    corpus = tmp_path / "corpus"
    corpus.mkdir()
    names = [
        "cladem_mexico_mesecvi_belem_do_para_informe_final_2012.md",
        "implan_torreon_comunicado_2018-08-10_colaboracion_IMPLAN_IMM_diagnostico_violencia.md",
    ]
    for name in names:
        (corpus / name).write_bytes((DEFAULT_CORPUS / name).read_bytes())
    manifest = (DEFAULT_CORPUS / "manifest.toml").read_text(encoding="utf-8")
    (corpus / "manifest.toml").write_text(manifest, encoding="utf-8")
    assistant, _ = build_assistant(make_settings(tmp_path / "store", [corpus]))
    rows = {row[0]: row for row in library_rows(assistant.documents, {})}
    mesecvi = next(row for title, row in rows.items() if "MESECVI" in title)
    assert mesecvi[6].startswith("CC-BY-SA 4.0, CLADEM · https://github.com/BitsofSpace")
    implan = next(row for title, row in rows.items() if title.startswith("Presentan colaboración"))
    assert "Fuente: IMPLAN Torreón" in implan[6]
    assert 'data-label="Procedencia">CC-BY-SA 4.0' in library_table(list(rows.values()))


def test_several_uploads_checked_then_added_with_their_cards(
    planted_corpus: Path, tmp_path: Path
) -> None:
    """Each file is checked and gets the card its document suggests; staff correct one; both
    are added with their cards in the manifest, progress counting «1 de 2», «2 de 2»."""
    from tests.test_upload_metadata import NOTE, RELEASE

    settings = make_settings(tmp_path / "store", [planted_corpus])
    settings.ui.feedback_db = tmp_path / "opiniones.sqlite"
    assistant, report = build_assistant(settings)
    window = Window(assistant, report, tmp_path / "exportaciones")
    browser = tmp_path / "navegador"
    browser.mkdir()
    (browser / "nota.txt").write_text(NOTE, encoding="utf-8")
    (browser / "boletín.txt").write_text(RELEASE, encoding="utf-8")
    (browser / "virus.exe").write_bytes(b"MZ\x90\x00")
    note, release, virus = (
        Upload(browser / name, name) for name in ("nota.txt", "boletín.txt", "virus.exe")
    )
    with pytest.raises(LibraryError, match=r"`virus.exe`: solo se aceptan archivos PDF"):
        window.inspect(virus)
    guessed = window.inspect(note)
    assert guessed.institution == "Secretaría de las Mujeres de la Ciudad de México"
    corrected = replace(
        window.inspect(release), institution="Instituto Municipal de las Mujeres de Ciudad Juárez"
    )
    steps: list[str] = []
    message = window.add(
        [replace(note, card=guessed), replace(release, card=corrected)],
        status=lambda share, text: steps.append(text),
    )
    assert message.count("ya se puede preguntar") == 2
    assert "Indexando 1 de 2 documentos" in steps and "Indexando 2 de 2 documentos" in steps
    assert not any("convenio" in step or "ley_ficticia" in step for step in steps)
    manifest = read_manifest(planted_corpus)
    assert manifest["nota.txt"].date == "2024-03-15"
    assert (
        manifest["nota.txt"].title
        == "Nota informativa: Jornada de atención a mujeres en Iztapalapa"
    )
    assert (
        manifest["boletin.txt"].institution == "Instituto Municipal de las Mujeres de Ciudad Juárez"
    )
    assert assistant.documents["boletin.txt"].kind == "comunicado"
    window.close()
