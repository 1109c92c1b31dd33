"""The PDF page engine: rows of text measured first, then paginated, then drawn.

``render/pdf.py`` turns a bill into a flat list of ``Row``s (a row is one
line or a few, with its height known); ``paginate`` cuts that list into
pages; ``Painter`` draws them on a reportlab canvas with ``drawString``
only, so ledger text is never read as markup.

Pagination rules:

- a row marked ``glue`` stays on the page of the row before it: a table's
  heading and its first row, a group's heading and its first entry, the
  totals block with the last lines above it;
- a row that opens a new page inside a table gets that table's heading
  rows repeated above it;
- a chunk of glued rows taller than a whole page is split row by row, as
  little as possible.

All sizes here are points, not money.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

from billformat.render.fonts import FontChain, Style, run_width

Align = Literal["left", "right"]
LEADING = 1.35  # line height as a multiple of the font size  # not money


@dataclass(slots=True)
class Text:
    """A piece of text in a row: ``x`` is its left edge, or its right edge
    when ``align`` is ``right``; ``dy`` the baseline below the row's top."""

    x: float  # not money
    dy: float  # not money
    text: str
    style: Style
    align: Align = "left"


@dataclass(slots=True)
class Rule:
    """A horizontal line ``dy`` below the row's top."""

    x0: float  # not money
    x1: float  # not money
    dy: float  # not money
    color: str
    width: float = 0.6  # not money


@dataclass(slots=True)
class Row:
    height: float  # not money
    items: list = field(default_factory=list)
    glue: bool = False
    heading: tuple[Row, ...] = ()  # repeated above this row when it opens a page
    page_break: bool = False  # starts a new page (the accountant's trail)


@dataclass(slots=True)
class Picture:
    """An image file (the layout's logo), its top-right corner at ``x``, ``dy``."""

    path: str
    x: float  # not money
    dy: float  # not money
    width: float  # not money
    height: float  # not money


@dataclass(frozen=True)
class Frame:
    """The page and the area rows go in."""

    width: float  # not money
    height: float  # not money
    margin: float  # not money
    header: float  # room taken by the running header on pages after the first  # not money

    @property
    def left(self) -> float:  # not money
        return self.margin

    @property
    def right(self) -> float:  # not money
        return self.width - self.margin


def paginate(rows: list[Row], frame: Frame) -> list[list[Row]]:
    """``rows`` cut into pages that each fit ``frame``."""
    pages: list[list[Row]] = [[]]
    room = frame.height - 2 * frame.margin  # not money
    fresh = True  # nothing but repeated headings on the page yet

    def new_page(opening: Row) -> float:  # not money
        pages.append(list(opening.heading))
        return frame.height - 2 * frame.margin - frame.header - sum(row.height for row in opening.heading)

    for chunk in _chunks(rows):
        need = sum(row.height for row in chunk)  # not money
        if (need > room or chunk[0].page_break) and not fresh:
            room = new_page(chunk[0])
        if need <= room:
            pages[-1].extend(chunk)
            room -= need
            fresh = False
            continue
        for row in chunk:  # taller than a page: split it
            if row.height > room and not fresh:
                room = new_page(row)
            pages[-1].append(row)
            room -= row.height
            fresh = False
    return pages


def _chunks(rows: list[Row]):
    chunk: list[Row] = []
    for row in rows:
        if chunk and not row.glue:
            yield chunk
            chunk = []
        chunk.append(row)
    if chunk:
        yield chunk


class Painter:
    """Draws rows on a reportlab canvas.

    All the text of a page goes into one PDF text object (one ``BT``/``ET``),
    changing font and colour only when they change: fewer operators and much
    less work than a ``drawString`` per string.  ``finish_page`` closes it.
    """

    def __init__(self, canvas, fonts: FontChain) -> None:
        from reportlab.lib.colors import HexColor

        self.canvas = canvas
        self.fonts = fonts
        self._hex = HexColor
        self._colors: dict[str, object] = {}
        self._begin()

    def _begin(self) -> None:
        self._words = self.canvas.beginText()
        self._font: tuple[str, float] | None = None  # not money
        self._fill: str | None = None

    def rows(self, rows: list[Row], top: float) -> float:  # not money
        """Draw ``rows`` from ``top`` down; return where they end."""
        for row in rows:
            for item in row.items:
                if isinstance(item, Text):
                    self.text(item.x, top - item.dy, item.text, item.style, item.align)
                elif isinstance(item, Rule):
                    self.rule(item, top)
                else:
                    self.picture(item, top)
            top -= row.height
        return top

    def text(self, x: float, y: float, text: str, style: Style, align: Align = "left") -> None:  # not money
        if not text:
            return
        words = self._words
        size = style.size  # not money
        runs = self.fonts.runs(text, style.bold)
        if align == "right":
            x -= sum(run_width(font, piece, size) for font, piece in runs)
        if self._fill != style.color:
            words.setFillColor(self._color(style.color))
            self._fill = style.color
        words.setTextOrigin(x, y)
        for font, piece in runs:
            if self._font != (font, size):
                words.setFont(font, size)
                self._font = (font, size)
            words.textOut(piece)

    def rule(self, rule: Rule, top: float) -> None:  # not money
        canvas = self.canvas
        canvas.setStrokeColor(self._color(rule.color))
        canvas.setLineWidth(rule.width)
        canvas.line(rule.x0, top - rule.dy, rule.x1, top - rule.dy)

    def picture(self, picture: Picture, top: float) -> None:  # not money
        self.canvas.drawImage(
            picture.path, picture.x - picture.width, top - picture.dy - picture.height,
            picture.width, picture.height, preserveAspectRatio=True, anchor="ne", mask="auto",
        )

    def finish_page(self) -> None:
        """Put the page's text on it and start the next page."""
        self.canvas.drawText(self._words)
        self.canvas.showPage()
        self._begin()

    def _color(self, color: str):
        value = self._colors.get(color)
        if value is None:
            value = self._colors[color] = self._hex(color)
        return value


def wrap(fonts: FontChain, text: str, width: float,  # not money
         style: Style, max_lines: int = 8) -> list[str]:
    """``text`` broken into lines no wider than ``width``, at spaces where it
    can and inside a word where it must; past ``max_lines`` the last line
    ends in ``…``."""
    if not text or fonts.width(text, style.size, style.bold) <= width:
        return [text]
    lines: list[str] = []
    line = ""
    for word in text.split(" "):
        candidate = f"{line} {word}" if line else word
        if fonts.width(candidate, style.size, style.bold) <= width:
            line = candidate
            continue
        if line:
            lines.append(line)
        line = word
        while fonts.width(line, style.size, style.bold) > width and len(line) > 1:
            cut = _fit(fonts, line, width, style)
            lines.append(line[:cut])
            line = line[cut:]
        if len(lines) > max_lines:
            break
    lines.append(line)
    if len(lines) > max_lines:
        lines = lines[:max_lines]
        last = lines[-1]
        while last and fonts.width(last + "…", style.size, style.bold) > width:
            last = last[:-1]
        lines[-1] = last.rstrip() + "…"
    return lines


def _fit(fonts: FontChain, text: str, width: float, style: Style) -> int:  # not money
    """How many leading characters of ``text`` fit in ``width`` (at least one)."""
    low, high = 1, len(text)
    while low < high:
        middle = (low + high + 1) // 2
        if fonts.width(text[:middle], style.size, style.bold) <= width:
            low = middle
        else:
            high = middle - 1
    return low
