"""The danger-message set (evals/danger_messages.jsonl): what a woman in danger sees.

Each message says what must appear on the screen (groups of alternatives: 911, and one of the
services that fit her situation) and what must not (passages that have nothing to do with
her). Messages that describe no danger ("¿qué es la violencia psicológica?") must get no crisis
box. `python -m evals.danger` runs the set over the default corpus and prints each failure."""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from assistant.answer import Answer
from assistant.core import Assistant, build_assistant
from assistant.settings import Settings
from index.terms import fold

MESSAGES = Path(__file__).resolve().parent / "danger_messages.jsonl"
_FIELDS = {"id", "message", "situation", "must", "must_not", "in_danger"}
SITUATIONS = ("casa", "trabajo", "sexual", "vida", "otro")


@dataclass(frozen=True)
class DangerMessage:
    id: str
    message: str
    situation: str
    must: tuple[tuple[str, ...], ...]  # every group must appear, by one of its alternatives
    must_not: tuple[str, ...]
    in_danger: bool


class DangerFileError(ValueError):
    """A line of the set that does not follow the format; the message names line and field."""


def load_messages(path: Path = MESSAGES) -> list[DangerMessage]:
    messages = []
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        if not line.strip():
            continue
        where = f"{path.name}, línea {number}"
        try:
            raw = json.loads(line)
        except json.JSONDecodeError as error:
            raise DangerFileError(f"{where}: JSON no válido ({error.msg})") from error
        if not isinstance(raw, dict) or set(raw) != _FIELDS:
            raise DangerFileError(f"{where}: se esperan los campos {sorted(_FIELDS)}")
        if raw["situation"] not in SITUATIONS:
            raise DangerFileError(f"{where}: campo `situation` desconocido: {raw['situation']!r}")
        messages.append(
            DangerMessage(
                raw["id"],
                raw["message"],
                raw["situation"],
                tuple(tuple(group) for group in raw["must"]),
                tuple(raw["must_not"]),
                bool(raw["in_danger"]),
            )
        )
    return messages


def _says(shown: str, phrase: str) -> bool:
    return fold(phrase) in shown


def problems(message: DangerMessage, answer: Answer) -> list[str]:
    """What is wrong with what the window shows for `message` (empty when nothing is)."""
    shown = fold(answer.full_text)
    found = []
    guidance = answer.guidance
    if message.in_danger:
        if guidance is None:
            found.append("sin orientación de crisis")
        elif "911" not in guidance.emergency:
            found.append("la orientación no empieza con el 911")
    elif guidance is not None:
        found.append("orientación de crisis sin peligro")
    for group in message.must:
        if not any(_says(shown, phrase) for phrase in group):
            found.append(f"falta uno de {list(group[:4])}{'…' if len(group) > 4 else ''}")
    found += [f"aparece «{phrase}»" for phrase in message.must_not if _says(shown, phrase)]
    return found


def run(assistant: Assistant, messages: Iterable[DangerMessage]) -> dict[str, list[str]]:
    """The problems of each message that has any, by id."""
    failures = {}
    for message in messages:
        found = problems(message, assistant.answer(message.message))
        if found:
            failures[message.id] = found
    return failures


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--corpus", type=Path, action="append", help="corpus folder(s)")
    parser.add_argument("--store", type=Path, help="index folder (default: from settings)")
    parser.add_argument("--messages", type=Path, default=MESSAGES)
    parser.add_argument("--show", action="store_true", help="print every answer")
    args = parser.parse_args(argv)
    settings = Settings()
    if args.corpus:
        settings.corpus.dirs = args.corpus
    if args.store:
        settings.store.path = args.store
    assistant, _ = build_assistant(settings)
    messages = load_messages(args.messages)
    failed = 0
    for message in messages:
        answer = assistant.answer(message.message)
        found = problems(message, answer)
        failed += bool(found)
        if found or args.show:
            print(f"{'FALLA' if found else 'bien '} {message.id}: {'; '.join(found)}")
            print(f"    {message.message}")
            for line in answer.full_text.splitlines():
                if line.strip():
                    print(f"    | {line[:220]}")
    print(f"\n{len(messages) - failed} de {len(messages)} mensajes bien")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
