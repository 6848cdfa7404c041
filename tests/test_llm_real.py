"""The LLM generator with the real local model (Qwen2.5-Coder-1.5B-Instruct assembled from its
PyPI pieces), in-process and behind a real llama.cpp OpenAI-compatible server started here."""

from __future__ import annotations

import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from assistant.core import Assistant, build_assistant
from assistant.grounded import GroundedGenerator
from assistant.local_model import MODEL_SIZE, materialize_gguf
from assistant.settings import Settings
from evals.process import free_port, running_server
from tests.conftest import SEED_CORPUS

pytestmark = pytest.mark.slow

QUESTION = "¿Dónde fue el Encuentro Nacional de Titulares de las Instancias para las Mujeres?"


def _settings(store: Path) -> Settings:
    settings = Settings()
    settings.corpus.dirs = [SEED_CORPUS]
    settings.store.path = store
    settings.answer.generator = "llm"
    return settings


def _assert_verified_answer(assistant: Assistant) -> None:
    streamed: list[str] = []
    answer = assistant.answer(QUESTION, audience="ciudadania", on_token=streamed.append)
    assert answer.answered and answer.reason == "", answer.reason  # the model's own answer
    assert "Cancún" in answer.text
    assert "".join(streamed) == answer.text
    assert any(c.verified for c in answer.checks)
    assert 0 < answer.timings["first_token"] <= answer.timings["total"]
    cited = {c.chunk.source for c in answer.citations}
    assert "cdmx_semujeres_nota_informativa_encuentro_imef_2023.txt" in cited
    for citation in answer.citations:
        assert citation.quote and citation.quote in citation.chunk.text
    assert any("Cancún" in c.quote for c in answer.citations)


@pytest.fixture(scope="module")
def gguf() -> Path:
    path = materialize_gguf(Settings().llm.cache_dir)
    assert path.stat().st_size == MODEL_SIZE
    return path


def test_local_model_answers_with_a_verified_citation(gguf: Path, tmp_path: Path) -> None:
    assistant, _ = build_assistant(_settings(tmp_path / "store"))
    assert isinstance(assistant.generator, GroundedGenerator)
    _assert_verified_answer(assistant)


@pytest.fixture
def llama_server(gguf: Path) -> Iterator[str]:
    """`python -m llama_cpp.server` with the same model on 127.0.0.1, stopped afterwards."""
    port = free_port()
    command = [
        sys.executable,
        str(Path(__file__).with_name("llama_server.py")),
        "--model",
        str(gguf),
    ]
    command += ["--host", "127.0.0.1", "--port", str(port), "--n_threads", "2", "--n_ctx", "4096"]
    base = f"http://127.0.0.1:{port}/v1"
    with running_server(command, f"{base}/models", timeout_s=180):
        yield base


def test_openai_compatible_server_answers_with_a_verified_citation(
    llama_server: str, tmp_path: Path
) -> None:
    settings = _settings(tmp_path / "store")
    settings.llm.backend = "openai"
    settings.llm.base_url = llama_server
    assistant, _ = build_assistant(settings)
    assert isinstance(assistant.generator, GroundedGenerator)
    assert assistant.generator.model.name.endswith(llama_server)
    _assert_verified_answer(assistant)


def test_an_unreachable_server_falls_back_to_extractive(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    settings = _settings(tmp_path / "store")
    settings.llm.backend = "openai"
    settings.llm.base_url = f"http://127.0.0.1:{free_port()}/v1"
    assistant, _ = build_assistant(settings)
    assert not isinstance(assistant.generator, GroundedGenerator)
    assert "No se pudo cargar el modelo de lenguaje" in caplog.text
    answer = assistant.answer(QUESTION)
    assert answer.answered and "Cancún" in answer.text and not answer.checks
