"""Running a question set through the assistant (or several configurations of it, or the
llama-index quickstart peer), and turning the answers into a scored report."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from assistant.answer import hit_json
from assistant.core import Assistant
from assistant.settings import PROJECT_ROOT, Settings
from evals.halves import HALVES, Half
from evals.metrics import QuestionScore, failures, score_question, summarize, summarize_by_kind
from evals.questions import Question

CURVE_K = 10
Answerer = Callable[[str, Sequence[str]], dict[str, Any]]


def default_eval_store(settings: Settings) -> Path:
    """A store of its own per set of corpus folders and index-shaping settings, so evaluating
    never touches `serve`'s store and a chunking change starts a fresh one."""
    folders = sorted(str(p.resolve()) for p in settings.corpus.dirs)
    shape = [settings.embedding.model, settings.chunking.model_dump_json()]
    digest = hashlib.sha256("\n".join(folders + shape).encode()).hexdigest()[:10]
    return PROJECT_ROOT / "data" / "eval-stores" / digest


def assistant_answerer(assistant: Assistant) -> Answerer:
    """Answer with the assistant; `retrieved` lists the top CURVE_K passages for the recall
    curve (the answer itself was written from the top `k`), `latency_s` is the answer's own."""

    def answer(question: str, history: Sequence[str]) -> dict[str, Any]:
        result = assistant.answer(question, history)
        payload = result.to_json()
        deeper = assistant.search(result.question, history, CURVE_K)[1] if result.query else []
        # the answer's own passages first: a deeper search may order its top k differently
        own = {h.chunk.chunk_id for h in result.hits}
        hits = [*result.hits, *(h for h in deeper if h.chunk.chunk_id not in own)][:CURVE_K]
        payload["retrieved"] = [hit_json(rank, h) for rank, h in enumerate(hits, start=1)]
        return payload

    return answer


@dataclass
class Run:
    """One configuration's results over a question set."""

    label: str
    rows: list[dict[str, Any]]
    scores: list[QuestionScore]


def run_questions(
    label: str,
    answerer: Answerer,
    questions: Sequence[Question],
    progress: Callable[[int, int], None] | None = None,
) -> Run:
    """Ask every question, playing its history through the answerer first."""
    rows, scores = [], []
    for position, question in enumerate(questions):
        if progress:
            progress(position, len(questions))
        for turn, earlier in enumerate(question.history):
            answerer(earlier, question.history[:turn])
        row = answerer(question.question, question.history)
        row = {"id": question.id, "kind": question.kind, **row}
        rows.append(row)
        scores.append(score_question(question, row, CURVE_K))
    if progress:
        progress(len(questions), len(questions))
    return Run(label, rows, scores)


def write_results(run: Run, out: Path) -> None:
    out.mkdir(parents=True, exist_ok=True)
    with (out / "results.jsonl").open("w", encoding="utf-8") as handle:
        for row in run.rows:
            handle.write(json.dumps(row, ensure_ascii=False) + "\n")


def build_report(
    run: Run,
    settings: Settings,
    questions_file: Path,
    k: int,
    halves: dict[str, Half | None] | None = None,
) -> dict[str, Any]:
    """The report of one run; `halves` (question id -> half of the documents it is about)
    adds the metrics of each half of the corpus (see `evals.halves`)."""
    by_half = {
        half: summarize([s for s in run.scores if (halves or {}).get(s.id) == half], k)
        for half in HALVES
        if halves and half in halves.values()
    }
    return {
        "label": run.label,
        "questions_file": str(questions_file),
        "corpus": [str(p) for p in settings.corpus.dirs],
        "settings_fingerprint": settings.fingerprint(),
        "settings": json.loads(settings.model_dump_json(exclude={"store", "corpus"})),
        "k": k,
        "overall": summarize(run.scores, k),
        "by_kind": summarize_by_kind(run.scores, k),
        "by_half": by_half,
        "failures": failures(run.scores),
    }
