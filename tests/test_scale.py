"""Scale: big ledgers are read, collapsed and checked in time and memory
proportional to them, with no quadratic step a hostile ledger can trigger.

Timings here are generous ceilings that catch a quadratic step (which turns
seconds into hours), not benchmarks; bench/ and docs/benchmarks.md measure.
"""

from __future__ import annotations

import json
import time
import tracemalloc
from decimal import Decimal

import pytest

import billformat
from billformat.render import render


def _chain_ledger(length: int) -> dict:
    """One charge corrected, re-corrected ... ``length`` - 1 times: a chain of reverses."""
    entries = [{"id": "1", "text": "RM CHG", "kind": "item", "amount": "100.00"}]
    for number in range(2, length + 1):
        entries.append({"id": str(number), "text": "CORR", "kind": "item",
                        "amount": "-0.01" if number % 2 else "0.01", "reverses": str(number - 1)})
    return {"currency": "USD", "entries": entries}


def test_a_long_chain_of_corrections_is_linear():
    """20,000 corrections each reversing the one before: was quadratic in the
    model's circle check, in collapse and in check (minutes); now well under seconds."""
    started = time.perf_counter()
    ledger = billformat.Ledger.model_validate(_chain_ledger(20_000), source="chain.json")
    bill = billformat.collapse(ledger)
    report = billformat.check(ledger)
    elapsed = time.perf_counter() - started
    assert report.ok, report.findings[:3]
    assert len(bill.face) == 1 and bill.total == Decimal("100.01")  # 10,000 up, 9,999 down
    assert len(bill.face[0].entries) == 20_000
    assert elapsed < 8, f"{elapsed:.1f} s for a 20,000-long chain: a quadratic step is back"


def test_a_circle_of_reverses_at_the_end_of_a_long_chain_is_refused_quickly():
    data = _chain_ledger(20_000)
    data["entries"][0]["reverses"] = "20000"  # the first now reverses the last: a circle
    started = time.perf_counter()
    with pytest.raises(billformat.LedgerError, match="circle") as refused:
        billformat.Ledger.model_validate(data, source="circle.json")
    assert str(refused.value).startswith("circle.json:entry 1")
    assert time.perf_counter() - started < 5
