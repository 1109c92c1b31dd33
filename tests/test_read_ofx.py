"""Reading OFX / QFX bank statements: SGML 1.x and XML 2.x."""

from __future__ import annotations

import sys
from decimal import Decimal
from textwrap import dedent

import pytest

import billformat
from billformat import LedgerError, read_ledger
from billformat.read.ofx import parse_ofx

SGML = dedent("""\
    OFXHEADER:100
    DATA:OFXSGML
    VERSION:102
    ENCODING:USASCII
    CHARSET:1252

    <OFX>
    <SIGNONMSGSRSV1><SONRS><STATUS><CODE>0<SEVERITY>INFO</STATUS>
    <FI><ORG>First Bank<FID>1</FI></SONRS></SIGNONMSGSRSV1>
    <BANKMSGSRSV1><STMTTRNRS><TRNUID>1<STMTRS>
    <CURDEF>USD
    <BANKACCTFROM><BANKID>123<ACCTID>9876<ACCTTYPE>CHECKING</BANKACCTFROM>
    <BANKTRANLIST><DTSTART>20260301<DTEND>20260331
    <STMTTRN><TRNTYPE>CHECK<DTPOSTED>20260303120000.000[-5:EST]<TRNAMT>-85.00<FITID>A1<CHECKNUM>1044<NAME>CHECK 1044</STMTTRN>
    <STMTTRN><TRNTYPE>POS<DTPOSTED>20260303<TRNAMT>-62.37<FITID>A2<NAME>GROCERY<MEMO>GROCERY STORE #12</STMTTRN>
    <STMTTRN><TRNTYPE>CHECK<DTPOSTED>20260304<TRNAMT>-400.00<FITID>A3<CHECKNUM>1041</STMTTRN>
    <STMTTRN><TRNTYPE>DIRECTDEP<DTPOSTED>20260305<TRNAMT>1875.42<FITID>A4<NAME>PAYROLL</STMTTRN>
    <STMTTRN><TRNTYPE>SRVCHG<DTPOSTED>20260311<TRNAMT>-12.00<FITID>A5<NAME>SERVICE FEE</STMTTRN>
    <STMTTRN><TRNTYPE>INT<DTPOSTED>20260317<TRNAMT>0.41<FITID>A6<NAME>INTEREST &amp; DIVIDENDS</STMTTRN>
    <STMTTRN><TRNTYPE>XFER<DTPOSTED>20260318<TRNAMT>-100.00<FITID>A7<NAME>TO SAVINGS</STMTTRN>
    </BANKTRANLIST>
    <LEDGERBAL><BALAMT>2466.46<DTASOF>20260331</LEDGERBAL>
    </STMTRS></STMTTRNRS></BANKMSGSRSV1>
    </OFX>
""")

XML = dedent("""\
    <?xml version="1.0" encoding="UTF-8" standalone="no"?>
    <?OFX OFXHEADER="200" VERSION="220" SECURITY="NONE" OLDFILEUID="NONE" NEWFILEUID="NONE"?>
    <OFX>
      <CREDITCARDMSGSRSV1><CCSTMTTRNRS><TRNUID>1</TRNUID><CCSTMTRS>
        <CURDEF>CAD</CURDEF>
        <CCACCTFROM><ACCTID>4111XXXX1111</ACCTID></CCACCTFROM>
        <BANKTRANLIST><DTSTART>20260101</DTSTART><DTEND>20260131</DTEND>
          <STMTTRN><TRNTYPE>DEBIT</TRNTYPE><DTPOSTED>20260105</DTPOSTED><TRNAMT>-45,20</TRNAMT>
            <FITID>X1</FITID><NAME>CAFÉ</NAME><CHECKNUM>000</CHECKNUM></STMTTRN>
          <STMTTRN><TRNTYPE>CREDIT</TRNTYPE><DTPOSTED>20260120</DTPOSTED><TRNAMT>100.00</TRNAMT>
            <FITID>X2</FITID><NAME>PAYMENT THANK YOU</NAME></STMTTRN>
        </BANKTRANLIST>
        <LEDGERBAL><BALAMT>-250.00</BALAMT><DTASOF>20260131</DTASOF></LEDGERBAL>
      </CCSTMTRS></CCSTMTTRNRS></CREDITCARDMSGSRSV1>
    </OFX>
""")


def entries(ledger):
    return [(e.id, e.kind.value, str(e.amount), e.number) for e in ledger.entries]


def test_an_sgml_statement_maps_every_transaction():
    ledger = read_ledger(SGML.encode(), name="march.ofx")
    assert ledger.kind.value == "bank_statement"
    assert (ledger.currency, ledger.locale, str(ledger.date)) == ("USD", "en_US", "2026-03-31")
    assert entries(ledger) == [
        ("A1", "check", "-85.00", "1044"), ("A2", "withdrawal", "-62.37", None),
        ("A3", "check", "-400.00", "1041"), ("A4", "deposit", "1875.42", None),
        ("A5", "fee", "-12.00", None), ("A6", "interest", "0.41", None),
        ("A7", "transfer", "-100.00", None),
    ]
    assert [e.text for e in ledger.entries][:3] == ["CHECK 1044", "GROCERY STORE #12", "Check"]
    assert ledger.entries[5].text == "INTEREST & DIVIDENDS"
    assert str(ledger.entries[0].date) == "2026-03-03"
    assert (ledger.seller.name, ledger.customer.account) == ("First Bank", "9876")
    assert (str(ledger.period.start), str(ledger.period.end)) == ("2026-03-01", "2026-03-31")
    # OFX gives only the closing balance; the opening is what the movements leave.
    assert (ledger.stated.opening_balance, ledger.stated.closing_balance) == (None, Decimal("2466.46"))
    bill = billformat.collapse(ledger)
    assert (bill.opening_balance, bill.closing_balance) == (Decimal("1250.00"), Decimal("2466.46"))
    assert [check.number for check in bill.checks] == ["1041", "1044"]
    assert billformat.check(ledger).ok


def test_an_xml_card_statement_with_a_comma_decimal():
    ledger = read_ledger(XML.encode(), name="card.qfx")
    assert billformat.read.detect_format(XML.encode(), "card.qfx") == "ofx"
    assert (ledger.currency, ledger.locale, ledger.customer.account) == ("CAD", "en_CA", "4111XXXX1111")
    # A CHECKNUM is read as written, zeros too.
    assert entries(ledger) == [("X1", "withdrawal", "-45.20", "000"), ("X2", "deposit", "100.00", None)]
    assert ledger.entries[0].text == "CAFÉ"
    assert billformat.collapse(ledger).opening_balance == Decimal("-304.80")


def test_a_statement_from_windows_1252_bytes():
    data = SGML.replace("GROCERY STORE #12", "CAFÉ CRÈME").encode("cp1252")
    assert read_ledger(data, name="march.ofx").entries[1].text == "GROCERY / CAFÉ CRÈME"


@pytest.mark.parametrize(("change", "refusal"), [
    (("<TRNAMT>-62.37", "<TRNAMT>$62.37"), r'^march\.ofx:15: TRNAMT "\$62\.37" is not a decimal number'),
    (("<TRNAMT>-62.37", "<TRNAMT>-62.375"), r'^march\.ofx:15: TRNAMT "-62\.375" has more decimals'),
    (("<DTPOSTED>20260303<", "<DTPOSTED>20261303<"), r'^march\.ofx:15: DTPOSTED "20261303" is not a real date'),
    (("<CURDEF>USD", "<CURDEF>"), r"^march\.ofx:\d+: the statement names no currency"),
    (("<STMTRS>", "<STMTRX>"), r"^march\.ofx: the OFX file holds no statement"),
    (("<OFX>", "<XFO>"), r"^march\.ofx: no <OFX> element"),
])
def test_a_broken_statement_is_refused_naming_its_line_and_field(change, refusal):
    with pytest.raises(LedgerError, match=refusal):
        read_ledger(SGML.replace(*change).encode(), name="march.ofx")


def test_two_accounts_in_one_file_are_refused():
    body = SGML.split("<BANKMSGSRSV1>")[1].split("</BANKMSGSRSV1>")[0]
    twice = SGML.replace("</BANKMSGSRSV1>", f"</BANKMSGSRSV1><BANKMSGSRSV1>{body}</BANKMSGSRSV1>")
    with pytest.raises(LedgerError, match=r"holds 2 statements; billformat reads one account a file"):
        read_ledger(twice.encode(), name="two.ofx")


def test_an_ofx_file_is_chosen_by_its_content_and_by_its_suffix(tmp_path):
    path = tmp_path / "export.dat"
    path.write_bytes(SGML.encode())
    assert read_ledger(path).kind.value == "bank_statement"
    assert billformat.read.detect_format("", "x.qfx") == "ofx"


def test_a_check_number_is_read_as_written_zero_included():
    """ofxparse's bank_medium.ofx and suncorp.ofx number a check 0; an empty
    CHECKNUM is no number."""
    zero = SGML.replace("<CHECKNUM>1044", "<CHECKNUM>0")
    ledger = read_ledger(zero.encode(), name="march.ofx")
    assert [e.number for e in ledger.entries][:3] == ["0", None, "1041"]
    assert sorted(check.number for check in billformat.collapse(ledger).checks) == ["0", "1041"]
    for empty in ("<CHECKNUM>\n", "<CHECKNUM></CHECKNUM>", "<CHECKNUM>  </CHECKNUM>"):
        ledger = read_ledger(SGML.replace("<CHECKNUM>1044", empty).encode(), name="march.ofx")
        assert ledger.entries[0].number is None, empty


def nested(depth: int) -> str:
    """The statement wrapped in aggregates until its deepest leaf is ``depth`` deep."""
    wrappers = depth - 6  # OFX, BANKMSGSRSV1, STMTTRNRS, STMTRS, BANKTRANLIST, STMTTRN
    return SGML.replace("<BANKMSGSRSV1>", "<W>" * wrappers + "<BANKMSGSRSV1>").replace(
        "</BANKMSGSRSV1>", "</BANKMSGSRSV1>" + "</W>" * wrappers)


def test_nesting_up_to_256_aggregates_reads_and_deeper_is_refused_naming_the_file():
    """As deep as libxml2 lets the XML readers go (256), and no deeper: a
    1,000-deep OFX (3 KB) used to crash the reader's recursive walk."""
    assert len(read_ledger(nested(256).encode(), name="deep.ofx").entries) == 7
    with pytest.raises(LedgerError) as refused:
        read_ledger(nested(257).encode(), name="deep.ofx")
    assert str(refused.value) == ("deep.ofx:14: <STMTTRN> is nested deeper than 256 aggregates; "
                                  "no statement is nested so deep, so the file is refused")
    for depth in (1_000, 200_000):
        with pytest.raises(LedgerError) as refused:
            read_ledger(nested(depth).encode(), name="deep.ofx")
        assert str(refused.value) == ("deep.ofx:10: <W> is nested deeper than 256 aggregates; no "
                                      "statement is nested so deep, so the file is refused")


def test_the_walk_of_a_statement_needs_no_recursion():
    """256 levels walked with Python's recursion limit far below them."""
    root = parse_ofx(nested(256), "deep.ofx")
    limit = sys.getrecursionlimit()
    sys.setrecursionlimit(150)
    try:
        assert len(root.find("STMTTRN")) == 7
    finally:
        sys.setrecursionlimit(limit)
