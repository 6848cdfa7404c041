"""The concrete details a text gives: phone numbers and lines, schedules, addresses, amounts,
dates and counts, as typed spans. The one definition of each: the evidence checks (does a
passage hold the datum asked for?), the contact policy (an answer prints no phone a cited
passage does not) and the crisis guidance (does it give a line to call?) all read from here.

Besides the details themselves, a text may only announce one ("el teléfono de la línea",
"en un horario", "el monto"): `announces` tells those cues, which the evidence checks accept
where a passage need only speak of the datum."""

from __future__ import annotations

import re
from collections.abc import Collection, Iterator
from dataclasses import dataclass
from typing import Literal

from index.terms import fold, fold_in_place

DetailKind = Literal["phone", "schedule", "address", "amount", "date", "count"]
ALL_KINDS: tuple[DetailKind, ...] = ("phone", "schedule", "address", "amount", "date", "count")
CONTACT_KINDS: tuple[DetailKind, ...] = ("phone", "address", "schedule")
PHONES: tuple[DetailKind, ...] = ("phone",)
COUNTS: tuple[DetailKind, ...] = ("count",)
EMERGENCY_NUMBER = "911"


@dataclass(frozen=True)
class Detail:
    """One detail of `kind` at text[start:end]. `value` is normalized for comparison: a phone
    as its digits ("*765", "5556581111"), a count as its digits or word, anything else folded
    with single spaces ("lunes a viernes", "av. juarez 12")."""

    kind: DetailKind
    start: int
    end: int
    value: str


_MONTH = (
    "(enero|febrero|marzo|abril|mayo|junio|julio|agosto|septiembre|setiembre|octubre|"
    "noviembre|diciembre)"
)
# A figure, thousands grouped or not: "5,000", "10 000 000", "1.5".
_FIGURE = r"(?:\d{1,3}(?:[ ,.]\d{3})+(?![\d])(?:[.,]\d+)?|\d+(?:[.,]\d+)?)"
# A count in words: "tres", "doscientas", "veintiún", "mil".
COUNT_WORD = re.compile(
    r"(un[oa]?|dos|tres|cuatro|cinco|seis|siete|ocho|nueve|diez|once|doce|trece|catorce|quince"
    r"|dieci\w+|veinti?\w*|treinta|cuarenta|cincuenta|sesenta|setenta|ochenta|noventa|cien"
    r"|\w+cient[oa]s|quinient[oa]s|mil|miles|millon\w*)"
)

# --- phones (matched on the original text: digits and punctuation only) -------------------
_STAR_CODE = re.compile(r"\*\s?\d{3,}")
# 911, 089, 079…; not a group of a figure ("10 000 000", "1.000")
_SHORT_LINE = re.compile(r"(?<![\w*-])(?<!\d\s)(?<!\d[.,])(?:0[1-9]\d|911)(?![\w-])(?!\s\d{3}\b)")
# Seven to thirteen digits in groups ("656 737 0000", "(55) 5658-1111", "800 108 4053", "+52 …")
_GROUPED = re.compile(
    r"(?<![\w,.-])(?:\+\s?\d{1,3}[\s.-]?(?:1[\s.-])?)?"  # country code, mobile "1"
    r"(?P<number>(?:\(\d{2,3}\)\s?)?\d{2,4}(?:[\s.-]\d{2,4}){1,4})(?!\d|[,.]\d)"
)
_LONG = re.compile(r"(?<![\w,.-])\d{7,13}(?!\d|[,.]\d)")
# Year ranges and dates ("2023-2024", "25-04-2023") group digits like phones do, and so do
# figures written with thousands separators ("1.234.567", "10 000 000").
_NOT_PHONE = re.compile(
    r"^((19|20)\d\d\D+(19|20)\d\d|\d{1,2}[-/.]\d{1,2}[-/.](19|20)?\d\d|(19|20)\d\d-\d\d-\d\d"
    r"|\d{1,3}(\.\d{3})+|\d{1,3}( \d{3})+)$"
)

# --- the rest (matched on folded text) -----------------------------------------------------
_FOLDED: dict[DetailKind, re.Pattern[str]] = {
    "schedule": re.compile(
        r"\b\d{1,2}(?::\d{2})?\s*(?:a|-|–|hasta(?: las)?)\s*\d{1,2}(?::\d{2})?\s*(?:h|hrs?|horas)\b"
        r"|\b\d{1,2}:\d{2}\s*(?:h|hrs?|horas|a\.?\s?m\.?|p\.?\s?m\.?)?"
        r"|\b(?:de\s+)?lunes\s+a\s+(?:jueves|viernes|sabado|domingo)\b"
        r"|\b24\s+horas\b|\blos\s+365\s+dias\b|\b24/7\b"
    ),
    "address": re.compile(
        r"\bc\.?\s?p\.?\s?\d{5}\b"
        r"|\b(?:calle|av\.?|avenida|calzada|blvd\.?|boulevard|bulevar|privada|carretera|andador|"
        r"prolongacion)\s+[^\n,;:]{1,50}?\s(?:no\.?\s*|num\.?\s*|numero\s+|#\s*)?\d{1,5}[a-z]?\b"
        r"|\b(?:col\.|colonia)\s+[a-z][^\n,;:.]{1,40}"
        r"|\b(?:piso|interior|int\.|local)\s+\d+\b"
    ),
    "amount": re.compile(
        rf"\$\s?{_FIGURE}(?:\s+(?:mil|millones?))?(?:\s+(?:de\s+)?pesos)?"
        rf"|\b{_FIGURE}\s+(?:mil\s+)?(?:millones\s+de\s+)?(?:pesos|mdp|dolares|euros|umas?"
        r"|unidades de medida\w*|dias de salario)\b"
    ),
    "date": re.compile(
        rf"\b\d{{1,2}}\s+(de\s+)?{_MONTH}(\s+(de(l)?\s+)?\d{{4}})?\b"
        rf"|\b{_MONTH}\s+(de(l)?\s+)?\d{{4}}\b"
        r"|\b\d{1,2}/\d{1,2}/\d{2,4}\b|\b(19|20)\d{2}\b"
    ),
}
# Words that speak of a datum without giving it: enough for a passage to be on the datum
# asked for (the evidence checks), never a detail an answer may repeat.
_CUES: dict[DetailKind, re.Pattern[str]] = {
    "phone": re.compile(r"\b(linea|tel)\b|telefon"),
    "schedule": re.compile(r"\b(lunes a|las 24|horario\w*)\b"),
    "address": re.compile(
        r"\b(av(enida)?|calle|col(onia)?|esquina|domicilio|ubicad[oa])\b|\b(no|num(ero)?)\.?\s?\d+"
    ),
    "amount": re.compile(
        r"\b(pesos|millones de|mdp|umas?|unidades de medida|dias? de salario|dolares|euros"
        r"|monto)\b"
    ),
    "date": re.compile(
        r"\b(dia (habil )?siguiente|a partir de|en vigor)\b"
        r"|\bdentro de(l| los)? \w+ (dias|meses|anos)\b"
    ),
}
# A line that attends people ("la Línea Mujeres de atención telefónica", "llamadas de
# emergencia"), named as a service even where its number is not printed.
_LINE_SERVICE = re.compile(
    r"\blinea\b.{0,40}\b(telefon|emergencia|atencion)|\bllamadas de emergencia"
)
_TOKEN = re.compile(r"\d[\d,.]*\d|\d|\w+|\S")


def _digits(text: str) -> str:
    return re.sub(r"[^\d*]", "", text)


def _phones(text: str) -> Iterator[Detail]:
    for match in _STAR_CODE.finditer(text):
        yield Detail("phone", match.start(), match.end(), _digits(match.group()))
    for match in _SHORT_LINE.finditer(text):
        yield Detail("phone", match.start(), match.end(), match.group())
    for pattern in (_GROUPED, _LONG):
        for match in pattern.finditer(text):
            number = match.groupdict().get("number") or match.group()
            digits = _digits(number)
            if 7 <= len(digits) <= 13 and not _NOT_PHONE.match(number):
                yield Detail("phone", match.start(), match.end(), digits)


def _counts(text: str) -> Iterator[Detail]:
    """Numbers that count something: not a year, not a list enumerator ("2. Modelo", "3)"),
    or a number word."""
    tokens = list(_TOKEN.finditer(text))
    for i, match in enumerate(tokens):
        word = match.group()
        if word[0].isdigit():
            year = re.fullmatch(r"(19|20)\d\d", word)
            after = tokens[i + 1].group() if i + 1 < len(tokens) else ""
            enumerator = after in {".", ")"} and "," not in word
            if not year and not enumerator:
                yield Detail("count", match.start(), match.end(), re.sub(r"[,.]", "", word))
        elif COUNT_WORD.fullmatch(word):
            yield Detail("count", match.start(), match.end(), word)


def find_details(text: str, kinds: Collection[DetailKind] = ALL_KINDS) -> list[Detail]:
    """The details of `kinds` in `text`, in order. A span inside a longer one of the same kind
    is left out ("911" inside "911 123 4567")."""
    folded = fold_in_place(text)
    found: list[Detail] = []
    for kind in kinds:
        if kind == "phone":
            found += _phones(text)
        elif kind == "count":
            found += _counts(folded)
        else:
            found += (
                Detail(kind, m.start(), m.end(), " ".join(m.group().split()))
                for m in _FOLDED[kind].finditer(folded)
            )
    found.sort(key=lambda d: (d.start, -(d.end - d.start)))
    kept: list[Detail] = []
    for detail in found:
        if any(
            k.kind == detail.kind and k.start <= detail.start and detail.end <= k.end for k in kept
        ):
            continue
        kept.append(detail)
    return kept


def has_detail(text: str, kind: DetailKind) -> bool:
    return bool(find_details(text, (kind,)))


def announces(text: str, kind: DetailKind) -> bool:
    """Whether `text` gives a detail of `kind` or speaks of one ("su teléfono", "el horario")."""
    cue = _CUES.get(kind)
    return has_detail(text, kind) or bool(cue and cue.search(fold(text)))


def dialable(text: str) -> list[Detail]:
    """The phone numbers in `text` other than 911: lines a person can call for help."""
    return [d for d in find_details(text, PHONES) if d.value != EMERGENCY_NUMBER]


def line_named_at(text: str) -> int | None:
    """Where `text` first names a telephone line of help: a number to call, or a line that
    attends by phone or in emergencies even if its number is not printed; None if nowhere."""
    starts = [d.start for d in dialable(text)]
    if named := _LINE_SERVICE.search(fold_in_place(text)):
        starts.append(named.start())
    return min(starts, default=None)


def restore_star_codes(text: str, evidence: str) -> str:
    """Write "*765" where a model wrote "765" for a line the passage prints as "*765" (and
    never without the star): dialing the number without it reaches nobody."""
    codes = {d.value for d in find_details(evidence, PHONES) if d.value.startswith("*")}
    bare = set(re.findall(r"(?<![\d*])\d+", re.sub(r"(?<=\d)[.,](?=\d{3}(?!\d))", "", evidence)))
    for code in codes:
        if code[1:] not in bare:
            text = re.sub(rf"(?<![\d*]){code[1:]}(?!\d)", code, text)
    return text
