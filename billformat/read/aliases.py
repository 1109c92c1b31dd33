"""Column and field names real exports use, mapped to the ledger format's own.

Bank, hotel and shop exports name the same thing differently; a reader
passes every raw entry through ``normalize_entry`` so ``Description`` or
``Charges`` work like ``text`` or ``debit``.  The format's own names always
win: an alias is used only where the real field is absent.
"""

from __future__ import annotations

from typing import Any

FIELDS = (
    "id", "date", "text", "label", "kind", "amount", "debit", "credit", "qty", "unit",
    "unit_price", "status", "reverses", "group", "rate", "base", "taxable", "number", "category",
)
# The format's own names: an entry that uses only these needs no renaming.
OWN_NAMES = frozenset(FIELDS)

ALIASES: dict[str, str] = {
    "description": "text",
    "desc": "text",
    "details": "text",
    "memo": "text",
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
    "check": "number",
    "check or slip #": "number",
    "posting date": "date",
    "posted": "date",
    "reference": "id",
    "ref": "id",
}


def canonical(key: str) -> str:
    """The format's name for a field or column, by exact name, then alias."""
    plain = key.strip().lower().replace("-", "_")
    if plain in FIELDS:
        return plain
    spaced = plain.replace("_", " ")
    return ALIASES.get(spaced, ALIASES.get(plain, key.strip()))


def normalize_entry(raw: dict[str, Any]) -> dict[str, Any]:
    """``raw`` with aliased keys renamed; the format's own names take precedence."""
    entry: dict[str, Any] = {}
    aliased: dict[str, Any] | None = None
    for key, value in raw.items():
        known = _KEYS.get(key) if type(key) is str else None
        if known is None:
            if not isinstance(key, str):
                continue
            known = _key(key)
            if len(_KEYS) < 4096:
                _KEYS[key] = known
        name, own = known
        if own:
            entry[name] = value
        else:
            if aliased is None:
                aliased = {}
            aliased.setdefault(name, value)
    if aliased:
        for name, value in aliased.items():
            if entry.get(name) in (None, ""):
                entry[name] = value
    return entry


# Each key's name in the format, and whether it is the format's own name
# (not an alias), worked out once per distinct key rather than once an entry.
_KEYS: dict[str, tuple[str, bool]] = {}


def _key(key: str) -> tuple[str, bool]:
    name = canonical(key)
    return name, name == key.strip().lower().replace("-", "_") and name in FIELDS
