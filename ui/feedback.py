"""👍/👎 feedback on answers, kept in a local SQLite file with the question, the answer and its
citations. Phone numbers, e-mail addresses and CURPs are redacted before anything is stored;
staff download the table as CSV."""

from __future__ import annotations

import csv
import io
import json
import re
import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from assistant.answer import Answer
from assistant.details import dialable

RATINGS = ("up", "down")
MAX_COMMENT = 2000

_EMAIL = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+", re.UNICODE)
# CURP: 4 letters, birth date (YYMMDD), sex, state (2 letters), 3 consonants, homoclave, digit.
_CURP = re.compile(r"\b[A-Z]{4}\d{6}[HMX][A-Z]{5}[A-Z0-9]\d\b", re.IGNORECASE)
_COLUMNS = (
    "id",
    "created",
    "rating",
    "comment",
    "question",
    "answer",
    "answered",
    "citations",
    "audience",
    "settings_fingerprint",
)


def redact(text: str) -> str:
    """`text` with e-mail addresses, CURPs and phone numbers replaced by placeholders."""
    text = _EMAIL.sub("[correo]", text)
    text = _CURP.sub("[CURP]", text)
    # a person's number, not a public line: 911, 089 and *765 say nothing about who wrote
    for phone in reversed(dialable(text)):
        if phone.value[:1].isdigit() and len(phone.value) >= 7:
            text = f"{text[: phone.start]}[teléfono]{text[phone.end :]}"
    return text


def _citations_json(answer: Answer) -> str:
    return json.dumps(
        [
            {
                "key": c.key,
                "title": c.chunk.title,
                "source": c.chunk.source,
                "page": c.chunk.page,
                "heading": c.chunk.heading,
                "quote": redact(c.quote),
            }
            for c in answer.all_citations
        ],
        ensure_ascii=False,
    )


def _spreadsheet_safe(value: Any) -> Any:
    """Cells that a spreadsheet would run as formulas are prefixed with an apostrophe."""
    if isinstance(value, str) and value[:1] in ("=", "+", "-", "@", "\t", "\r"):
        return "'" + value
    return value


class FeedbackStore:
    """Feedback rows in one SQLite file (created on first use)."""

    def __init__(self, path: Path) -> None:
        self.path = path
        path.parent.mkdir(parents=True, exist_ok=True)
        with self._connect() as db:
            db.execute(
                "CREATE TABLE IF NOT EXISTS feedback ("
                "id INTEGER PRIMARY KEY AUTOINCREMENT, created TEXT NOT NULL, "
                "rating TEXT NOT NULL, comment TEXT NOT NULL DEFAULT '', "
                "question TEXT NOT NULL, answer TEXT NOT NULL, answered INTEGER NOT NULL, "
                "citations TEXT NOT NULL, audience TEXT NOT NULL, "
                "settings_fingerprint TEXT NOT NULL)"
            )

    @contextmanager
    def _connect(self) -> Iterator[sqlite3.Connection]:
        db = sqlite3.connect(self.path, timeout=10)
        try:
            with db:
                yield db
        finally:
            db.close()

    def record(self, answer: Answer, rating: str, audience: str = "", comment: str = "") -> int:
        """Store a rating ("up" or "down") of `answer`, redacted; returns the row id."""
        if rating not in RATINGS:
            raise ValueError(f"valoración desconocida: {rating!r}")
        with self._connect() as db:
            cursor = db.execute(
                "INSERT INTO feedback (created, rating, comment, question, answer, answered, "
                "citations, audience, settings_fingerprint) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                (
                    datetime.now(UTC).isoformat(timespec="seconds"),
                    rating,
                    redact(comment[:MAX_COMMENT]),
                    redact(answer.question),
                    redact(answer.full_text),
                    int(answer.answered),
                    _citations_json(answer),
                    audience,
                    answer.settings_fingerprint,
                ),
            )
            return int(cursor.lastrowid or 0)

    def rate(self, row_id: int, rating: str) -> None:
        """Change the rating of a stored row (a reader who changes their mind)."""
        if rating not in RATINGS:
            raise ValueError(f"valoración desconocida: {rating!r}")
        with self._connect() as db:
            db.execute("UPDATE feedback SET rating = ? WHERE id = ?", (rating, row_id))

    def comment(self, row_id: int, text: str) -> None:
        """Attach a comment (redacted) to a stored row."""
        with self._connect() as db:
            db.execute(
                "UPDATE feedback SET comment = ? WHERE id = ?",
                (redact(text.strip()[:MAX_COMMENT]), row_id),
            )

    def rows(self) -> list[dict[str, Any]]:
        """Every stored row, oldest first."""
        with self._connect() as db:
            cursor = db.execute(f"SELECT {', '.join(_COLUMNS)} FROM feedback ORDER BY id")
            return [dict(zip(_COLUMNS, row, strict=True)) for row in cursor.fetchall()]

    def to_csv(self) -> str:
        """Every row as CSV (header first), safe to open in a spreadsheet."""
        out = io.StringIO()
        writer = csv.writer(out)
        writer.writerow(_COLUMNS)
        for row in self.rows():
            writer.writerow([_spreadsheet_safe(row[column]) for column in _COLUMNS])
        return out.getvalue()
