"""Phone numbers, addresses and schedules: an answer may give one only if a passage it cites
prints it (911, Mexico's emergency number, is always allowed). A wrong number sends a person in
danger nowhere, so this is enforced on every answer, whatever wrote it."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import replace

from assistant.answer import NOT_IN_DOCUMENTS, Citation, Draft
from assistant.verification import Claim, assemble, marker_keys, split_claims
from index.chunking import Chunk
from index.terms import fold

EMERGENCY_NUMBER = "911"

_STAR_CODE = re.compile(r"\*\s?\d{3,}")
_SHORT_LINE = re.compile(r"(?<![\w*-])(?:0\d{2}|911)(?![\w-])")
# Seven to thirteen digits in groups ("656 737 0000", "(55) 5658-1111", "800 108 4053", "+52 …")
_GROUPED = re.compile(
    r"(?<![\w,.-])(?:\+\s?\d{1,3}[\s.-]?)?(?:\(\d{2,3}\)\s?)?\d{2,4}(?:[\s.-]\d{2,4}){1,4}"
    r"(?!\d|[,.]\d)"
)
_LONG = re.compile(r"(?<![\w,.-])\d{7,13}(?!\d|[,.]\d)")
# Year ranges and dates ("2023-2024", "25-04-2023") group digits like phones do.
_NOT_PHONE = re.compile(r"^((19|20)\d\d\D+(19|20)\d\d|\d{1,2}[-/.]\d{1,2}[-/.](19|20)?\d\d)$")
_ADDRESS = re.compile(
    r"\bc\.?\s?p\.?\s?\d{5}\b"
    r"|\b(?:calle|av\.?|avenida|calzada|blvd\.?|boulevard|bulevar|privada|carretera|andador|"
    r"prolongacion)\s+[^\n,;:]{1,50}?\s(?:no\.?\s*|num\.?\s*|numero\s+|#\s*)?\d{1,5}[a-z]?\b"
    r"|\b(?:col\.|colonia)\s+[a-z][^\n,;:.]{1,40}"
    r"|\b(?:piso|interior|int\.|local)\s+\d+\b"
)
_SCHEDULE = re.compile(
    r"\b\d{1,2}(?::\d{2})?\s*(?:a|-|–|hasta(?: las)?)\s*\d{1,2}(?::\d{2})?\s*(?:h|hrs?|horas)\b"
    r"|\b\d{1,2}:\d{2}\s*(?:h|hrs?|horas|a\.?\s?m\.?|p\.?\s?m\.?)?"
    r"|\b(?:de\s+)?lunes\s+a\s+(?:jueves|viernes|sabado|domingo)\b"
    r"|\b24\s+horas\b|\blos\s+365\s+dias\b|\b24/7\b"
)


def _digits(text: str) -> str:
    return re.sub(r"[^\d*]", "", text)


def contact_details(text: str) -> list[str]:
    """The phone numbers, addresses and schedules in `text`, normalized: phones as their
    digits ("*765", "6567370000"), the rest folded ("lunes a viernes")."""
    found: list[str] = []
    for match in _STAR_CODE.finditer(text):
        found.append(_digits(match.group()))
    for match in _SHORT_LINE.finditer(text):
        found.append(match.group())
    for pattern in (_GROUPED, _LONG):
        for match in pattern.finditer(text):
            digits = _digits(match.group())
            if 7 <= len(digits) <= 13 and not _NOT_PHONE.match(match.group()):
                found.append(digits)
    folded = fold(text)
    for pattern in (_ADDRESS, _SCHEDULE):
        found.extend(" ".join(m.group().split()) for m in pattern.finditer(folded))
    return list(dict.fromkeys(found))


def printed_in(detail: str, passages: Sequence[str]) -> bool:
    """Whether a detail from `contact_details` is printed in one of the passages."""
    if detail == EMERGENCY_NUMBER:
        return True
    for passage in passages:
        if detail[:1].isdigit() or detail.startswith("*"):
            # digits run together inside a number ("656 737-0000" -> "6567370000")
            joined = re.sub(r"(?<=[\d*])[\s().-]+(?=\d)", "", passage)
            if re.search(rf"(?<![\d]){re.escape(detail)}(?!\d)", joined):
                return True
        elif detail in " ".join(fold(passage).split()):
            return True
    return False


def uncited_details(text: str, passages: Sequence[str]) -> list[str]:
    """Phone numbers, addresses and schedules in `text` that none of `passages` prints."""
    return [d for d in contact_details(text) if not printed_in(d, passages)]


def _cited_texts(claim: Claim, citations: Sequence[Citation]) -> list[str]:
    by_key = {c.key: c.chunk for c in citations}
    chunks: list[Chunk] = [by_key[k] for k in claim.keys if k in by_key]
    if not chunks:  # uncited, or bracketed numbers of the source's own ("[3]" footnotes)
        chunks = [c.chunk for c in citations]
    return [f"{c.title} {c.heading} {c.text}" for c in chunks]


def enforce_cited_contacts(draft: Draft) -> Draft:
    """Drop every sentence of `draft` that gives a phone number, address or schedule that the
    passages it cites do not print (911 excepted). A draft with nothing left declines."""
    claims = split_claims(draft.text)
    kept = [c for c in claims if not uncited_details(c.body, _cited_texts(c, draft.citations))]
    if len(kept) == len(claims):
        return draft
    text = assemble(kept)
    if not any(not c.structural for c in kept):
        return replace(
            draft,
            text=NOT_IN_DOCUMENTS,
            citations=(),
            answered=False,
            reason="se quitaron datos de contacto que los pasajes citados no contienen",
        )
    used = set(marker_keys(text))
    return replace(draft, text=text, citations=tuple(c for c in draft.citations if c.key in used))
