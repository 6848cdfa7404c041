"""The structure of an answer, read once for the window and both exports: headings, paragraphs
and lists with their introductions, on answers as the generators write them."""

from __future__ import annotations

from ui.structure import (
    Heading,
    Item,
    ListBlock,
    Paragraph,
    answer_blocks,
    comes_later,
    enumerated_run,
    follows,
)

# As the extractive generator writes for «Personal» (one sentence or item per line).
PERSONAL = (
    "ARTÍCULO 6.- Los tipos de violencias contra las mujeres son: [1]\n"
    "I. La violencia psicológica. [1]\n"
    "Es cualquier acto u omisión que dañe la estabilidad psicológica; [1]\n"
    "II. La violencia física; [1] III. La violencia patrimonial.- Es cualquier acto u omisión "
    "que afecta la supervivencia de la víctima. [2]\n"
    "IV. Violencia económica.- Es toda acción u omisión del Agresor. [2]\n"
    "VI. Violencia a través de interpósita persona [4]\n"
    "Se manifiesta a través de diversas conductas, entre otras: [4]\n"
    "a) Amenazar con causar daño a las hijas e hijos; b) Amenazar con ocultar, retener, o "
    "sustraer a hijas e hijos; c) Utilizar a hijas y/o hijos para obtener información [4]\n"
    "ARTÍCULO 18.- Violencia Institucional: Son los actos u omisiones de las y los servidores "
    "públicos. [5]"
)

# As it writes for «Capacitación»: a heading per document, a bullet per point.
HANDOUT = (
    "## Ley General de Acceso de las Mujeres a una Vida Libre de Violencias\n"
    "- ARTÍCULO 6.- Los tipos de violencias contra las mujeres son: [1]\n"
    "- I. La violencia psicológica. [1]\n"
    "\n"
    "## Instituto Nacional de las Mujeres: acciones y resultados 2023\n"
    "- Se aprobaron 127 créditos a mujeres de 29 entidades federativas. [2]"
)


def test_personal_answer_keeps_its_enumerations_with_their_introductions() -> None:
    blocks = answer_blocks(PERSONAL)
    types = [type(b).__name__ for b in blocks]
    assert types == ["ListBlock", "ListBlock", "Paragraph"]
    law, conducts, article = blocks
    assert isinstance(law, ListBlock) and not law.bulleted
    assert law.intro == "ARTÍCULO 6.- Los tipos de violencias contra las mujeres son: [1]"
    assert [item.text.split(".")[0] for item in law.items] == ["I", "II", "III", "IV", "VI"]
    # the line between I and II continues I; «; [1]» before III closes II
    assert law.items[0].more == (
        "Es cualquier acto u omisión que dañe la estabilidad psicológica; [1]",
    )
    assert law.items[1] == Item("II. La violencia física [1]")
    assert isinstance(conducts, ListBlock)
    assert conducts.intro.startswith("Se manifiesta a través de diversas conductas")
    assert [i.text[:2] for i in conducts.items] == ["a)", "b)", "c)"]
    assert conducts.items[-1].text.endswith("obtener información [4]")
    assert isinstance(article, Paragraph) and article.text.startswith("ARTÍCULO 18.-")


def test_handout_headings_are_headings_and_bullets_a_list() -> None:
    blocks = answer_blocks(HANDOUT)
    assert blocks[0] == Heading(
        "Ley General de Acceso de las Mujeres a una Vida Libre de Violencias"
    )
    first = blocks[1]
    assert isinstance(first, ListBlock) and first.bulleted and not first.intro
    assert first.items == (
        Item("ARTÍCULO 6.- Los tipos de violencias contra las mujeres son: [1]"),
        Item("I. La violencia psicológica. [1]"),
    )
    assert blocks[2] == Heading("Instituto Nacional de las Mujeres: acciones y resultados 2023")
    assert isinstance(blocks[3], ListBlock) and len(blocks[3].items) == 1


def test_an_introduction_is_never_left_alone() -> None:
    text = "Los requisitos son: [1]\n- Identificación oficial [1]\n- CURP [1]"
    (block,) = answer_blocks(text)
    assert isinstance(block, ListBlock) and block.intro == "Los requisitos son: [1]"
    # items after the introduction on the same line
    (inline,) = answer_blocks("Se piden: [2] I. Acta de nacimiento; II. CURP; III. Comprobante [2]")
    assert isinstance(inline, ListBlock) and inline.intro == "Se piden: [2]"
    assert [i.text for i in inline.items] == [
        "I. Acta de nacimiento",
        "II. CURP",
        "III. Comprobante [2]",
    ]
    # a sentence ending in «:» with no list after it stays a paragraph
    assert answer_blocks("El artículo dice lo siguiente:\n\nOtra cosa.") == (
        Paragraph("El artículo dice lo siguiente:"),
        Paragraph("Otra cosa."),
    )


def test_plain_sentences_and_deeper_headings() -> None:
    assert answer_blocks("Uno. [1]\nDos. [2]") == (Paragraph("Uno. [1]"), Paragraph("Dos. [2]"))
    assert answer_blocks("### Sección\nTexto.") == (Heading("Sección", 2), Paragraph("Texto."))
    assert answer_blocks("") == ()
    # a sentence that only mentions numbers is no list
    assert enumerated_run("En 2023 se firmaron 28 convenios; 5 con universidades.") is None
    assert answer_blocks("1. Primero; 2. Segundo [1]") == (
        ListBlock((Item("1. Primero"), Item("2. Segundo [1]")), bulleted=False),
    )


def test_labels_follow_each_other() -> None:
    assert follows("I", "II") and follows("IV", "V") and follows("IX", "X")
    assert follows("a", "b") and follows("h", "i") and follows("3", "4")
    assert not follows("II", "IV") and not follows("a", "c")
    assert comes_later("IV", "VI") and comes_later("a", "d") and not comes_later("VI", "a")


def test_bullets_run_on_one_line_are_a_list() -> None:
    """As «Personal» writes the items of a bulleted list of the document, on one line."""
    text = (
        "- El INMUJERES llevó a cabo tres sesiones ordinarias del SNIMH.; [1] - Como parte de "
        "las acciones del PROIGUALDAD, realizó 133 reuniones con diversas dependencias.; [2] - "
        "El INMUJERES y el INEGI realizaron el Encuentro “Contar y visibilizar. [4]\n"
        "Las estadísticas de género y de cuidados” para difundir el trabajo. [4]"
    )
    listed, after = answer_blocks(text)
    assert isinstance(listed, ListBlock) and listed.bulleted
    assert [item.text for item in listed.items] == [
        "El INMUJERES llevó a cabo tres sesiones ordinarias del SNIMH. [1]",
        "Como parte de las acciones del PROIGUALDAD, realizó 133 reuniones con diversas "
        "dependencias. [2]",
        "El INMUJERES y el INEGI realizaron el Encuentro “Contar y visibilizar. [4]",
    ]
    assert isinstance(after, Paragraph)
    # a dash inside an item is no bullet
    (one,) = answer_blocks("- Horario: lunes - viernes. [1]")
    assert isinstance(one, ListBlock) and len(one.items) == 1
