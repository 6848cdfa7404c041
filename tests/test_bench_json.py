"""`python -m evals.bench --json`: every number of the printed table, and the time from starting
`asistente serve` to its first answer, written as JSON from the same results. Run on the seed
corpus (tests/corpus) with the deterministic hashing embedder and a real `asistente serve` on
127.0.0.1; plus the report's pure parts on hand-made results."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from evals.bench import main
from evals.bench_report import BenchResult, Corpus, LlmResult

CORPUS_KEYS = {
    "passages",
    "windows",
    "index_s",
    "model_passages_s",
    "index_vs_passage_model",
    "retrieval_p50_ms",
    "retrieval_p95_ms",
    "answer_p50_ms",
    "answer_p95_ms",
    "serve_ready_s",
}
LLM_KEYS = {"first_token_p50_s", "first_token_p95_s", "total_p50_s", "prompt_tokens_p50"}


def test_the_bench_writes_its_numbers_as_json(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    # read by the bench's settings and by the `asistente serve` it starts
    monkeypatch.setenv("ASISTENTE_EMBEDDING__MODEL", "hashing")
    monkeypatch.setenv("ASISTENTE_CONFIG", str(tmp_path / "sin-configuracion.toml"))
    monkeypatch.setenv("ASISTENTE_UI__FEEDBACK_DB", str(tmp_path / "opiniones.sqlite"))
    out = tmp_path / "bench.json"
    assert main(["--seeds-only", "--no-llm", "--questions", "3", "--json", str(out)]) == 0

    report = json.loads(out.read_text(encoding="utf-8"))
    assert report["llm"] == {}
    assert list(report["corpora"]) == ["seeds"]
    seeds = report["corpora"]["seeds"]
    assert set(seeds) >= CORPUS_KEYS
    assert seeds["documents"] == 5 and seeds["passages"] > 0 and seeds["windows"] > 0
    times = ["index_s", "model_passages_s", "retrieval_p50_ms", "answer_p50_ms", "serve_ready_s"]
    assert all(seeds[key] > 0 for key in times), seeds
    assert seeds["retrieval_p50_ms"] <= seeds["retrieval_p95_ms"]
    assert seeds["answer_p50_ms"] <= seeds["answer_p95_ms"]
    assert seeds["index_vs_passage_model"] == pytest.approx(
        seeds["index_s"] / seeds["model_passages_s"]
    )
    # the first answer comes after the process started, indexed, and served its page
    assert 0 < seeds["serve_ready_s"] < 120
    (serve,) = report["serve"]
    assert serve["ready_s"] == seeds["serve_ready_s"] and serve["peak_mib"] > 50

    # the printed table is made from the same results
    lines = capsys.readouterr().out.strip().splitlines()
    table = dict(re.split(r"\s{2,}", line, maxsplit=1) for line in lines)
    counts = f"{seeds['documents']} / {seeds['passages']} / {seeds['windows']}"
    assert table["[semillas] documentos / pasajes / ventanas"] == counts
    assert table["[semillas] indexación completa (s)"] == f"{seeds['index_s']:.1f}"
    assert table["serve (extractive): memoria pico (MiB, tras 3 preguntas)"] == (
        f"{serve['peak_mib']:.0f}"
    )


SEEDS = Corpus("seeds", "semillas", (Path("tests/corpus"),))
BOTH = Corpus("seeds + extra", "semillas + extra", (Path("corpus"),))


def test_the_llm_report_is_the_last_corpus_it_was_loaded_on() -> None:
    seeds = LlmResult(SEEDS, 5.0, (1.0, 2.0, 9.0), (3.0, 4.0, 10.0), (400, 500, 600))
    both = LlmResult(BOTH, 5.5, (2.0,), (5.0,), (700,))
    llm = BenchResult((seeds, both)).to_json()["llm"]
    assert set(llm) >= LLM_KEYS and llm["corpus"] == "seeds + extra"
    assert (llm["first_token_p50_s"], llm["total_p50_s"], llm["prompt_tokens_p50"]) == (
        2.0,
        5.0,
        700,
    )
    alone = BenchResult((seeds,)).to_json()["llm"]
    assert (alone["first_token_p50_s"], alone["first_token_p95_s"]) == (2.0, 9.0)
    assert alone["prompt_tokens_p50"] == 500
    # a model that did not load is said so, and not measured
    missing = BenchResult((LlmResult(SEEDS, None),)).to_json()["llm"]
    assert missing == {"corpus": "seeds", "available": False}
    assert BenchResult(()).to_json()["llm"] == {}
