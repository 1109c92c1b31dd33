"""The bill as plain text, for a terminal or a receipt printer.

Lines fit the layout's ``text_width`` (80 for a terminal, 42 for a receipt
roll), counting East Asian wide characters as two columns.  Every figure
ends at the right edge, so the amounts stand in one column and their
decimal points line up; long labels wrap to the left of it.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Iterable, Sequence

from billformat.bill import Bill
from billformat.layouts import Layout
from billformat.render.view import BillView, Row, describe

GAP = 2  # spaces between a label and its amount


def render_text(bill: Bill, layout: Layout, details: bool = False, trail: bool = False) -> str:
    """The bill as lines of text no wider than the layout's ``text_width``."""
    view = describe(bill, details=details, trail=trail)
    sheet = Sheet(layout.text_width, _amounts(view))
    sheet.paragraph(_title(view))
    sheet.paragraph(view.situation)
    sheet.blank()
    if view.statement is not None:
        _statement(sheet, view)
    else:
        _bill(sheet, view)
    if view.details:
        sheet.heading(view.words["details"])
        for group in view.details:
            sheet.row(group.heading, group.amount)
            for row in group.rows:
                sheet.row(_entry_label(row), row.amount, indent=2)
    if view.trail:
        sheet.heading(view.words["trail"])
        for step in view.trail:
            sheet.row(f"{step.entry}  {step.text} → {step.to}", step.amount)
        if view.trail_sums:
            sheet.rule("-")
            for row in view.trail_sums:
                sheet.row(row.label, row.amount)
    _about(sheet, view)
    return sheet.text()


def _bill(sheet: Sheet, view: BillView) -> None:
    for row in view.face:
        sheet.row(row.label, row.amount)
    if view.total is not None:
        sheet.rule("-")
        sheet.row(view.total.label, view.total.amount)
    for row in view.payments:
        sheet.row(row.label, row.amount)
    if view.balance is not None:
        sheet.rule("=")
        sheet.row(view.balance.label.upper(), view.balance.amount)
    if view.declined:
        sheet.heading(view.words["declined"])
        for row in view.declined:
            sheet.row(f"{row.label} — {row.note}", row.amount, indent=2)


def _statement(sheet: Sheet, view: BillView) -> None:
    statement = view.statement
    if statement is None:  # pragma: no cover - callers check
        return
    *moves, closing = statement.summary
    for row in moves:
        sheet.row(row.label, row.amount)
    sheet.rule("-")
    sheet.row(closing.label.upper(), closing.amount)
    if statement.movements:
        sheet.heading(view.words["movements"])
        sheet.row(view.words["date"], view.words["amount"], view.words["balance"])
        for move in statement.movements:
            sheet.row(f"{move.date}  {move.label}".strip(), move.amount, move.balance)
    if statement.checks or statement.missing:
        sheet.heading(view.words["checks"])
        for check in statement.checks:
            sheet.row(f"{check.number}  {check.date}  {check.label}", check.amount)
        if statement.missing:
            sheet.paragraph(statement.missing)


def _about(sheet: Sheet, view: BillView) -> None:
    """Who and when, last and plain: the facts, the seller, the customer."""
    if not (view.facts or view.seller or view.customer):
        return
    sheet.blank()
    for name, value in view.facts:
        sheet.paragraph(f"{name}: {value}")
    for who, lines in ((view.words["from"], view.seller), (view.words["to"], view.customer)):
        if lines:
            sheet.paragraph(f"{who}: {', '.join(lines)}")


def _title(view: BillView) -> str:
    name = view.seller[0] if view.seller else ""
    return " — ".join(part for part in (name, view.title) if part)


def _entry_label(row: Row) -> str:
    return ", ".join(part for part in (f"{row.date}  {row.label}".strip(), row.note) if part)


def _amounts(view: BillView) -> list[str]:
    rows: list[Row] = [*view.face, *view.payments, *view.declined]
    rows += [row for row in (view.total, view.balance) if row is not None]
    rows += list(view.trail_sums)
    amounts = [row.amount for row in rows]
    amounts += [group.amount for group in view.details]
    amounts += [row.amount for group in view.details for row in group.rows]
    amounts += [step.amount for step in view.trail]
    if view.statement is not None:
        amounts += [row.amount for row in view.statement.summary]
        amounts += [check.amount for check in view.statement.checks]
        amounts += [move.balance for move in view.statement.movements]
        amounts += [move.amount for move in view.statement.movements]
    return amounts


class Sheet:
    """Lines of text of one width, with the amounts in a right-hand column."""

    def __init__(self, width: int, amounts: Iterable[str]) -> None:
        self.width = width
        self.amount_width = min(max((cells(text) for text in amounts), default=0), width // 3)
        self.lines: list[str] = []

    def paragraph(self, text: str) -> None:
        self.lines.extend(wrap(text, self.width))

    def blank(self) -> None:
        if self.lines and self.lines[-1]:
            self.lines.append("")

    def heading(self, text: str) -> None:
        self.blank()
        self.paragraph(text)

    def rule(self, char: str) -> None:
        self.lines.append(char * self.width)

    def row(self, label: str, *amounts: str, indent: int = 0) -> None:
        """``label`` wrapped on the left, ``amounts`` right-aligned on its last line.

        With two amounts (a statement's amount and balance) the first stands
        in a column of its own to the left of the second.
        """
        columns = [self.amount_width] * len(amounts)
        for index, amount in enumerate(amounts):
            columns[index] = max(columns[index], cells(amount))
        figures = "".join(
            " " * GAP + " " * (column - cells(amount)) + amount
            for column, amount in zip(columns, amounts)
        )
        if cells(figures) > self.width:  # a figure wider than the sheet: on a line of its own
            self.paragraph(label)
            self.lines.extend(_right(amount, self.width) for amount in amounts)
            return
        room = max(self.width - cells(figures) - indent, 1)
        lines = wrap(label, room) or [""]
        for line in lines[:-1]:
            self.lines.append(" " * indent + line)
        last = " " * indent + lines[-1]
        self.lines.append(last + " " * (self.width - cells(last) - cells(figures)) + figures)

    def text(self) -> str:
        while self.lines and not self.lines[-1]:
            self.lines.pop()
        return "\n".join(line.rstrip() for line in self.lines) + "\n"


def cells(text: str) -> int:
    """How many terminal columns ``text`` takes: wide CJK two, combining marks none."""
    total = 0
    for char in text:
        if unicodedata.combining(char) or unicodedata.category(char) in ("Mn", "Me", "Cf"):
            continue
        total += 2 if unicodedata.east_asian_width(char) in ("W", "F") else 1
    return total


def wrap(text: str, width: int) -> list[str]:
    """``text`` in lines of at most ``width`` columns, broken at spaces,
    and inside a word only where a word is wider than a line."""
    lines: list[str] = []
    line = ""
    for word in text.split(" "):
        if not word:
            continue
        for piece in _pieces(word, width):
            joined = f"{line} {piece}" if line else piece
            if cells(joined) <= width:
                line = joined
            else:
                lines.append(line)
                line = piece
    if line:
        lines.append(line)
    return lines


def _pieces(word: str, width: int) -> Sequence[str]:
    if cells(word) <= width:
        return (word,)
    pieces, piece = [], ""
    for char in word:
        if cells(piece + char) > width:
            pieces.append(piece)
            piece = ""
        piece += char
    return [*pieces, piece] if piece else pieces


def _right(text: str, width: int) -> str:
    return " " * max(width - cells(text), 0) + text
