"""Safety for people at risk: what to do now, for someone whose message describes danger or
violence happening now (see `assistant.intents.in_danger`): call 911, then the services the
documents name for that situation, each cited. The guidance is composed from source sentences,
never written by a model, and it is the same for every generator."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from enum import Enum

from assistant.answer import Citation, Guidance, ServiceNote
from assistant.details import dialable, line_named_at
from assistant.intents import EVERYDAY, AnswerType, answer_type, normalize_message
from assistant.legal_terms import legal_wording
from index.chunking import Chunk
from index.retrieval import Hit
from index.sentences import split_sentence_spans
from index.terms import fold_in_place, terms

EMERGENCY = "Si estás en peligro ahora, llama al 911, el número de emergencias en México."
SERVICES_INTRO = "Los documentos consultados mencionan estos servicios:"
NO_SERVICE = "Los documentos consultados no nombran un servicio de atención para tu caso."


class Situation(Enum):
    """What a message in danger describes, in the order the guidance serves them: a threat to
    her life first."""

    LIFE = "vida"
    TRAFFICKING = "trata"
    RAPE = "violación"
    SEXUAL = "sexual"
    HOME = "casa"
    WORK = "trabajo"
    SCHOOL = "escuela"


# Read on `normalize_message` text (folded, phone spellings undone).
_SITUATION_WORDS = {
    Situation.LIFE: (
        r"\b(mat(a|ar|arme|arla|e|en|aran?)|muerte|cuchillo|navaja|pistola|arma|machete|ahorc\w*"
        r"|estrangul\w*|desaparec\w*|quem\w*|dispar\w*|acuchill\w*|apunal\w*|ahog\w*)\b"
    ),
    Situation.TRAFFICKING: (
        r"\b(no (la|me|nos|las) deja(n)? salir|(quitaron|quitan|retienen) (sus|mis|los) papeles"
        r"|(la|me|las|nos) obligan a (estar con|trabajar|prostitu)|pollero|trata)\b"
    ),
    Situation.RAPE: r"\b(viol(o|aron|ar|arme|ada|acion)|abus\w* de|forz\w*|relaciones|drog\w*)\b",
    Situation.SEXUAL: (
        r"\b(abus\w*|toca|toco|tocan|manose\w*|sexual\w*|fotos|videos|packs|nudes|la mano)\b"
    ),
    Situation.HOME: (
        r"\b(pareja|esposo|marido|novio|ex|exnovio|exesposo|papa|padre|padrastro|suegr[oa]s?"
        r"|cunad[oa]|herman[oa]|tio|casa|hijos?|hijas?)\b"
    ),
    Situation.WORK: (
        r"\b(jefe|jefa|patron|patrona|trabajo|chamba|supervisor\w*|companer[oa]s?|oficina"
        r"|juzgado|empresa|maquila|bodega|turno|gerente|encargad[oa])\b"
    ),
    Situation.SCHOOL: (
        r"\b(escuela|prepa|secundaria|primaria|uni|universidad|salon|maestr[oa]s?|profe\w*"
        r"|alumn[oa]s?|clases?|colegio|expuls\w*|reprob\w*)\b"
    ),
}
_SITUATION_PATTERNS = {kind: re.compile(words) for kind, words in _SITUATION_WORDS.items()}


def situations(message: str) -> tuple[Situation, ...]:
    """The situations `message` describes, most urgent first (none: a danger with no setting
    named, "estoy en peligro")."""
    text = normalize_message(message)
    return tuple(kind for kind in Situation if _SITUATION_PATTERNS[kind].search(text))


@dataclass(frozen=True)
class Service:
    """A kind of help the documents may name: how to search for it, and how to recognize a
    sentence about it (in folded text). An `internal` service is run by an institution for its
    own staff (a complaint unit of a judiciary): it fits only someone who works there."""

    name: str
    query: str
    named_at: Callable[[str], int | None]
    internal: bool = False


def _pattern(regex: str) -> Callable[[str], int | None]:
    compiled = re.compile(regex)

    def named_at(text: str) -> int | None:
        found = compiled.search(text)
        return found.start() if found else None

    return named_at


LINE = Service(
    "línea",
    "línea telefónica de emergencia para mujeres víctimas de violencia *765",
    line_named_at,
)
CENTER = Service(
    "centro de justicia",
    "Centro de Justicia para las Mujeres atención a víctimas de violencia",
    _pattern(r"centros? de justicia (y empoderamiento|para (las )?mujer(es)?)|\blunas\b"),
)
ORDERS = Service(
    "órdenes de protección",
    "órdenes de protección de emergencia para víctimas de violencia",
    _pattern(r"\bordene?s? de proteccion\b"),
)
SHELTER = Service(
    "refugio",
    "refugios para mujeres víctimas de violencia y sus hijas e hijos servicios",
    _pattern(r"\b(refugios?|casas? de emergencia|albergues?)\b"),
)
HEALTH = Service(
    "atención médica",
    "atención médica de urgencia anticoncepción de emergencia profilaxis violación sexual",
    _pattern(
        r"anticoncepcion de emergencia|profilaxis|servicios medicos de urgencia"
        r"|atencion medica (de urgencia|inmediata)|interrupcion (legal |voluntaria )*del embarazo"
    ),
)
COMPLAINT = Service(
    "queja en el trabajo",
    "presentar queja o denuncia por hostigamiento o acoso sexual laboral ante la unidad o comisión",
    _pattern(
        r"\bquejas?\b.{0,80}\b(unidad|comision|persona consejera|comite|autoridad investigadora)"
        r"|\b(unidad|comision especial|persona consejera)\b.{0,120}\b(quejas?|denuncias?)\b"
    ),
    internal=True,
)
# Which services come first for each situation; the rest follow for anyone.
_FIRST = {
    Situation.LIFE: (ORDERS, LINE, SHELTER, CENTER),
    Situation.TRAFFICKING: (SHELTER, CENTER, LINE),
    Situation.RAPE: (CENTER, HEALTH, LINE),
    Situation.SEXUAL: (CENTER, LINE),
    Situation.HOME: (LINE, CENTER, SHELTER, ORDERS),
    Situation.WORK: (COMPLAINT, CENTER, LINE),
    Situation.SCHOOL: (LINE, CENTER),
}
_ANYONE = (LINE, CENTER, ORDERS, SHELTER)
SERVICES = (LINE, CENTER, ORDERS, SHELTER, HEALTH, COMPLAINT)


def services_for(message: str) -> tuple[Service, ...]:
    """The services to look for, in the order that fits what `message` describes: the first
    service of each situation she describes, then the second of each, and so on (sexual
    harassment at work brings the centre and the complaint unit before any line)."""
    lists = [_FIRST[kind] for kind in situations(message)]
    ordered: list[Service] = []
    for rank in range(max(map(len, lists), default=0)):
        ordered += [services[rank] for services in lists if rank < len(services)]
    return tuple(dict.fromkeys([*ordered, *_ANYONE]))


# Places a message or a document names, folded, each with the places it lies in: a service of
# the State of Chihuahua serves a woman in Ciudad Juárez.
_STATES = (
    "aguascalientes", "baja california", "baja california sur", "campeche", "chiapas",
    "chihuahua", "ciudad de mexico", "coahuila", "colima", "durango", "estado de mexico",
    "guanajuato", "guerrero", "hidalgo", "jalisco", "michoacan", "morelos", "nayarit",
    "nuevo leon", "oaxaca", "puebla", "queretaro", "quintana roo", "san luis potosi", "sinaloa",
    "sonora", "tabasco", "tamaulipas", "tlaxcala", "veracruz", "yucatan", "zacatecas",
)  # fmt: skip
_WITHIN = {
    "cdmx": "ciudad de mexico",
    "df": "ciudad de mexico",
    "iztapalapa": "ciudad de mexico",
    "gam": "ciudad de mexico",
    "gustavo a madero": "ciudad de mexico",
    "coyoacan": "ciudad de mexico",
    "tlalpan": "ciudad de mexico",
    "xochimilco": "ciudad de mexico",
    "azcapotzalco": "ciudad de mexico",
    "iztacalco": "ciudad de mexico",
    "tlahuac": "ciudad de mexico",
    "milpa alta": "ciudad de mexico",
    "alvaro obregon": "ciudad de mexico",
    "venustiano carranza": "ciudad de mexico",
    "miguel hidalgo": "ciudad de mexico",
    "cuajimalpa": "ciudad de mexico",
    "magdalena contreras": "ciudad de mexico",
    "juarez": "chihuahua",
    "parral": "chihuahua",
    "delicias": "chihuahua",
    "torreon": "coahuila",
    "la laguna": "coahuila",
    "saltillo": "coahuila",
    "monclova": "coahuila",
    "piedras negras": "coahuila",
    "cancun": "quintana roo",
    "tapachula": "chiapas",
}
_PLACE = re.compile(r"\b(" + "|".join(sorted({*_STATES, *_WITHIN}, key=len, reverse=True)) + r")\b")


def places(text: str) -> frozenset[str]:
    """The places `text` names, and the states they lie in."""
    named = set(_PLACE.findall(normalize_message(text)))
    return frozenset(named | {_WITHIN[p] for p in named if p in _WITHIN})


def _document_places(chunk: Chunk) -> frozenset[str]:
    return places(f"{chunk.title} {chunk.institution}")


# Institutions whose own staff an internal service serves, as a message and a document name
# them: "trabajo en un juzgado" and "… en el Poder Judicial del Estado de Chihuahua".
_WORKPLACES = (
    re.compile(
        r"\b(juzgad\w*|tribunal\w*|poder judicial|judicatura|jueza?|magistrad\w*|actuari[oa]"
        r"|secretari[oa] de acuerdos)\b"
    ),
)


def from_her_place(message: str, chunk: Chunk) -> bool:
    """Whether `chunk` is from a document of a place `message` names («vivo en Torreón»)."""
    return bool(places(message) & _document_places(chunk))


def found_where_she_is(service: Service, message: str, hits: Sequence[Hit]) -> bool:
    """Whether the sentence the guidance would show her about `service` from `hits` comes
    from her place's documents."""
    chosen = _service_sentence(service, hits, message)
    return chosen is not None and from_her_place(message, chosen[0])


def _works_there(message: str, chunk: Chunk) -> bool:
    """Whether `message` says she works at the institution that issued `chunk`'s document, in
    the place it serves."""
    said, issued = (
        normalize_message(message),
        normalize_message(f"{chunk.title} {chunk.institution}"),
    )
    same_kind = any(p.search(said) and p.search(issued) for p in _WORKPLACES)
    where = _document_places(chunk)
    return same_kind and (not where or bool(where & places(message)))


# Sentences about running a service ("Proponer … los protocolos que rijan los refugios") help
# nobody in danger; sentences about what it offers her do.
_HELPFUL = re.compile(
    r"\b(victimas?|gratuit\w*|24 horas|brind\w+|proporcion\w+|atencion integral|urgente|"
    r"inmediat\w*|emergencia|seguros?|servicios|hijas|hijos|llamadas|acceso a la justicia|"
    r"podran|todos los dias|orientacion|acompanamiento|asesoria|confidencial\w*|recepcion"
    r"|quejas?|denuncias?)\b"
)
_BUREAUCRATIC = re.compile(
    r"\b(proponer|promover|fomentar|difundir|validar|cerciorarse|certificar|disenar|impulsar|"
    r"establecer|elaborar|integrar|"
    r"gestionar|coordinar|representar|evaluar|crear|creacion|rehabilitacion|agresores|"
    r"reformad\w*|adicionad\w*|derogad\w*|presupuest\w*|no se comparte|representativ\w*|"
    r"secretarias|dependencias|comisionaran|implementacion|politica publica|puesto en marcha)\b"
)

_MAX_SENTENCE = 600
_LONG_SENTENCE = 300


def _clause(text: str, a: int, b: int, at: int) -> int:
    """Start of the clause of text[a:b] holding position `at`: after the last colon or
    semicolon before it (a long sentence is quoted from there)."""
    cut = max(text.rfind(":", a, at), text.rfind(";", a, at))
    return a if cut < 0 else cut + 1 + (len(text[cut + 1 : b]) - len(text[cut + 1 : b].lstrip()))


def _naming(service: Service, text: str) -> Iterator[tuple[str, str]]:
    """The sentences of `text` that name `service`, folded and as quoted: a long one from the
    clause that names it, a short one with the sentence before it, one announcing a list with
    its items."""
    spans = split_sentence_spans(text)
    for i, (a, b) in enumerate(spans):
        named = service.named_at(fold_in_place(text[a:b]))
        if named is None:
            continue
        if b - a > _LONG_SENTENCE:
            a = _clause(text, a, b, a + named)
            if b - a > _MAX_SENTENCE:
                continue
        elif b - a < 80 and i > 0:
            a = spans[i - 1][0]
        if text[a:b].rstrip().endswith(":"):
            # "… los siguientes servicios:" says nothing without its items
            for _, end in spans[i + 1 :]:
                if end - a > _MAX_SENTENCE:
                    break
                b = end
        while text[a] in "-–•* \t":
            a += 1
        yield fold_in_place(text[a:b]), text[a:b].strip()


def _service_sentence(
    service: Service, hits: Sequence[Hit], message: str
) -> tuple[Chunk, str] | None:
    """The sentence of the passages `hits` bring (each with its article or section) that best
    tells the person who wrote `message` about `service`: one that says what the service offers
    her (what she asks for, above all) rather than how it is run, from a document of where she
    is when she says where."""
    best: tuple[float, Chunk, str] | None = None
    hers = places(message)
    # what she asks for («abogado y psicóloga») is what the sentence should offer
    wanted = {t for t in terms(normalize_message(message)) if t not in EVERYDAY}
    for rank, hit in enumerate(hits):
        if service.internal and not _works_there(message, hit.chunk):
            continue
        local = 0.0
        if hers and (where := _document_places(hit.chunk)):
            if not where & hers:
                continue  # a service of another city is not hers
            local = 4.0  # and one of hers comes before any national one

        for passage in hit.passages:
            for folded, quote in _naming(service, passage.text):
                score = (
                    len(set(_HELPFUL.findall(folded)))
                    + min(3, len(wanted & set(terms(folded))))
                    + 3 * bool(dialable(folded))
                    - 2 * len(_BUREAUCRATIC.findall(folded))
                    - 0.3 * rank
                )
                # a sentence about running the service never qualifies, wherever it is from
                if score > 0 and (best is None or score + local > best[0]):
                    best = (score + local, passage, quote)
    return None if best is None else (best[1], best[2])


def crisis_guidance(
    message: str, services: Sequence[Service], found: Sequence[Sequence[Hit]], limit: int = 3
) -> Guidance:
    """What to do now: 911, then up to `limit` of `services` from `found` (the passages
    retrieved for each), each quoted and cited; when the documents name none of them, a
    sentence that says so."""
    notes: list[ServiceNote] = []
    citations: list[Citation] = []
    seen: set[str] = set()
    for service, hits in zip(services, found, strict=True):
        if len(citations) >= limit:
            break
        chosen = _service_sentence(service, hits, message)
        if chosen is None or chosen[1] in seen:
            continue
        passage, sentence = chosen
        seen.add(sentence)
        key = str(len(citations) + 1)
        citations.append(Citation(key=key, chunk=passage, quote=sentence))
        source = passage.institution or passage.title
        notes.append(ServiceNote(source, " ".join(sentence.split()), key))
    note = "" if notes else NO_SERVICE
    return Guidance(EMERGENCY, tuple(notes), tuple(citations), SERVICES_INTRO, note)


# Asking for help now, which the guidance answers: «¿qué hago?», «¿a dónde voy?», «¿a quién le
# digo?», «¿cómo la ayudo?», «¿hay algún lugar / número …?».
_HELP = re.compile(
    r"\b(que (hago|hacer|puedo hacer|debo hacer|me recomienda\w*)|(a )?(donde|quien) (le |les )?"
    r"(voy|ir|llamo|llamar|hablo|hablar|digo|decir|acudo|acudir|pido|pedir|marco|recurro|busco)"
    r"|como (la|lo|le|las|los|nos|me) (ayudo|ayudamos|protejo|protego)|(hay )?(algun|alguna) "
    r"(lugar|numero|telefono|linea|institucion)|que me ayude\w*|(por|x) ayuda|pedir ayuda|auxilio"
    r"|para protegerme|me ayudan|ayudenme|ayudame)\b"
)
_ASKING = re.compile(
    r"^(si |y )?(puedo|pueden|puede|podria|podrian|es|eso es|esto es|lo denuncio|la denuncio|"
    r"denuncio|(todavia|aun) (puedo|me puedo|se puede|hay|estoy a tiempo)|cuanto|cuantos|cuando|"
    r"donde|tengo derecho|me pueden|le pueden|la pueden|lo pueden|se puede|cuenta|que pasa)\b"
)
# Words of asking for help that say nothing more: «¿hay algún número de emergencia al que pueda
# llamar?» asks only for help.
_HELP_WORDS = frozenset(
    terms(
        "emergencia numero telefono linea lugar lugares ayuda apoyo llamar acudir pedir servicio"
        " pueda puedan podria gobierno ciudad municipio estado instituto institucion dependencia"
        " organizacion"
    )
)
_CLAUSE = re.compile(r"[.,;:!?¿¡]+")
# The share of a question's own words (by rarity) an answer to it must hold; the services the
# guidance chose for her answer it with less (they were chosen for her situation already).
_FOLLOWS = 0.5
GUIDANCE_FOLLOWS = 0.3


def questions_beyond_help(message: str) -> list[str]:
    """What a message in danger asks besides help now («si me voy de la casa … ¿me pueden
    quitar a mis hijos?»): its clauses marked as questions or opening like one, without those
    that only ask for help, which the guidance answers. A question with no words of its own
    («¿qué me tienen que decir?») asks about the whole message."""
    asked = []
    clauses = _CLAUSE.split(message)
    closings = [*_CLAUSE.findall(message), ""]
    for clause, closing in zip(clauses, closings, strict=False):
        text = normalize_message(clause)
        if not text or not ("?" in closing or _ASKING.search(text) or text.endswith(" o no")):
            continue
        own = [t for t in terms(_HELP.sub(" ", text)) if t not in EVERYDAY | _HELP_WORDS]
        if own:
            asked.append(" ".join(clause.split()))
        elif not _HELP.search(text):
            return [" ".join(message.split())]
    return asked


def answers_questions(
    questions: Sequence[str],
    answer: str,
    idf: Callable[[str], float],
    share: float = _FOLLOWS,
    message: str = "",
) -> bool:
    """Whether `answer` holds `share` of what each of `questions` asks, by its own words or by
    the documents' words for the situation it (or the whole `message`) tells (by rarity),
    everyday words aside: a passage that shares only «hago» or «hijos» with her answers
    nothing."""
    said = set(terms(answer))

    def holds(text: str) -> bool:
        weights = {t: idf(t) for t in terms(text) if t not in EVERYDAY}
        total = sum(weights.values())
        return total > 0 and sum(w for t, w in weights.items() if t in said) >= share * total

    return all(
        holds(question)
        or holds(legal_wording(f"{message} {question}", beyond_harm=True))
        or not _asks_anything(question, idf)
        for question in questions
    )


def _asks_anything(question: str, idf: Callable[[str], float]) -> bool:
    return any(idf(t) > 0 for t in terms(question) if t not in EVERYDAY)


def not_answered(questions: Sequence[str]) -> str:
    return (
        "Los documentos consultados no responden a tu pregunta: "
        + ", ".join(f"«{q}»" for q in questions)
        + "."
    )


def guidance_answers(message: str, guidance: Guidance) -> bool:
    """Whether the crisis guidance is the whole answer: the message asks for nothing beyond help
    now, and when it asks where to call, the guidance gives a cited number besides 911. (An
    answer from the documents after it only brought statistics and remarks about the line,
    «no son representativas…», to a woman asking where to call.)"""
    if questions_beyond_help(message):
        return False
    if answer_type(message) is AnswerType.PHONE:
        return any(dialable(s.sentence) for s in guidance.services)
    return True
