"""The EN 16931 calculation rules, on ledgers that carry an e-invoice's totals.

The ledgers are JSON, the way an API client could send an e-invoice's figures:
lines are items, document allowances discounts, charges fees, the VAT
breakdown tax entries with base, rate and category; ``stated`` holds the
document totals (``total`` is BT-112 plus the rounding BT-114).
"""

from __future__ import annotations

import json
from decimal import Decimal

import pytest
from ledgers import from_json

import billformat
from billformat.einvoice_rules import EINVOICE_CHECKS, Figures, check_figures, is_einvoice
from billformat.model import Stated

STATED = {
    "line_total": "150.00", "allowance_total": "10.00", "charge_total": "5.00",
    "tax_exclusive": "145.00", "tax_total": "27.55", "total": "172.55", "paid": "50.00",
    "balance": "122.55",
}
ENTRIES = [
    {"id": "1", "text": "Flour", "kind": "item", "amount": "100.00", "category": "S", "rate": "19"},
    {"id": "2", "text": "Pan", "kind": "item", "amount": "50.00", "category": "S", "rate": "19"},
    {"id": "a1", "text": "Loyal customer", "kind": "discount", "amount": "-10.00", "category": "S", "rate": "19"},
    {"id": "c1", "text": "Delivery", "kind": "fee", "amount": "5.00", "category": "S", "rate": "19"},
    {"id": "vat", "text": "VAT 19%", "kind": "tax", "amount": "27.55", "base": "145.00", "rate": "19", "category": "S"},
    {"id": "paid", "text": "Paid", "kind": "payment", "amount": "-50.00"},
]


def invoice(stated=None, change=None, drop=()):
    entries = [{**entry, **(change or {}).get(entry["id"], {})}
               for entry in ENTRIES if entry["id"] not in drop]
    totals = {key: value for key, value in {**STATED, **(stated or {})}.items() if value is not None}
    return from_json(json.dumps({"currency": "EUR", "stated": totals, "entries": entries}))


def errors(ledger):
    return sorted((f.code, f.entry) for f in billformat.check(ledger).findings if f.severity.value == "error")


def test_an_invoice_whose_totals_follow_the_rules_has_no_findings():
    assert billformat.check(invoice()).findings == ()


def test_the_rules_run_from_check_and_only_on_e_invoices():
    assert set(EINVOICE_CHECKS) <= set(billformat.check.__globals__["CHECKS"])
    plain = from_json('{"currency": "EUR", "stated": {"total": "10.00"}, '
                      '"entries": [{"text": "A", "kind": "item", "amount": "10.00"}]}')
    assert not is_einvoice(plain) and billformat.check(plain).findings == ()
    assert is_einvoice(invoice())


@pytest.mark.parametrize(("stated", "expected"), [
    ({"line_total": "150.01"}, [("BR-CO-10", None), ("BR-CO-13", None)]),
    ({"allowance_total": "11.00"}, [("BR-CO-11", None), ("BR-CO-13", None)]),
    ({"charge_total": "6.00"}, [("BR-CO-12", None), ("BR-CO-13", None)]),
    ({"tax_exclusive": "144.00"}, [("BR-CO-13", None), ("BR-CO-15", None)]),
    ({"tax_total": "27.56"}, [("BR-CO-14", None), ("BR-CO-15", None)]),
    ({"balance": "122.56"}, [("BR-CO-16", None), ("stated-balance", None)]),
    ({"line_total": None}, [("BR-12", None)]),
    ({"tax_exclusive": None}, [("BR-13", None)]),
    ({"balance": None}, [("BR-15", None)]),
    ({"allowance_total": None}, [("BR-CO-11", None), ("BR-CO-13", None)]),
])
def test_each_document_total_is_checked_by_its_rule(stated, expected):
    assert errors(invoice(stated)) == expected


def test_a_missing_total_with_vat_is_br_14():
    codes = [f.code for f in check_figures(Figures.of(invoice().entries, Stated(line_total="1")))]
    assert "BR-14" in codes and "BR-15" in codes


def test_the_total_with_vat_is_the_stated_total_less_the_rounding():
    rounded = invoice({"rounding": "0.45", "total": "173.00", "balance": "123.00"})
    assert errors(rounded) == [("stated-balance", None), ("stated-total", None)]  # no rounding entry
    ledger = from_json(json.dumps({"currency": "EUR", "stated": {**STATED, "rounding": "0.45",
                                   "total": "173.00", "balance": "123.00"},
                                   "entries": ENTRIES + [{"id": "r", "text": "Rounding",
                                                          "kind": "rounding", "amount": "0.45"}]}))
    assert errors(ledger) == []


def test_the_vat_amount_is_base_times_rate_within_less_than_one_unit():
    # 19 % of 145.00 is 27.55; the CEN artefacts accept less than a whole unit off.
    near = invoice({"tax_total": "28.54", "total": "173.54", "balance": "123.54"},
                   {"vat": {"amount": "28.54"}})
    assert ("BR-CO-17", "vat") not in errors(near)
    off = invoice({"tax_total": "28.55", "total": "173.55", "balance": "123.55"},
                  {"vat": {"amount": "28.55"}})
    assert ("BR-CO-17", "vat") in errors(off) and ("BR-S-09", "vat") in errors(off)


def test_the_taxable_amount_per_standard_rate_is_lines_plus_charges_less_allowances():
    wrong = invoice(change={"vat": {"base": "150.00", "amount": "28.50"}},
                    stated={"tax_total": "28.50", "total": "173.50", "balance": "123.50"})
    assert errors(wrong) == [("BR-S-08", "vat")]
    # Another rate's line does not count toward the 19 % base.
    other_rate = invoice(change={"2": {"rate": "7"}})
    assert ("BR-S-08", "vat") in errors(other_rate)
    # A line without a VAT category cannot be placed: BR-S-08 is not checked.
    uncategorised = invoice(change={"2": {"category": None, "rate": None}})
    assert ("BR-S-08", "vat") not in errors(uncategorised)


def test_a_credit_note_negated_throughout_keeps_to_the_rules():
    negated = [{**entry, "amount": str(-Decimal(entry["amount"]))} for entry in ENTRIES]
    for entry in negated:
        if "base" in entry:
            entry["base"] = str(-Decimal(entry["base"]))
    stated = {key: str(-Decimal(value)) for key, value in STATED.items()}
    ledger = from_json(json.dumps({"currency": "EUR", "stated": stated, "entries": negated}))
    assert billformat.check(ledger).findings == ()
    assert billformat.collapse(ledger).balance_due == Decimal("-122.55")


def test_findings_name_the_rule_and_both_figures():
    finding = next(f for f in billformat.check(invoice({"line_total": "150.01"})).findings
                   if f.code == "BR-CO-10")
    assert finding.message == ("BR-CO-10: the sum of line net amounts (BT-106) is 150.01; "
                               "the lines add up to 150.00")


def test_a_finding_on_a_vat_entry_names_the_entry_then_the_rule():
    ledger = invoice({"tax_total": "30.00", "total": "175.00", "balance": "125.00"},
                     {"vat": {"amount": "30.00"}})
    assert [(f.code, f.entry, f.message) for f in billformat.check(ledger).findings] == [
        ("BR-CO-17", "vat", "entry vat: BR-CO-17: the VAT amount (BT-117) is 30.00; 19% of 145.00 is 27.55"),
        ("BR-S-09", "vat", "entry vat: BR-S-09: the VAT amount (BT-117) is 30.00; 19% of 145.00 is 27.55")]


ZERO_RATED = {"Z": "BR-Z-09", "E": "BR-E-09", "AE": "BR-AE-09", "K": "BR-IC-09", "G": "BR-G-09",
              "O": "BR-O-09"}


def with_zero_rated_line(category: str, vat: str) -> billformat.Ledger:
    """The invoice with a 40.00 line of ``category`` at 0 % and its breakdown's VAT ``vat``."""
    total = Decimal("172.55") + 40 + Decimal(vat)
    stated = {**STATED, "line_total": "190.00", "tax_exclusive": "185.00",
              "tax_total": str(Decimal("27.55") + Decimal(vat)), "total": str(total),
              "balance": str(total - 50)}
    rate = {} if category == "O" else {"rate": "0"}  # category O has no rate (BR-O-05)
    entries = ENTRIES + [
        {"id": "3", "text": "Export", "kind": "item", "amount": "40.00", "category": category, **rate},
        {"id": "vat-0", "text": "VAT 0%", "kind": "tax", "amount": vat, "base": "40.00",
         "category": category, **rate},
    ]
    return from_json(json.dumps({"currency": "EUR", "stated": stated, "entries": entries}))


@pytest.mark.parametrize(("category", "code"), ZERO_RATED.items())
def test_a_zero_rated_category_has_no_vat_amount(category, code):
    """BR-Z-09, BR-E-09, BR-AE-09, BR-IC-09, BR-G-09, BR-O-09: the VAT of such
    a breakdown is 0; BR-CO-17's tolerance (less than one unit) let 0.50 pass."""
    assert errors(with_zero_rated_line(category, "0.00")) == []
    assert errors(with_zero_rated_line(category, "0.50")) == [(code, "vat-0")]
    finding = next(f for f in billformat.check(with_zero_rated_line(category, "-0.01")).findings
                   if f.code == code)
    assert finding.message.startswith(f"entry vat-0: {code}: the VAT amount (BT-117) of category "
                                      f"{category} (")
    assert finding.message.endswith("is -0.01; it must be 0")


def test_a_standard_rated_breakdown_is_not_held_to_the_zero_rules():
    codes = {code for code, _ in errors(invoice({"tax_total": "28.54", "total": "173.54",
                                                 "balance": "123.54"}, {"vat": {"amount": "28.54"}}))}
    assert not codes & set(ZERO_RATED.values())
