"""Reading JSON ledgers: every field of the format, and every refusal."""

from decimal import Decimal
from pathlib import Path

import pytest
from ledgers import from_json

import billformat
from billformat import LedgerError


def test_reads_every_ledger_field():
    ledger = from_json("""
        {"kind": "repair_order", "number": "RO-10492", "date": "2026-11-02", "due": "2026-11-16",
         "currency": "USD", "locale": "en_US",
         "seller": {"name": "Main Street Tire", "address": ["12 Main St", "Somerville, NJ 08876"],
                    "phone": "908-555-0100", "email": "desk@example.com", "tax_id": "22-1234567"},
         "customer": {"name": "Kate N.", "address": ["4 Elm St"], "account": "C-2291"},
         "period": {"start": "2026-11-01", "end": "2026-11-04"},
         "stated": {"total": "189.99", "paid": "0", "balance": "189.99"},
         "entries": [{"text": "TIRE", "kind": "item", "amount": "189.99"}]}
    """)
    assert ledger.kind == "repair_order"
    assert ledger.number == "RO-10492"
    assert str(ledger.date) == "2026-11-02" and str(ledger.due) == "2026-11-16"
    assert ledger.seller.address == ("12 Main St", "Somerville, NJ 08876")
    assert ledger.seller.tax_id == "22-1234567"
    assert ledger.customer.account == "C-2291"
    assert str(ledger.period.end) == "2026-11-04"
    assert ledger.stated.total == Decimal("189.99")
    assert ledger.stated.balance == Decimal("189.99")


def test_reads_every_entry_field(either_way):
    ledger = from_json("""
        {"currency": "USD", "entries": [
          {"id": "A1", "date": "2026-11-01", "text": "225/45R17 MICH", "label": "New tire",
           "kind": "item", "amount": "379.98", "qty": "2", "unit": "each", "unit_price": "189.99",
           "group": "Tires", "taxable": true},
          {"id": "T1", "text": "SALES TAX", "kind": "tax", "amount": "25.17", "rate": "6.625",
           "base": "379.98"},
          {"id": "A2", "text": "CORR", "kind": "item", "amount": "-10.00", "reverses": "A1"},
          {"id": "D1", "text": "ALIGN", "kind": "labor", "amount": "89.99", "status": "declined"},
          {"id": "V1", "text": "OOPS", "kind": "fee", "amount": "5.00", "status": "void"}
        ]}
    """)
    tire, tax, correction, declined, void = ledger.entries
    assert (tire.id, tire.label, tire.qty, tire.unit, tire.unit_price, tire.group, tire.taxable) == (
        "A1", "New tire", Decimal("2"), "each", Decimal("189.99"), "Tires", True)
    assert (tax.rate, tax.base) == (Decimal("6.625"), Decimal("379.98"))
    assert correction.reverses == "A1"
    assert declined.status == "declined" and void.status == "void"


def test_money_is_read_from_its_text_never_through_float():
    ledger = from_json('{"currency": "USD", "entries": [{"text": "x", "kind": "item", "amount": 0.1},'
                       ' {"text": "y", "kind": "item", "amount": 0.2}]}')
    assert sum(entry.amount for entry in ledger.entries) == Decimal("0.3")
    assert all(type(entry.amount) is Decimal for entry in ledger.entries)


def test_debit_is_a_charge_and_credit_a_reduction_either_may_be_negative():
    ledger = from_json("""
        {"currency": "USD", "entries": [
          {"text": "RM", "kind": "item", "debit": "100.00"},
          {"text": "VISA", "kind": "payment", "credit": "60.00"},
          {"text": "CORR", "kind": "item", "debit": "-24.00"},
          {"text": "REFUND", "kind": "payment", "credit": "-5.00"}]}
    """)
    assert [e.amount for e in ledger.entries] == [Decimal("100.00"), Decimal("-60.00"),
                                                  Decimal("-24.00"), Decimal("5.00")]


def test_default_id_is_the_one_based_position():
    ledger = from_json('{"currency": "EUR", "entries": [{"text": "a", "kind": "item", "amount": "1"},'
                       ' {"text": "b", "kind": "item", "amount": "2", "id": 7}]}')
    assert [e.id for e in ledger.entries] == ["1", "7"]


def test_ledger_model_validate_accepts_a_dict_and_refuses_with_ledger_error():
    ledger = billformat.Ledger.model_validate(
        {"currency": "JPY", "locale": "ja_JP", "entries": [{"text": "x", "kind": "item", "amount": "5445"}]})
    assert ledger.entries[0].amount == 5445
    with pytest.raises(LedgerError, match=r"entry 1: amount \"1.5\""):
        billformat.Ledger.model_validate(
            {"currency": "JPY", "entries": [{"text": "x", "kind": "item", "amount": "1.5"}]})


REFUSALS = [
    ('{"entries": [{"text": "a", "kind": "item", "amount": "1"}]}', "f.json: currency is missing"),
    ('{"currency": "USX", "entries": [{"text": "a", "kind": "item", "amount": "1"}]}',
     'f.json: currency "USX" is not an ISO 4217 currency code'),
    ('{"currency": "USD", "locale": "xx_YY", "entries": [{"text": "a", "kind": "item", "amount": "1"}]}',
     'f.json: locale "xx_YY" is not a known locale'),
    ('{"currency": "USD", "entries": [{"kind": "item", "amount": "1"}]}', "f.json:entry 1: text is missing"),
    ('{"currency": "USD", "entries": [{"text": "a", "amount": "1"}]}', "f.json:entry 1: kind is missing"),
    ('{"currency": "USD", "entries": [{"text": "a", "kind": "gift", "amount": "1"}]}',
     'f.json:entry 1: kind "gift" is not one of'),
    ('{"currency": "USD", "entries": [{"text": "a", "kind": "item", "amount": "1", "status": "paid"}]}',
     'f.json:entry 1: status "paid" is not one of'),
    ('{"currency": "USD", "entries": [{"id": "x9", "text": "a", "kind": "item", "amount": "1", "debit": "1"}]}',
     "f.json:entry x9: debit: an entry has amount and debit; give only one"),
    ('{"currency": "USD", "entries": [{"text": "a", "kind": "item"}]}',
     "f.json:entry 1: amount: an entry needs one of amount, debit or credit"),
    ('{"currency": "USD", "entries": [{"text": "a", "kind": "item", "amount": "1.005"}]}',
     'f.json:entry 1: amount "1.005" has more decimals than USD allows (2)'),
    ('{"currency": "KWD", "entries": [{"text": "a", "kind": "item", "credit": "1.0005"}]}',
     'f.json:entry 1: credit "1.0005" has more decimals than KWD allows (3)'),
    ('{"currency": "USD", "entries": [{"id": "1", "text": "a", "kind": "item", "amount": "1"},'
     ' {"id": "1", "text": "b", "kind": "item", "amount": "1"}]}', 'f.json:entry 1: id "1" of the 2nd entry is already used by the 1st'),
    ('{"currency": "USD", "entries": [{"text": "a", "kind": "item", "amount": "1", "reverses": "5"}]}',
     'f.json:entry 1: reverses "5", which is no other entry of the ledger'),
    ('{"currency": "USD", "entries": [{"text": "a", "kind": "item", "amount": "1", "status": "declined"},'
     ' {"text": "b", "kind": "item", "amount": "-1", "reverses": "1"}]}',
     'f.json:entry 2: reverses "1", which is declined and cannot be reversed'),
    ('{"currency": "USD", "entries": [{"text": "a", "kind": "item", "debit": "12,50"}]}',
     'f.json:entry 1: debit "12,50" is not a decimal number'),
    ('{"currency": "USD", "entries": [{"text": "a", "kind": "item", "amount": "1", "date": "02/11/2026"}]}',
     'f.json:entry 1: date "02/11/2026" is not an ISO date'),
    ('{"currency": "USD", "entries": [{"text": "a", "kind": "deposit", "amount": "1"}]}',
     'f.json:entry 1: kind "deposit" has no place in a sale'),
    ('{"currency": "USD", "entries": []}', "f.json: entries: the ledger has no entries"),
    ('{"currency": "USD", "entries": [{"text": ["a"], "kind": "item", "amount": "1"}]}',
     "f.json:entry 1: text: input should be a valid string"),
    ('{"currency": "USD", "entries": [{"text": "a", "kind": "item", "amount": NaN}]}',
     "f.json:1: NaN is not a number a ledger may hold"),
    ('{"currency": "USD", "entries": [{"text": "a", "kind": "item", "amount": "1", "amount": "2"}]}',
     'f.json:1: the key "amount" appears twice in one object'),
    ('{"currency": "USD", "entries": [{"text": "a", "kind": "item", "amount": "1"}', "f.json:1: the JSON ends too early"),
    # the first key that repeats is named, wherever the object is
    (('{"currency": "USD", "entries": [{"text": "a", "kind": "item", "qty": "1", "unit": "h",\n'
      '"unit": "d", "qty": "2", "amount": "1"}]}'), 'f.json:2: the key "unit" appears twice in one object'),
    ('{"currency": "USD", "seller": {"name": "A", "name": "B"}, "entries": []}',
     'f.json:1: the key "name" appears twice in one object'),
    ("", "f.json: the file is empty"),
    ("[1, 2]", "f.json: a ledger must be a JSON object"),
]


@pytest.fixture(params=["whole", "entry by entry"])
def either_way(request, monkeypatch):
    """Run a test with small texts parsed whole (as they are), and again with
    every text read entry by entry (as a large one is)."""
    from billformat.read import json as json_reader

    if request.param == "entry by entry":
        monkeypatch.setattr(json_reader, "WHOLE_UP_TO", -1)
    return request.param


@pytest.mark.parametrize(("text", "message"), REFUSALS)
def test_refuses_bad_ledgers_naming_file_place_and_field(text, message, either_way):
    with pytest.raises(LedgerError) as refusal:
        billformat.read_ledger(text, "json", name="f.json")
    assert str(refusal.value).startswith(message), str(refusal.value)


def test_a_reversal_of_a_void_entry_is_refused():
    with pytest.raises(LedgerError, match="which is void"):
        from_json('{"currency": "USD", "entries": [{"text": "a", "kind": "item", "amount": "1", "status": "void"},'
                  ' {"text": "b", "kind": "item", "amount": "-1", "reverses": "1"}]}')


def test_reads_a_file_by_path_and_names_it(tmp_path):
    path = tmp_path / "ro-1.json"
    path.write_text('{"currency": "USD", "entries": [{"text": "a", "kind": "item", "amount": "x"}]}')
    with pytest.raises(LedgerError, match=r'^ro-1.json:entry 1: amount "x" is not a decimal number$'):
        billformat.read_ledger(path)
    path.write_text('{"currency": "USD", "entries": [{"text": "a", "kind": "item", "amount": "1"}]}')
    assert billformat.read_ledger(str(path)).source == "ro-1.json"


def test_a_missing_file_is_a_ledger_error(tmp_path):
    with pytest.raises(LedgerError, match="no such file"):
        billformat.read_ledger(tmp_path / "nope.json")


def test_reads_an_open_binary_stream(tmp_path):
    path = tmp_path / "ro.json"
    path.write_text('{"currency": "USD", "entries": [{"text": "a", "kind": "item", "amount": "1.00"}]}')
    with path.open("rb") as stream:
        ledger = billformat.read_ledger(stream, name="ro.json")
    assert ledger.source == "ro.json" and ledger.entries[0].amount == Decimal("1.00")


def test_an_entry_in_the_formats_own_names_reads_as_one_with_aliases():
    own = from_json('{"currency": "USD", "entries": [{"id": "A1", "text": "Tire", "kind": "item",'
                    ' "qty": "2", "unit_price": "5.00", "amount": "10.00", "category": "parts"}]}')
    aliased = from_json('{"currency": "USD", "entries": [{"Reference": "A1", "Description": "Tire",'
                        ' "Type": "item", "Quantity": "2", "Price": "5.00", "Total": "10.00",'
                        ' "category": "parts"}]}')
    assert own.entries == aliased.entries
    # an alias never overrides the format's own name, given before or after it
    both = from_json('{"currency": "USD", "entries": [{"Description": "x", "text": "Tire", "kind": "item",'
                     ' "amount": "1"}, {"kind": "item", "text": "Tire", "memo": "x", "amount": "1"}]}')
    assert [entry.text for entry in both.entries] == ["Tire", "Tire"]


def test_a_large_file_is_read_whole_and_a_stream_a_megabyte_at_a_time(tmp_path):
    import io

    from billformat.read import _read_stream

    entries = ",".join(f'{{"text": "line {n}", "kind": "item", "amount": "1.00"}}' for n in range(40_000))
    path = tmp_path / "big.json"
    path.write_text(f'{{"currency": "USD", "entries": [{entries}]}}')
    assert len(billformat.read_ledger(path).entries) == 40_000
    data = path.read_bytes()
    assert len(data) > 1 << 20
    assert _read_stream(io.BytesIO(data), "big.json") == data
    # a stream that is longer than it said (a file that grew) is read to its end
    assert _read_stream(io.BytesIO(data), "big.json", first=100) == data


def test_the_first_entry_that_breaks_a_rule_is_named_however_far_down_it_is():
    # Entries written with fewer decimals than the currency's are fine; the
    # walk that looks for trouble must still name the one entry that breaks a
    # rule, wherever it stands.
    entries = [{"id": f"e{n}", "text": "a", "kind": "item", "amount": ("5", "5.0", "5.00")[n % 3]}
               for n in range(300)]
    ledger = billformat.Ledger.model_validate({"currency": "USD", "entries": entries})
    assert len(ledger.entries) == 300
    for broken, message in (({"amount": "1.005"}, 'entry e217: amount "1.005" has more decimals'),
                            ({"kind": "deposit"}, 'entry e217: kind "deposit" has no place in a sale')):
        changed = [dict(entry, **broken) if entry["id"] == "e217" else entry for entry in entries]
        with pytest.raises(billformat.LedgerError, match=message):
            billformat.Ledger.model_validate({"currency": "USD", "entries": changed})


def test_a_text_parsed_whole_reads_as_it_does_entry_by_entry():
    from billformat.read.json import WHOLE_UP_TO, _read_streaming, _read_whole

    samples = sorted((Path(__file__).resolve().parent.parent / "samples").glob("*.json"))
    texts = [path.read_text() for path in samples] + [text for text, _ in REFUSALS] + [
        '{"currency": "USD", "entries": "none"}',
        '{"currency": "USD", "entries": [1, "two", null, {"text": "a", "kind": "item", "amount": "1"}]}',
        ' {"entries": [{"Description": "x", "kind": "item", "Amount": "2.50"}], "currency": "EUR"} ',
        '{"currency": "USD", "entries": []} trailing',
        "{}",
    ]
    assert len(samples) >= 4
    for text in texts:
        assert len(text) <= WHOLE_UP_TO
        assert _read_whole(text) == _read_streaming(text), text[:80]
    assert any(_read_whole(text) is None for text in texts)  # the refusals are left to parse_json


def test_a_text_stream_or_a_ledgers_text_without_a_format_is_read_by_its_content(tmp_path):
    import io

    folio = (tmp_path / "folio.csv")
    folio.write_text("# currency: USD\ntext,kind,amount\nRoom,item,189.00\n", encoding="utf-8")
    with folio.open(encoding="utf-8") as stream:  # a text stream, named as its file
        assert billformat.read_ledger(stream).source == "folio.csv"
    big = '{"currency": "USD", "entries": [' + ", ".join(
        f'{{"text": "{"x" * 40}", "kind": "item", "amount": "1.00"}}' for _ in range(30_000)) + "]}"
    assert len(big) > 1 << 20  # more than one chunk of the stream
    assert len(billformat.read_ledger(io.StringIO(big)).entries) == 30_000
    assert billformat.read_ledger(folio.read_text(encoding="utf-8")).entries[0].text == "Room"
    assert billformat.read_ledger('{"currency": "EUR", "entries": [{"text": "A", "kind": "item", '
                                  '"amount": "1.00"}]}').currency == "EUR"
    # A string of one line is still a path, and a missing one is said so, briefly.
    with pytest.raises(LedgerError, match=r"^nope\.json: no such file$"):
        billformat.read_ledger("nope.json")
