"""Invariants over generated ledgers of every kind, status, reversal and payment."""

import json
from collections import Counter

from hypothesis import given, settings
from strategies import bill_ledgers, statement_ledgers, to_csv

import billformat
from billformat.render.json import bill_json

FAST = settings(max_examples=150, deadline=None)


@FAST
@given(bill_ledgers())
def test_the_face_adds_to_the_total_and_balance_due_follows(data):
    bill = billformat.collapse(billformat.Ledger.model_validate(data))
    assert sum(line.amount for line in bill.face) == bill.total
    assert bill.balance_due == bill.total - bill.paid - bill.transferred
    assert bill.paid == sum(line.amount for line in bill.payments)
    assert bill.transferred == sum(line.amount for line in bill.transfers)


@FAST
@given(bill_ledgers())
def test_the_trail_covers_every_entry_exactly_once(data):
    ledger = billformat.Ledger.model_validate(data)
    bill = billformat.collapse(ledger)
    assert Counter(step.entry for step in bill.trail) == Counter(e.id for e in ledger.entries)
    sections = {"face": bill.face, "payments": bill.payments, "transfers": bill.transfers,
                "declined": bill.declined}
    for step in bill.trail:
        if step.to in sections:
            assert step.entry in sections[step.to][step.line].entries


@FAST
@given(bill_ledgers())
def test_declined_and_void_entries_never_count(data):
    ledger = billformat.Ledger.model_validate(data)
    bill = billformat.collapse(ledger)
    counted = sum(e.amount for e in ledger.entries if e.status == "billed")
    assert bill.balance_due == counted
    assert billformat.check(ledger).ok


@FAST
@given(bill_ledgers())
def test_csv_and_json_of_the_same_ledger_give_the_same_bill(data):
    from_json = billformat.read_ledger(json.dumps(data), "json", name="l")
    from_csv = billformat.read_ledger(to_csv(data), "csv", name="l")
    assert bill_json(billformat.collapse(from_json)) == bill_json(billformat.collapse(from_csv))


@FAST
@given(statement_ledgers())
def test_a_statement_opening_plus_movements_is_the_closing(data):
    ledger = billformat.Ledger.model_validate(data)
    bill = billformat.collapse(ledger)
    assert bill.opening_balance + bill.money_in - bill.money_out == bill.closing_balance
    balance = bill.opening_balance
    for movement in bill.movements:
        balance += movement.amount
        assert movement.balance == balance
    dates = [m.date for m in bill.movements]
    assert dates == sorted(dates)
    numbers = [int(c.number) for c in bill.checks]
    assert numbers == sorted(numbers)
    assert not set(bill.missing_checks) & {c.number for c in bill.checks}
    assert billformat.check(ledger).ok
    csv_bill = billformat.collapse(billformat.read_ledger(to_csv(data), "csv", name="s"))
    assert bill_json(csv_bill) == bill_json(bill)
