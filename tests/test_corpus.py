"""Every file of the public corpus (shared/corpus, see its README): real e-invoices
(EN 16931 UBL and CII, XRechnung, Factur-X / ZUGFeRD PDFs) and OFX statements.

Each whole document reads; its bill's total and balance due are the document's
own (tax-inclusive amount plus rounding, amount due); ``check`` passes the
valid ones and names the rule the source names for the invalid ones.  Each
EN 16931 unit-test case (a fragment of an invoice inside a ``<test>``) runs
through the calculation rules.  What billformat cannot support, or sees
differently from the source, is listed here with its reason (and in
docs/formats.md); the tests assert exactly these lists, so nothing is skipped
silently.
"""

from __future__ import annotations

import csv
from decimal import ROUND_HALF_UP, Decimal
from functools import lru_cache
from pathlib import Path

import pytest
from lxml import etree

import billformat
from billformat.einvoice_rules import Figures, check_figures
from billformat.model import Entry, Stated
from billformat.read.cii import parse_cii
from billformat.read.ubl import parse_ubl
from billformat.read.xmlinvoice import ledger_fields
from billformat.read.xmlparse import local, parse_xml

CORPUS = Path(__file__).parents[1].parent / "shared" / "corpus"

pytestmark = pytest.mark.skipif(not CORPUS.is_dir(), reason=f"the corpus is not at {CORPUS}")

# Credit notes read as credits: every amount negated (docs/formats.md).
CREDIT_NOTES = {
    "eInvoicing-EN16931/ubl-examples/ubl-tc434-creditnote1.xml",
    "eInvoicing-EN16931/testfiles/BIS_Billing_30-Kreditering_med_kreditnota.xml",
    "eInvoicing-EN16931/testfiles/CreditNote-Max_content.xml",
    "eInvoicing-EN16931/testfiles/CreditNote-Min_content_with_VAT.xml",
    "eInvoicing-EN16931/testfiles/CreditNote-Min_content_without_VAT.xml",
    "mustangproject/validator/invalidV2.xml",  # CII TypeCode 381
}

# Refused on reading, with the rule or reason the refusal names.
REFUSED = {
    "mustangproject/validator/invalidXRV30_BR-DEC-23.xml": "(BR-DEC-23)",
}

# Invalid documents (valid=no) and the rule billformat reports for each.
INVALID_FOUND = {
    "mustangproject/validator/invalidXRV30.xml": "BR-CO-16",
    "mustangproject/validator/invalidV2.xml": "BR-12",
    "mustangproject/validator/invalidV1addition.xml": "BR-CO-10",
    # The GROUP line's 999 is not its sub-lines' 1050; the header's BT-106
    # (1500) counts 1050, so the top-level lines miss it: BR-CO-10.
    "mustangproject/validator/invalidSubInvoiceLineHierarchy.xml": "BR-CO-10",
}

# Invalid documents whose fault billformat does not report, and why.
INVALID_UNREPORTED = {
    "mustangproject/validator/invalidArithmetics.xml":
        "qty × net price ≠ line net is no EN 16931 rule (Mustang warns); the reader keeps "
        "such a price in the line's text, not in unit_price",
    "mustangproject/validator/valid_with_VAT_O.xml":
        "invalid by a VAT category O / XRechnung rule, not a calculation rule",
}

# Documents whose bill does not show the document's amount due, and why (none:
# a Factur-X MINIMUM document, which cannot state a paid amount, has its
# amount due below its total read as paid in advance; see docs/formats.md).
BALANCE_DIFFERS: dict[str, str] = {}

# Findings on valid documents where billformat's general checks are stricter
# than EN 16931 (none: an e-invoice's taxes are held to BR-CO-17 and BR-S-09).
VALID_BUT_FOUND: dict[str, set[str]] = {}

# EN 16931 unit cases where billformat's verdict differs from the source's.
UNIT_DISAGREEMENTS = {
    # The CII binding lets a VAT amount one whole unit off pass; billformat
    # applies the UBL binding's "less than one unit" to both syntaxes.
    "eInvoicing-EN16931/unit-CII/BR-CO-17.xml#2",
    "eInvoicing-EN16931/unit-CII/BR-CO-17.xml#3",
}

# OFX files refused on reading, with what the refusal says.
OFX_REFUSED = {
    "ofxparse/bank_small.ofx": "holds no statement",
    "ofxparse/fidelity-savings.ofx": "has more decimals than the statement's currency allows",
    "ofxparse/fail_nice/decimal_error.ofx": "is not a decimal number",
}

# OFX files with an empty CURDEF: the currency comes from the transactions.
OFX_CURRENCY = {"ofxparse/ofx-v102-empty-tags.ofx": "AUD"}


def rows(name: str) -> list[dict[str, str]]:
    with open(CORPUS / name, newline="", encoding="utf-8") as file:
        return list(csv.DictReader(file))


def documents() -> list[dict[str, str]]:
    return [row for row in rows("expected_totals.csv") if "#" not in row["file"]]


def dec(text: str) -> Decimal:
    return Decimal(text) if text else Decimal(0)


@lru_cache(maxsize=None)
def read(file: str):
    return billformat.read_ledger(CORPUS / file, name=file)


def test_every_corpus_data_file_is_indexed():
    data = {str(path.relative_to(CORPUS)) for path in CORPUS.rglob("*")
            if path.suffix.lower() in (".xml", ".pdf", ".ofx")}
    indexed = {row["file"].split("#")[0] for row in rows("expected_totals.csv")}
    indexed |= {row["file"] for row in rows("ofx_summary.csv")}
    assert data == indexed


def test_the_exception_lists_name_corpus_files():
    known = {row["file"] for row in documents()} | {row["file"] for row in rows("ofx_summary.csv")}
    listed = (CREDIT_NOTES | set(REFUSED) | set(INVALID_FOUND) | set(INVALID_UNREPORTED)
              | set(BALANCE_DIFFERS) | set(VALID_BUT_FOUND) | set(OFX_REFUSED) | set(OFX_CURRENCY))
    assert listed <= known
    invalid = {row["file"] for row in documents() if row["valid"] == "no"}
    assert invalid == set(INVALID_FOUND) | set(INVALID_UNREPORTED) | set(REFUSED)


@pytest.mark.parametrize("row", documents(), ids=lambda row: row["file"])
def test_a_corpus_document(row):
    file = row["file"]
    if file in REFUSED:
        with pytest.raises(billformat.LedgerError) as refusal:
            read(file)
        assert REFUSED[file] in str(refusal.value) and str(refusal.value).startswith(file)
        return
    ledger = read(file)
    assert ledger.currency == row["currency"]
    assert ledger.kind.value == "sale"
    bill = billformat.collapse(ledger)
    report = billformat.check(ledger)
    errors = {finding.code for finding in report.findings if finding.severity.value == "error"}
    if row["valid"] == "no":
        if file in INVALID_FOUND:
            assert INVALID_FOUND[file] in errors
        else:
            assert not errors, INVALID_UNREPORTED[file]
        return
    sign = -1 if file in CREDIT_NOTES else 1
    assert bill.total == sign * (dec(row["tax_inclusive"]) + dec(row["rounding"]))
    if file in BALANCE_DIFFERS:
        assert bill.balance_due != sign * dec(row["payable"])
        assert {"stated-balance", "BR-CO-16"} <= errors
        return
    assert bill.balance_due == sign * dec(row["payable"])
    assert sum(line.amount for line in bill.face) == bill.total
    # Every printed qty × unit price is the line's amount, sign and all (a
    # return reads as a negative quantity).
    for entry in ledger.entries:
        if entry.qty is not None and entry.unit_price is not None:
            product = (entry.qty * entry.unit_price).quantize(entry.amount, rounding=ROUND_HALF_UP)
            assert product == entry.amount, entry
    if row["valid"] == "yes":
        assert errors == VALID_BUT_FOUND.get(file, set()), [
            finding.message for finding in report.findings]


# ---------------------------------------------------------------------------
# The EN 16931 unit tests: fragments of invoices inside <test> elements


@lru_cache(maxsize=None)
def unit_tests_of(file: str) -> list[etree._Element]:
    root = parse_xml((CORPUS / file).read_bytes(), file)
    return [test for test in root if local(test) == "test"]


def fragment_codes(case: str) -> list[str]:
    """The rule findings on one unit-test fragment, or ``refused: ...``.

    The fragment (the Invoice, CreditNote or CrossIndustryInvoice inside the
    ``<test>``) is read as a part of an invoice (``fragment=True``: no lines
    or VAT filled in) and its figures go straight to the rules, since a
    fragment without lines is no ledger.
    """
    file, number = case.split("#")
    test = unit_tests_of(file)[int(number) - 1]
    document = next(element for element in test
                    if local(element) in ("Invoice", "CreditNote", "CrossIndustryInvoice"))
    try:
        root = parse_xml(etree.tostring(document), case)
        parse = parse_cii if local(root) == "CrossIndustryInvoice" else parse_ubl
        fields = ledger_fields(parse(root, case, fragment=True), fragment=True)
    except billformat.LedgerError as refusal:
        return [f"refused: {refusal}"]
    entries = [Entry.model_validate(entry) for entry in fields["entries"]]
    stated = Stated.model_validate(fields.get("stated", {}))
    return [finding.code for finding in check_figures(Figures.of(entries, stated))]


@pytest.mark.parametrize("row", rows("unit_test_cases.csv"), ids=lambda row: row["case"])
def test_an_en16931_unit_case(row):
    codes = fragment_codes(row["case"])
    rule = row["rule"]
    reported = rule in codes or any(code.startswith("refused") and f"({rule})" in code
                                    for code in codes)
    expected = row["expect"] == "error"
    if row["case"] in UNIT_DISAGREEMENTS:
        assert reported != expected
    else:
        assert reported == expected, codes
        if not expected:
            assert not any(code.startswith("refused") for code in codes)


def test_unit_cases_cover_every_test_set():
    cases = {row["case"] for row in rows("unit_test_cases.csv")}
    for file in {case.split("#")[0] for case in cases}:
        assert {f"{file}#{n}" for n in range(1, len(unit_tests_of(file)) + 1)} <= cases


# ---------------------------------------------------------------------------
# OFX statements


@pytest.mark.parametrize("row", rows("ofx_summary.csv"), ids=lambda row: row["file"])
def test_an_ofx_statement(row):
    file = row["file"]
    if file in OFX_REFUSED:
        with pytest.raises(billformat.LedgerError) as refusal:
            read(file)
        assert OFX_REFUSED[file] in str(refusal.value)
        return
    ledger = read(file)
    assert ledger.kind.value == "bank_statement"
    assert ledger.currency == (row["currency"] or OFX_CURRENCY[file])
    assert len(ledger.entries) == int(row["transactions"])
    assert sum(entry.amount for entry in ledger.entries) == Decimal(row["sum_trnamt"])
    # CHECKNUM as written, "0" included (bank_medium.ofx, suncorp.ofx).
    assert [entry.number for entry in ledger.entries if entry.number is not None] == \
        row["checknums"].split()
    bill = billformat.collapse(ledger)
    if row["ledger_balance"]:
        assert ledger.stated.closing_balance == Decimal(row["ledger_balance"])
        assert bill.closing_balance == Decimal(row["ledger_balance"])
    assert billformat.check(ledger).ok


def test_ofx_transactions_keep_their_id_date_amount_and_check_number():
    for row in rows("ofx_transactions.csv"):
        if row["file"] in OFX_REFUSED:
            continue
        ledger = read(row["file"])
        entry = next(entry for entry in ledger.entries
                     if entry.id == (row["fitid"] or entry.id) and entry.amount == Decimal(row["amount"]))
        assert entry.date.strftime("%Y%m%d") == row["date"]
        assert entry.number == (row["checknum"] or None)
