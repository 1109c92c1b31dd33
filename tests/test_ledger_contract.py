"""The ledger contract, field by field, read the same from JSON, from CSV and
from a dict: the sign of a statement's debits and credits, kinds and
statuses written loosely, null and empty values, JSON numbers as floats."""

from __future__ import annotations

import json
import textwrap
from decimal import Decimal

import pytest
from ledgers import from_csv, from_json

import billformat
from billformat import LedgerError
from billformat.model import Entry


@pytest.fixture(params=["whole", "entry by entry"])
def either_way(request, monkeypatch):
    """Small JSON texts parsed whole, and again read entry by entry as a large one is."""
    from billformat.read import json as json_reader

    if request.param == "entry by entry":
        monkeypatch.setattr(json_reader, "WHOLE_UP_TO", -1)
    return request.param


def amounts(ledger: billformat.Ledger) -> list[str]:
    return [str(entry.amount) for entry in ledger.entries]


# ---------------------------------------------------------------------------
# A statement is an account: a debit is money out, a credit money in

STATEMENT_CSV = """\
    # kind: bank_statement
    # currency: USD
    # stated.opening_balance: 1000.00
    # stated.closing_balance: 1070.00
    date,text,kind,debit,credit,number
    2026-11-01,PAYROLL,deposit,,100.00,
    2026-11-02,CHECK 101,check,30.00,,101
"""


def test_a_bank_export_with_debit_and_credit_columns_reconciles():
    ledger = from_csv(STATEMENT_CSV)
    assert amounts(ledger) == ["100.00", "-30.00"]
    report = billformat.check(ledger)
    assert report.ok, report.findings
    bill = billformat.collapse(ledger)
    assert (bill.money_in, bill.money_out, bill.closing_balance) == (
        Decimal("100.00"), Decimal("30.00"), Decimal("1070.00"))


def test_the_command_line_check_of_the_bank_export_reconciles(tmp_path):
    from typer.testing import CliRunner

    from billformat.cli import app

    path = tmp_path / "statement.csv"
    path.write_text(textwrap.dedent(STATEMENT_CSV))
    result = CliRunner().invoke(app, ["check", str(path)])
    assert result.exit_code == 0, result.output
    assert "statement.csv: reconciles" in result.output


@pytest.mark.parametrize("kind_first", [True, False])
def test_a_json_statement_turns_debit_and_credit_wherever_its_kind_stands(kind_first, either_way):
    entries = ('"entries": [{"text": "PAYROLL", "kind": "deposit", "credit": "100.00"},'
               ' {"text": "CHECK 101", "kind": "check", "debit": "30.00", "number": "101"},'
               ' {"text": "CORR", "kind": "withdrawal", "debit": "-5.00"},'
               ' {"text": "ATM", "kind": "withdrawal", "amount": "-20.00"}]')
    head = '"kind": "bank_statement", "currency": "USD"'
    text = "{" + (f"{head}, {entries}" if kind_first else f"{entries}, {head}") + "}"
    ledger = from_json(text)
    assert amounts(ledger) == ["100.00", "-30.00", "5.00", "-20.00"]
    assert [entry.written_as for entry in ledger.entries] == ["credit", "debit", "debit", "amount"]
    assert billformat.Ledger.model_validate(json.loads(text)).entries == ledger.entries


def test_a_bill_keeps_debit_as_a_charge_and_credit_as_a_payment():
    ledger = from_csv("""
        # kind: hotel_folio
        # currency: USD
        text,kind,debit,credit
        RM CHG,item,189.00,
        VISA,payment,,189.00
    """)
    assert amounts(ledger) == ["189.00", "-189.00"]


def test_entries_of_one_ledger_given_to_another_are_read_as_that_ledger_reads_them():
    statement = from_csv(STATEMENT_CSV + "    2026-11-03,SERVICE FEE,fee,2.50,,\n")
    assert amounts(statement) == ["100.00", "-30.00", "-2.50"]
    again = billformat.Ledger.model_validate(
        {"kind": "bank_statement", "currency": "USD", "entries": statement.entries})
    assert again.entries == statement.entries  # not turned twice
    assert amounts(billformat.Ledger.model_validate(statement.model_dump())) == amounts(statement)
    # An Entry made on its own reads a debit as a bill does; in a statement it is money out.
    alone = Entry.model_validate({"id": "1", "text": "x", "kind": "fee", "debit": "30.00"})
    assert alone.amount == Decimal("30.00")
    moved = billformat.Ledger.model_validate(
        {"kind": "bank_statement", "currency": "USD", "entries": [alone]})
    assert amounts(moved) == ["-30.00"]
    # and the statement's fee, given to a bill, is a charge of 2.50 again
    fee = statement.entries[2]
    as_bill = billformat.Ledger.model_validate({"currency": "USD", "entries": [fee]})
    assert amounts(as_bill) == ["2.50"] and fee.amount == Decimal("-2.50")


@pytest.mark.parametrize(("row", "message"), [
    (",debit,1.005", 'debit "1.005" has more decimals than USD allows (2)'),
    (",credit,-2.001", 'credit "-2.001" has more decimals than USD allows (2)'),
    (",debit,12;50", 'debit "12;50" is not a decimal number'),
])
def test_a_statement_refusal_quotes_the_figure_as_the_file_wrote_it(row, message, either_way):
    _, field, value = row.split(",")
    text = ('{"kind": "bank_statement", "currency": "USD", "entries": [{"text": "x", "kind": "fee", '
            f'"{field}": "{value}"}}]}}')
    with pytest.raises(LedgerError) as refused:
        from_json(text, name="s.json")
    assert str(refused.value) == f"s.json:entry 1: {message}"
    moved = text.replace('"kind": "bank_statement", "currency": "USD", ', "")[:-1]
    with pytest.raises(LedgerError) as refused:
        from_json(moved + ', "currency": "USD", "kind": "bank_statement"}', name="s.json")
    assert str(refused.value) == f"s.json:entry 1: {message}"


# ---------------------------------------------------------------------------
# kind and status: spaces around and any case


def test_kind_and_status_are_read_without_their_spaces_and_in_any_case():
    ledger = from_csv("""
        # kind:  Repair_Order
        # currency: USD
        text,kind,amount,status
         Tire , item , 10.00 , declined
        Labor,LABOR,5.00,Billed
        Fee,Fee,1.00,
    """)
    assert ledger.kind == "repair_order"
    assert [(e.text, e.kind.value, e.status.value) for e in ledger.entries] == [
        ("Tire", "item", "declined"), ("Labor", "labor", "billed"), ("Fee", "fee", "billed")]
    data = {"kind": " BANK_STATEMENT ", "currency": "USD",
            "entries": [{"text": "x", "kind": " Deposit", "status": "VOID ", "credit": "1.00"}]}
    statement = billformat.Ledger.model_validate(data)
    assert statement.is_statement and statement.entries[0].status == "void"
    assert statement.entries[0].amount == Decimal("1.00")


def test_an_unknown_kind_or_status_is_refused_as_written():
    with pytest.raises(LedgerError, match=r'^t\.csv:3: kind " gift " is not one of'):
        from_csv("# currency: USD\ntext,kind,amount\nx, gift ,1\n", name="t.csv")
    with pytest.raises(LedgerError, match=r'^t\.json:entry 1: status "Paid" is not one of'):
        from_json('{"currency": "USD", "entries": [{"text": "x", "kind": "item", "amount": "1",'
                  ' "status": "Paid"}]}', name="t.json")


# ---------------------------------------------------------------------------
# null and "" are absent


LEDGER_NULLS = ["kind", "number", "date", "due", "locale", "seller", "customer", "period", "stated"]


@pytest.mark.parametrize("blank", [None, "", "  "])
@pytest.mark.parametrize("field", LEDGER_NULLS)
def test_an_optional_ledger_field_given_null_or_empty_is_absent(field, blank, either_way):
    data = {"currency": "USD", field: blank,
            "entries": [{"text": "x", "kind": "item", "amount": "1.00"}]}
    ledger = from_json(json.dumps(data))
    plain = from_json('{"currency": "USD", "entries": [{"text": "x", "kind": "item", "amount": "1.00"}]}')
    assert (ledger.kind, ledger.locale, ledger.stated) == ("sale", "en_US", plain.stated)
    assert ledger == plain
    assert billformat.Ledger.model_validate(data, source="test.json") == plain


ENTRY_NULLS = ["id", "date", "label", "qty", "unit", "unit_price", "status", "reverses", "group",
               "rate", "base", "taxable", "number", "category"]


@pytest.mark.parametrize("blank", [None, "", "  "])
@pytest.mark.parametrize("field", ENTRY_NULLS)
def test_an_optional_entry_field_given_null_or_empty_is_absent(field, blank, either_way):
    entry = {"text": "x", "kind": "item", "amount": "1.00", field: blank}
    ledger = from_json(json.dumps({"currency": "USD", "entries": [entry]}))
    plain = from_json('{"currency": "USD", "entries": [{"text": "x", "kind": "item", "amount": "1.00"}]}')
    assert ledger.entries == plain.entries
    assert ledger.entries[0].status == "billed"
    assert billformat.Ledger.model_validate({"currency": "USD", "entries": [entry]}).entries == plain.entries


@pytest.mark.parametrize("blank", [None, ""])
def test_null_or_empty_inside_the_ledgers_objects_is_absent(blank):
    ledger = billformat.Ledger.model_validate({
        "currency": "USD",
        "seller": {"name": "Main Street Tire", "address": blank, "phone": blank},
        "period": {"start": blank, "end": "2026-11-04"},
        "stated": {"total": blank, "balance": "1.00"},
        "entries": [{"text": "x", "kind": "item", "amount": "1.00"}]})
    assert (ledger.seller.address, ledger.seller.phone) == ((), None)
    assert (ledger.period.start, str(ledger.period.end)) == (None, "2026-11-04")
    assert (ledger.stated.total, ledger.stated.balance) == (None, Decimal("1.00"))


def test_null_or_empty_beside_the_one_amount_given_is_no_second_amount():
    ledger = from_json('{"currency": "USD", "entries": [{"text": "x", "kind": "item", "amount": "",'
                       ' "debit": "2.00", "credit": null}]}')
    assert amounts(ledger) == ["2.00"] and ledger.entries[0].written_as == "debit"


@pytest.mark.parametrize(("entry", "message"), [
    ('"text": null, "kind": "item", "amount": "1"', "entry 1: text: input should be a valid string"),
    ('"text": "", "kind": "item", "amount": "1"', "entry 1: text is empty"),
    ('"text": "x", "kind": null, "amount": "1"', 'entry 1: kind "None" is not one of'),
    ('"text": "x", "kind": "", "amount": "1"', 'entry 1: kind "" is not one of'),
    ('"text": "x", "kind": "item", "amount": null',
     "entry 1: amount: an entry needs one of amount, debit or credit"),
    ('"text": "x", "kind": "item", "amount": "", "debit": " "',
     "entry 1: amount: an entry needs one of amount, debit or credit"),
])
def test_a_required_entry_field_null_or_empty_is_still_refused(entry, message):
    with pytest.raises(LedgerError) as refused:
        from_json(f'{{"currency": "USD", "entries": [{{{entry}}}]}}', name="r.json")
    assert str(refused.value).startswith(f"r.json:{message}"), str(refused.value)


@pytest.mark.parametrize(("currency", "message"), [
    ("null", "currency: input should be a valid string"),
    ('""', 'currency "" is not an ISO 4217 currency code'),
])
def test_a_currency_null_or_empty_is_still_refused(currency, message):
    with pytest.raises(LedgerError) as refused:
        from_json(f'{{"currency": {currency}, "entries": [{{"text": "x", "kind": "item", "amount": "1"}}]}}',
                  name="r.json")
    assert str(refused.value) == f"r.json: {message}"


# ---------------------------------------------------------------------------
# A dict from json.loads: numbers as Python floats, read by their shortest text


FLOAT_LEDGER = """
{"kind": "repair_order", "currency": "USD", "stated": {"total": 246.45, "balance": 0},
 "entries": [
   {"id": 1, "text": "TIRE", "kind": "item", "qty": 2, "unit_price": 94.995, "amount": 189.99},
   {"id": 2, "text": "TAX", "kind": "tax", "rate": 6.625, "base": 189.99, "amount": 12.59},
   {"id": 3, "text": "FEE", "kind": "fee", "debit": 43.87},
   {"id": 4, "text": "VISA", "kind": "payment", "credit": 246.45}
 ]}
"""


def test_a_payload_from_json_loads_reads_each_float_by_its_shortest_text():
    ledger = billformat.Ledger.model_validate(json.loads(FLOAT_LEDGER))
    tire, tax, fee, visa = ledger.entries
    assert (tire.qty, tire.unit_price, tire.amount) == (2, Decimal("94.995"), Decimal("189.99"))
    assert (tax.rate, tax.base, tax.amount) == (Decimal("6.625"), Decimal("189.99"), Decimal("12.59"))
    assert (fee.amount, visa.amount) == (Decimal("43.87"), Decimal("-246.45"))
    assert ledger.stated.total == Decimal("246.45")
    assert all(type(value) is Decimal for value in (tire.amount, tax.rate, ledger.stated.total))
    assert billformat.collapse(ledger).balance_due == 0
    assert [entry.id for entry in ledger.entries] == ["1", "2", "3", "4"]
    numbered = billformat.Ledger.model_validate(
        {"kind": "bank_statement", "currency": "USD",
         "entries": [{"id": 7.0, "text": "CHECK", "kind": "check", "debit": 30.0, "number": 101.0}]})
    assert (numbered.entries[0].id, numbered.entries[0].number) == ("7", "101")
    assert numbered.entries[0].amount == Decimal("-30.0")
    # the same as the text read with its digits
    assert ledger.entries == from_json(FLOAT_LEDGER).entries
    assert json.loads("0.1") + json.loads("0.2") != 0.3  # what reading a float's binary value would give
    sums = billformat.Ledger.model_validate(json.loads(
        '{"currency": "USD", "entries": [{"text": "a", "kind": "item", "amount": 0.1},'
        ' {"text": "b", "kind": "item", "amount": 0.2}]}'))
    assert sum(entry.amount for entry in sums.entries) == Decimal("0.3")


@pytest.mark.parametrize("number", [float("nan"), float("inf"), float("-inf")])
def test_a_float_that_is_no_number_is_refused(number):
    data = {"currency": "USD", "entries": [{"text": "a", "kind": "item", "amount": number}]}
    with pytest.raises(LedgerError, match=r'^entry 1: amount "(nan|inf|-inf)" is not a decimal number'):
        billformat.Ledger.model_validate(data)
    data = {"currency": "USD", "stated": {"total": number},
            "entries": [{"text": "a", "kind": "item", "amount": 1}]}
    with pytest.raises(LedgerError, match=r'^stated\.total "(nan|inf|-inf)" is not a decimal number'):
        billformat.Ledger.model_validate(data)


def test_a_float_with_more_decimals_than_the_currency_is_refused_quoting_it():
    with pytest.raises(LedgerError, match=r'^entry 1: amount "1.005" has more decimals than USD allows'):
        billformat.Ledger.model_validate(
            {"currency": "USD", "entries": [{"text": "a", "kind": "item", "amount": 1.005}]})


def test_model_validate_json_reads_numbers_from_their_text_and_refuses_with_ledger_error():
    ledger = billformat.Ledger.model_validate_json(FLOAT_LEDGER)
    assert ledger.entries[0].unit_price == Decimal("94.995")
    assert ledger == billformat.read_ledger(FLOAT_LEDGER, "json").model_copy(update={"source": None})
    assert billformat.Ledger.model_validate_json(FLOAT_LEDGER.encode()).entries == ledger.entries
    with pytest.raises(LedgerError, match=r'^entry 1: amount "1.005" has more decimals'):
        billformat.Ledger.model_validate_json(
            '{"currency": "USD", "entries": [{"text": "a", "kind": "item", "amount": 1.005}]}')
    with pytest.raises(LedgerError, match=r'^api:1: the key "amount" appears twice'):
        billformat.Ledger.model_validate_json(
            '{"currency": "USD", "entries": [{"text": "a", "kind": "item", "amount": 1, "amount": 2}]}',
            source="api")
    with pytest.raises(LedgerError, match=r"NaN is not a number a ledger may hold"):
        billformat.Ledger.model_validate_json(
            '{"currency": "USD", "entries": [{"text": "a", "kind": "item", "amount": NaN}]}')
    with pytest.raises(LedgerError, match="a ledger must be a JSON object"):
        billformat.Ledger.model_validate_json("[1]")


# ---------------------------------------------------------------------------
# Currencies: ISO 4217 codes, with ISO's minor units


def test_a_currency_whose_cldr_decimals_differ_takes_iso_4217s():
    ledger = billformat.Ledger.model_validate(
        {"currency": "RSD", "entries": [{"text": "X", "kind": "item", "amount": "1200.50"}]})
    assert ledger.entries[0].amount == Decimal("1200.50")
    iraq = from_json('{"currency": "IQD", "entries": [{"text": "X", "kind": "item", "amount": "12.125"}]}')
    assert billformat.collapse(iraq).total == Decimal("12.125")
    with pytest.raises(LedgerError, match=r'amount "12.1255" has more decimals than IQD allows \(3\)'):
        from_json('{"currency": "IQD", "entries": [{"text": "X", "kind": "item", "amount": "12.1255"}]}')
    with pytest.raises(LedgerError, match=r'amount "1.5" has more decimals than JPY allows \(0\)'):
        from_json('{"currency": "JPY", "entries": [{"text": "X", "kind": "item", "amount": "1.5"}]}')


def test_a_bill_in_such_a_currency_prints_iso_4217s_decimals():
    bill = billformat.collapse(billformat.Ledger.model_validate(
        {"currency": "RSD", "locale": "sr_Latn_RS",
         "entries": [{"text": "X", "kind": "item", "amount": "1200.50"}]}))
    text = billformat.render(bill, "text")
    assert "1.200,50" in text and "1.201" not in text
    assert json.loads(billformat.render(bill, "json"))["total"] == "1200.50"


@pytest.mark.parametrize("code", ["CNH", "cnh", "CNX"])
def test_a_code_iso_4217_does_not_list_is_refused(code):
    with pytest.raises(LedgerError, match=f'currency "{code}" is not an ISO 4217 currency code'):
        billformat.Ledger.model_validate(
            {"currency": code, "entries": [{"text": "X", "kind": "item", "amount": "1"}]})
