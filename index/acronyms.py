"""Acronyms learned from the corpus: "Instituto Nacional de las Mujeres (INMUJERES)" teaches
that INMUJERES and the long name are one thing, so a question using one finds passages using
the other. Long forms are found with the Schwartz–Hearst rule: the shortest run of words before
the parenthesis that contains the acronym's letters in order, the first at a word start."""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable

from index.terms import fold, terms

_PARENTHESIZED = re.compile(r"\(\s*([A-ZÁÉÍÓÚÑ][A-Za-zÁÉÍÓÚÑáéíóúñ\-]{1,14})\s*\)")
_WORDS_BEFORE = 14

# Abbreviations so common in Mexican public writing that documents rarely spell them out.
COMMON = {
    "cdmx": "ciudad de mexico",
    "edomex": "estado de mexico",
    "dof": "diario oficial de la federacion",
    "onu": "organizacion de las naciones unidas",
    "ine": "instituto nacional electoral",
    "sep": "secretaria de educacion publica",
    "issste": "instituto de seguridad y servicios sociales de los trabajadores del estado",
    "dif": "sistema nacional para el desarrollo integral de la familia",
    "conapred": "consejo nacional para prevenir la discriminacion",
    "conavim": "comision nacional para prevenir y erradicar la violencia contra las mujeres",
    "cndh": "comision nacional de los derechos humanos",
    "scjn": "suprema corte de justicia de la nacion",
    "sre": "secretaria de relaciones exteriores",
}


def _long_form(words: list[str], acronym: str) -> str | None:
    letters = [c for c in fold(acronym) if c.isalpha()]
    if len(letters) < 2:
        return None
    for start in range(len(words) - 1, -1, -1):
        candidate = words[start:]
        text = fold(" ".join(candidate))
        if not fold(candidate[0]).startswith(letters[0]):
            continue
        position = 0
        for letter in letters:
            position = text.find(letter, position)
            if position < 0:
                break
            position += 1
        else:
            # The run must be a name: several words, capitalized first word.
            if len(candidate) >= 2 and candidate[0][:1].isupper():
                return text
    return None


def learn_acronyms(texts: Iterable[str]) -> dict[str, str]:
    """Folded acronym -> folded long form, the most frequent definition of each."""
    seen: dict[str, Counter[str]] = {}
    for text in texts:
        for match in _PARENTHESIZED.finditer(text):
            acronym = match.group(1)
            uppercase = sum(c.isupper() for c in acronym)
            if uppercase < 2 and not acronym.isupper():
                continue
            words = re.findall(
                r"[\wÁÉÍÓÚÑáéíóúñü]+", text[max(0, match.start() - 160) : match.start()]
            )
            long_form = _long_form(words[-_WORDS_BEFORE:], acronym)
            if long_form and fold(acronym) != long_form:
                seen.setdefault(fold(acronym), Counter())[long_form] += 1
    learned = {acronym: forms.most_common(1)[0][0] for acronym, forms in seen.items()}
    return {**COMMON, **learned}


def expand_aliases(text: str, acronyms: dict[str, str]) -> str:
    """`text` followed by the other name of every acronym or long form it mentions. Long forms
    match by stems, so "Ley General de Acceso … Vida Libre de Violencias" is still LGAMVLV."""
    words = set(re.findall(r"\w+", fold(text)))
    stems = f" {' '.join(terms(text))} "
    extra = []
    for acronym, long in acronyms.items():
        has_acronym = acronym in words
        has_long = f" {' '.join(terms(long))} " in stems
        if has_acronym != has_long:
            extra.append(long if has_acronym else acronym)
    return f"{text} {' '.join(extra)}" if extra else text
