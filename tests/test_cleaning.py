"""Pure cleaning functions, one quirk per test, on small inputs written like the real corpus."""

from __future__ import annotations

from index.cleaning import clean_markdown, clean_pdf_pages
from index.footnotes import call_mark, inline_footnotes
from index.lines import (
    Line,
    as_bullet,
    has_placeholder,
    is_reform_note,
    mark_structure,
    normalize_unicode,
    split_reform_notes,
    starts_block,
    structure_heading,
    tidy_line,
)
from index.markdown_text import markdown_lines, split_front_matter, strip_inline_markup
from index.page_furniture import (
    remove_leaked_headers,
    remove_page_furniture,
    remove_toc,
    repair_split_words,
    split_text_pages,
)
from index.paragraphs import Paragraph, assemble, build_paragraphs


def paragraphs_of(text: str) -> list[str]:
    return text.split("\n\n")


def assert_contract(text: str) -> None:
    """The chunker's contract: one line per paragraph, one blank line between paragraphs."""
    assert text == text.strip()
    assert "\n\n\n" not in text
    for paragraph in paragraphs_of(text):
        assert paragraph and "\n" not in paragraph
        assert paragraph == " ".join(paragraph.split())


# --- characters and inline markup ---------------------------------------------------------


def test_normalize_unicode_composes_accents_and_drops_invisible_characters() -> None:
    raw = "Garantizar\u00a0la protecci" + "o\u0301" + "n\x00\u200b de las mu\u00adjeres\r\n\tfin\f"
    assert normalize_unicode(raw) == "Garantizar la protección de las mujeres\n\tfin\f"


def test_strip_inline_markup() -> None:
    assert strip_inline_markup("**ARTÍCULO 1.**- Esta Ley") == "ARTÍCULO 1.- Esta Ley"
    assert (
        strip_inline_markup("ver [diputados.gob.mx](https://www.diputados.gob.mx)")
        == "ver diputados.gob.mx"
    )
    assert strip_inline_markup("![Tabla](img/t.png)texto") == "texto"
    assert strip_inline_markup("en agosto de 1983.[^603]") == "en agosto de 1983."
    assert (
        strip_inline_markup("*Igualdad entre mujeres y hombres.*")
        == "Igualdad entre mujeres y hombres."
    )
    assert strip_inline_markup("Protocolo de Atención *765.") == "Protocolo de Atención *765."
    html = '<p style="x"><strong>Séptima Sesi&oacute;n</strong> del Consejo</p>'
    assert " ".join(strip_inline_markup(html).split()) == "Séptima Sesión del Consejo"
    # A superscript call is marked, then replaced by its note or dropped (index.footnotes).
    called = strip_inline_markup("Expertise France<sup>3/</sup> y el")
    assert inline_footnotes([Line(called)])[0].text == "Expertise France y el"
    notes = inline_footnotes(
        [
            Line("en siete estados,<sup>1/</sup> y más".replace("<sup>1/</sup>", call_mark("1/"))),
            Line("1/ Aguascalientes y Durango."),
        ]
    )
    assert notes[0].text == "en siete estados (Aguascalientes y Durango), y más"
    assert strip_inline_markup("<sup>1/</sup>Aguascalientes").split() == ["1/", "Aguascalientes"]
    # Bold spanning two lines leaves one marker on each line.
    assert strip_inline_markup("a. **Revisar su estrategia de") == "a. Revisar su estrategia de"
    assert strip_inline_markup("las muchachas;**") == "las muchachas;"


def test_bullets_are_recognised_and_normalised() -> None:
    assert as_bullet("- ❖ El INMUJERES, en 2023") == "El INMUJERES, en 2023"
    assert as_bullet("➤ **Coordinar y promover**") == "**Coordinar y promover**"
    assert as_bullet("  • Coordinar las acciones") == "Coordinar las acciones"
    assert as_bullet("\t\uf0b7 Actas") == "Actas"
    assert as_bullet("o    Los planes anuales") == "Los planes anuales"
    assert as_bullet("  * 5º Observaciones finales") == "5º Observaciones finales"
    assert as_bullet("o presentarse a cargos") is None
    assert as_bullet("**Los espacios públicos**") is None
    assert as_bullet("-") is None


def test_tidy_line_removes_padding_placeholders_and_letter_spacing() -> None:
    assert tidy_line("un clima laboral libre de violencia:----------------------") == (
        "un clima laboral libre de violencia:"
    )
    assert tidy_line("Firma ____________ Fecha .............. 2018") == "Firma Fecha 2018"
    assert tidy_line("T R A N S I T O R I O") == "TRANSITORIO"
    assert tidy_line("[LLENAR — verificar en el POE]") == ""
    assert (
        tidy_line("Las presentes bases tienen  como\tfin") == "Las presentes bases tienen como fin"
    )
    assert has_placeholder("[VERIFICAR Y COMPLETAR NOMBRE OFICIAL DE LA LEY]")
    assert not has_placeholder("[…] (artículos 2o y 3o omitidos)")


# --- legal structure ----------------------------------------------------------------------


def test_reform_notes_are_split_off() -> None:
    assert split_reform_notes("Párrafo reformado DOF 15-01-2026 Toda persona tiene derecho") == [
        "Párrafo reformado DOF 15-01-2026",
        "Toda persona tiene derecho",
    ]
    note = "Párrafo adicionado DOF 13-10-2011. Reformado DOF 17-03-2025"
    assert split_reform_notes(f"{note} Toda Persona tiene derecho") == [
        note,
        "Toda Persona tiene derecho",
    ]
    assert split_reform_notes(
        "Fracción reformada DOF 14-11-2013 I Bis. Brecha salarial de género."
    ) == [
        "Fracción reformada DOF 14-11-2013",
        "I Bis. Brecha salarial de género.",
    ]
    assert split_reform_notes(
        "del Código Fiscal de la Federación, de la Artículo reformado DOF 19-01-2018"
    ) == [
        "del Código Fiscal de la Federación, de la",
        "Artículo reformado DOF 19-01-2018",
    ]
    assert split_reform_notes("Capítulo recorrido (antes Capítulo IV) DOF 20-03-2014") == [
        "Capítulo recorrido (antes Capítulo IV) DOF 20-03-2014"
    ]
    assert is_reform_note("Artículo reformado DOF 20-01-2009, 11-01-2021, 29-04-2022")
    assert not is_reform_note("Artículo 1.- La presente ley es reglamentaria")


def test_articles_fractions_and_incisos_start_paragraphs() -> None:
    for start in (
        "Artículo 1.- Las disposiciones",
        "ARTÍCULO 1. Esta Ley",
        "Artículo 6 Bis. La violencia",
        "Artículo 8o. Las policías",
        "ARTÍCULO ÚNICO.- Se expide",
        "Artículo 325.- Comete el delito",
        "III Bis. Discriminación interseccional",
        "II.-  Por los delitos cometidos",
        "a) Discriminación directa:",
        "12. Relacionado con lo anterior",
        "1.1 Glosario:",
        "PRIMERO. El artículo primero",
    ):
        assert starts_block(start), start
    for inside in (
        "Artículo 4o. de la Constitución Política",  # a citation wrapped onto a new line
        "Artículo 1 de la Constitución",
        "2005 Violencia familiar, sexual",
        "4. de este Código y no se extradite",
        "de los Estados Unidos Mexicanos",
    ):
        assert not starts_block(inside), inside


def test_structure_headings_take_their_name_from_the_next_line() -> None:
    lines = [
        Line("CAPÍTULO I"),
        Line("DE LA VIOLENCIA EN EL ÁMBITO FAMILIAR"),
        Line("ARTÍCULO 7.- Violencia familiar: Es el acto abusivo"),
        Line("TITULO II"),
        Line("MODALIDADES DE LAS VIOLENCIAS"),
        Line("Denominación del Título reformada DOF 15-01-2026"),
        Line("Sección Segunda"),
        Line("De las Atribuciones."),
        Line("Artículo 20.- Son atribuciones del Consejo:"),
        Line("CAPÍTULO V"),
        Line("DE LA VIOLENCIA FEMINICIDA Y DE LA ALERTA CONTRA"),
        Line("LAS MUJERES"),
        Line("Capítulo adicionado DOF 20-03-2014"),
        Line("CAPÍTULO PRIMERO", "heading", level=3),
        Line("DISPOSICIONES GENERALES"),
    ]
    marked = [(line.kind, line.level, line.text) for line in mark_structure(lines)]
    assert marked == [
        ("heading", 2, "CAPÍTULO I DE LA VIOLENCIA EN EL ÁMBITO FAMILIAR"),
        ("text", 0, "ARTÍCULO 7.- Violencia familiar: Es el acto abusivo"),
        ("heading", 1, "TITULO II MODALIDADES DE LAS VIOLENCIAS"),
        ("text", 0, "Denominación del Título reformada DOF 15-01-2026"),
        ("heading", 3, "Sección Segunda De las Atribuciones."),
        ("text", 0, "Artículo 20.- Son atribuciones del Consejo:"),
        ("heading", 2, "CAPÍTULO V DE LA VIOLENCIA FEMINICIDA Y DE LA ALERTA CONTRA LAS MUJERES"),
        ("text", 0, "Capítulo adicionado DOF 20-03-2014"),
        ("heading", 3, "CAPÍTULO PRIMERO DISPOSICIONES GENERALES"),
    ]
    assert structure_heading("Capítulo III de esta Ley establece las medidas") is None
    assert structure_heading("CAPÍTULO IV BIS") == (2, "CAPÍTULO IV BIS")
    assert structure_heading("Sección Segunda Bis. De la Comisión Nacional") is not None
    assert structure_heading("Capítulo I — De los Derechos Humanos")[0] == 2  # type: ignore[index]
    assert structure_heading("TRANSITORIOS") == (1, "TRANSITORIOS")


# --- paragraphs ---------------------------------------------------------------------------


def test_hard_wrapped_lines_are_joined_and_hyphenation_undone() -> None:
    wrapped = [
        "Artículo 1.- Las disposiciones de esta Ley son de orden",
        "público. El objeto de la misma es prevenir y eliminar todas",
        "las formas de discriminación, para garantizar la igualdad de",
        "oportunidades y de trato entre las personas, y así garanti-",
        "zar sus derechos.",
        "Para los efectos de esta ley se entenderá por:",
        "I. Ajustes razonables: Las modificaciones y adaptaciones",
        "necesarias en la infraestructura y los servicios;",
        "II. Consejo: El Consejo Nacional;",
    ]
    paragraphs = build_paragraphs([Line(text) for text in wrapped], width=60)
    assert [p.text for p in paragraphs] == [
        "Artículo 1.- Las disposiciones de esta Ley son de orden público. El objeto de la misma es "
        "prevenir y eliminar todas las formas de discriminación, para garantizar la igualdad de "
        "oportunidades y de trato entre las personas, y así garantizar sus derechos.",
        "Para los efectos de esta ley se entenderá por:",
        "I. Ajustes razonables: Las modificaciones y adaptaciones necesarias en la "
        "infraestructura y los servicios;",
        "II. Consejo: El Consejo Nacional;",
    ]


def test_unwrapped_lines_stay_separate_paragraphs() -> None:
    lines = [
        Line("La presente Ley tiene por objeto regular y garantizar la igualdad."),
        Line("Artículo reformado DOF 14-11-2013, 28-04-2022, 15-01-2026"),
        Line("Cuando se habla de la invisibilización nos referimos a un concepto"),
        Line("que oculta a las mujeres."),
        Line("Actas", "item"),
        Line("Acuerdos", "item"),
        Line("NO RECOMENDADO | ALTERNATIVA SUGERIDA", "row"),
    ]
    assert [p.text for p in build_paragraphs(lines, width=0)] == [
        "La presente Ley tiene por objeto regular y garantizar la igualdad.",
        "Artículo reformado DOF 14-11-2013, 28-04-2022, 15-01-2026",
        "Cuando se habla de la invisibilización nos referimos a un concepto que oculta a las "
        "mujeres.",
        "- Actas",
        "- Acuerdos",
        "NO RECOMENDADO | ALTERNATIVA SUGERIDA",
    ]


def test_page_breaks_inside_a_paragraph_are_recorded_and_mapped() -> None:
    lines = [
        Line("ARTÍCULO 2.- La Federación, en el ámbito de sus competencias, expedirán", page=1),
        Line("las normas y tomarán las medidas presupuestales.", page=2),
        Line("", "blank", page=2),
        Line("ARTÍCULO 3.- Todas las medidas que se deriven de la presente ley.", page=4),
    ]
    paragraphs = build_paragraphs(lines, width=75)
    assert paragraphs[0].breaks == (((paragraphs[0].text.index("las normas")), 2),)
    text, pages = assemble(paragraphs, page_count=4)
    assert [(p.number, p.start, p.end) for p in pages] == [
        (1, 0, text.index("las normas")),
        (2, text.index("las normas"), text.index("ARTÍCULO 3")),
        (3, text.index("ARTÍCULO 3"), text.index("ARTÍCULO 3")),  # an empty page
        (4, text.index("ARTÍCULO 3"), len(text)),
    ]
    assert assemble([Paragraph("a"), Paragraph("b")]) == ("a\n\nb", ())


# --- document-level repairs ---------------------------------------------------------------


def test_running_headers_and_page_counters_are_removed() -> None:
    title = "LEY GENERAL DE ACCESO DE LAS MUJERES A UNA VIDA LIBRE DE VIOLENCIAS"
    header = [title, "CÁMARA DE DIPUTADOS DEL H. CONGRESO", "Última Reforma DOF 15-01-2026"]
    pages = [
        [*header, "1 de 3", title, "Texto uno."],
        [*header, "2 de 3", "Texto dos.", "Página 2"],
        [*header, "3 de 3", "Texto tres.", "17"],
    ]
    assert remove_page_furniture(pages) == [
        [title, "Texto uno."],
        ["Texto dos."],
        ["Texto tres."],
    ]


def test_text_dumps_split_into_pages_after_counters() -> None:
    text = "uno\n1 de 2\nENCABEZADO\ndos\n2 de 2"
    assert split_text_pages(text) == ["uno\n1 de 2", "ENCABEZADO\ndos\n2 de 2", ""]
    assert split_text_pages("a\fb") == ["a", "b"]
    assert split_text_pages("sin contadores") == ["sin contadores"]


def test_table_of_contents_with_tabs_is_removed() -> None:
    lines = [
        Line("ARTÍCULO TERCERO.- Los artículos entrarán en vigor."),
        Line("ÍNDICE"),
        Line("Tema\tArtículo"),
        Line("CAPÍTULO PRIMERO DISPOSICIONES GENERALES\t1", "heading", level=3),
        Line("CAPÍTULO SEGUNDO DEL SISTEMA ESTATAL\t13", "heading", level=3),
        Line("", "blank"),
        Line("CAPÍTULO TERCERO DEL CONSEJO ESTATAL\t16", "heading", level=3),
        Line("Presentación ............ 4"),
        Line("TRANSITORIOS", "heading", level=2),
    ]
    assert remove_toc(lines) == [Line("ARTÍCULO TERCERO.- Los artículos entrarán en vigor.")]
    numbered = [Line("1.\tConstitución Política."), Line("2.\tLey Federal del Trabajo.")]
    assert remove_toc(numbered) == numbered


def test_split_words_are_repaired_only_with_document_evidence() -> None:
    lines = [
        Line("para garantizar el acceso de las mujeres a las medidas de protección"),
        Line("deberán garant izar la atención y dictar med idas urgentes en torno al caso"),
        Line("el entorno familiar y el torno de la puerta"),
    ]
    fixed = [line.text for line in repair_split_words(lines)]
    assert fixed[1] == "deberán garantizar la atención y dictar medidas urgentes en torno al caso"
    assert fixed[0] == lines[0].text and fixed[2] == lines[2].text


def test_leaked_running_header_is_removed_from_inside_sentences() -> None:
    leak = "PARA LA PROTECCIÓN Y ASISTENCIA A LAS VÍCTIMAS DE ESTOS DELITOS"
    title = f"LEY GENERAL PARA PREVENIR LOS DELITOS EN MATERIA DE TRATA DE PERSONAS Y {leak}"
    lines = [Line(title)] + [
        Line(f"hacerle creer que no tiene más {leak} opción que someterse {n}") for n in range(8)
    ]
    lines.append(Line(f"{leak} DECRETO por el que se reforma"))
    cleaned = [line.text for line in remove_leaked_headers(lines)]
    assert cleaned[0] == title
    assert cleaned[1] == "hacerle creer que no tiene más opción que someterse 0"
    assert cleaned[-1] == "DECRETO por el que se reforma"


# --- Markdown -----------------------------------------------------------------------------


def test_front_matter_goes_to_metadata() -> None:
    jekyll = (
        '---\nlayout: apartado\ntitle: "Comité CEDAW"\ncategories:\n   - "Mexico"\n---\n# Comité\n'
    )
    assert split_front_matter(jekyll) == (
        {"layout": "apartado", "title": "Comité CEDAW", "categories": "Mexico"},
        "# Comité\n",
    )
    pelican = (
        "Title: Funciones\nSlug: funciones\nSummary: .\nDate: 2020-05-04 09:12\n\n- Promover\n"
    )
    meta, body = split_front_matter(pelican)
    assert meta == {"title": "Funciones", "slug": "funciones", "date": "2020-05-04 09:12"}
    assert body == "\n- Promover\n"
    assert split_front_matter("Nota: esto es texto\nno metadatos\n") == (
        {},
        "Nota: esto es texto\nno metadatos\n",
    )


def test_markdown_article_heading_joins_its_separator_line() -> None:
    text = (
        "### Artículo 5\n.- Para los efectos de esta Ley se entenderá por:\n\n"
        "### Artículo 8o\n. Las policías harán una consideración especial.\n\n"
        "### Artículo 24\nBis.- El Sistema Nacional contará con un Pleno.\n\n"
        "### Artículo Primero\nEl presente decreto entrará en vigor.\n\n"
        "### Artículo 10\nArtículo reformado DOF 19-01-2018\n"
    )
    lines, _ = markdown_lines(text)
    assert [line.text for line in lines if line.kind != "blank"] == [
        "Artículo 5.- Para los efectos de esta Ley se entenderá por:",
        "Artículo 8o. Las policías harán una consideración especial.",
        "Artículo 24 Bis.- El Sistema Nacional contará con un Pleno.",
        "Artículo Primero. El presente decreto entrará en vigor.",
        "Artículo 10.",
        "Artículo reformado DOF 19-01-2018",
    ]
    assert all(line.kind != "heading" for line in lines)


def test_markdown_tables_headings_footnotes_and_metadata_table() -> None:
    text = (
        "# [VERIFICAR Y COMPLETAR NOMBRE OFICIAL DE LA LEY]\n\n"
        "| Campo | Valor |\n|---|---|\n| **Estatus** | VIGENTE |\n"
        "| **Última reforma** | [LLENAR — verificar] |\n\n"
        "###Cifras.\n\n#MeToo fue un movimiento.\n\n"
        "| NO RECOMENDADO | ALTERNATIVA SUGERIDA |\n| -------------- | -------------------- |\n"
        "| Los niños      | La niñez             |\n\n"
        "Observaciones de 1983.[^603]\n\n[^603]: Suplemento No. 45 (A/39/ 45), 1984\n"
    )
    cleaned = clean_markdown(text)
    assert_contract(cleaned.text)
    assert cleaned.metadata == {"estatus": "VIGENTE"}
    assert paragraphs_of(cleaned.text) == [
        "### Cifras.",
        "#MeToo fue un movimiento.",
        "NO RECOMENDADO | ALTERNATIVA SUGERIDA",
        "Los niños | La niñez",
        "Observaciones de 1983.",
        "[603] Suplemento No. 45 (A/39/ 45), 1984",
    ]


def test_markdown_inline_html_blocks_and_scripts_go() -> None:
    text = (
        '<p align="center">\n  <img class="img-responsive"\n   src="sesion.jpg"/>\n</p>\n\n'
        "<script>\nvar rastreo = 1;\n</script>\n<!-- nota\ninterna -->\n"
        "</br></br>\n\nTorreón, Coah.- Durante la **Séptima Sesión**, se anunció.\n\n.\n"
    )
    assert clean_markdown(text).text == "Torreón, Coah.- Durante la Séptima Sesión, se anunció."


def test_markdown_hard_wrapped_paragraphs_and_nested_bullets() -> None:
    body = (
        "El Comité acogió con beneplácito el informe inicial presentado por\n"
        "México y observó que se había promulgado un impresionante cuerpo\n"
        "legislativo para garantizar la igualdad de la mujer. También observó que\n"
        "quizá fuese conveniente recibir más información sobre la aplicación de\n"
        "dicha legislación.\n\n"
        "* Comité de Derechos Humanos\n  * 5º Observaciones finales sobre el Estado, Parag. 8\n"
    )
    text = clean_markdown(body * 3).text
    assert_contract(text)
    assert paragraphs_of(text)[:3] == [
        "El Comité acogió con beneplácito el informe inicial presentado por México y observó "
        "que se había promulgado un impresionante cuerpo legislativo para garantizar la igualdad "
        "de la mujer. También observó que quizá fuese conveniente recibir más información sobre "
        "la aplicación de dicha legislación.",
        "- Comité de Derechos Humanos",
        "- 5º Observaciones finales sobre el Estado, Parag. 8",
    ]


def test_plain_text_dump_loses_headers_and_keeps_structure() -> None:
    title = "LEY FEDERAL PARA PREVENIR LA DISCRIMINACIÓN"
    header = f"{title}\nCÁMARA DE DIPUTADOS DEL H. CONGRESO\n"
    text = (
        f"{header}{title}\nCAPÍTULO I\nDISPOSICIONES GENERALES\n"
        "Artículo 1.- Las disposiciones de esta Ley son de orden público y de\n"
        "interés social. El objeto de la misma es prevenir y eliminar todas\n1 de 3\n"
        f"{header}las formas de discriminación.\n2 de 3\n"
        f"{header}Artículo 2.- Corresponde al Estado promover las condiciones.\n3 de 3\n"
    )
    cleaned = clean_markdown(text, paged=True).text
    assert_contract(cleaned)
    assert "CÁMARA DE DIPUTADOS" not in cleaned and " de 3" not in cleaned
    assert paragraphs_of(cleaned) == [
        title,
        "## CAPÍTULO I DISPOSICIONES GENERALES",
        "Artículo 1.- Las disposiciones de esta Ley son de orden público y de interés social. El "
        "objeto de la misma es prevenir y eliminar todas las formas de discriminación.",
        "Artículo 2.- Corresponde al Estado promover las condiciones.",
    ]


def test_pdf_pages_flow_across_page_breaks() -> None:
    header = "CÓDIGO PENAL FEDERAL\nCÁMARA DE DIPUTADOS\nÚltima Reforma DOF 17-01-2024\n"
    pages = [
        f"{header}1 de 3\nArtículo 325.- Comete el delito de feminicidio quien prive de \n"
        "la vida a una mujer por razones de género cuando concurra alguna de las \n",
        f"{header}2 de 3\nsiguientes circunstancias: \n \nI. La víctima presenta signos; \n",
        f"{header}3 de 3\n \n",
    ]
    cleaned = clean_pdf_pages(pages)
    assert_contract(cleaned.text)
    first = paragraphs_of(cleaned.text)[0]
    assert first.startswith("Artículo 325.- Comete")
    assert first.endswith("alguna de las siguientes circunstancias:")
    assert "CÁMARA" not in cleaned.text and "de 3" not in cleaned.text
    offset = cleaned.text.index("siguientes circunstancias")
    assert [span.number for span in cleaned.pages] == [1, 2, 3]
    assert cleaned.pages[1].start == offset
    assert cleaned.pages[2].start == cleaned.pages[2].end == len(cleaned.text)
