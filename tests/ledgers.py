"""Small helpers that let tests read like the domain: ledgers as inline text,
bills as (label, amount) pairs."""

from __future__ import annotations

import textwrap
from decimal import Decimal

import billformat
from billformat.bill import Bill
from billformat.model import Ledger


def from_json(text: str, name: str = "test.json") -> Ledger:
    return billformat.read_ledger(textwrap.dedent(text), "json", name=name)


def from_csv(text: str, name: str = "test.csv") -> Ledger:
    return billformat.read_ledger(textwrap.dedent(text).lstrip("\n"), "csv", name=name)


def face(bill: Bill) -> list[tuple[str, str]]:
    return [(line.label, str(line.amount)) for line in bill.face]


def pairs(lines) -> list[tuple[str, str]]:
    return [(line.label, str(line.amount)) for line in lines]


def money(text: str) -> Decimal:
    return Decimal(text)
