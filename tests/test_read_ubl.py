"""Reading UBL 2.1 invoices and credit notes, and refusing hostile XML."""

from __future__ import annotations

from decimal import Decimal
from textwrap import dedent

import pytest

import billformat
from billformat import LedgerError, read_ledger

NS = ('xmlns="urn:oasis:names:specification:ubl:schema:xsd:{root}-2" '
      'xmlns:cac="urn:oasis:names:specification:ubl:schema:xsd:CommonAggregateComponents-2" '
      'xmlns:cbc="urn:oasis:names:specification:ubl:schema:xsd:CommonBasicComponents-2"')


def ubl(body: str, root: str = "Invoice") -> bytes:
    return (f'<?xml version="1.0" encoding="UTF-8"?>\n<{root} {NS.format(root=root)}>'
            f"{dedent(body)}</{root}>\n").encode()


SELLER = """
    <cac:AccountingSupplierParty><cac:Party>
      <cac:PartyName><cbc:Name>Bäckerei Müller</cbc:Name></cac:PartyName>
      <cac:PostalAddress><cbc:StreetName>Hauptstr. 1</cbc:StreetName><cbc:CityName>Köln</cbc:CityName>
        <cbc:PostalZone>50667</cbc:PostalZone><cac:Country><cbc:IdentificationCode>DE</cbc:IdentificationCode></cac:Country>
      </cac:PostalAddress>
      <cac:PartyTaxScheme><cbc:CompanyID>DE123456789</cbc:CompanyID></cac:PartyTaxScheme>
    </cac:Party></cac:AccountingSupplierParty>
    <cac:AccountingCustomerParty><cac:Party>
      <cac:PartyIdentification><cbc:ID>K-77</cbc:ID></cac:PartyIdentification>
      <cac:PartyLegalEntity><cbc:RegistrationName>Café Rose</cbc:RegistrationName></cac:PartyLegalEntity>
    </cac:Party></cac:AccountingCustomerParty>
"""

INVOICE = ubl(f"""
    <cbc:ID>R-2024-17</cbc:ID>
    <cbc:IssueDate>2024-03-01</cbc:IssueDate>
    <cbc:DueDate>2024-03-31</cbc:DueDate>
    <cbc:InvoiceTypeCode>380</cbc:InvoiceTypeCode>
    <cbc:DocumentCurrencyCode>EUR</cbc:DocumentCurrencyCode>
    {SELLER}
    <cac:AllowanceCharge>
      <cbc:ChargeIndicator>false</cbc:ChargeIndicator>
      <cbc:AllowanceChargeReason>Stammkunde</cbc:AllowanceChargeReason>
      <cbc:Amount currencyID="EUR">10.00</cbc:Amount>
      <cac:TaxCategory><cbc:ID>S</cbc:ID><cbc:Percent>19</cbc:Percent></cac:TaxCategory>
    </cac:AllowanceCharge>
    <cac:AllowanceCharge>
      <cbc:ChargeIndicator>true</cbc:ChargeIndicator>
      <cbc:AllowanceChargeReason>Lieferung</cbc:AllowanceChargeReason>
      <cbc:Amount currencyID="EUR">5.00</cbc:Amount>
      <cac:TaxCategory><cbc:ID>S</cbc:ID><cbc:Percent>19</cbc:Percent></cac:TaxCategory>
    </cac:AllowanceCharge>
    <cac:TaxTotal>
      <cbc:TaxAmount currencyID="EUR">27.55</cbc:TaxAmount>
      <cac:TaxSubtotal>
        <cbc:TaxableAmount currencyID="EUR">145.00</cbc:TaxableAmount>
        <cbc:TaxAmount currencyID="EUR">27.55</cbc:TaxAmount>
        <cac:TaxCategory><cbc:ID>S</cbc:ID><cbc:Percent>19</cbc:Percent></cac:TaxCategory>
      </cac:TaxSubtotal>
    </cac:TaxTotal>
    <cac:LegalMonetaryTotal>
      <cbc:LineExtensionAmount currencyID="EUR">150.00</cbc:LineExtensionAmount>
      <cbc:TaxExclusiveAmount currencyID="EUR">145.00</cbc:TaxExclusiveAmount>
      <cbc:TaxInclusiveAmount currencyID="EUR">172.55</cbc:TaxInclusiveAmount>
      <cbc:AllowanceTotalAmount currencyID="EUR">10.00</cbc:AllowanceTotalAmount>
      <cbc:ChargeTotalAmount currencyID="EUR">5.00</cbc:ChargeTotalAmount>
      <cbc:PrepaidAmount currencyID="EUR">50.00</cbc:PrepaidAmount>
      <cbc:PayableRoundingAmount currencyID="EUR">0.45</cbc:PayableRoundingAmount>
      <cbc:PayableAmount currencyID="EUR">123.00</cbc:PayableAmount>
    </cac:LegalMonetaryTotal>
    <cac:InvoiceLine>
      <cbc:ID>1</cbc:ID>
      <cbc:InvoicedQuantity unitCode="KGM">20</cbc:InvoicedQuantity>
      <cbc:LineExtensionAmount currencyID="EUR">100.00</cbc:LineExtensionAmount>
      <cac:Item><cbc:Name>Roggenmehl</cbc:Name>
        <cac:ClassifiedTaxCategory><cbc:ID>S</cbc:ID><cbc:Percent>19</cbc:Percent></cac:ClassifiedTaxCategory>
      </cac:Item>
      <cac:Price><cbc:PriceAmount currencyID="EUR">500.00</cbc:PriceAmount>
        <cbc:BaseQuantity unitCode="KGM">100</cbc:BaseQuantity></cac:Price>
    </cac:InvoiceLine>
    <cac:InvoiceLine>
      <cbc:ID>2</cbc:ID>
      <cbc:InvoicedQuantity unitCode="H87">1</cbc:InvoicedQuantity>
      <cbc:LineExtensionAmount currencyID="EUR">50.00</cbc:LineExtensionAmount>
      <cac:Item><cbc:Name>Backform</cbc:Name>
        <cac:ClassifiedTaxCategory><cbc:ID>S</cbc:ID><cbc:Percent>19</cbc:Percent></cac:ClassifiedTaxCategory>
      </cac:Item>
      <cac:Price><cbc:PriceAmount currencyID="EUR">60.00</cbc:PriceAmount></cac:Price>
    </cac:InvoiceLine>
""")


def entries(ledger):
    return [(e.id, e.kind.value, str(e.amount)) for e in ledger.entries]


def test_an_invoice_maps_lines_allowances_charges_vat_prepaid_and_rounding():
    ledger = read_ledger(INVOICE, name="r-17.xml")
    assert entries(ledger) == [
        ("1", "item", "100.00"), ("2", "item", "50.00"),
        ("allowance-1", "discount", "-10.00"), ("charge-1", "fee", "5.00"),
        ("vat-1", "tax", "27.55"), ("rounding", "rounding", "0.45"), ("paid", "payment", "-50.00"),
    ]
    flour = ledger.entries[0]
    assert (flour.text, flour.qty, flour.unit, flour.unit_price) == ("Roggenmehl", 20, "KGM", 5)
    assert (flour.category, flour.rate) == ("S", 19)
    vat = ledger.entries[4]
    assert (vat.text, vat.rate, vat.base, vat.category) == ("VAT 19%", 19, Decimal("145.00"), "S")
    assert vat.label == "USt. 19%"  # in the bill's language (de_DE)
    assert (ledger.entries[-1].text, ledger.entries[-1].label) == ("Paid in advance", "Vorauszahlung")
    assert (ledger.kind.value, ledger.number, str(ledger.date), str(ledger.due)) == (
        "sale", "R-2024-17", "2024-03-01", "2024-03-31")
    assert (ledger.currency, ledger.locale) == ("EUR", "de_DE")
    assert ledger.seller.name == "Bäckerei Müller"
    assert ledger.seller.address == ("Hauptstr. 1", "50667 Köln", "DE")
    assert ledger.seller.tax_id == "DE123456789"
    assert (ledger.customer.name, ledger.customer.account) == ("Café Rose", "K-77")


def test_a_line_whose_price_does_not_make_its_net_keeps_the_price_in_its_text():
    pan = read_ledger(INVOICE, name="r-17.xml").entries[1]
    assert pan.unit_price is None and pan.qty == 1
    assert pan.text == "Backform (price 60 per H87)"


def test_the_stated_totals_are_the_documents_and_the_bill_adds_up_to_them():
    ledger = read_ledger(INVOICE, name="r-17.xml")
    stated = ledger.stated
    assert (stated.line_total, stated.allowance_total, stated.charge_total) == (150, 10, 5)
    assert (stated.tax_exclusive, stated.tax_total, stated.rounding) == (145, Decimal("27.55"), Decimal("0.45"))
    # The bill's total shows the rounding line: BT-112 172.55 + BT-114 0.45.
    assert (stated.total, stated.paid, stated.balance) == (173, 50, 123)
    bill = billformat.collapse(ledger)
    assert (bill.total, bill.paid, bill.balance_due) == (173, 50, 123)
    assert billformat.check(ledger).findings == ()


def test_a_credit_note_reads_as_a_credit():
    note = ubl("""
        <cbc:ID>CN-1</cbc:ID>
        <cbc:CreditNoteTypeCode>381</cbc:CreditNoteTypeCode>
        <cbc:DocumentCurrencyCode>SEK</cbc:DocumentCurrencyCode>
        <cac:TaxTotal><cbc:TaxAmount currencyID="SEK">25.00</cbc:TaxAmount>
          <cac:TaxSubtotal><cbc:TaxableAmount currencyID="SEK">100.00</cbc:TaxableAmount>
            <cbc:TaxAmount currencyID="SEK">25.00</cbc:TaxAmount>
            <cac:TaxCategory><cbc:ID>S</cbc:ID><cbc:Percent>25</cbc:Percent></cac:TaxCategory>
          </cac:TaxSubtotal></cac:TaxTotal>
        <cac:LegalMonetaryTotal>
          <cbc:LineExtensionAmount currencyID="SEK">100.00</cbc:LineExtensionAmount>
          <cbc:TaxExclusiveAmount currencyID="SEK">100.00</cbc:TaxExclusiveAmount>
          <cbc:TaxInclusiveAmount currencyID="SEK">125.00</cbc:TaxInclusiveAmount>
          <cbc:PayableAmount currencyID="SEK">125.00</cbc:PayableAmount>
        </cac:LegalMonetaryTotal>
        <cac:CreditNoteLine><cbc:ID>1</cbc:ID>
          <cbc:CreditedQuantity unitCode="EA">2</cbc:CreditedQuantity>
          <cbc:LineExtensionAmount currencyID="SEK">100.00</cbc:LineExtensionAmount>
          <cac:Item><cbc:Name>Returned lamp</cbc:Name>
            <cac:ClassifiedTaxCategory><cbc:ID>S</cbc:ID><cbc:Percent>25</cbc:Percent></cac:ClassifiedTaxCategory></cac:Item>
          <cac:Price><cbc:PriceAmount currencyID="SEK">50.00</cbc:PriceAmount></cac:Price>
        </cac:CreditNoteLine>
    """, root="CreditNote")
    ledger = read_ledger(note, name="cn-1.xml")
    assert entries(ledger) == [("1", "item", "-100.00"), ("vat-1", "tax", "-25.00")]
    assert (ledger.entries[0].qty, ledger.entries[0].unit_price) == (-2, 50)
    assert (ledger.stated.total, ledger.stated.balance) == (-125, -125)
    assert billformat.collapse(ledger).balance_due == Decimal("-125.00")
    assert billformat.check(ledger).ok


RETURN_LINE = """
    <cac:InvoiceLine><cbc:ID>{id}</cbc:ID>
      <cbc:InvoicedQuantity unitCode="EA">{qty}</cbc:InvoicedQuantity>
      <cbc:LineExtensionAmount currencyID="EUR">{net}</cbc:LineExtensionAmount>
      <cac:Item><cbc:Name>FRITUUR VET 10 KG RETOUR</cbc:Name>
        <cac:ClassifiedTaxCategory><cbc:ID>S</cbc:ID><cbc:Percent>6</cbc:Percent></cac:ClassifiedTaxCategory>
      </cac:Item>
      <cac:Price><cbc:PriceAmount currencyID="EUR">18.33</cbc:PriceAmount></cac:Price>
    </cac:InvoiceLine>
"""


def lines_only(*lines: str, root: str = "Invoice") -> bytes:
    body = "".join(lines)
    if root == "CreditNote":
        body = body.replace("InvoiceLine", "CreditNoteLine").replace("InvoicedQuantity",
                                                                      "CreditedQuantity")
    return ubl(f"<cbc:ID>X</cbc:ID><cbc:DocumentCurrencyCode>EUR</cbc:DocumentCurrencyCode>{body}",
               root=root)


@pytest.mark.parametrize(("qty", "net", "read_qty", "amount"), [
    ("6", "-109.98", -6, "-109.98"),  # ubl-tc434-example1 line 20: a return of 6
    ("-6", "109.98", 6, "109.98"),
    ("-6", "-109.98", -6, "-109.98"),
    ("6", "109.98", 6, "109.98"),
])
def test_a_line_whose_net_has_the_other_sign_of_qty_times_price_reads_the_quantity_negated(
        qty, net, read_qty, amount):
    """Every printed qty × price is the line's amount, sign and all: a return
    of 6 at 18.33 on a line of -109.98 reads as -6 × 18.33."""
    line = read_ledger(lines_only(RETURN_LINE.format(id=1, qty=qty, net=net)), name="x.xml").entries[0]
    assert (line.qty, line.unit_price, str(line.amount)) == (read_qty, Decimal("18.33"), amount)
    assert line.qty * line.unit_price == line.amount
    # In a credit note every quantity and amount is negated; the price stays.
    note = read_ledger(lines_only(RETURN_LINE.format(id=1, qty=qty, net=net), root="CreditNote"),
                       name="x.xml").entries[0]
    assert (note.qty, note.unit_price, note.amount) == (-read_qty, Decimal("18.33"), -Decimal(amount))


def test_lines_that_share_an_id_get_ids_of_their_own():
    ids = ["1", "1", "1#2", "1", "2"]
    ledger = read_ledger(lines_only(*(RETURN_LINE.format(id=id, qty=6, net="109.98") for id in ids)),
                         name="x.xml")
    assert [entry.id for entry in ledger.entries] == ["1", "1#2", "1#2#2", "1#3", "2"]


def test_an_amount_with_three_decimals_is_refused_naming_the_element_and_the_rule():
    bad = INVOICE.replace(b">100.00</cbc:LineExtensionAmount>", b">100.004</cbc:LineExtensionAmount>")
    with pytest.raises(LedgerError) as refusal:
        read_ledger(bad, name="r-17.xml")
    message = str(refusal.value)
    assert message.startswith("r-17.xml:")
    assert "/Invoice/cac:InvoiceLine/cbc:LineExtensionAmount" in message
    assert '"100.004" has 3 decimals' in message and "(BR-DEC-23)" in message


def test_a_vat_total_given_twice_in_the_document_currency_is_refused():
    twice = INVOICE.replace(b"<cac:LegalMonetaryTotal>",
                            b'<cac:TaxTotal><cbc:TaxAmount currencyID="EUR">27.55</cbc:TaxAmount>'
                            b"</cac:TaxTotal><cac:LegalMonetaryTotal>")
    with pytest.raises(LedgerError, match=r"given a second time .*\(BR-CO-15\)"):
        read_ledger(twice, name="r-17.xml")


def test_a_number_that_is_no_number_is_refused_with_its_line():
    bad = INVOICE.replace(b">27.55</cbc:TaxAmount>", b">27,55</cbc:TaxAmount>", 1)
    with pytest.raises(LedgerError, match=r'^r-17\.xml:\d+: /Invoice/cac:TaxTotal/cbc:TaxAmount: '
                                          r'TaxAmount "27,55" is not a decimal number'):
        read_ledger(bad, name="r-17.xml")


def test_an_xml_file_that_is_no_invoice_is_refused():
    with pytest.raises(LedgerError, match=r"root element <Order> is not an e-invoice"):
        read_ledger(b"<?xml version='1.0'?><Order/>", name="order.xml")
    with pytest.raises(LedgerError, match=r"^broken\.xml:1: the XML cannot be read"):
        read_ledger(b"<Invoice><cbc:ID>", name="broken.xml")


BILLION_LAUGHS = b"""<?xml version="1.0"?>
<!DOCTYPE Invoice [
  <!ENTITY lol "lol">
  <!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
  <!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">
  <!ENTITY lol4 "&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;">
  <!ENTITY lol5 "&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;">
  <!ENTITY lol6 "&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;">
  <!ENTITY lol7 "&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;">
  <!ENTITY lol8 "&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;">
  <!ENTITY lol9 "&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;">
]>
<Invoice xmlns="urn:oasis:names:specification:ubl:schema:xsd:Invoice-2"><ID>&lol9;</ID></Invoice>
"""

EXTERNAL_ENTITY = b"""<?xml version="1.0"?>
<!DOCTYPE Invoice [<!ENTITY secret SYSTEM "file:///etc/passwd">]>
<Invoice xmlns="urn:oasis:names:specification:ubl:schema:xsd:Invoice-2"
  xmlns:cbc="urn:oasis:names:specification:ubl:schema:xsd:CommonBasicComponents-2">
  <cbc:ID>&secret;</cbc:ID></Invoice>
"""


@pytest.mark.parametrize("hostile", [BILLION_LAUGHS, EXTERNAL_ENTITY], ids=["billion-laughs", "xxe"])
def test_hostile_xml_is_refused_unexpanded(hostile):
    with pytest.raises(LedgerError) as refusal:
        read_ledger(hostile, name="hostile.xml")
    message = str(refusal.value)
    assert message.startswith("hostile.xml:")
    assert "DOCTYPE" in message and "root:" not in message
    assert len(message) < 300


def test_an_xml_file_is_chosen_by_its_content_whatever_its_name(tmp_path):
    path = tmp_path / "invoice.txt"
    path.write_bytes(INVOICE)
    assert billformat.read.detect_format(INVOICE, "invoice.txt") == "xml"
    assert read_ledger(path).number == "R-2024-17"
    assert read_ledger(INVOICE.decode(), "ubl", name="x").number == "R-2024-17"
