"""No answer gives a phone number that a passage it cites does not print (911 excepted): the
whole question set through the extractive generator, and a subset of 30 through the LLM
generator (a full LLM pass takes most of an hour on two cores)."""

from __future__ import annotations

import re

import pytest

from assistant.answer import Answer
from assistant.core import build_assistant
from assistant.settings import Settings
from evals.questions import Question, load_questions
from tests.conftest import PROJECT

pytestmark = pytest.mark.slow

QUESTIONS = PROJECT / "evals" / "questions.jsonl"
# Written apart from assistant/contacts.py on purpose: a second opinion, not the same regex.
_PHONE = re.compile(r"\*\s?\d{2,}|\+?\(?\d[\d ().-]{5,}\d")
_CONTACT_WORDS = re.compile(r"tel[eé]fono|n[uú]mero|l[ií]nea|llamar|emergencia|horario|queda")


def uncited_phones(answer: Answer) -> list[str]:
    """Phone-like numbers of seven digits or more, and star codes, that no cited passage has."""
    cited = " ".join(f"{c.chunk.title} {c.chunk.text}" for c in answer.all_citations)
    cited_digits = re.sub(r"[^\d*]", "", cited)
    missing = []
    for match in _PHONE.finditer(answer.full_text):
        digits = re.sub(r"[^\d*]", "", match.group())
        is_phone = digits.startswith("*") or len(digits) >= 7
        if is_phone and digits != "911" and digits not in cited_digits:
            missing.append(match.group())
    return missing


def llm_subset(questions: list[Question], size: int = 30) -> list[Question]:
    """Every question about phones, lines or places, then an even spread of the rest."""
    chosen = [q for q in questions if _CONTACT_WORDS.search(q.question.lower())]
    rest = [q for q in questions if q not in chosen]
    step = max(1, len(rest) // max(1, size - len(chosen)))
    return (chosen + rest[::step])[:size]


def _run(settings: Settings, questions: list[Question]) -> list[str]:
    assistant, _ = build_assistant(settings)
    problems = []
    for question in questions:
        answer = assistant.answer(question.question, question.history)
        for phone in uncited_phones(answer):
            problems.append(f"{question.id}: {phone} en «{answer.text[:200]}»")
    return problems


@pytest.mark.parametrize("generator", ["extractive", "llm"])
def test_no_answer_has_an_uncited_phone(generator: str, default_corpus_settings: Settings) -> None:
    settings = default_corpus_settings.model_copy(deep=True)
    settings.answer.generator = generator  # type: ignore[assignment]
    questions = load_questions(QUESTIONS)
    if generator == "llm":
        questions = llm_subset(questions)
    assert _run(settings, questions) == []


def test_the_independent_check_catches_an_invented_phone() -> None:
    from assistant.answer import Citation
    from index.chunking import Chunk

    passage = Chunk("d-0000", "d", 0, "Llame al 656 737 0000.", 0, 22, None, None, "", "T", "d.txt")
    good = Answer(
        "q", "q", "Llama al 656-737-0000 o al 911.", (Citation("1", passage, "x"),), (), True
    )
    bad = Answer("q", "q", "Llama al 55 1234 5678.", (Citation("1", passage, "x"),), (), True)
    assert uncited_phones(good) == []
    assert uncited_phones(bad) == ["55 1234 5678"]
