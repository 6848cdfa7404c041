"""The documents a question names. Staff name the law, agreement or report they mean («Según la
Ley General de Acceso…», «en el acuerdo C-311/2017 de Coahuila», «el informe del MESECVI de
2012»); then the answer must come from that document, and the naming words, which every
passage of the document carries in its label, say nothing about which passage answers.

A question names a document by a word for a kind of document («la ley…», «el protocolo…»,
«las observaciones…», «la Constitución») followed by words of its name, or by its acronym;
words that merely share a title («encuentro», «espacios») name nothing. The words after the
kind of document are matched with each document's title, acronym, issuing body, kind and file
name, a word counting by how few documents it names (every law is a «ley», only one is «de
Acceso»): one document, or several when the mention is ambiguous («la ley general»)."""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from index.chunking import Chunk
from index.terms import fold, fold_in_place, terms

# Enough rarity to name a document: a rare word and a common one, or an acronym.
_NAMED = 3.0
# Documents named almost as strongly as the best one are named too.
_ALMOST = 0.75
_ACRONYM = 4.0
# A kind of document, opening the words that name it: «la Ley Estatal del Derecho…».
_KINDS = (
    r"ley|leyes|codigo|constitucion|protocolo|protocolos|acuerdo|convenio|convenios|informe"
    r"|nota|comunicado|lineamientos|observaciones|analisis|sistematizacion|bases|reglamento"
    r"|norma|convencion|articulo del|estudio|boletin|decreto|programa|recomendaciones"
)
# «la ley…», «del protocolo…», «según el informe…»; not «¿qué norma…?», which asks which one.
_MENTION = re.compile(
    rf"(?<!\bque )(?<!\bq )(?<!\bcual )(?<!\bcuales )(?<!\bcuantas )(?<!\bcuantos )"
    rf"\b(?:{_KINDS})\b(?P<name>[^,;?¿!]{{0,160}})"
)
# Where a document's name ends and the question goes on: «la Constitución sobre la igualdad».
_NAME_ENDS = re.compile(
    r"\b(?:sobre|acerca|respecto|que|quien|quienes|cuando|donde|como|cual|cuales|se|dice|dicen"
    r"|establece|establecen|preve|senala|menciona|define|ordena|obliga|hay|tiene|puede|pueden)\b"
)
_MENTION_WORDS = 14
# The share of a mention's words (past its kind) that must be in a document's name.
_PRECISION = 0.6
_YEAR = re.compile(r"(19|20)\d\d")


@dataclass(frozen=True)
class Scope:
    """The documents a question names, the question's words that named them, and where in
    the question they stand (character spans)."""

    doc_ids: frozenset[str]
    naming_terms: frozenset[str]
    spans: tuple[tuple[int, int], ...] = ()


class DocumentNames:
    """What names each indexed document: its title, acronym, issuing body and year."""

    def __init__(self, chunks: Iterable[Chunk], aliases: Mapping[str, str] | None = None) -> None:
        names: dict[str, set[str]] = {}
        acronyms: dict[str, str] = {}
        for chunk in chunks:
            if chunk.doc_id in names:
                continue
            names[chunk.doc_id] = set(terms(f"{chunk.title} {chunk.institution} {chunk.date[:4]}"))
            for defined in re.findall(r"\(([A-ZÁÉÍÓÚÑ]{3,})\)", chunk.title):  # «… (CEDAW)»
                acronyms.setdefault(fold(defined), chunk.doc_id)
            if chunk.acronym:
                acronyms[fold(chunk.acronym)] = chunk.doc_id
                names[chunk.doc_id].update(terms(chunk.acronym))
        self._names = names
        self._acronyms = acronyms
        self._aliases = dict(aliases or {})
        frequency: Counter[str] = Counter(t for words in names.values() for t in words)
        total = max(len(names), 1)
        self._weight = {t: math.log(1 + total / n) for t, n in frequency.items()}

    def name_terms(self, doc_id: str) -> frozenset[str]:
        """The stemmed words that name a document: its title, issuer, acronym and year."""
        return frozenset(self._names.get(doc_id, ()))

    def scope(self, question: str) -> Scope | None:
        """The documents `question` names, or None when it names none."""
        folded = fold_in_place(question)
        words = set(re.findall(r"\w+", folded))
        scores: dict[str, float] = {}
        naming: dict[str, set[str]] = {}
        spans: list[tuple[int, int]] = []
        # an acronym: the manifest's («LGAMVLV»), or one a title defines («… (CEDAW)»)
        for acronym in (a for a in self._acronyms if a in words):
            doc_id = self._acronyms[acronym]
            scores[doc_id] = scores.get(doc_id, 0.0) + _ACRONYM
            naming.setdefault(doc_id, set()).update(terms(acronym))

        for mention in _MENTION.finditer(folded):
            kind = mention.group(0)[: len(mention.group(0)) - len(mention.group("name"))]
            name = mention.group("name")
            short = name[: end.start()] if (end := _NAME_ENDS.search(name)) else name
            # the name as far as the question goes on to ask; the longer run if that names none
            for words_of_name in (short, name):
                found = self._named_by(kind, " ".join(words_of_name.split()[:_MENTION_WORDS]))
                if found:
                    for doc_id, (score, shared) in found.items():
                        scores[doc_id] = scores.get(doc_id, 0.0) + score
                        naming.setdefault(doc_id, set()).update(shared)
                    spans.append((mention.start(), mention.start("name") + len(words_of_name)))
                    break
        if not scores or max(scores.values()) < _NAMED:
            return None
        best = max(scores.values())
        named = {d for d, score in scores.items() if score >= _ALMOST * best}
        if len(named) > 3:  # naming words most documents share name none in particular
            return None
        return Scope(frozenset(named), frozenset(t for d in named for t in naming[d]), tuple(spans))

    def _named_by(self, kind: str, name: str) -> dict[str, tuple[float, set[str]]]:
        """The documents a mention («la ley» + «general de acceso») names well enough: most of
        the mention's words are in the document's name, and they add up to `_NAMED`."""
        kind_terms = set(terms(kind))
        # a year may be a part of the document, not its date: it does not count against it
        name_terms = {t for t in terms(name) if not _YEAR.fullmatch(t)} - kind_terms
        for alias, long in self._aliases.items():  # "el informe del INMUJERES"
            if re.search(rf"\b{re.escape(alias)}\b", name):
                name_terms.update(terms(long))
        found: dict[str, tuple[float, set[str]]] = {}
        for doc_id, words in self._names.items():
            shared = name_terms & words
            if name_terms and len(shared) < _PRECISION * len(name_terms):
                continue
            if not name_terms and not kind_terms & words:
                continue  # «la Constitución» names the one document whose title says so
            shared |= kind_terms & words
            score = sum(self._weight[t] for t in shared)
            if score >= _NAMED:
                found[doc_id] = (score, shared)
        return found


def without_naming(question: str, scope: Scope) -> str:
    """`question` without the mentions that named its documents: what is left says what it
    asks of them («Según la Ley General de Acceso…, ¿qué tipos de órdenes…?» -> «Según …,
    ¿qué tipos de órdenes…?»). A question that is nothing but its mentions stays whole."""
    stripped, position = "", 0
    for start, end in sorted(scope.spans):
        stripped += question[position:start] + " "
        position = max(position, end)
    stripped = " ".join((stripped + question[position:]).split())
    return stripped if terms(stripped) else question
