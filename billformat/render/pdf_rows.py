"""A bill's view laid out as PDF rows: what goes where on the page.

``Composer`` takes the ``BillView`` (every string already cleaned and
formatted by ``render/view.py``) and returns the rows ``pdf_layout``
paginates and draws.  Every amount of a column is drawn right-aligned at one
x, so the decimal points stand under each other.  Positions derive from the
frame and the layout's sizes; all numbers here are points, not money.
"""

from __future__ import annotations

from pathlib import Path
from typing import NamedTuple

from billformat.layouts import PdfSettings
from billformat.render.fonts import FontChain, Style
from billformat.render.pdf_layout import (
    LEADING,
    Align,
    Frame,
    Picture,
    Row,
    Rule,
    Text,
    wrap,
)
from billformat.render.view import BillView
from billformat.render.view import Row as Figure

MM = 72 / 25.4  # points in a millimetre  # not money
KEEP_WITH_TOTALS = 2  # lines above the totals block that move with it
LOGO_HEIGHT = 14 * MM  # not money


class Cell(NamedTuple):
    """A cell of a table row; with a ``width`` its text wraps to ``lines`` lines."""

    x: float  # not money
    text: str
    style: Style | None = None  # the table's small text
    align: Align = "left"
    width: float | None = None  # not money
    lines: int = 4


class Composer:
    """Lays out one bill view on one kind of page (a sheet or a receipt roll)."""

    def __init__(self, view: BillView, settings: PdfSettings, frame: Frame, fonts: FontChain,
                 roll: bool, number: str = "", logo: Path | None = None) -> None:
        colors = settings.colors
        size, small = settings.font_size, settings.small_size  # not money
        self.view, self.fonts, self.roll, self.logo, self.number = view, fonts, roll, logo, number
        self.words = view.words
        self.body = Style(False, size, colors.text)
        self.strong = Style(True, size, colors.text)
        self.small = Style(False, small, colors.muted)
        self.small_text = Style(False, small, colors.text)
        self.label = Style(True, small, colors.muted)
        self.kicker = Style(True, small + 0.5, colors.accent)
        self.sentence = Style(False, settings.title_size, colors.text)
        self.section = Style(True, size * 1.15, colors.text)
        self.total = Style(True, size * 1.1, colors.text)
        self.balance = Style(True, size * 1.15, colors.accent)
        self.tint = _tint(colors.accent, 0.92)
        self.rule_color = colors.rule
        self.left, self.right = frame.left, frame.right
        self.amount_width = settings.amount_column_mm * MM  # not money
        self.gap = size * (0.6 if roll else 1.4)  # not money

    # -- the whole bill ------------------------------------------------------

    def rows(self) -> list[Row]:
        view = self.view
        rows = [*self._top(), *self._parties()]
        if view.is_statement and view.statement is not None:
            rows += self._statement()
        elif view.details:
            rows += self._detailed_face()
        else:
            rows += self._face()
        rows += self._declined()
        if view.trail:
            rows += self._trail()
        return rows

    # -- the top: what this is and where the customer stands ----------------

    def _top(self) -> list[Row]:
        kicker = Row(self.kicker.size * LEADING + 4,
                     [Text(self.left, self.kicker.size, self._kicker_text(), self.kicker)])
        width = (self.right - self.left) * (1 if self.roll else 0.9)  # not money
        rows = [kicker]
        if self.logo is not None:
            height = LOGO_HEIGHT  # not money
            if self.roll:  # a receipt has no room beside it: the logo stands above
                logo = Picture(str(self.logo), self.right, 0, self.right - self.left, height)
                rows.insert(0, Row(height + 4, [logo]))
            else:  # a page has it at the top right, and the sentence keeps clear of it
                kicker.items.append(Picture(str(self.logo), self.right, 0, height * 3, height))
                width = self.right - self.left - height * 3 - self.gap
        lines = wrap(self.fonts, self.view.situation, width, self.sentence, max_lines=6)
        return [*rows, self._lines(lines, self.sentence, 1.25), self._space(self.gap)]

    def _kicker_text(self) -> str:
        return f"{self.view.title} {self.number}" if self.number else self.view.title

    def _parties(self) -> list[Row]:
        view = self.view
        columns = [(self.words["from"], view.seller), (self.words["to"], view.customer)]
        columns = [(title, lines) for title, lines in columns if lines]
        if self.roll:
            rows = []
            for title, lines in columns:
                rows.append(self._party(title, lines, self.left, self.right - self.left))
                rows.append(self._space(self.gap * 0.5))
            rows += [self._pair(label, value, self.small, self.small_text) for label, value in view.facts]
            return [*rows, self._space(self.gap)]
        width = self.right - self.left  # not money
        facts_width = width * 0.34  # not money
        party_width = (width - facts_width) / 2 - 12  # not money
        row = Row(0)
        for index, (title, lines) in enumerate(columns):
            part = self._party(title, lines, self.left + index * (party_width + 12), party_width)
            row.items += part.items
            row.height = max(row.height, part.height)
        facts = self._facts(self.right - facts_width, facts_width)
        row.items += facts.items
        row.height = max(row.height, facts.height)
        return [row, self._space(self.gap)]

    def _party(self, title: str, lines: tuple[str, ...], x: float, width: float) -> Row:  # not money
        items = [Text(x, self.label.size, title.upper() if title.isascii() else title, self.label)]
        dy = self.label.size * LEADING + self.body.size  # not money
        for index, line in enumerate(lines):
            style = self.strong if index == 0 else self.small_text
            for piece in wrap(self.fonts, line, width, style, max_lines=2):
                items.append(Text(x, dy, piece, style))
                dy += style.size * LEADING
        return Row(dy - self.body.size + self.body.size * 0.4, items)

    def _facts(self, x: float, width: float) -> Row:  # not money
        labels = [label for label, _ in self.view.facts]
        widths = [self.fonts.width(label, self.small.size) for label in labels]
        label_width = max(widths, default=0)  # not money
        items, dy = [], self.label.size * LEADING + self.body.size  # not money
        for label, value in self.view.facts:
            items.append(Text(x, dy, label, self.small))
            for piece in wrap(self.fonts, value, width - label_width - 8, self.small_text, max_lines=2):
                items.append(Text(x + label_width + 8, dy, piece, self.small_text))
                dy += self.small_text.size * LEADING
        return Row(dy, items)

    # -- the face ------------------------------------------------------------

    def _face(self) -> list[Row]:
        view = self.view
        rows = [self._figure(row, self.body) for row in view.face]
        return [*rows, *self._totals(rows)]

    def _detailed_face(self) -> list[Row]:
        words = self.words
        inner = self.right - self.amount_width  # the entries' amount column  # not money
        entries = [entry for group in self.view.details for entry in group.rows]
        figures = self._widest([entry.amount for entry in entries]) + self.gap  # not money
        # A receipt has no room for a date column: the date opens the label.
        label_x = self.left + self.small.size * (1 if self.roll else 5)  # not money
        columns = [(label_x, words["details"], "left"), (inner, words["amount"], "right"),
                   (self.right, words["total"], "right")]
        if not self.roll:
            columns.insert(0, (self.left, words["date"], "left"))
        heading = self._headings(columns)
        rows: list[Row] = [heading]
        for group in self.view.details:
            top = self._figure(Figure(group.heading, group.amount), self.strong, inner - self.gap)
            top.heading, top.glue = (heading,), len(rows) == 1
            rows.append(top)
            for number, entry in enumerate(group.rows):
                label = f"{entry.label} · {entry.note}" if entry.note else entry.label
                cells = [Cell(label_x, label, width=inner - figures - label_x, lines=12),
                         Cell(inner, entry.amount, align="right")]
                if self.roll:
                    cells[0] = Cell(label_x, f"{entry.date} {label}".strip(), width=cells[0].width, lines=12)
                else:
                    cells.append(Cell(self.left, entry.date, self.small))
                rows.append(self._cells(cells, heading, glue=number == 0))
            rows.append(self._space(self.body.size * 0.5))
        return [*rows, *self._totals([row for row in rows[1:] if row.items])]

    def _figure(self, figure: Figure, style: Style, label_right: float | None = None) -> Row:  # not money
        label_right = label_right if label_right is not None else self.right - self.amount_width
        lines = wrap(self.fonts, figure.label, label_right - self.left, style, max_lines=4)
        line_height = style.size * LEADING  # not money
        pad = self.body.size * (0.3 if self.roll else 0.45)  # not money
        items = [Text(self.left, pad + style.size + i * line_height, line, style)
                 for i, line in enumerate(lines)]
        # Every figure of the column is set at one size, so that right-aligned
        # at one x their decimal points stand under each other too.
        figure_style = Style(style.bold, self.body.size, style.color)
        items.append(Text(self.right, pad + style.size, figure.amount, figure_style, "right"))
        return Row(len(lines) * line_height + 2 * pad, items)

    def _totals(self, above: list[Row]) -> list[Row]:
        """Total, payments and balance: one block, kept with the lines above it."""
        view = self.view
        for row in above[-KEEP_WITH_TOTALS:][1:]:
            row.glue = True
        block = [Row(4, [Rule(self.left, self.right, 2, self.rule_color, 0.8)])]
        if view.total is not None:
            block.append(self._figure(view.total, self.total))
        block += [self._figure(row, self.body) for row in view.payments]
        if view.balance is not None:
            block.append(Row(self.body.size * 0.3))
            block.append(self._highlight(self._figure(view.balance, self.balance)))
        for row in block:
            row.glue = True
        return block

    def _declined(self) -> list[Row]:
        declined = self.view.declined
        if not declined:
            return []
        named = ", ".join(f"{row.label} {row.amount}" for row in declined)
        text = f"{self.words['declined']}: {named} — {self.words['not_charged']}"
        lines = wrap(self.fonts, text, self.right - self.left, self.small, max_lines=6)
        return [self._space(self.gap), self._lines(lines, self.small)]

    # -- statements ----------------------------------------------------------

    def _statement(self) -> list[Row]:
        statement = self.view.statement
        rows = [self._figure(row, self.body) for row in statement.summary[:-1]]
        rows += [Row(4, [Rule(self.left, self.right, 2, self.rule_color, 0.8)], glue=True)]
        if statement.summary:
            closing = self._highlight(self._figure(statement.summary[-1], self.balance))
            closing.glue = True
            rows.append(closing)
        words = self.words
        amount_x = self.right - self.amount_width  # not money
        date_width = self.small.size * 5.5  # not money
        if statement.movements:
            label_x = self.left + date_width  # not money
            heading = self._headings([(self.left, words["date"], "left"),
                                      (amount_x, words["amount"], "right"),
                                      (self.right, words["balance"], "right")])
            rows += [self._space(self.gap), self._section(words["movements"]), heading]
            for index, movement in enumerate(statement.movements):
                label = movement.label
                if movement.number and movement.number not in label:
                    label = f"{words['check_number']} {movement.number} · {label}"
                rows.append(self._cells(
                    [Cell(self.left, movement.date),
                     Cell(label_x, label, width=amount_x - self.amount_width * 0.9 - label_x),
                     Cell(amount_x, movement.amount, align="right"),
                     Cell(self.right, movement.balance, align="right")],
                    heading, glue=index == 0))
        if statement.checks:
            date_x = self.left + self.small.size * 5  # not money
            label_x = date_x + date_width  # not money
            heading = self._headings([(self.left, words["check_number"], "left"),
                                      (date_x, words["date"], "left"),
                                      (self.right, words["amount"], "right")])
            rows += [self._space(self.gap), self._section(words["checks"]), heading]
            for index, check in enumerate(statement.checks):
                rows.append(self._cells(
                    [Cell(self.left, check.number), Cell(date_x, check.date),
                     Cell(label_x, check.label, width=amount_x - label_x),
                     Cell(self.right, check.amount, align="right")],
                    heading, glue=index == 0))
        if statement.missing:
            lines = wrap(self.fonts, statement.missing, self.right - self.left, self.strong)
            rows += [self._space(self.gap * 0.5), self._lines(lines, self.strong)]
        return rows

    # -- the accountant's trail ------------------------------------------------

    def _trail(self) -> list[Row]:
        """Every ledger entry, where it went, and the sums that tie it to the face.

        A page sets entry, date, raw text, destination and amount in columns;
        a receipt, too narrow for that, puts the destination under the text."""
        words = self.words
        view = self.view
        figures = self._widest([step.amount for step in view.trail]) + self.gap  # not money
        went_right = self.right - figures  # not money
        if self.roll:
            date_x = None
            text_x = went_x = self.left + self.small.size * 3  # not money
            columns = [(self.left, words["entry"], "left"), (text_x, words["text"], "left")]
        else:
            date_x = self.left + self.small.size * 4  # not money
            text_x = date_x + self.small.size * 5  # not money
            went_x = went_right - (self.right - self.left) * 0.28  # not money
            columns = [(self.left, words["entry"], "left"), (date_x, words["date"], "left"),
                       (text_x, words["text"], "left"), (went_x, words["went_to"], "left")]
        heading = self._headings([*columns, (self.right, words["amount"], "right")])
        title = self._section(words["trail"])
        title.page_break = not self.roll
        rows = [title, Row(heading.height, heading.items, glue=True)]
        if self.roll:
            rows.insert(0, self._space(self.gap * 2))
        for index, step in enumerate(view.trail):
            destination = Cell(went_x, step.to, self.small, width=went_right - went_x - 4, lines=3)
            cells = [Cell(self.left, step.entry, self.small), Cell(self.right, step.amount, align="right")]
            if self.roll:
                text = f"{step.date} {step.text}".strip()
                cells.append(Cell(text_x, text, width=went_right - text_x, lines=16))
                rows.append(self._cells(cells, heading, glue=index == 0))
                rows.append(self._cells([Cell(went_x, f"→ {step.to}", self.small, width=destination.width,
                                              lines=3)], heading, glue=True))
            else:
                cells += [Cell(date_x, step.date, self.small), destination,
                          Cell(text_x, step.text, width=went_x - text_x - 6, lines=16)]
                rows.append(self._cells(cells, heading, glue=index == 0))
        sums = Style(True, self.small_text.size, self.small_text.color)
        block = [Row(4, [Rule(went_x, self.right, 2, self.rule_color, 0.8)])] if view.trail_sums else []
        for index, row in enumerate(view.trail_sums):
            style = sums if index == 0 else self.small_text
            block.append(self._cells([Cell(went_x, row.label, style, width=went_right - went_x, lines=2),
                                      Cell(self.right, row.amount, style, align="right")], heading))
        for row in rows[-KEEP_WITH_TOTALS:][1:] + block:
            row.glue = True
        return rows + block

    # -- small pieces ----------------------------------------------------------

    def _highlight(self, row: Row) -> Row:
        """``row`` on a light band of the accent colour: the figure to act on."""
        reach = 0 if self.roll else self.body.size * 0.5  # not money
        band = Rule(self.left - reach, self.right + reach, row.height / 2, self.tint, row.height)
        row.items.insert(0, band)
        return row

    def _headings(self, columns: list[tuple[float, str, str]]) -> Row:  # not money
        items: list = [Text(x, self.label.size + 2, text, self.label, align) for x, text, align in columns]
        height = self.label.size * LEADING + 6  # not money
        items.append(Rule(self.left, self.right, height - 2, self.rule_color))
        return Row(height, items)

    def _cells(self, cells: list[Cell], heading: Row, glue: bool = False) -> Row:
        """A row of a table, its wrapping cells as tall as they need."""
        items: list = []
        height = 0.0  # not money
        for x, text, style, align, width, lines in cells:
            style = style or self.small_text
            size = style.size  # not money
            line_height = size * LEADING  # not money
            if width is None or self.fonts.width(text, size, style.bold) <= width:
                items.append(Text(x, size + 1, text, style, align))  # one line: most cells
                count = 1
            else:
                wrapped = wrap(self.fonts, text, width, style, lines)
                items += [Text(x, size + 1 + i * line_height, line, style, align)
                          for i, line in enumerate(wrapped)]
                count = len(wrapped)
            if count * line_height + 3 > height:
                height = count * line_height + 3
        return Row(height, items, glue=glue, heading=(heading,))

    def _widest(self, texts: list[str]) -> float:  # not money
        """The width of the widest of ``texts`` in the tables' small type."""
        return max((self.fonts.width(text, self.small_text.size) for text in texts), default=0)

    def _section(self, title: str) -> Row:
        return Row(self.section.size * LEADING + 4, [Text(self.left, self.section.size, title, self.section)])

    def _pair(self, label: str, value: str, label_style: Style, value_style: Style) -> Row:
        size = max(label_style.size, value_style.size)  # not money
        return Row(size * LEADING, [Text(self.left, size, label, label_style),
                                    Text(self.right, size, value, value_style, "right")])

    def _lines(self, lines: list[str], style: Style, leading: float = LEADING) -> Row:  # not money
        step = style.size * leading  # not money
        return Row(len(lines) * step + style.size * 0.3,
                   [Text(self.left, style.size + i * step, line, style) for i, line in enumerate(lines)])

    @staticmethod
    def _space(height: float) -> Row:  # not money
        return Row(height)


def _tint(color: str, lightness: float) -> str:  # not money
    """``color`` (``#rrggbb``) mixed with white: ``lightness`` 0 is the colour, 1 white."""
    channels = [int(color[index:index + 2], 16) for index in (1, 3, 5)]
    return "#" + "".join(f"{round(value + (255 - value) * lightness):02x}" for value in channels)
