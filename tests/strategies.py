"""Hypothesis strategies: ledgers of every kind, status, reversal and payment,
as the dicts of the JSON format, plus a writer of the same ledger as CSV."""

from __future__ import annotations

import csv
import io
from decimal import Decimal

from hypothesis import strategies as st

from billformat.money import minor_digits

BILL_KINDS = ["item", "labor", "fee", "tax", "discount", "rounding", "payment", "transfer"]
STATEMENT_KINDS = ["deposit", "withdrawal", "check", "fee", "interest", "transfer"]
LEDGER_KINDS = ["sale", "repair_order", "hotel_folio", "phone_bill"]
CURRENCIES = ["USD", "EUR", "JPY", "KWD", "CHF"]
GROUPS = [None, None, None, "Room", "Food and drink", "Parking"]
COLUMNS = ["id", "date", "text", "kind", "amount", "debit", "credit", "status", "reverses", "group",
           "number"]


def _amount(minor: int, currency: str) -> str:
    return format(Decimal(minor).scaleb(-minor_digits(currency)), "f")


@st.composite
def bill_ledgers(draw) -> dict:
    currency = draw(st.sampled_from(CURRENCIES))
    count = draw(st.integers(min_value=1, max_value=14))
    entries: list[dict] = []
    for index in range(1, count + 1):
        billed = [e for e in entries if e["status"] == "billed" and "reverses" not in e]
        if billed and draw(st.booleans()) and draw(st.booleans()):
            target = draw(st.sampled_from(billed))
            value = -Decimal(target["_value"])
            if draw(st.booleans()):  # a partial correction
                value = (value / 2).quantize(Decimal(1).scaleb(-minor_digits(currency)))
            entry = {"kind": target["kind"], "reverses": target["id"], "_value": str(value),
                     "status": "billed"}
        else:
            kind = draw(st.sampled_from(BILL_KINDS))
            minor = draw(st.integers(min_value=-50_000, max_value=500_000))
            if kind in ("discount", "payment", "transfer"):
                minor = -abs(minor)
            entry = {"kind": kind, "_value": _amount(minor, currency),
                     "status": draw(st.sampled_from(["billed"] * 6 + ["declined", "void"]))}
            group = draw(st.sampled_from(GROUPS))
            if group and kind in ("item", "labor", "fee"):
                entry["group"] = group
        entry["id"] = f"E{index}"
        entry["text"] = draw(st.sampled_from(["RM CHG", "VISA XXXX1234", "Tire", "Tax", "Zimmer",
                                              "Café crème", "部品", "x, \"quoted\""]))
        style = draw(st.sampled_from(["amount", "debit", "credit"]))
        value = Decimal(entry.pop("_value"))
        entry["_value"] = str(value)
        if style == "credit":
            entry["credit"] = format(-value, "f")
        else:
            entry[style] = format(value, "f")
        entries.append(entry)
    for entry in entries:
        entry.pop("_value")
    return {"kind": draw(st.sampled_from(LEDGER_KINDS)), "currency": currency, "entries": entries}


@st.composite
def statement_ledgers(draw) -> dict:
    currency = draw(st.sampled_from(CURRENCIES))
    entries = []
    for index in range(1, draw(st.integers(min_value=0, max_value=12)) + 1):
        kind = draw(st.sampled_from(STATEMENT_KINDS))
        minor = draw(st.integers(min_value=1, max_value=300_000))
        sign = 1 if kind in ("deposit", "interest") else -1
        if kind == "transfer" and draw(st.booleans()):
            sign = 1
        entry = {"id": str(index), "date": f"2026-03-{draw(st.integers(1, 28)):02d}",
                 "text": kind.upper(), "kind": kind, "amount": _amount(sign * minor, currency),
                 "status": draw(st.sampled_from(["billed"] * 8 + ["void"]))}
        if kind == "check":
            entry["number"] = str(draw(st.integers(1000, 1030)))
        entries.append(entry)
    opening = _amount(draw(st.integers(0, 1_000_000)), currency)
    return {"kind": "bank_statement", "currency": currency,
            "stated": {"opening_balance": opening}, "entries": entries}


def to_csv(ledger: dict) -> str:
    """The same ledger written in the CSV form of the format."""
    out = io.StringIO()
    out.write(f"# kind: {ledger['kind']}\n# currency: {ledger['currency']}\n")
    for key, value in ledger.get("stated", {}).items():
        out.write(f"# stated.{key}: {value}\n")
    writer = csv.DictWriter(out, COLUMNS, lineterminator="\n")
    writer.writeheader()
    for entry in ledger["entries"]:
        writer.writerow({column: entry.get(column, "") for column in COLUMNS})
    return out.getvalue()
