"""Read a ledger written as JSON (LEDGER_FORMAT.md, "A ledger in JSON")."""

from __future__ import annotations

import json
import re
from decimal import Decimal
from typing import Any

from billformat.build import EntryMemo, build_entry, gc_paused
from billformat.errors import LedgerError
from billformat.model import Ledger, is_statement_kind
from billformat.read.aliases import OWN_NAMES, normalize_entry


def read_json(text: str, name: str | None) -> Ledger:
    """A ``Ledger`` from JSON text; ``name`` is the file named in messages.

    Numbers are read from their text as ``Decimal``; ``NaN``/``Infinity``
    and duplicate keys are refused; so is JSON nested past what a ledger
    needs.
    """
    with gc_paused(kept=True):
        return _read_json(text, name)


def _read_json(text: str, name: str | None) -> Ledger:
    try:
        data = _read_whole(text) if len(text) <= WHOLE_UP_TO else _read_streaming(text)
        if data is None:
            data = parse_json(text, name)
            if not isinstance(data, dict):
                raise LedgerError("a ledger must be a JSON object with currency and entries", file=name)
            entries = data.get("entries")
            if isinstance(entries, list):
                data = {**data, "entries": [_normal(e, index) if isinstance(e, dict) else e
                                            for index, e in enumerate(entries)]}
    except LedgerError as error:
        raise error.located(file=name) from None
    return Ledger.model_validate(data, source=name)


def _normal(raw: dict, index: int) -> dict:
    """``normalize_entry`` of the ``index``-th entry (from 0), a refusal placed there."""
    try:
        return normalize_entry(raw)
    except LedgerError as error:
        name = raw.get("id")
        shown = str(name).strip()[:40] if isinstance(name, (str, int)) and str(name).strip() else index + 1
        raise error.located(place=f"entry {shown}") from None


_WHITESPACE = re.compile(r"[ \t\n\r]*").match

# A text up to this size (a bill of a few hundred entries) is parsed in one
# step and its entries built after: faster than one entry at a time, and its
# parsed JSON is small.  A larger one is read entry by entry.
WHOLE_UP_TO = 64 * 1024


def _read_whole(text: str) -> dict[str, Any] | None:
    """What ``_read_streaming`` gives, parsing ``text`` in one step first."""
    try:
        data = _DECODER.decode(text)
    except (ValueError, RecursionError):
        return None  # parse_json reads it again, to say what is wrong
    if type(data) is not dict:
        return None
    entries = data.get("entries")
    if type(entries) is list:
        memo = EntryMemo()
        statement = is_statement_kind(data.get("kind"))
        for number, value in enumerate(entries):
            if type(value) is dict:
                if not OWN_NAMES.issuperset(value):
                    value = _normal(value, number)
                entries[number] = build_entry(value, number + 1, memo, statement) or value
    return data


def _read_streaming(text: str) -> dict[str, Any] | None:
    """The ledger object with its entries already built, reading one entry at a time.

    A large ledger then never holds every entry as parsed JSON and as an
    ``Entry`` at once.  This reads exactly what ``parse_json`` reads, with
    the same scanner and hooks; at anything unusual (a syntax error, a
    refused value, a duplicate key, a top level that is no object) it gives
    up with ``None`` and ``parse_json`` reads the text again, to refuse it
    with its own message or read it the plain way.
    """
    scan = _DECODER.scan_once
    skip = _WHITESPACE
    try:
        at = skip(text, 0).end()
        if text[at:at + 1] != "{":
            return None
        at = skip(text, at + 1).end()
        data: dict[str, Any] = {}
        if text[at:at + 1] == "}":
            return data if skip(text, at + 1).end() == len(text) else None
        while text[at:at + 1] == '"':
            key, at = scan(text, at)
            at = skip(text, at).end()
            if text[at:at + 1] != ":" or key in data:
                return None
            at = skip(text, at + 1).end()
            if key == "entries" and text[at:at + 1] == "[":
                # A kind written after the entries is met by the Ledger, which
                # then turns the sign of each debit and credit a statement has.
                value, at = _read_entries(text, at + 1, is_statement_kind(data.get("kind")))
                if value is None:
                    return None
            else:
                value, at = scan(text, at)
            data[key] = value
            at = skip(text, at).end()
            mark = text[at:at + 1]
            if mark == "}":
                at += 1
                break
            if mark != ",":
                return None
            at = skip(text, at + 1).end()
        else:
            return None
        if skip(text, at).end() != len(text):
            return None
        return data
    except (ValueError, StopIteration, RecursionError):
        return None


def _read_entries(text: str, at: int, statement: bool) -> tuple[list[Any] | None, int]:
    """The entries array from just after its ``[``, each entry built as it is
    read (as a bank statement's, where a debit is money out, if ``statement``)."""
    scan = _DECODER.scan_once
    skip = _WHITESPACE
    memo = EntryMemo()
    entries: list[Any] = []
    at = skip(text, at).end()
    if text[at:at + 1] == "]":
        return entries, at + 1
    while True:
        value, at = scan(text, at)
        if type(value) is dict:
            if not OWN_NAMES.issuperset(value):  # else normalize_entry would copy it unchanged
                value = _normal(value, len(entries))
            value = build_entry(value, len(entries) + 1, memo, statement) or value
        entries.append(value)
        at = skip(text, at).end()
        mark = text[at:at + 1]
        if mark == "]":
            return entries, at + 1
        if mark != ",":
            return None, at
        at = skip(text, at + 1).end()


def parse_json(text: str, name: str | None) -> Any:
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
        raise LedgerError(str(refusal), file=name, place=_line_refused(text)) from None


class _Refused(ValueError):
    pass


def _line_refused(text: str) -> int | None:
    """The line of the value or key ``parse_json`` refused.

    Run only after a refusal: Python's pure-Python JSON scanner, unlike the
    fast one, lets each object and value say where it starts.
    """
    from json.decoder import JSONArray, JSONObject
    from json.scanner import py_make_scanner

    reached = [0]

    def traced(scan_once, positions):
        def scan(string: str, index: int):
            reached[0] = index
            positions.append(index)
            return scan_once(string, index)
        return scan

    def parse_object(s_and_end, strict, scan_once, object_hook, pairs_hook, memo):
        positions: list[int] = []  # where each value of this object starts

        def no_duplicates(pairs):
            seen = set()
            for number, (key, _) in enumerate(pairs):
                if key in seen:
                    reached[0] = positions[number]
                    raise _Refused(key)
                seen.add(key)
            return dict(pairs)

        return JSONObject(s_and_end, strict, traced(scan_once, positions), object_hook,
                          no_duplicates, memo)

    def parse_array(s_and_end, scan_once):
        return JSONArray(s_and_end, traced(scan_once, []))

    decoder = json.JSONDecoder(parse_float=Decimal, parse_int=_whole, parse_constant=_no_constant)
    decoder.parse_object = parse_object  # type: ignore[assignment]
    decoder.parse_array = parse_array  # type: ignore[assignment]
    try:
        py_make_scanner(decoder)(text, len(text) - len(text.lstrip()))
    except _Refused:
        return text.count("\n", 0, reached[0]) + 1
    except (ValueError, RecursionError, StopIteration):
        return None
    return None


def _whole(text: str) -> int | Decimal:
    if len(text) > 40:
        raise _Refused(f"the number {text[:20]}... has more digits than any bill needs")
    return int(text)


def _no_constant(text: str) -> None:
    raise _Refused(f"{text} is not a number a ledger may hold")


def _no_duplicates(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    result = dict(pairs)
    if len(result) < len(pairs):  # a key repeats: name the first that does
        seen: set[str] = set()
        for key, _ in pairs:
            if key in seen:
                raise _Refused(f'the key "{key[:40]}" appears twice in one object')
            seen.add(key)
    return result


_DECODER = json.JSONDecoder(
    parse_float=Decimal, parse_int=_whole, parse_constant=_no_constant, object_pairs_hook=_no_duplicates
)
