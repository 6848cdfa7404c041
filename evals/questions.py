"""The fixed question sets (JSON Lines): loading and validation."""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

FIELDS = {"id", "question", "history", "answerable", "facts", "quotes", "kind"}
OPTIONAL_FIELDS = {"docs"}  # the file names of the documents that answer it
# In the order reports list them.
KINDS = (
    "fact",
    "named",  # names the document it asks about
    "list",  # the answer is a whole list (an article's fracciones, a report's points)
    "compound",  # two or three questions in one
    "summary",
    "followup",
    "colloquial",
    "crosslingual",
    "unanswerable",
)
QUESTION_SETS = Path(__file__).resolve().parent


@dataclass(frozen=True)
class Question:
    id: str
    question: str
    history: tuple[str, ...]
    answerable: bool
    facts: tuple[tuple[str, ...], ...]
    quotes: tuple[str, ...]
    kind: str
    docs: tuple[str, ...] = ()


class QuestionFileError(ValueError):
    """A question file that does not follow the format; the message names file, line, field."""


def load_questions(path: Path) -> list[Question]:
    """Read and validate a question file."""
    questions: list[Question] = []
    seen: set[str] = set()
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        if not line.strip():
            continue
        where = f"{path.name}, línea {number}"
        try:
            raw = json.loads(line)
        except json.JSONDecodeError as error:
            raise QuestionFileError(f"{where}: JSON no válido ({error.msg})") from error
        if not isinstance(raw, dict) or not FIELDS <= set(raw) <= FIELDS | OPTIONAL_FIELDS:
            found = sorted(raw) if isinstance(raw, dict) else type(raw).__name__
            raise QuestionFileError(f"{where}: se esperan los campos {sorted(FIELDS)}, hay {found}")
        if raw["kind"] not in KINDS:
            raise QuestionFileError(f"{where}: campo `kind` desconocido: {raw['kind']!r}")
        if raw["id"] in seen:
            raise QuestionFileError(f"{where}: campo `id` repetido: {raw['id']!r}")
        seen.add(raw["id"])
        questions.append(
            Question(
                id=raw["id"],
                question=raw["question"],
                history=tuple(raw["history"]),
                answerable=bool(raw["answerable"]),
                facts=tuple(tuple(group) for group in raw["facts"]),
                quotes=tuple(raw["quotes"]),
                kind=raw["kind"],
                docs=tuple(raw.get("docs", ())),
            )
        )
    return questions
