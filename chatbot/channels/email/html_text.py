"""HTML-only mail turned into text a human (and the language detector) can read."""
from __future__ import annotations

import re
from html.parser import HTMLParser

# Elements whose content is never shown to a reader of the mail.
_HIDDEN = {"script", "style", "head", "title", "noscript", "template", "svg", "object", "iframe"}
_BLOCK = {
    "p", "div", "section", "article", "header", "footer", "table", "tr", "ul", "ol", "dl", "dt", "dd",
    "h1", "h2", "h3", "h4", "h5", "h6", "pre", "form", "fieldset", "address", "center", "hr",
}
_VOID = {"br", "hr", "img", "meta", "link", "input", "area", "base", "col", "embed", "source", "wbr"}
_SPACES = re.compile(r"[ \t\r\n\f\v\u00a0]+")


class _TextExtractor(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.lines: list[str] = []
        self.current: list[str] = []
        self.hidden_depth = 0
        self.quote_depth = 0  # <blockquote> → "> " so the quote remover treats it as a quoted reply
        self.pre_depth = 0
        self.link: tuple[str, int] | None = None  # (href, index in current) of the open <a>

    def _newline(self) -> None:
        text = "".join(self.current)
        if self.pre_depth == 0:
            text = _SPACES.sub(" ", text).strip()
        self.current = []
        if not text and (not self.lines or not self.lines[-1]):
            return  # collapse runs of empty lines
        self.lines.append(("> " * self.quote_depth + text) if text else "")

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in _HIDDEN:
            if tag not in _VOID:
                self.hidden_depth += 1
            return
        if tag == "br":
            self._newline()
        elif tag in _BLOCK or tag in {"li", "blockquote"}:
            self._newline()
            if tag == "blockquote":
                self.quote_depth += 1
            elif tag == "pre":
                self.pre_depth += 1
            elif tag == "li":
                self.current.append("- ")
        elif tag in {"td", "th"}:
            self.current.append(" ")
        elif tag == "a":
            href = dict(attrs).get("href") or ""
            self.link = (href, len(self.current)) if href.startswith(("http", "mailto:")) else None
        elif tag == "img":
            alt = (dict(attrs).get("alt") or "").strip()
            if alt:
                self.current.append(f"[{alt}]")

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag not in _HIDDEN:
            self.handle_starttag(tag, attrs)

    def handle_endtag(self, tag: str) -> None:
        if tag in _HIDDEN:
            self.hidden_depth = max(0, self.hidden_depth - 1)
        elif tag == "a" and self.link is not None:
            href, start = self.link
            shown = "".join(self.current[start:]).strip()
            target = href.removeprefix("mailto:")
            if shown and target not in shown:  # keep where a link points; support needs the URL
                self.current.append(f" <{target}>")
            self.link = None
        elif tag in _BLOCK or tag in {"li", "blockquote"}:
            self._newline()
            if tag == "blockquote":
                self.quote_depth = max(0, self.quote_depth - 1)
            elif tag == "pre":
                self.pre_depth = max(0, self.pre_depth - 1)

    def handle_data(self, data: str) -> None:
        if self.hidden_depth == 0:
            self.current.append(data)

    def text(self) -> str:
        self._newline()
        return "\n".join(self.lines).strip()


def html_to_text(html: str) -> str:
    """Readable text of an HTML body: scripts and styles dropped, blocks as lines, quotes as '> '."""
    parser = _TextExtractor()
    try:
        parser.feed(html)
        parser.close()
    except (AssertionError, ValueError):  # html.parser's own errors on pathological markup
        pass
    return parser.text()
