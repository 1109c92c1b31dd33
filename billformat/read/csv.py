"""Read a ledger written as CSV (LEDGER_FORMAT.md, "A ledger in CSV").

Lines before the header that start with ``#`` carry the ledger's own fields
as ``key: value``; dotted keys reach into objects (``# seller.name: Harbor
Hotel``), and a key given on several lines makes a list where the format
has one (``# seller.address:`` once per address line).  Then one row an
entry, the header naming the columns; an empty cell is an absent field.
Line numbers in messages count every line of the file from 1, and a
refusal of a ledger field names the ``#`` line that wrote it
(``folio.csv:2: currency "US$" is not an ISO 4217 currency code``).

Columns are matched by name as ``aliases`` describes: the format's own
column wins over an alias of the same field, which is then ignored like any
column billformat does not know; of several aliases of one field the one
preferred in ``aliases.ALIASES`` is read.  Two columns whose names are the
same once folded (``Amount`` and ``amount``) are refused.
"""

from __future__ import annotations

import csv
import re
from collections.abc import Iterator
from typing import Any

from billformat.build import EntryMemo, build_entry, gc_paused
from billformat.errors import LedgerError
from billformat.model import Ledger, is_statement_kind
from billformat.read.aliases import canonical, choose_columns, fold

# Ledger fields that hold a list of lines, so a repeated header key appends.
_LIST_FIELDS = {"address"}
_LEDGER_FIELDS = {
    "kind", "number", "date", "due", "currency", "locale", "seller", "customer", "period", "stated",
}
_OBJECT_FIELDS = {"seller", "customer", "period", "stated"}

csv.field_size_limit(64 * 1024 * 1024)


def read_csv(text: str, name: str) -> Ledger:
    """A ``Ledger`` from CSV text; ``name`` is the file named in messages."""
    with gc_paused(kept=True):
        return _read_csv(text, name)


def _read_csv(text: str, name: str) -> Ledger:
    if not text.strip():
        raise LedgerError("the file is empty", file=name)
    lines = _lines(text)
    fields: dict[str, Any] = {}
    places: dict[str, int] = {}  # each ledger field given, and the line that gave it
    line_number = 0
    header_line = ""
    for raw in lines:
        line_number += 1
        stripped = raw.strip()
        if not stripped:
            continue
        if stripped.startswith("#"):
            _header_field(fields, places, stripped[1:], name, line_number)
            continue
        header_line = raw
        break
    if not header_line:
        raise LedgerError("the file has no header row naming its columns", file=name)
    header = next(csv.reader([header_line]))
    _refuse_repeated_columns(header, name, line_number)
    # The field each column fills; None for a column not read (no name, a
    # name billformat does not know, an alias beside the field's own column).
    columns = choose_columns(header)
    for required in ("text", "kind"):
        if required not in columns:
            listed = ", ".join(canonical(column) for column in header)
            raise LedgerError(
                f"the header has no {required} column (it has: {listed[:200]})",
                file=name, place=line_number, field=required,
            )
    # Spreadsheets often end a header with empty cells: such unnamed columns
    # are ignored, as long as no row puts anything under them.
    unnamed = [index for index, column in enumerate(header) if not column.strip()]

    # Each row becomes an Entry as it is read (build_entry), so a large file
    # never holds all its rows as dicts; a row build_entry is unsure of stays
    # a dict for Ledger's own validation.
    memo = EntryMemo()
    # The kind is known from the # lines: a statement's debits and credits
    # are built its way at once, not turned over after.
    statement = is_statement_kind(fields.get("kind"))
    entries: list[Any] = []
    reader = csv.reader(lines, strict=True)
    start = line_number + 1
    width = len(columns)
    try:
        for row in reader:
            row_line = start
            start = line_number + 1 + reader.line_num
            if not any(cell.strip() for cell in row):
                continue
            if len(row) > width and any(cell.strip() for cell in row[width:]):
                raise LedgerError(
                    f"the row has {len(row)} cells but the header names {len(columns)} columns",
                    file=name, place=row_line,
                )
            if unnamed:
                _refuse_unnamed_cells(row, unnamed, name, row_line)
            entry = {column: cell for column, cell in zip(columns, row)
                     if column and cell and not cell.isspace()}
            entry["source_line"] = row_line
            entries.append(build_entry(entry, len(entries) + 1, memo, statement) or entry)
    except csv.Error as error:
        raise LedgerError(f"the CSV cannot be read: {error}", file=name, place=start) from None
    fields["entries"] = entries
    try:
        return Ledger.model_validate(fields, source=name)
    except LedgerError as error:
        # A ledger field's refusal comes back without a place: it is the
        # line that field was written on.
        line = _place_of(error.field, places) if error.place is None else None
        if line is None:
            raise
        raise error.located(place=line) from None


def _place_of(field: str | None, places: dict[str, int]) -> int | None:
    """The number of the ``#`` line that gave ``field`` (``stated.total``, or
    ``seller.address.1``, a line of a list), or ``None`` if none did."""
    while field:
        if field in places:
            return places[field]
        field = field.rpartition(".")[0]
    return None


def _refuse_repeated_columns(header: list[str], name: str, line: int) -> None:
    """Refuse a header naming one column twice (once folded: ``Amount`` and
    ``amount``), quoting the names as the file writes them."""
    first: dict[str, str] = {}  # each folded name, as the file first wrote it
    for column in header:
        folded = fold(column)
        if not folded:
            continue
        written = column.strip()
        if folded not in first:
            first[folded] = written
            continue
        again = "" if first[folded] == written else f' (the second time as "{written}")'
        raise LedgerError(f'the column "{first[folded]}" appears twice in the header{again}',
                          file=name, place=line, field=canonical(column))


# A line as io.StringIO(text, newline="") gives it: up to and with its
# "\r\n", "\r" or "\n", or the last characters of the text.
_LINE = re.compile(r"[^\r\n]*(?:\r\n?|\n)|[^\r\n]+")


def _lines(text: str) -> Iterator[str]:
    """The lines of ``text``, one at a time (a StringIO would hold a copy four
    times the size of an ASCII text)."""
    for match in _LINE.finditer(text):
        yield match.group()


def _refuse_unnamed_cells(row: list[str], unnamed: list[int], name: str, line: int) -> None:
    for index in unnamed:
        if index < len(row) and row[index].strip():
            raise LedgerError(
                f"cell {index + 1} holds a value, but its column has no name in the header",
                file=name, place=line,
            )


def _header_field(fields: dict[str, Any], places: dict[str, int], text: str, name: str,
                  line: int) -> None:
    """Set ``key: value`` from a ``#`` line, and note in ``places`` the line
    the field was given on; a line without a known key is a comment."""
    key, colon, value = text.partition(":")
    path = [part.strip().lower() for part in key.strip().split(".")]
    if not colon or not path[0] or path[0] not in _LEDGER_FIELDS:
        return
    value = value.strip()
    if path[0] in _OBJECT_FIELDS and len(path) != 2:
        raise LedgerError(f'"{key.strip()}" needs one field after the dot, as in {path[0]}.name',
                          file=name, place=line, field=key.strip())
    if path[0] not in _OBJECT_FIELDS and len(path) != 1:
        raise LedgerError(f'"{key.strip()}" is not a ledger field', file=name, place=line,
                          field=key.strip())
    if value == "":
        return
    target = fields
    for part in path[:-1]:
        target = target.setdefault(part, {})
    last = path[-1]
    dotted = ".".join(path)
    if last in _LIST_FIELDS:
        lines = target.setdefault(last, [])
        places[f"{dotted}.{len(lines)}"] = line  # as a refusal names it: seller.address.0
        places.setdefault(dotted, line)
        lines.append(value)
    elif last in target:
        raise LedgerError(f'"{key.strip()}" is given twice', file=name, place=line, field=key.strip())
    else:
        target[last] = value
        places[dotted] = line
