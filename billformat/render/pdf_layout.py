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
from functools import lru_cache
from typing import Literal

from billformat.render.fonts import FontChain, Style

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

    Text in the PDF's built-in fonts (Helvetica and the other standard
    fonts, which cover most bills) is written as PDF text operators, one
    ``BT``/``ET`` block a page, changing font and colour only when they
    change: reportlab's ``textOut`` measures, re-encodes and re-checks every
    string, which cost more than all the rest of a bill.  The text is
    encoded with the font's own encoding and escaped with reportlab's
    ``escapePDF``, as reportlab does it.  A line with a piece in an
    embedded font (the DejaVu and CJK fallbacks) goes through a reportlab
    text object, which subsets the font, in its place in the page's order.
    """

    def __init__(self, canvas, fonts: FontChain) -> None:
        from reportlab.lib.colors import HexColor
        from reportlab.lib.rl_accel import escapePDF, fp_str

        self.canvas = canvas
        self.fonts = fonts
        self._hex = HexColor
        self._escape = escapePDF
        self._number = fp_str
        self._colors: dict[str, object] = {}
        self._fills: dict[str, str] = {}  # colour -> its fill operator
        self._standard: dict[str, tuple[str, str, bool] | None] = {}  # font -> _builtin(font)
        # The font a printable ASCII line is set in, by boldness, with its PDF
        # name, when that is a built-in font writing ASCII as ASCII; else None.
        self._plain: dict[bool, tuple[str, str] | None] = {}
        self._begin()

    def _begin(self) -> None:
        self._ops: list[str] = []  # text in built-in fonts not yet on the page, as PDF operators
        self._ops_font: tuple[str, float] | None = None  # not money
        self._ops_fill: str | None = None

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
        size = style.size  # not money
        bold = style.bold
        if align == "right":
            x -= self.fonts.width(text, size, bold)
        if text.isascii() and text.isprintable():
            plain = self._plain.get(bold, False)
            if plain is False:
                plain = self._plain[bold] = self._plain_font(bold)
            if plain is not None:  # most of a bill: one run, the same bytes, no look-ups
                encoded = [(plain[0], plain[1], self._escape(text))]
            else:
                encoded = self._encoded(self.fonts.runs(text, bold))
        else:
            encoded = self._encoded(self.fonts.runs(text, bold))
        if encoded is None:
            self._flush()  # what came before stays before it in the page's text
            self._text_object(x, y, self.fonts.runs(text, bold), style)
            return
        ops = self._ops
        if self._ops_fill != style.color:
            ops.append(self._fill_operator(style.color))
            self._ops_fill = style.color
        ops.append(f"1 0 0 1 {self._number(x, y)} Tm")
        for (font, pdf_name, piece) in encoded:
            if self._ops_font != (font, size):
                ops.append(f"{pdf_name} {self._number(size)} Tf")
                self._ops_font = (font, size)
            ops.append(f"({piece}) Tj")

    def _encoded(self, runs) -> list[tuple[str, str, str]] | None:
        """Each run as (font, the font's PDF name, its text encoded and escaped),
        or ``None`` when a run is in a font that is not built in."""
        encoded = []
        for font, piece in runs:
            standard = self._standard.get(font, False)
            if standard is False:
                standard = self._standard[font] = self._builtin(font)
            if standard is None:
                return None
            pdf_name, encoding, keeps_ascii = standard
            if keeps_ascii and piece.isascii() and piece.isprintable():
                encoded.append((font, pdf_name, self._escape(piece)))  # the same bytes, encoded or not
                continue
            try:
                encoded.append((font, pdf_name, self._escape(piece.encode(encoding))))
            except UnicodeEncodeError:  # not in the font's encoding: let reportlab handle it
                return None
        return encoded

    def _plain_font(self, bold: bool) -> tuple[str, str] | None:
        """The font and PDF name that set a printable ASCII line (``bold`` or
        not) as one run of its own bytes, or ``None`` when that takes the
        general way (a chain whose font lacks ASCII, or an embedded font)."""
        if not self.fonts.ascii:
            return None
        ((font, _),) = self.fonts.runs("A", bold)  # an ASCII line is one run in this font
        standard = self._standard.get(font, False)
        if standard is False:
            standard = self._standard[font] = self._builtin(font)
        if standard is None or not standard[2]:
            return None
        return font, standard[0]

    def _builtin(self, font: str) -> tuple[str, str, bool] | None:
        """The PDF name and encoding of ``font`` if it is one of the PDF's
        built-in fonts (nothing to embed), and whether that encoding writes
        printable ASCII as ASCII; else ``None``."""
        from reportlab.pdfbase import pdfmetrics

        face = pdfmetrics.getFont(font)
        if face._dynamicFont or face._multiByte or not getattr(face.face, "builtIn", False):
            return None
        # Registers the font with the document, as setFont does.
        return self.canvas._doc.getInternalFontName(font), face.encName, _keeps_ascii(face.encName)

    def _fill_operator(self, color: str) -> str:
        operator = self._fills.get(color)
        if operator is None:
            value = self._color(color)
            operator = self._fills[color] = f"{self._number(value.red, value.green, value.blue)} rg"
        return operator

    def _text_object(self, x: float, y: float, runs, style: Style) -> None:  # not money
        """Text with a piece in an embedded font, through reportlab's text object."""
        words = self.canvas.beginText(x, y)
        words.setFillColor(self._color(style.color))
        for font, piece in runs:
            words.setFont(font, style.size)
            words.textOut(piece)
        self.canvas.drawText(words)

    def _flush(self) -> None:
        """Put the text written so far on the page."""
        if self._ops:
            # q/Q keep the text's font and fill colour from leaking into what
            # the canvas draws next.
            self.canvas.addLiteral(f"q BT {' '.join(self._ops)} ET Q")
            self._begin()

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
        self._flush()
        self.canvas.showPage()

    def _color(self, color: str):
        value = self._colors.get(color)
        if value is None:
            value = self._colors[color] = self._hex(color)
        return value


@lru_cache(maxsize=None)
def _keeps_ascii(encoding: str) -> bool:
    """Whether ``encoding`` (reportlab's codec of a standard font) encodes
    every printable ASCII character as its own byte, as WinAnsi does."""
    for code in range(0x20, 0x7F):
        try:
            if chr(code).encode(encoding) != bytes([code]):
                return False
        except UnicodeEncodeError:
            return False
    return True


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
