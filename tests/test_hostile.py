"""Hostile input: malformed ledgers, hostile text, hostile layouts and paths.

Each case is either read correctly or refused with the place named; hostile
text prints as literal text, wrapped or cut with a visible mark, and runs
nothing.  docs/robustness.md lists every case with the test that proves it.
"""

from __future__ import annotations

import json
import re
import subprocess
import sys
import time
from decimal import Decimal
from pathlib import Path

import pytest
from test_fuzz import FORBIDDEN, assert_html_is_inert

import billformat
from billformat.layouts import LayoutError, load_layout
from billformat.render import render

ONE = '{"currency": "USD", "entries": [{"text": "a", "kind": "item", "amount": %s}]}'
CSV = "# currency: USD\nid,text,kind,amount\n%s\n"


def read(data: str | bytes, format: str = "json", name: str | None = None) -> billformat.Ledger:
    return billformat.read_ledger(data, format, name=name or f"x.{format}")


def refusal(data: str | bytes, format: str = "json") -> str:
    with pytest.raises(billformat.LedgerError) as refused:
        read(data, format)
    return str(refused.value)


# ---------------------------------------------------------------------------
# Malformed ledgers: read correctly, or refused with the place named

WRONG_TYPES = [
    ("text", [1, 2], r"^x\.json:entry 1: text: input should be a valid string"),
    ("text", True, r"^x\.json:entry 1: text: "),
    ("amount", {"value": "1.00"}, r'^x\.json:entry 1: amount "\{.*" is not a decimal number'),
    ("amount", True, r'^x\.json:entry 1: amount "True" is not a decimal number'),
    ("amount", [], r'^x\.json:entry 1: amount "\[\]" is not a decimal number'),
    ("qty", True, r'^x\.json:entry 1: qty "True" is not a decimal number'),
    ("kind", ["item"], r'^x\.json:entry 1: kind "\[.item.\]" is not one of'),
    ("status", {"a": 1}, r'^x\.json:entry 1: status ".*" is not one of'),
    ("id", {"a": 1}, r'^x\.json:entry 1: id ".*" is not an identifier'),
    ("reverses", [1], r'^x\.json:entry 1: reverses ".*" is not an identifier'),
    ("date", 20261102, r'^x\.json:entry 1: date "20261102" is not an ISO date'),
    ("label", {"a": 1}, r"^x\.json:entry 1: label: "),
    ("group", [1], r"^x\.json:entry 1: group: "),
    ("taxable", 7, r'^x\.json:entry 1: taxable "7" is not true or false'),
]


@pytest.mark.parametrize(("field", "value", "message"), WRONG_TYPES)
def test_a_wrong_type_in_an_entry_field_is_refused_naming_entry_and_field(field, value, message):
    data = json.loads(ONE % '"1.00"')
    data["entries"][0][field] = value
    assert re.search(message, refusal(json.dumps(data)))


@pytest.mark.parametrize(("field", "value", "message"), [
    ("currency", ["USD"], r"^x\.json: currency: input should be a valid string"),
    ("currency", "XXY", r'^x\.json: currency "XXY" is not an ISO 4217'),
    ("entries", {"a": 1}, r"^x\.json: entries: "),
    ("entries", "many", r"^x\.json: entries: "),
    ("seller", ["Main St"], r"^x\.json: seller: "),
    ("stated", {"total": True}, r'^x\.json: stated\.total "True" is not a decimal'),
    ("period", {"start": [1]}, r"^x\.json: period\.start "),
    ("locale", "xx_ZZ_evil", r'^x\.json: locale "xx_ZZ_evil" is not a known locale'),
    ("kind", "__class__", r'^x\.json: kind "__class__" is not one of'),
])
def test_a_wrong_type_in_a_ledger_field_is_refused_naming_the_field(field, value, message):
    data = json.loads(ONE % '"1.00"')
    data[field] = value
    assert re.search(message, refusal(json.dumps(data)))


@pytest.mark.parametrize(("written", "message"), [
    ("NaN", r"^x\.json:1: NaN is not a number a ledger may hold"),
    ("Infinity", r"^x\.json:1: Infinity is not a number"),
    ("-Infinity", r"^x\.json:1: -Infinity is not a number"),
    ('"NaN"', r'^x\.json:entry 1: amount "NaN" is not a decimal number'),
    ('"Infinity"', r'^x\.json:entry 1: amount "Infinity" is not a decimal number'),
    ("1e999999", r'^x\.json:entry 1: amount "1E\+999999" has more digits than any bill needs'),
    ("1e-999999", r"^x\.json:entry 1: amount .* has more digits than any bill needs"),
    ("9" * 5000, r"^x\.json:1: the number 9{20}\.\.\. has more digits than any bill needs"),
    ('"' + "9" * 5000 + '"', r'^x\.json:entry 1: amount "9{37}\.\.\." is not a decimal number'),
    ("0." + "0" * 5000 + "1", r"^x\.json:entry 1: amount .* has more digits"),
    ('"1000000000000000000"', r"^x\.json:entry 1: amount .* has more digits than any bill needs"),
    ('"12,50"', r'^x\.json:entry 1: amount "12,50" is not a decimal number'),
    ('"1e5"', r'^x\.json:entry 1: amount "1e5" is not a decimal number'),
    ('"$12.00"', r'^x\.json:entry 1: amount "\$12\.00" is not a decimal number'),
    ('"1.001"', r'^x\.json:entry 1: amount "1\.001" has more decimals than USD allows \(2\)'),
    ('"²"', r'^x\.json:entry 1: amount "²" is not a decimal number'),
])
def test_numbers_no_bill_has_are_refused_naming_the_place(written, message):
    started = time.perf_counter()
    assert re.search(message, refusal(ONE % written))
    assert time.perf_counter() - started < 1  # never a slow path on a huge exponent


@pytest.mark.parametrize(("written", "amount"), [
    ('"-0.00"', "0.00"),  # read as zero: never printed as -0.00
    ("-0.00", "0.00"),
    ("1e2", "100.00"),  # a JSON number in exponent form, read from its text, exactly
    ("0.1", "0.10"),  # a JSON number never passes through a float
    ('"+1.00"', "1.00"),
    ('" 12.5 "', "12.50"),
    ('".5"', "0.50"),
    ('"١٢"', "12.00"),  # Arabic-Indic digits are digits: read as 12
    ('"１２"', "12.00"),  # so are full-width ones
    ('"100000000000000000"', "100000000000000000.00"),  # 18 integer digits: the most allowed
])
def test_numbers_that_are_odd_but_exact_are_read_exactly(written, amount):
    bill = billformat.collapse(read(ONE % written))
    assert str(bill.total) == amount
    assert "-0.00" not in render(bill, "text")


@pytest.mark.parametrize("fields, shown", [
    ({"qty": "999999999999999999", "unit_price": "999999999999999999"},
     "999999999999999999 × 999999999999999999 is 999999999999999998000000000000000001.00"),
    ({"qty": "999999999999999999.999999999999", "unit_price": "2"},
     "999999999999999999.999999999999 × 2 is 2000000000000000000.00"),
])
def test_the_largest_figures_a_ledger_may_hold_are_checked_exactly_without_a_crash(fields, shown):
    ledger = billformat.Ledger.model_validate(
        {"currency": "USD", "entries": [{"text": "x", "kind": "item", "amount": "10.00", **fields},
                                         {"text": "t", "kind": "tax", "amount": "1.00",
                                          "rate": "999999999999999999.999999999999",
                                          "base": "999999999999999999.99"}]})
    report = billformat.check(ledger)
    messages = [finding.message for finding in report.findings]
    assert f"entry 1: {shown}, but the amount is 10.00" in messages
    assert ("entry 2: 999999999999999999.999999999999% of 999999999999999999.99 is "
            "9999999999999999999899999999990000.0000000000000001, but the tax is 1.00") in messages
    assert not report.ok


@pytest.mark.parametrize("pad", [0, 2000])  # parsed whole, and read entry by entry (over 64 KiB)
@pytest.mark.parametrize("entry, message", [
    ('{"id": "X", "text": "x", "kind": "item", "amount": "5.00", "Kind": "payment"}',
     'entry X: the keys "kind" and "Kind" both give kind'),
    ('{"text": "x", "kind": "item", "amount": "5.00", "Amount": "7.00"}',
     'the keys "amount" and "Amount" both give amount'),
    ('{"text": "x", "kind": "item", "amount": "5.00", " status ": "void"}',
     'both give status'),
])
def test_two_spellings_of_one_field_in_a_json_entry_are_refused_not_one_dropped(pad, entry, message):
    # CSV refuses the same in its header; in JSON the later key used to win
    # silently ("Kind": "payment" turned the item into a payment).
    entries = ['{"text": "pad", "kind": "item", "amount": "1.00"}'] * pad + [entry]
    if "status" in entry:
        entries[-1] = entries[-1].replace('" status "', '"status": "billed", " status "')
    text = '{"currency": "USD", "entries": [' + ", ".join(entries) + "]}"
    with pytest.raises(billformat.LedgerError) as refused:
        billformat.read_ledger(text, format="json", name="k.json")
    assert str(refused.value).startswith(f"k.json:entry {'X' if 'X' in entry else pad + 1}: ")
    assert message in str(refused.value)


def test_a_byte_order_mark_is_dropped_from_bytes_and_from_text():
    assert read(b"\xef\xbb\xbf" + (ONE % '"1.00"').encode()).entries[0].amount == Decimal("1.00")
    assert read(b"\xef\xbb\xbf" + (CSV % "1,a,item,1.00").encode(), "csv").entries[0].text == "a"
    assert read("\ufeff" + ONE % '"1.00"').entries[0].amount == Decimal("1.00")
    assert read("\ufeff" + CSV % "1,a,item,1.00", "csv").entries[0].id == "1"


@pytest.mark.parametrize("format", ["json", "csv"])
def test_latin1_bytes_in_a_utf8_file_are_refused_naming_the_line(format):
    text = (ONE % '"1.00"').replace('"a"', '"Café"') if format == "json" else \
        CSV % "1,Café,item,1.00"
    assert refusal(text.encode("latin-1"), format) == (
        f"x.{format}:{1 if format == 'json' else 3}: byte 0xe9 is not UTF-8 text (save the file as UTF-8)"
    )


def test_utf16_is_refused_as_not_utf8():
    assert refusal((ONE % '"1.00"').encode("utf-16")).startswith("x.json:1: byte 0xff is not UTF-8")


def test_windows_and_old_mac_line_endings_read_the_same_as_unix_ones():
    text = CSV % "1,a,item,1.00\n2,\"b\nc\",item,2.00\n3,d,item,3.00"
    unix = read(text, "csv")
    for ending in ("\r\n", "\r"):
        other = read(text.replace("\n", ending), "csv")
        assert [e.amount for e in other.entries] == [e.amount for e in unix.entries]
        assert [e.source_line for e in other.entries] == [e.source_line for e in unix.entries]
    assert read((ONE % '"1.00"').replace(",", ",\r\n")).entries[0].amount == Decimal("1.00")


def test_a_ragged_csv_row_is_refused_or_read_with_absent_cells():
    assert refusal(CSV % "1,a,item,1.00,5,6", "csv") == (
        "x.csv:3: the row has 6 cells but the header names 4 columns")
    # a short row: the missing cells are absent fields, and a required one is named
    assert refusal(CSV % "1,a,item", "csv") == (
        "x.csv:3: amount: an entry needs one of amount, debit or credit")
    # trailing empty cells are harmless (spreadsheets write them)
    assert read(CSV % "1,a,item,1.00,,", "csv").entries[0].amount == Decimal("1.00")


def test_a_quoted_newline_in_csv_is_text_and_later_lines_keep_their_numbers():
    text = CSV % '1,"two\nlines",item,1.00\n2,b,item,2.00\n3,c,zzz,1.00'
    assert refusal(text, "csv").startswith('x.csv:6: kind "zzz" is not one of')
    ledger = read(text.replace("zzz", "item"), "csv")
    assert ledger.entries[0].text == "two\nlines"
    shown = render(billformat.collapse(ledger), "text", details=True)
    assert "two lines" in shown and "two\nlines" not in shown
    assert refusal(CSV % '1,"never closed,item,1.00\n2,b,item,1', "csv").startswith(
        "x.csv:3: the CSV cannot be read")


def test_duplicate_json_keys_are_refused_naming_the_line():
    text = '{"currency": "USD",\n "entries": [\n  {"text": "a", "kind": "item",\n   "amount": "1", "amount": "2"}]}'
    assert refusal(text) == 'x.json:4: the key "amount" appears twice in one object'
    assert refusal('{"currency": "USD",\n"currency": "EUR", "entries": []}') == (
        'x.json:2: the key "currency" appears twice in one object')


@pytest.mark.parametrize("depth", [1_000, 10_000, 200_000])
def test_json_nested_deeper_than_any_ledger_is_refused_without_a_crash(depth):
    text = '{"currency": "USD", "x": ' + "[" * depth + "]" * depth + ', "entries": []}'
    assert refusal(text) == "x.json: the JSON is nested deeper than any ledger"
    assert refusal('{"a":' * depth + "1" + "}" * depth) == (
        "x.json: the JSON is nested deeper than any ledger")


def test_a_10_mb_description_is_read_and_shown_cut_with_a_mark():
    huge = "x" * 10_000_000
    started = time.perf_counter()
    for format, text in (("json", (ONE % '"1.00"').replace('"a"', f'"{huge}"')),
                         ("csv", CSV % f"1,{huge},item,1.00")):
        bill = billformat.collapse(read(text, format))
        assert len(bill.ledger.entries[0].text) == 10_000_000  # read whole, exactly
        for output in ("text", "html"):
            shown = render(bill, output, details=True)
            assert "…" in shown and len(shown) < 200_000
        pdf = render(bill, "pdf", details=True)
        assert len(pdf) < 200_000 and "…" in pdf_words(pdf)
    assert time.perf_counter() - started < 20


def test_empty_entries_refuse_a_bill_but_not_a_quiet_statement():
    assert refusal('{"currency": "USD", "entries": []}') == (
        "x.json: entries: the ledger has no entries")
    assert refusal("# currency: USD\nid,text,kind,amount\n", "csv") == (
        "x.csv: entries: the ledger has no entries")
    quiet = read('{"currency": "USD", "kind": "bank_statement", "entries": [],'
                 ' "stated": {"opening_balance": "10.00"}}')
    bill = billformat.collapse(quiet)
    assert bill.closing_balance == Decimal("10.00") and billformat.check(quiet).ok
    for output in ("text", "html", "json", "pdf"):
        assert render(bill, output)


@pytest.mark.parametrize(("data", "message"), [
    ("", "x.json: the file is empty"),
    ("  \n\t", "x.json: the file is empty"),
    ("[1, 2]", "x.json: a ledger must be a JSON object with currency and entries"),
    ('"ledger"', "x.json: a ledger must be a JSON object with currency and entries"),
    ('{"currency": "USD", "entries": [{"text": "a", "kind":', "x.json:1: the JSON ends too early"),
    (b"\x00\x00\x00", "x.json:1: Expecting value"),
    ('{"currency": "USD", "entries": [{"text": "a\\ud800", "kind": "item", "amount": "1"}]}',
     "x.json:entry 1: text: input should be a valid string"),
    ('{"currency": "USD", "entries": [1, "two"]}', "x.json:entry 1: an entry must be an object"),
])
def test_files_that_are_not_ledgers_at_all_are_refused(data, message):
    assert refusal(data).startswith(message)


@pytest.mark.parametrize(("data", "message"), [
    ("", "x.csv: the file is empty"),
    ("# currency: USD\n", "x.csv: the file has no header row naming its columns"),
    ("# currency: USD\nid;text;kind;amount\n1;a;item;1\n", "x.csv:2: the header has no text column"),
    ("# currency: USD\nid,text,text,kind,amount\n", 'x.csv:2: the column "text" appears twice'),
    ("# currency: USD\n# currency: EUR\nid,text,kind,amount\n1,a,item,1\n",
     'x.csv:2: "currency" is given twice'),
    ("# seller.name.first: A\n", 'x.csv:1: "seller.name.first" needs one field after the dot'),
    ("id,text,kind,amount\n1,a,item,1\n", "x.csv: currency is missing"),
])
def test_csv_files_that_break_the_format_are_refused(data, message):
    assert refusal(data, "csv").startswith(message)


@pytest.mark.parametrize(("data", "format"), [
    ("# currency: " + "X" * 10_000_000 + "\nid,text,kind,amount\n1,a,item,1\n", "csv"),
    ('{"currency": "USD", "locale": "' + "x" * 100_000 + '", "entries": []}', "json"),
    ("# currency: USD\n# seller." + "n" * 100_000 + ".x: 1\n", "csv"),
])
def test_a_huge_value_quoted_in_a_refusal_is_cut_in_the_middle(data, format):
    """Regression (found by the fuzzer): a refusal quoted a 5,000-digit currency whole."""
    message = refusal(data, format)
    assert len(message) < 500 and " … " in message
    assert message.startswith(f"x.{format}:")


def test_control_characters_in_ledger_text_are_read_but_never_shown():
    bill = billformat.collapse(read((ONE % '"1.00"').replace('"a"', '"a\\u0000b\\u001b[31mc"')))
    assert bill.ledger.entries[0].text == "a\x00b\x1b[31mc"
    for output in ("text", "html"):
        assert not FORBIDDEN.search(render(bill, output, details=True).replace("\n", " "))


@pytest.mark.parametrize("number", ["²", "9" * 5000, "٣", "00017"])
def test_check_numbers_int_cannot_read_do_not_break_a_statement(number):
    """Regression: ``"²".isdigit()`` is true but ``int("²")`` raises, and so does
    ``int()`` of 5,000 digits; both crashed collapse with a ValueError."""
    ledger = billformat.Ledger.model_validate({
        "currency": "USD", "kind": "bank_statement", "entries": [
            {"text": "CHECK", "kind": "check", "amount": "-1.00", "number": number},
            {"text": "CHECK", "kind": "check", "amount": "-2.00", "number": "1001"}]})
    bill = billformat.collapse(ledger)
    assert len(bill.checks) == 2 and billformat.check(ledger).ok
    assert render(bill, "text")


# ---------------------------------------------------------------------------
# Hostile text in every text field: literal, cut with a mark, runs nothing

CVE_2023_33733 = (
    "<font color=\"[[[getattr(pow, Word('__globals__'))['os'].system('touch {marker}') "
    "for Word in [ orgTypeFun( 'Word', (str,), {{ 'mutated': 1, 'startswith': lambda self, x: "
    "1 == 0, '__eq__': lambda self, x: self.mutated and self.mutated - 1 == 0 and x == "
    "'__globals__', 'mutate': lambda self: {{ setattr(self, 'mutated', self.mutated - 1) }}, "
    "'__hash__': lambda self: hash(str(self)), }}, ) ] ] for orgTypeFun in [type(type(1))] ] "
    "and 'red'\">exploit</font>"
)

HOSTILE = {
    "script": "<script>alert('x')</script>",
    "html": '</td></tr></table><img src=x onerror="alert(1)"><h1>PAID</h1>',
    "jinja": "{{ 7*7 }}{% raw %}x{% endraw %}",
    "reportlab": "<para><b>bold</b><font size=72>BIG</font><br/>&amp;&lt;</para>",
    "bidi": "Room \u202e00.01$ LATOT\u202c night",
    "isolate": "\u2066Parking\u2069\u2067x\u2068y\u2069",
    "zero-width": "Za\u200bhl\u200cung\u200d\u2060\ufeff",
    "controls": "Bell\x07 escape\x1b[2J nul\x00 del\x7f c1\x85\x9b",
    "newlines": "one\ntwo\r\nthree\u2028four\u2029five",
}


def hostile_ledger(payload: str) -> dict:
    """A folio with ``payload`` in every text field a bill shows."""
    return {
        "kind": "hotel_folio", "currency": "USD", "number": payload[:200],
        "seller": {"name": payload, "address": [payload, "12 Main St"], "phone": payload,
                   "email": payload, "tax_id": payload},
        "customer": {"name": payload, "address": [payload], "account": payload},
        "entries": [
            {"id": "1", "text": payload, "label": payload, "kind": "item", "amount": "189.00",
             "group": payload},
            {"id": "2", "text": payload, "kind": "item", "amount": "45.20"},
            {"id": "3", "text": payload, "kind": "item", "amount": "-45.20", "reverses": "2"},
            {"id": "4", "text": payload, "kind": "item", "amount": "10.00", "status": "declined"},
            {"id": "5", "text": payload, "kind": "tax", "amount": "11.34", "group": payload + " 2"},
            {"id": "6", "text": payload, "kind": "payment", "amount": "-100.00"},
            {"id": "7", "text": payload, "kind": "transfer", "amount": "-50.00"},
        ],
    }


@pytest.mark.parametrize("name", sorted(HOSTILE))
def test_hostile_text_in_every_field_prints_as_literal_text_in_every_format(name):
    payload = HOSTILE[name]
    ledger = billformat.Ledger.model_validate(hostile_ledger(payload), source="hostile.json")
    bill = billformat.collapse(ledger)
    assert billformat.check(ledger).ok
    for details, trail in ((False, False), (True, True)):
        text = render(bill, "text", details=details, trail=trail)
        html = render(bill, "html", details=details, trail=trail)
        pdf = render(bill, "pdf", details=details, trail=trail)
        assert not FORBIDDEN.search(text)
        assert not FORBIDDEN.search(html.replace("\n", " "))
        assert_html_is_inert(html)
        assert pdf.startswith(b"%PDF-") and pdf.rstrip().endswith(b"%%EOF")
        pdf_text = pdf_words(pdf)
        assert not FORBIDDEN.search(pdf_text.replace("\n", " "))
    if name in ("script", "html", "jinja", "reportlab"):
        # markup is shown as the characters it is made of
        assert payload in text and payload in html_text(html) and payload[:8] in pdf_text
    assert "49" not in text.replace("249", "")  # {{ 7*7 }} was never evaluated
    data = json.loads(render(bill, "json"))
    assert data["face"][0]["label"] == payload.strip()  # JSON carries the ledger's text exactly


def html_text(html: str) -> str:
    from bs4 import BeautifulSoup

    return BeautifulSoup(html, "html.parser").get_text()


def pdf_words(pdf: bytes) -> str:
    import io

    import pdfplumber

    with pdfplumber.open(io.BytesIO(pdf)) as document:
        return "\n".join(page.extract_text() or "" for page in document.pages)


def test_the_reportlab_colour_payload_runs_nothing_in_any_field_or_format(tmp_path):
    """CVE-2023-33733: a ``<font color="...">`` whose colour is Python that
    reportlab's rl_safe_eval once ran.  The PDF renderer never hands ledger
    text to reportlab's markup parser, and reportlab 3.6.13+ is fixed too."""
    marker = tmp_path / "pwned"
    payload = CVE_2023_33733.format(marker=marker)
    ledger = billformat.Ledger.model_validate(hostile_ledger(payload), source="cve.json")
    bill = billformat.collapse(ledger)
    for output in ("pdf", "html", "text", "json"):
        for layout in ("standard", "receipt", "detailed"):
            render(bill, output, layout=layout, details=True, trail=True)
    pdf = render(bill, "pdf", details=True)
    assert not marker.exists()
    assert "<font color=" in pdf_words(pdf)  # shown as the literal text it is
    assert "<font color=" in html_text(render(bill, "html"))


def test_the_colour_payload_is_a_live_one_when_given_to_reportlab_markup(tmp_path):
    """The control for the test above: hand the same payload to reportlab's
    own Paragraph markup.  A vulnerable reportlab (< 3.6.13) creates the
    marker; the installed one must refuse it, and billformat never does this."""
    from reportlab.lib.styles import getSampleStyleSheet
    from reportlab.platypus import Paragraph

    marker = tmp_path / "pwned-control"
    try:
        Paragraph(CVE_2023_33733.format(marker=marker), getSampleStyleSheet()["Normal"])
    except Exception:  # noqa: BLE001 - a patched reportlab refuses the colour
        pass
    assert not marker.exists(), "the installed reportlab is vulnerable to CVE-2023-33733"


def test_100_kb_of_one_word_wraps_or_is_cut_with_a_visible_mark():
    word = "W" * 100_000
    ledger = billformat.Ledger.model_validate(hostile_ledger(word), source="word.json")
    bill = billformat.collapse(ledger)
    started = time.perf_counter()
    for layout, width in (("standard", 80), ("receipt", 42)):
        text = render(bill, "text", layout=layout, details=True, trail=True)
        assert all(len(line) <= width for line in text.splitlines()), layout
        assert "…" in text
        html = render(bill, "html", layout=layout, details=True)
        assert "…" in html and len(html) < 300_000
        pdf = render(bill, "pdf", layout=layout, details=True)
        assert "…" in pdf_words(pdf)
    assert time.perf_counter() - started < 20


def test_hostile_text_in_csv_is_the_same_as_in_json():
    payload = HOSTILE["html"]
    text = CSV % f'1,"{payload.replace(chr(34), chr(34) * 2)}",item,1.00'
    bill = billformat.collapse(read(text, "csv"))
    assert bill.ledger.entries[0].text == payload
    assert_html_is_inert(render(bill, "html"))


# ---------------------------------------------------------------------------
# Hostile layouts and paths


@pytest.mark.parametrize("name", ["../../etc", "../standard", "standard/../../..", "/etc",
                                  "nonexistent-layout", "", "standard\x00"])
def test_a_layout_name_that_is_no_layout_is_refused_clearly(name):
    with pytest.raises((LayoutError, ValueError)) as refused:
        load_layout(name)
    assert "layout" in str(refused.value)


def write_layout(folder: Path, template: str, settings: dict | None = None) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "layout.json").write_text(json.dumps(settings or {}))
    (folder / "template.html").write_text(template)
    return folder


ESCAPES = [
    "{{ ''.__class__.__mro__[1].__subclasses__() }}",
    "{{ bill.__class__.__init__.__globals__ }}",
    "{{ cycler.__init__.__globals__.os.popen('touch MARKER').read() }}",
    "{{ lipsum.__globals__['os'].system('touch MARKER') }}",
    "{{ self._TemplateReference__context }}",
    "{{ namespace.__init__.__globals__ }}",
    "{% include '/etc/passwd' %}",
    "{% import '../standard/template.html' as t %}",
    "{% extends 'template.html' %}",
    "{{ bill.face.append(1) }}{{ bill.update({}) }}",
    "{{ '{0.__class__.__mro__}'.format(bill) }}",
    "{{ range(10**9) | list | length }}",  # the sandbox's range cap: was an OverflowError
    "{{ 1 / 0 }}{{ 1 + 'a' }}",
    "{{ ('x' * 10**10) | length }}",  # was a MemoryError, or the OOM killer without a limit
    "{{ ([1] * 10**9) | length }}",
    "{{ 2 ** 10**8 }}",
    "{{ bill.face[10**6] }}",
]


@pytest.mark.parametrize("template", ESCAPES)
def test_a_layout_template_cannot_reach_files_or_python_internals(tmp_path, template):
    marker = tmp_path / "pwned"
    folder = write_layout(tmp_path / "evil", template.replace("MARKER", str(marker)))
    bill = billformat.collapse(read(ONE % '"1.00"'))
    try:
        html = render(bill, "html", layout=folder)
    except LayoutError as error:
        assert str(folder) in str(error)  # a clear message naming the layout
    else:
        assert "root:" not in html and "__globals__" not in html and "<class" not in html
    assert not marker.exists()


def test_a_layout_logo_outside_its_folder_is_refused(tmp_path):
    outside = tmp_path / "secret.png"
    outside.write_bytes(b"\x89PNG secret")
    bill = billformat.collapse(read(ONE % '"1.00"'))
    for logo in ("../secret.png", "/etc/passwd", "..\\secret.png", "C:secret.png"):
        folder = tmp_path / f"layout{abs(hash(logo))}"
        with pytest.raises(LayoutError):
            write_layout(folder, "<html></html>", {"pdf": {"logo": logo}})
            render(bill, "html", layout=load_layout(folder))
    link_folder = write_layout(tmp_path / "linked", "{{ bill }}", {"pdf": {"logo": "logo.png"}})
    (link_folder / "logo.png").symlink_to(outside)
    with pytest.raises(LayoutError, match="not a file in the layout folder"):
        render(bill, "html", layout=load_layout(link_folder))


def cli(*arguments: str, cwd: Path | None = None, stdin: bytes | None = None) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "billformat", *arguments], capture_output=True,
                          cwd=cwd, input=stdin, timeout=60)


def test_the_command_line_refuses_hostile_input_with_a_message_never_a_traceback(tmp_path):
    bad = tmp_path / "bad.json"
    bad.write_text(ONE % "NaN")
    ok = tmp_path / "ok.json"
    ok.write_text(ONE % '"1.00"')
    evil = write_layout(tmp_path / "evil", "{{ range(10**9) | list | length }}")
    runs = {
        "bad ledger": (cli("render", str(bad), "-o", str(tmp_path / "b.pdf")), 2, "bad.json:1: NaN"),
        "check bad": (cli("check", str(bad)), 2, "bad.json:1: NaN"),
        "traversal layout": (cli("render", str(ok), "--layout", "../../etc", "-f", "html"), 2,
                             "layout"),
        "sandbox": (cli("render", str(ok), "--layout", str(evil), "-f", "html"), 2, "layout"),
        "missing folder": (cli("render", str(ok), "-o", str(tmp_path / "no" / "such" / "x.pdf")), 2,
                           "does not exist"),
        "output is a folder": (cli("render", str(ok), "-o", str(tmp_path)), 2, "folder"),
        "stdin garbage": (cli("render", "-", stdin=b"\xff\xfe\x00garbage"), 2, "<stdin>"),
    }
    for label, (run, status, words) in runs.items():
        said = run.stderr.decode("utf-8", "replace")
        assert run.returncode == status, (label, run.returncode, said)
        assert words in said, (label, said)
        assert "Traceback" not in said, (label, said)
    assert not (tmp_path / "no").exists()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["bad.json", "evil", "ok.json"]


def test_an_output_in_a_read_only_folder_is_a_clear_error_and_nothing_is_written(tmp_path):
    ledger = tmp_path / "ok.json"
    ledger.write_text(ONE % '"1.00"')
    folder = tmp_path / "ro"
    folder.mkdir()
    with read_only(folder):
        run = cli("render", str(ledger), "-o", str(folder / "bill.pdf"))
        said = run.stderr.decode()
        assert run.returncode == 2 and "cannot write" in said and "read-only" in said, said
        assert "Traceback" not in said
        assert list(folder.iterdir()) == []


class read_only:
    """``folder`` made read-only: a read-only tmpfs mounted on it (we run as
    root, for whom chmod does not stop a write), else chmod for other users."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.mounted = False

    def __enter__(self) -> Path:
        done = subprocess.run(["mount", "-t", "tmpfs", "-o", "ro,size=64k", "tmpfs",
                               str(self.folder)], capture_output=True)
        self.mounted = done.returncode == 0
        if not self.mounted:
            self.folder.chmod(0o555)
        return self.folder

    def __exit__(self, *exc: object) -> None:
        if self.mounted:
            subprocess.run(["umount", str(self.folder)], check=True)
        else:
            self.folder.chmod(0o755)


def test_a_path_with_no_end_is_read_no_further_than_the_limit(monkeypatch):
    """/dev/zero (or a pipe that never ends) has no size to check first: it was
    read until memory ran out.  Now reading stops past the limit."""
    from billformat import read

    monkeypatch.setattr(read, "MAX_BYTES", 1024 * 1024)
    with pytest.raises(billformat.LedgerError) as refused:
        billformat.read_ledger("/dev/zero")
    assert str(refused.value) == "zero: the file is larger than 1 MiB"
    for path, message in (("/nonexistent/x.json", "/nonexistent/x.json: no such file"),
                          ("/tmp", "/tmp: is a folder, not a ledger file")):
        with pytest.raises(billformat.LedgerError, match=re.escape(message)):
            billformat.read_ledger(path)


@pytest.mark.parametrize("value", ["\x1b]0;pwned\x07\x1b[2J", "\u202eitem", "it\nem\r", "\x9b31m"])
def test_a_refusal_quoting_control_characters_cannot_drive_the_terminal(value, tmp_path):
    """A refusal quotes the bad value; its escape sequences, line breaks and
    bidi overrides are written as visible escapes, never sent to the terminal."""
    data = json.loads(ONE % '"1.00"')
    data["entries"][0]["kind"] = value
    message = refusal(json.dumps(data))
    assert not FORBIDDEN.search(message) and "\n" not in message and "\r" not in message
    assert value.encode("unicode_escape").decode("ascii") in message
    ledger = tmp_path / "bad.json"
    ledger.write_text(json.dumps(data))
    said = cli("check", str(ledger)).stderr.decode()
    assert "\x1b" not in said and "\u202e" not in said and "\x9b" not in said


XML_HEAD = b'<?xml version="1.0"?>\n'
UBL = b'xmlns="urn:oasis:names:specification:ubl:schema:xsd:Invoice-2"'


@pytest.mark.parametrize(("data", "message"), [
    (XML_HEAD + b'<!DOCTYPE Invoice [<!ENTITY x SYSTEM "file:///etc/passwd">]>\n<Invoice ' + UBL
     + b"><ID>&x;</ID></Invoice>", "the XML declares a DOCTYPE"),  # external entity (XXE)
    (XML_HEAD + b'<!DOCTYPE l [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;">'
     b'<!ENTITY c "&b;&b;&b;&b;&b;&b;&b;&b;">]><Invoice ' + UBL + b"><ID>&c;</ID></Invoice>",
     "the XML declares a DOCTYPE"),  # billion laughs
    ((XML_HEAD + b'<!DOCTYPE Invoice SYSTEM "http://example.com/x.dtd"><Invoice ' + UBL
      + b"/>").decode().encode("utf-16"), "the XML declares a DOCTYPE"),  # hidden in UTF-16
    (XML_HEAD + b"<Invoice " + UBL + b">" + b"<a>" * 100_000 + b"</a>" * 100_000 + b"</Invoice>",
     "the XML cannot be read: Excessive depth"),
    (XML_HEAD + b"<Invoice " + UBL + b"><ID>1</ID>", "the XML cannot be read"),
])
def test_hostile_xml_e_invoices_are_refused_unread(data, message):
    """The e-invoice readers refuse a DOCTYPE outright (entities, external DTDs),
    and libxml2's depth limit holds: nothing is fetched, expanded or run."""
    with pytest.raises(billformat.LedgerError) as refused:
        billformat.read_ledger(data, name="x.xml")
    assert str(refused.value).startswith("x.xml:") and message in str(refused.value)


def test_standard_input_with_no_end_is_read_no_further_than_the_limit(monkeypatch):
    """``billformat render - < /dev/zero`` read until memory ran out."""
    from typer.testing import CliRunner

    from billformat import cli, read

    monkeypatch.setattr(read, "MAX_BYTES", 1024)  # standard input is read by read_ledger itself
    result = CliRunner().invoke(cli.app, ["render", "-"], input=b"0" * 100_000)
    assert result.exit_code == 2
    assert "<stdin>: the ledger is larger than 0 MiB" in result.output
    with pytest.raises(billformat.LedgerError, match="larger than"):
        billformat.read_ledger(b" " * 2048, "json", name="big.json")


def test_hostile_currencies_and_locales_are_refused_before_the_cached_look_up():
    """The currency and locale look-ups are cached for speed; a stream of
    distinct hostile values (each as long as a file allows) must not fill
    the caches of a long-running process."""
    from billformat.money import is_currency, is_locale

    before = is_currency.cache_info().currsize, is_locale.cache_info().currsize
    for number in range(200):
        for field, value in (("currency", f"X{number:03d}" + "Y" * 1000),
                             ("locale", f"en_{number}" + "x" * 1000)):
            data = json.loads(ONE % '"1.00"')
            data[field] = value
            assert field in refusal(json.dumps(data))
    assert (is_currency.cache_info().currsize, is_locale.cache_info().currsize) == before
    assert read((ONE % '"1.00"').replace('"USD"', '"usd"')).currency == "USD"
    assert refusal((ONE % '"1.00"').replace('"USD"', '"ＵＳＤ"')).startswith('x.json: currency "ＵＳＤ"')


# ---------------------------------------------------------------------------
# Hostile OFX and e-invoices: refused cleanly, or read in work linear in their size

OFX_HEAD = ("OFXHEADER:100\nDATA:OFXSGML\nVERSION:102\n\n<OFX><BANKMSGSRSV1><STMTTRNRS><STMTRS>"
            "<CURDEF>USD<BANKTRANLIST>")
OFX_TAIL = "</BANKTRANLIST></STMTRS></STMTTRNRS></BANKMSGSRSV1></OFX>"
UBL_HEAD = ('<Invoice xmlns="urn:oasis:names:specification:ubl:schema:xsd:Invoice-2" '
            'xmlns:cbc="urn:oasis:names:specification:ubl:schema:xsd:CommonBasicComponents-2" '
            'xmlns:cac="urn:oasis:names:specification:ubl:schema:xsd:CommonAggregateComponents-2">'
            "<cbc:ID>1</cbc:ID><cbc:DocumentCurrencyCode>EUR</cbc:DocumentCurrencyCode>")


def deep_ofx(depth: int) -> bytes:
    return (OFX_HEAD.replace("<OFX>", "<OFX>" + "<A>" * depth) + OFX_TAIL).encode()


def test_an_ofx_nested_1000_deep_is_refused_by_the_command_line_without_a_traceback(tmp_path):
    """3 KB of nested tags raised RecursionError in the OFX reader's walk
    (``check`` printed a traceback and exited 1)."""
    path = tmp_path / "deep.ofx"
    path.write_bytes(deep_ofx(1_000))
    run = cli("check", str(path))
    said = run.stderr.decode()
    assert run.returncode == 2, said
    assert f"{path}:5: <A> is nested deeper than 256 aggregates" in said
    assert "Traceback" not in said and "RecursionError" not in said
    for depth in (300, 200_000):
        with pytest.raises(billformat.LedgerError, match=r"^x\.ofx:5: <A> is nested deeper than 256"):
            read(deep_ofx(depth), "ofx")


def work(run) -> int:
    """How many Python lines and calls ``run()`` takes: a measure of work that,
    unlike a time, is the same on every machine and every run."""
    count = 0

    def trace(frame, event, arg):
        nonlocal count
        count += 1
        return trace

    sys.settrace(trace)
    try:
        run()
    finally:
        sys.settrace(None)
    return count


def work_per_part(make, format: str) -> tuple[float, float]:
    """The work of reading ``make(n)`` per part, at 1,000 and 2,000 parts."""
    read(make(10), format)  # the caches (currency, locale) filled first
    small, large = make(1_000), make(2_000)
    return work(lambda: read(small, format)) / 1_000, work(lambda: read(large, format)) / 2_000


def test_empty_aggregates_between_ofx_transactions_are_read_in_linear_work():
    """``</STMTTRN><E></E>`` repeated: each empty aggregate was taken out of
    its parent by a search of all the transactions before it (quadratic:
    10,000 of them, 0.9 MB, took 14 s)."""
    def ofx(n: int) -> bytes:
        return (OFX_HEAD + "".join(
            f"<STMTTRN><TRNTYPE>DEBIT<DTPOSTED>20240101<TRNAMT>-1.00<FITID>{number}<NAME>x"
            "</STMTTRN><E></E>\n" for number in range(n)) + OFX_TAIL).encode()

    ledger = read(ofx(2_000), "ofx")
    assert len(ledger.entries) == 2_000 and ledger.entries[-1].id == "1999"
    at_1000, at_2000 = work_per_part(ofx, "ofx")
    assert at_2000 < 1.2 * at_1000, (at_1000, at_2000)  # quadratic: 1.8 times the work a part


def test_e_invoice_lines_sharing_one_id_are_read_in_linear_work():
    """A thousand lines all called "1" are entries 1, 1#2 ... 1#1000; each
    new name was found by counting up from 2 (quadratic: 20,000 such lines,
    1.65 MB, took 10 s)."""
    line = ('<cac:InvoiceLine><cbc:ID>1</cbc:ID><cbc:LineExtensionAmount currencyID="EUR">1'
            "</cbc:LineExtensionAmount><cac:Item><cbc:Name>n</cbc:Name></cac:Item></cac:InvoiceLine>")

    def ubl(n: int) -> bytes:
        return (UBL_HEAD + line * n + "</Invoice>").encode()

    ledger = read(ubl(2_000), "xml")
    assert [entry.id for entry in ledger.entries][:3] == ["1", "1#2", "1#3"]
    assert len({entry.id for entry in ledger.entries}) == 2_000
    at_1000, at_2000 = work_per_part(ubl, "xml")
    assert at_2000 < 1.2 * at_1000, (at_1000, at_2000)  # quadratic: 1.7 times the work a part


@pytest.mark.parametrize("name", ["[Q1] tire.json", "{copy} tire.json", "<draft>.json"])
def test_a_file_whose_name_opens_like_json_or_xml_is_read_as_the_file(tmp_path, monkeypatch, name):
    shutil = __import__("shutil")
    shutil.copy(Path(__file__).resolve().parent.parent / "samples" / "tire_shop.json", tmp_path / name)
    monkeypatch.chdir(tmp_path)
    assert billformat.read_ledger(name).number == "RO-10492"
    # a string that names no file is still ledger text
    with pytest.raises(billformat.LedgerError):
        billformat.read_ledger("[not a file]")


def test_an_output_that_is_a_symlink_replaces_the_file_it_names_and_keeps_the_link(tmp_path):
    from billformat.output import write_atomic

    (tmp_path / "real").mkdir()
    (tmp_path / "real" / "bill.txt").write_text("old")
    (tmp_path / "link.txt").symlink_to("real/bill.txt")
    write_atomic(tmp_path / "link.txt", "new bill")
    assert (tmp_path / "link.txt").is_symlink()
    assert (tmp_path / "real" / "bill.txt").read_text() == "new bill"
    assert sorted(path.name for path in (tmp_path / "real").iterdir()) == ["bill.txt"]


@pytest.mark.skipif(not hasattr(__import__("os"), "mkfifo"), reason="named pipes are POSIX")
def test_an_output_that_is_a_pipe_is_written_through_never_replaced(tmp_path):
    import os
    import threading

    from billformat.output import AtomicWrites, write_atomic

    pipe = tmp_path / "pipe"
    os.mkfifo(pipe)
    received: list[bytes] = []
    for write in (lambda: write_atomic(pipe, "bill one"), lambda: _atomically(AtomicWrites, pipe)):
        reader = threading.Thread(target=lambda: received.append(pipe.read_bytes()))
        reader.start()
        write()
        reader.join(5)
        assert stat_is_fifo(pipe)
    assert received == [b"bill one", b"bill two"]


def _atomically(AtomicWrites, pipe) -> None:
    with AtomicWrites() as writes:
        writes.add(pipe, "bill two")
        assert writes.commit() == []


def stat_is_fifo(path) -> bool:
    import stat

    return stat.S_ISFIFO(path.lstat().st_mode)
