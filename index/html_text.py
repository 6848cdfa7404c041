"""HTML pages: the main content as typed lines (headings, list items, table rows, paragraphs)
and the page's metadata (title, author, date, publisher, description)."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from index.cleaning import CleanText, finish
from index.lines import BLANK, Line, normalize_unicode

if TYPE_CHECKING:
    from bs4 import BeautifulSoup, Tag

_DROPPED = (
    "script", "style", "noscript", "iframe", "template", "svg", "canvas", "object", "embed",
    "form", "button", "input", "select", "textarea", "nav", "aside", "header", "footer", "img",
)  # fmt: skip
_HEADINGS = {"h1": 1, "h2": 2, "h3": 3, "h4": 4, "h5": 5, "h6": 6}
_BLOCKS = {
    "p", "div", "section", "article", "main", "blockquote", "pre", "ul", "ol", "dl", "dt", "dd",
    "table", "thead", "tbody", "tfoot", "figure", "figcaption", "address", "center", "details",
    "summary", "hr", "fieldset", "caption",
}  # fmt: skip
_SPACES = re.compile(r"\s+")
_TITLE_SUFFIX = re.compile(r"\s+[-|–—·:]\s+[^-|–—·:]{2,60}$")


def clean_html(markup: str) -> CleanText:
    """Clean an HTML page: the article body (itemprop=articleBody, <article>, <main>, else
    <body>) without navigation, asides, headers, footers, forms or scripts."""
    lines, metadata = html_lines(markup)
    text, _ = finish(lines, wrapped=False)
    return CleanText(text, (), metadata)


def html_lines(markup: str) -> tuple[list[Line], dict[str, str]]:
    """The main content of an HTML page as lines, and its metadata."""
    from bs4 import BeautifulSoup, FeatureNotFound
    from bs4.element import Tag

    try:
        soup = BeautifulSoup(normalize_unicode(markup), "lxml")
    except FeatureNotFound:  # lxml missing: the standard library parser still works
        soup = BeautifulSoup(normalize_unicode(markup), "html.parser")
    metadata = _metadata(soup)
    for name in ("script", "style", "noscript", "template"):
        for tag in soup.find_all(name):
            tag.decompose()
    found = (
        soup.find(itemprop="articleBody")
        or soup.find("article")
        or soup.find("main")
        or soup.find(role="main")
        or soup.body
    )
    main: Tag = found if isinstance(found, Tag) else soup
    for tag in main.find_all(_DROPPED):
        tag.decompose()
    renderer = _Renderer()
    renderer.walk(main)
    renderer.flush()
    return renderer.lines, metadata


class _Renderer:
    """Walks the DOM, collecting inline text into the current block and cutting blocks at
    block-level tags."""

    def __init__(self) -> None:
        self.lines: list[Line] = []
        self.buffer: list[str] = []

    def flush(self, kind: str = "text", blank: bool = True) -> None:
        text = _SPACES.sub(" ", "".join(self.buffer)).strip()
        self.buffer.clear()
        if text:
            self.lines.append(Line(text, "item" if kind == "item" else "text"))
        if blank and self.lines and self.lines[-1].kind != "blank":
            self.lines.append(BLANK)

    def walk(self, node: Tag) -> None:
        from bs4.element import Comment, NavigableString, Tag

        for child in node.children:
            if isinstance(child, Comment):
                continue
            if isinstance(child, NavigableString):
                self.buffer.append(str(child))
                continue
            if not isinstance(child, Tag):
                continue
            name = child.name.lower()
            if name in _HEADINGS:
                self.flush()
                text = _SPACES.sub(" ", child.get_text(" ")).strip()
                if text:
                    self.lines.append(Line(text, "heading", level=_HEADINGS[name]))
            elif name == "br":
                self.flush(blank=False)
            elif name == "li":
                self.flush()
                self.walk_item(child)
            elif name == "tr":
                self.flush()
                cells = [
                    _SPACES.sub(" ", c.get_text(" ")).strip() for c in child.find_all(["td", "th"])
                ]
                row = " | ".join(cell for cell in cells if cell)
                if row:
                    self.lines.append(Line(row, "row"))
            elif name in _BLOCKS:
                self.flush()
                self.walk(child)
                self.flush()
            else:
                self.walk(child)

    def walk_item(self, item: Tag) -> None:
        """A list item: its own text becomes an item line; nested lists follow as their items."""
        from bs4.element import NavigableString, Tag

        for child in item.children:
            if isinstance(child, Tag) and child.name.lower() in ("ul", "ol"):
                self.flush("item")
                self.walk(child)
            elif isinstance(child, NavigableString):
                self.buffer.append(str(child))
            elif isinstance(child, Tag):
                block = child.name.lower() in _BLOCKS
                self.buffer.append(" " if block else "")  # <li><p>a</p><p>b</p></li> is "a b"
                self.walk(child)
                self.buffer.append(" " if block else "")
        self.flush("item")


def _metadata(soup: BeautifulSoup) -> dict[str, str]:
    """Title (first <h1>, else <title> without the site suffix), author, date, publisher,
    description and keywords, from <meta> tags and schema.org microdata."""
    from bs4.element import Tag

    meta: dict[str, str] = {}

    def put(key: str, value: object) -> None:
        text = _SPACES.sub(" ", value).strip() if isinstance(value, str) else ""
        if text and key not in meta:
            meta[key] = text

    def text_of(tag: object) -> str | None:
        return tag.get_text(" ") if isinstance(tag, Tag) else None

    metas: dict[str, str] = {}
    for tag in soup.find_all("meta"):
        key, value = (
            tag.get("name") or tag.get("property") or tag.get("itemprop"),
            tag.get("content"),
        )
        if isinstance(key, str) and isinstance(value, str):
            metas.setdefault(key.lower(), value)

    put("title", text_of(soup.find("h1")))
    if soup.title is not None:
        put("title", _TITLE_SUFFIX.sub("", soup.title.get_text(" ").strip()))
    put("title", metas.get("og:title"))
    for key in ("author", "description", "keywords"):
        put(key, metas.get(key))
    put("author", text_of(soup.find(itemprop="author")))
    for key in ("datepublished", "article:published_time", "date"):
        put("date", metas.get(key))
    published = soup.find("time")
    if isinstance(published, Tag):
        put("date", published.get("datetime"))
    publisher = soup.find(itemprop="publisher")
    if isinstance(publisher, Tag):
        put("publisher", text_of(publisher.find(itemprop="name")))
    return meta
