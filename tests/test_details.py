"""The concrete details of a text, found once: the evidence checks, the contact policy, the crisis
guidance and the feedback redaction all agree on what a phone number is."""

from __future__ import annotations

import pytest

from assistant.contacts import contact_details
from assistant.details import announces, dialable, find_details, line_named_at
from assistant.evidence import has_answer_type
from assistant.intents import AnswerType
from ui.feedback import redact

PHONES = [
    ("Llama al (55) 5658-1111.", "5556581111"),
    ("Línea sin costo 800 108 4053", "8001084053"),
    ("Marca *765 desde cualquier teléfono", "*765"),
    ("Denuncia anónima al 089", "089"),
    ("Emergencias: 911", "911"),
    ("+52 1 656 123 4567", "6561234567"),
    ("tel. 656-737-0000", "6567370000"),
]


@pytest.mark.parametrize(("text", "digits"), PHONES)
def test_every_reader_sees_the_same_phone(text: str, digits: str) -> None:
    found = [d for d in find_details(text) if d.kind == "phone"]
    assert [d.value for d in found] == [digits]
    assert text[found[0].start : found[0].end].replace(" ", "").endswith(digits[-4:])
    assert digits in contact_details(text)  # the contact policy
    assert has_answer_type(text, AnswerType.PHONE)  # the evidence checks
    assert bool(dialable(text)) is (digits != "911")  # the crisis guidance


def test_the_phone_in_brackets_was_seen_by_every_check() -> None:
    """«(55) 5658-1111» used to count for the contact policy only: «¿a qué número llamo?»
    was declined, and guidance printing it did not count as giving a line to call."""
    text = "El Centro atiende en el (55) 5658-1111 de lunes a viernes."
    assert has_answer_type(text, AnswerType.PHONE, "¿a qué número llamo?")
    assert dialable(text) and line_named_at(text) == text.index("(55)")


@pytest.mark.parametrize(
    "text",
    [
        "PROIGUALDAD 2020-2024, fecha 2023-11-10",
        "DOF 25-04-2023, NMX-R-025-SCFI-2015",
        "se destinaron 10 000 000 pesos y 1.234.567 apoyos",
        "4,321 apoyos; art. 325; 81,961 mujeres",
    ],
)
def test_figures_dates_and_norms_are_not_phones(text: str) -> None:
    assert not [d for d in find_details(text) if d.kind == "phone"]
    assert redact(text) == text


def test_schedules_addresses_amounts_dates_and_counts() -> None:
    text = (
        "Atiende de lunes a viernes de 9 a 17 h en Av. Juárez 12, Col. Centro, C.P. 32000; "
        "otorga $5,000 pesos desde el 8 de marzo de 2024 a 127 mujeres de tres municipios."
    )
    kinds = {(d.kind, d.value) for d in find_details(text)}
    assert ("schedule", "de lunes a viernes") in kinds and ("schedule", "9 a 17 h") in kinds
    assert ("address", "c.p. 32000") in kinds
    assert any(k == "address" and v.startswith("av. juarez 12") for k, v in kinds)
    assert ("amount", "$5,000 pesos") in kinds
    assert ("date", "8 de marzo de 2024") in kinds
    assert {("count", "127"), ("count", "tres")} <= kinds
    assert ("count", "2024") not in kinds  # a year counts nothing
    assert not [
        d for d in find_details("1. Senderos Seguros, 2. Modelo LUNAS") if d.kind == "count"
    ]


def test_a_text_may_only_speak_of_a_datum() -> None:
    assert announces("Consulta el horario en la página.", "schedule")
    assert announces("Comunícate a su línea telefónica.", "phone")
    assert not announces("Acude al centro de atención.", "phone")
    assert line_named_at("la Línea Mujeres de atención telefónica") == 3
    assert line_named_at("Acude al centro de atención.") is None
