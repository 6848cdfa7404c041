"""The extractive generator on hand-made passages: the datum asked for must belong to what the
question names, not sit beside it in another part of the document; a part of a question is
answered by what a sentence says, not by its document's name; a list comes whole."""

from __future__ import annotations

from dataclasses import replace

from llm_fakes import FixedCorpus, chunk

from assistant.extractive import ExtractiveGenerator
from assistant.lists import with_list
from assistant.sentence_pool import SentencePool
from index.retrieval import Hit

NODES = (
    "En mayo se presentó la Estrategia Territorial y se activó el trabajo de 128 nodos de "
    "empoderamiento económico en todo el país."
)
FILLER = " ".join(["Se realizaron talleres de capacitación para servidoras públicas."] * 30)
SEED = "El Instituto realizó el Proyecto Semilla en Tapachula, Chiapas, con mujeres migrantes."
QUESTION = "¿Cuántos nodos de empoderamiento económico operan en Chiapas?"


def _answer(*passages: tuple[str, int]) -> tuple[bool, str]:
    """Passages of one document, each at its character offset in it."""
    texts = [text for text, _ in passages]
    hits = [
        Hit(replace(chunk(text, n), doc_id="informe", start=at, end=at + len(text)), 1.0, 0.9)
        for n, (text, at) in enumerate(passages)
    ]
    generator = ExtractiveGenerator(FixedCorpus(texts, rare_words=["nodos", "Chiapas"]))
    draft = generator.generate(QUESTION, hits, [])
    return draft.answered, draft.reason


def test_a_count_and_a_place_far_apart_in_the_document_do_not_answer() -> None:
    answered, reason = _answer((NODES, 0), (f"{FILLER} {SEED}", 2000))
    assert not answered and "chiap" in reason


def test_a_count_with_its_place_in_the_next_sentence_answers() -> None:
    answered, reason = _answer((f"{NODES} Todos ellos operan en Chiapas.", 0))
    assert answered, reason


def test_a_number_that_counts_something_else_is_no_answer() -> None:
    listing = "Los temas fueron tres: 1. nodos de Chiapas, 2. créditos, 3. ferias."
    answered, reason = _answer((listing, 0))
    assert not answered and "cifra" in reason


def test_a_trainers_handout_has_a_heading_per_document_and_a_cited_bullet_per_sentence() -> None:
    text = f"{NODES} Todos ellos operan en Chiapas."
    hit = Hit(replace(chunk(text, 0, title="Informe 2023"), doc_id="informe"), 1.0, 0.9)
    generator = ExtractiveGenerator(FixedCorpus([text], rare_words=["nodos", "Chiapas"]))
    plain = generator.generate(QUESTION, [hit], [], "personal")
    handout = generator.generate(QUESTION, [hit], [], "capacitacion")
    assert plain.text.startswith("En mayo") and "\n" not in plain.text
    lines = handout.text.split("\n")
    assert lines[0] == "## Informe 2023"
    assert all(line.startswith("- ") and line.endswith("[1]") for line in lines[1:])
    assert handout.citations == plain.citations


def test_a_part_is_not_answered_by_the_name_of_its_document() -> None:
    # every passage's label carries «Instituto de Prueba»: the sentence about the phase does
    # not say what the Institute pays attention to
    text = "El Instituto de Prueba revisó los resultados de la fase 1 del programa."
    generator = ExtractiveGenerator(FixedCorpus([text], rare_words=["Instituto", "fase"]))
    question = (
        "¿Qué fase revisó el Instituto de Prueba y a qué presta especial atención el Instituto?"
    )
    draft = generator.generate(question, [Hit(chunk(text), 1.0, 0.9)], [])
    assert draft.answered and "fase 1" in draft.text
    assert "no responden a: «a qué presta especial atención el Instituto»" in draft.text


RULE = (
    "Artículo 325. Comete el delito de feminicidio quien prive de la vida a una mujer por una "
    "razón de género. Se considera que existe una razón de género cuando concurra cualquiera "
    "de las siguientes circunstancias:\n"
    "I. La víctima presente signos de violencia sexual;\n"
    "II. Haya existido entre el activo y la víctima una relación sentimental;\n"
    "III. Existan datos de amenazas previas."
)


def test_a_rule_brings_the_list_that_spells_it_out() -> None:
    pool = SentencePool([Hit(chunk(RULE), 1.0, 0.9)])
    rule = pool.sentences[0]
    assert rule.text.endswith("por una razón de género.")
    quoted = [s.text for s in with_list(pool, [rule], {}, wanted=False)]
    assert quoted[1].endswith("siguientes circunstancias:")
    assert any("relación sentimental" in s for s in quoted)
    assert any("amenazas previas" in s for s in quoted)
    # a list that follows without spelling the sentence out stays out
    other = "El Instituto presentó su informe anual. Las funciones del Consejo son:\nI. Vigilar."
    pool = SentencePool([Hit(chunk(other), 1.0, 0.9)])
    assert [s.text for s in with_list(pool, [pool.sentences[0]], {}, wanted=False)] == [
        "El Instituto presentó su informe anual."
    ]


def test_a_list_item_is_quoted_whole() -> None:
    text = (
        "Los lineamientos son los siguientes:\n"
        "X. Se evitará el uso de la arroba. No se utilizará para designar a hombres y mujeres, "
        "toda vez que no es un signo lingüístico.\n"
        "XI. Se usarán términos genéricos."
    )
    pool = SentencePool([Hit(chunk(text), 1.0, 0.9)])
    item = next(s for s in pool.sentences if s.text.startswith("X."))
    quoted = [s.text for s in with_list(pool, [item], {}, wanted=False)]
    assert quoted[0] == "X. Se evitará el uso de la arroba."
    assert quoted[1].endswith("no es un signo lingüístico.")
    assert not any(s.startswith("XI.") for s in quoted)  # the next item is not its rest


def test_a_definition_question_is_answered_by_the_definition() -> None:
    texts = [
        "Artículo 15 Octavus.- Las acciones afirmativas podrán incluir, entre otras, las medidas "
        "para favorecer el acceso de personas de grupos en situación de discriminación a "
        "espacios educativos y laborales mediante cuotas.",
        "Artículo 15 Séptimus.- Las acciones afirmativas son las medidas especiales, específicas "
        "y de carácter temporal, a favor de personas o grupos en situación de discriminación.",
    ]
    generator = ExtractiveGenerator(FixedCorpus(texts, rare_words=["afirmativas", "acciones"]))
    question = "Según la ley contra la discriminación, ¿qué son las acciones afirmativas?"
    draft = generator.generate(
        question, [Hit(chunk(t, n), 1.0, 0.9) for n, t in enumerate(texts)], []
    )
    assert draft.answered
    assert draft.text.startswith("Artículo 15 Séptimus.- Las acciones afirmativas son"), draft.text
