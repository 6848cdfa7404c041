"""Pure text cleaning: from raw lines (Markdown, plain text, PDF pages, HTML blocks) to the text
the chunker reads: one paragraph per line, paragraphs separated by one blank line, `#` headings
for the legal structure (TÍTULO, CAPÍTULO, SECCIÓN) and the Markdown/HTML headings.

Everything that changes characters happens line by line; lines are joined into paragraphs last,
so PDF page boundaries can be tracked as exact offsets into the final text."""

from __future__ import annotations

import html
import math
import re
import unicodedata
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Literal

from index.documents import PageSpan

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


@dataclass(frozen=True)
class Paragraph:
    """One output paragraph; `breaks` holds (offset in `text`, page) where a new page begins."""

    text: str
    page: int = 0
    breaks: tuple[tuple[int, int], ...] = ()


@dataclass(frozen=True)
class CleanText:
    """The cleaned text of one document, its page spans (PDF only) and metadata found in it."""

    text: str
    pages: tuple[PageSpan, ...] = ()
    metadata: dict[str, str] = field(default_factory=dict)


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


# --- inline markup ------------------------------------------------------------------------

_IMAGE = re.compile(r"!\[[^\]]*\]\([^)]*\)")
_LINK = re.compile(r"\[([^\]]*)\]\((?:[^()\s]|\([^()]*\))*(?:\s+\"[^\"]*\")?\)")
_AUTOLINK = re.compile(r"<((?:https?|ftp|mailto):[^>\s]+)>")
_FOOTNOTE_REF = re.compile(r"\[\^[^\]\s]+\]")
_SUP = re.compile(r"<sup>\s*([^<]{0,8}?)\s*</sup>", re.IGNORECASE)
_INLINE_TAG = re.compile(
    r"</?(?:a|b|i|u|em|strong|span|font|small|big|sub|sup|abbr|mark|code|s|del|ins)\b[^<>]*>",
    re.IGNORECASE,
)
_TAG = re.compile(r"<!--.*?-->|</?[A-Za-z][^<>]*>")
_CODE = re.compile(r"`([^`]*)`")
_BOLD = re.compile(r"(\*\*|__)(?=\S)(.+?)(?<=\S)\1")
_ITALIC = re.compile(
    r"(?<![\w*])\*(?=\S)(.+?)(?<=\S)\*(?![\w*])|(?<![\w_])_(?=\S)(.+?)(?<=\S)_(?!\w)"
)
_STRAY_EMPHASIS = re.compile(r"\*\*|__|(?<!\w)_(?=[\w\"“¿¡(])|(?<=[\w.,;:!?\"”)])_(?!\w)")


def strip_inline_markup(line: str) -> str:
    """Markdown and inline HTML down to plain text: images and footnote markers removed, links
    reduced to their text, emphasis markers and tags dropped, entities decoded. Emphasis that
    spans several lines leaves unpaired markers on each line; those are dropped too."""
    text = _IMAGE.sub("", line)
    text = _LINK.sub(r"\1", text)
    text = _AUTOLINK.sub(r"\1", text)
    text = _FOOTNOTE_REF.sub("", text)
    # A superscript opening the line labels a footnote ("1/ Aguascalientes…"); elsewhere it is a
    # call mark that would glue onto the word before it.
    text = _SUP.sub(lambda m: m.group(1) + " " if not text[: m.start()].strip() else "", text)
    text = _INLINE_TAG.sub("", text)
    text = _TAG.sub(" ", text)
    text = html.unescape(text)
    text = _CODE.sub(r"\1", text)
    for _ in range(2):  # nested emphasis: ***x*** or **_x_**
        text = _BOLD.sub(r"\2", text)
        text = _ITALIC.sub(lambda m: m.group(1) or m.group(2), text)
    return _STRAY_EMPHASIS.sub("", text)


# --- line tidying -------------------------------------------------------------------------

_GLYPHS = "•▪▫◦●○■□►▶▸➢➤➔→❖✓✔·\ue000-\uf8ff"
_BULLET = re.compile(rf"^[ \t]*(?:(?:[-*+]|o(?=[ \t]{{2}}|\t))[ \t]+|[{_GLYPHS}][ \t]*)")
_LEADING_GLYPHS = re.compile(rf"^[\s{_GLYPHS}]+")
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
_LATIN = r"bis|ter|qu[áa]ter|quinquies|sexies|septies|octies|nonies"
_ORDINAL = rf"(?i:(?:(?:{_ORDINAL_WORDS})(?:\s+(?:{_ORDINAL_WORDS}))?|preliminar|[ivxlc]+|\d+))"
_STRUCTURE = re.compile(
    rf"^(?i:(libro|t[íi]tulo|cap[íi]tulo|secci[óo]n))\s+{_ORDINAL}(?:\s+(?i:{_LATIN}))?(?!\w)"
    r"(?P<separator>\s*[.:—–-])?\s*(?P<rest>.*)$"
)
_STRUCTURE_LEVEL = {"libro": 1, "titulo": 1, "capitulo": 2, "seccion": 3}
_TRANSITORIOS = re.compile(
    r"^(?i:(?:art[íi]culos\s+)?transitori[oa]s?|disposiciones\s+transitorias)\.?$"
)
_SEPARATOR = r"(?:\.-|\.–|\.|-|–|:)"
_ARTICLE = re.compile(
    rf"^(?:ART[ÍI]CULO|Art[íi]culo)\s+(?:\d+[A-Za-z°º]{{0,2}}|(?i:{_ORDINAL_WORDS}))"
    rf"(?:[\s-]+(?:(?i:{_LATIN})|[A-Z](?![a-z])))*\s*{_SEPARATOR}"
    r"(?=\s*(?:$|[A-ZÁÉÍÓÚÑ\"“'(¿¡…\d]))"
)
_ARTICLE_HEADING = re.compile(r"^(?:ART[ÍI]CULO|Art[íi]culo)\s+\S+")
_FRACTION = re.compile(rf"^[IVXLC]+(?:\s+(?i:{_LATIN}))?\s*(?:\.-|\.|-|\))\s+\S")
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
_TERMINAL_END = re.compile(r"[.:;!?…][\"”’')\]]*$")
_HYPHEN_END = re.compile(r"[a-záéíóúñü]-$")


def is_caps(text: str) -> bool:
    """True for lines written in capitals (titles, structure names); needs four letters, so an
    acronym such as "(ONU)" does not count."""
    letters = [ch for ch in text if ch.isalpha()]
    return len(letters) >= 4 and not any(ch.islower() for ch in letters)


def is_reform_note(text: str) -> bool:
    """True for a whole line such as "Párrafo reformado DOF 15-01-2026"."""
    return _REFORM_NOTE.fullmatch(text.strip()) is not None


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


def structure_heading(text: str) -> tuple[int, str] | None:
    """(level, text) when `text` is a structure line: TÍTULO (1), CAPÍTULO (2), SECCIÓN (3),
    LIBRO (1) or TRANSITORIOS (1), optionally followed by its name in capitals."""
    if _TRANSITORIOS.match(text):
        return 1, text.rstrip(".")
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
        named = bool(structure and structure.group("rest"))
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
                if _TERMINAL_END.search(name.text):
                    break
                continue
            unnamed = not named and not joined and len(name.text) <= 100
            wrapped = len(last) >= 60 and not _TERMINAL_END.search(last) and len(name.text) <= 80
            if (unnamed or wrapped) and name.text[0].isupper():
                # "Sección Segunda" + "De las Atribuciones.", or a long name that wrapped
                text = f"{text} {name.text}"
                index += 1
            break
        text = text.rstrip(" —–-:")
        out.append(Line(text, "heading", line.page, level))
    return out


# --- document-level repairs ---------------------------------------------------------------

_UPPER_WORD = r"[A-ZÁÉÍÓÚÜÑ][A-ZÁÉÍÓÚÜÑ.,;:'\"“”()-]*"
_UPPER_RUN = re.compile(rf"(?<!\w)(?:{_UPPER_WORD}\s+){{4,}}{_UPPER_WORD}(?!\w)")


def remove_leaked_headers(lines: Sequence[Line], min_count: int = 8) -> list[Line]:
    """Drop a capitals phrase of five words or more that recurs `min_count` times or more as a
    whole run, even inside sentences: a page header that a PDF-to-Markdown converter spliced
    into the text ("…no tiene más PARA LA PROTECCIÓN Y ASISTENCIA… opción que…")."""
    counts: Counter[str] = Counter()
    for line in lines:
        for match in _UPPER_RUN.finditer(line.text):
            counts[match.group(0).strip(" ,;:")] += 1
    leaked = {run for run, n in counts.items() if n >= min_count and len(run) >= 30}
    if not leaked:
        return list(lines)

    def drop(match: re.Match[str]) -> str:
        return " " if match.group(0).strip(" ,;:") in leaked else match.group(0)

    def drop_leading(text: str) -> str:  # the header glued before a heading or a decree title
        for run in leaked:
            if text.startswith(run) and not text[len(run) : len(run) + 1].isalnum():
                return text[len(run) :]
        return text

    out: list[Line] = []
    for line in lines:
        if line.kind == "blank":
            out.append(line)
            continue
        text = _SPACES.sub(" ", drop_leading(_UPPER_RUN.sub(drop, line.text).strip())).strip()
        out.append(Line(text, line.kind, line.page, line.level) if has_words(text) else BLANK)
    return out


_WORD = re.compile(r"[^\W\d_]+")
_OPENERS = "([«“\"'¿¡"
_CLOSERS = ".,;:)]»”\"'?!"


def repair_split_words(lines: Sequence[Line]) -> list[Line]:
    """Rejoin words that PDF extraction split in two ("garant izar" -> "garantizar") when the
    joined form occurs elsewhere in the same document and neither piece does."""
    vocabulary = Counter(w.lower() for line in lines for w in _WORD.findall(line.text))

    def pieces(a: str, b: str) -> tuple[str, str] | None:
        left, right = a.lstrip(_OPENERS), b.rstrip(_CLOSERS)
        if not (left.isalpha() and right.isalpha() and right[0].islower()):
            return None
        joined = (left + right).lower()
        return (left.lower(), right.lower()) if len(joined) >= 4 and vocabulary[joined] else None

    in_pairs: Counter[str] = Counter()  # occurrences of a piece inside candidate pairs
    for line in lines:
        words = line.text.split(" ")
        for a, b in zip(words, words[1:], strict=False):
            if (found := pieces(a, b)) is not None:
                in_pairs.update(found)

    def unknown(piece: str) -> bool:
        return vocabulary[piece] <= in_pairs[piece]

    out: list[Line] = []
    for line in lines:
        words = line.text.split(" ")
        fixed: list[str] = []
        index = 0
        while index < len(words):
            found = pieces(words[index], words[index + 1]) if index + 1 < len(words) else None
            if found is not None and unknown(found[0]) and unknown(found[1]):
                fixed.append(words[index] + words[index + 1])
                index += 2
            else:
                fixed.append(words[index])
                index += 1
        text = " ".join(fixed)
        out.append(line if text == line.text else Line(text, line.kind, line.page, line.level))
    return out


_TOC_ENTRY = re.compile(
    r"\S.*?(?:\t+[ \t]*|[ \t]*(?:\.{4,}|…{2,}|_{4,}|·{4,})[ \t]*)\d{1,4}[ \t]*$"
)
_TOC_TITLE = re.compile(
    r"^[#*\s]*(?:[ÍI]NDICE|[ÍI]ndice|CONTENIDO|Contenido|TABLA DE CONTENIDOS?|Tabla de contenidos?"
    r"|SUMARIO|Sumario)[*:\s]*$"
)


def remove_toc(lines: Sequence[Line]) -> list[Line]:
    """Remove tables of contents: runs of three or more entries ending in a page number after a
    tab or dot leaders, with their "ÍNDICE" title and column header, and a trailing tail made
    only of headings (a TOC at the end of a file)."""
    entries = [
        i for i, line in enumerate(lines) if line.kind != "blank" and _TOC_ENTRY.match(line.text)
    ]
    runs: list[list[int]] = []
    for i in entries:
        if runs and sum(1 for line in lines[runs[-1][-1] + 1 : i] if line.kind != "blank") <= 2:
            runs[-1].append(i)
        else:
            runs.append([i])
    drop: set[int] = set()
    for run in (r for r in runs if len(r) >= 3):
        start, end = run[0], run[-1]
        cursor, taken = start - 1, 0
        while cursor >= 0 and taken < 3:
            line = lines[cursor]
            if line.kind == "blank":
                cursor -= 1
                continue
            header = "\t" in line.text and not any(ch.isdigit() for ch in line.text)
            if not (_TOC_TITLE.match(line.text) or header):
                break
            start, cursor, taken = cursor, cursor - 1, taken + 1
        if all(line.kind in ("blank", "heading") for line in lines[end + 1 :]):
            end = len(lines) - 1
        drop.update(range(start, end + 1))
    return [line for i, line in enumerate(lines) if i not in drop]


# --- pages --------------------------------------------------------------------------------

_PAGE_COUNTER = re.compile(
    r"^\s*(?:(?:P[áa]gina|P[áa]g\.?|Hoja)\s*)?\d{1,4}\s*(?:de|/)\s*\d{1,4}\s*$"
    r"|^\s*(?:P[áa]gina|P[áa]g\.?|Hoja)\s+\d{1,4}\s*$|^\s*[-–—]\s*\d{1,4}\s*[-–—]\s*$",
    re.IGNORECASE,
)
_BARE_NUMBER = re.compile(r"^\s*\d{1,4}\s*$")
_N_OF_M = re.compile(r"^\s*(?:P[áa]gina\s+)?\d{1,4}\s+de\s+\d{1,4}\s*$", re.IGNORECASE)


def split_text_pages(text: str) -> list[str]:
    """Pages of a plain-text dump of a PDF: split on form feeds, else after "N de M" counters."""
    if "\f" in text:
        return text.split("\f")
    lines = text.split("\n")
    counters = [i for i, line in enumerate(lines) if _N_OF_M.match(line)]
    if len(counters) < 2:
        return [text]
    pages, start = [], 0
    for i in counters:
        pages.append("\n".join(lines[start : i + 1]))
        start = i + 1
    pages.append("\n".join(lines[start:]))
    return pages


def _furniture_key(line: str) -> str:
    return _SPACES.sub(" ", re.sub(r"\d", "#", line.lower())).strip()


def _zone(page: Sequence[str], top: int, bottom: int) -> list[int]:
    filled = [i for i, line in enumerate(page) if line.strip()]
    return sorted(set(filled[:top] + filled[-bottom:]))


def remove_page_furniture(
    pages: Sequence[Sequence[str]], top: int = 8, bottom: int = 8
) -> list[list[str]]:
    """Remove page counters ("12 de 88", "Página 3") and running headers/footers: lines near a
    page edge that recur on at least half the pages (digits ignored, so "Última Reforma DOF …"
    matches across pages). Only the first copy per page goes, so a title that repeats the
    running header just below it survives."""
    cleaned = [[line for line in page if not _PAGE_COUNTER.match(line)] for page in pages]
    if len(cleaned) < 2:
        return cleaned
    counts: Counter[str] = Counter()
    for page in cleaned:
        counts.update({_furniture_key(page[i]) for i in _zone(page, top, bottom)})
    threshold = max(2, math.ceil(len(cleaned) / 2))
    repeated = {key for key, n in counts.items() if n >= threshold and len(key) >= 3}
    out: list[list[str]] = []
    for page in cleaned:
        drop, seen = set(), set()
        for i in _zone(page, top, bottom):
            key = _furniture_key(page[i])
            if _BARE_NUMBER.match(page[i]) or (key in repeated and key not in seen):
                drop.add(i)
                seen.add(key)
        out.append([line for i, line in enumerate(page) if i not in drop])
    return out


# --- paragraphs ---------------------------------------------------------------------------


def line_width(lines: Iterable[Line]) -> int:
    """The usual length of a full line (90th percentile), 0 when there are too few lines."""
    lengths = sorted(len(line.text) for line in lines if line.kind in ("text", "item"))
    return lengths[int(0.9 * len(lengths))] if len(lengths) >= 5 else 0


def _continues(previous: str, following: str, width: int, in_item: bool) -> bool:
    """Whether `following` goes on the paragraph that `previous` ends (width 0: not wrapped)."""
    if starts_block(following) or is_reform_note(previous):
        return False
    if _HYPHEN_END.search(previous) and following[:1].islower():
        return True
    previous_caps, following_caps = is_caps(previous), is_caps(following)
    if previous_caps and following_caps:
        return not _TERMINAL_END.search(previous)  # a title written over two lines
    if following[:1].islower():
        return True
    if following[:1].isdigit() and not _TERMINAL_END.search(previous):
        return True  # "…Se REFORMA el artículo" + "19, fracción IX."
    if previous_caps or following_caps:
        return False
    if not width:
        return in_item and not _TERMINAL_END.search(previous)
    # A line that would have had room for the next word ended on purpose, not by wrapping.
    first_word = following.split(" ", 1)[0]
    return len(previous) + 1 + len(first_word) >= 0.85 * width


def build_paragraphs(lines: Sequence[Line], width: int = 0) -> list[Paragraph]:
    """Join lines into paragraphs. Blank lines, headings, table rows and list items always break;
    other lines are joined when they continue the previous one (`width` > 0 means the text is
    hard-wrapped at about that many characters). Hyphenation across lines is undone."""
    paragraphs: list[Paragraph] = []
    current: list[Line] = []

    def flush() -> None:
        if not current:
            return
        text = ("- " if current[0].kind == "item" else "") + current[0].text
        breaks: list[tuple[int, int]] = []
        for before, line in zip(current, current[1:], strict=False):
            if _HYPHEN_END.search(text) and line.text[:1].islower():
                text = text[:-1]
            else:
                text += " "
            if line.page and line.page != before.page:
                breaks.append((len(text), line.page))
            text += line.text
        paragraphs.append(Paragraph(text, current[0].page, tuple(breaks)))
        current.clear()

    for line in lines:
        if line.kind == "blank":
            flush()
        elif line.kind in ("heading", "row"):
            flush()
            text = f"{'#' * line.level} {line.text}" if line.kind == "heading" else line.text
            paragraphs.append(Paragraph(text, line.page))
        elif line.kind == "item":
            flush()
            current.append(line)
        elif current and _continues(current[-1].text, line.text, width, current[0].kind == "item"):
            current.append(line)
        else:
            flush()
            current.append(line)
    flush()
    return paragraphs


def assemble(
    paragraphs: Sequence[Paragraph], page_count: int = 0
) -> tuple[str, tuple[PageSpan, ...]]:
    """Join paragraphs with blank lines and, for paged documents, compute one PageSpan per page
    (empty pages get an empty span) so every offset of the text maps to its page."""
    parts: list[str] = []
    starts: dict[int, int] = {}
    offset = 0
    for paragraph in paragraphs:
        if parts:
            offset += 2
        if paragraph.page:
            starts.setdefault(paragraph.page, offset)
        for inner, page in paragraph.breaks:
            starts.setdefault(page, offset + inner)
        parts.append(paragraph.text)
        offset += len(paragraph.text)
    text = "\n\n".join(parts)
    if not page_count:
        return text, ()
    bounds = [0] * (page_count + 2)
    bounds[page_count + 1] = len(text)
    for page in range(page_count, 0, -1):
        bounds[page] = min(starts.get(page, bounds[page + 1]), bounds[page + 1])
    bounds[1] = 0
    spans = tuple(PageSpan(p, bounds[p], bounds[p + 1]) for p in range(1, page_count + 1))
    return text, spans


def finish(
    lines: Sequence[Line],
    *,
    wrapped: bool | None = None,
    page_count: int = 0,
    repair_words: bool = False,
) -> tuple[str, tuple[PageSpan, ...]]:
    """The common tail of every format: tidy lines, split reform notes off, drop leaked headers,
    (PDF) repair split words, mark structure headings, build paragraphs and assemble the text.
    `wrapped=None` guesses hard wrapping from the line lengths."""
    tidy: list[Line] = []
    for line in lines:
        if line.kind == "blank":
            tidy.append(BLANK)
            continue
        text = line.text
        if line.kind == "heading":  # "### ➤ Orientar…": a bullet glyph is not part of a title
            text = _LEADING_GLYPHS.sub("", text)
        text = tidy_line(text)
        if not has_words(text):
            tidy.append(BLANK)
            continue
        pieces = split_reform_notes(text) if line.kind == "text" else [text]
        tidy.extend(Line(piece, line.kind, line.page, line.level) for piece in pieces)
    tidy = remove_leaked_headers(tidy)
    if repair_words:
        tidy = repair_split_words(tidy)
    tidy = mark_structure(tidy)
    width = line_width(tidy)
    if wrapped is None:
        wrapped = 0 < width <= 130
    return assemble(build_paragraphs(tidy, width if wrapped else 0), page_count)


# --- plain text and PDF pages -------------------------------------------------------------


def plain_lines(text: str, page: int = 0) -> list[Line]:
    """Lines of extracted or plain text, with bullet lines marked as list items."""
    out: list[Line] = []
    for raw in text.split("\n"):
        if not raw.strip():
            out.append(Line("", "blank", page))
        elif (item := as_bullet(raw)) is not None:
            out.append(Line(item, "item", page))
        else:
            out.append(Line(raw.rstrip(), "text", page))
    return out


def clean_pdf_pages(pages: Sequence[str]) -> CleanText:
    """Clean the per-page text of a PDF: running headers, footers and counters removed, pages
    joined so paragraphs flow across page breaks, split words repaired; with page spans."""
    page_lines = [normalize_unicode(page).split("\n") for page in pages]
    page_lines = remove_page_furniture(page_lines)
    lines: list[Line] = []
    for number, page in enumerate(page_lines, start=1):
        body = plain_lines("\n".join(page), number)
        while body and body[0].kind == "blank":  # edges left by the removed header/footer
            body.pop(0)
        while body and body[-1].kind == "blank":
            body.pop()
        lines.extend(body)
    lines = remove_toc(lines)
    text, spans = finish(lines, wrapped=True, page_count=len(pages), repair_words=True)
    return CleanText(text, spans)


# --- Markdown and text files --------------------------------------------------------------

_HEADING = re.compile(r"^ {0,3}(#{1,6})([ \t]*)(.*?)[ \t]*#*[ \t]*$")
_TABLE_SEPARATOR = re.compile(r"^\s*\|?\s*:?-{3,}:?\s*(?:\|\s*:?-{3,}:?\s*)*\|?\s*$")
_RULE = re.compile(r"^\s{0,3}([-*_])(?:\s*\1){2,}\s*$")
_FENCE = re.compile(r"^\s{0,3}(?:```|~~~)")
_FOOTNOTE_DEF = re.compile(r"^\s*\[\^([^\]]+)\]:\s*")
_QUOTE = re.compile(r"^\s{0,3}(?:>\s?)+")
_HTML_BLOCK = re.compile(
    r"<(script|style|noscript|iframe)\b[^>]*>.*?</\1\s*>|<!--.*?-->|<[A-Za-z/][^<>]*\n[^<>]*>",
    re.IGNORECASE | re.DOTALL,
)
_META_KEY = re.compile(r"^([A-Za-z][\w-]*)\s*:\s?(.*)$")
_PELICAN_KEYS = {
    "title",
    "slug",
    "date",
    "modified",
    "category",
    "tags",
    "author",
    "authors",
    "summary",
}


def _clean_metadata(raw: Iterable[tuple[str, str]]) -> dict[str, str]:
    meta: dict[str, str] = {}
    for key, value in raw:
        value = value.strip().strip("\"'").strip()
        key = key.strip().lower()
        if key and has_words(value) and not has_placeholder(value):
            meta.setdefault(key, value)
    return meta


def split_front_matter(text: str) -> tuple[dict[str, str], str]:
    """Metadata at the top of a Markdown file (Jekyll YAML between `---` lines, or a Pelican
    `Key: value` header ending at the first blank line) and the text without it. Values that
    are template placeholders ("[LLENAR …]") or empty are dropped."""
    lines = text.split("\n")
    if lines and lines[0].strip() == "---":
        for end in range(1, min(len(lines), 200)):
            if lines[end].strip() in ("---", "..."):
                pairs: list[tuple[str, str]] = []
                for raw in lines[1:end]:
                    if (match := _META_KEY.match(raw)) is not None:
                        pairs.append((match.group(1), match.group(2)))
                    elif raw.strip().startswith("- ") and pairs:  # a YAML list under the last key
                        key, value = pairs[-1]
                        item = raw.strip()[2:].strip().strip("\"'")
                        pairs[-1] = (key, f"{value}, {item}" if value.strip() else item)
                return _clean_metadata(pairs), "\n".join(lines[end + 1 :])
        return {}, text
    header: list[tuple[str, str]] = []
    for raw in lines:
        if not raw.strip():
            break
        if (match := _META_KEY.match(raw)) is None:
            return {}, text
        header.append((match.group(1), match.group(2)))
    if len(header) >= 2 and {k.lower() for k, _ in header} & _PELICAN_KEYS:
        return _clean_metadata(header), "\n".join(lines[len(header) :])
    return {}, text


def _table_cells(line: str) -> list[str]:
    cells = (strip_inline_markup(cell) for cell in line.strip().strip("|").split("|"))
    return [cell.strip() for cell in cells if cell.strip()]


def markdown_lines(text: str) -> tuple[list[Line], dict[str, str]]:
    """Markdown (or Markdown-ish text) as typed lines, inline markup removed, plus metadata from
    a leading "| Campo | Valor |" table. Table rows become "a | b" lines; `### Artículo 5`
    followed by ".- texto" becomes the text line "Artículo 5.- texto" (articles are not
    headings)."""
    lines: list[Line] = []
    metadata: list[tuple[str, str]] = []
    in_meta_table = False
    for raw in text.split("\n"):
        if _FENCE.match(raw) or _RULE.match(raw):
            lines.append(BLANK)
            continue
        line = _QUOTE.sub("", raw)
        if not line.strip():
            lines.append(BLANK)
            in_meta_table = False
            continue
        heading = _HEADING.match(line)
        if (
            heading
            and (heading.group(2) or len(heading.group(1)) >= 2)
            and heading.group(3).strip()
        ):
            lines.append(
                Line(strip_inline_markup(heading.group(3)), "heading", level=len(heading.group(1)))
            )
            continue
        if line.lstrip().startswith("|") and line.count("|") >= 2:
            if _TABLE_SEPARATOR.match(line):
                continue
            cells = _table_cells(line)
            if [c.lower() for c in cells] == ["campo", "valor"] and len(lines) < 40:
                in_meta_table = True
            elif in_meta_table and len(cells) == 2:
                metadata.append((cells[0], cells[1]))
            elif cells:
                lines.append(Line(" | ".join(cells), "row"))
            continue
        if (note := _FOOTNOTE_DEF.match(line)) is not None:
            lines.append(BLANK)
            lines.append(Line(f"[{note.group(1)}] {strip_inline_markup(line[note.end() :])}"))
            continue
        if (item := as_bullet(line)) is not None:
            lines.append(Line(strip_inline_markup(item), "item"))
            continue
        lines.append(Line(strip_inline_markup(line)))
    return _merge_article_headings(lines), _clean_metadata(metadata)


def _merge_article_headings(lines: Sequence[Line]) -> list[Line]:
    out: list[Line] = []
    index = 0
    while index < len(lines):
        line = lines[index]
        if line.kind != "heading" or not _ARTICLE_HEADING.match(line.text.strip()):
            out.append(line)
            index += 1
            continue
        head = line.text.strip()
        index += 1
        if starts_block(head):  # "### Artículo 5.- texto" already carries its text
            out.append(Line(head))
            continue
        following = index
        while following < len(lines) and lines[following].kind == "blank":
            following += 1
        body = lines[following].text.strip() if following < len(lines) else ""
        if following < len(lines) and lines[following].kind == "text" and body:
            if body[0] in ".-–":
                out.append(Line(head + body))  # the converter's ".- texto" on its own line
                index = following + 1
                continue
            if re.match(rf"(?i:{_LATIN})\b|…", body):
                out.append(Line(f"{head} {body}"))  # "Artículo 24" + "Bis.- texto"
                index = following + 1
                continue
            if body[0].isupper() and not starts_block(body) and not is_reform_note(body):
                out.append(Line(f"{head}. {body}"))  # "Artículo Primero" + "El presente…"
                index = following + 1
                continue
        out.append(Line(head if _TERMINAL_END.search(head) else f"{head}."))
    return out


def clean_markdown(text: str, *, paged: bool = False) -> CleanText:
    """Clean a Markdown or text file. With `paged`, the text is treated as a PDF dump first:
    split into pages (form feeds or "N de M" counters) and stripped of running headers."""
    text = normalize_unicode(text)
    metadata, body = split_front_matter(text)
    # Scripts, comments and tags written over several lines cannot be stripped line by line.
    body = _HTML_BLOCK.sub(" ", body)
    if paged:
        pages = split_text_pages(body)
        if len(pages) >= 2:
            body = "\n".join(
                "\n".join(page) for page in remove_page_furniture([p.split("\n") for p in pages])
            )
    body = body.replace("\f", "\n")
    lines, table_metadata = markdown_lines(body)
    lines = remove_toc(lines)
    cleaned, _ = finish(lines)
    return CleanText(cleaned, (), {**table_metadata, **metadata})
