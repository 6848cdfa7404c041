"""The structure of an answer's text, read once for every way of showing it (the window, the
Markdown export, the Word export): headings (`## …` lines), paragraphs, and lists (`- …` lines
and enumerated items such as «I.», «a)», «1.») each with the line that introduces it.

The text is the generator's: one sentence or one list item per line, headings marked with `#`.
A list's introduction (the line before it that ends with «:», markers aside) belongs to the
list, so it never stands alone as a sentence. A run of enumerated items written on one line
(«a) …; b) …; c) … [4]») is a list too, when its labels follow each other; a line between two
items of one enumeration («I. …» / «Es cualquier acto…» / «II. …») continues the first.

Pure: no HTML or Markdown here, and nothing is escaped; each renderer escapes what it writes."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

_HEADING = re.compile(r"^(#{1,6})\s+(.+?)\s*#*\s*$")
_BULLET = re.compile(r"^[-•*–]\s+(.*)$")
_ENUMERATED = re.compile(r"^((?:[IVXLC]+|\d{1,3}|[a-zA-Z])[.)])\s+\S")
# an introduction ending in «:», its markers, then the first label of items on the same line
_RUN_OPENING = re.compile(r":((?:\s*\[[^\]]*\])*)\s+(?=(?:[IVXLC]+|\d{1,3}|[a-zA-Z])[.)]\s)")
# where a bulleted line runs on into the next bullet: «…; [1] - …»
_NEXT_BULLET = re.compile(r"[;.]((?:\s*\[[^\]]*\])*)(\s+[-•]\s+)")
_TRAILING_MARKERS = re.compile(r"(?:\s*\[[^\]]*\])+\s*$")
# the «;» or «,» that joined an item to the next, before the item's markers
_CLOSING_PUNCTUATION = re.compile(r"\s*[;,]((?:\s*\[[^\]]*\])*)$")
_ROMAN = {"I": 1, "V": 5, "X": 10, "L": 50, "C": 100}


@dataclass(frozen=True)
class Heading:
    """A heading of the answer; `level` 1 is the answer's top level (`##` in its text)."""

    text: str
    level: int = 1


@dataclass(frozen=True)
class Paragraph:
    """One sentence or more, on one line of the answer."""

    text: str


@dataclass(frozen=True)
class Item:
    """One list item as written (an enumerated one keeps its label, «I. La violencia…»), and
    the lines that continue it before the next item."""

    text: str
    more: tuple[str, ...] = ()


@dataclass(frozen=True)
class ListBlock:
    """A list and the line that introduces it ("" when none does). `bulleted` lists had
    bullets in the text; the others are enumerations whose labels are part of their items."""

    items: tuple[Item, ...]
    intro: str = ""
    bulleted: bool = True


Block = Heading | Paragraph | ListBlock


@dataclass
class _Open:
    """The list being read: its items so far and the label of its last item."""

    items: list[Item] = field(default_factory=list)
    bulleted: bool = True
    label: str = ""
    intro: str = ""


def answer_blocks(text: str) -> tuple[Block, ...]:
    """The blocks of an answer's text, in order (see the module docstring)."""
    lines = [line.strip() for line in text.strip().splitlines()]
    blocks: list[Block] = []
    current: _Open | None = None

    def close() -> None:
        nonlocal current
        if current is not None and current.items:
            blocks.append(ListBlock(tuple(current.items), current.intro, current.bulleted))
        current = None

    for position, line in enumerate(lines):
        if not line:
            continue
        heading = _HEADING.match(line)
        if heading:
            close()
            blocks.append(Heading(heading.group(2), max(1, len(heading.group(1)) - 1)))
            continue
        bullet = _BULLET.match(line)
        if bullet:
            if current is None or not current.bulleted:
                close()
                current = _Open(bulleted=True, intro=_take_intro(blocks))
            current.items += [Item(item) for item in bullet_run(bullet.group(1))]
            continue
        run = enumerated_run(line)
        if run is not None:
            intro, items = run
            labels = [label_of(item) for item in items]
            continues = (
                current is not None
                and not current.bulleted
                and not intro
                and comes_later(current.label, labels[0])
            )
            if not continues:
                close()
                current = _Open(bulleted=False, intro=intro or _take_intro(blocks))
            assert current is not None
            current.items += [Item(item) for item in items]
            current.label = labels[-1]
            continue
        if current is not None and _continues_item(current, lines[position + 1 :]):
            last = current.items[-1]
            current.items[-1] = Item(last.text, (*last.more, line))
            continue
        close()
        blocks.append(Paragraph(line))
    close()
    return tuple(blocks)


def bullet_run(text: str) -> list[str]:
    """The items of a bulleted line that runs on into the next bullets («a.; [1] - b. [2]»),
    cut after each «;» or «.» and its markers that a « - » follows."""
    items = []
    start = 0
    for cut in _NEXT_BULLET.finditer(text):
        items.append(_CLOSING_PUNCTUATION.sub(r"\1", text[start : cut.start(2)].strip()))
        start = cut.end()
    items.append(text[start:].strip())
    return [item for item in items if item]


def _take_intro(blocks: list[Block]) -> str:
    """The paragraph just read, taken as the introduction of the list that follows it when it
    ends with «:» (markers aside)."""
    last = blocks[-1] if blocks else None
    if isinstance(last, Paragraph) and introduces(last.text):
        blocks.pop()
        return last.text
    return ""


def introduces(line: str) -> bool:
    """Whether `line` announces what follows («Los tipos de violencia son: [1]»)."""
    return _TRAILING_MARKERS.sub("", line).rstrip().endswith(":")


def _continues_item(current: _Open, rest: list[str]) -> bool:
    """Whether a plain line inside an enumeration continues its last item: the next list line
    after it (before a heading or a bulleted line) is the label that follows."""
    if current.bulleted or not current.items:
        return False
    for line in rest:
        if not line:
            continue
        if _HEADING.match(line) or _BULLET.match(line):
            return False
        run = enumerated_run(line)
        if run is not None:
            return not run[0] and follows(current.label, label_of(run[1][0]))
    return False


def label_of(item: str) -> str:
    """The label an enumerated item opens with («II.» -> "II"), or ""."""
    match = _ENUMERATED.match(item)
    return match.group(1)[:-1] if match else ""


def _roman_value(numeral: str) -> int:
    values = [_ROMAN[ch] for ch in numeral]
    return sum(-v if v < w else v for v, w in zip(values, [*values[1:], 0], strict=True))


def successors(label: str) -> list[str]:
    """The labels that may come right after `label`: the next number («3» -> «4»), numeral
    («IV» -> «V») or letter («a» -> «b»; a single «I», «V», «C» may be either)."""
    following: list[str] = []
    if label.isdigit():
        following.append(str(int(label) + 1))
    if label and all(ch in _ROMAN for ch in label):
        following.append(_roman(_roman_value(label) + 1))
    if len(label) == 1 and label.isalpha() and label.lower() != "z":
        following.append(chr(ord(label) + 1))
    return following


def follows(before: str, after: str) -> bool:
    """Whether label `after` comes right after `before`."""
    return after in successors(before)


def _rank(label: str) -> tuple[str, int] | None:
    if label.isdigit():
        return "digit", int(label)
    if label and all(ch in _ROMAN for ch in label) and len(label) > 1:
        return "roman", _roman_value(label)
    if len(label) == 1 and label.isalpha():
        return ("lower" if label.islower() else "upper"), ord(label.lower())
    return None


def comes_later(before: str, after: str) -> bool:
    """Whether `after` continues the enumeration of `before`, items left out or not («IV» ->
    «VI», «a» -> «d»)."""
    if follows(before, after):
        return True
    first, second = _rank(before), _rank(after)
    if first and first[0] == "upper" and before in _ROMAN:  # a lone «I», «V», «X»
        first = ("roman", _ROMAN[before])
    if second and second[0] == "upper" and after in _ROMAN and first and first[0] == "roman":
        second = ("roman", _ROMAN[after])
    return bool(first and second and first[0] == second[0] and second[1] > first[1])


def enumerated_run(line: str) -> tuple[str, list[str]] | None:
    """A line that holds enumerated items: (its introduction, the items). The line either opens
    with a label («I. La violencia psicológica. [1]») or holds, after an introduction ending in
    «:», two or more items whose labels follow each other («…son: [1] a) x; b) y [1]»). Items
    on one line are cut before each next label that follows a «;», «.» or «,» and its markers;
    the markers stay with the item they close."""
    start = 0
    intro = ""
    if not _ENUMERATED.match(line):
        opening = _RUN_OPENING.search(line)
        if opening is None:
            return None
        start = opening.end()
        intro = line[:start].strip()
    items: list[str] = []
    rest = line[start:]
    while True:
        label = label_of(rest)
        following = successors(label)
        cut = None
        for candidate in following:
            pattern = rf"[;.,]((?:\s*\[[^\]]*\])*)\s+(?={re.escape(candidate)}[.)]\s)"
            cut = re.search(pattern, rest[len(label) + 1 :])
            if cut:
                break
        if cut is None:
            items.append(rest.strip())
            break
        end = len(label) + 1 + cut.end()
        items.append(_CLOSING_PUNCTUATION.sub(r"\1", rest[:end].strip()))
        rest = rest[end:]
    if intro and len(items) < 2:
        return None
    return intro, items


_NUMERALS = (
    (100, "C"), (90, "XC"), (50, "L"), (40, "XL"), (10, "X"), (9, "IX"), (5, "V"), (4, "IV"),
    (1, "I"),
)  # fmt: skip


def _roman(number: int) -> str:
    out = ""
    for value, numeral in _NUMERALS:
        while number >= value:
            out += numeral
            number -= value
    return out
