"""The bill as text for terminals (80 columns) and receipt printers (42)."""

import json
import re
from decimal import Decimal

import pytest
from ledgers import from_json

import billformat
from billformat.render.text import cells, wrap
from billformat.render.words import MAX_CHECKS_NAMED, SENTENCE_LABEL_LIMIT

TIRE_SHOP = """
    {"kind": "repair_order", "number": "RO-10492", "date": "2026-10-14", "currency": "USD",
     "seller": {"name": "Main Street Tire", "address": ["12 Main St", "Somerville, NJ 08876"]},
     "entries": [
      {"id": "1", "text": "225/45R17 94W MICH PS4",
       "label": "Michelin Pilot Sport 4 all-season performance tire, 225/45R17, mounted", "kind": "item",
       "qty": "2", "unit_price": "94.995", "amount": "189.99"},
      {"id": "2", "text": "MOUNT/BAL", "kind": "labor", "amount": "1040.00"},
      {"id": "3", "text": "SALES TAX", "kind": "tax", "amount": "16.46"},
      {"id": "6", "text": "ALIGN", "label": "Wheel alignment", "kind": "labor", "amount": "89.99",
       "status": "declined"},
      {"id": "9", "text": "VISA XXXX4417", "kind": "payment", "amount": "-1000.00"}]}
"""

AMOUNT = re.compile(r"(-?\$[\d,]+\.\d\d)$")


def text_of(ledger: str, layout: str = "standard", **options) -> str:
    return billformat.render(billformat.collapse(from_json(ledger)), "text", layout=layout, **options)


@pytest.mark.parametrize(("layout", "width"), [("standard", 80), ("receipt", 42)])
def test_every_line_fits_and_every_figure_ends_at_the_right_edge(layout, width):
    text = text_of(TIRE_SHOP, layout, details=True, trail=True)
    lines = text.splitlines()
    assert max(cells(line) for line in lines) <= width
    figures = [line for line in lines if AMOUNT.search(line)]
    assert len(figures) > 10
    assert {cells(line) for line in figures} == {width}


@pytest.mark.parametrize("layout", ["standard", "receipt"])
def test_the_face_as_printed_adds_up_to_the_total_as_printed(layout):
    lines = text_of(TIRE_SHOP, layout).splitlines()
    rule = next(i for i, line in enumerate(lines) if set(line) == {"-"})
    figures = [Decimal(AMOUNT.search(line).group(1).replace("$", "").replace(",", ""))
               for line in lines[:rule] if AMOUNT.search(line)]
    total = lines[rule + 1]
    assert total.startswith("Total")
    assert sum(figures) == Decimal("1246.45") == Decimal(AMOUNT.search(total).group(1)[1:].replace(",", ""))


def test_the_situation_comes_first_and_the_balance_stands_out():
    lines = text_of(TIRE_SHOP).splitlines()
    assert lines[0] == "Main Street Tire — Repair order"
    assert lines[1].startswith("Your repair on Oct 14, 2026. Please pay $246.45.")
    balance = next(line for line in lines if line.startswith("BALANCE DUE"))
    assert balance.endswith("$246.45")
    assert lines[lines.index(balance) - 1] == "=" * 80


def test_long_labels_wrap_to_the_left_of_the_amounts():
    lines = text_of(TIRE_SHOP, "receipt").splitlines()
    start = next(i for i, line in enumerate(lines) if line.startswith("Michelin"))
    assert not AMOUNT.search(lines[start])
    assert "mounted" in lines[start + 1] or "mounted" in lines[start + 2]


def test_declined_work_is_at_the_end_and_said_not_charged():
    text = text_of(TIRE_SHOP)
    assert "You said no to\n  Wheel alignment — not charged" in text
    assert text.index("Wheel alignment") > text.index("BALANCE DUE")


def test_details_show_the_unit_price_with_all_its_decimals():
    assert "2 × $94.995" in text_of(TIRE_SHOP, details=True)


def test_wide_characters_count_twice():
    text = text_of("""
        {"currency": "JPY", "locale": "ja_JP", "entries": [
          {"text": "醤油ラーメンと餃子のセット、大盛り、味玉トッピング付き", "kind": "item", "amount": "4950"},
          {"text": "消費税", "kind": "tax", "amount": "495"}]}""", "receipt")
    lines = text.splitlines()
    assert max(cells(line) for line in lines) <= 42
    assert any(line.endswith("￥5,445") and cells(line) == 42 for line in lines)


def test_an_unbreakable_word_is_cut_to_fit():
    assert all(cells(line) <= 10 for line in wrap("x" * 95 + " end", 10))
    text = text_of("""
        {"currency": "USD", "entries": [{"text": "%s", "kind": "item", "amount": "1.00"}]}"""
        % ("W" * 100_000), "receipt")
    assert max(cells(line) for line in text.splitlines()) <= 42
    assert len(text) < 5_000


def test_a_statement_shows_movements_with_their_running_balance_and_the_missing_check():
    text = text_of("""
        {"kind": "bank_statement", "currency": "USD", "stated": {"opening_balance": "100.00"},
         "period": {"start": "2026-03-01", "end": "2026-03-31"}, "entries": [
          {"date": "2026-03-02", "text": "PAYROLL", "kind": "deposit", "amount": "50.00"},
          {"date": "2026-03-03", "text": "CHECK 7", "kind": "check", "number": "7", "amount": "-20.00"},
          {"date": "2026-03-04", "text": "CHECK 9", "kind": "check", "number": "9", "amount": "-5.00"}]}
    """, "receipt")
    assert ("From Mar 1 to Mar 31 your balance went from $100.00 to $125.00: $50.00 in, $25.00 out."
            in text.replace("\n", " "))
    lines = text.splitlines()
    assert any(re.fullmatch(r"Mar 3 CHECK 7 +-\$20\.00 +\$130\.00", line) for line in lines)
    assert "Check 8 is missing: not cleared yet?" in text


def test_a_card_that_paid_twice_is_named_once_in_the_situation():
    text = text_of("""
        {"currency": "USD", "date": "2026-10-14", "entries": [
          {"text": "A", "kind": "item", "amount": "30.00"},
          {"text": "VISA XXXX4417", "kind": "payment", "amount": "-10.00"},
          {"text": "VISA XXXX4417", "kind": "payment", "amount": "-20.00"}]}
    """)
    assert "Paid in full by Visa ending 4417 — nothing more to pay." in " ".join(text.split())
    assert text.count("Visa ending 4417") == 3  # the sentence, then each payment's line


def test_a_statement_without_a_period_names_its_four_figures_too():
    text = text_of("""
        {"kind": "bank_statement", "currency": "USD", "stated": {"opening_balance": "1250.00"}, "entries": [
          {"text": "PAYROLL", "kind": "deposit", "amount": "1875.83"},
          {"text": "RENT", "kind": "withdrawal", "amount": "-1967.86"}]}
    """)
    assert ("Your balance went from $1,250.00 to $1,157.97: $1,875.83 in, $1,967.86 out."
            in " ".join(text.split()))


# A payment label that would reorder, colour or break the sentence that names it.
HOSTILE_PAYER = "card \u202e00.999$ ,dias ti sa\u202c\u2066 \u001b[31m red\nline \u0007 end"


def paid_by(*labels: str) -> str:
    entries = [{"text": "Widget", "kind": "item", "amount": f"{len(labels)}.00"}]
    entries += [{"text": "CARD", "label": label, "kind": "payment", "amount": "-1.00"} for label in labels]
    return json.dumps({"currency": "USD", "date": "2026-11-02", "entries": entries})


def situation(text: str) -> str:
    return " ".join(text.split("\n\n")[0].splitlines()[1:])


def test_a_payment_named_in_the_situation_is_cleaned_as_its_row_is():
    text = text_of(paid_by(HOSTILE_PAYER))
    assert situation(text) == (
        "Your purchase on Nov 2, 2026. Paid in full by card 00.999$ ,dias ti sa [31m red line end"
        " — nothing more to pay."
    )
    assert not re.search("[\u202a-\u202e\u2066-\u2069\x00-\x08\x0b-\x1f\x7f]", text)


def test_a_long_payment_label_is_cut_in_the_sentence_not_carried_whole():
    text = text_of(paid_by("Gift card " + "x" * 100_000))
    sentence = situation(text)
    assert f"Paid in full by Gift card {'x' * (SENTENCE_LABEL_LIMIT - 11)}… — nothing more to pay." in sentence
    assert len(sentence) < 200 and len(text) < 5_000


def test_a_bill_paid_in_many_ways_says_it_is_paid_without_naming_them_all():
    assert "Paid in full by Visa, cash, and Gift card — nothing more to pay." in situation(
        text_of(paid_by("Visa", "cash", "Gift card")))
    assert situation(text_of(paid_by("Visa", "cash", "Gift card", "Voucher"))) == (
        "Your purchase on Nov 2, 2026. Paid in full — nothing more to pay.")


def test_missing_checks_past_the_first_few_are_counted_not_named():
    entries = [{"text": f"CHECK {n}", "kind": "check", "number": str(n), "amount": "-1.00"}
               for n in range(1001, 3001, 2)]  # 1002, 1004, ... 2998 missing: 999 checks
    text = text_of(json.dumps({"kind": "bank_statement", "currency": "USD", "entries": entries}))
    named = ", ".join(str(n) for n in range(1002, 1002 + 2 * MAX_CHECKS_NAMED, 2))
    sentence = " ".join(text[text.rindex("\nChecks "):].split())
    assert sentence == f"Checks {named}, and 989 more are missing: not cleared yet?"
    few = text_of(json.dumps({"kind": "bank_statement", "currency": "USD", "entries": entries[:13]}))
    assert "Checks 1002, 1004, 1006, 1008, 1010, 1012, 1014, 1016, 1018, 1020, 1022, and 1024 are" in (
        " ".join(few.split()))


def test_quantities_are_written_as_the_locale_writes_numbers():
    text = text_of("""
        {"kind": "repair_order", "currency": "EUR", "locale": "de_DE", "entries": [
          {"text": "Arbeit", "kind": "labor", "qty": "1.5", "unit": "Std.", "unit_price": "80.00",
           "amount": "120.00"},
          {"text": "Kraftstoff", "kind": "item", "qty": "12.345", "unit": "l", "unit_price": "1.799",
           "amount": "22.21"},
          {"text": "Schrauben", "kind": "item", "qty": "1500", "unit_price": "0.01", "amount": "15.00"}]}
    """, details=True)
    assert "Kraftstoff, 12,345 l × 1,799\xa0€" in text
    assert "Arbeit, 1,5 Std. × 80,00\xa0€" in text
    assert "Schrauben, 1.500 × 0,01\xa0€" in text


def test_the_pdf_subject_is_the_same_cleaned_sentence():
    """The PDF's metadata says the situation too: cleaned like the text's (the PDF's
    own pages are tested in test_render_pdf.py)."""
    import io

    import pypdf

    bill = billformat.collapse(from_json(paid_by(HOSTILE_PAYER)))
    subject = pypdf.PdfReader(io.BytesIO(billformat.render(bill, "pdf"))).metadata.subject
    assert subject == situation(billformat.render(bill, "text"))
    assert "\u202e" not in subject and "\x1b" not in subject and "\n" not in subject
