"""Safety for people at risk: recognize a message describing danger or violence happening now,
and open the answer with what to do now: call 911, then the services the documents name for
that situation, each cited. The guidance is composed from source sentences, never written by a
model, and it is the same for every generator."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, replace

from assistant.answer import Citation, Draft, TokenSink
from assistant.evidence import AnswerType, answer_type
from assistant.verification import MARKER
from index.retrieval import Hit
from index.sentences import split_sentence_spans
from index.terms import fold

_EMERGENCY = "Si estás en peligro ahora, llama al 911, el número de emergencias en México."
_SERVICES_INTRO = "Los documentos consultados mencionan estos servicios:"

# What is being done to her: present progressive, present, near past or threat.
_HARM = (
    r"(golpe|peg|mat|lastim|ahorc|estrangul|pate|apunal|acuchill|viol(?!ent)|abus|quem|dispar|jalone|"
    r"empuj|cachete|madre|arrastr|amarr|secuestr|tortur|encierr|encerr|sigu|persig|"
    r"amenaz|agred|ataq|atac)"
)
_VERB_FORMS = r"(ando|iendo|iendome|andome|a|e|o|an|en|aron|ieron|ara|era)"
_INFINITIVE = (
    r"(golpear|pegar|matar|lastimar|ahorcar|estrangular|violar|quemar|disparar|llevar|"
    r"desaparecer|apunalar|acuchillar|encerrar|secuestrar|hacer dano|hacerme dano|hacerle dano)"
)
_PATTERNS = tuple(
    re.compile(p)
    for p in (
        # "me está golpeando", "me estan siguiendo", "la esta golpeando", "me sigue pegando"
        rf"\b(me|nos|la|le|lo) (esta|estan|sigue|siguen|anda|andan|acaba de|acaban de) "
        rf"{_HARM}\w*",
        rf"\b(esta|estan|sigue|siguen) {_HARM}\w*(andome|iendome|andola|iendola)\b",
        # "me pega mi pareja", "me golpeó", "me amenaza", "si me ve me mata", "me viola"
        rf"\bme {_HARM}{_VERB_FORMS}\b(?! (mis|los|sus|tus) derechos)",
        # "me quiere matar", "me va a matar", "me amenazó con matarme", "quiere matarme"
        rf"\b(me|la|lo|nos) (quiere|quieren|quizo|quiso|va a|van a|intento|intentaron|amenaza con|"
        rf"amenazo con|amenazan con|amenazaron con) {_INFINITIVE}",
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
        r"\bno me deja(n)? salir\b|\bme tiene(n)? (encerrad|amarrad|secuestrad)",
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


_ASKS = re.compile(
    r"\b(donde|como|cual|cuales|cuando|quien|cuanto|cuanta|cuantos|cuantas|hay|existe|puedo|"
    r"numero|telefono|a quien|que hago|que puedo|que debo|me ayudan|ayuda)\b"
)


def asks_something(message: str) -> bool:
    """Whether the message asks for something beyond help now ("¿hay algún número…?"), so that
    an answer from the documents follows the crisis guidance."""
    return "?" in message or "¿" in message or bool(_ASKS.search(normalize_message(message)))


def in_danger(message: str) -> bool:
    """Whether `message` describes danger or violence happening now (to the writer or someone
    with her): "me está golpeando", "tengo miedo de que me mate", "me quiere matar". Questions
    about violence in general ("¿qué es la violencia física?") are not."""
    text = normalize_message(message)
    return any(p.search(text) for p in _PATTERNS)


@dataclass(frozen=True)
class Service:
    """A kind of help the documents may name, how to find it and how to recognize it."""

    query: str
    pattern: re.Pattern[str]


SERVICES = (
    Service(
        "línea telefónica de emergencia para mujeres víctimas de violencia *765",
        re.compile(
            r"\*\d{3}|\blinea\b.{0,40}\b(telefon|emergencia|atencion)|\bllamadas de emergencia"
        ),
    ),
    Service(
        "Centro de Justicia para las Mujeres atención a víctimas de violencia",
        re.compile(r"centros? de justicia para (las )?mujeres|\blunas\b"),
    ),
    Service(
        "refugios para mujeres víctimas de violencia y sus hijas e hijos servicios",
        re.compile(r"\brefugios?\b"),
    ),
    Service(
        "órdenes de protección de emergencia para víctimas de violencia",
        re.compile(r"\bordene?s? de proteccion\b"),
    ),
)
# Sentences about running a service ("Proponer … los protocolos que rijan los refugios") help
# nobody in danger; sentences about what it offers her do.
_HELPFUL = re.compile(
    r"\b(victimas?|gratuit\w*|24 horas|brind\w+|proporcion\w+|atencion integral|urgente|"
    r"inmediat\w*|emergencia|seguros?|servicios|hijas|hijos|llamadas|acceso a la justicia|"
    r"podran|todos los dias)\b"
)
_BUREAUCRATIC = re.compile(
    r"\b(proponer|promover|fomentar|difundir|validar|cerciorarse|certificar|disenar|impulsar|"
    r"gestionar|coordinar|representar|evaluar|crear|creacion|rehabilitacion|agresores|"
    r"reformad\w*|adicionad\w*|derogad\w*|presupuest\w*|no se comparte|representativ\w*|"
    r"secretarias|dependencias|comisionaran)\b"
)
_DIALABLE = re.compile(r"\*\d{3}|\b\d{3}[\s.-]?\d{3}[\s.-]?\d{4}\b|\b\d{2}[\s.-]\d{4}[\s.-]\d{4}\b")
_MAX_SENTENCE = 600
_LONG_SENTENCE = 300


def _clause(text: str, a: int, b: int, at: int) -> int:
    """Start of the clause of text[a:b] holding position `at`: after the last colon or
    semicolon before it (a long sentence is quoted from there)."""
    cut = max(text.rfind(":", a, at), text.rfind(";", a, at))
    return a if cut < 0 else cut + 1 + (len(text[cut + 1 : b]) - len(text[cut + 1 : b].lstrip()))


def _service_sentence(service: Service, hits: Sequence[Hit]) -> tuple[Hit, str] | None:
    """The passage sentence that best tells a person about `service` (a long one from the
    clause that names it; a short one with the sentence before it)."""
    best: tuple[float, Hit, str] | None = None
    for rank, hit in enumerate(hits):
        text = hit.chunk.text
        spans = split_sentence_spans(text)
        for i, (a, b) in enumerate(spans):
            folded = fold(text[a:b])
            found = service.pattern.search(folded)
            if not found:
                continue
            if b - a > _LONG_SENTENCE:
                a = _clause(text, a, b, a + found.start())
                if b - a > _MAX_SENTENCE:
                    continue
                folded = fold(text[a:b])
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
            score = (
                len(set(_HELPFUL.findall(folded)))
                + 3 * bool(_DIALABLE.search(folded))
                - 2 * len(_BUREAUCRATIC.findall(folded))
                - 0.3 * rank
            )
            if best is None or score > best[0]:
                best = (score, hit, text[a:b].strip())
    if best is None or best[0] <= 0:
        return None
    return best[1], best[2]


def crisis_guidance(found: Sequence[Sequence[Hit]], limit: int = 3) -> Draft:
    """What to do now: 911, then up to `limit` services from `found` (the passages retrieved for
    each of SERVICES, in order), each quoted and cited."""
    lines = [_EMERGENCY]
    citations: list[Citation] = []
    seen: set[str] = set()
    for service, hits in zip(SERVICES, found, strict=False):
        if len(citations) >= limit:
            break
        chosen = _service_sentence(service, hits)
        if chosen is None or chosen[1] in seen:
            continue
        hit, sentence = chosen
        seen.add(sentence)
        key = str(len(citations) + 1)
        citations.append(Citation(key=key, chunk=hit.chunk, quote=sentence))
        source = hit.chunk.institution or hit.chunk.title
        lines.append(f"- {source}: {' '.join(sentence.split())} [{key}]")
    if citations:
        lines.insert(1, _SERVICES_INTRO)
    return Draft("\n".join(lines), tuple(citations), answered=True, reason="crisis")


def guidance_answers(message: str, guidance: Draft) -> bool:
    """Whether the crisis guidance is the whole answer: the message asks where to call and the
    guidance already gives a cited number besides 911. (An answer from the documents after it
    only brought statistics and remarks about the line, «no son representativas…», to a woman
    asking where to call.)"""
    return answer_type(message) is AnswerType.PHONE and bool(_DIALABLE.search(guidance.text))


def shift_markers(text: str, offset: int) -> str:
    """Renumber every marker by `offset` ("[1]" -> "[3]" for offset 2)."""
    if not offset:
        return text
    return MARKER.sub(
        lambda m: "".join(f"[{int(k) + offset}]" for k in re.findall(r"\d+", m.group(1))), text
    )


def with_guidance(guidance: Draft, draft: Draft) -> Draft:
    """The crisis guidance followed by the answer (or the refusal), the answer's markers
    renumbered after the guidance's. Whether it `answered` stays the answer's own."""
    offset = len(guidance.citations)
    moved = tuple(replace(c, key=str(int(c.key) + offset)) for c in draft.citations)
    return replace(
        draft,
        text=f"{guidance.text}\n\n{shift_markers(draft.text, offset)}",
        citations=(*guidance.citations, *moved),
    )


def shifted_sink(sink: TokenSink, offset: int) -> TokenSink:
    """A sink that renumbers the markers of streamed text by `offset`, holding back a marker
    cut between two pieces ("[" … "2]") until it is whole."""
    held = ""

    def receive(piece: str) -> None:
        nonlocal held
        text = held + piece
        cut = re.search(r"\[[\d,;y\s-]*$", text)
        held = text[cut.start() :] if cut else ""
        text = text[: cut.start()] if cut else text
        if text:
            sink(shift_markers(text, offset))

    return receive
