"""What an uploaded document says about itself: a first guess at its card (title, institution,
date, kind) for staff to check and correct before it goes into the manifest.

Read from the document as the indexer loads it: its own metadata first (front matter, HTML
head, PDF info), then its opening lines, where official documents state who issues them and
when: a letterhead («GOBIERNO DE LA CIUDAD DE MÉXICO / SECRETARIA DE LAS MUJERES»), «emitido
por el Consejo…», «Fuente: Cámara de Diputados…», a dateline («Ciudad de México a 10 noviembre
del 2023»), «Última reforma publicada DOF 14-11-2025», «publicado en el P. O. E. el 23 de junio
de 2018». A guess may be wrong or empty: staff see every field before saving. Pure functions."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

from index.documents import Document
from index.loading import humanize_name

OPENING_PARAGRAPHS = 14  # how far into a document its letterhead and dateline may be
SHORT = 160  # a paragraph this long or shorter may be a letterhead line, a title, a dateline
MONTHS = {
    name: number
    for number, names in enumerate(
        (
            ("enero",),
            ("febrero",),
            ("marzo",),
            ("abril",),
            ("mayo",),
            ("junio",),
            ("julio",),
            ("agosto",),
            ("septiembre", "setiembre"),
            ("octubre",),
            ("noviembre",),
            ("diciembre",),
        ),
        start=1,
    )
    for name in names
}
_MONTH = "|".join(MONTHS)
# «10 de noviembre de 2023», «10 noviembre del 2023», «7 de Diciembre del 2022», «26 marzo 2012»
_WRITTEN_DATE = re.compile(
    rf"\b(\d{{1,2}})(?:º|°)?\s+(?:de\s+)?({_MONTH})\s+(?:de(?:l)?\s+)?(?:año\s+)?(\d{{4}})\b",
    re.IGNORECASE,
)
_ISO_DATE = re.compile(r"\b(\d{4})-(\d{2})-(\d{2})\b")
_DOF_DATE = re.compile(r"\b(\d{2})-(\d{2})-(\d{4})\b")  # «DOF 14-11-2025»
_LAST_REFORM = re.compile(r"[úu]ltima\s+reforma\s+publicada\s+(?:en\s+el\s+)?DOF\s+", re.I)
_PUBLISHED = re.compile(
    r"publicad[oa]s?\s+en\s+el\s+(?:P\.\s*O\.\s*E\.|Peri[óo]dico\s+Oficial[^,.]*?|"
    r"Diario\s+Oficial\s+de\s+la\s+Federaci[óo]n)\s+(?:el\s+)?",
    re.IGNORECASE,
)
_YEAR = re.compile(r"\b(19[5-9]\d|20\d\d)\b")

# The nouns that open the name of an issuing body.
_BODY_NOUN = (
    r"(?:H\.\s*)?(?:Instituto|Secretar[íi]a|Gobierno|Congreso|C[áa]mara|Consejo|Senado|"
    r"Poder\s+(?:Judicial|Legislativo|Ejecutivo)|Tribunal|Suprema\s+Corte|Comisi[óo]n|"
    r"Fiscal[íi]a|Procuradur[íi]a|Ayuntamiento|Municipio|Sistema\s+(?:Nacional|Estatal|para)|"
    r"Comit[ée]|Unidad|Direcci[óo]n|Coordinaci[óo]n|Defensor[íi]a|Consejer[íi]a|"
    r"Organizaci[óo]n|Oficina|Centro|Red)\b"
)
_BODY_START = re.compile(_BODY_NOUN, re.IGNORECASE)
_ISSUED_BY = re.compile(
    rf"\b(?:emitid|expedid|elaborad|aprobad|publicad)[oa]s?\s+por\s+(?:el|la|los|las)\s+"
    rf"({_BODY_NOUN}[^,;:.]*)",
    re.IGNORECASE,
)
_SOURCE = re.compile(rf"^\s*Fuente:\s*({_BODY_NOUN}[^—|\[\]]*)", re.IGNORECASE)
_AFTER_NAME = re.compile(r"\s+(?:[ÚU]ltima\s+reforma|Texto\s+vigente|en\s+sesi[óo]n)\b", re.I)
_ACRONYM_AFTER = re.compile(r"^(.*?\([A-ZÁÉÍÓÚÑ][A-Za-zÁÉÍÓÚÑ]{1,14}\))")
_NAMED_BODY = re.compile(
    rf"({_BODY_NOUN}[^().;:]{{3,120}}?)\s*\(([A-ZÁÉÍÓÚÑ][A-Za-zÁÉÍÓÚÑ]{{1,14}})\)"
)
_NOT_A_TITLE = re.compile(
    r"^(?:sala\s+de\s+prensa|comunicaci[óo]n\s+social|bolet[íi]n|nota\s+informativa|"
    r"comunicado|asunto|para|de|texto\s+vigente)\b",
    re.IGNORECASE,
)
_SUBJECT = re.compile(r"^\s*Asunto:\s*(.{8,200})$", re.IGNORECASE)
KINDS = (
    ("nota informativa", r"nota\s+informativa"),
    ("comunicado", r"comunicado|bolet[íi]n|sala\s+de\s+prensa|comunicaci[óo]n\s+social"),
    ("constitución", r"constituci[óo]n\s+pol[íi]tica"),
    ("código", r"c[óo]digo"),
    ("ley", r"ley"),
    ("reglamento", r"reglamento"),
    ("protocolo", r"protocolo"),
    ("lineamientos", r"lineamientos"),
    ("acuerdo", r"acuerdo"),
    ("convenio", r"convenios?"),
    ("informe", r"informe"),
    ("programa", r"programa"),
    ("decreto", r"decreto"),
)
_SMALL_WORDS = {"de", "del", "la", "las", "los", "el", "y", "e", "para", "en", "a", "o", "u"}
_SMALL_WORDS |= {"por", "con", "sin", "contra", "entre", "al", "su", "sus", "se"}


@dataclass(frozen=True)
class DocumentCard:
    """A document's card as the manifest stores it: title, issuing institution, date (ISO, as
    precise as known) and kind («ley», «informe», «comunicado»…)."""

    title: str
    institution: str = ""
    date: str = ""
    kind: str = ""

    def as_metadata(self) -> dict[str, str]:
        return {
            "title": self.title,
            "institution": self.institution,
            "date": self.date,
            "kind": self.kind,
        }


def guess_card(document: Document) -> DocumentCard:
    """The card `document` suggests for itself (see the module docstring)."""
    paragraphs = opening(document.text)
    title = guess_title(document, paragraphs)
    return DocumentCard(
        title=title,
        institution=document.institution or guess_institution(paragraphs, title),
        date=iso_date(document.date) or guess_date(paragraphs, title),
        kind=document.kind or guess_kind(title, paragraphs),
    )


def opening(text: str, count: int = OPENING_PARAGRAPHS) -> list[str]:
    """The first paragraphs of a cleaned text, without heading or quotation marks."""
    paragraphs = []
    for paragraph in text.split("\n\n")[:count]:
        plain = re.sub(r"^(?:#{1,6}|>)\s*", "", paragraph.strip())
        if plain:
            paragraphs.append(" ".join(plain.split()))
    return paragraphs


def title_case(text: str, opening: bool = True) -> str:
    """An all-capitals name written as a name: «CONSEJO DE LA JUDICATURA DEL ESTADO» ->
    «Consejo de la Judicatura del Estado»; acronyms in parentheses and «H.» stay. Text that is
    not all capitals is returned as it is. `opening` is false for a name that goes after other
    words («… de la Ciudad de México»)."""
    letters = [ch for ch in text if ch.isalpha()]
    if not letters or any(ch.islower() for ch in letters):
        return text
    words = []
    for position, word in enumerate(text.split()):
        bare = word.strip('()«»"“”,.;:')
        if word.startswith("(") and bare.isupper() and len(bare) <= 15:
            words.append(word)
        elif (position or not opening) and bare.lower() in _SMALL_WORDS:
            words.append(word.lower())
        elif re.fullmatch(r"[A-ZÁÉÍÓÚÑ]\.", bare + "." if word.endswith(".") else bare):
            words.append(word)
        else:
            words.append(word[:1] + word[1:].lower())
    return " ".join(words)


def guess_title(document: Document, paragraphs: list[str]) -> str:
    """The document's own title when it has one (metadata, a first heading, a capitals line
    naming it), written as a title; else «Nota informativa: <asunto>»; else a short line that
    opens the text; else the loader's title (from the file name)."""
    if document.title != humanize_name(document.path):
        return title_case(document.title)
    kind = guess_kind("", paragraphs)
    for paragraph in paragraphs:
        subject = _SUBJECT.match(paragraph)
        if subject:
            text = subject.group(1).strip().rstrip(".")
            text = text[:1].upper() + text[1:]
            return f"{kind[:1].upper()}{kind[1:]}: {text}" if kind else text
    for paragraph in paragraphs[:4]:
        if _could_be_title(paragraph):
            return title_case(paragraph)
    return document.title


def _could_be_title(paragraph: str) -> bool:
    words = paragraph.split()
    return (
        3 <= len(words) <= 25
        and len(paragraph) <= SHORT
        and not paragraph.endswith((".", ":", ";", ","))
        and not _NOT_A_TITLE.match(paragraph)
        and not _BODY_START.match(paragraph)
        and not _WRITTEN_DATE.search(paragraph)
        and paragraph[:1].isupper()
    )


def _clean_body(name: str) -> str:
    """A body's name as found, trimmed to the name: up to its acronym in parentheses, without
    what follows it on the line («… Última Reforma DOF …»), written as a name."""
    name = _AFTER_NAME.split(name, maxsplit=1)[0]
    acronym = _ACRONYM_AFTER.match(name)
    if acronym:
        name = acronym.group(1)
    name = title_case(" ".join(name.split()).rstrip(" ,.;:—-"))
    return re.sub(r"^Secretaria\b", "Secretaría", name)


def _letterhead(paragraphs: list[str]) -> list[str]:
    """The bodies named by the short lines that open a document, before its first long one:
    lines in capitals, or short lines that are a name and nothing else («Gobierno del Estado
    de Colima»); a line naming two, «PODER JUDICIAL CONSEJO DE LA JUDICATURA…», gives both."""
    bodies: list[str] = []
    for paragraph in paragraphs:
        if len(paragraph) > SHORT:
            break
        starts = [m.start() for m in _BODY_START.finditer(paragraph)]
        named_only = paragraph.isupper() or (len(paragraph) <= 80 and paragraph[-1:].isalnum())
        if not starts or starts[0] != 0 or not named_only:
            continue
        bounds = [*starts, len(paragraph)]
        bodies += [paragraph[a:b].strip() for a, b in zip(bounds, bounds[1:], strict=False)]
    return [b for b in bodies if len(b.split()) >= 2]


def guess_institution(paragraphs: list[str], title: str = "") -> str:
    """Who issues the document, from its opening: a «Fuente:» line, «emitido por …», its
    letterhead (the most specific body, with the government it belongs to: «Secretaría de las
    Mujeres de la Ciudad de México»), or the body whose acronym its title uses."""
    for paragraph in paragraphs:
        source = _SOURCE.match(paragraph)
        if source:
            return _clean_body(source.group(1))
    for paragraph in paragraphs[:6]:
        issued = _ISSUED_BY.search(paragraph)
        if issued:
            return _clean_body(issued.group(1))
    letterhead = _letterhead(paragraphs)
    if letterhead:
        body = _clean_body(letterhead[-1])
        government = next(
            (b for b in letterhead[:-1] if re.match(r"GOBIERNO\s+DE\s+", b, re.I)), ""
        )
        place = re.sub(r"^GOBIERNO\s+DE\s+", "", government, flags=re.I)
        if place and not re.search(r"\b(?:de|del)\s+(?:la\s+)?(?:Estado|Ciudad|Municipio)", body):
            body = f"{body} de {title_case(place, opening=False)}"
        return body
    for paragraph in paragraphs:
        for named in _NAMED_BODY.finditer(paragraph):
            if title and re.search(rf"\b{re.escape(named.group(2))}\b", title):
                return _clean_body(f"{named.group(1)} ({named.group(2)})")
    return ""


def iso_date(value: str) -> str:
    """A metadata date as ISO («2018-01-17 12:00» -> «2018-01-17»); "" when it is none."""
    match = _ISO_DATE.search(value or "")
    if match:
        return _checked(int(match[1]), int(match[2]), int(match[3]))
    year = _YEAR.fullmatch((value or "").strip())
    return year.group(1) if year else ""


def _checked(year: int, month: int, day: int) -> str:
    """The date as ISO, or "" when there is no such day."""
    if not 1900 <= year <= 2100:
        return ""
    try:
        return date(year, month, day).isoformat()
    except ValueError:
        return ""


def _first_date(text: str) -> str:
    """The first full date written in `text` (words or digits), as ISO."""
    found: list[tuple[int, str]] = []
    written = _WRITTEN_DATE.search(text)
    if written:
        month = MONTHS[written.group(2).lower()]
        found.append((written.start(), _checked(int(written[3]), month, int(written[1]))))
    iso = _ISO_DATE.search(text)
    if iso:
        found.append((iso.start(), _checked(int(iso[1]), int(iso[2]), int(iso[3]))))
    dof = _DOF_DATE.search(text)
    if dof:
        found.append((dof.start(), _checked(int(dof[3]), int(dof[2]), int(dof[1]))))
    return next((iso for _, iso in sorted(found) if iso), "")


def guess_date(paragraphs: list[str], title: str = "") -> str:
    """When the document is dated, from its opening: its last reform published in the DOF,
    its publication in an official gazette, a dateline (a short line holding a date, before the
    first long paragraph), or a year in its title."""
    text = "\n".join(paragraphs)
    for pattern in (_LAST_REFORM, _PUBLISHED):
        for match in pattern.finditer(text):
            dated = _first_date(text[match.end() : match.end() + 40])
            if dated:
                return dated
    for paragraph in paragraphs:  # the lines before the text itself begins
        if len(paragraph) > SHORT:
            break
        dated = _first_date(paragraph)
        if dated:
            return dated
    year = _YEAR.search(title)
    return year.group(1) if year else ""


def guess_kind(title: str, paragraphs: list[str]) -> str:
    """What kind of document it is, from the first kind its title names, else its opening's
    short lines («NOTA INFORMATIVA», «Sala de Prensa»)."""
    for text in (title, *(p for p in paragraphs if len(p) <= SHORT)):
        hits = [
            (match.start(), kind)
            for kind, pattern in KINDS
            if (match := re.search(rf"\b(?:{pattern})\b", text, re.IGNORECASE))
        ]
        if hits:
            return min(hits)[1]
    return ""
