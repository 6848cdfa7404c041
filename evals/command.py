"""The body of `asistente eval`: index, run, score, write, and gate on quality floors."""

from __future__ import annotations

import sys
from collections.abc import Iterable, Sequence
from pathlib import Path

from assistant.core import build_assistant
from assistant.settings import Settings
from evals.halves import Half, half_of, question_sources
from evals.harness import (
    Answerer,
    Run,
    assistant_answerer,
    build_report,
    default_eval_store,
    run_questions,
    write_results,
)
from evals.peer import QuickstartPeer
from evals.questions import Question, load_questions
from evals.report import metrics_table, write_chart, write_report
from index.chunking import Chunk

MODES = ("bm25", "dense", "hybrid")
PEER = "llama-index quickstart"


def _bar(label: str):  # type: ignore[no-untyped-def]
    from tqdm import tqdm

    bar = tqdm(total=0, desc=label, unit="preg", file=sys.stderr)

    def update(done: int, total: int) -> None:
        bar.total, bar.n = total, done
        bar.refresh()

    return bar, update


def run_eval(
    settings: Settings,
    questions_file: Path,
    out: Path,
    k: int,
    compare: bool,
    store: Path | None,
    floors: dict[str, float],
    split: Half | None = None,
) -> int:
    """Evaluate; with `compare`, every retrieval mode and the peer side by side. Returns the
    process exit code: 1 when a metric is under its floor."""
    settings.retrieval.k = k
    settings.store.path = store or default_eval_store(settings)
    questions = load_questions(questions_file)
    assistant, report = build_assistant(settings)
    if report is not None:
        print(report.summary(), file=sys.stderr)
    halves = question_halves(questions, assistant.retriever.chunks.values())
    if split:
        questions = [q for q in questions if halves.get(q.id) == split]
    configurations: list[tuple[str, Answerer]] = []
    modes = MODES if compare else (settings.retrieval.mode,)
    for mode in modes:
        configurations.append((mode, assistant_answerer(assistant)))
    reports = []
    runs: list[Run] = []
    for label, answerer in configurations:
        assistant.retriever.mode = label  # type: ignore[assignment]
        settings.retrieval.mode = label  # type: ignore[assignment]
        bar, update = _bar(label)
        runs.append(run_questions(label, answerer, questions, update))
        bar.close()
        reports.append(build_report(runs[-1], settings, questions_file, k, halves))
    if compare:
        peer = QuickstartPeer(settings.corpus.dirs, assistant.embedder)
        bar, update = _bar(PEER)
        runs.append(run_questions(PEER, peer.answer_json, questions, update))
        bar.close()
        reports.append(build_report(runs[-1], settings, questions_file, k, halves))
        reports[-1]["build_seconds"] = round(peer.build_seconds, 2)
    ours = reports[-2] if compare else reports[0]
    ours_run = runs[-2] if compare else runs[0]
    write_results(ours_run, out)
    write_report(ours, out)
    for other_run, other in zip(runs, reports, strict=True):
        if other is not ours:
            slug = other["label"].replace(" ", "-")
            write_results(other_run, out / slug)
            write_report(other, out / slug)
    ordered = [ours, *[r for r in reports if r is not ours]]
    write_chart(ordered, out / "chart.png")
    rows = [(r["label"], r["overall"]) for r in ordered]
    rows += [(f"{ours['label']} · mitad {h}", m) for h, m in ours["by_half"].items()]
    table = metrics_table(rows, k)
    (out / "compare.md" if compare else out / "summary.md").write_text(table + "\n", "utf-8")
    print(table)
    print(f"\nResultados en {out}", file=sys.stderr)
    return _gate(ours["overall"], floors, k)


def question_halves(
    questions: Sequence[Question], chunks: Iterable[Chunk]
) -> dict[str, Half | None]:
    """Each question's half of the corpus (see `evals.halves`), from its documents."""
    texts: dict[str, list[str]] = {}
    for chunk in chunks:
        texts.setdefault(chunk.source, []).append(chunk.text)
    passages = {source: "\n".join(parts) for source, parts in texts.items()}
    return {q.id: half_of(question_sources(q, passages)) for q in questions}


def _gate(overall: dict[str, float | None], floors: dict[str, float], k: int) -> int:
    failed = [
        f"{name} = {overall.get(name)} < {floor}"
        for name, floor in floors.items()
        if (overall.get(name) or 0.0) < floor
    ]
    for line in failed:
        print(f"Por debajo del mínimo: {line}", file=sys.stderr)
    return 1 if failed else 0


def parse_floors(values: Sequence[str]) -> dict[str, float]:
    """`--min recall@5=0.9 --min fact_accuracy=0.8` -> {"recall@5": 0.9, ...}."""
    floors = {}
    for value in values:
        name, _, number = value.partition("=")
        floors[name.strip()] = float(number)
    return floors
