"""Read a ledger written as JSON (LEDGER_FORMAT.md, "A ledger in JSON")."""

from __future__ import annotations

import json
from decimal import Decimal
from typing import Any

from billformat.errors import LedgerError
from billformat.model import Ledger
from billformat.read.aliases import normalize_entry


def read_json(text: str, name: str) -> Ledger:
    """A ``Ledger`` from JSON text; ``name`` is the file named in messages.

    Numbers are read from their text as ``Decimal``; ``NaN``/``Infinity``
    and duplicate keys are refused; so is JSON nested past what a ledger
    needs.
    """
    data = parse_json(text, name)
    if not isinstance(data, dict):
        raise LedgerError("a ledger must be a JSON object with currency and entries", file=name)
    entries = data.get("entries")
    if isinstance(entries, list):
        data = {**data, "entries": [normalize_entry(e) if isinstance(e, dict) else e for e in entries]}
    return Ledger.model_validate(data, source=name)


def parse_json(text: str, name: str) -> Any:
    if not text.strip():
        raise LedgerError("the file is empty", file=name)
    try:
        return json.loads(
            text,
            parse_float=Decimal,
            parse_int=_whole,
            parse_constant=_no_constant,
            object_pairs_hook=_no_duplicates,
        )
    except json.JSONDecodeError as error:
        problem = "the JSON ends too early" if error.pos >= len(text.rstrip()) else error.msg
        raise LedgerError(f"{problem} (column {error.colno})", file=name, place=error.lineno) from None
    except RecursionError:
        raise LedgerError("the JSON is nested deeper than any ledger", file=name) from None
    except _Refused as refusal:
        raise LedgerError(str(refusal), file=name) from None


class _Refused(ValueError):
    pass


def _whole(text: str) -> int | Decimal:
    if len(text) > 40:
        raise _Refused(f"the number {text[:20]}... has more digits than any bill needs")
    return int(text)


def _no_constant(text: str) -> None:
    raise _Refused(f"{text} is not a number a ledger may hold")


def _no_duplicates(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    result: dict[str, Any] = {}
    for key, value in pairs:
        if key in result:
            raise _Refused(f'the key "{key[:40]}" appears twice in one object')
        result[key] = value
    return result
