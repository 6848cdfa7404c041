"""Speed benchmark, printed as a table: indexing throughput against the embedding model's own
speed on the same passages, incremental re-indexing, retrieval and answer latency, the LLM's
time to first token, the growth of all of these with the corpus (replicated ×10 as synthetic
variants), the llama-index quickstart peer, and the peak memory of a running `asistente serve`.

`python -m evals.bench` measures the seed corpus, seeds ×10, and seeds + the extra documents;
`--quick` (CI) the seed corpus and seeds ×10 only, with fewer LLM questions. Every embedding is
computed cold (no embedding cache), in one process, so the ratios compare like with like.
`--json PATH` also writes every number as JSON (see `evals.bench_report`), and the time from
starting `asistente serve` to its first answer."""

from __future__ import annotations

import argparse
import json
import re
import sys
import tempfile
import time
from collections.abc import Callable, Iterator, Sequence
from contextlib import ExitStack
from pathlib import Path
from typing import Literal

from assistant.chat_model import ChatMessage, ChatModel, prompt_tokens
from assistant.core import build_assistant, build_embedder, quiet_environment
from assistant.grounded import GroundedGenerator
from assistant.settings import PROJECT_ROOT, Settings
from evals.bench_report import (
    BenchResult,
    Corpus,
    CorpusResult,
    LlmResult,
    PeerResult,
    Section,
    ServeResult,
)
from evals.load import serve_process
from evals.process import ServerFailed, peak_memory_mib
from evals.questions import Question, load_questions
from index.chunking import chunk_document
from index.documents import Document, DocumentError
from index.embedding import Embedder
from index.loading import load_document, scan_corpus
from index.windows import chunk_windows

SEEDS = PROJECT_ROOT / "tests" / "corpus"  # the five seed documents
DEFAULT = PROJECT_ROOT / "corpus"  # all 25 documents
# What a run measures: the seed corpus alone, without the peer (the test of the JSON report); with
# its ×10 copies and the peer (`--quick`, CI); or also the seeds + extra documents (the default).
Scope = Literal["seeds", "quick", "full"]


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
            text = shift_numbers(document.text, copy) if copy else document.text
            title = document.title + (f" (variante {copy})" if copy else "")
            name = f"v{copy:02d}_{Path(document.source).stem}.md"
            (folder / name).write_text(f"# {title}\n\n{text}\n", encoding="utf-8")
    return folder


def shift_numbers(text: str, shift: int) -> str:
    return re.sub(r"\d+", lambda m: str(int(m.group()) + shift), text)


def _settings(corpus: Corpus, store: Path) -> Settings:
    settings = Settings()
    settings.corpus.dirs = list(corpus.dirs)
    settings.store.path = store
    return settings


def measure_corpus(
    corpus: Corpus, model: Embedder, questions: Sequence[Question], store: Path
) -> CorpusResult:
    """Embed the corpus's passages, then its windows, with the bare model; index it into a
    fresh `store` with the whole pipeline and the same model; then time queries."""
    settings = _settings(corpus, store)
    # what indexing embeds: every passage, and the sentence windows of the longer ones
    chunks = [c for d in load_corpus(corpus.dirs) for c in chunk_document(d, settings.chunking)]
    windows = [w for c in chunks for w in chunk_windows(c, settings.chunking.window_min_chars)]
    started = time.perf_counter()
    model.embed([c.context_text for c in chunks], "passage")
    model_passages = time.perf_counter() - started
    started = time.perf_counter()
    model.embed([w.text for w in windows], "passage")
    model_windows = time.perf_counter() - started

    started = time.perf_counter()
    assistant, report = build_assistant(settings, embedder=model)
    first = time.perf_counter() - started
    assert report is not None
    started = time.perf_counter()
    again = assistant.reindex()
    second = time.perf_counter() - started
    assert not again.changed

    retrieval = timed(lambda q: assistant.search(q.question, (), settings.retrieval.k), questions)
    answer = timed(lambda q: assistant.answer(q.question), questions)
    return CorpusResult(
        corpus=corpus,
        documents=len(report.added),
        passages=report.chunks_total,
        windows=report.windows_embedded,
        model_passages_s=model_passages,
        model_windows_s=model_windows,
        index_s=first,
        reindex_s=second,
        retrieval_s=retrieval,
        answer_s=answer,
    )


def timed(ask: Callable[[Question], object], questions: Sequence[Question]) -> tuple[float, ...]:
    """Seconds `ask` took on each question."""
    seconds = []
    for question in questions:
        started = time.perf_counter()
        ask(question)
        seconds.append(time.perf_counter() - started)
    return tuple(seconds)


class PromptCounter:
    """A chat model passing everything to `inner`, counting on the way the tokens of each
    prompt it is sent with the model's own tokenizer (see `prompt_tokens`)."""

    def __init__(self, inner: ChatModel) -> None:
        self.name = inner.name
        self._inner = inner
        self.counts: list[int] = []

    def stream(
        self, messages: Sequence[ChatMessage], max_tokens: int, stop: Sequence[str] = ()
    ) -> Iterator[str]:
        self.counts.append(prompt_tokens(self._inner, messages))
        return self._inner.stream(messages, max_tokens, stop)

    def count_tokens(self, text: str) -> int:
        return self._inner.count_tokens(text)


def measure_llm(corpus: Corpus, store: Path, questions: Sequence[Question]) -> LlmResult:
    """Time to first token and total for answers written by the local LLM, and the tokens of
    the prompts it read."""
    settings = _settings(corpus, store)
    settings.answer.generator = "llm"
    started = time.perf_counter()
    assistant, _ = build_assistant(settings, index=False)
    loaded = time.perf_counter() - started
    generator = assistant.generator
    if not isinstance(generator, GroundedGenerator):
        return LlmResult(corpus, load_s=None)
    counter = PromptCounter(generator.model)
    generator.model = counter
    first, total = [], []
    for question in questions:
        answer = assistant.answer(question.question)
        if "first_token" in answer.timings:
            first.append(answer.timings["first_token"])
        total.append(answer.timings["total"])
    return LlmResult(corpus, loaded, tuple(first), tuple(total), tuple(counter.counts))


def measure_peer(corpus: Corpus, model: Embedder, questions: Sequence[Question]) -> PeerResult:
    from evals.peer import QuickstartPeer

    started = time.perf_counter()
    peer = QuickstartPeer(corpus.dirs, model)
    built = time.perf_counter() - started
    return PeerResult(corpus, built, timed(lambda q: peer.answer_json(q.question), questions))


def measure_serve(
    corpus: Corpus,
    store: Path,
    questions: Sequence[Question],
    generator: str,
    log: Path,
    shown: bool = True,
) -> ServeResult:
    """`asistente serve` on `corpus` (`store` already indexed, the model already on disk),
    asked `questions` through its API: the seconds from starting the process to its first
    answer, and its peak resident memory after the last, read from the kernel's high-water
    mark (VmHWM)."""
    from gradio_client import Client

    env = {
        "ASISTENTE_CORPUS__DIRS": json.dumps([str(d) for d in corpus.dirs]),
        "ASISTENTE_ANSWER__GENERATOR": generator,
    }
    ready = None
    started = time.perf_counter()
    try:
        with serve_process(store, log, env) as (url, server):
            client = Client(url, verbose=False)
            for question in questions:
                client.predict(question.question, [], "ciudadania", api_name="/responder")
                ready = ready or time.perf_counter() - started
            client.close()
            peak = peak_memory_mib(server.pid)
    except ServerFailed:
        return ServeResult(corpus, generator, len(questions), None, None, shown)
    return ServeResult(corpus, generator, len(questions), ready, peak, shown)


def run_bench(
    scope: Scope,
    llm: bool,
    questions: Sequence[Question],
    llm_questions: int,
    stack: ExitStack,
    progress: Callable[[Section], None] = lambda _: None,
) -> BenchResult:
    """Every measurement of `scope`, in order; `progress` sees each one as it is taken.
    Temporary stores live as long as `stack`."""

    def folder() -> Path:
        return Path(stack.enter_context(tempfile.TemporaryDirectory()))

    sections: list[Section] = []

    def take(section: Section) -> None:
        sections.append(section)
        progress(section)

    model = build_embedder(Settings().embedding, cache=False)
    asked = questions[:llm_questions]
    seeds = Corpus("seeds", "semillas", (SEEDS,))
    seed_store = folder()
    take(measure_corpus(seeds, model, questions, seed_store))
    if scope != "seeds":
        take(measure_peer(seeds, model, questions))
        copies = replicate(load_corpus([SEEDS]), 10, folder())
        ten = Corpus("seeds ×10", "semillas ×10", (copies,))
        take(measure_corpus(ten, model, questions, folder()))
    if llm:
        take(measure_llm(seeds, seed_store, asked))
    if scope == "full":
        both, both_store = Corpus("seeds + extra", "semillas + extra", (DEFAULT,)), folder()
        take(measure_corpus(both, model, questions, both_store))
        take(measure_peer(both, model, questions))
        if llm:
            take(measure_llm(both, both_store, asked))
        # the time to a first answer on the whole corpus; its memory is not a row of the table
        take(
            measure_serve(both, both_store, questions[:1], "extractive", folder() / "s.log", False)
        )
    take(measure_serve(seeds, seed_store, questions[:5], "extractive", folder() / "serve.log"))
    if llm:
        take(measure_serve(seeds, seed_store, questions[:2], "llm", folder() / "serve.log"))
    return BenchResult(tuple(sections))


def _print_progress(section: Section) -> None:
    for name, value in section.rows():
        print(f"  {name}: {value}", file=sys.stderr, flush=True)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--quick", action="store_true", help="seed corpus and ×10 only (CI)")
    parser.add_argument(
        "--seeds-only", action="store_true", help="the seed corpus alone (a test of --json)"
    )
    parser.add_argument("--questions", type=int, default=20, help="questions timed per corpus")
    parser.add_argument("--llm-questions", type=int, default=None, help="LLM answers timed")
    parser.add_argument("--no-llm", action="store_true", help="skip the LLM measurements")
    parser.add_argument("--json", type=Path, help="also write every number here (JSON)")
    args = parser.parse_args(argv)
    quiet_environment()
    questions = [
        q
        for q in load_questions(PROJECT_ROOT / "evals" / "questions.jsonl")
        if not q.history and q.answerable
    ][: args.questions]
    count = args.llm_questions or (3 if args.quick else 10)
    with ExitStack() as stack:
        scope: Scope = "seeds" if args.seeds_only else "quick" if args.quick else "full"
        result = run_bench(scope, not args.no_llm, questions, count, stack, _print_progress)
    print()
    print(result.table())
    if args.json:
        args.json.parent.mkdir(parents=True, exist_ok=True)
        text = json.dumps(result.to_json(), ensure_ascii=False, indent=2)
        args.json.write_text(text + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
