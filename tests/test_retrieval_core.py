import unicodedata

from index.editorial import is_editorial
from index.fusion import reciprocal_rank_fusion, top_keeping_leaders
from index.keyword import KeywordIndex
from index.terms import fold, terms


def test_terms_fold_accents_stem_plurals_and_keep_numbers() -> None:
    assert terms("¿Cuántas MUJERES recibieron 1,234 créditos?") == terms(
        "cuantas mujeres recibieron 1234 creditos"
    )
    assert terms("mujeres") == terms("mujer")
    assert terms("entidades federativas") == terms("entidad federativa")
    assert "1234" in terms("un total de 1,234 apoyos")
    assert fold("Protección Niñas") == "proteccion ninas"


def test_fold_is_lower_case_nfkd_without_combining_marks_for_every_character() -> None:
    # fold's translate table is filled lazily; it must agree with the definition everywhere,
    # including characters that decompose to several (ligatures, fractions) or lower-case
    # to several (İ)
    def folded_by_definition(text: str) -> str:
        decomposed = unicodedata.normalize("NFKD", text.lower())
        marks = "".join(c for c in decomposed if not unicodedata.combining(c))
        return marks.replace("ñ", "n")

    plane = "".join(chr(c) for c in range(0x20, 0x30000) if not 0xD800 <= c < 0xE000)
    for text in (plane, "ÑANDÚ ﬁ ½ İstanbul ΣΟΦΊΑ", "Artículo 34 Ter, fracción II"):
        assert fold(text) == folded_by_definition(text)


def test_rrf_rewards_agreement_and_records_ranks() -> None:
    fused = reciprocal_rank_fusion({"dense": ["a", "b", "c"], "bm25": ["c", "a", "d"]}, k=60)
    assert [item for item, _, _ in fused][:2] == ["a", "c"]
    assert fused[0][2] == {"dense": 0, "bm25": 1}
    weighted = reciprocal_rank_fusion({"dense": ["a"], "bm25": ["b"]}, {"dense": 0.5, "bm25": 1.0})
    assert weighted[0][0] == "b"


def test_each_rankings_leader_keeps_a_place_in_the_top_k() -> None:
    # "x" is first for BM25 alone; "a", "b" and "c" are middling in both rankings
    rankings = {"dense": ["a", "b", "c", "y"], "bm25": ["x", "b", "a", "c"]}
    fused = reciprocal_rank_fusion(rankings, k=20)
    assert "x" not in [item for item, _, _ in fused][:3]
    top = top_keeping_leaders(fused, 3, {"a", "x"})
    assert [item for item, _, _ in top] == ["a", "b", "x"]  # fused order kept, "c" displaced
    assert top_keeping_leaders(fused, 3, set()) == fused[:3]


def test_editorial_residue_of_laws_is_told_from_short_content() -> None:
    for residue in [
        "Artículo 327.- Derogado.",
        "Artículo 12.- Derogado.\nArtículo derogado DOF 20-03-2014",
        "Denominación del Capítulo reformada DOF 10-01-1994",
        "Título adicionado DOF 28-01-2011\nCapítulo adicionado DOF 28-01-2011",
        "ARTÍCULO 31.- DEROGADO\nTexto original",
    ]:
        assert is_editorial(residue), residue
    for content in [
        "Llama al 911.",
        "ARTÍCULO 4.- Se crea el Consejo Estatal.",
        "Artículo 325. Comete el delito de feminicidio quien prive de la vida a una mujer.\n"
        "Párrafo reformado DOF 25-04-2023",
    ]:
        assert not is_editorial(content), content


def test_keyword_index_ranks_the_passage_with_rare_terms_first() -> None:
    index = KeywordIndex.of_texts(
        ["p1", "p2", "p3"],
        [
            "La violencia contra las mujeres en el ámbito familiar.",
            "Las órdenes de protección se expiden en ocho horas.",
            "Las mujeres tienen derecho a una vida libre de violencia.",
        ],
    )
    assert index.search("¿en cuánto tiempo se expide una orden de protección?", 3)[0][0] == "p2"
    assert index.search("palabra inexistente", 3) == []
    assert index.idf("proteccion") > index.idf(terms("mujeres")[0])
