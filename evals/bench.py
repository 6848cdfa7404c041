"""Speed benchmark: indexing throughput against the embedding model's own speed, incremental
re-indexing, and query latency, printed as a table. Run `python -m evals.bench` (add `--quick`
for the seed corpus only, as CI does)."""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from pathlib import Path

from assistant.core import build_assistant, build_embedder, quiet_environment
from assistant.settings import PROJECT_ROOT, Settings
from evals.questions import load_questions
from index.chunking import chunk_document
from index.documents import DocumentError
from index.loading import load_document, scan_corpus


def _median_ms(values: list[float]) -> str:
    return f"{1000 * statistics.median(values):.1f}"


def _p95_ms(values: list[float]) -> str:
    ordered = sorted(values)
    return f"{1000 * ordered[min(len(ordered) - 1, int(0.95 * len(ordered)))]:.1f}"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--quick", action="store_true", help="seed corpus only (CI)")
    parser.add_argument("--questions", type=int, default=20, help="questions timed")
    args = parser.parse_args(argv)
    quiet_environment()
    settings = Settings()
    extra = PROJECT_ROOT.parent / "shared" / "corpus" / "extra"
    settings.corpus.dirs = [PROJECT_ROOT / "corpus"]
    if not args.quick and extra.is_dir():
        settings.corpus.dirs.append(extra)
    rows: list[tuple[str, str]] = []

    # 1. The model alone on the very passages the pipeline will embed (same process, same
    # batch size), then the whole pipeline into a fresh store with no embedding cache.
    documents = []
    for root in settings.corpus.dirs:
        for file in scan_corpus([root]):
            try:
                documents.append(load_document(file))
            except DocumentError:
                continue
    texts = [c.context_text for d in documents for c in chunk_document(d, settings.chunking)]
    model = build_embedder(settings.embedding, cache=False)
    started = time.perf_counter()
    model.embed(texts, "passage")
    model_rate = len(texts) / (time.perf_counter() - started)

    with tempfile.TemporaryDirectory() as store:
        settings.store.path = Path(store)
        started = time.perf_counter()
        assistant, report = build_assistant(settings, embedder=model)
        first = time.perf_counter() - started
        assert report is not None
        pipeline_rate = report.chunks_embedded / first
        started = time.perf_counter()
        again = assistant.reindex()
        second = time.perf_counter() - started
        rows += [
            ("documentos / pasajes", f"{len(report.added)} / {report.chunks_total}"),
            ("modelo solo (pasajes/s)", f"{model_rate:.1f}"),
            ("indexación completa (pasajes/s)", f"{pipeline_rate:.1f}"),
            ("razón indexación / modelo", f"{pipeline_rate / model_rate:.2f}"),
            ("indexación completa (s)", f"{first:.1f}"),
            ("re-indexación sin cambios (s)", f"{second:.2f} ({second / first:.1%})"),
        ]
        assert not again.changed

        questions = [
            q for q in load_questions(PROJECT_ROOT / "evals" / "questions.jsonl") if not q.history
        ][: args.questions]
        retrieval, answer = [], []
        for question in questions:
            started = time.perf_counter()
            assistant.search(question.question, (), settings.retrieval.k)
            retrieval.append(time.perf_counter() - started)
        for question in questions:
            started = time.perf_counter()
            assistant.answer(question.question)
            answer.append(time.perf_counter() - started)
        rows += [
            (f"recuperación p50 / p95 (ms, {len(questions)} preguntas)",
             f"{_median_ms(retrieval)} / {_p95_ms(retrieval)}"),
            ("respuesta extractiva p50 / p95 (ms)", f"{_median_ms(answer)} / {_p95_ms(answer)}"),
        ]

    width = max(len(name) for name, _ in rows)
    corpus = ", ".join(str(p.relative_to(PROJECT_ROOT.parent)) for p in settings.corpus.dirs)
    print(f"Corpus: {corpus}")
    for name, value in rows:
        print(f"{name.ljust(width)}  {value}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
