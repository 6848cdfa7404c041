"""Loading real corpus files and generated bad inputs into Documents; the corpus manifest."""

from __future__ import annotations

import io
import logging
import os
import time
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import pytest

from index.documents import Document, DocumentError, SourceFile, hash_bytes
from index.loading import EMPTY, load_document, scan_corpus
from index.manifest import ManifestEntry, read_manifest
from index.pdf import DAMAGED, ENCRYPTED, NO_TEXT

PROJECT = Path(__file__).resolve().parents[1]
DEFAULT = PROJECT / "corpus"  # the 25 documents
SEEDS = PROJECT / "tests" / "corpus"


def corpus_dir(path: Path) -> Path:
    if not path.is_dir():
        pytest.skip(f"no está la carpeta de documentos reales {path}; estas pruebas la necesitan")
    return path


@dataclass(frozen=True)
class Loaded:
    documents: dict[str, Document]
    seconds: float


@pytest.fixture(scope="module")
def extra() -> Loaded:
    """Every document of the default corpus but the seeds, loaded once (without the manifest,
    as a file dropped in the folder is), and how long that took."""
    root = corpus_dir(DEFAULT)
    seeds = {p.name for p in SEEDS.iterdir()}
    started = time.perf_counter()
    files = [file for file in scan_corpus([root]) if file.source not in seeds]
    documents = {file.source: load_document(file) for file in files}
    return Loaded(documents, time.perf_counter() - started)


def doc(extra: Loaded, prefix: str) -> Document:
    (match,) = [d for source, d in extra.documents.items() if source.startswith(prefix)]
    return match


def paragraphs(document: Document) -> list[str]:
    return document.text.split("\n\n")


def assert_contract(text: str) -> None:
    assert text == text.strip() and "\n\n\n" not in text
    for paragraph in text.split("\n\n"):
        assert paragraph and "\n" not in paragraph and paragraph == " ".join(paragraph.split()), (
            paragraph
        )
    assert not any(ord(ch) < 32 and ch != "\n" for ch in text)


def write(tmp_path: Path, name: str, data: bytes) -> SourceFile:
    path = tmp_path / name
    path.write_bytes(data)
    return SourceFile(path=path, source=name, sha256=hash_bytes(data))


def reason_for(file: SourceFile) -> str:
    with pytest.raises(DocumentError) as caught:
        load_document(file)
    assert f"`{file.source}`" in str(caught.value)  # the message names the file
    return caught.value.reason


def build_pdf(pages: Sequence[Sequence[str]]) -> bytes:
    """A real PDF with one Helvetica text line per string, written by hand (pypdf only reads)."""

    def escape(line: str) -> str:
        return line.replace("\\", "\\\\").replace("(", "\\(").replace(")", "\\)")

    kids = " ".join(f"{4 + 2 * i} 0 R" for i in range(len(pages)))
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        f"<< /Type /Pages /Kids [{kids}] /Count {len(pages)} >>".encode(),
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>",
    ]
    for i, lines in enumerate(pages):
        stream = "\n".join(
            ["BT /F1 10 Tf 12 TL 40 760 Td", *(f"({escape(s)}) Tj T*" for s in lines), "ET"]
        )
        content = stream.encode("cp1252")
        objects.append(
            f"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents {5 + 2 * i} 0 R "
            "/Resources << /Font << /F1 3 0 R >> >> >>".encode()
        )
        objects.append(b"<< /Length %d >>\nstream\n%s\nendstream" % (len(content), content))
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n%s\nendobj\n" % (number, body)
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (
        len(objects) + 1,
        xref,
    )
    return bytes(out)


LAW_PAGES = [
    [
        "CÁMARA DE DIPUTADOS DEL H. CONGRESO DE LA UNIÓN",
        "Última Reforma DOF 15-01-2026",
        "1 de 3",
        "LEY DE PRUEBA PARA LA IGUALDAD",
        "CAPÍTULO I",
        "DE LAS MEDIDAS DE PROTECCIÓN",
        "ARTÍCULO 1.- Las autoridades deberán garantizar la atención de las mujeres víctimas y",
        "dictarán las órdenes de protección que correspondan, en los términos de esta Ley y su",
    ],
    [
        "CÁMARA DE DIPUTADOS DEL H. CONGRESO DE LA UNIÓN",
        "Última Reforma DOF 15-01-2026",
        "2 de 3",
        "reglamento, sin dilación alguna.",
        "Párrafo reformado DOF 15-01-2026",
        "ARTÍCULO 2.- Las instituciones deberán garant izar el acceso a los refugios y a las",
        "medidas de atención integral.",
    ],
    [
        "CÁMARA DE DIPUTADOS DEL H. CONGRESO DE LA UNIÓN",
        "Última Reforma DOF 15-01-2026",
        "3 de 3",
        "ARTÍCULO 3.- Las medidas serán gratuitas.",
    ],
]


# --- real corpus files --------------------------------------------------------------------


@pytest.mark.extra
def test_every_extra_file_loads_fast_and_meets_the_text_contract(extra: Loaded) -> None:
    assert len(extra.documents) == 20
    for document in extra.documents.values():
        assert_contract(document.text)
        assert document.title and document.doc_id == document.doc_id[:16]
        assert (
            "[^" not in document.text and "**" not in document.text and "<img" not in document.text
        )
    print(f"\ncarga de extra/: {extra.seconds:.1f} s")
    assert (
        extra.seconds < 30
    )  # about 5 s on the 2-core box, 3.4 s of it pypdf reading the 88-page LGAMVLV


@pytest.mark.extra
def test_lgamvlv_pdf_headers_counters_split_words_and_pages(extra: Loaded) -> None:
    document = doc(extra, "ley_general_acceso_mujeres")
    text = document.text
    assert "de 88" not in text and "CÁMARA DE DIPUTADOS" not in text
    assert "Secretaría de Servicios Parlamentarios" not in text
    assert "garantizar" in text and "garant izar" not in text and "med idas" not in text
    assert document.title == "Ley General de Acceso de las Mujeres a una Vida Libre de Violencias"
    assert document.institution == "Cámara de Diputados del H. Congreso de la Unión"
    assert "## CAPÍTULO I DE LA VIOLENCIA EN EL ÁMBITO FAMILIAR" in paragraphs(document)
    assert "# TITULO PRIMERO" in paragraphs(document)
    # Article 2 runs from page 1 to page 2 and stays one paragraph.
    article_2 = next(p for p in paragraphs(document) if p.startswith("ARTÍCULO 2.-"))
    assert "expedirán las normas legales y tomarán las medidas presupuestales" in article_2
    assert "Párrafo reformado DOF 15-01-2026" in paragraphs(document)
    # Pages: 88 contiguous spans covering the text, and offsets land on the right page.
    assert [span.number for span in document.pages] == list(range(1, 89))
    assert document.pages[0].start == 0 and document.pages[-1].end == len(text)
    assert all(a.end == b.start for a, b in zip(document.pages, document.pages[1:], strict=False))
    assert document.page_at(article_2.index("tomarán") + text.index(article_2)) == 2
    assert document.page_at(text.index("ARTÍCULO 17.- El Estado mexicano")) == 10
    assert document.page_at(text.index("CAPÍTULO IV BIS DE LA VIOLENCIA POLÍTICA")) == 10
    assert document.page_at(text.index("ARTÍCULO 20 Bis.- La violencia política")) == 11


@pytest.mark.extra
def test_pdf_pages_map_offsets_to_pages_checked_against_pypdf(extra: Loaded) -> None:
    from pypdf import PdfReader

    from index.pdf import quiet_pypdf

    document = doc(extra, "ley_general_acceso_mujeres")
    with quiet_pypdf():
        reader = PdfReader(document.path)
        for number in (3, 25, 50, 87):
            raw = reader.pages[number - 1].extract_text()
            lines = [line.strip() for line in raw.splitlines() if len(line.strip()) > 60]
            unique = [line for line in lines if document.text.count(line) == 1]
            assert unique, number
            assert document.page_at(document.text.index(unique[len(unique) // 2])) == number


@pytest.mark.extra
def test_lfped_txt_headers_and_hard_wraps(extra: Loaded) -> None:
    document = doc(extra, "ley_federal_prevenir")
    assert document.text.count("CÁMARA DE DIPUTADOS DEL H. CONGRESO DE LA UNIÓN") == 0
    assert (
        "Secretaría de Servicios Parlamentarios" not in document.text
        and " de 54" not in document.text
    )
    assert document.title == "LEY FEDERAL PARA PREVENIR Y ELIMINAR LA DISCRIMINACIÓN"
    assert any(
        p.startswith("Artículo 1.- Las disposiciones") and "El objeto de la misma es prevenir" in p
        for p in paragraphs(document)
    )
    assert "## CAPÍTULO I DISPOSICIONES GENERALES" in paragraphs(document)
    assert "### Sección Segunda De las Atribuciones." in paragraphs(document)
    assert document.pages == ()


@pytest.mark.extra
def test_markdown_laws_join_article_separator_and_split_reform_notes(extra: Loaded) -> None:
    lgismh = paragraphs(doc(extra, "ley_general_igualdad_sustantiva"))
    assert any(
        p.startswith("Artículo 5.- Para los efectos de esta Ley se entenderá por:") for p in lgismh
    )
    assert any(p.startswith("Artículo 24 Bis.- El Sistema Nacional") for p in lgismh)
    assert not any(p.startswith((".-", ". ", "### Artículo")) for p in lgismh)
    assert "Fracción reformada DOF 14-11-2013" in lgismh
    assert any(p.startswith("I Bis. Brecha salarial de género.") for p in lgismh)
    cpeum = paragraphs(doc(extra, "constitucion_CPEUM"))
    assert "Párrafo reformado DOF 06-06-2019, 15-11-2024" in cpeum
    assert any(p.startswith("Toda persona tiene derecho a decidir de manera libre") for p in cpeum)
    assert any(p.startswith("Artículo 1o. En los Estados Unidos Mexicanos") for p in cpeum)
    trata = doc(extra, "ley_general_trata")
    leak = "PARA LA PROTECCIÓN Y ASISTENCIA A LAS VÍCTIMAS DE ESTOS DELITOS"
    assert trata.text.count(leak) <= 3  # only inside the law's own name
    assert "no tiene más opción" in trata.text


@pytest.mark.extra
def test_chihuahua_law_placeholders_metadata_table_and_toc(extra: Loaded) -> None:
    document = doc(extra, "chihuahua_ley_estatal")
    for placeholder in ("[LLENAR", "[VERIFICAR", "[HOY]", "| Campo"):
        assert placeholder not in document.text
    assert document.metadata["nombre corto para citas"] == "LEDMVLV-2024"
    assert "última reforma incluida en este archivo" not in document.metadata  # a placeholder value
    assert document.title == "LEY ESTATAL DEL DERECHO DE LAS MUJERES A UNA VIDA LIBRE DE VIOLENCIA"
    # The TOC at the end (tabs and article numbers) is gone; the chapter heading stays once.
    assert "ÍNDICE" not in document.text and "Tema Artículo" not in document.text
    assert paragraphs(document).count("### CAPÍTULO PRIMERO DISPOSICIONES GENERALES") == 1
    assert paragraphs(document)[-1].startswith("ARTÍCULO TERCERO.-")
    assert document.text.count("Texto Original.") >= 10  # historical versions are kept


@pytest.mark.extra
def test_chihuahua_protocol_toc_and_agreement_dash_padding(extra: Loaded) -> None:
    protocol = doc(extra, "chihuahua_poder_judicial")
    assert paragraphs(protocol).count("1. PRESENTACIÓN.") == 1
    assert "Referencias bibliográficas. 28" not in protocol.text
    agreement = doc(extra, "chihuahua_consejo")
    assert "----" not in agreement.text
    assert any(p.endswith("clima laboral libre de violencia:") for p in paragraphs(agreement))


@pytest.mark.extra
def test_cladem_front_matter_and_footnotes(extra: Loaded) -> None:
    document = doc(extra, "cladem_mexico_comite")
    assert document.metadata["layout"] == "apartado"
    assert "layout:" not in document.text and "cover:" not in document.text
    assert document.title.startswith(
        "Comité para la Eliminación de la Discriminación contra la Mujer"
    )
    assert "[^60" not in document.text
    assert "[603] Suplemento No. 45 (A/39/ 45), 1984" in paragraphs(document)
    # Hard-wrapped paragraphs come out as one line each.
    assert any(
        p.startswith("70. El Comité acogió") and p.endswith("datos empíricos.")
        for p in paragraphs(document)
    )


@pytest.mark.extra
def test_coahuila_pelican_header_tables_and_bullets(extra: Loaded) -> None:
    document = doc(extra, "coahuila_pj_acuerdo_C-311")
    assert document.title == "Acuerdo 311-2017 Lineamientos para el uso de lenguaje incluyente"
    assert document.date == "2017-11-16"
    for key in ("Slug:", "Save_As:", "Summary:", "Title:"):
        assert key not in document.text
    assert "Los niños | La niñez" in paragraphs(document)
    assert "- Actas" in paragraphs(document)
    functions = doc(extra, "coahuila_pj_unidad")
    assert functions.title == "Funciones"
    assert sum(p.startswith("- ") for p in paragraphs(functions)) == 5
    assert doc(extra, "coahuila_pj_acuerdo_C-12").text.startswith("ACUERDO C-12/2018")


@pytest.mark.extra
def test_html_page_keeps_the_article_body_only(extra: Loaded) -> None:
    document = doc(extra, "implan_torreon_mujeres_acceso")
    assert document.title == "Las mujeres y su acceso a una vida sin violencia"
    assert document.date == "2017-01-30"
    assert document.institution == "Instituto Municipal de Planeación y Competitividad de Torreón"
    assert "### Panorama en México" in paragraphs(document)
    assert document.text.startswith("En México se prohíbe la discriminación")
    for boilerplate in (
        "GoogleAnalyticsObject",
        "function(",
        "Toggle navigation",
        "Publicaciones relacionadas",
        "Compartir en Redes Sociales",
        "Planeación Urbana con Perspectiva de Género",
        "&oacute;",
    ):
        assert boilerplate not in document.text
    assert len(document.text) < 38_000 * 0.25


@pytest.mark.extra
def test_implan_markdown_headings_and_inline_html(extra: Loaded) -> None:
    document = doc(extra, "implan_torreon_dia_internacional")
    assert "### Cifras." in paragraphs(document) and "###Cifras" not in document.text
    assert "### Redes de apoyo." in paragraphs(document)
    note = doc(extra, "implan_torreon_comunicado")
    assert note.text.startswith("Séptima Sesión del Consejo del IMPLAN Torreón")
    assert "<p" not in note.text and "<img" not in note.text and "</br>" not in note.text


@pytest.mark.extra
def test_pdf_extracts_bullets_and_code_excerpt(extra: Loaded) -> None:
    protocol = doc(extra, "protocolo_nacional")
    assert "\uf0b7" not in protocol.text
    assert "- Declaración Universal de los Derechos Humanos(2)" in paragraphs(protocol)
    assert [span.number for span in protocol.pages] == list(range(1, 11))
    code = doc(extra, "codigo_penal_federal")
    assert any(
        p.startswith("Artículo 325. Comete el delito de feminicidio") for p in paragraphs(code)
    )
    assert " de 339" not in code.text and "CÁMARA DE DIPUTADOS" not in code.text


@pytest.mark.extra
def test_pypdf_warnings_stay_quiet(caplog: pytest.LogCaptureFixture) -> None:
    path = corpus_dir(DEFAULT) / "codigo_penal_federal_extracto_feminicidio_art325.pdf"
    caplog.set_level(logging.DEBUG, logger="pypdf")
    load_document(SourceFile(path=path, source=path.name, sha256=hash_bytes(path.read_bytes())))
    assert not [record for record in caplog.records if record.name.startswith("pypdf")]
    assert logging.getLogger("pypdf").level == logging.DEBUG  # restored after reading


def test_seed_documents_load() -> None:
    files = scan_corpus([corpus_dir(SEEDS)])
    documents = {file.source: load_document(file) for file in files}
    assert len(documents) == 5
    for document in documents.values():
        assert_contract(document.text)
    report = documents["inmujeres_informe_acciones_2023.md"]
    assert report.title == "INSTITUTO NACIONAL DE LAS MUJERES (INMUJERES) INTRODUCCIÓN"
    assert "❖" not in report.text and "➤" not in report.text
    assert any(p.startswith("- El INMUJERES, en 2023, llevó a cabo") for p in paragraphs(report))
    agreements = documents["inmujeres_convenios_entidades_federativas.txt"]
    assert "•" not in agreements.text and any(
        p.startswith("- Coordinar las acciones") for p in paragraphs(agreements)
    )


# --- generated inputs ---------------------------------------------------------------------


def test_generated_pdf_pages_headers_and_split_words(tmp_path: Path) -> None:
    document = load_document(write(tmp_path, "ley.pdf", build_pdf(LAW_PAGES)))
    assert_contract(document.text)
    assert paragraphs(document) == [
        "LEY DE PRUEBA PARA LA IGUALDAD",
        "## CAPÍTULO I DE LAS MEDIDAS DE PROTECCIÓN",
        "ARTÍCULO 1.- Las autoridades deberán garantizar la atención de las mujeres víctimas y "
        "dictarán las órdenes de protección que correspondan, en los términos de esta Ley y su "
        "reglamento, sin dilación alguna.",
        "Párrafo reformado DOF 15-01-2026",
        "ARTÍCULO 2.- Las instituciones deberán garantizar el acceso a los refugios y a las "
        "medidas de atención integral.",
        "ARTÍCULO 3.- Las medidas serán gratuitas.",
    ]
    assert document.title == "LEY DE PRUEBA PARA LA IGUALDAD"
    assert document.page_at(document.text.index("dictarán")) == 1
    assert document.page_at(document.text.index("reglamento, sin dilación")) == 2
    assert document.page_at(document.text.index("ARTÍCULO 2")) == 2
    assert document.page_at(document.text.index("ARTÍCULO 3")) == 3
    assert document.page_at(len(document.text) - 1) == 3


def test_bad_pdfs_raise_clear_spanish_errors(tmp_path: Path) -> None:
    from pypdf import PdfWriter

    good = build_pdf(LAW_PAGES)
    assert reason_for(write(tmp_path, "vacio.pdf", b"")) == EMPTY
    assert reason_for(write(tmp_path, "azar.pdf", os.urandom(4096))) == DAMAGED
    assert reason_for(write(tmp_path, "cortado.pdf", good[: len(good) // 2])) == DAMAGED
    assert (
        reason_for(write(tmp_path, "html.pdf", b"<html><body>No es un PDF</body></html>"))
        == DAMAGED
    )

    writer = PdfWriter(clone_from=io.BytesIO(good))
    writer.encrypt("secreto")
    locked = io.BytesIO()
    writer.write(locked)
    assert reason_for(write(tmp_path, "cifrado.pdf", locked.getvalue())) == ENCRYPTED

    blank = PdfWriter()
    blank.add_blank_page(width=612, height=792)
    scanned = io.BytesIO()
    blank.write(scanned)
    assert reason_for(write(tmp_path, "escaneo.pdf", scanned.getvalue())) == NO_TEXT


def test_text_encodings_and_bad_text_files(tmp_path: Path) -> None:
    sentence = "Artículo 1.- La niña tendrá acceso a la información “pública”."
    for name, data in {
        "utf8.txt": sentence.encode("utf-8"),
        "bom.txt": sentence.encode("utf-8-sig"),
        "utf16.txt": sentence.encode("utf-16"),  # with BOM
        "cp1252.txt": sentence.encode("cp1252"),
        "nul.md": sentence.replace("La ", "La \x00").encode("utf-8"),
    }.items():
        assert load_document(write(tmp_path, name, data)).text == sentence, name
    latin1 = "Protección de niñas y adolescentes".encode("latin-1")
    assert (
        load_document(write(tmp_path, "latin1.txt", latin1)).text
        == "Protección de niñas y adolescentes"
    )
    assert reason_for(write(tmp_path, "vacio.md", b"")) == EMPTY
    assert reason_for(write(tmp_path, "blancos.txt", b" \n\n\t ")) == EMPTY
    assert "no queda texto" in reason_for(
        write(tmp_path, "rayas.md", b"---\n\n----------\n. . .\n")
    )
    assert "binario" in reason_for(write(tmp_path, "binario.txt", bytes(range(256)) * 8))
    assert "formato no admitido" in reason_for(write(tmp_path, "informe.docx", b"PK\x03\x04"))


def test_html_fallbacks_drop_navigation_and_scripts(tmp_path: Path) -> None:
    page = """<html><head><title>Centro de Justicia | Gobierno</title>
    <script>var x = "secreto";</script>
    <meta name="author" content="Instituto Municipal de la Mujer"></head><body>
    <header>Portal del Gobierno</header><nav><ul><li>Inicio</li><li>Trámites</li></ul></nav>
    <main><h2>Servicios</h2><p>El Centro de Justicia ofrece asesor&iacute;a jur&iacute;dica<br>
    y atenci&oacute;n psicol&oacute;gica gratuita.</p>
    <ul><li>Atención 24 horas</li><li>Refugio temporal</li></ul>
    <table><tr><th>Servicio</th><th>Horario</th></tr>
    <tr><td>Asesoría</td><td>9 a 17 h</td></tr></table>
    <form><input value="buscar">Buscar</form><noscript>Activa JavaScript</noscript></main>
    <aside>Noticias relacionadas</aside><footer>Derechos reservados</footer></body></html>"""
    document = load_document(write(tmp_path, "centro.html", page.encode("utf-8")))
    assert_contract(document.text)
    assert paragraphs(document) == [
        "## Servicios",
        "El Centro de Justicia ofrece asesoría jurídica y atención psicológica gratuita.",
        "- Atención 24 horas",
        "- Refugio temporal",
        "Servicio | Horario",
        "Asesoría | 9 a 17 h",
    ]
    assert document.title == "Centro de Justicia"
    assert document.institution == "Instituto Municipal de la Mujer"


def test_manifest_entry_overrides_what_the_file_says(tmp_path: Path) -> None:
    file = write(tmp_path, "nota.md", b"Title: Nota vieja\nDate: 2020-01-01\n\nTexto de la nota.")
    entry = ManifestEntry(
        title="Nota nueva", institution="INMUJERES", date="2023-05-01", kind="informe"
    )
    document = load_document(file, entry)
    assert (document.title, document.institution, document.date, document.kind) == (
        "Nota nueva", "INMUJERES", "2023-05-01", "informe",
    )  # fmt: skip
    assert load_document(file).title == "Nota vieja"
    assert load_document(file).date == "2020-01-01"
    untitled = write(tmp_path, "informe_anual_2023.md", b"Texto sin encabezado.")
    assert load_document(untitled).title == "Informe anual 2023"


def test_scan_corpus_walks_skips_and_hashes(tmp_path: Path) -> None:
    (tmp_path / "leyes" / "federales").mkdir(parents=True)
    (tmp_path / ".oculta").mkdir()
    (tmp_path / "leyes" / "federales" / "b.PDF").write_bytes(b"%PDF-b")
    (tmp_path / "leyes" / "a.md").write_text("a", encoding="utf-8")
    (tmp_path / "README.md").write_text("léeme", encoding="utf-8")
    (tmp_path / "copia.txt").write_text("a", encoding="utf-8")  # same bytes as leyes/a.md
    (tmp_path / "manifest.toml").write_text("", encoding="utf-8")
    (tmp_path / ".oculta" / "x.md").write_text("x", encoding="utf-8")
    (tmp_path / ".borrador.md").write_text("y", encoding="utf-8")
    (tmp_path / "foto.png").write_bytes(b"\x89PNG")
    other = tmp_path.parent / f"{tmp_path.name}_otra"
    other.mkdir()
    (other / "z.html").write_text("<p>z</p>", encoding="utf-8")

    files = scan_corpus([tmp_path, other])
    assert [f.source for f in files] == [
        "README.md",
        "copia.txt",
        "leyes/federales/b.PDF",
        "z.html",
    ]
    assert files[1].sha256 == hash_bytes(b"a") and files[1].doc_id == hash_bytes(b"a")[:16]
    assert files[2].path == tmp_path / "leyes" / "federales" / "b.PDF"
    assert files[3].path == other / "z.html"
    assert scan_corpus([tmp_path, other]) == files


def test_read_manifest(tmp_path: Path) -> None:
    assert read_manifest(tmp_path) == {}
    (tmp_path / "manifest.toml").write_text(
        '["inmujeres_informe_labores_2023.txt"]\ntitle = "Informe de labores 2023"\n'
        'institution = "INMUJERES"\ndate = 2023-12-31\nkind = "informe"\n\n'
        '["./leyes/lgamvlv.pdf"]\ntitle = "LGAMVLV"\nurl = "https://www.diputados.gob.mx"\n',
        encoding="utf-8",
    )
    assert read_manifest(tmp_path) == {
        "inmujeres_informe_labores_2023.txt": ManifestEntry(
            title="Informe de labores 2023",
            institution="INMUJERES",
            date="2023-12-31",
            kind="informe",
        ),
        "leyes/lgamvlv.pdf": ManifestEntry(title="LGAMVLV", url="https://www.diputados.gob.mx"),
    }


@pytest.mark.parametrize(
    ("content", "expected"),
    [
        ('["a.txt"]\ntitle = "A"\ntitle = "B"\n', "línea 3"),
        (
            '["a.txt"]\ntitle = "A"\n\n["b.txt"]\ntitulo = "B"\n',
            "línea 4: campo desconocido `titulo`",
        ),
        ('["a.txt"]\ninstitution = "X"\n', "línea 1: falta el campo `title`"),
        ('["a.txt"]\ntitle = 3\n', "`title` de `a.txt` debe ser texto"),
        ('[a.txt]\ntitle = "A"\n', "escríbela entre comillas"),
        ('titulo = "suelto"\n', "debe ser una tabla"),
    ],
)
def test_malformed_manifest_raises_spanish_value_error(
    tmp_path: Path, content: str, expected: str
) -> None:
    (tmp_path / "manifest.toml").write_text(content, encoding="utf-8")
    with pytest.raises(ValueError) as caught:
        read_manifest(tmp_path)
    assert "manifest.toml" in str(caught.value) and expected in str(caught.value)
