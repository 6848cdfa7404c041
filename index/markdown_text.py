"""Markdown (and Markdown-ish text) as typed lines: front matter and "| Campo | Valor |"
metadata, inline markup (links, emphasis, inline HTML, entities) reduced to plain text, table
rows, footnotes, list items, and the article headings that converters write as Markdown headings."""

from __future__ import annotations

import html
import re
from collections.abc import Iterable, Sequence

from index.footnotes import call_mark, inline_footnotes
from index.lines import (
    BLANK,
    LATIN_ORDINALS,
    TERMINAL_END,
    Line,
    as_bullet,
    has_placeholder,
    has_words,
    is_reform_note,
    starts_block,
)

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


def _call(label: str) -> str:
    return call_mark(label) if re.fullmatch(r"\d{1,3}/?", label) else ""


def strip_inline_markup(line: str) -> str:
    """Markdown and inline HTML down to plain text: images and footnote markers removed, links
    reduced to their text, emphasis markers and tags dropped, entities decoded. Emphasis that
    spans several lines leaves unpaired markers on each line; those are dropped too."""
    text = _IMAGE.sub("", line)
    text = _LINK.sub(r"\1", text)
    text = _AUTOLINK.sub(r"\1", text)
    text = _FOOTNOTE_REF.sub("", text)
    # A superscript opening the line labels a footnote ("1/ Aguascalientes…"); elsewhere it is a
    # call, marked for `inline_footnotes` (a bare number would glue onto the word before it).
    text = _SUP.sub(
        lambda m: m.group(1) + " " if not text[: m.start()].strip() else _call(m.group(1)), text
    )
    text = _INLINE_TAG.sub("", text)
    text = _TAG.sub(" ", text)
    text = html.unescape(text)
    text = _CODE.sub(r"\1", text)
    for _ in range(2):  # nested emphasis: ***x*** or **_x_**
        text = _BOLD.sub(r"\2", text)
        text = _ITALIC.sub(lambda m: m.group(1) or m.group(2), text)
    return _STRAY_EMPHASIS.sub("", text)


# --- Markdown and text files --------------------------------------------------------------

_HEADING = re.compile(r"^ {0,3}(#{1,6})([ \t]*)(.*?)[ \t]*#*[ \t]*$")
_TABLE_SEPARATOR = re.compile(r"^\s*\|?\s*:?-{3,}:?\s*(?:\|\s*:?-{3,}:?\s*)*\|?\s*$")
_RULE = re.compile(r"^\s{0,3}([-*_])(?:\s*\1){2,}\s*$")
_FENCE = re.compile(r"^\s{0,3}(?:```|~~~)")
_FOOTNOTE_DEF = re.compile(r"^\s*\[\^([^\]]+)\]:\s*")
_QUOTE = re.compile(r"^\s{0,3}(?:>\s?)+")
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
    return inline_footnotes(_merge_article_headings(lines)), _clean_metadata(metadata)


# A heading that opens one article of a law or an agreement («ARTÍCULO 25», «Artículo 7»).
ARTICLE_HEADING = re.compile(r"^(?:ART[ÍI]CULO|Art[íi]culo)\s+\S+")


def _merge_article_headings(lines: Sequence[Line]) -> list[Line]:
    out: list[Line] = []
    index = 0
    while index < len(lines):
        line = lines[index]
        if line.kind != "heading" or not ARTICLE_HEADING.match(line.text.strip()):
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
            if re.match(rf"(?i:{LATIN_ORDINALS})\b|…", body):
                out.append(Line(f"{head} {body}"))  # "Artículo 24" + "Bis.- texto"
                index = following + 1
                continue
            if body[0].isupper() and not starts_block(body) and not is_reform_note(body):
                out.append(Line(f"{head}. {body}"))  # "Artículo Primero" + "El presente…"
                index = following + 1
                continue
        out.append(Line(head if TERMINAL_END.search(head) else f"{head}."))
    return out
