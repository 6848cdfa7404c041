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
from enum import Enum

from index.terms import fold, stem, terms


class AnswerType(Enum):
    PHONE = "teléfono"
    SCHEDULE = "horario"
    MONEY = "monto"
    ADDRESS = "dirección"
    DATE = "fecha"
    QUANTITY = "cantidad"
    NAME = "nombre"
    PERSON = "nombre de una persona"
    REQUIREMENTS = "requisitos"
    MEMBERS = "integrantes"
    OTHER = "otro"


def _any_of(*alternatives: str) -> re.Pattern[str]:
    """One pattern matching any alternative as whole words (alternatives are regexes)."""
    return re.compile(r"\b(?:" + "|".join(alternatives) + r")\b")


# Order matters: the first pattern that matches the (folded) question decides its type.
_QUESTION_TYPES: tuple[tuple[AnswerType, re.Pattern[str]], ...] = (
    (
        AnswerType.PHONE,
        _any_of(
            r"telefon\w*",
            r"numero (\w+ ){0,5}(llamar|llamo|marcar|marco)",
            r"a (donde|quien) (llamo|llamar|marco|marcar)",
            "phone",
            "call",
        ),
    ),
    (
        AnswerType.SCHEDULE,
        _any_of(
            r"horario\w*",
            r"a que hora\w*",
            r"que dias? (atiende|abre)\w*",
            "opening hours",
            "what time",
        ),
    ),
    (
        AnswerType.MONEY,
        _any_of(
            "monto",
            r"presupuesto\w*",
            "cuanto dinero",
            r"cuanto (me )?(prestan|dan|pagan|cuesta)",
            "tasa de interes",
            r"de cuanto es (el|la) (apoyo|pension|beca|multa|credito)",
            "how much money",
            "budget",
        ),
    ),
    (
        AnswerType.REQUIREMENTS,
        _any_of(
            r"requisitos?",
            r"que (papeles|documentos) (necesito|me piden|piden|se piden|hay que|debo)",
            r"que (necesito|se necesita|se requiere|me piden) para",
            "requirements",
            "what do i need",
        ),
    ),
    (
        AnswerType.ADDRESS,
        _any_of(
            "direccion", "domicilio", r"donde (queda|esta|se ubica)\w*", "ubicacion", "address"
        ),
    ),
    (
        AnswerType.DATE,
        _any_of(
            "cuando", "en que fecha", "que fecha", "que dia", "en que ano", "when", "what date"
        ),
    ),
    (
        AnswerType.QUANTITY,
        _any_of(r"cuant[oa]s", "que (cantidad|porcentaje)", "how many", "what percentage"),
    ),
)
# "¿Quién…?" asks for a name (a person or a body). Unaccented "quien" in mid-sentence is a
# relative pronoun ("para quien capte…"), and "¿a quiénes…?" asks for a group of people.
_WHO = re.compile(r"^\W*(y\s+)?qui[eé]n(es)?\b|\bqui[éÉ]n(es)?\b|\bc[oó]mo se llama|\bwho\b", re.I)
# "¿Quiénes / qué dependencias integran el Consejo?" asks who belongs to a body: the answer
# says so ("estará integrado por …"); a passage that only names the body does not.
_MEMBERS = re.compile(
    r"\b(quien(es)?|que \w+( y \w+)?) (integran?|conforman?|componen?|forman parte|son (los|las) "
    r"(integrantes|miembros))\b|\bwho (are|were) (the )?members\b"
)
_TO_WHOM = re.compile(r"\b(a|para|con) qui[eé]n", re.I)
# A person, not a body, answers "¿cómo se llama la coordinadora…?" or "¿quién es la directora…?"
# ("secretaria" without an accent is the person, "Secretaría" the ministry).
_PERSON = re.compile(
    r"\bc[oó]mo se llama|\bnombre de (el|la)\b|\b(el|la|los|las) (directora?|presidente|presidenta"
    r"|coordinadora?|titular|gobernadora?|secretaria|jefa|comisionada|encargada|fiscal)\b"
)

_MONTH = (
    "(enero|febrero|marzo|abril|mayo|junio|julio|agosto|septiembre|setiembre|octubre|"
    "noviembre|diciembre)"
)
_NUMBER_WORDS = (
    r"(un[oa]?|dos|tres|cuatro|cinco|seis|siete|ocho|nueve|diez|once|doce|quince|veinte|"
    r"treinta|cien|mil|millon\w*)"
)
# What a passage must show, once folded, to hold a datum of each kind.
_TYPE_EVIDENCE: dict[AnswerType, re.Pattern[str]] = {
    AnswerType.PHONE: re.compile(
        r"\*\d{3,}|\b\d{3}[\s.-]?\d{3}[\s.-]?\d{4}\b|\b\d{2}[\s.-]\d{4}[\s.-]\d{4}\b"
        r"|\b(911|089|079|linea|tel)\b|telefon"
    ),
    AnswerType.SCHEDULE: re.compile(
        r"\b\d{1,2}(:\d{2})?\s*(a|-)\s*\d{1,2}(:\d{2})?\s*(h|hrs|horas)\b"
        r"|\b(lunes a|24 horas|las 24|horario)\b"
    ),
    AnswerType.MONEY: re.compile(
        r"\$\s?\d|\b(pesos|millones de|mdp|umas?|unidades de medida|dias? de salario|dolares"
        r"|euros|monto)\b"
    ),
    AnswerType.ADDRESS: re.compile(
        r"\b(av(enida)?|calle|col(onia)?|esquina|domicilio|ubicad[oa])\b|\bc\.?\s?p\.?\s?\d{5}\b"
        r"|\b(no|num(ero)?)\.?\s?\d+"
    ),
    AnswerType.DATE: re.compile(
        rf"\b(dia (habil )?siguiente|a partir de|en vigor)\b"
        rf"|\bdentro de(l| los)? \w+ (dias|meses|anos)\b"
        rf"|\b\d{{1,2}}\s+(de\s+)?{_MONTH}\b|\b{_MONTH}\s+(de(l)?\s+)?\d{{4}}\b"
        rf"|\b(19|20)\d{{2}}\b|\b\d{{1,2}}/\d{{1,2}}/\d{{2,4}}\b"
    ),
    AnswerType.REQUIREMENTS: re.compile(
        r"\b(requisit\w*|requier\w*|requerid\w*|necesari\w*|deber(a|an|as)? (presentar|acreditar"
        r"|cumplir|contar|reunir|tener)|documentos?|comprobante\w*|identificacion oficial)\b"
    ),
    AnswerType.MEMBERS: re.compile(
        r"\b(integrad[oa]s?|integr(a|an|aran?)|integrantes?|conformad[oa]s?|conform(a|an|aran?)"
        r"|compuest[oa]s?|compon\w*|miembros?|forman? parte|participa\w*)\b"
    ),
    # A count: a number that is neither a year nor a list enumerator ("2. Modelo ..."), or a
    # number word.
    AnswerType.QUANTITY: re.compile(
        r"(?<![\d.])(?!(19|20)\d\d\b)\d+(?:[.,]\d+)?(?!\.\s)(?!\d)" + rf"|\b{_NUMBER_WORDS}\b"
    ),
}

_ENGLISH = frozenset(
    [
        "the",
        "of",
        "what",
        "which",
        "how",
        "who",
        "when",
        "where",
        "is",
        "are",
        "was",
        "were",
        "did",
        "does",
        "do",
        "many",
        "much",
        "in",
        "on",
        "for",
        "and",
        "to",
    ]
)
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


def answer_type(question: str) -> AnswerType:
    """The kind of datum the question asks for."""
    folded = fold(question)
    if _MEMBERS.search(folded):
        return AnswerType.MEMBERS
    if _WHO.search(question.strip()) and not _TO_WHOM.search(question):
        return AnswerType.PERSON if _PERSON.search(question.lower()) else AnswerType.NAME
    for kind, pattern in _QUESTION_TYPES:
        if pattern.search(folded):
            return kind
    return AnswerType.OTHER


def has_answer_type(
    text: str, kind: AnswerType, question: str = "", common: frozenset[str] = frozenset()
) -> bool:
    """Whether `text` contains a datum of the asked-for kind that the question did not already
    state (a "28" or a name taken from the question is no answer to it); `common` are the
    corpus's lower-case words (see `index.terms.common_words`)."""
    known = frozenset(re.findall(r"\w+", fold(question)))
    if kind in (AnswerType.NAME, AnswerType.PERSON):
        return has_name(text, common, known, person=kind is AnswerType.PERSON)
    pattern = _TYPE_EVIDENCE.get(kind)
    if pattern is None:
        return True
    folded = fold(text)
    for number in (w for w in known if w.isdigit()):
        folded = re.sub(rf"(?<![\d.,]){number}(?![\d])", " ", folded)
    return bool(pattern.search(folded))


# "¿cuántas veces…?" counts occurrences, not a noun the passage must name.
_COUNTED = re.compile(r"\bcu[aá]nt[oa]s\s+(?!veces\b)(\w+)", re.IGNORECASE)


def counted_noun(question: str) -> str | None:
    """The stemmed noun a "¿cuántos/cuántas …?" question counts ("kilómetros", "ejemplares")."""
    match = _COUNTED.search(question)
    if not match:
        return None
    found = terms(match.group(1))
    return found[0] if found else None


# A count in words: "tres", "doscientas", "veintiún", "mil".
_COUNT_WORD = re.compile(
    r"(un[oa]?|dos|tres|cuatro|cinco|seis|siete|ocho|nueve|diez|once|doce|trece|catorce|quince"
    r"|dieci\w+|veinti?\w*|treinta|cuarenta|cincuenta|sesenta|setenta|ochenta|noventa|cien"
    r"|\w+cient[oa]s|quinient[oa]s|mil|miles|millon\w*)"
)
_CLAUSE_END = frozenset([".", ":", ";"])
_TOKEN = re.compile(r"\d[\d,.]*\d|\d|\w+|\S")


def counts(sentence: str, noun: str) -> bool:
    """Whether `sentence` gives a count of `noun` (a stem, see `counted_noun`): a number a few
    words before it ("127 créditos", "1,200 mujeres víctimas", "tres Centros de Justicia") or
    just after it ("las titulares de las 32 IMEF"). A number elsewhere in the sentence counts
    something else: a list enumerator, a year, the days of a campaign."""
    words = _TOKEN.findall(fold(sentence))
    numeric = [_is_count(words, i) for i in range(len(words))]

    def counted_at(i: int) -> bool:
        before = range(i - 1, max(-1, i - 5), -1)
        after = range(i + 1, min(len(words), i + 4))
        for window in (before, after):
            for j in window:
                if words[j] in _CLAUSE_END:  # "tres: 1. nodos" counts the list, not the nodes
                    break
                if numeric[j]:
                    return True
        return False

    return any(w.isalpha() and stem(w) == noun and counted_at(i) for i, w in enumerate(words))


def _is_count(words: list[str], i: int) -> bool:
    word = words[i]
    if word[0].isdigit():
        year = re.fullmatch(r"(19|20)\d\d", word)
        enumerator = i + 1 < len(words) and words[i + 1] in {".", ")"} and "," not in word
        return not year and not enumerator
    return bool(_COUNT_WORD.fullmatch(word))


def is_english(question: str) -> bool:
    words = re.findall(r"[a-z]+", question.lower())
    return bool(words) and sum(w in _ENGLISH for w in words) / len(words) >= 0.2


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
