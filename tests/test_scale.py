"""Scale: big ledgers are read, collapsed and checked in time and memory
proportional to them, with no quadratic step a hostile ledger can trigger.

Timings here are generous ceilings that catch a quadratic step (which turns
seconds into hours), not benchmarks; bench/ and docs/benchmarks.md measure.
"""

from __future__ import annotations

import json
import subprocess
import sys
import time
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


def _busy_ledger(count: int) -> dict:
    """A folio of ``count`` entries with everything that could be slow: chains of
    corrections, thousands of groups, taxes with rate and base, quantities,
    payments, declined and void lines."""
    entries: list[dict] = []
    for number in range(1, count + 1):
        entry: dict = {"id": str(number), "date": f"2026-{1 + number % 12:02d}-{1 + number % 28:02d}",
                       "text": f"ITEM {number}", "kind": "item",
                       "amount": f"{1 + number % 500}.{number % 100:02d}",
                       "group": f"Group {number % 5000}"}
        step = number % 10
        if step == 3:  # corrects the line before, which may itself be a correction
            entry = {"id": str(number), "text": "CORR", "kind": "item", "amount": "-0.01",
                     "reverses": str(number - 1)}
        elif step == 4 and number % 1000 == 4:  # a chain of 200 corrections now and then
            entry = {"id": str(number), "text": "CORR", "kind": "item", "amount": "0.00",
                     "reverses": str(number - 1)}
        elif step == 5:
            base = Decimal(f"{1 + number % 500}.{number % 100:02d}")
            entry.update(kind="tax", rate="10", base=str(base), amount=str((base / 10).quantize(
                Decimal("0.01"), rounding="ROUND_HALF_UP")))
            entry.pop("group")
        elif step == 7:
            entry.update(qty="3", unit_price=entry["amount"],
                         amount=str(3 * Decimal(entry["amount"])))
        elif step == 8:
            entry["status"] = "declined" if number % 20 == 8 else "void"
        elif step == 9:
            entry = {"id": str(number), "text": "VISA XXXX1234", "kind": "payment",
                     "amount": "-1.00"}
        entries.append(entry)
    return {"currency": "USD", "kind": "hotel_folio", "entries": entries}


def test_200_000_busy_entries_are_read_collapsed_and_checked_without_a_quadratic_step():
    text = json.dumps(_busy_ledger(200_000))
    started = time.perf_counter()
    ledger = billformat.read_ledger(text, "json", name="big.json")
    read = time.perf_counter() - started
    bill = billformat.collapse(ledger)
    report = billformat.check(ledger)
    elapsed = time.perf_counter() - started
    assert report.ok, report.findings[:3]
    assert len(bill.trail) == 200_000
    assert sum((line.amount for line in bill.face), Decimal(0)) == bill.total
    assert len(bill.face) > 2_500 and len(bill.payments) == 20_000
    # A quadratic step at this size takes hours; linear work takes seconds.
    assert elapsed < 60, f"read {read:.1f} s, all {elapsed:.1f} s"


def test_a_statement_with_20_000_checks_and_gaps_lists_missing_checks_in_linear_time():
    entries = [{"id": str(n), "date": f"2026-03-{1 + n % 28:02d}", "text": "CHECK", "kind": "check",
                "amount": "-1.00", "number": str(1000 + 2 * n + (n // 100) * 60)}
               for n in range(20_000)]
    ledger = billformat.Ledger.model_validate(
        {"currency": "USD", "kind": "bank_statement", "entries": entries})
    started = time.perf_counter()
    bill = billformat.collapse(ledger)
    assert billformat.check(ledger).ok
    assert len(bill.checks) == 20_000
    # one number missing between each two checks of a run; a jump of 61 starts a new book
    assert len(bill.missing_checks) == 20_000 - 200
    assert time.perf_counter() - started < 20


def test_a_detailed_bill_of_3_000_entries_renders_in_every_format():
    """The 100,000-entry run is in docs/robustness.md (it takes minutes, not a test)."""
    bill = billformat.collapse(billformat.Ledger.model_validate(_busy_ledger(3_000)))
    started = time.perf_counter()
    for output in ("text", "html", "json", "pdf"):
        rendered = render(bill, output, details=True, trail=True)
        assert len(rendered) > 100_000
    assert time.perf_counter() - started < 40


def test_memory_grows_in_proportion_to_the_ledger(tmp_path):
    """Peak memory (RSS) that read → collapse → check of a ledger file adds,
    per entry, at two sizes, each in a fresh process: under 4 kB an entry
    (the file's own bytes included), and no more per entry for the bigger one."""
    runs = []
    for count in (20_000, 80_000):
        path = tmp_path / f"ledger-{count}.json"
        path.write_text(json.dumps(_busy_ledger(count)))
        runs.append(subprocess.Popen([sys.executable, "-c", MEASURE, str(path), str(count)],
                                     stdout=subprocess.PIPE))
    per_entry = [float(run.communicate(timeout=120)[0]) for run in runs]
    assert all(cost < 4096 for cost in per_entry), per_entry
    assert per_entry[1] < per_entry[0] * 1.25, per_entry


# Bytes of peak memory per entry that reading, collapsing and checking add.
MEASURE = """
import resource, sys
import billformat

def peak():
    # VmHWM starts afresh with the process; ru_maxrss keeps the parent's peak across exec.
    try:
        with open("/proc/self/status") as status:
            for line in status:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1]) * 1024
    except OSError:
        pass
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024

billformat.check(billformat.read_ledger(
    '{"currency": "USD", "entries": [{"text": "a", "kind": "item", "amount": "1"}]}', "json"))
before = peak()
ledger = billformat.read_ledger(sys.argv[1])
billformat.check(ledger)
bill = billformat.collapse(ledger)
print((peak() - before) / int(sys.argv[2]))
"""
