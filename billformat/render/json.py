"""The bill as JSON, exactly as INTERFACE.md lays it out.

Amounts are decimal strings with the currency's decimals (``"246.45"``,
``"5445"`` for yen); ``payments`` and ``paid`` are positive for money
received.  A statement carries its balances, register and checks in place
of the face, total, payments and balance due; its trail sends a movement
to ``face`` with the movement's index in the register.
"""

from __future__ import annotations

from collections.abc import Iterable
from decimal import Decimal
from typing import Any

from billformat.bill import Bill, Line
from billformat.money import ZERO, fixed


def bill_json(bill: Bill) -> dict[str, Any]:
    """The bill as a JSON-ready dict (strings, lists, ints and None only)."""

    def amount(value: Decimal | None) -> str:
        return fixed(value if value is not None else ZERO, bill.currency)

    def lines(items: Iterable[Line]) -> list[dict[str, Any]]:
        return [
            {"label": line.label, "amount": amount(line.amount), "entries": list(line.entries)}
            for line in items
        ]

    data: dict[str, Any] = {"number": bill.number, "currency": bill.currency}
    if bill.is_statement:
        data.update(
            opening_balance=amount(bill.opening_balance),
            money_in=amount(bill.money_in),
            money_out=amount(bill.money_out),
            closing_balance=amount(bill.closing_balance),
            register=[
                {
                    "date": _date(movement.date),
                    "label": movement.label,
                    "amount": amount(movement.amount),
                    "balance": amount(movement.balance),
                    "number": movement.number,
                    "entries": list(movement.entries),
                }
                for movement in bill.movements
            ],
            checks=[
                {
                    "number": check.number,
                    "date": _date(check.date),
                    "label": check.label,
                    "amount": amount(check.amount),
                    "entries": list(check.entries),
                }
                for check in bill.checks
            ],
            missing_checks=list(bill.missing_checks),
        )
    else:
        data.update(face=lines(bill.face), total=amount(bill.total), payments=lines(bill.payments))
    # A statement has these too (nothing paid toward a bill, nothing moved
    # or declined there): INTERFACE.md replaces only the four figures above.
    data.update(
        paid=amount(bill.paid),
        transfers=lines(bill.transfers),
        transferred=amount(bill.transferred),
    )
    if not bill.is_statement:
        data["balance_due"] = amount(bill.balance_due)
    data["declined"] = lines(bill.declined)
    data["trail"] = [{"entry": step.entry, "to": step.to, "line": step.line} for step in bill.trail]
    return data


def render_json(bill: Bill, layout: object = None, details: bool = False, trail: bool = False) -> str:
    """The bill as JSON text; the layout, details and trail change nothing."""
    import json

    return json.dumps(bill_json(bill), ensure_ascii=False, indent=2) + "\n"


def _date(day) -> str | None:
    return day.isoformat() if day is not None else None
