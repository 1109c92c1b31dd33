"""Hypothesis strategies for the fuzzing suite: ledgers valid and broken,
written as JSON or CSV text, then as bytes that may be broken further.

A fuzzed input is made in three steps, each of which may do nothing:

1. a valid ledger (``strategies.bill_ledgers``/``statement_ledgers``), dressed
   with the optional fields the format allows (seller, customer, period,
   stated figures, labels, quantities, tax rates) and hostile text;
2. mutations of the ledger as data: a field dropped, duplicated, retyped,
   a number garbled, a date, kind, status or ``reverses`` made wrong;
3. written as JSON or CSV, then mutations of the bytes: a byte-order mark,
   Latin-1, Windows line endings, random bytes, a truncation, a duplicate
   JSON key, deep nesting, a ragged CSV row.

``fuzzed_inputs()`` draws ``(data, format)``.
"""

from __future__ import annotations

import csv
import io
import json
from decimal import Decimal

from hypothesis import strategies as st
from strategies import bill_ledgers, statement_ledgers

# ---------------------------------------------------------------------------
# Values that break a field

HOSTILE_TEXT = [
    "<script>alert(1)</script>",
    "</td></tr></table><h1>PAID</h1>",
    '"><img src=x onerror=alert(1)>',
    "{{ 7*7 }}{% for x in range(9) %}x{% endfor %}",
    "<b>bold</b><para>p</para><br/>&amp;&lt;&#0;",
    '<font color="[[[getattr(pow, Word(\'__globals__\'))[\'os\'].system(\'true\')'
    ' for Word in []] for orgTypeFun in []] and \'red\'">x</font>',
    "\u202eTOTAL 00.01\u202c",  # right-to-left override
    "\u2066\u2067\u2068\u2069\u200e\u200f\u061c",
    "zero\u200bwidth\u200c\u200d\u2060\ufeffjoin",
    "\x00\x01\x07\x08\x1b[31mred\x1b[0m\x7f\x85\x9f",
    "line\nbreak\rreturn\ttab\u2028sep\u2029para",
    "x" * 3000,  # one long word
    "Ω" * 600 + " é\u0301 " + "部品" * 300,
    "%s %d %n {0} {name} ${HOME} $(touch x) `id`",
    "\\\\server\\share ../../etc/passwd",
    "\ud7ff\ue000\U0010ffff \U0001f600",
    " ",
    "a,b;c\t\"d\"'e'",
]

GARBLED_NUMBERS = [
    "12,50", "1e5", "1E-3", "NaN", "nan", "Infinity", "-inf", "", " ", "--1", "+-1", "1.2.3",
    "0x10", "1_000", "9" * 5000, "0." + "0" * 5000 + "1", "-0.00", "-0", "+0", "１２", "١٢",
    ".5", "5.", ".", "-", "1.001", "0.0000000000001", "99999999999999999", "999999999999999999",
    "9999999999999999999", "1 000", "$12.00", "12.00 USD", "(12.00)", "12.00-", "\u221212.00",
]

BAD_DATES = ["2026-02-30", "2026-13-01", "26-1-1", "2026-1-1", "0000-00-00", "2026-11-02T10:00",
             "02/11/2026", "", "２０２６-１１-０２", "9999-12-31", "0001-01-01", "2026-W45"]

BAD_WORDS = ["", "ITEM", "Item ", "items", "refund", "credit", "payment\x00", "void", "billed",
             "bank_statement", "__class__", "sale"]

JSON_SCALARS = st.one_of(
    st.none(), st.booleans(), st.integers(-10**20, 10**20), st.sampled_from(GARBLED_NUMBERS),
    st.sampled_from(HOSTILE_TEXT), st.text(max_size=20),
    st.decimals(allow_nan=False, allow_infinity=False, places=4, min_value=-10**6, max_value=10**6),
)
JSON_VALUES = st.recursive(
    JSON_SCALARS,
    lambda inner: st.one_of(st.lists(inner, max_size=3),
                            st.dictionaries(st.text(max_size=8), inner, max_size=3)),
    max_leaves=6,
)

ENTRY_FIELDS = ["id", "date", "text", "label", "kind", "amount", "debit", "credit", "qty", "unit",
                "unit_price", "status", "reverses", "group", "rate", "base", "taxable", "number",
                "category"]
LEDGER_FIELDS = ["kind", "number", "date", "due", "currency", "locale", "seller", "customer",
                 "period", "stated", "entries"]
TEXT_FIELDS = ["text", "label", "group", "unit", "category"]
PARTY_FIELDS = ["name", "address", "phone", "email", "tax_id", "account"]


# ---------------------------------------------------------------------------
# Step 1: valid ledgers, dressed


@st.composite
def valid_ledgers(draw) -> dict:
    """A ledger that follows the format, with any of its optional fields."""
    data = draw(st.one_of(bill_ledgers(), bill_ledgers(), statement_ledgers()))
    data = json.loads(json.dumps(data))  # a private, plain copy
    party = st.fixed_dictionaries({}, optional={
        "name": st.sampled_from(["Main Street Tire", "Harbor Hotel", *HOSTILE_TEXT]),
        "address": st.lists(st.sampled_from(["12 Main St", "Somerville, NJ", *HOSTILE_TEXT]),
                            max_size=3),
        "phone": st.just("908-555-0100"), "email": st.just("desk@example.com"),
        "tax_id": st.just("22-1234567"), "account": st.just("C-2291"),
    })
    if draw(st.booleans()):
        data["seller"] = draw(party)
    if draw(st.booleans()):
        data["customer"] = draw(party)
    if draw(st.booleans()):
        data["number"] = draw(st.sampled_from(["RO-10492", "F/2026/11", *HOSTILE_TEXT]))
    if draw(st.booleans()):
        data["date"], data["due"] = "2026-11-02", "2026-11-16"
        data["period"] = {"start": "2026-11-01", "end": "2026-11-04"}
    if draw(st.booleans()):
        data["locale"] = draw(st.sampled_from(["en_US", "de_DE", "fr_CH", "ja_JP", "ar_EG", "he_IL"]))
    for entry in data["entries"]:
        if draw(st.integers(0, 3)) == 0:
            field = draw(st.sampled_from(["text", "label", "group"]))
            entry[field] = draw(st.sampled_from(HOSTILE_TEXT[:-2]))  # never blank
        if draw(st.integers(0, 5)) == 0 and "amount" in entry:
            entry["qty"], entry["unit_price"], entry["unit"] = "1", entry["amount"], "each"
        if draw(st.integers(0, 7)) == 0:
            entry["date"] = f"2026-11-{draw(st.integers(1, 28)):02d}"
    return data


# ---------------------------------------------------------------------------
# Step 2: mutations of the data


def _entry(draw, data: dict) -> dict | None:
    entries = data.get("entries")
    if not isinstance(entries, list) or not entries:
        return None
    entry = draw(st.sampled_from(entries))
    return entry if isinstance(entry, dict) else None


@st.composite
def mutated_ledgers(draw) -> dict:
    """A valid ledger with 0 to 3 mutations of its data."""
    data = draw(valid_ledgers())
    for _ in range(draw(st.sampled_from([0, 0, 0, 1, 1, 2, 3]))):  # a third stay valid
        mutation = draw(st.sampled_from([
            "drop", "drop", "retype", "retype", "garble", "date", "word", "reverses",
            "duplicate", "hostile", "party", "stated", "empty",
        ]))
        entry = _entry(draw, data)
        if mutation == "drop":
            if entry is not None and draw(st.booleans()):
                entry.pop(draw(st.sampled_from(ENTRY_FIELDS)), None)
            else:
                data.pop(draw(st.sampled_from(LEDGER_FIELDS)), None)
        elif mutation == "retype":
            value = draw(JSON_VALUES)
            if entry is not None and draw(st.booleans()):
                entry[draw(st.sampled_from(ENTRY_FIELDS))] = value
            else:
                data[draw(st.sampled_from(LEDGER_FIELDS))] = value
        elif mutation == "garble" and entry is not None:
            field = draw(st.sampled_from(["amount", "debit", "credit", "qty", "unit_price", "rate",
                                          "base"]))
            entry[field] = draw(st.sampled_from(GARBLED_NUMBERS))
        elif mutation == "date":
            where = entry if entry is not None and draw(st.booleans()) else data
            where[draw(st.sampled_from(["date", "due"]))] = draw(st.sampled_from(BAD_DATES))
        elif mutation == "word":
            where = entry if entry is not None and draw(st.booleans()) else data
            where[draw(st.sampled_from(["kind", "status"]))] = draw(st.sampled_from(BAD_WORDS))
        elif mutation == "reverses" and entry is not None:
            ids = [e.get("id") for e in data.get("entries", []) if isinstance(e, dict)]
            entry["reverses"] = draw(st.sampled_from([*ids, "nope", "", "0", entry.get("id")]))
        elif mutation == "duplicate" and entry is not None:
            data["entries"].append(dict(entry))
        elif mutation == "hostile" and entry is not None:
            entry[draw(st.sampled_from(TEXT_FIELDS))] = draw(st.sampled_from(HOSTILE_TEXT))
        elif mutation == "party":
            party = data.setdefault(draw(st.sampled_from(["seller", "customer"])), {})
            if isinstance(party, dict):
                party[draw(st.sampled_from(PARTY_FIELDS))] = draw(JSON_VALUES)
        elif mutation == "stated":
            data["stated"] = {draw(st.sampled_from(["total", "paid", "balance", "opening_balance",
                                                    "closing_balance"])): draw(JSON_SCALARS)}
        elif mutation == "empty":
            data["entries"] = []
    return data


# ---------------------------------------------------------------------------
# Step 3: written as text, then as bytes that may be broken


def _json_default(value: object) -> object:
    if isinstance(value, Decimal):
        return str(value)
    raise TypeError(type(value).__name__)


def write_json(data: dict) -> str:
    return json.dumps(data, default=_json_default, ensure_ascii=False, indent=1)


def _cell(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, (dict, list)):
        return json.dumps(value, default=_json_default)
    return str(value)


def write_csv(data: dict) -> str:
    """``data`` as the CSV form of the format, whatever its fields hold."""
    out = io.StringIO()
    for key in ("kind", "number", "date", "due", "currency", "locale"):
        if key in data:
            out.write(f"# {key}: {_line(_cell(data[key]))}\n")
    for key in ("seller", "customer", "period", "stated"):
        value = data.get(key)
        if isinstance(value, dict):
            for field, inner in value.items():
                lines = inner if isinstance(inner, list) else [inner]
                for line in lines:
                    out.write(f"# {key}.{_line(str(field))}: {_line(_cell(line))}\n")
    entries = data.get("entries")
    rows = [e for e in entries if isinstance(e, dict)] if isinstance(entries, list) else []
    columns = list(dict.fromkeys(key for row in rows for key in row)) or ["text", "kind", "amount"]
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(columns)
    for row in rows:
        writer.writerow([_cell(row.get(column)) for column in columns])
    return out.getvalue()


def _line(text: str) -> str:
    return " ".join(text.splitlines())


# About half the files keep their bytes, so broken data reaches the readers' later stages.
BYTE_MUTATIONS = ["none"] * 12 + ["bom", "latin1", "crlf", "cr", "insert", "flip", "truncate",
                                  "duplicate_key", "deep", "ragged", "nul", "utf16"]


@st.composite
def fuzzed_inputs(draw) -> tuple[bytes, str]:
    """``(data, format)``: a ledger, maybe broken, as the bytes of a JSON or CSV file."""
    data = draw(mutated_ledgers())
    format = draw(st.sampled_from(["json", "csv"]))
    text = write_json(data) if format == "json" else write_csv(data)
    mutation = draw(st.sampled_from(BYTE_MUTATIONS))
    if mutation == "duplicate_key" and format == "json":
        key = draw(st.sampled_from(['"currency": "EUR", ', '"kind": "sale", ', '"entries": [], ']))
        text = text.replace("{", "{" + key, 1)
    elif mutation == "deep" and format == "json":
        depth = draw(st.sampled_from([50, 1000, 10_000]))
        text = text.replace("{", '{"extra": ' + "[" * depth + "]" * depth + ", ", 1)
    elif mutation == "ragged" and format == "csv":
        lines = text.split("\n")
        index = draw(st.integers(0, max(len(lines) - 1, 0)))
        lines[index] += draw(st.sampled_from([",extra", ",,", ',"quoted\nnewline"', '"']))
        text = "\n".join(lines)
    elif mutation == "crlf":
        text = text.replace("\n", "\r\n")
    elif mutation == "cr":
        text = text.replace("\n", "\r")
    raw = text.encode("utf-8")
    if mutation == "bom":
        raw = b"\xef\xbb\xbf" + raw
    elif mutation == "latin1":
        raw = text.encode("latin-1", errors="replace").replace(b"a", b"\xe9", 1)
    elif mutation == "utf16":
        raw = text.encode("utf-16")
    elif mutation == "nul":
        raw = raw.replace(b",", b",\x00", 1)
    elif mutation in ("insert", "flip") and raw:
        at = draw(st.integers(0, len(raw) - 1))
        junk = draw(st.binary(min_size=1, max_size=8))
        raw = raw[:at] + junk + raw[at + (len(junk) if mutation == "flip" else 0):]
    elif mutation == "truncate" and raw:
        raw = raw[: draw(st.integers(0, len(raw) - 1))]
    return raw, format
