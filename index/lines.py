"""Typed source lines and what can be told from one line on its own: Unicode normalization,
tidying (padding runs, placeholders, letter-spaced words), bullets, and the legal structure:
which lines open a block (articles, fractions, incisos, numbered points, reform notes) and which
are structure headings (TÍTULO, CAPÍTULO, SECCIÓN), joined here with the name that follows."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Literal

LineKind = Literal["text", "blank", "heading", "item", "row"]


@dataclass(frozen=True)
class Line:
    """One source line after format parsing. `page` is 1-based (0 when the format has no pages);
    `level` is the heading level (1..6) for headings."""

    text: str
    kind: LineKind = "text"
    page: int = 0
    level: int = 0


BLANK = Line("", "blank")


# --- characters ---------------------------------------------------------------------------

_CONTROL = re.compile(r"[\x00-\x08\x0b\x0e-\x1f\x7f-\x9f]")
_ODD_SPACES = re.compile(r"[\u00a0\u1680\u2000-\u200a\u202f\u205f\u3000]")
_INVISIBLE = dict.fromkeys([0x00AD, 0x200B, 0x200C, 0x200D, 0x2060, 0xFEFF])
_LIGATURES = str.maketrans({"ﬀ": "ff", "ﬁ": "fi", "ﬂ": "fl", "ﬃ": "ffi", "ﬄ": "ffl", "ﬆ": "st"})
_PRIVATE_USE = re.compile(r"[\ue000-\uf8ff]")


def normalize_unicode(text: str) -> str:
    """NFC (macOS PDFs decompose accents), `\\n` newlines, odd spaces made plain, and no control,
    zero-width or soft-hyphen characters. Tabs and form feeds survive: TOC and page detection
    need them."""
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    text = unicodedata.normalize("NFC", text).translate(_LIGATURES).translate(_INVISIBLE)
    return _CONTROL.sub("", _ODD_SPACES.sub(" ", text))


# --- line tidying -------------------------------------------------------------------------

_GLYPHS = "•▪▫◦●○■□►▶▸➢➤➔→❖✓✔·\ue000-\uf8ff"
_BULLET = re.compile(rf"^[ \t]*(?:(?:[-*+]|o(?=[ \t]{{2}}|\t))[ \t]+|[{_GLYPHS}][ \t]*)")
# Public: a heading keeps its text but not the bullet glyph a converter put before it.
LEADING_GLYPHS = re.compile(rf"^[\s{_GLYPHS}]+")
_PADDING = re.compile(r"[-_=~]{4,}|\.{5,}|…{2,}|(?:\. ){4,}\.?")
_LETTER_SPACED = re.compile(r"(?<!\w)(?:[A-ZÁÉÍÓÚÜÑ] ){4,}[A-ZÁÉÍÓÚÜÑ](?!\w)")
_SPACES = re.compile(r"\s+")
_PLACEHOLDER = re.compile(
    r"\[(?:LLENAR|VERIFICAR|COMPLETAR|HOY|PENDIENTE|TODO|POR DEFINIR|FECHA|NOMBRE)\b[^\]]*\]"
)


def as_bullet(line: str) -> str | None:
    """The item text when `line` starts with bullet glyphs (❖ ➤ • ▪ - * o …), else None."""
    match = _BULLET.match(line)
    if not match:
        return None
    rest = line[match.end() :]
    while (again := _BULLET.match(rest)) is not None:  # "- ❖ texto"
        rest = rest[again.end() :]
    return rest if rest.strip() else None


def has_placeholder(value: str) -> bool:
    """True for template leftovers such as "[LLENAR fecha]" or "[VERIFICAR …]"."""
    return bool(_PLACEHOLDER.search(value))


def tidy_line(text: str) -> str:
    """One line made plain: placeholders, padding runs (----, ____, ......) and private-use
    glyphs removed, letter-spaced words ("T R A N S I T O R I O") rejoined, spaces collapsed."""
    text = _PLACEHOLDER.sub(" ", text)
    text = _PADDING.sub(" ", text)
    text = _PRIVATE_USE.sub(" ", text)
    text = _LETTER_SPACED.sub(lambda m: m.group(0).replace(" ", ""), text)
    return _SPACES.sub(" ", text).strip()


def has_words(text: str) -> bool:
    return any(ch.isalnum() for ch in text)


# --- legal structure ----------------------------------------------------------------------

_ORDINAL_WORDS = (
    r"primer[oa]?|segund[oa]|tercer[oa]?|cuart[oa]|quint[oa]|sext[oa]|s[ée]ptim[oa]|octav[oa]"
    r"|noven[oa]|d[ée]cim[oa]|und[ée]cim[oa]|duod[ée]cim[oa]|vig[ée]sim[oa]|[úu]nic[oa]"
)
# Public: the Markdown reader rejoins "Artículo 24" + "Bis.- texto" with it.
LATIN_ORDINALS = r"bis|ter|qu[áa]ter|quinquies|sexies|septies|octies|nonies"
_ORDINAL = rf"(?i:(?:(?:{_ORDINAL_WORDS})(?:\s+(?:{_ORDINAL_WORDS}))?|preliminar|[ivxlc]+|\d+))"
_STRUCTURE = re.compile(
    rf"^(?i:(libro|t[íi]tulo|cap[íi]tulo|secci[óo]n))\s+{_ORDINAL}(?:\s+(?i:{LATIN_ORDINALS}))?(?!\w)"
    r"(?P<separator>\s*[.:—–-])?\s*(?P<rest>.*)$"
)
_STRUCTURE_LEVEL = {"libro": 1, "titulo": 1, "capitulo": 2, "seccion": 3}
_TRANSITORIOS = re.compile(
    r"^(?i:(?:art[íi]culos\s+)?transitori[oa]s?|disposiciones\s+transitorias)\.?$"
)
_SEPARATOR = r"(?:\.-|\.–|\.|-|–|:)"
_ARTICLE = re.compile(
    rf"^(?:ART[ÍI]CULO|Art[íi]culo)\s+(?:\d+[A-Za-z°º]{{0,2}}|(?i:{_ORDINAL_WORDS}))"
    rf"(?:[\s-]+(?:(?i:{LATIN_ORDINALS})|[A-Z](?![a-z])))*\s*{_SEPARATOR}"
    r"(?=\s*(?:$|[A-ZÁÉÍÓÚÑ\"“'(¿¡…\d]))"
)
_FRACTION = re.compile(rf"^[IVXLC]+(?:\s+(?i:{LATIN_ORDINALS}))?\s*(?:\.-|\.|-|\))\s+\S")
_INCISO = re.compile(r"^(?:[a-zñ]{1,2}\)\s+\S|[a-zñ]\.\s+[A-ZÁÉÍÓÚÑ¿\"“])")
_NUMBERED = re.compile(
    r"^(?:\d{1,3}(?:\.-|\.|\)|-)|\d{1,3}(?:\.\d{1,3})+\.?)\s+(?=[A-ZÁÉÍÓÚÑ¿\"“(])"
)
_ORDINAL_PARAGRAPH = re.compile(
    r"^(?=[A-ZÁÉÍÓÚ])(?i:primero|segundo|tercero|cuarto|quinto|sexto|s[ée]ptimo|octavo|noveno"
    r"|d[ée]cimo(?:\s+[a-záéíóú]+)?|[úu]nico)\s*(?:\.-|\.|-|–|:)\s"
)

_DATES = r"\d{2}-\d{2}-\d{4}(?:\s*(?:,|y)\s*\d{2}-\d{2}-\d{4})*"
_NOTE_HEAD = (
    r"(?:P[áa]rrafos?|Art[íi]culos?|Fracci(?:ón|ones)|Incisos?|Numerales?|Apartados?"
    r"|Cap[íi]tulos?|T[íi]tulos?|Secci(?:ón|ones)|Libros?|Denominaci[óo]n|Encabezado"
    r"|Reformad[oa]s?|Adicionad[oa]s?|Derogad[oa]s?)"
)
_VERB = r"(?:reformad|adicionad|derogad|recorrid)[oa]s?"
_REFORM_NOTE = re.compile(
    rf"(?<!\w){_NOTE_HEAD}(?!\w)[^.\n]{{0,60}}?(?<!\w){_VERB}(?!\w)[^.\n]{{0,40}}?:?\s*"
    rf"DOF\s+{_DATES}"
    rf"(?:\.?\s*(?:Reformad|Adicionad|Derogad|Recorrid)[oa]s?(?:\s+y\s+\w+)?\s+DOF\s+{_DATES})*"
    r"(?:\s*\(sic[^)]*\))?\.?"
)
# Public: a line ending like this closed its sentence, so the next line does not continue it.
TERMINAL_END = re.compile(r"[.:;!?…][\"”’')\]]*$")


def is_caps(text: str) -> bool:
    """True for lines written in capitals (titles, structure names); needs four letters, so an
    acronym such as "(ONU)" does not count."""
    letters = [ch for ch in text if ch.isalpha()]
    return len(letters) >= 4 and not any(ch.islower() for ch in letters)


def is_reform_note(text: str) -> bool:
    """True for a whole line such as "Párrafo reformado DOF 15-01-2026"."""
    return _REFORM_NOTE.fullmatch(text.strip()) is not None


def opens_with_reform_note(text: str) -> bool:
    """True when `text` begins with a reform note, alone or glued to what follows it
    ("Párrafo reformado DOF 25-04-2023 Toda persona…"): a sentence that says when the text
    changed, not what it says."""
    start = len(text) - len(re.sub(r"^\W+", "", text))
    return _REFORM_NOTE.match(text, start) is not None


def starts_block(text: str) -> bool:
    """True when a line opens a new paragraph by itself: an article, a fraction (I., II Bis.), an
    inciso (a), b.), a numbered point, an ordinal clause (PRIMERO.-) or a reform note."""
    return bool(
        _ARTICLE.match(text)
        or _FRACTION.match(text)
        or _INCISO.match(text)
        or _NUMBERED.match(text)
        or _ORDINAL_PARAGRAPH.match(text)
        or _REFORM_NOTE.match(text)
    )


def split_reform_notes(text: str) -> list[str]:
    """Cut reform notes ("Párrafo reformado DOF 15-01-2026") out of the text they were glued
    to, keeping the order: "Párrafo reformado DOF … Toda persona…" -> [note, "Toda persona…"]."""
    pieces: list[str] = []
    position = 0
    for match in _REFORM_NOTE.finditer(text):
        pieces.append(text[position : match.start()])
        pieces.append(match.group(0))
        position = match.end()
    pieces.append(text[position:])
    return [p.strip() for p in pieces if has_words(p)]


# A report's or protocol's numbered section: «2.2 Persona comisionada.», «2.2.1 Perfil.» (a
# decimal number, then a short title); «2. Utilice comunicación…» is a list item, not one.
_NUMBERED_SECTION = re.compile(
    r"^(?P<number>\d{1,2}(?:\.\d{1,2}){1,3})\.?\s+(?P<title>[A-ZÁÉÍÓÚÑ][^.:;]{1,80})\.?$"
)


def structure_heading(text: str) -> tuple[int, str] | None:
    """(level, text) when `text` is a structure line: TÍTULO (1), CAPÍTULO (2), SECCIÓN (3),
    LIBRO (1) or TRANSITORIOS (1), optionally followed by its name in capitals; or a numbered
    section «2.2.1 Perfil.» (level 2 and deeper by its number's depth)."""
    if _TRANSITORIOS.match(text):
        return 1, text.rstrip(".")
    if (section := _NUMBERED_SECTION.match(text)) and len(section["title"].split()) <= 10:
        return min(6, 1 + section["number"].count(".")), text.rstrip(".")
    match = _STRUCTURE.match(text)
    if not match:
        return None
    rest = match.group("rest")
    named = is_caps(rest) or rest[:1] == "(" or not any(c.isalpha() for c in rest)
    if not named and not (match.group("separator") and len(text) <= 150):
        return None  # a sentence that happens to start with "Capítulo III de esta Ley…"
    key = unicodedata.normalize("NFD", match.group(1).lower())
    key = "".join(ch for ch in key if not unicodedata.combining(ch))
    return _STRUCTURE_LEVEL[key], text


def mark_structure(lines: Sequence[Line]) -> list[Line]:
    """Turn structure lines into headings and pull their name, written on the following line(s),
    into the same heading: "CAPÍTULO I" + "DE LA VIOLENCIA…" -> "## CAPÍTULO I DE LA VIOLENCIA…".
    Markdown headings keep their level; plain lines get the structure's level."""
    out: list[Line] = []
    index = 0
    while index < len(lines):
        line = lines[index]
        found = structure_heading(line.text) if line.kind in ("text", "heading") else None
        if found is None:
            out.append(line)
            index += 1
            continue
        level = line.level if line.kind == "heading" else found[0]
        text = line.text
        structure = _STRUCTURE.match(text)
        named = bool(structure and structure.group("rest")) or bool(_NUMBERED_SECTION.match(text))
        last = line.text  # the heading's last physical line, to tell a wrapped name
        index += 1
        joined = 0
        while index < len(lines) and joined < 3:
            name = lines[index]
            if (
                name.kind != "text"
                or starts_block(name.text)
                or structure_heading(name.text)
                or is_reform_note(name.text)
            ):
                break
            if is_caps(name.text):
                text, last = f"{text} {name.text}", name.text
                joined += 1
                index += 1
                if TERMINAL_END.search(name.text):
                    break
                continue
            unnamed = not named and not joined and len(name.text) <= 100
            wrapped = len(last) >= 60 and not TERMINAL_END.search(last) and len(name.text) <= 80
            if (unnamed or wrapped) and name.text[0].isupper():
                # "Sección Segunda" + "De las Atribuciones.", or a long name that wrapped
                text = f"{text} {name.text}"
                index += 1
            break
        text = text.rstrip(" —–-:")
        out.append(Line(text, "heading", line.page, level))
    return out
