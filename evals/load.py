"""Load test: many people talking to the chat window at once, through its API (gradio_client),
each in a session of their own as a browser would be. Run
`python -m evals.load [--users 20] [--turns 2] [--url URL] [--out load.json]`; without `--url`
it starts `asistente serve` on a free port of 127.0.0.1 with the configured corpus (by default
the seed corpus) on a temporary store, and stops it afterwards.

Each conversation opens with an answerable fact question of the question set; each further turn
is one of the set's follow-ups, asked after the question(s) the set gives as its history. A
question of the set is answered correctly when the reply is an answer (not a refusal) and one of
its citations quotes a span containing one of the question's gold quotes (compared after the
normalization of evals/matching.py). Printed: errors, correct answers, latency per turn
(p50/p95/max, queueing included), wall time and throughput."""

from __future__ import annotations

import argparse
import html
import json
import re
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Iterator, Mapping, Sequence
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

from assistant.core import quiet_environment
from evals.matching import contains_quote
from evals.process import LIBRARY_READY, free_port, running_server, wait_for_output
from evals.questions import QUESTION_SETS, Question, load_questions

AUDIENCE = "Ciudadanía"
TURN_TIMEOUT_S = 600.0
_MARK = re.compile(r"<mark>(.*?)</mark>", re.DOTALL)


@dataclass(frozen=True)
class Turn:
    """One question a person asks; `quotes` empty for a turn that only sets up a follow-up."""

    question_id: str
    question: str
    quotes: tuple[str, ...]


@dataclass(frozen=True)
class TurnResult:
    user: int
    number: int  # 1-based, within the conversation
    question_id: str
    seconds: float
    error: str  # empty when the turn came back with its answer
    answered: bool
    judged: bool  # the question has gold quotes (a history turn has none)
    correct: bool  # judged, answered, and a citation quotes a gold quote


@dataclass(frozen=True)
class LoadReport:
    users: int
    turns: int
    errors: int
    judged: int
    answered: int
    correct: int
    p50_s: float
    p95_s: float
    max_s: float
    wall_s: float
    throughput: float  # turns per second
    results: tuple[TurnResult, ...]

    def to_json(self) -> dict[str, Any]:
        return asdict(self)

    def table(self) -> str:
        rows = [
            ("conversaciones simultáneas", f"{self.users}"),
            ("turnos enviados", f"{self.turns}"),
            ("errores", f"{self.errors}"),
            ("preguntas con cita de oro", f"{self.judged}"),
            ("  respondidas", f"{self.answered}"),
            ("  con la cita de oro", f"{self.correct}"),
            ("latencia por turno p50", f"{self.p50_s:.2f} s"),
            ("latencia por turno p95", f"{self.p95_s:.2f} s"),
            ("latencia por turno máx.", f"{self.max_s:.2f} s"),
            ("tiempo total", f"{self.wall_s:.2f} s"),
            ("rendimiento", f"{self.throughput:.2f} turnos/s"),
        ]
        width = max(len(name) for name, _ in rows)
        lines = [f"{name:<{width}}  {value:>12}" for name, value in rows]
        failed = [r for r in self.results if r.error or (r.judged and not r.correct)]
        lines += [
            f"  ✗ persona {r.user} turno {r.number} ({r.question_id}): "
            + (r.error or ("sin la cita de oro" if r.answered else "no respondió"))
            for r in failed
        ]
        return "\n".join(lines)


def conversations(questions: Sequence[Question], users: int, turns: int) -> list[list[Turn]]:
    """One conversation per person: an answerable fact question (in the set's order, then
    around again), then `turns - 1` follow-ups, each preceded by its history."""
    facts = [q for q in questions if q.answerable and q.kind == "fact"]
    followups = [q for q in questions if q.answerable and q.history]
    if not facts or (turns > 1 and not followups):
        raise ValueError("el conjunto de preguntas no tiene preguntas de hechos o de seguimiento")
    result = []
    for user in range(users):
        fact = facts[user % len(facts)]
        talk = [Turn(fact.id, fact.question, fact.quotes)]
        for extra in range(turns - 1):
            followup = followups[(user * (turns - 1) + extra) % len(followups)]
            talk += [Turn(f"{followup.id} (historial)", asked, ()) for asked in followup.history]
            talk.append(Turn(followup.id, followup.question, followup.quotes))
        result.append(talk)
    return result


def read_turn(transcript: str, number: int) -> tuple[bool, list[str]]:
    """From the window's transcript after turn `number`: whether that turn was answered (not
    refused) and the quotes its source cards highlight. Raises ValueError when the transcript
    does not hold exactly `number` turns (the answer failed, or sessions got mixed)."""
    sections = transcript.split('<section class="turn"')[1:]
    if len(sections) != number:
        raise ValueError(f"la conversación muestra {len(sections)} turnos, no {number}")
    last = sections[-1]
    return 'class="msg bot answer"' in last, [html.unescape(m) for m in _MARK.findall(last)]


def _percentile(values: Sequence[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))] if ordered else 0.0


def _talk(url: str, user: int, talk: Sequence[Turn], start: threading.Barrier) -> list[TurnResult]:
    from gradio_client import Client

    try:
        client = Client(url, verbose=False, analytics_enabled=False, download_files=False)
    except Exception as refused:  # noqa: BLE001 - every failure is a result of the run
        start.wait()
        first = talk[0]
        failure = f"conexión: {refused}"
        return [
            TurnResult(user, 1, first.question_id, 0.0, failure, False, bool(first.quotes), False)
        ]
    results = []
    start.wait()
    try:
        for number, turn in enumerate(talk, start=1):
            began = time.perf_counter()
            error, answered = "", False
            quotes: list[str] = []
            try:
                job = client.submit(turn.question, AUDIENCE, api_name="/preguntar")
                answered, quotes = read_turn(job.result(timeout=TURN_TIMEOUT_S)[0], number)
            except Exception as failure:  # noqa: BLE001
                error = f"{type(failure).__name__}: {failure}"
            seconds = time.perf_counter() - began
            found = any(contains_quote(q, gold) for q in quotes for gold in turn.quotes)
            judged = bool(turn.quotes)
            correct = judged and answered and found
            results.append(
                TurnResult(
                    user, number, turn.question_id, seconds, error, answered, judged, correct
                )
            )
            if error:
                break  # the rest of this conversation would build on a turn that is not there
    finally:
        client.close()
    return results


def run_load(url: str, talks: Sequence[Sequence[Turn]]) -> LoadReport:
    """Hold every conversation of `talks` at once against the window at `url`: each person
    connects, all start together, and each sends their next turn as soon as the last came
    back."""
    quiet_environment()  # gradio_client's telemetry stays off
    start = threading.Barrier(len(talks) + 1)
    with ThreadPoolExecutor(max_workers=len(talks)) as pool:
        futures = [pool.submit(_talk, url, user, talk, start) for user, talk in enumerate(talks)]
        start.wait()
        began = time.perf_counter()
        results = [r for future in futures for r in future.result()]
        wall = time.perf_counter() - began
    judged = [r for r in results if r.judged]
    seconds = [r.seconds for r in results if not r.error]
    return LoadReport(
        users=len(talks),
        turns=len(results),
        errors=sum(1 for r in results if r.error),
        judged=len(judged),
        answered=sum(1 for r in judged if r.answered),
        correct=sum(1 for r in judged if r.correct),
        p50_s=statistics.median(seconds) if seconds else 0.0,
        p95_s=_percentile(seconds, 0.95),
        max_s=max(seconds, default=0.0),
        wall_s=wall,
        throughput=len(seconds) / wall if wall else 0.0,
        results=tuple(results),
    )


@contextmanager
def serve_process(
    store: Path, log: Path, env: Mapping[str, str] | None = None, timeout_s: float = 600.0
) -> Iterator[tuple[str, subprocess.Popen[bytes]]]:
    """`asistente serve` on a free port of 127.0.0.1 with its index in `store` and its output
    in `log`, with the environment plus `env`; yields its URL and process once it answers
    with its library prepared, stops it after."""
    port = free_port()
    command = [sys.executable, "-m", "assistant.cli", "serve", "--host", "127.0.0.1"]
    command += ["--port", str(port), "--store", str(store)]
    url = f"http://127.0.0.1:{port}/"
    with running_server(command, url, log=log, env=env, timeout_s=timeout_s) as process:
        wait_for_output(log, LIBRARY_READY, timeout_s)
        yield url, process


@contextmanager
def serving(
    store: Path, log: Path, env: Mapping[str, str] | None = None, timeout_s: float = 600.0
) -> Iterator[str]:
    """As `serve_process`, yielding the URL only."""
    with serve_process(store, log, env, timeout_s) as (url, _):
        yield url


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--users", type=int, default=20, help="conversations at once")
    parser.add_argument("--turns", type=int, default=2, help="questions of the set per person")
    parser.add_argument("--url", help="a running window (default: start one)")
    parser.add_argument("--store", type=Path, help="index folder of the started window")
    parser.add_argument("--generator", choices=("extractive", "llm"), help="of the started window")
    parser.add_argument("--questions", type=Path, default=QUESTION_SETS / "questions.jsonl")
    parser.add_argument("--out", type=Path, help="also write the report here (JSON)")
    args = parser.parse_args(argv)
    if args.users < 1 or args.turns < 1:
        parser.error("--users y --turns deben ser al menos 1")
    quiet_environment()
    talks = conversations(load_questions(args.questions), args.users, args.turns)
    with tempfile.TemporaryDirectory(prefix="asistente-carga-") as scratch:
        if args.url:
            report = run_load(args.url, talks)
        else:
            env = {"ASISTENTE_UI__FEEDBACK_DB": str(Path(scratch) / "opiniones.sqlite")}
            if args.generator:
                env["ASISTENTE_ANSWER__GENERATOR"] = args.generator
            store = args.store or Path(scratch) / "store"
            log = Path(scratch) / "serve.log"
            print("Arrancando `asistente serve`…", file=sys.stderr)
            with serving(store, log, env) as url:
                report = run_load(url, talks)
    print(report.table())
    if args.out:
        args.out.parent.mkdir(parents=True, exist_ok=True)
        text = json.dumps(report.to_json(), ensure_ascii=False, indent=2)
        args.out.write_text(text, encoding="utf-8")
    return 1 if report.errors else 0


if __name__ == "__main__":
    sys.exit(main())
