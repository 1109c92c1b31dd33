"""The samples: real-looking ledgers of every kind, each read, collapsed and reconciled."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest

import billformat

SAMPLES = Path(__file__).resolve().parent.parent / "samples"
ALL = sorted(path for path in SAMPLES.iterdir() if path.suffix in (".json", ".csv"))


def face(bill: billformat.Bill) -> list[tuple[str, Decimal]]:
    return [(line.label, line.amount) for line in bill.face]


def test_there_is_a_sample_of_every_kind():
    kinds = {billformat.read_ledger(path).kind.value for path in ALL}
    assert kinds == {"sale", "repair_order", "hotel_folio", "phone_bill", "bank_statement"}


@pytest.mark.parametrize("path", ALL, ids=lambda path: path.name)
def test_sample_reads_collapses_and_reconciles(path):
    ledger = billformat.read_ledger(path)
    bill = billformat.collapse(ledger)
    report = billformat.check(ledger)
    assert report.ok, [finding.line(path.name) for finding in report.findings]
    assert len(bill.trail) == len(ledger.entries)
    if bill.is_statement:
        assert bill.opening_balance + bill.money_in - bill.money_out == bill.closing_balance
        assert bill.closing_balance == ledger.stated.closing_balance
    else:
        assert sum(amount for _, amount in face(bill)) == bill.total
        assert bill.total == ledger.stated.total
        assert bill.balance_due == ledger.stated.balance


def test_tire_shop_face_is_three_lines_and_declined_work_is_only_declined():
    bill = billformat.collapse(billformat.read_ledger(SAMPLES / "tire_shop.json"))
    assert face(bill) == [
        ("New tire: Michelin Pilot Sport 4, 225/45R17", Decimal("189.99")),
        ("Labor and service", Decimal("30.45")),
        ("Taxes", Decimal("15.87")),
    ]
    assert bill.total == Decimal("236.31")
    assert [(line.label, line.amount) for line in bill.payments] == [("Visa ending 4417", Decimal("236.31"))]
    assert bill.balance_due == Decimal("0.00")
    assert [(line.label, line.amount) for line in bill.declined] == [
        ("Four-wheel alignment", Decimal("89.99")),
        ("Tire pressure sensor kit", Decimal("54.95")),
    ]
    declined = {"7", "8"}
    assert {step.entry for step in bill.trail if step.to == "declined"} == declined
    assert not declined & {entry for line in bill.face for entry in line.entries}


def test_hotel_folio_nets_corrections_inside_their_lines():
    bill = billformat.collapse(billformat.read_ledger(SAMPLES / "hotel_folio.csv"))
    assert face(bill) == [
        ("Room", Decimal("867.00")),
        ("Food and drink", Decimal("62.00")),  # 60 + 12 tip - 10 rebate; the minibar pair is gone
        ("Parking", Decimal("65.00")),
        ("Taxes", Decimal("154.77")),
    ]
    assert bill.total == Decimal("1148.77")
    assert [(line.label, line.amount) for line in bill.payments] == [
        ("Deposit", Decimal("100.00")), ("Visa ending 4417", Decimal("43.38"))]
    assert [line.amount for line in bill.transfers] == [Decimal("1005.39")]
    assert bill.balance_due == Decimal("0.00")
    assert {step.entry for step in bill.trail if step.to == "reversal"} == {"10", "11"}


def test_phone_bill_keeps_company_fees_apart_from_government_charges():
    bill = billformat.collapse(billformat.read_ledger(SAMPLES / "phone_bill.json"))
    assert face(bill) == [
        ("Service", Decimal("92.50")),
        ("Phone payment", Decimal("27.77")),
        ("Company fees", Decimal("5.98")),
        ("Discounts", Decimal("-10.00")),
        ("Taxes and government fees", Decimal("20.02")),
    ]
    assert bill.balance_due == Decimal("136.27")


def test_bank_statement_keeps_the_real_running_balance_and_finds_the_missing_check():
    bill = billformat.collapse(billformat.read_ledger(SAMPLES / "bank_statement.csv"))
    assert [movement.balance for movement in bill.movements][:3] == [
        Decimal("1165.00"), Decimal("1102.63"), Decimal("702.63")]
    assert [check.number for check in bill.checks] == ["1041", "1042", "1044", "1045", "1046"]
    assert list(bill.missing_checks) == ["1043"]
    assert bill.closing_balance == Decimal("1157.97")


def test_swiss_sale_rounds_cash_to_five_rappen():
    bill = billformat.collapse(billformat.read_ledger(SAMPLES / "swiss_sale.json"))
    assert bill.currency == "CHF" and bill.locale == "de_CH"
    assert face(bill)[-1][1] == Decimal("-0.02")
    assert bill.total == Decimal("119.65")
    assert bill.total % Decimal("0.05") == 0


def test_japan_sale_has_no_minor_unit():
    bill = billformat.collapse(billformat.read_ledger(SAMPLES / "japan_sale.json"))
    assert bill.total == Decimal("2697")
    assert sum(amount for _, amount in face(bill)) == Decimal("2697")
