"""Speed benchmark, printed as a table: indexing throughput against the embedding model's own
speed on the same passages, incremental re-indexing, retrieval and answer latency, the LLM's
time to first token, the growth of all of these with the corpus (replicated ×10 as synthetic
variants), the llama-index quickstart peer, and the peak memory of a running `asistente serve`.

`python -m evals.bench` measures the seed corpus, seeds ×10, and seeds + the extra documents;
`--quick` (CI) the seed corpus and seeds ×10 only, with fewer LLM questions. Every embedding is
computed cold (no embedding cache), in one process, so the ratios compare like with like."""

from __future__ import annotations

import argparse
import re
import statistics
import sys
import tempfile
import time
from collections.abc import Sequence
from contextlib import ExitStack
from dataclasses import dataclass, field
from pathlib import Path

from assistant.core import Assistant, build_assistant, build_embedder, quiet_environment
from assistant.grounded import GroundedGenerator
from assistant.settings import PROJECT_ROOT, Settings
from evals.load import serve_process
from evals.questions import Question, load_questions
from index.chunking import chunk_document
from index.documents import Document, DocumentError
from index.embedding import Embedder
from index.loading import load_document, scan_corpus
from index.windows import chunk_windows

SEEDS = PROJECT_ROOT / "tests" / "corpus"  # the five seed documents
DEFAULT = PROJECT_ROOT / "corpus"  # all 25 documents


@dataclass
class Table:
    rows: list[tuple[str, str]] = field(default_factory=list)

    def add(self, name: str, value: str) -> None:
        self.rows.append((name, value))
        print(f"  {name}: {value}", file=sys.stderr, flush=True)  # progress while it runs

    def print(self) -> None:
        width = max(len(name) for name, _ in self.rows)
        for name, value in self.rows:
            print(f"{name.ljust(width)}  {value}")


def _p50_p95(values: Sequence[float], scale: float = 1.0) -> str:
    """Median / p95, times `scale` (1000 for milliseconds)."""
    ordered = sorted(values)
    p95 = ordered[min(len(ordered) - 1, int(0.95 * len(ordered)))]
    return f"{scale * statistics.median(values):.1f} / {scale * p95:.1f}"


def _ms(values: Sequence[float]) -> str:
    return _p50_p95(values, 1000.0)


def load_corpus(dirs: Sequence[Path]) -> list[Document]:
    documents = []
    for file in scan_corpus(list(dirs)):
        try:
            documents.append(load_document(file))
        except DocumentError:
            continue  # reported by the indexer; the benchmark times what indexes
    return documents


def replicate(documents: Sequence[Document], copies: int, folder: Path) -> Path:
    """The corpus `copies` times over as Markdown files: copy 0 as it is, the others with their
    numbers shifted and their titles marked, so that every passage is a distinct text the model
    must embed and the keyword index must hold."""
    for copy in range(copies):
        for document in documents:
            text = _shift_numbers(document.text, copy) if copy else document.text
            title = document.title + (f" (variante {copy})" if copy else "")
            name = f"v{copy:02d}_{Path(document.source).stem}.md"
            (folder / name).write_text(f"# {title}\n\n{text}\n", encoding="utf-8")
    return folder


def _shift_numbers(text: str, shift: int) -> str:
    return re.sub(r"\d+", lambda m: str(int(m.group()) + shift), text)


def measure_corpus(
    label: str,
    dirs: Sequence[Path],
    model: Embedder,
    questions: Sequence[Question],
    table: Table,
    store: Path,
) -> Assistant:
    """Index `dirs` into a fresh `store` with the bare model, then time queries."""
    settings = Settings()
    settings.corpus.dirs = list(dirs)
    settings.store.path = store
    # what indexing embeds: every passage, and the sentence windows of the longer ones
    chunks = [c for d in load_corpus(dirs) for c in chunk_document(d, settings.chunking)]
    windows = [w for c in chunks for w in chunk_windows(c, settings.chunking.window_min_chars)]
    texts = [c.context_text for c in chunks] + [w.text for w in windows]
    started = time.perf_counter()
    model.embed(texts, "passage")
    model_rate = len(texts) / (time.perf_counter() - started)

    started = time.perf_counter()
    assistant, report = build_assistant(settings, embedder=model)
    first = time.perf_counter() - started
    assert report is not None
    pipeline_rate = (report.chunks_embedded + report.windows_embedded) / first
    started = time.perf_counter()
    again = assistant.reindex()
    second = time.perf_counter() - started
    assert not again.changed

    retrieval, answer = [], []
    for question in questions:
        started = time.perf_counter()
        assistant.search(question.question, (), settings.retrieval.k)
        retrieval.append(time.perf_counter() - started)
    for question in questions:
        started = time.perf_counter()
        assistant.answer(question.question)
        answer.append(time.perf_counter() - started)

    table.add(
        f"[{label}] documentos / pasajes / ventanas",
        f"{len(report.added)} / {report.chunks_total} / {report.windows_embedded}",
    )
    table.add(f"[{label}] modelo solo (textos/s)", f"{model_rate:.1f}")
    table.add(f"[{label}] indexación completa (textos/s)", f"{pipeline_rate:.1f}")
    table.add(f"[{label}] razón indexación / modelo", f"{pipeline_rate / model_rate:.2f}")
    table.add(f"[{label}] indexación completa (s)", f"{first:.1f}")
    table.add(f"[{label}] re-indexación sin cambios (s)", f"{second:.2f} ({second / first:.1%})")
    table.add(f"[{label}] recuperación p50 / p95 (ms)", _ms(retrieval))
    table.add(f"[{label}] respuesta extractiva p50 / p95 (ms)", _ms(answer))
    return assistant


def measure_llm(
    label: str, dirs: Sequence[Path], store: Path, questions: Sequence[Question], table: Table
) -> None:
    """Time to first token and total for answers written by the local LLM."""
    settings = Settings()
    settings.corpus.dirs = list(dirs)
    settings.store.path = store
    settings.answer.generator = "llm"
    started = time.perf_counter()
    assistant, _ = build_assistant(settings, index=False)
    loaded = time.perf_counter() - started
    if not isinstance(assistant.generator, GroundedGenerator):
        table.add(f"[{label}] LLM", "no disponible (se respondió con el extractivo)")
        return
    first, total = [], []
    for question in questions:
        answer = assistant.answer(question.question)
        if "first_token" in answer.timings:
            first.append(answer.timings["first_token"])
        total.append(answer.timings["total"])
    table.add(f"[{label}] LLM: carga del modelo (s)", f"{loaded:.1f}")
    if first:
        table.add(
            f"[{label}] LLM: primer token p50 / p95 (s, {len(first)} preguntas)", _p50_p95(first)
        )
    table.add(
        f"[{label}] LLM: respuesta completa p50 / p95 (s, {len(total)} preguntas)", _p50_p95(total)
    )


def measure_peer(
    label: str, dirs: Sequence[Path], model: Embedder, questions: Sequence[Question], table: Table
) -> None:
    from evals.peer import QuickstartPeer

    started = time.perf_counter()
    peer = QuickstartPeer(dirs, model)
    built = time.perf_counter() - started
    latencies = []
    for question in questions:
        started = time.perf_counter()
        peer.answer_json(question.question)
        latencies.append(time.perf_counter() - started)
    table.add(f"[{label}] llama-index quickstart: construcción (s)", f"{built:.1f}")
    table.add(f"[{label}] llama-index quickstart: consulta p50 / p95 (ms)", _ms(latencies))


def measure_serve(
    store: Path, questions: Sequence[Question], generator: str, table: Table, log: Path
) -> None:
    """Peak resident memory of `asistente serve` (seed corpus) after answering `questions`
    through its API, read from the kernel's high-water mark (VmHWM)."""
    from gradio_client import Client

    env = {"ASISTENTE_CORPUS__DIRS": f'["{SEEDS}"]', "ASISTENTE_ANSWER__GENERATOR": generator}
    label = f"serve ({generator}): memoria pico (MiB, tras {len(questions)} preguntas)"
    try:
        with serve_process(store, log, env) as (url, server):
            client = Client(url, verbose=False)
            for question in questions:
                client.predict(question.question, [], "ciudadania", api_name="/responder")
            client.close()
            status = Path(f"/proc/{server.pid}/status").read_text()
    except RuntimeError:
        table.add(label, "no arrancó")
        return
    peak = int(re.search(r"VmHWM:\s+(\d+)", status).group(1)) / 1024  # type: ignore[union-attr]
    table.add(label, f"{peak:.0f}")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--quick", action="store_true", help="seed corpus and ×10 only (CI)")
    parser.add_argument("--questions", type=int, default=20, help="questions timed per corpus")
    parser.add_argument("--llm-questions", type=int, default=None, help="LLM answers timed")
    parser.add_argument("--no-llm", action="store_true", help="skip the LLM measurements")
    args = parser.parse_args(argv)
    quiet_environment()
    questions = [
        q
        for q in load_questions(PROJECT_ROOT / "evals" / "questions.jsonl")
        if not q.history and q.answerable
    ][: args.questions]
    model = build_embedder(Settings().embedding, cache=False)
    table = Table()
    with ExitStack() as stack:

        def folder() -> Path:
            return Path(stack.enter_context(tempfile.TemporaryDirectory()))

        seed_store = folder()
        measure_corpus("semillas", [SEEDS], model, questions, table, seed_store)
        measure_peer("semillas", [SEEDS], model, questions, table)
        copies = replicate(load_corpus([SEEDS]), 10, folder())
        measure_corpus("semillas ×10", [copies], model, questions, table, folder())
        count = args.llm_questions or (3 if args.quick else 10)
        if not args.no_llm:
            measure_llm("semillas", [SEEDS], seed_store, questions[:count], table)
        if not args.quick:
            both, both_store = [DEFAULT], folder()
            measure_corpus("semillas + extra", both, model, questions, table, both_store)
            measure_peer("semillas + extra", both, model, questions, table)
            if not args.no_llm:
                measure_llm("semillas + extra", both, both_store, questions[:count], table)
        measure_serve(seed_store, questions[:5], "extractive", table, folder() / "serve.log")
        if not args.no_llm:
            measure_serve(seed_store, questions[:2], "llm", table, folder() / "serve.log")
    print()
    table.print()
    return 0


if __name__ == "__main__":
    sys.exit(main())
