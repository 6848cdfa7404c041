"""Growth: retrieval and extractive answer latency, and peak memory, as the store grows from the
25 documents (seeds + extra) to ×10, ×100 and just past the Retriever's exact limit, where dense
search hands over from the exact product in memory to Chroma's approximate HNSW index.

`python -m evals.growth [--quick] [--out DIR] [--work DIR]`. The embedding model is not the
subject: the real passages and sentence windows of the corpus are embedded once by the hashing
embedder at the real model's dimension, and each further copy of the corpus is the same passages
with their numbers shifted (as `evals.bench` replicates) and their vectors moved by a small
deterministic noise; ids are deterministic. Copies are written straight into one store, in
large batches, and the store grows in place from point to point. Each point is measured in a
fresh process (`--measure STORE`), so its peak memory (VmHWM) is that of opening the store and
answering, not of building it. Writes growth.json and growth.png to `--out` (default evals/);
`--quick` (CI) measures ×1 and ×10 only. The store is deleted when done."""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Sequence
from dataclasses import dataclass, replace
from pathlib import Path

import numpy as np

from assistant.core import build_assistant, open_store, quiet_environment
from assistant.settings import PROJECT_ROOT, Settings
from evals.bench import DEFAULT, load_corpus, shift_numbers, timed
from evals.growth_report import GrowthPoint, GrowthReport, write_report
from evals.process import peak_memory_mib
from evals.questions import load_questions
from index.chunking import Chunk, chunk_document
from index.embedding import HashingEmbedder
from index.retrieval import EXACT_LIMIT
from index.store import ChromaStore, DocumentRecords
from index.windows import Window, chunk_windows

# multilingual-e5-small's, the configured model's: queries and store at the size they really are
DIMENSIONS = 384
# Per coordinate; a copy's vector stays at cosine ≈ 0.9 of its original's, close but distinct.
NOISE = 0.45 / np.sqrt(DIMENSIONS)
BATCH = 5000  # records per Chroma write (its limit is 5461)
MULTIPLES = (1, 10, 100)


def base_records(
    dirs: Sequence[Path], settings: Settings, dimensions: int
) -> list[DocumentRecords]:
    """The corpus's documents as the store holds them, with hashing-embedder vectors."""
    embedder = HashingEmbedder(dimensions)
    records = []
    for document in load_corpus(dirs):
        chunks = chunk_document(document, settings.chunking)
        windows = [w for c in chunks for w in chunk_windows(c, settings.chunking.window_min_chars)]
        vectors = embedder.embed([c.context_text for c in chunks], "passage")
        window_vectors = embedder.embed([w.text for w in windows], "passage")
        records.append(DocumentRecords(document, chunks, vectors, windows, window_vectors))
    return records


def variant(records: DocumentRecords, copy: int, number: int) -> DocumentRecords:
    """Copy `copy` of a document (the `number`-th of the corpus): copy 0 is the document
    itself; the others have their own document id, file name and title, their numbers shifted
    by `copy`, and vectors moved by a noise seeded by (copy, number)."""
    if copy == 0:
        return records
    document = records.document
    doc_id = hashlib.sha256(f"{document.doc_id}:{copy}".encode()).hexdigest()
    source = f"v{copy:03d}_{document.source}"
    title = f"{document.title} (variante {copy})"

    def moved(chunk: Chunk) -> Chunk:
        return replace(
            chunk,
            chunk_id=f"{doc_id}-{chunk.ordinal:04d}",
            doc_id=doc_id,
            text=shift_numbers(chunk.text, copy),
            title=title,
            source=source,
            parent_id=chunk.parent_id.replace(document.doc_id, doc_id, 1),
        )

    def moved_window(window: Window) -> Window:
        chunk_id = window.chunk_id.replace(document.doc_id, doc_id, 1)
        number_ = window.window_id.rsplit("~", 1)[1]
        return Window(f"{chunk_id}~{number_}", chunk_id, source, window.text, doc_id)

    rng = np.random.default_rng([copy, number])
    return DocumentRecords(
        replace(document, doc_id=doc_id, source=source, title=title),
        [moved(c) for c in records.chunks],
        _nudged(records.vectors, rng),
        [moved_window(w) for w in records.windows],
        _nudged(records.window_vectors, rng) if records.window_vectors is not None else None,
    )


def _nudged(vectors: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    moved = vectors + rng.normal(0.0, NOISE, vectors.shape).astype(np.float32)
    norms = np.linalg.norm(moved, axis=1, keepdims=True)
    return (moved / np.where(norms > 0, norms, 1.0)).astype(np.float32)


def grow(store: ChromaStore, base: Sequence[DocumentRecords], copies: range) -> None:
    """Write copies `copies` of the corpus into `store`, a few documents per write."""
    pending: list[DocumentRecords] = []
    size = 0
    for copy in copies:
        for number, records in enumerate(base):
            pending.append(variant(records, copy, number))
            size += len(records.chunks) + len(records.windows)
            if size >= BATCH:
                store.add_many(pending, BATCH)
                pending, size = [], 0
    if pending:
        store.add_many(pending, BATCH)


def growth_settings(store: Path) -> Settings:
    settings = Settings()
    settings.store.path = store
    settings.embedding.model = "hashing"
    return settings


@dataclass(frozen=True)
class Measured:
    """What the measuring process reports of one store."""

    passages: int
    windows: int
    exact: bool
    open_s: float
    retrieval_s: tuple[float, ...]
    answer_s: tuple[float, ...]
    peak_mib: float
    load: float  # the machine's 1-minute load average when done (2 cores: above 2 is shared)


def measure(store: Path, dimensions: int, questions: int) -> Measured:
    """Open the store as the assistant does (extractive answers), time `questions` questions
    of the set, and read this process's peak memory."""
    settings = growth_settings(store)
    settings.answer.generator = "extractive"
    asked = [
        q
        for q in load_questions(PROJECT_ROOT / "evals" / "questions.jsonl")
        if not q.history and q.answerable
    ][:questions]
    started = time.perf_counter()
    assistant, _ = build_assistant(settings, index=False, embedder=HashingEmbedder(dimensions))
    opened = time.perf_counter() - started
    k = settings.retrieval.k
    # One question first, untimed: its one-off costs (regular expressions compiled, the first
    # HNSW page read) would otherwise be every point's p95, which is its slowest of 20.
    assistant.answer(asked[0].question)
    retrieval = timed(lambda q: assistant.search(q.question, (), k), asked)
    answer = timed(lambda q: assistant.answer(q.question), asked)
    return Measured(
        passages=assistant.store.count(),
        windows=assistant.store.window_count(),
        exact=assistant.retriever.exact,
        open_s=opened,
        retrieval_s=retrieval,
        answer_s=answer,
        peak_mib=peak_memory_mib(),
        load=os.getloadavg()[0],
    )


def measure_apart(store: Path, dimensions: int, questions: int) -> Measured:
    """`measure` in a fresh process."""
    command = [sys.executable, "-m", "evals.growth", "--measure", str(store)]
    command += ["--dimensions", str(dimensions), "--questions", str(questions)]
    done = subprocess.run(command, capture_output=True, text=True, check=False)
    if done.returncode:
        raise RuntimeError(f"la medición de {store} falló:\n{done.stderr[-3000:]}")
    data = json.loads(done.stdout.strip().splitlines()[-1])
    data["retrieval_s"], data["answer_s"] = tuple(data["retrieval_s"]), tuple(data["answer_s"])
    return Measured(**data)


def copies_to_measure(base_passages: int, quick: bool, limit: int = EXACT_LIMIT) -> list[int]:
    """×1, ×10 (and ×100) the corpus; unless quick, also the last whole number of copies at
    or under the exact limit and the first above it, bracketing the handover."""
    if quick:
        return [1, 10]
    below = limit // base_passages
    return sorted({*MULTIPLES, below, below + 1})


def run_growth(
    dirs: Sequence[Path],
    work: Path,
    out: Path,
    quick: bool,
    questions: int,
    dimensions: int = DIMENSIONS,
    copies: Sequence[int] | None = None,
) -> GrowthReport:
    """Grow a store in `work` point by point, measuring each; the report is written to `out`
    after every point (a long run stopped half-way keeps what it measured)."""
    settings = growth_settings(work / "store")
    base = base_records(dirs, settings, dimensions)
    base_passages = sum(len(r.chunks) for r in base)
    base_windows = sum(len(r.windows) for r in base)
    store = open_store(settings, HashingEmbedder(dimensions))
    points: list[GrowthPoint] = []
    built, building = 0, 0.0
    report = GrowthReport(
        corpus=", ".join(str(d) for d in dirs),
        base_passages=base_passages,
        base_windows=base_windows,
        dimensions=dimensions,
        exact_limit=EXACT_LIMIT,
        questions=questions,
        points=(),
    )
    for target in copies or copies_to_measure(base_passages, quick):
        started = time.perf_counter()
        grow(store, base, range(built, target))
        building += time.perf_counter() - started
        built = target
        measured = measure_apart(work / "store", dimensions, questions)
        point = GrowthPoint(
            copies=target,
            passages=measured.passages,
            windows=measured.windows,
            exact=measured.exact,
            build_s=building,
            open_s=measured.open_s,
            retrieval_s=measured.retrieval_s,
            answer_s=measured.answer_s,
            peak_mib=measured.peak_mib,
            load=measured.load,
        )
        points.append(point)
        print(point.describe(), file=sys.stderr, flush=True)
        report = replace(report, points=tuple(points))
        write_report(report, out)
    return report


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--quick", action="store_true", help="×1 and ×10 only (CI)")
    parser.add_argument("--out", type=Path, default=PROJECT_ROOT / "evals", help="report folder")
    parser.add_argument("--work", type=Path, help="where the store is built (default: /tmp)")
    parser.add_argument("--corpus", type=Path, action="append", help="default: corpus/")
    parser.add_argument("--questions", type=int, default=20, help="questions timed per point")
    parser.add_argument("--dimensions", type=int, default=DIMENSIONS, help="vector size")
    parser.add_argument("--measure", type=Path, help=argparse.SUPPRESS)  # the measuring process
    args = parser.parse_args(argv)
    quiet_environment()
    if args.measure:
        measured = measure(args.measure, args.dimensions, args.questions)
        print(json.dumps(measured.__dict__))
        return 0
    work = Path(tempfile.mkdtemp(prefix="asistente-crecimiento-", dir=args.work or "/tmp"))
    try:
        report = run_growth(args.corpus or [DEFAULT], work, args.out, args.quick, args.questions)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    print(report.table())
    return 0


if __name__ == "__main__":
    sys.exit(main())
