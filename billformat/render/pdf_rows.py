"""A bill's view laid out as PDF rows: what goes where on the page.

``Composer`` takes the ``BillView`` (every string already cleaned and
formatted by ``render/view.py``) and returns the rows ``pdf_layout``
paginates and draws.  Every amount of a column is drawn right-aligned at one
x, so the decimal points stand under each other.  Positions derive from the
frame and the layout's sizes; all numbers here are points, not money.
"""

from __future__ import annotations

from pathlib import Path

from billformat.layouts import PdfSettings
from billformat.render.fonts import FontChain, Style
from billformat.render.pdf_layout import LEADING, Frame, Picture, Row, Rule, Text, wrap
from billformat.render.view import BillView, Row as Figure

MM = 72 / 25.4  # points in a millimetre  # not money
KEEP_WITH_TOTALS = 2  # lines above the totals block that move with it
LOGO_HEIGHT = 14 * MM  # not money


class Composer:
    """Lays out one bill view on one kind of page (a sheet or a receipt roll)."""

    def __init__(self, view: BillView, settings: PdfSettings, frame: Frame, fonts: FontChain,
                 roll: bool, number: str = "", logo: Path | None = None) -> None:
        colors = settings.colors
        size, small = settings.font_size, settings.small_size  # not money
        self.view, self.frame, self.fonts, self.roll, self.logo = view, frame, fonts, roll, logo
        self.number = number
        self.words = view.words
        self.body = Style(False, size, colors.text)
        self.strong = Style(True, size, colors.text)
        self.muted = Style(False, size, colors.muted)
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
        kicker = Row(self._height(self.kicker) + 4, [Text(self.left, self.kicker.size, self._kicker_text(), self.kicker)])
        width = (self.right - self.left) * (1 if self.roll else 0.9)  # not money
        rows = [kicker]
        if self.logo is not None:
            height = LOGO_HEIGHT  # not money
            if self.roll:  # a receipt has no room beside it: the logo stands above
                rows.insert(0, Row(height + 4, [Picture(str(self.logo), self.right, 0, self.right - self.left, height)]))
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
                rows += [self._party(title, lines, self.left, self.right - self.left), self._space(self.gap * 0.5)]
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
        label_width = max((self.fonts.width(label, self.small.size) for label in labels), default=0)  # not money
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
        view = self.view
        inner = self.right - self.amount_width  # the entries' amount column  # not money
        date_width = self.small.size * 5  # not money
        heading = self._headings(
            [(self.left, self.words["date"], "left"), (self.left + date_width, self.words["details"], "left"),
             (inner, self.words["amount"], "right"), (self.right, self.words["total"], "right")]
        )
        rows: list[Row] = [heading]
        for group in view.details:
            top = self._figure(Figure(group.heading, group.amount), self.strong, inner - self.gap)
            top.heading = (heading,)
            top.glue = len(rows) == 1
            rows.append(top)
            for number, entry in enumerate(group.rows):
                label = f"{entry.label} · {entry.note}" if entry.note else entry.label
                text_width = inner - self.amount_width * 0.9 - self.left - date_width  # not money
                lines = wrap(self.fonts, label, text_width, self.small_text, max_lines=12)
                line_height = self.small_text.size * LEADING  # not money
                items = [Text(self.left, self.small.size, entry.date, self.small)]
                items += [Text(self.left + date_width, self.small.size + i * line_height, line, self.small_text)
                          for i, line in enumerate(lines)]
                items.append(Text(inner, self.small.size, entry.amount, self.small_text, "right"))
                rows.append(Row(len(lines) * line_height + 1.5, items, glue=number == 0, heading=(heading,)))
            rows.append(self._space(self.body.size * 0.5))
        face_rows = [row for row in rows[1:] if row.items]
        return [*rows, *self._totals(face_rows)]

    def _figure(self, figure: Figure, style: Style, label_right: float | None = None) -> Row:  # not money
        label_right = label_right if label_right is not None else self.right - self.amount_width
        lines = wrap(self.fonts, figure.label, label_right - self.left, style, max_lines=4)
        line_height = style.size * LEADING  # not money
        pad = self.body.size * (0.3 if self.roll else 0.45)  # not money
        items = [Text(self.left, pad + style.size + i * line_height, line, style) for i, line in enumerate(lines)]
        # Every figure of the column is set at one size, so that right-aligned
        # at one x their decimal points stand under each other too.
        figure_style = style if style.size == self.body.size else Style(style.bold, self.body.size, style.color)
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
        balance_x = self.right  # not money
        amount_x = self.right - self.amount_width  # not money
        date_width = self.small.size * 5.5  # not money
        if statement.movements:
            heading = self._headings(
                [(self.left, self.words["date"], "left"),
                 (amount_x, self.words["amount"], "right"), (balance_x, self.words["balance"], "right")]
            )
            rows += [self._space(self.gap), self._section(self.words["movements"]), heading]
            for index, movement in enumerate(statement.movements):
                label = movement.label
                if movement.number and movement.number not in label:
                    label = f"{self.words['check_number']} {movement.number} · {label}"
                rows.append(self._table_row(
                    [(self.left, movement.date), (amount_x, movement.amount), (balance_x, movement.balance)],
                    label, self.left + date_width, amount_x - self.amount_width * 0.9, heading, index == 0))
        if statement.checks:
            number_width = self.small.size * 5  # not money
            heading = self._headings(
                [(self.left, self.words["check_number"], "left"), (self.left + number_width, self.words["date"], "left"),
                 (balance_x, self.words["amount"], "right")]
            )
            rows += [self._space(self.gap), self._section(self.words["checks"]), heading]
            for index, check in enumerate(statement.checks):
                rows.append(self._table_row(
                    [(self.left, check.number), (self.left + number_width, check.date), (balance_x, check.amount)],
                    check.label, self.left + number_width + date_width, balance_x - self.amount_width, heading, index == 0))
        if statement.missing:
            lines = wrap(self.fonts, statement.missing, self.right - self.left, self.strong)
            rows += [self._space(self.gap * 0.5), self._lines(lines, self.strong)]
        return rows

    # -- the accountant's trail ------------------------------------------------

    def _trail(self) -> list[Row]:
        view = self.view
        words = self.words
        amount_x = self.right  # not money
        entry_width = self.small.size * 4  # not money
        date_width = self.small.size * 5  # not money
        went_width = (self.right - self.left) * 0.28  # not money
        went_x = amount_x - self.amount_width * 0.9 - went_width  # not money
        text_x = self.left + entry_width + date_width  # not money
        heading = self._headings(
            [(self.left, words["entry"], "left"), (self.left + entry_width, words["date"], "left"),
             (text_x, words["text"], "left"), (went_x, words["went_to"], "left"), (amount_x, words["amount"], "right")]
        )
        title = self._section(words["trail"])
        title.page_break = not self.roll
        rows = [title, heading]
        rows[-1].glue = True
        for index, step in enumerate(view.trail):
            line_height = self.small_text.size * LEADING  # not money
            texts = wrap(self.fonts, step.text, went_x - text_x - 6, self.small_text, max_lines=16)
            went = wrap(self.fonts, step.to, amount_x - self.amount_width * 0.9 - went_x - 4, self.small_text, max_lines=3)
            items = [Text(self.left, self.small.size, step.entry, self.small),
                     Text(self.left + entry_width, self.small.size, step.date, self.small),
                     Text(amount_x, self.small.size, step.amount, self.small_text, "right")]
            items += [Text(text_x, self.small.size + i * line_height, line, self.small_text) for i, line in enumerate(texts)]
            items += [Text(went_x, self.small.size + i * line_height, line, self.small) for i, line in enumerate(went)]
            rows.append(Row(max(len(texts), len(went)) * line_height + 2, items, glue=index == 0, heading=(heading,)))
        small_strong = Style(True, self.small_text.size, self.small_text.color)
        sums = [self._table_row([(amount_x, row.amount)], row.label, went_x, amount_x - self.amount_width,
                                heading, False, small_strong if index == 0 else self.small_text)
                for index, row in enumerate(view.trail_sums)]
        block = [Row(4, [Rule(went_x, self.right, 2, self.rule_color, 0.8)]), *sums]
        for row in rows[-KEEP_WITH_TOTALS:][1:] + block:
            row.glue = True
        return rows + block

    # -- small pieces ----------------------------------------------------------

    def _highlight(self, row: Row) -> Row:
        """``row`` on a light band of the accent colour: the figure to act on."""
        reach = 0 if self.roll else self.body.size * 0.5  # not money
        row.items.insert(0, Rule(self.left - reach, self.right + reach, row.height / 2, self.tint, row.height))
        return row

    def _headings(self, columns: list[tuple[float, str, str]]) -> Row:  # not money
        items: list = [Text(x, self.label.size + 2, text, self.label, align) for x, text, align in columns]
        height = self.label.size * LEADING + 6  # not money
        items.append(Rule(self.left, self.right, height - 2, self.rule_color))
        return Row(height, items)

    def _table_row(self, cells: list[tuple[float, str]], label: str, label_x: float, label_right: float,
                   heading: Row, first: bool, style: Style | None = None) -> Row:  # not money
        """A row of a table: ``cells`` left of ``label_x`` are set flush left,
        those right of it flush right; the label wraps between."""
        style = style or self.small_text
        line_height = style.size * LEADING  # not money
        lines = wrap(self.fonts, label, label_right - label_x, style, max_lines=4)
        items = [Text(x, style.size + 1, text, style, "left" if x < label_x else "right") for x, text in cells]
        items += [Text(label_x, style.size + 1 + i * line_height, line, style) for i, line in enumerate(lines)]
        return Row(len(lines) * line_height + 3, items, glue=first, heading=(heading,))

    def _section(self, title: str) -> Row:
        return Row(self.section.size * LEADING + 4, [Text(self.left, self.section.size, title, self.section)])

    def _pair(self, label: str, value: str, label_style: Style, value_style: Style) -> Row:
        size = max(label_style.size, value_style.size)  # not money
        return Row(size * LEADING, [Text(self.left, size, label, label_style), Text(self.right, size, value, value_style, "right")])

    def _lines(self, lines: list[str], style: Style, leading: float = LEADING) -> Row:  # not money
        return Row(len(lines) * style.size * leading + style.size * 0.3,
                   [Text(self.left, style.size + i * style.size * leading, line, style) for i, line in enumerate(lines)])

    def _height(self, style: Style) -> float:  # not money
        return style.size * LEADING

    @staticmethod
    def _space(height: float) -> Row:  # not money
        return Row(height)


def _tint(color: str, lightness: float) -> str:
    """``color`` (``#rrggbb``) mixed with white: ``lightness`` 0 is the colour, 1 white."""
    channels = [int(color[index:index + 2], 16) for index in (1, 3, 5)]
    return "#" + "".join(f"{round(value + (255 - value) * lightness):02x}" for value in channels)
