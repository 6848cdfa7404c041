"""Citation markers: one grammar, and every way of renumbering an answer keeps each marker on
the passage it named and each «quoted» span inside that passage."""

from __future__ import annotations

import re

from hypothesis import given, settings
from hypothesis import strategies as st
from llm_fakes import chunk

from assistant.answer import Citation
from assistant.markers import (
    cited_keys,
    drop_unoffered,
    link,
    marker_keys,
    renumber,
    renumber_answer,
    shift,
    shift_citations,
    shifted_sink,
    split_claims,
    without_markers,
)

PASSAGES = [
    "Los refugios prestan hospedaje, alimentación y asesoría jurídica gratuita.",
    "Las órdenes de protección se expiden en un plazo máximo de cuatro horas.",
    "La Línea Mujeres atiende las 24 horas en el *765.",
    "El Programa Violeta otorgó 4,321 apoyos en 2024; las solicitudes se reciben en Zacatecas.",
]


def test_the_grammar_reads_lists_words_and_ranges() -> None:
    assert marker_keys("a [1] b [2, 3] c [4; 5] d [6 y 7] e [8-10] f [1][2]") == [
        "1", "2", "3", "4", "5", "6", "7", "8", "9", "10", "1", "2",
    ]  # fmt: skip
    assert cited_keys("x [2] y [1][2] z [3, 1]") == ["2", "1", "3"]
    assert marker_keys("[2023-2025] no es un rango de citas") == ["2023", "2025"]


def test_dropping_renumbering_and_shifting_write_one_key_per_bracket() -> None:
    assert drop_unoffered("Uno [1, 7]. Dos [7]. Tres [2][3].", {"1", "2"}) == (
        "Uno [1]. Dos. Tres [2]."
    )
    assert drop_unoffered("Uno [7] y dos [1].", {"1"}) == "Uno y dos [1]."
    assert renumber("B [1]. C [2]. D [1 y 2].", {"1": "2", "2": "1"}) == "B [2]. C [1]. D [2][1]."
    assert shift("a [1][2] b [1, 3]", 2) == "a [3][4] b [3][5]"
    assert without_markers("Dato [1], otro [2-3].") == "Dato, otro."
    assert link("a [1 y 2]", lambda k: f"<{k}>") == "a <1><2>"


def test_streamed_markers_are_shifted_even_when_cut() -> None:
    received: list[str] = []
    sink = shifted_sink(received.append, 3)
    for piece in ["Dato [", "1", "]. Otro [2", "]. Y [1 y", " 2]."]:
        sink(piece)
    assert "".join(received) == "Dato [4]. Otro [5]. Y [4][5]."


def test_each_marker_closes_the_claim_it_follows() -> None:
    # list items without a period, quoted one after another: two claims, not one
    claims = split_claims("I. Hospedaje; [1] II. Alimentación y vestido; [2]")
    assert [(c.body, c.keys) for c in claims] == [
        ("I. Hospedaje;", ("1",)),
        ("II. Alimentación y vestido;", ("2",)),
    ]
    claims = split_claims("Atiende en Zacatecas [2] El instituto otorgó apoyos [1]")
    assert [c.keys for c in claims] == [("2",), ("1",)]
    # a marker inside a running sentence does not cut it
    claims = split_claims("Dio 350 apoyos [1] y cada uno fue de 5,000 pesos [1].")
    assert [c.keys for c in claims] == [("1",)]


def _quoted(text: str) -> list[str]:
    return re.findall(r"«([^»]+)»", text)


def _pointing(text: str, citations: tuple[Citation, ...]) -> list[tuple[str, list[str]]]:
    """For each claim: its body and the passage texts its markers name."""
    by_key = {c.key: c.chunk.text for c in citations}
    return [(c.body, [by_key[k] for k in c.keys if k in by_key]) for c in split_claims(text)]


@st.composite
def answers(draw: st.DrawFn) -> tuple[str, tuple[Citation, ...]]:
    """An answer of claims quoting passages word for word, each followed by the marker of the
    passage it quotes, under arbitrary keys (as a generator or a guidance might number them)."""
    keys = draw(st.permutations([str(n) for n in range(1, 10)]))
    chosen = draw(st.lists(st.sampled_from(range(len(PASSAGES))), min_size=1, max_size=6))
    citations = {}
    claims = []
    for index in chosen:
        key = keys[index]
        citations[key] = Citation(key, chunk(PASSAGES[index], index), PASSAGES[index])
        words = PASSAGES[index].rstrip(".").split()
        a = draw(st.integers(0, len(words) - 2))
        b = draw(st.integers(a + 1, len(words)))
        lead = draw(st.sampled_from(["Según el pasaje, ", "", "- "]))
        claims.append(f"{lead}«{' '.join(words[a:b])}» [{key}]")
    separator = draw(st.sampled_from([" ", "\n"]))
    return separator.join(claims), tuple(citations.values())


def _holds(before: tuple[str, tuple[Citation, ...]], after: tuple[str, tuple[Citation, ...]]):
    text, citations = after
    assert _pointing(text, citations) == _pointing(*before)
    by_key = {c.key: c.chunk.text for c in citations}
    for claim in split_claims(text):
        for quoted in _quoted(claim.text):
            assert all(quoted in by_key[k] for k in claim.keys), (quoted, claim.keys)


@settings(max_examples=200, deadline=None)
@given(answers())
def test_renumbering_keeps_markers_on_their_passages(answer: tuple[str, tuple[Citation, ...]]):
    text, citations = answer
    renumbered = renumber_answer(text, citations)
    _holds(answer, renumbered)
    assert [c.key for c in renumbered[1]] == [str(n) for n in range(1, len(renumbered[1]) + 1)]
    _holds(answer, shift_citations(text, citations, 3))
    _holds(answer, renumber_answer(text, citations, first=4))
