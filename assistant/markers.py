"""Citation markers: the `[n]` after a claim that names the passage backing it. The one grammar
of markers, and everything done to them: reading their keys, deciding which claim each one
closes, dropping keys that were never offered, renumbering, shifting, linking. Generators,
the crisis guidance, the window and the exports all come here.

The grammar: a marker is `[`, keys separated by `,`, `;` or `y`, or a range `1-3`, then `]`:
"[1]", "[1, 2]", "[1 y 3]", "[2-4]". Written out, each key gets its own brackets: "[1][2]"."""

from __future__ import annotations

import re
from collections.abc import Callable, Collection, Mapping, Sequence
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING

from index.sentences import split_sentence_spans

if TYPE_CHECKING:
    from assistant.answer import Citation

MARKER = re.compile(r"\[\s*(\d+(?:\s*(?:,|;|y|-|–)\s*\d+)*)\s*\]")
_RANGE = re.compile(r"(\d+)\s*[-–]\s*(\d+)")
_MAX_KEY = 50  # "[1-3]" is 1, 2, 3; "[2023-2025]" is no range of passages
_LEADING_MARKERS = re.compile(r"^\s*((?:\[\d+\]\s*)+)")
# A marker closes its claim when it follows clause punctuation ("Hospedaje; [1] Alimentación")
# or is followed by what starts another claim: a capital, an enumerator, a bullet, a quote.
_CLOSING = re.compile(
    rf"(?<=[.;:!?»\"”)])\s*(?:{MARKER.pattern})+(?=\s+\S)"
    rf"|(?<=[^\s\]])\s*(?:{MARKER.pattern})+"
    r"(?=\s+(?:[A-ZÁÉÍÓÚÑ¿¡«\"“]|[IVXL]+\.|\d+[.)]\s|[-•*]\s))"
)
_BARE_ENUMERATOR = re.compile(r"^\s*(?:[IVXLC]+|\d{1,3}|[a-z])[.)]\s*$")
_ENUMERATOR = re.compile(r"^\s*(?:[-*•–]|\d{1,2}[.)]|[a-z][.)])\s+")
_HEADING = re.compile(r"^\s*(#{1,6}\s+.+|\*\*[^*]+\*\*:?|[^\[\]\d]{1,80}:)\s*$")
KeyMap = Callable[[str], "str | None"]


def _group_keys(group: str) -> list[str]:
    """The keys of one marker's inside: "1, 2" -> 1, 2; "1 y 3" -> 1, 3; "2-4" -> 2, 3, 4."""
    keys: list[str] = []
    for part in re.split(r"\s*(?:,|;|\by\b)\s*", group):
        span = _RANGE.fullmatch(part.strip())
        if span and int(span[1]) < int(span[2]) <= _MAX_KEY:
            keys += [str(n) for n in range(int(span[1]), int(span[2]) + 1)]
        else:
            keys += re.findall(r"\d+", part)
    return keys


def marker_keys(text: str) -> list[str]:
    """Keys of all markers in `text`, in order, repeats included."""
    return [k for m in MARKER.finditer(text) for k in _group_keys(m.group(1))]


def cited_keys(text: str) -> list[str]:
    """The keys `text` cites, each once, in order of first use."""
    return list(dict.fromkeys(marker_keys(text)))


def mark(keys: Sequence[str]) -> str:
    """Markers written out: ["1", "3"] -> "[1][3]"."""
    return "".join(f"[{k}]" for k in keys)


def rewrite(text: str, key_map: KeyMap) -> str:
    """`text` with every marker's keys passed through `key_map` (None drops a key) and written
    out one per bracket. A marker left without keys goes with the space before it."""

    def rewritten(match: re.Match[str]) -> str:
        keys = [new for k in _group_keys(match.group(2)) if (new := key_map(k)) is not None]
        if keys:
            return match.group(1) + mark(list(dict.fromkeys(keys)))
        following = match.string[match.end() : match.end() + 1]
        return " " if following and not following.isspace() and following not in ".,;:!?" else ""

    return re.sub(r"([ \t]*)" + MARKER.pattern, rewritten, text)


def drop_unoffered(text: str, offered: Collection[str]) -> str:
    """`text` keeping only the keys that were offered ("[1, 7]" -> "[1]" when 1..4 were shown;
    "[7]" disappears)."""
    return rewrite(text, lambda k: k if k in offered else None)


def renumber(text: str, mapping: Mapping[str, str]) -> str:
    """`text` with each key rewritten through `mapping`; keys it does not name are kept."""
    return rewrite(text, lambda k: mapping.get(k, k))


def shift(text: str, offset: int) -> str:
    """Every key moved by `offset` ("[1]" -> "[3]" for offset 2)."""
    return text if not offset else rewrite(text, lambda k: str(int(k) + offset))


def without_markers(text: str) -> str:
    """`text` with its markers taken out and the spacing they leave behind mended."""
    bare = " ".join(MARKER.sub(" ", text).split())
    return re.sub(r" ([.,;:!?])", r"\1", bare)


def link(text: str, linked: Callable[[str], str]) -> str:
    """`text` with each marker replaced by `linked(key)` for each of its keys (the window
    turns them into links to their source cards)."""
    return MARKER.sub(lambda m: "".join(linked(k) for k in _group_keys(m.group(1))), text)


def shifted_sink(sink: Callable[[str], None], offset: int) -> Callable[[str], None]:
    """A sink that shifts the markers of streamed text by `offset`, holding back a marker cut
    between two pieces ("[" … "2]") until it is whole."""
    held = ""

    def receive(piece: str) -> None:
        nonlocal held
        text = held + piece
        cut = re.search(r"\[[\d,;y\s–-]*$", text)
        held = text[cut.start() :] if cut else ""
        text = text[: cut.start()] if cut else text
        if text:
            sink(shift(text, offset))

    return receive


def renumber_answer(
    text: str, citations: Sequence[Citation], first: int = 1
) -> tuple[str, tuple[Citation, ...]]:
    """The answer with its citations numbered `first`, `first + 1`… in order of first use in
    `text`; citations the text never uses are dropped, markers naming no citation too."""
    by_key = {c.key: c for c in citations}
    order = [k for k in cited_keys(text) if k in by_key]
    mapping = {old: str(first + n) for n, old in enumerate(order)}
    renumbered = rewrite(text, lambda k: mapping.get(k))
    return renumbered, tuple(replace(by_key[old], key=new) for old, new in mapping.items())


def shift_citations(
    text: str, citations: Sequence[Citation], offset: int
) -> tuple[str, tuple[Citation, ...]]:
    """The answer and its citations with every key moved by `offset` (an answer shown after
    crisis guidance that cites passages of its own)."""
    moved = tuple(replace(c, key=str(int(c.key) + offset)) for c in citations)
    return shift(text, offset), moved


# --- which claim each marker closes ---------------------------------------------------------


@dataclass(frozen=True)
class Claim:
    """One sentence or list item of an answer: `text` as written (markers included), `body`
    without markers or list bullets, `keys` the markers citing it, `line` the answer line it
    is on (list items and headings keep their lines), `structural` for headings."""

    text: str
    body: str
    keys: tuple[str, ...]
    line: int
    structural: bool = False


def _body(text: str) -> str:
    body = _ENUMERATOR.sub("", without_markers(text))
    return " ".join(re.sub(r"[#*_`]+", " ", body).split())


def _pieces(line: str) -> list[str]:
    """The line's sentences, each also cut after a marker that closes a claim inside it (a
    sentence splitter does not end "Hospedaje; [1] Alimentación…")."""
    pieces: list[str] = []
    for a, b in split_sentence_spans(line):
        sentence, start = line[a:b], 0
        for closing in _CLOSING.finditer(sentence):
            pieces.append(sentence[start : closing.end()])
            start = closing.end()
        pieces.append(sentence[start:])
    merged: list[str] = []
    for piece in (p for p in pieces if p.strip()):
        if merged and _BARE_ENUMERATOR.match(merged[-1]):  # "II." cut from its item
            merged[-1] = f"{merged[-1].rstrip()} {piece.lstrip()}"
        else:
            merged.append(piece)
    return merged


def split_claims(text: str) -> list[Claim]:
    """The claims of an answer. A marker belongs to the claim it follows; markers opening a
    sentence ("[2] Si tu pareja…") go back to the previous sentence when that one has none,
    since small models put the period before the marker."""
    claims: list[Claim] = []
    for line_number, line in enumerate(text.split("\n")):
        if not line.strip():
            continue
        for index, piece in enumerate(_pieces(line)):
            lead = _LEADING_MARKERS.match(piece)
            if lead and index > 0 and claims and claims[-1].line == line_number:
                previous = claims[-1]
                if not previous.keys:
                    claims[-1] = replace(
                        previous,
                        text=f"{previous.text} {lead.group(1).strip()}",
                        keys=tuple(marker_keys(lead.group(1))),
                    )
                    piece = piece[lead.end() :]
            if not any(ch.isalnum() for ch in _body(piece)):
                continue
            keys = tuple(cited_keys(piece))
            structural = not keys and bool(_HEADING.match(piece))
            claims.append(Claim(piece.strip(), _body(piece), keys, line_number, structural))
    return claims


def assemble(claims: Sequence[Claim]) -> str:
    """The answer text from the claims that survive, keeping their lines; a heading stays only
    if something survives under it."""
    lines: dict[int, list[Claim]] = {}
    for claim in claims:
        lines.setdefault(claim.line, []).append(claim)
    ordered = [lines[n] for n in sorted(lines)]
    kept: list[str] = []
    for position, group in enumerate(ordered):
        if all(c.structural for c in group):
            following = ordered[position + 1 :]
            if not any(not c.structural for g in following[:1] for c in g):
                continue
        kept.append(" ".join(c.text for c in group))
    return "\n".join(kept).strip()
