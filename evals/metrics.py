"""Evaluation metrics: pure functions over one question and the assistant's result for it."""

from __future__ import annotations

import statistics
from collections.abc import Sequence
from dataclasses import asdict, dataclass, field
from typing import Any

from evals.matching import contains_quote, normalize_for_match
from evals.questions import KINDS, Question


def _tokens(text: str) -> list[str]:
    return normalize_for_match(text).split()


def quote_found(quote: str, passages: Sequence[str]) -> bool:
    """A quote is found when it stands whole in one passage, or is split across two passages
    at a chunk boundary (its head ends one passage and its tail starts another)."""
    if any(contains_quote(p, quote) for p in passages):
        return True
    needle = _tokens(quote)
    tokenized = [_tokens(p) for p in passages]
    for cut in range(1, len(needle)):
        head, tail = needle[:cut], needle[cut:]
        ends = any(t[-len(head) :] == head for t in tokenized)
        starts = any(t[: len(tail)] == tail for t in tokenized)
        if ends and starts:
            return True
    return False


def shown_text(result: dict[str, Any]) -> str:
    """What the person reads: the crisis guidance, when there is one, then the answer."""
    guidance = result.get("guidance") or {}
    return "\n\n".join(t for t in (guidance.get("text", ""), result["answer"]) if t)


def facts_present(answer: str, facts: Sequence[Sequence[str]]) -> bool:
    """Every group of alternatives has one alternative in the answer (normalized, on token
    boundaries)."""
    return all(any(contains_quote(answer, alt) for alt in group) for group in facts)


@dataclass(frozen=True)
class QuestionScore:
    """How one question fared; None where a metric does not apply to it."""

    id: str
    kind: str
    answerable: bool
    recall_at: dict[int, bool]
    cited_gold: bool | None
    fact_correct: bool | None
    false_refusal: bool | None
    refusal_correct: bool | None
    quotes_faithful: int
    quotes_total: int
    latency_s: float
    problems: tuple[str, ...] = field(default=())
    first_token_s: float | None = None  # streaming generators only
    # fact groups of an answerable question the shown answer states (none when it refused),
    # and how many it asks: partial progress on questions asking five or six things
    facts_found: int = 0
    facts_total: int = 0


def score_question(question: Question, result: dict[str, Any], max_k: int = 10) -> QuestionScore:
    """Score one line of results.jsonl against its question."""
    # what was retrieved: each hit's unit (its article or section) where the answer drew on one
    ranking = sorted(result["retrieved"], key=lambda r: r["rank"])
    retrieved = [r.get("unit_text") or r["text"] for r in ranking]
    citations = result["citations"]
    faithful = sum(1 for c in citations if c["quote"] and c["quote"] in c["text"])
    problems: list[str] = []
    if faithful < len(citations):
        problems.append(f"{len(citations) - faithful} cita(s) con texto que no está en el pasaje")
    if not question.answerable:
        if result["answered"]:
            problems.append("respondió una pregunta que el corpus no contesta")
        return QuestionScore(
            question.id,
            question.kind,
            False,
            {},
            None,
            None,
            None,
            not result["answered"],
            faithful,
            len(citations),
            result["latency_s"],
            tuple(problems),
            _first_token(result),
        )
    recall = {
        k: all(quote_found(q, retrieved[:k]) for q in question.quotes) for k in range(1, max_k + 1)
    }
    cited = any(contains_quote(c["text"], q) for c in citations for q in question.quotes)
    shown = shown_text(result)
    stated = [result["answered"] and facts_present(shown, [g]) for g in question.facts]
    correct = result["answered"] and all(stated)
    if not recall[min(5, max_k)]:
        problems.append("la cita de referencia no está entre los 5 primeros pasajes")
    if not result["answered"]:
        problems.append("dijo que los documentos no lo contienen")
    elif not correct:
        missing = [group[0] for group, ok in zip(question.facts, stated, strict=True) if not ok]
        problems.append(f"faltan datos en la respuesta: {', '.join(missing)}")
    if result["answered"] and not cited:
        problems.append("no cita el pasaje de referencia")
    return QuestionScore(
        question.id,
        question.kind,
        True,
        recall,
        cited,
        correct,
        not result["answered"],
        None,
        faithful,
        len(citations),
        result["latency_s"],
        tuple(problems),
        _first_token(result),
        sum(stated),
        len(stated),
    )


def _first_token(result: dict[str, Any]) -> float | None:
    value = result.get("timings", {}).get("first_token")
    return float(value) if value is not None else None


def _rate(values: Sequence[bool | None]) -> float | None:
    relevant = [v for v in values if v is not None]
    return round(sum(relevant) / len(relevant), 4) if relevant else None


def _percentile(values: Sequence[float], q: float) -> float | None:
    if not values:
        return None
    if len(values) == 1:
        return round(values[0], 4)
    return round(statistics.quantiles(values, n=100, method="inclusive")[int(q) - 1], 4)


def summarize(scores: Sequence[QuestionScore], k: int = 5) -> dict[str, Any]:
    """The report's metrics over a set of scored questions."""
    answerable = [s for s in scores if s.answerable]
    faithful = sum(s.quotes_faithful for s in scores)
    total_quotes = sum(s.quotes_total for s in scores)
    latencies = [s.latency_s for s in scores]
    first_tokens = [s.first_token_s for s in scores if s.first_token_s is not None]
    max_k = max((max(s.recall_at) for s in answerable if s.recall_at), default=k)
    asked = sum(s.facts_total for s in answerable)
    found = sum(s.facts_found for s in answerable)
    return {
        "questions": len(scores),
        "answerable": len(answerable),
        f"recall@{k}": _rate([s.recall_at.get(k) for s in answerable]),
        "recall_curve": {
            str(i): _rate([s.recall_at.get(i) for s in answerable]) for i in range(1, max_k + 1)
        },
        "cited_gold": _rate([s.cited_gold for s in answerable]),
        "fact_accuracy": _rate([s.fact_correct for s in answerable]),
        "fact_groups": round(found / asked, 4) if asked else None,
        "false_refusals": _rate([s.false_refusal for s in answerable]),
        "refusal_accuracy": _rate([s.refusal_correct for s in scores]),
        "quote_fidelity": round(faithful / total_quotes, 4) if total_quotes else None,
        "latency_p50_s": _percentile(latencies, 50),
        "latency_p95_s": _percentile(latencies, 95),
        "first_token_p50_s": _percentile(first_tokens, 50),
    }


def summarize_by_kind(scores: Sequence[QuestionScore], k: int = 5) -> dict[str, dict[str, Any]]:
    kinds = [kind for kind in KINDS if any(s.kind == kind for s in scores)]
    return {kind: summarize([s for s in scores if s.kind == kind], k) for kind in kinds}


def failures(scores: Sequence[QuestionScore]) -> list[dict[str, Any]]:
    return [
        {"id": s.id, "kind": s.kind, "problems": list(s.problems)} for s in scores if s.problems
    ]


def as_dict(score: QuestionScore) -> dict[str, Any]:
    return asdict(score)
