"""The extractive generator's refusal decision on hand-made passages: the datum asked for must
belong to what the question names, not sit beside it in another part of the document."""

from __future__ import annotations

from dataclasses import replace

from llm_fakes import FixedCorpus, chunk

from assistant.extractive import ExtractiveGenerator
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
