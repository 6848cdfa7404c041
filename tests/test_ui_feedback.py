"""Feedback on answers: personal data redacted before anything reaches the SQLite file; CSV."""

from __future__ import annotations

import csv
import io
import sqlite3
from dataclasses import replace
from pathlib import Path

import pytest

from assistant.answer import Answer
from tests.test_ui_render import VIOLETA
from ui.feedback import FeedbackStore, redact


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Llámame al 55 1234 5678", "Llámame al [teléfono]"),
        ("o al (55) 1234-5678.", "o al [teléfono]."),
        ("+52 1 656 123 4567", "[teléfono]"),
        ("Línea 800 911 2000", "Línea [teléfono]"),
        ("al 5512345678 hoy", "al [teléfono] hoy"),
        ("tel. 5658-1111", "tel. [teléfono]"),
        ("escribe a ana.perez+x@correo.com.mx ya", "escribe a [correo] ya"),
        ("CURP GOMA800101MDFRRN09.", "CURP [CURP]."),
        ("curp goma800101mdfrrn09", "curp [CURP]"),
        # numbers that are not personal data stay
        ("PROIGUALDAD 2020-2024, fecha 2023-11-10", "PROIGUALDAD 2020-2024, fecha 2023-11-10"),
        ("4,321 apoyos; art. 325; 1 000 000 pesos", "4,321 apoyos; art. 325; 1 000 000 pesos"),
    ],
)
def test_redaction(text: str, expected: str) -> None:
    assert redact(text) == expected


def test_store_keeps_only_redacted_text_and_exports_csv(tmp_path: Path) -> None:
    store = FeedbackStore(tmp_path / "sub" / "opiniones.sqlite")
    cited = replace(VIOLETA, quote="Informes al 55 1234 5678 o a violeta@zac.gob.mx")
    answer = Answer(
        "Soy GOMA800101MDFRRN09, mi cel 55 8765 4321: ¿me dan apoyo?",
        "",
        "El programa da apoyos. [1]",
        (cited,),
        (),
        True,
        settings_fingerprint="abc123",
    )
    row = store.record(answer, "down", "ciudadania")
    store.comment(row, '=HYPERLINK("x") escríbanme a yo@correo.mx')
    store.rate(row, "up")
    second = store.record(answer, "down", "personal", comment="-sin datos")
    with pytest.raises(ValueError, match="valoración"):
        store.record(answer, "meh")

    raw = (
        sqlite3.connect(tmp_path / "sub" / "opiniones.sqlite")
        .execute("SELECT * FROM feedback")
        .fetchall()
    )
    dump = repr(raw)
    for secret in (
        "GOMA800101MDFRRN09",
        "8765 4321",
        "1234 5678",
        "yo@correo.mx",
        "violeta@zac.gob.mx",
    ):
        assert secret not in dump

    rows = store.rows()
    assert [r["id"] for r in rows] == [row, second]
    assert rows[0]["rating"] == "up" and rows[0]["answered"] == 1
    assert rows[0]["question"] == "Soy [CURP], mi cel [teléfono]: ¿me dan apoyo?"
    assert "[correo]" in rows[0]["comment"]
    assert '"quote": "Informes al [teléfono] o a [correo]"' in rows[0]["citations"]
    assert rows[0]["settings_fingerprint"] == "abc123"

    table = list(csv.reader(io.StringIO(store.to_csv())))
    assert table[0][:3] == ["id", "created", "rating"]
    assert len(table) == 3
    comments = [line[3] for line in table[1:]]
    assert comments[0].startswith("'=HYPERLINK")  # spreadsheets will not run it as a formula
    assert comments[1] == "'-sin datos"
