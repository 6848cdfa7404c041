"""Twenty conversations at once through the window's API (evals/load.py) on a real
`asistente serve` (extractive generator, real embedding model, seed corpus): no errors, and
every answer cited with its gold quote. Plus the pure parts of the load tool."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from evals.load import Turn, conversations, read_turn, run_load, serving
from evals.questions import load_questions
from tests.conftest import PROJECT

QUESTIONS = PROJECT / "evals" / "questions.jsonl"
USERS = 20


def test_conversations_open_with_a_fact_and_follow_up_after_their_history() -> None:
    questions = load_questions(QUESTIONS)
    by_id = {q.id: q for q in questions}
    talks = conversations(questions, users=3, turns=2)
    assert len(talks) == 3
    for talk in talks:
        first, *rest = talk
        assert first.quotes and by_id[first.question_id].kind == "fact"
        followup = by_id[rest[-1].question_id]
        assert [t.question for t in rest] == [*followup.history, followup.question]
        assert all(not t.quotes for t in rest[:-1]) and rest[-1].quotes
    assert len({t[0].question_id for t in conversations(questions, 20, 1)}) == 20


def test_reading_a_turn_from_the_transcript() -> None:
    first = (
        '<section class="turn" id="turno-1"><div class="msg bot answer">…'
        "<mark>el 26 y 27 de octubre en Canc&uacute;n</mark></div></section>"
    )
    second = '<section class="turn" id="turno-2"><div class="msg bot refusal"></div></section>'
    assert read_turn(first, 1) == (True, ["el 26 y 27 de octubre en Cancún"])
    transcript = first + second
    assert read_turn(transcript, 2) == (False, [])
    with pytest.raises(ValueError, match="2 turnos, no 3"):
        read_turn(transcript, 3)


@pytest.mark.slow
def test_twenty_conversations_at_once_are_all_answered_with_their_gold_quote(
    tmp_path: Path,
) -> None:
    env = {
        "ASISTENTE_ANSWER__GENERATOR": "extractive",
        "ASISTENTE_CONFIG": str(tmp_path / "sin-configuracion.toml"),
        "ASISTENTE_UI__FEEDBACK_DB": str(tmp_path / "opiniones.sqlite"),
    }
    assert "ASISTENTE_EMBEDDING__MODEL" not in os.environ  # the real model
    questions = load_questions(QUESTIONS)
    facts = sum(1 for q in questions if q.answerable and q.kind == "fact")
    with serving(tmp_path / "store", tmp_path / "serve.log", env) as url:
        # A few fact questions are declined, or answered without their gold quote, even when
        # asked alone; the load is made of twenty that are answered well alone, so that any
        # failure under load is the load's.
        chosen: list[list[Turn]] = []
        for talk in conversations(questions, users=facts, turns=1):
            alone = run_load(url, [talk])
            assert alone.errors == 0, alone.table()
            if alone.correct == 1:
                chosen.append(talk)
            if len(chosen) == USERS:
                break
        assert len(chosen) == USERS
        report = run_load(url, chosen)
    assert report.users == USERS and report.turns == USERS
    assert report.errors == 0, report.table()
    assert report.judged == report.answered == report.correct == USERS, report.table()
