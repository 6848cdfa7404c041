"""Does a passage hold what the question asks for? Pure checks behind the refusal decision.

Retrieval almost always finds a passage on the right topic; the questions the corpus cannot
answer are near misses: the right program but another year, the right office but no phone
number, the right agreement but no date. So beyond word overlap the assistant checks that
(1) every number the question names (a year, an article) is in the evidence, (2) every proper
name it names is too, and (3) the kind of datum it asks for (a phone, a schedule, an amount,
an address, a date, a quantity) appears in the sentences it would answer with.
"""

from __future__ import annotations

import re
from collections.abc import Mapping

from assistant.details import COUNTS, DetailKind, announces, find_details, has_detail
from assistant.intents import AnswerType, is_english
from index.terms import fold, fold_in_place, stem, terms

# A span of time: "60 días", "tres meses", "48 horas", "cada dos años".
_SPAN = (
    r"\b(\d+|un[ao]?|dos|tres|cuatro|cinco|seis|siete|ocho|nueve|diez|doce|quince|veinte"
    r"|veinticuatro|treinta|cuarenta y ocho|sesenta|setenta y dos|noventa|ciento ochenta)"
    r"\s+(\w+\s+)?(horas?|dias?|semanas?|meses|mes|anos?)\b"
)
# What a passage must say, once folded, to state requirements or the members of a body; the
# other kinds of datum are details (see `assistant.details`).
_STATES: dict[AnswerType, re.Pattern[str]] = {
    AnswerType.REQUIREMENTS: re.compile(
        r"\b(requisit\w*|requier\w*|requerid\w*|necesari\w*|deber(a|an|as)? (presentar|acreditar"
        r"|cumplir|contar|reunir|tener)|documentos?|comprobante\w*|identificacion oficial)\b"
    ),
    # a span of time, or the words that set one ("de inmediato", "sin dilación")
    AnswerType.DURATION: re.compile(
        rf"{_SPAN}|\b(inmediat\w*|de inmediato|sin dilacion|vigencia|plazo|duracion|temporal\w*)\b"
    ),
    AnswerType.MEMBERS: re.compile(
        r"\b(integrad[oa]s?|integr(a|an|aran?)|integrantes?|conformad[oa]s?|conform(a|an|aran?)"
        r"|compuest[oa]s?|compon\w*|miembros?|forman? parte|participa\w*)\b"
    ),
}
# The details that answer each kind of datum (a passage may also only speak of the datum:
# "su teléfono", "el horario"), and the count that answers "¿cuántos…?".
_DETAILS: dict[AnswerType, DetailKind] = {
    AnswerType.PHONE: "phone",
    AnswerType.SCHEDULE: "schedule",
    AnswerType.MONEY: "amount",
    AnswerType.ADDRESS: "address",
    AnswerType.DATE: "date",
}

_CAPITALIZED = re.compile(r"(?<![\w*])([A-ZÁÉÍÓÚÑ][\wáéíóúñü]+(?:-[\w]+)?|[A-ZÁÉÍÓÚÑ]{2,}[\w-]*)")

# A name answering "¿quién…?": a title and a capitalized word ("Mtra. Gasman"), a person's
# name (capitalized words the corpus never writes in lower case) or the name of a body
# ("la Secretaría de Gobernación": capitalized words at least one of which is specific).
_TITLED = re.compile(
    r"\b(?:Lic|Licda|Mtra|Mtro|Dra|Dr|Psic|Ing|Arq|Sra|Sr|Profa|Prof)\.\s+[A-ZÁÉÍÓÚÑ]"
)
_CAPITALIZED_RUN = re.compile(
    r"(?<![\w.])[A-ZÁÉÍÓÚÑ][a-záéíóúñü]+(?:\s+(?:(?:de|del|de la|y)\s+)?[A-ZÁÉÍÓÚÑ][a-záéíóúñü]+)+"
)


def has_name(
    text: str, common: frozenset[str], known: frozenset[str], person: bool = False
) -> bool:
    """A name the question did not already give (`known`: the question's folded words); with
    `person`, only a person's name, not a body's."""
    for match in _TITLED.finditer(text):
        following = re.findall(
            r"[A-ZÁÉÍÓÚÑ][a-záéíóúñü]+", text[match.end() - 1 : match.end() + 40]
        )
        if following and fold(following[0]) not in known:
            return True
    for match in _CAPITALIZED_RUN.finditer(text):
        names = [fold(w) for w in re.findall(r"[A-ZÁÉÍÓÚÑ][a-záéíóúñü]+", match.group())]
        new = [w for w in names if w not in known]
        # A person: words never written lower-case, and none that names a body ("Tribunales
        # Superiores"), whole words ("Uber y DiDi" is no "Uber Di").
        whole = re.match(r"[\wáéíóúñü]", text[match.end() : match.end() + 1]) is None
        bodily = set(names) & (_GENERIC | _BODIES) or " y " in match.group()
        if sum(w not in common for w in new) >= 2 and not (person and (bodily or not whole)):
            return True
        if (
            not person and len(names) >= 2 and set(new) - _GENERIC
        ):  # a body, named beyond the question's words
            return True
    return False


# Words that begin the names of many bodies and so say nothing specific on their own.
_GENERIC = frozenset(
    fold(w)
    for w in [
        "Secretaría",
        "Instituto",
        "Comisión",
        "Consejo",
        "Sistema",
        "Nacional",
        "Federal",
        "Estatal",
        "General",
        "Dirección",
        "Unidad",
        "Centro",
        "Programa",
        "Ley",
        "Estado",
        "Poder",
    ]
)


# Words that name bodies, not people, when capitalized.
_BODIES = frozenset(
    fold(w)
    for w in [
        "Tribunal",
        "Tribunales",
        "Superior",
        "Superiores",
        "Suprema",
        "Corte",
        "Judicatura",
        "Congreso",
        "Cámara",
        "Senado",
        "Fiscalía",
        "Procuraduría",
        "Organización",
        "Naciones",
        "Unidas",
        "Gobierno",
        "Municipio",
        "Ayuntamiento",
        "Universidad",
        "Marina",
        "Defensa",
        "Salud",
    ]
)


def has_answer_type(
    text: str,
    kind: AnswerType,
    question: str = "",
    common: frozenset[str] = frozenset(),
    stated: bool = False,
) -> bool:
    """Whether `text` contains a datum of the asked-for kind that the question did not already
    state (a "28" or a name taken from the question is no answer to it); `common` are the
    corpus's lower-case words (see `index.terms.common_words`). Without `stated`, a passage
    that only speaks of the datum ("su teléfono", "el plazo") counts: the datum may be beside
    it; with it, the datum itself must be there."""

    known = frozenset(re.findall(r"\w+", fold(question)))
    if kind in (AnswerType.NAME, AnswerType.PERSON):
        return has_name(text, common, known, person=kind is AnswerType.PERSON)
    for number in (w for w in known if w.isdigit()):
        text = re.sub(rf"(?<![\d.,]){number}(?![\d])", " ", text)
    if kind is AnswerType.QUANTITY:
        return has_detail(text, "count")
    if kind in _DETAILS:
        detail = _DETAILS[kind]
        return has_detail(text, detail) if stated else announces(text, detail)
    if kind is AnswerType.DURATION and stated:
        return bool(re.search(_SPAN, fold(text)))
    pattern = _STATES.get(kind)
    return pattern is None or bool(pattern.search(fold(text)))


# "¿cuántas veces…?" counts occurrences, not a noun the passage must name.
_COUNTED = re.compile(r"\bcu[aá]nt[oa]s\s+(?!veces\b)(\w+)", re.IGNORECASE)


def counted_noun(question: str) -> str | None:
    """The stemmed noun a "¿cuántos/cuántas …?" question counts ("kilómetros", "ejemplares")."""
    match = _COUNTED.search(question)
    if not match:
        return None
    found = terms(match.group(1))
    return found[0] if found else None


_CLAUSE_END = frozenset([".", ":", ";"])
_TOKEN = re.compile(r"\d[\d,.]*\d|\d|\w+|\S")


def counts(sentence: str, noun: str, acronyms: Mapping[str, str] | None = None) -> bool:
    """Whether `sentence` gives a count of `noun` (a stem, see `counted_noun`): a number a few
    words before it ("127 créditos", "1,200 mujeres víctimas", "tres Centros de Justicia") or
    after it and its complement ("las denuncias por violencia familiar sumaron 2 834", "las
    titulares de las 32 IMEF"). An acronym whose long form opens with the noun is the noun
    ("505 IMM" counts "instancias municipales de las mujeres"). A number elsewhere in the
    sentence counts something else: a list enumerator, a year, the days of a campaign."""
    folded = fold_in_place(sentence)
    tokens = list(_TOKEN.finditer(folded))
    words = [t.group() for t in tokens]
    counted = {d.start for d in find_details(folded, COUNTS)}
    numeric = [t.start() in counted for t in tokens]
    standing = {a for a, long in (acronyms or {}).items() if terms(long)[:1] == [noun]}

    def is_noun(word: str) -> bool:
        return word.isalpha() and (stem(word) == noun or word in standing)

    def counted_at(i: int) -> bool:
        before = range(i - 1, max(-1, i - 5), -1)
        after = range(i + 1, min(len(words), i + 7))
        for window in (before, after):
            for j in window:
                if words[j] in _CLAUSE_END:  # "tres: 1. nodos" counts the list, not the nodes
                    break
                if numeric[j]:
                    return True
        return False

    return any(is_noun(w) and counted_at(i) for i, w in enumerate(words))


def question_numbers(question: str) -> set[str]:
    """Numbers the question names as constraints: years, article numbers, lines ("2024",
    "325", "079"). Short numbers in passing ("mi hija tiene 14") are not constraints."""
    return {t for t in terms(question) if t.isdigit() and len(t) >= 3}


def proper_name_terms(question: str, common: frozenset[str]) -> set[str]:
    """Stemmed terms of the proper names in a Spanish question: capitalized words past its
    first word that the corpus never writes in lower case (places, programs, bodies).
    Parenthesized words are aliases of what precedes them, not further constraints."""
    if is_english(question):
        return set()
    body = re.sub(r"\([^)]*\)", " ", question.strip())
    body = re.sub(r"^[\W_]*\w+", "", body)  # a sentence's first word is capitalized anyway
    found: set[str] = set()
    for word in _CAPITALIZED.findall(body):
        if fold(word) not in common:
            found.update(terms(word))
    return found


def missing_numbers(question: str, evidence: str) -> list[str]:
    """Numbers the question names that the evidence does not contain."""
    return sorted(question_numbers(question) - set(terms(evidence)))


def missing_names(question: str, evidence: str, common: frozenset[str]) -> list[str]:
    """Proper-name terms of the question that the evidence does not contain."""
    return sorted(proper_name_terms(question, common) - set(terms(evidence)))
