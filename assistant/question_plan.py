"""What an answer must cover: the parts of a question. Staff, trainers and women consulting their
rights ask two or three things at once («¿qué es … y quién lo otorga?», «¿cuánto tiempo duran
y en qué plazo deben expedirse?»), ask for a whole list («¿cuáles son los principios…?»), for
a summary for a workshop, whether something is allowed («¿eso se puede?»), or what a term
means («¿qué son las acciones afirmativas?»). Pure functions over the question text: the
generators choose evidence for each part and say which part the documents do not cover."""

from __future__ import annotations

import re
from dataclasses import dataclass

from assistant.intents import AnswerType, answer_type
from index.terms import fold, fold_in_place, terms

# Words that open a question, so that ", y cuánto…" or "… y quién…" starts another part.
_INTERROGATIVE = (
    r"(?:que|quien|quienes|cual|cuales|cuando|donde|adonde|como|cuanto|cuanta|cuantos|cuantas"
    r"|por que|para que|desde cuando|hasta cuando|a partir de cuando"
    r"|(?:a|ante|en|de|con|hasta|desde|por|para|sobre|bajo|contra|entre|segun) "
    r"(?:que|quien|quienes|cual|cuales|cuanto|cuanta|cuantos|cuantas|donde|cuando))"
)
# «… y me pueden obligar a quedarme?»: a yes-or-no question joined to another.
_YES_NO_OPENING = (
    r"(?:(?:me|le|nos|te|se|lo|la|los|las)\s+)?(?:pueden|puede|puedo|debo|deben|tengo)\b"
)
_PART_BREAK = re.compile(
    rf"\s*(?:[?¿;]+|,\s*(?:y\s+)?(?=¿?{_INTERROGATIVE}\b)"
    rf"|\s(?:y|e|o)\s+(?=¿?(?:{_INTERROGATIVE}|{_YES_NO_OPENING})\b))\s*"
)
# A list is asked for: «¿cuáles son…?», «¿qué tipos / modalidades / derechos…?», «enumera…».
_LIST = re.compile(
    r"\b(?:cuales|enumer\w*|enlist\w*|lista\w*|menciona\w*)\b"
    r"|\bque (?:\w+ ){0,2}(?:tipos|clases|modalidades|principios|derechos|servicios|funciones"
    r"|medidas|obligaciones|atribuciones|facultades|requisitos|ordenes|acciones|objetivos|ejes"
    r"|etapas|fases|criterios|supuestos|circunstancias|motivos|conductas|sanciones|penas"
    r"|programas|grupos|temas|instituciones|dependencias|recomendaciones|compromisos"
    r"|lineamientos|elementos|casos|organos|beneficios|apoyos|documentos|formas|maneras)\b"
    r"|\b(?:por|de|respecto de|en) que (?:motivos|grupos|casos|formas|maneras|supuestos)\b"
    r"|\bque (?:incluye|incluyen|comprende|comprenden|abarca|abarcan|contempla|contemplan)\b"
    r"|\bque (?:le |les |se )?(?:recomend\w*|recomienda\w*|insto|insta|exhort\w*)\b"
)
# What a request for a summary says besides its topic: «Resume para un taller …», «Hazme un
# resumen para una capacitación de policías de …».
_SUMMARY_WORDS = re.compile(
    r"\b(?:(?:hazme|haz|haga|dame|elabora|prepara|un|una)\s+){0,2}"
    r"(?:resum\w*|sintetiza\w*|sintesis)\b"
    r"|\bpara (?:un|una|el|la) (?:taller|capacitacion|presentacion|platica|curso)"
    r"(?: (?:de|del|para) (?:policias|personal|servidoras|servidores|maestras|docentes)\w*)?\b"
    r"|\b(?:las |los )?principales\b",
)
_SUMMARY = re.compile(
    r"\b(?:resum\w*|sintetiza\w*|sintesis|panorama|hazme un resumen|para un taller"
    r"|para una capacitacion|para una presentacion|para una platica|summar\w*|overview)\b"
)
# «¿eso se puede?», «¿es legal?», «me pueden correr…?», «¿es violencia?»: a yes or a no.
_YES_NO = re.compile(
    r"\b(?:se vale|se puede|es legal|es ilegal|esta permitido|esta prohibido|es delito"
    r"|es violencia|eso es|tengo derecho|me pueden|le pueden|nos pueden|pueden|puede|debe"
    r"|deben|tienen que|tiene que|esta bien que|es obligatorio)\b"
)
# «¿Qué dice el artículo 4o de la Constitución…?» asks for what that article says.
_ARTICLE = re.compile(r"\b(?:articulo|art\.)\s*(\d+\s*(?:o|bis|ter)?)\b")
_WH_START = re.compile(rf"^\W*(?:y\s+)?{_INTERROGATIVE}\b")
_YES_NO_START = re.compile(
    rf"^\W*(?:y\s+)?(?:eso |esto )?{_YES_NO_OPENING}|^\W*(?:es|hay|existe)\b"
)


# «¿Qué es una orden de protección?», «¿Cómo se define la violencia psicológica?», «¿Qué
# entiende la ley por violencia económica?», «¿Cómo define la Ley … las acciones afirmativas?»:
# the term whose definition is asked for follows these words.
_DEFINITION_ASKED = re.compile(
    r"\bque (?:es|son) (?:eso de |esto de )?(?:el |la |los |las |un |una |lo )?(?P<a>.+)"
    r"|\bque (?:se )?entiende(?:n)? (?:\w+ ){0,8}?por (?:el |la |los |las )?(?P<b>.+)"
    r"|\bcomo (?:se )?define(?:n)?\b(?:.*\b(?:el|la|los|las)\b)? (?P<c>.+)"
)
# Where the defined term ends: what comes after it names the document, or asks another thing.
_TERM_END = re.compile(
    r"\s*(?:[?¿,;:.(]|\b(?:segun|de acuerdo|conforme|en la|en el|en los|en las|para la|para el"
    r"|dentro de|y|o|que|cuando|si)\b).*$"
)
_TERM_WORDS = 10


def defined_term(text: str) -> str:
    """The term whose definition `text` asks for, folded, or "" when it asks none."""
    found = _DEFINITION_ASKED.search(fold(text))
    if found is None:
        return ""
    term = _TERM_END.sub("", next(g for g in found.groups() if g is not None)).strip()
    words = term.split()
    return term if 0 < len(words) <= _TERM_WORDS and terms(term) else ""


@dataclass(frozen=True)
class Part:
    """One thing the question asks: its words, and the kind of datum it wants."""

    text: str
    datum: AnswerType
    context: str = ""  # what the question says before asking («Según la LGAMVLV, …»)

    @property
    def terms(self) -> list[str]:
        """The words of what this part asks, without the context."""
        return terms(self.text)

    @property
    def query(self) -> str:
        """The part with its context: what its evidence must name."""
        return f"{self.context} {self.text}".strip()

    @property
    def wants_list(self) -> bool:
        return wants_list(self.text)

    @property
    def defined_term(self) -> str:
        """The term whose definition this part asks for, folded, or ""."""
        return defined_term(self.text)


@dataclass(frozen=True)
class QuestionPlan:
    """The parts of a question and the shape of answer it wants."""

    question: str
    parts: tuple[Part, ...]
    wants_list: bool
    wants_summary: bool
    yes_no: bool
    article: str = ""  # the article it names («artículo 4o»), whose text it asks for

    @property
    def compound(self) -> bool:
        return len(self.parts) > 1


def split_parts(question: str) -> tuple[str, list[str]]:
    """The question's context and its clauses that each ask something: «¿qué es X y quién lo
    otorga?» gives «qué es X» and «quién lo otorga». A clause that asks nothing (no question
    word, no question mark) before the first question is context («Según la LGAMVLV», «Si la
    víctima aceptó…»); after it, it goes with the clause before («… ? no tengo a donde ir»). A
    bare «dónde» («¿Dónde y cuándo se firmó?») takes the rest of the next clause."""
    folded = fold(question)
    pieces: list[tuple[str, bool]] = []  # (text, whether a question mark closed it)
    position = 0
    for cut in _PART_BREAK.finditer(folded):
        pieces.append((question[position : cut.start()], "?" in cut.group()))
        position = cut.end()
    pieces.append((question[position:], "?" in question[position:]))
    pieces = [(p.strip(" ¿?¡!.,;:"), marked) for p, marked in pieces]
    pieces = [(p, marked) for p, marked in pieces if p]
    parts: list[str] = []
    context = ""
    for index, (piece, marked) in enumerate(pieces):
        following = pieces[index + 1][0] if index + 1 < len(pieces) else ""
        if not terms(piece) and following:  # «Dónde» and «cuándo se firmó el convenio»
            piece = f"{piece} {following}"
        asks = marked or bool(_WH_START.search(fold(piece)) or _YES_NO_START.search(fold(piece)))
        if not asks or not terms(piece):
            if parts:
                parts[-1] = f"{parts[-1]} {piece}"
            else:
                context = f"{context} {piece}".strip()
            continue
        parts.append(piece)
    if not parts:
        return "", [context or question.strip()]
    return context, parts


def summary_topic(question: str) -> str:
    """What a summary is asked about, without the words that ask for one."""
    folded = fold_in_place(question)
    kept, position = "", 0
    for found in _SUMMARY_WORDS.finditer(folded):
        kept += question[position : found.start()] + " "
        position = found.end()
    topic = " ".join((kept + question[position:]).split())
    return topic if terms(topic) else question


def wants_list(text: str) -> bool:
    """Whether `text` asks for a whole list («¿cuáles son…?», «¿qué tipos de…?»)."""
    return bool(_LIST.search(fold(text)))


def plan_question(question: str) -> QuestionPlan:
    """The parts of `question` and what shape of answer covers them."""
    folded = fold(question)
    context, texts = split_parts(question)
    parts = tuple(Part(text, answer_type(text), context) for text in texts)
    wants_summary = bool(_SUMMARY.search(folded))
    listed = not wants_summary and wants_list(question)
    yes_no = bool(_YES_NO.search(folded)) and not _WH_START.search(folded)
    named = _ARTICLE.search(folded)
    article = named.group(1) if named else ""
    return QuestionPlan(question, parts, listed, wants_summary, yes_no, article)
