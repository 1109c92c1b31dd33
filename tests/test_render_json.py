"""The bill as JSON: exactly the shape INTERFACE.md gives."""

import json

from ledgers import from_json

import billformat
from billformat.render.json import bill_json

TIRE_SHOP = """
    {"kind": "repair_order", "number": "RO-10492", "currency": "USD", "entries": [
      {"id": "1", "text": "225/45R17 94W MICH PS4", "label": "Tire", "kind": "item", "amount": "189.99"},
      {"id": "2", "text": "MOUNT/BAL", "kind": "labor", "amount": "40.00"},
      {"id": "3", "text": "SALES TAX", "kind": "tax", "amount": "16.46"},
      {"id": "6", "text": "ALIGN", "label": "Wheel alignment", "kind": "labor", "amount": "89.99",
       "status": "declined"},
      {"id": "7", "text": "WIPERS", "kind": "item", "amount": "20.00", "status": "void"},
      {"id": "9", "text": "VISA XXXX1234", "kind": "payment", "amount": "-246.45"}]}
"""

STATEMENT = """
    {"kind": "bank_statement", "number": "2026-03", "currency": "USD",
     "stated": {"opening_balance": "1250.00"}, "entries": [
      {"id": "a", "date": "2026-03-02", "text": "PAYROLL", "kind": "deposit", "amount": "500.00"},
      {"id": "b", "date": "2026-03-05", "text": "CHECK 1042", "kind": "check", "number": "1042",
       "amount": "-84.12"},
      {"id": "c", "date": "2026-03-03", "text": "CHECK 1040", "kind": "check", "number": "1040",
       "amount": "-500.00"},
      {"id": "d", "date": "2026-03-31", "text": "FEE", "kind": "fee", "amount": "-7.91"}]}
"""


def test_a_bill_has_exactly_the_interface_keys_with_amounts_as_strings():
    data = bill_json(billformat.collapse(from_json(TIRE_SHOP)))
    assert list(data) == [
        "number", "currency", "face", "total", "payments", "paid", "transfers", "transferred",
        "balance_due", "declined", "trail",
    ]
    assert data["face"] == [
        {"label": "Tire", "amount": "189.99", "entries": ["1"]},
        {"label": "Labor and service", "amount": "40.00", "entries": ["2"]},
        {"label": "Taxes", "amount": "16.46", "entries": ["3"]},
    ]
    assert (data["total"], data["paid"], data["transferred"], data["balance_due"]) == (
        "246.45", "246.45", "0.00", "0.00",
    )
    assert data["payments"] == [{"label": "Visa ending 1234", "amount": "246.45", "entries": ["9"]}]
    assert data["declined"] == [{"label": "Wheel alignment", "amount": "89.99", "entries": ["6"]}]
    assert {"entry": "7", "to": "void", "line": None} in data["trail"]
    assert [step["entry"] for step in data["trail"]] == ["1", "2", "3", "6", "7", "9"]


def test_render_json_is_that_dict_as_text():
    bill = billformat.collapse(from_json(TIRE_SHOP))
    assert json.loads(billformat.render(bill, "json")) == bill_json(bill)


def test_yen_amounts_have_no_decimals_and_dinar_three():
    yen = bill_json(billformat.collapse(from_json("""
        {"currency": "JPY", "entries": [{"text": "Ramen", "kind": "item", "amount": "4950"},
                                        {"text": "Tax", "kind": "tax", "amount": "495"}]}""")))
    dinar = bill_json(billformat.collapse(from_json("""
        {"currency": "KWD", "entries": [{"text": "Fuel", "kind": "item", "amount": "12.5"}]}""")))
    assert yen["total"] == "5445"
    assert dinar["total"] == "12.500"


def test_a_statement_carries_balances_register_and_checks_instead_of_a_face():
    data = bill_json(billformat.collapse(from_json(STATEMENT)))
    for key in ("face", "total", "payments", "balance_due"):
        assert key not in data
    assert (data["opening_balance"], data["money_in"], data["money_out"], data["closing_balance"]) == (
        "1250.00", "500.00", "592.03", "1157.97",
    )
    assert [(row["date"], row["amount"], row["balance"]) for row in data["register"]] == [
        ("2026-03-02", "500.00", "1750.00"),
        ("2026-03-03", "-500.00", "1250.00"),
        ("2026-03-05", "-84.12", "1165.88"),
        ("2026-03-31", "-7.91", "1157.97"),
    ]
    assert [check["number"] for check in data["checks"]] == ["1040", "1042"]
    assert data["missing_checks"] == ["1041"]


def test_a_statement_keeps_the_other_interface_keys_and_its_trail_names_only_interface_places():
    data = bill_json(billformat.collapse(from_json(STATEMENT)))
    # INTERFACE.md replaces face, total, payments and balance_due, nothing else.
    assert (data["paid"], data["transferred"], data["declined"]) == ("0.00", "0.00", [])
    places = {"face", "payments", "transfers", "declined", "void", "reversal"}
    assert [step["entry"] for step in data["trail"]] == ["a", "b", "c", "d"]
    assert {step["to"] for step in data["trail"]} <= places
    # On a statement the face is the register: each step's line is its movement.
    for step in data["trail"]:
        assert data["register"][step["line"]]["entries"] == [step["entry"]]


def test_a_void_statement_movement_goes_to_void_without_a_line():
    ledger = STATEMENT.replace('"amount": "-7.91"}', '"amount": "-7.91", "status": "void"}')
    data = bill_json(billformat.collapse(from_json(ledger)))
    assert data["trail"][-1] == {"entry": "d", "to": "void", "line": None}
    assert len(data["register"]) == 3
