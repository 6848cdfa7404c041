"""Checking written answers against cited passages: markers, claims, numbers, names, quotes."""

from __future__ import annotations

from llm_fakes import FixedCorpus, chunk

from assistant.details import restore_star_codes
from assistant.markers import assemble, drop_unoffered, marker_keys, split_claims
from assistant.verification import best_quote, check_claim, numbers

PASSAGE = (
    "El Programa Violeta otorgó 4,321 apoyos económicos a mujeres jefas de familia en 2024. "
    "Las solicitudes se reciben en las oficinas del Instituto de la Mujer de Zacatecas. "
    "La línea de atención es el *765."
)
CORPUS = FixedCorpus([PASSAGE], rare_words=["jefas", "Zacatecas", "tarjeta"])


def test_markers_not_offered_are_dropped_and_lists_split() -> None:
    text = "Dato uno [1, 7]. Dato dos [7]. Dato tres [2][3]."
    cleaned = drop_unoffered(text, {"1", "2"})
    assert cleaned == "Dato uno [1]. Dato dos. Dato tres [2]."
    assert marker_keys(cleaned) == ["1", "2"]


def test_claims_take_the_markers_that_follow_them() -> None:
    claims = split_claims("Otorgó 4,321 apoyos [1]. Se reciben en Zacatecas [2].")
    assert [c.keys for c in claims] == [("1",), ("2",)]
    assert claims[0].body == "Otorgó 4,321 apoyos."


def test_leading_markers_go_back_to_a_sentence_without_any() -> None:
    # "… apoyos. [2]": the period came before the marker
    claims = split_claims("Otorgó 4,321 apoyos. [2] Se reciben en Zacatecas [1].")
    assert [c.keys for c in claims] == [("2",), ("1",)]
    # a model that writes markers first keeps them with the sentence they open
    claims = split_claims("[1] Otorgó 4,321 apoyos. [2] Se reciben en Zacatecas.")
    assert [c.keys for c in claims] == [("1",), ("2",)]


def test_headings_and_bullets_keep_their_lines() -> None:
    text = "## Programa Violeta\n- Otorgó 4,321 apoyos [1]\n- Atiende en Zacatecas [1]"
    claims = split_claims(text)
    assert claims[0].structural and not claims[1].structural
    assert [c.line for c in claims] == [0, 1, 2]
    assert claims[1].body == "Otorgó 4,321 apoyos"
    assert assemble(claims) == text
    assert assemble(claims[:1]) == ""  # a heading with nothing under it goes


def test_numbers_join_thousands_and_keep_star_codes() -> None:
    assert numbers("4,321 apoyos en 2024, línea *765") == {"4321", "2024", "*765"}
    assert restore_star_codes("Llama al 765 [1].", PASSAGE) == "Llama al *765 [1]."
    assert restore_star_codes("Llama al *765 [1].", PASSAGE) == "Llama al *765 [1]."


def test_a_supported_sentence_passes() -> None:
    claim = split_claims("El programa dio 4321 apoyos a jefas de familia en 2024 [1].")[0]
    assert check_claim(claim, [chunk(PASSAGE)], CORPUS, rare_idf=5.0) == ()


def test_invented_numbers_names_and_rare_terms_are_caught() -> None:
    wrong_number = split_claims("El programa dio 5,000 apoyos [1].")[0]
    assert check_claim(wrong_number, [chunk(PASSAGE)], CORPUS, 5.0) == ("cifra 5000",)
    wrong_name = split_claims("Las solicitudes se reciben en Durango [1].")[0]
    assert check_claim(wrong_name, [chunk(PASSAGE)], CORPUS, 5.0) == ("nombre durang",)
    rare = split_claims("El apoyo se entrega con una tarjeta [1].")[0]
    assert check_claim(rare, [chunk(PASSAGE)], CORPUS, 5.0) == ("término tarjet",)


def test_a_figure_stitched_onto_another_sentences_subject_is_caught() -> None:
    stitched = split_claims("El Instituto de la Mujer de Zacatecas otorgó 4,321 apoyos [1].")[0]
    assert check_claim(stitched, [chunk(PASSAGE)], CORPUS, 5.0) == ("cifra 4321 de otra oración",)
    # the figure with its own sentence's subject, and a place from the next one, is fine
    joined = split_claims("El Programa Violeta dio 4,321 apoyos; se piden en Zacatecas [1].")[0]
    assert check_claim(joined, [chunk(PASSAGE)], CORPUS, 5.0) == ()


def test_accents_and_case_do_not_matter() -> None:
    claim = split_claims("las solicitudes se reciben en ZACATECAS, segun el programa [1].")[0]
    assert check_claim(claim, [chunk(PASSAGE)], CORPUS, 5.0) == ()


def test_uncited_sentences_are_unsupported_but_headings_are_not() -> None:
    plain, heading = split_claims("El programa dio 4321 apoyos.\n## Resumen")
    assert check_claim(plain, [], CORPUS, 5.0) == ("no cita ningún pasaje",)
    assert check_claim(heading, [], CORPUS, 5.0) == ()


def test_the_quote_is_the_best_matching_sentence_verbatim() -> None:
    quote = best_quote(chunk(PASSAGE), ["Las solicitudes se reciben en Zacatecas."], CORPUS)
    assert (
        quote
        == "Las solicitudes se reciben en las oficinas del Instituto de la Mujer de Zacatecas."
    )
    assert quote in PASSAGE
    assert best_quote(chunk(PASSAGE), ["dio 4321 apoyos"], CORPUS).startswith("El Programa")
