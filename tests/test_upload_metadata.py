"""The card an uploaded document suggests for itself (title, institution, date, kind), read
from its metadata and opening lines as official documents print them."""

from __future__ import annotations

from pathlib import Path

import pytest

from index.documents import SourceFile, hash_bytes
from index.loading import load_document
from index.manifest import read_manifest
from tests.conftest import DEFAULT_CORPUS
from tests.test_loading import build_pdf
from ui.upload_metadata import DocumentCard, guess_card, guess_date, title_case

# The opening of a note on letterhead, as a .txt export of a scanned Word file prints it.
NOTE = """


GOBIERNO DE LA
CIUDAD DE MÉXICO

SECRETARIA DE LAS MUJERES



NOTA INFORMATIVA

Ciudad de México a 15 de marzo del 2024

Asunto: jornada de atención a mujeres en Iztapalapa

PARA: MTRA. CLARA BRUGADA MOLINA
JEFA DE GOBIERNO

La Secretaría de las Mujeres instaló 12 módulos de atención en la alcaldía Iztapalapa durante la
jornada del 8 de marzo, donde se atendió a 430 mujeres con asesoría jurídica y psicológica.
"""

# A municipal press release.
RELEASE = """Sala de Prensa Comunicación Social


Instala IMM Ventanilla Violeta en Ciudad Juárez

Lunes 3 de Junio del 2024

Orienta a mujeres sobre pensión alimenticia

El Instituto Municipal de las Mujeres (IMM) abrió la Ventanilla Violeta, que orienta a mujeres
sobre trámites de pensión alimenticia de lunes a viernes de 9:00 a 15:00 horas, informó la
directora del instituto durante la inauguración en la Unidad Administrativa.
"""

# A federal law as the Cámara de Diputados publishes it (text export).
LAW = """LEY GENERAL DE PRUEBA PARA LA IGUALDAD ENTRE MUJERES Y HOMBRES

Nueva Ley publicada en el Diario Oficial de la Federación el 2 de agosto de 2006

TEXTO VIGENTE
Última reforma publicada DOF 21-10-2025

Al margen un sello con el Escudo Nacional, que dice: Estados Unidos Mexicanos.- Presidencia de
la República.

ARTÍCULO 1.- La presente Ley tiene por objeto regular y garantizar la igualdad de oportunidades y
de trato entre mujeres y hombres, proponer los lineamientos y mecanismos institucionales.
"""

# An agreement of a state judiciary, with the front matter of the site it was taken from.
AGREEMENT = """Title: Acuerdo 45-2019 Protocolo de atención a víctimas
Category: Acuerdos del Consejo
Date: 2019-03-08 10:30


> ACUERDO C-45/2019 EMITIDO POR EL CONSEJO DE LA JUDICATURA DEL PODER JUDICIAL DEL ESTADO DE
> COAHUILA DE ZARAGOZA, EN SESIÓN CELEBRADA EL OCHO DE MARZO DEL AÑO DOS MIL DIECINUEVE, MEDIANTE
> EL CUAL SE APRUEBA EL PROTOCOLO DE ATENCIÓN A VÍCTIMAS DE VIOLENCIA DE GÉNERO.

## CONSIDERANDO

Que el Poder Judicial del Estado tiene la obligación de juzgar con perspectiva de género.
"""

# A gazette publication in Markdown, behind the banner of the site that converted it.
GAZETTE = """# [VERIFICAR Y COMPLETAR NOMBRE OFICIAL DE LA LEY]

> Las versiones electrónicas son únicamente de carácter informativo.

---

Publicado en el P. O. E. el 23 de junio de 2018.

PODER JUDICIAL
CONSEJO DE LA JUDICATURA DEL ESTADO DE CHIHUAHUA

ACUERDO DEL PLENO DEL CONSEJO DE LA JUDICATURA MEDIANTE EL CUAL SE APRUEBAN LAS BASES PARA
INVESTIGAR Y SANCIONAR EL ACOSO SEXUAL.

PRIMERO. El artículo primero de la Constitución Política de los Estados Unidos Mexicanos
establece que todas las personas gozarán de los derechos humanos reconocidos en ella.
"""

# Running text only: nothing to infer but what the text plainly is.
PROSE = """Durante la XLVII Reunión Ordinaria de la Conferencia Nacional de Gobernadores,
realizada el 10 de octubre de 2014, en la ciudad de Aguascalientes, se suscribió la
Declaración por la Igualdad entre Mujeres y Hombres, y se creó la Comisión
para la Igualdad entre Mujeres y Hombres.
"""


def card(tmp_path: Path, name: str, text: str | bytes) -> DocumentCard:
    path = tmp_path / name
    if isinstance(text, bytes):
        path.write_bytes(text)
    else:
        path.write_text(text, encoding="utf-8")
    return guess_card(load_document(SourceFile(path, name, hash_bytes(path.read_bytes()))))


@pytest.mark.parametrize(
    ("name", "text", "expected"),
    [
        (
            "nota_jornada.txt",
            NOTE,
            DocumentCard(
                "Nota informativa: Jornada de atención a mujeres en Iztapalapa",
                "Secretaría de las Mujeres de la Ciudad de México",
                "2024-03-15",
                "nota informativa",
            ),
        ),
        (
            "boletin_juarez.txt",
            RELEASE,
            DocumentCard(
                "Instala IMM Ventanilla Violeta en Ciudad Juárez",
                "Instituto Municipal de las Mujeres (IMM)",
                "2024-06-03",
                "comunicado",
            ),
        ),
        (
            "ley_prueba.txt",
            LAW,
            DocumentCard(
                "Ley General de Prueba para la Igualdad entre Mujeres y Hombres",
                "",
                "2025-10-21",
                "ley",
            ),
        ),
        (
            "acuerdo_45.md",
            AGREEMENT,
            DocumentCard(
                "Acuerdo 45-2019 Protocolo de atención a víctimas",
                "Consejo de la Judicatura del Poder Judicial del Estado de Coahuila de Zaragoza",
                "2019-03-08",
                "acuerdo",
            ),
        ),
        (
            "acuerdo_chihuahua.md",
            GAZETTE,
            DocumentCard(
                "Acuerdo del Pleno del Consejo de la Judicatura Mediante el Cual se Aprueban las "
                "Bases para Investigar y Sancionar el Acoso Sexual",
                "Consejo de la Judicatura del Estado de Chihuahua",
                "2018-06-23",
                "acuerdo",
            ),
        ),
        # nothing in the text: the title and kind the file's name gives
        ("convenios.txt", PROSE, DocumentCard("Convenios", "", "", "convenio")),
    ],
)
def test_cards_inferred_from_real_looking_openings(
    tmp_path: Path, name: str, text: str, expected: DocumentCard
) -> None:
    assert card(tmp_path, name, text) == expected


def test_a_pdf_card_from_its_first_lines(tmp_path: Path) -> None:
    pdf = build_pdf(
        [
            ["Programa Estatal de Becas Lila 2025", "Gobierno del Estado de Colima"],
            ["La Beca Lila entrega 2,750 pesos mensuales a madres estudiantes de Colima."],
        ]
    )
    assert card(tmp_path, "Becas Lila 2025.pdf", pdf) == DocumentCard(
        "Programa Estatal de Becas Lila 2025", "Gobierno del Estado de Colima", "2025", "programa"
    )


def test_names_in_capitals_become_names() -> None:
    assert title_case("CONSEJO DE LA JUDICATURA DEL ESTADO DE CHIHUAHUA") == (
        "Consejo de la Judicatura del Estado de Chihuahua"
    )
    assert title_case("INSTITUTO NACIONAL DE LAS MUJERES (INMUJERES)") == (
        "Instituto Nacional de las Mujeres (INMUJERES)"
    )
    assert title_case("Ya escrito Así") == "Ya escrito Así"
    assert title_case("LA CIUDAD DE MÉXICO", opening=False) == "la Ciudad de México"
    assert guess_date(["Texto sin fecha alguna."]) == ""
    assert guess_date(["Saltillo, Coahuila, 31 de febrero de 2020"]) == ""  # not a date


@pytest.mark.extra
def test_the_default_corpus_cards_agree_with_its_manifest(tmp_path: Path) -> None:
    """Each of the 25 documents read without its manifest entry: the inferred card agrees with
    the entry its curators wrote for most dates and kinds, and names the institution of the
    documents that print it in their opening."""
    manifest = read_manifest(DEFAULT_CORPUS)
    agree = {"institution": 0, "date": 0, "kind": 0}
    for name, entry in manifest.items():
        path = DEFAULT_CORPUS / name
        guessed = guess_card(load_document(SourceFile(path, name, hash_bytes(path.read_bytes()))))
        for field in agree:
            agree[field] += getattr(guessed, field) == getattr(entry, field)
        if guessed.institution:  # when it names one, it is the right body or within it
            assert guessed.institution.split(" (")[0].split(" de la Ciudad")[0] in (
                entry.institution.replace("Poder Judicial del ", "") + " " + entry.institution
            ), name
    assert len(manifest) == 25
    assert agree["date"] >= 17 and agree["kind"] >= 17 and agree["institution"] >= 9, agree
