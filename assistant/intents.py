"""What a question asks, read from its words: the kind of datum it wants, whether it asks for
an overview, whether it leans on the conversation (an elliptical follow-up), whether it is in
English, and whether the person writing is in danger now. The one definition of each: the
evidence checks, the generators, the follow-up rewrite and the crisis guidance read them here.
Pure functions over the question text."""

from __future__ import annotations

import re
from dataclasses import dataclass
from enum import Enum

from index.terms import fold, terms


class AnswerType(Enum):
    """The kind of datum a question asks for."""

    PHONE = "teléfono"
    SCHEDULE = "horario"
    MONEY = "monto"
    ADDRESS = "dirección"
    DATE = "fecha"
    DURATION = "plazo"
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
        _any_of("en que fecha", "que fecha", "que dia", "en que ano", "when", "what date"),
    ),
    (
        AnswerType.DURATION,
        _any_of(
            r"(cuanto|que) tiempo",
            r"cuanto (dura|duran|durara|duraran|tarda|tardan)",
            r"(en|dentro de) (que|cuanto) plazo",
            "que plazo",
            r"cual es (el|su) plazo",
            r"cual es (la|su) (duracion|vigencia)",
            "how long",
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
# "¿Cuándo…?" asks for a date; an unaccented "cuando" inside a sentence ("… el Consejo cuando
# comprueba un acto …") is a conjunction.
_WHEN = re.compile(
    r"cu[áÁ]ndo|^\W*(?:y\s+|e\s+|desde\s+|hasta\s+|para\s+)?cuando\b|[¿,]\s*cuando\b", re.I
)
_TO_WHOM = re.compile(r"\b(a|para|con) qui[eé]n", re.I)
# A person, not a body, answers "¿cómo se llama la coordinadora…?" or "¿quién es la directora…?"
# ("secretaria" without an accent is the person, "Secretaría" the ministry).
_PERSON = re.compile(
    r"\bc[oó]mo se llama|\bnombre de (el|la)\b|\b(el|la|los|las) (directora?|presidente|presidenta"
    r"|coordinadora?|titular|gobernadora?|secretaria|jefa|comisionada|encargada|fiscal)\b"
)


def answer_type(question: str) -> AnswerType:
    """The kind of datum the question asks for."""
    folded = fold(question)
    if _MEMBERS.search(folded):
        return AnswerType.MEMBERS
    if _WHO.search(question.strip()) and not _TO_WHOM.search(question):
        return AnswerType.PERSON if _PERSON.search(question.lower()) else AnswerType.NAME
    for kind, pattern in _QUESTION_TYPES:
        if pattern.search(folded) or (kind is AnswerType.DATE and _WHEN.search(question)):
            return kind
    return AnswerType.OTHER


# Questions that ask for an overview want more than the single best sentence.
_OVERVIEW = re.compile(
    r"\b(resum\w*|explica\w*|describ\w*|cu[aá]les son|qu[eé] (acciones|objetivos|medidas|"
    r"obligaciones|derechos|tipos|funciones)|en qu[eé] consiste|summar\w*|overview|what are)\b",
    re.IGNORECASE,
)


def asks_overview(question: str) -> bool:
    """Whether the question asks for a summary or a list ("resume…", "¿cuáles son…?")."""
    return bool(_OVERVIEW.search(question))


_ENGLISH = frozenset(
    {"the", "of", "what", "which", "how", "who", "when", "where", "is", "are", "was", "were"}
    | {"did", "does", "do", "many", "much", "in", "on", "for", "and", "to"}
)


def is_english(question: str) -> bool:
    words = re.findall(r"[a-z]+", question.lower())
    return bool(words) and sum(w in _ENGLISH for w in words) / len(words) >= 0.2


_ELLIPTICAL_START = re.compile(
    r"^\W*(y|e|pero|entonces|tambi[eé]n|ademas|adem[aá]s|and|what about|y si|o sea)\b",
    re.IGNORECASE,
)
_ANAPHORA = re.compile(
    r"\b(eso|esa|ese|esos|esas|esto|esta|este|ello|dicho|dicha|dichos|dichas|su|sus|lo|la misma|"
    r"el mismo|ah[ií]|all[ií]|ella|ellas|ellos|it|they|them|its|their|that|this|those)\b",
    re.IGNORECASE,
)


def is_elliptical(question: str) -> bool:
    """Whether `question` leans on the conversation: starts with "y…", points back ("eso",
    "su", "ahí") or has too few content words to search with on its own."""
    return bool(
        _ELLIPTICAL_START.search(question)
        or _ANAPHORA.search(question)
        or len(terms(question)) <= 2
    )


# --- everyday words ------------------------------------------------------------------------

# Words of everyday speech that official documents seldom print, so their rarity makes them
# look telling, yet they say nothing of what a question is about: a passage that shares only
# these with a question ("… hago envío de mi informe" for «¿qué hago?», "hijas e hijos" for
# «me pueden quitar a mis hijos») does not answer it.
_EVERYDAY_WORDS = """
hago haces hacemos hice hizo hicieron haga hagan hacerle haciendo voy vas va vamos van fui
fue ir irme irse vaya vengo viene vienen venir vino llego llega llegar paso pasa pasar pasó
digo dice dijo dijeron decir diga dicho se sabe saber sabes supe quiero quiere quieren querer
quise tengo tienes tiene tienen tener tenia tuve doy da dan dar dio dieron deja dejan dejar
dejo dejó dejen pongo pone poner puse quedo queda quedar quedarme quedé salgo sale salir
salió veo ve ver vio llamo llama llamar llamé hablo habla hablar hablé ayuda ayudan ayudar
ayudo ayúdenme necesito necesita necesitan sirve sirven pasa sucede importa neta bueno
pues luego ahorita ahora hoy ayer anoche noche mañana tarde rato
siempre nunca todavia aun ya otra otro otros otras mucho mucha muchos muy bien mal peor mejor
cosa cosas algo nada nadie alguien gente señor señora chavo chava
hijo hija hijos hijas niño niña niños niñas bebé mamá mama papá papa madre padre esposo
esposa marido pareja novio novia ex exnovio hermano hermana hermanos hermanas tío tía primo
prima abuelo abuela suegro suegra cuñado cuñada casa

"""
EVERYDAY = frozenset(t for word in _EVERYDAY_WORDS.split() for t in terms(word))


def topical(weights: dict[str, float]) -> dict[str, float]:
    """`weights` without the everyday words (unchanged when nothing else is left)."""
    kept = {t: w for t, w in weights.items() if t not in EVERYDAY}
    return kept or weights


# --- danger now ----------------------------------------------------------------------------


# What is being done to her: present progressive, present, near past or threat.
_HARM = (
    r"(golpe|peg|mat|maltrat|lastim|ahorc|ahog|estrangul|pate|apunal|acuchill|viol(?!ent)|abus"
    r"|forz|quem|dispar|jalone|empuj|avent|cachete|madre|arrastr|amarr|secuestr|tortur|encierr"
    r"|encerr|sigu|persig|arrincon|acorral|drog|grit|amenaz|agred|ataq|atac)"
)
# Present, near past, or in progress; not the imperfect ("me pegaba hace años" is the past).
_VERB_FORMS = r"(ando|iendo|iendome|andome|a|e|o|io|an|en|aron|ieron|ara|era)"
_INFINITIVE = (
    r"(golpear|pegar|matar|lastimar|ahorcar|estrangular|violar|quemar|disparar|llevar|"
    r"desaparecer|apunalar|acuchillar|encerrar|secuestrar|hacer algo|hacer dano|hacerme dano"
    r"|hacerle dano)"
)
# The people a message is about besides herself: "a mi hermana", "de mi hija".
_HERS = r"mi (hij|herman|mam|madre|amig|prim|sobrin|niet|tia|abuel|cunad|nuera|novia|esposa)\w*"
_DANGER = tuple(
    re.compile(p)
    for p in (
        # "me está golpeando", "me estan siguiendo", "la esta golpeando", "me sigue pegando"
        rf"\b(me|nos|la|le|lo) (esta|estan|sigue|siguen|anda|andan|viene|vienen|acaba de"
        rf"|acaban de) {_HARM}\w*",
        rf"\b(esta|estan|sigue|siguen) {_HARM}\w*(andome|iendome|andola|iendola)\b",
        # "me pega mi pareja", "me golpeó", "me amenaza", "si me ve me mata", "me viola", and
        # the same done to another woman: "la golpea", "le pega", "la forzó", "la drogaron"
        rf"\b(me|la|le|nos|las|les) {_HARM}{_VERB_FORMS}\b(?! (mis|los|sus|tus) derechos)",
        # (a woman already killed, «mataron a mi hermana», is grief and a legal question)
        rf"\b(?!mato |mataron ){_HARM}{_VERB_FORMS} a {_HERS}",
        rf"\b{_HARM}(ar|er|ir)(me|la|nos)\b",  # "viene a gritarme", "amenaza con golpearla"
        rf"\babus\w* de (ella|mi|{_HERS})\b",
        # "me quiere matar", "me va a matar", "me amenazó con matarme", "la iba a matar"
        rf"\b(me|la|lo|nos) (quiere|quieren|quizo|quiso|va a|van a|iba a|iban a|intento"
        rf"|intentaron|amenaza con|amenazo con|amenazan con|amenazaron con) {_INFINITIVE}",
        # sexual violence and coercion: "me toca", "me metió la mano", "me obliga a tener
        # relaciones", "si no le mando fotos", "si no salgo con él me corre"
        r"\bme (toca|toco|tocan|tocaron|toquetea\w*|manosea\w*|agarra|agarro|agarran|agarraron)"
        r"\b(?! (de|a|al|ir|pagar|recibir|cobrar|el turno|que|por|hacer|trabajar|ser|la noche))",
        r"\b(me|la|le) (metio|metieron|mete|meten) (la|las) manos?\b",
        r"\b(me|la|nos|las) (obliga|obligo|obligan|obligaron|fuerza|forzo|forzaron) a (tener "
        r"relaciones|tener sexo|estar con|acostar|prostitu|hacer cosas|mandar fotos)",
        r"\bsi no (le |les )?(mando|envio|paso|doy) (fotos|videos|packs|nudes)\b",
        r"\bsi no (salgo|me acuesto|ando|acepto|me meto) con (el|ella)\b",
        r"\bme (manda|mandan|envia|envian) (mensajes|fotos|videos) (cochinos|sexuales|obscenos"
        r"|porno\w*|intimos)",
        # thrown out, money and papers taken: "me corrió de la casa", "me quita mi sueldo"
        r"\bme (corrio|corrieron|saco|sacaron|echo|echaron) de (la|mi|su) casa\b",
        r"\b(me|le|la|nos) (quita|quito|quitan|quitaron|retiene|retienen|esconde) (mi|mis|su|sus"
        r"|el|los) (sueldo|dinero|salario|quincena|tarjetas?|papeles|documentos|pasaporte)\b",
        r"\bno me da (para comer|de comer|dinero|gasto)\b",
        r"\bsi (lo|la|le) dejo (me|nos) (va a ir peor|mata|va a matar)|\bme va a ir peor\b",
        r"\ba mi (pareja|esposo|marido|novio|ex\w*|papa|padrastro|tio|jefe|patron) por (los )?"
        r"(golpes|maltrato\w*|violencia|abuso\w*|agresion\w*)",
        # stalking: "me espera afuera del salón", "me viene siguiendo", "amenazas de muerte"
        r"\bme (espera|esperan|vigila|vigilan|acecha|acechan) (afuera|a la salida|en la salida)",
        r"\bamenazas? de muerte\b",
        r"\b(ya )?(le|les) tengo miedo\b|\btengo miedo de (el|ella|mi (pareja|esposo|marido"
        r"|novio|ex\w*))\b",
        rf"\b(quiere|quieren|va a|van a|amenaza con|amenazo con|intento) "
        rf"{_INFINITIVE}(me|la|nos)\b",
        r"\b(matarme|golpearme|pegarme|violarme|ahorcarme|lastimarme|quemarme)\b",
        # "tengo miedo de que me mate", "temo que me haga algo", "miedo a que vuelva"
        r"\b(miedo|temo|temor|panico)( de| a)? (que )?(me|nos|la|le|lo) "
        r"(mate|pegue|golpee|haga algo|haga dano|lastime|viole|encuentre|quite a mis|lleve)",
        r"\b(miedo|temo|temor)( de| a)? que (regrese|vuelva|llegue|me encuentre)",
        # "estoy en peligro", "mi vida corre peligro", "auxilio", "socorro"
        r"\b(estoy|estamos|esta|estan) en peligro\b|\bcorr(o|e|emos) peligro\b|"
        r"\bpeligro mi vida\b|\b(auxilio|socorro)\b|\bayuda+ urgente\b",
        # weapons: "tiene una pistola", "sacó un cuchillo"
        r"\b(tiene|trae|saco|saca|agarro|agarra|me apunta con|me amenaza con) (un |una )?"
        r"(arma|pistola|cuchillo|navaja|machete|fierro)\b",
        # confinement: "no me deja salir", "me tiene encerrada"
        r"\bno (me|la|nos|las) deja(n)? salir\b|\b(me|la) tiene(n)? (encerrad|amarrad|secuestrad)",
        # self-harm
        r"\b(me quiero|quiero|ganas de) (morir|matar|suicidar|quitar la vida)|"
        r"\b(pienso|pensando|pense) en (suicid|matarme|quitarme la vida)",
    )
)
# Typed on a phone: "k" for "qu", "q" for "que", "x" for "por", letters repeated for emphasis.
_SPELLING = (
    (re.compile(r"\bk(?=[ie])"), "qu"),
    (re.compile(r"\bq(?=[ie])"), "qu"),
    (re.compile(r"\bqu?(?= )"), "que"),
    (re.compile(r"\bx(?= )"), "por"),
    (re.compile(r"\bm(?= )"), "me"),
    (re.compile(r"\bta(?= )"), "esta"),
    (re.compile(r"\btan(?= )"), "estan"),
    (re.compile(r"\bkizo\b|\bquizo\b"), "quiso"),
    (re.compile(r"iando\b"), "eando"),  # "golpiando"
    (re.compile(r"(\w)\1{2,}"), r"\1"),
)


def normalize_message(text: str) -> str:
    """Folded, with common phone spellings undone, so one pattern covers many ways of typing."""
    folded = " ".join(re.sub(r"[^\w\s]", " ", fold(text)).split())
    for pattern, replacement in _SPELLING:
        folded = pattern.sub(replacement, folded)
    return folded


def in_danger(message: str) -> bool:
    """Whether `message` describes danger or violence happening now (to the writer or someone
    with her): "me está golpeando", "tengo miedo de que me mate", "me quiere matar". Questions
    about violence in general ("¿qué es la violencia física?") are not."""
    text = normalize_message(message)
    return any(p.search(text) for p in _DANGER)


_ASKS = re.compile(
    r"\b(donde|como|cual|cuales|cuando|quien|cuanto|cuanta|cuantos|cuantas|hay|existe|puedo|"
    r"numero|telefono|a quien|que hago|que puedo|que debo|me ayudan|ayuda)\b"
)


def asks_something(message: str) -> bool:
    """Whether the message asks for something beyond help now ("¿hay algún número…?"), so that
    an answer from the documents follows the crisis guidance."""
    return "?" in message or "¿" in message or bool(_ASKS.search(normalize_message(message)))


@dataclass(frozen=True)
class Intent:
    """Everything above, read once for a question."""

    datum: AnswerType
    overview: bool
    elliptical: bool
    english: bool
    danger: bool
    asks: bool


def read_intent(question: str) -> Intent:
    return Intent(
        datum=answer_type(question),
        overview=asks_overview(question),
        elliptical=is_elliptical(question),
        english=is_english(question),
        danger=in_danger(question),
        asks=asks_something(question),
    )
