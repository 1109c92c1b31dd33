"""The fuzzing suite: ledgers valid and broken, in JSON and CSV, through
read → collapse → check → render in every format.

The one property: a fuzzed file gives a bill that reconciles and renders in
every format, or a ``LedgerError`` whose message starts with the file name
and names a place or a field.  Any other exception, a hang or a bill that
does not add up is a failure.

The default profile is fast (part of the normal test run); a long run is

    HYPOTHESIS_PROFILE=long python -m pytest tests/test_fuzz.py

(docs/robustness.md gives how long it ran and how many examples).  Every
input the fuzzer ever broke billformat with is kept as an ``@example``.
"""

from __future__ import annotations

import json
import os
import re
from collections import Counter
from decimal import Decimal

from fuzz_strategies import fuzzed_inputs, mutated_ledgers, write_csv, write_json
from hypothesis import HealthCheck, event, example, given, settings
from hypothesis import strategies as st

import billformat
from billformat.errors import LedgerError
from billformat.render import render

_SLOW_OK = [HealthCheck.too_slow, HealthCheck.data_too_large, HealthCheck.large_base_example]
settings.register_profile("fuzz-fast", max_examples=60, deadline=None,
                          suppress_health_check=_SLOW_OK)
settings.register_profile("long", max_examples=20_000, deadline=None,
                          suppress_health_check=_SLOW_OK)
FUZZ = settings.get_profile(
    "long" if os.environ.get("HYPOTHESIS_PROFILE") == "long" else "fuzz-fast"
)

# Refusals about the file as a whole: there is no narrower place to name.
WHOLE_FILE = re.compile(
    r"the file is empty|a ledger must be a JSON object|nested deeper than any ledger"
    r"|has no header row|is not a ledger format"
)
INVARIANTS = {"face-sum", "paid-sum", "balance-due", "ledger-sum", "statement-sum",
              "running-balance", "trail"}
# What no rendered bill may carry: C0/C1 controls (but the text renderer's
# newlines), bidi embeddings, overrides and isolates, zero-width characters.
# (The implicit marks U+200E/U+200F/U+061C are allowed: CLDR's own Arabic and
# Hebrew number formats use them; ledger text never brings them through.)
FORBIDDEN = re.compile(
    "[\x00-\x09\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069\u200b-\u200d\u2060\ufeff]"
)


def assert_refusal_names_its_place(error: LedgerError, name: str) -> None:
    message = str(error)
    assert message.startswith(f"{name}:"), message
    assert error.place or error.field or WHOLE_FILE.search(message), (
        f"the refusal names no place and no field: {message}"
    )
    assert "Traceback" not in message and len(message) < 1000, message


def assert_bill_adds_up(ledger: billformat.Ledger, bill: billformat.Bill) -> None:
    report = billformat.check(ledger)
    broken = [f for f in report.findings if f.code in INVARIANTS]
    assert not broken, broken
    assert Counter(step.entry for step in bill.trail) == Counter(e.id for e in ledger.entries)
    if bill.is_statement:
        assert bill.opening_balance + bill.money_in - bill.money_out == bill.closing_balance
    else:
        assert sum((line.amount for line in bill.face), Decimal(0)) == bill.total
        assert bill.total - bill.paid - bill.transferred == bill.balance_due


def assert_renders(bill: billformat.Bill, *, details: bool, trail: bool, layout: str,
                   pdf: bool) -> None:
    text = render(bill, "text", layout=layout, details=details, trail=trail)
    assert isinstance(text, str) and text.endswith("\n")
    assert not FORBIDDEN.search(text), repr(FORBIDDEN.search(text).group())

    data = json.loads(render(bill, "json"))
    assert len(data["trail"]) == len(bill.trail)
    if not bill.is_statement:
        assert sum(Decimal(line["amount"]) for line in data["face"]) == Decimal(data["total"])

    html = render(bill, "html", layout=layout, details=details, trail=trail)
    assert html.rstrip().endswith("</html>")
    assert_html_is_inert(html)
    assert not FORBIDDEN.search(html.replace("\n", " ")), repr(FORBIDDEN.search(html).group())

    if pdf:
        document = render(bill, "pdf", layout=layout, details=details, trail=trail)
        assert document.startswith(b"%PDF-") and document.rstrip().endswith(b"%%EOF")


def assert_html_is_inert(html: str) -> None:
    """No ledger text became markup: no script, no event handler, no injected element."""
    from bs4 import BeautifulSoup

    soup = BeautifulSoup(html, "html.parser")
    assert not soup.find_all(["script", "iframe", "object", "embed", "img", "font", "para", "b"])
    assert not [h for h in soup.find_all("h1") if h.get_text() == "PAID"]
    for element in soup.find_all(True):
        for attribute in element.attrs:
            assert not attribute.lower().startswith("on"), (element.name, attribute)


def run_pipeline(data: bytes, format: str, *, details: bool = True, trail: bool = True,
                 layout: str = "standard", pdf: bool = True) -> billformat.Bill | None:
    """read → collapse → check → render; None when the ledger is refused (properly)."""
    name = f"fuzz.{format}"
    try:
        ledger = billformat.read_ledger(data, format, name=name)
    except LedgerError as error:
        assert_refusal_names_its_place(error, name)
        event(f"refused: {error.field or ('a line' if error.place else 'the whole file')}")
        return None
    event("a statement" if ledger.is_statement else "a bill")
    bill = billformat.collapse(ledger)
    assert_bill_adds_up(ledger, bill)
    assert_renders(bill, details=details, trail=trail, layout=layout, pdf=pdf)
    return bill


# ---------------------------------------------------------------------------
# The properties


@FUZZ
@given(fuzzed_inputs(), st.booleans(), st.sampled_from(["standard", "receipt", "detailed"]),
       st.integers(0, 3))
# Inputs the fuzzer once broke billformat with, kept as regressions:
@example((b'{"currency": "USD", "kind": "bank_statement", "entries": [{"text": "c",'
          b' "kind": "check", "amount": "-1", "number": "\xc2\xb2"}]}', "json"),
         True, "standard", 0)  # a check numbered "²": int() raised ValueError in collapse
@example((b'{"currency": "USD", "kind": "bank_statement", "entries": [{"text": "c",'
          b' "kind": "check", "amount": "-1", "number": "' + b"9" * 5000 + b'"}]}', "json"),
         False, "receipt", 0)  # a 5,000-digit check number: beyond int()'s digit limit
@example((b'{"currency": "EUR", "kind": "sale",\n "currency": "USD", "entries": []}', "json"),
         False, "standard", 1)  # a duplicate key was refused without its line
@example((b'{"kind": "bank_statement", "currency": "USD", "entries": [], "locale": "ar_EG"}',
          "json"), False, "standard", 0)  # Arabic figures carry CLDR's own U+200F marks
@example((b'# currency: ["' + b"9" * 5000 + b'"]\nid,text,kind,amount\n1,a,item,1\n', "csv"),
         False, "standard", 1)  # the refusal quoted all 5,000 digits back
def test_a_fuzzed_ledger_is_a_bill_that_adds_up_or_a_refusal_naming_its_place(
    case, details, layout, pdf_every
):
    data, format = case
    run_pipeline(data, format, details=details, trail=not details, layout=layout,
                 pdf=pdf_every == 0)


@FUZZ
@given(mutated_ledgers())
def test_json_and_csv_of_the_same_broken_ledger_agree_on_reading_or_refusing(data):
    """The same data written both ways is read both ways or refused both ways
    (where CSV can carry it: a cell has no type, so retyped values are compared
    only when both readers accept them)."""
    outcomes = {}
    for format, text in (("json", write_json(data)), ("csv", write_csv(data))):
        name = f"same.{format}"
        try:
            outcomes[format] = billformat.collapse(billformat.read_ledger(text, format, name=name))
        except LedgerError as error:
            assert_refusal_names_its_place(error, name)
            outcomes[format] = None
    for bill in outcomes.values():
        if bill is not None:
            assert_bill_adds_up(bill.ledger, bill)


@FUZZ
@given(mutated_ledgers())
def test_a_broken_ledger_given_as_a_dict_is_refused_as_a_ledger_error(data):
    """``Ledger.model_validate`` (an API payload) refuses with a LedgerError too."""
    try:
        ledger = billformat.Ledger.model_validate(data, source="payload")
    except LedgerError as error:
        assert_refusal_names_its_place(error, "payload")
        return
    assert_bill_adds_up(ledger, billformat.collapse(ledger))
