"""Reading CSV ledgers: header lines, dotted keys, aliases, line numbers."""

from decimal import Decimal

import pytest
from ledgers import face, from_csv

import billformat
from billformat import LedgerError
from billformat.read.aliases import normalize_entry

FOLIO = """
    # kind: hotel_folio
    # currency: USD
    # number: F-88
    # seller.name: Harbor Hotel
    # seller.address: 1 Harbor Way
    # seller.address: Portland, ME 04101
    # customer.name: Dana Whitfield
    # period.start: 2026-11-01
    # period.end: 2026-11-04
    # stated.balance: 0.00
    id,date,text,kind,debit,credit,reverses,group
    1,2026-11-01,RM CHG 1012,item,189.00,,,Room
    2,2026-11-01,RM TAX,tax,11.34,,,
    3,2026-11-02,REST OUTLET,item,45.20,,,Food and drink
    4,2026-11-02,CORR REST OUTLET,item,,45.20,3,
    5,2026-11-04,VISA XXXX1234,payment,,200.34,,
"""


def test_reads_the_formats_own_example():
    ledger = from_csv(FOLIO)
    assert ledger.kind == "hotel_folio" and ledger.number == "F-88"
    assert ledger.seller.name == "Harbor Hotel"
    assert ledger.seller.address == ("1 Harbor Way", "Portland, ME 04101")
    assert ledger.customer.name == "Dana Whitfield"
    assert str(ledger.period.start) == "2026-11-01"
    assert ledger.stated.balance == Decimal("0.00")
    assert [e.amount for e in ledger.entries] == [Decimal(x) for x in
                                                  ("189.00", "11.34", "45.20", "-45.20", "-200.34")]
    assert ledger.entries[3].reverses == "3"
    assert ledger.entries[1].group is None  # an empty cell is an absent field
    assert [e.source_line for e in ledger.entries] == [12, 13, 14, 15, 16]


def test_a_bad_cell_is_refused_with_its_line_counted_over_the_whole_file():
    text = FOLIO.replace("1,2026-11-01,RM CHG 1012,item,189.00", '1,2026-11-01,RM CHG 1012,item,"189,00"')
    with pytest.raises(LedgerError, match=r'^folio.csv:12: debit "189,00" is not a decimal number$'):
        from_csv(text, "folio.csv")


def test_a_quoted_newline_keeps_later_line_numbers_true():
    text = """
        # currency: USD
        text,kind,amount
        "two
        lines",item,1.00
        third,item,x
    """
    with pytest.raises(LedgerError, match=r"^t.csv:5: amount \"x\""):
        from_csv(text, "t.csv")


def test_common_column_aliases_of_real_exports():
    ledger = from_csv("""
        # currency: USD
        Date,Description,Type,Charges,Payments,Quantity,Price
        2026-11-01,Widget,item,20.00,,2,10.00
        2026-11-02,Cash,payment,,20.00,,
    """)
    widget, cash = ledger.entries
    assert (widget.text, widget.amount, widget.qty, widget.unit_price) == (
        "Widget", Decimal("20.00"), Decimal("2"), Decimal("10.00"))
    assert cash.amount == Decimal("-20.00")


def test_a_header_without_text_or_kind_is_refused_clearly():
    with pytest.raises(LedgerError, match=r"^t.csv:2: the header has no kind column"):
        from_csv("# currency: USD\ntext,amount\nx,1\n", "t.csv")
    with pytest.raises(LedgerError, match=r"^t.csv:1: the header has no text column"):
        from_csv("kind,amount\nitem,1\n", "t.csv")


def test_an_empty_file_and_a_header_only_file():
    with pytest.raises(LedgerError, match="the file is empty"):
        from_csv("")
    with pytest.raises(LedgerError, match="no header row"):
        from_csv("# currency: USD\n")


def test_a_ragged_row_with_extra_cells_is_refused():
    with pytest.raises(LedgerError, match=r"^t.csv:3: the row has 4 cells but the header names 3"):
        from_csv("# currency: USD\ntext,kind,amount\nx,item,1,2\n", "t.csv")


def test_windows_line_endings_and_a_byte_order_mark():
    data = "\ufeff# currency: USD\r\ntext,kind,amount\r\nTire,item,189.99\r\n".encode()
    ledger = billformat.read_ledger(data, "csv", name="w.csv")
    assert ledger.currency == "USD" and ledger.entries[0].amount == Decimal("189.99")


def test_latin1_bytes_are_refused_naming_the_line():
    data = "# currency: EUR\ntext,kind,amount\nCaf\xe9,item,3.00\n".encode("latin-1")
    with pytest.raises(LedgerError, match=r"^l.csv:3: byte 0xe9 is not UTF-8"):
        billformat.read_ledger(data, "csv", name="l.csv")


def test_csv_and_json_of_one_ledger_give_the_same_bill():
    csv_bill = billformat.collapse(from_csv(FOLIO))
    json_bill = billformat.collapse(billformat.read_ledger("""
        {"kind": "hotel_folio", "currency": "USD", "entries": [
          {"id": "1", "text": "RM CHG 1012", "kind": "item", "debit": "189.00", "group": "Room"},
          {"id": "2", "text": "RM TAX", "kind": "tax", "debit": "11.34"},
          {"id": "3", "text": "REST OUTLET", "kind": "item", "debit": "45.20", "group": "Food and drink"},
          {"id": "4", "text": "CORR REST OUTLET", "kind": "item", "credit": "45.20", "reverses": "3"},
          {"id": "5", "text": "VISA XXXX1234", "kind": "payment", "credit": "200.34"}]}""", "json"))
    assert face(csv_bill) == face(json_bill) == [("Room", "189.00"), ("Taxes", "11.34")]
    assert csv_bill.trail == json_bill.trail


def test_header_keys_are_read_whatever_their_case():
    ledger = from_csv("""
        # Currency: USD
        # Seller.Name: Harbor Hotel
        # STATED.Total: 1.00
        text,kind,amount
        x,item,1.00
    """)
    assert ledger.seller.name == "Harbor Hotel"
    assert ledger.stated.total == Decimal("1.00")


def test_unnamed_columns_at_the_end_of_a_spreadsheet_export_are_ignored():
    ledger = from_csv("# currency: USD\nid,text,kind,amount,,\n1,x,item,1.00,,\n2,y,item,2.00\n")
    assert [e.amount for e in ledger.entries] == [Decimal("1.00"), Decimal("2.00")]
    with pytest.raises(LedgerError, match=r"^t.csv:4: cell 5 holds a value, but its column has no name"):
        from_csv("# currency: USD\nid,text,kind,amount,\n1,x,item,1.00,\n2,y,item,2.00,oops\n", "t.csv")


def test_an_id_of_only_spaces_is_no_id():
    ledger = from_csv("# currency: USD\nid,text,kind,amount\n  ,x,item,1.00\n")
    assert ledger.entries[0].id == "1"
    ledger = billformat.Ledger.model_validate(
        {"currency": "USD", "entries": [{"id": "  ", "text": "x", "kind": "item", "amount": "1"}]})
    assert ledger.entries[0].id == "1"
    with pytest.raises(LedgerError, match=r"^entry 1: qty"):  # the slow path names it the same way
        billformat.Ledger.model_validate(
            {"currency": "USD", "entries": [{"id": " ", "text": "x", "kind": "item", "amount": "1", "qty": True}]})


# Which column is read when a header has several names for one field.


def test_the_formats_own_column_wins_and_an_alias_beside_it_is_ignored():
    ledger = from_csv("""
        # currency: USD
        text,kind,amount,total
        Tire,item,189.99,189.99
        Valve,item,4.00,193.99
    """)
    assert [e.amount for e in ledger.entries] == [Decimal("189.99"), Decimal("4.00")]
    ledger = from_csv("""
        # currency: USD
        id,text,kind,amount,memo
        1,RM CHG,item,189.00,night of Nov 1
    """)
    assert ledger.entries[0].text == "RM CHG"
    # ignored as a column, not cell by cell: an empty text is not filled from memo
    with pytest.raises(LedgerError, match=r"^t.csv:3: text"):
        from_csv("# currency: USD\nid,text,kind,amount,memo\n1,,item,1.00,a memo\n", "t.csv")


def test_an_own_amount_debit_or_credit_column_sets_aside_the_aliases_of_all_three():
    """A folio's running Total beside debit and credit is not a second amount."""
    ledger = from_csv("""
        # currency: USD
        text,kind,debit,credit,total
        RM CHG,item,189.00,,189.00
        VISA,payment,,189.00,0.00
    """)
    assert [e.amount for e in ledger.entries] == [Decimal("189.00"), Decimal("-189.00")]
    ledger = from_csv("# currency: USD\ntext,kind,amount,charges\nTire,item,10.00,10.00\n")
    assert ledger.entries[0].amount == Decimal("10.00")


CHASE = """
    # kind: bank_statement
    # currency: USD
    {header}
    DEBIT,2026-11-03,COFFEE SHOP 0231,-4.50,withdrawal,,
    CHECK,2026-11-04,CHECK 1041,-120.00,check,,1041
"""


@pytest.mark.parametrize("header", [
    "Details,Posting Date,Description,Amount,Type,Balance,Check or Slip #",
    "Description,Posting Date,Details,Amount,Type,Balance,Check or Slip #",
])
def test_of_two_aliases_the_more_specific_text_wins_in_either_order(header):
    """Chase's Details column is DEBIT, CREDIT or CHECK; its Description is the text."""
    if header.startswith("Description"):  # swap the two cells of each row as well
        rows = CHASE.replace("DEBIT,2026-11-03,COFFEE SHOP 0231", "COFFEE SHOP 0231,2026-11-03,DEBIT")
        rows = rows.replace("CHECK,2026-11-04,CHECK 1041", "CHECK 1041,2026-11-04,CHECK")
    else:
        rows = CHASE
    ledger = from_csv(rows.format(header=header))
    assert [e.text for e in ledger.entries] == ["COFFEE SHOP 0231", "CHECK 1041"]
    assert [e.number for e in ledger.entries] == [None, "1041"]
    assert str(ledger.entries[0].date) == "2026-11-03"


@pytest.mark.parametrize(("header", "text"), [
    ("Memo,Details", "the memo"),
    ("Details,Memo", "the memo"),
    ("Memo,Desc", "the desc"),
    ("Desc,Description", "the description"),
])
def test_the_aliases_of_text_in_their_order_of_preference(header, text):
    cells = ",".join(f"the {column.lower()}" for column in header.split(","))
    ledger = from_csv(f"# currency: USD\n{header},kind,amount\n{cells},item,1.00\n")
    assert ledger.entries[0].text == text


@pytest.mark.parametrize(("header", "message"), [
    ("id,text,text,kind,amount", 't.csv:2: the column "text" appears twice in the header'),
    ("Description,Type,Amount,DESCRIPTION",
     't.csv:2: the column "Description" appears twice in the header'
     ' (the second time as "DESCRIPTION")'),
    ("text,kind,unit_price,amount,Unit Price",
     't.csv:2: the column "unit_price" appears twice in the header (the second time as "Unit Price")'),
    ("text,kind,amount,Notes, notes ",
     't.csv:2: the column "Notes" appears twice in the header (the second time as "notes")'),
])
def test_two_columns_of_one_name_are_refused_as_the_file_writes_them(header, message):
    with pytest.raises(LedgerError) as refused:
        from_csv(f"# currency: USD\n{header}\n", "t.csv")
    assert str(refused.value) == message


# A refused ledger field names the # line it was written on.


@pytest.mark.parametrize(("line", "message"), [
    ("# currency: US$", 'currency "US$" is not an ISO 4217 currency code'),
    ("# date: 2026-13-01", 'date "2026-13-01" is not a real date'),
    ("# due: 11/16/2026", 'due "11/16/2026" is not an ISO date'),
    ("# Stated.Total: 1,00", 'stated.total "1,00" is not a decimal number'),
    ("# kind: folio", 'kind "folio" is not one of'),
    ("# locale: xx_YY", 'locale "xx_YY" is not a known locale'),
    ("# period.start: 2026-2-1", 'period.start "2026-2-1" is not an ISO date'),
])
def test_a_bad_ledger_field_is_refused_naming_its_line(line, message):
    text = f"# Exported by PMS 5.6\n\n{line}\n# currency: USD\ntext,kind,amount\nx,item,1.00\n"
    if "currency" in line:
        text = text.replace("# currency: USD\n", "")
    with pytest.raises(LedgerError) as refused:
        from_csv(text, "file.csv")
    assert str(refused.value).startswith(f"file.csv:3: {message}")
    assert refused.value.place == "3"


def test_a_missing_ledger_field_is_refused_without_a_line():
    with pytest.raises(LedgerError) as refused:
        from_csv("# kind: sale\ntext,kind,amount\nx,item,1.00\n", "file.csv")
    assert str(refused.value) == "file.csv: currency is missing"


def test_a_refused_entry_keeps_its_own_line():
    with pytest.raises(LedgerError, match=r'^file.csv:4: kind "check" has no place in a sale'):
        from_csv("# currency: USD\n# kind: sale\ntext,kind,amount\nx,check,1.00\n", "file.csv")


def test_json_entries_take_the_preferred_of_two_aliases_too():
    for raw in ({"Details": "DEBIT", "Description": "COFFEE"},
                {"Description": "COFFEE", "Details": "DEBIT"}):
        assert normalize_entry({**raw, "kind": "withdrawal"}) == {"text": "COFFEE",
                                                                  "kind": "withdrawal"}
    assert normalize_entry({"memo": "x", "text": "RM CHG"})["text"] == "RM CHG"


def test_a_statements_debits_and_credits_are_built_its_way_at_once(monkeypatch):
    # The # kind line comes before the rows: no entry is built a bill's way and turned after.
    import billformat.build

    def turned(*arguments):
        raise AssertionError("an entry was turned over after it was built")

    monkeypatch.setattr(billformat.build, "turn_sign", turned)
    ledger = billformat.read_ledger(
        "# kind: Bank_Statement\n# currency: USD\ndate,text,kind,debit,credit,number\n"
        "2026-11-01,PAYROLL,deposit,,100.00,\n2026-11-02,CHECK 101,check,30.00,,101\n", "csv")
    assert [(entry.amount, entry.written_as) for entry in ledger.entries] == [
        (Decimal("100.00"), "credit"), (Decimal("-30.00"), "debit")]
