"""No phone number, address or schedule in an answer unless a cited passage prints it."""

from __future__ import annotations

from llm_fakes import chunk

from assistant.answer import NOT_IN_DOCUMENTS, Citation, Draft
from assistant.contacts import contact_details, enforce_cited_contacts, uncited_details

PASSAGE = (
    "El Ayuntamiento de Juárez está en Av. Francisco Villa 950, Col. Centro, C.P. 32000. "
    "Teléfono 656 737 0000, de lunes a viernes de 8:00 a 16:00 horas. "
    "La Línea Mujeres atiende en el *765."
)


def test_phones_addresses_and_schedules_are_found() -> None:
    found = contact_details(
        "Llama al (55) 5658-1111 o al *765; ve a Av. Juárez 12, de lunes a viernes de 9 a 17 h."
    )
    assert "5556581111" in found and "*765" in found
    assert any(d.startswith("av. juarez 12") for d in found)
    assert "de lunes a viernes" in found and "9 a 17 h" in found


def test_figures_dates_and_norms_are_not_phones() -> None:
    text = (
        "Se aprobaron 127 créditos a mujeres de 29 entidades; se capacitó a 81,961 mujeres en "
        "2023-2024 (DOF 25-04-2023), conforme a la NMX-R-025-SCFI-2015 y al artículo 325."
    )
    assert contact_details(text) == []


def test_only_printed_details_pass_and_911_always_does() -> None:
    assert uncited_details("Llama al 656 737 0000 o al 911.", [PASSAGE]) == []
    assert uncited_details("Llama al 656-737-0000.", [PASSAGE]) == []  # other separators
    assert uncited_details("Llama al 656 737 0001.", [PASSAGE]) == ["6567370001"]
    assert uncited_details("Atiende de lunes a viernes.", [PASSAGE]) == []
    assert uncited_details("Atiende las 24 horas.", [PASSAGE]) == ["24 horas"]


def _cited(text: str) -> Citation:
    return Citation("1", chunk(text), text[:40])


def test_sentences_with_uncited_contacts_are_dropped() -> None:
    draft = Draft(
        "Puedes llamar al 656 737 0000 [1]. También al 55 1234 5678 [1]. Y siempre al 911.",
        (_cited(PASSAGE),),
        answered=True,
    )
    kept = enforce_cited_contacts(draft)
    assert kept.text == "Puedes llamar al 656 737 0000 [1]. Y siempre al 911."
    assert kept.answered and kept.citations == draft.citations


def test_a_draft_left_empty_declines() -> None:
    draft = Draft("Llama al 55 1234 5678 [1].", (_cited(PASSAGE),), answered=True)
    declined = enforce_cited_contacts(draft)
    assert declined.text == NOT_IN_DOCUMENTS and not declined.answered
    assert declined.citations == ()


def test_a_clean_draft_is_returned_untouched() -> None:
    draft = Draft("La Línea Mujeres atiende en el *765 [1].", (_cited(PASSAGE),), answered=True)
    assert enforce_cited_contacts(draft) is draft
