"""Column and field names real exports use, mapped to the ledger format's own.

Bank, hotel and shop exports name the same thing differently; a reader
passes every raw entry through ``normalize_entry`` (JSON) or its header
through ``choose_columns`` (CSV) so ``Description`` or ``Charges`` work like
``text`` or ``debit``.  Names are compared in lower case, with ``-``, ``_``
and spaces alike (``fold``).

Which name is read when an entry or a header has several for one field:

- The format's own name always wins: an alias is used only where the real
  field is absent (JSON: absent or empty in that entry; CSV: the header has
  no such column, and an alias column beside the real one is ignored as an
  extra column, whatever its cells hold).
- In CSV, ``amount``, ``debit`` and ``credit`` are one choice (an entry has
  one of them): a header with a column of one of those own names ignores
  every alias of all three, so a ``Total`` or ``Charges`` column beside
  ``debit`` and ``credit`` is not read as a second amount.
- Of several aliases of one field (and not its own name), the one listed
  first in ``ALIASES`` wins: ``description``, ``desc``, ``memo``, then
  ``details`` for ``text`` (a bank's ``Details`` column is often a code
  such as DEBIT or CHECK beside the real ``Description``).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from billformat.errors import LedgerError

FIELDS = (
    "id", "date", "text", "label", "kind", "amount", "debit", "credit", "qty", "unit",
    "unit_price", "status", "reverses", "group", "rate", "base", "taxable", "number", "category",
)
# The format's own names: an entry that uses only these needs no renaming.
OWN_NAMES = frozenset(FIELDS)
# The fields of which an entry has exactly one.
MONEY_FIELDS = frozenset({"amount", "debit", "credit"})

# Other names for the fields, written in lower case with spaces.  Each
# field's aliases are listed in order of preference: where an entry or a
# header has two of them (and not the field's own name), the first listed
# is read and the other ignored.
ALIASES: dict[str, str] = {
    "description": "text",
    "desc": "text",
    "memo": "text",
    "details": "text",
    "name": "label",
    "type": "kind",
    "value": "amount",
    "total": "amount",
    "charge": "debit",
    "charges": "debit",
    "debits": "debit",
    "payment": "credit",
    "payments": "credit",
    "credits": "credit",
    "quantity": "qty",
    "price": "unit_price",
    "unit price": "unit_price",
    "unitprice": "unit_price",
    "rate percent": "rate",
    "tax rate": "rate",
    "tax base": "base",
    "check number": "number",
    "check no": "number",
    "check or slip #": "number",
    "check": "number",
    "posting date": "date",
    "posted": "date",
    "reference": "id",
    "ref": "id",
}
# Each alias's place in its field's order of preference (lower wins).
_RANK = {alias: rank for rank, alias in enumerate(ALIASES)}


def fold(key: str) -> str:
    """``key`` as names are compared: trimmed, in lower case, with ``-``, ``_``
    and spaces all written ``_`` (``Unit Price``, ``unit-price`` and
    ``UNIT_PRICE`` are one name)."""
    return key.strip().lower().replace("-", "_").replace(" ", "_")


def canonical(key: str) -> str:
    """The format's name for a field or column, by exact name, then alias."""
    plain = key.strip().lower().replace("-", "_")
    if plain in FIELDS:
        return plain
    spaced = plain.replace("_", " ")
    return ALIASES.get(spaced, ALIASES.get(plain, key.strip()))


def choose_columns(header: Sequence[str]) -> list[str | None]:
    """The field each column of a CSV header fills, or ``None`` for a column
    that is not read (unknown, unnamed, or an alias that loses to another
    column, by the rules in this module's docstring).

    The header's names must be distinct once folded (the reader refuses a
    header that names one column twice), so each field has at most one own
    column and each alias at most one column.
    """
    chosen: list[str | None] = [None] * len(header)
    own: set[str] = set()
    aliased: dict[str, tuple[int, int]] = {}  # field -> (rank, column) of its best alias
    for index, column in enumerate(header):
        folded = fold(column)
        if folded in OWN_NAMES:
            chosen[index] = folded
            own.add(folded)
            continue
        alias = folded.replace("_", " ")
        field = ALIASES.get(alias)
        if field is not None:
            best = aliased.get(field)
            if best is None or _RANK[alias] < best[0]:
                aliased[field] = (_RANK[alias], index)
    money_named = not own.isdisjoint(MONEY_FIELDS)
    for field, (_, index) in aliased.items():
        if field in own or (money_named and field in MONEY_FIELDS):
            continue
        chosen[index] = field
    return chosen


def normalize_entry(raw: dict[str, Any]) -> dict[str, Any]:
    """``raw`` with aliased keys renamed; the format's own names take precedence,
    then the alias listed first in ``ALIASES``.  Two spellings of one of the
    format's own names (``kind`` and ``Kind``) are refused: which one the
    source meant cannot be told, and the other would be dropped."""
    entry: dict[str, Any] = {}
    aliased: dict[str, tuple[int, Any]] | None = None
    for key, value in raw.items():
        known = _KEYS.get(key) if type(key) is str else None
        if known is None:
            if not isinstance(key, str):
                continue
            known = _key(key)
            if len(_KEYS) < 4096:
                _KEYS[key] = known
        name, own, rank = known
        if own:
            if name in entry:  # "kind" and "Kind", or "unit price" and "unit_price"
                given = next(other for other in raw if other != key and type(other) is str
                             and _key(other)[:2] == (name, True))
                raise LedgerError(f'the keys "{given[:40]}" and "{key[:40]}" both give {name}',
                                  field=name)
            entry[name] = value
        else:
            if aliased is None:
                aliased = {}
            best = aliased.get(name)
            if best is None or rank < best[0]:
                aliased[name] = (rank, value)
    if aliased:
        for name, (_, value) in aliased.items():
            if entry.get(name) in (None, ""):
                entry[name] = value
    return entry


# Each key's name in the format, whether it is the format's own name (not an
# alias), and its rank among the field's aliases, worked out once per
# distinct key rather than once an entry.
_KEYS: dict[str, tuple[str, bool, int]] = {}


def _key(key: str) -> tuple[str, bool, int]:
    name = canonical(key)
    plain = key.strip().lower().replace("-", "_")
    rank = _RANK.get(plain.replace("_", " "), _RANK.get(plain, len(_RANK)))
    return name, name == plain and name in FIELDS, rank
