"""Phone numbers, addresses and schedules: an answer may give one only if a passage it cites
prints it (911, Mexico's emergency number, is always allowed). A wrong number sends a person in
danger nowhere, so this is enforced on every answer, whatever wrote it."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import replace

from assistant.answer import NOT_IN_DOCUMENTS, Citation, Draft
from assistant.details import CONTACT_KINDS, EMERGENCY_NUMBER, find_details
from assistant.markers import Claim, assemble, cited_keys, split_claims
from index.chunking import Chunk
from index.terms import fold


def contact_details(text: str) -> list[str]:
    """The phone numbers, addresses and schedules in `text`, normalized: phones as their
    digits ("*765", "6567370000"), the rest folded ("lunes a viernes")."""
    return list(dict.fromkeys(d.value for d in find_details(text, CONTACT_KINDS)))


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
    used = set(cited_keys(text))
    return replace(draft, text=text, citations=tuple(c for c in draft.citations if c.key in used))
