"""Reading UN/CEFACT CII invoices (D16B and ZUGFeRD 1.0) and Factur-X PDFs."""

from __future__ import annotations

import io
from decimal import Decimal
from textwrap import dedent

import pytest
from pypdf import PdfWriter

import billformat
from billformat import LedgerError, read_ledger

CII = dedent("""\
    <?xml version="1.0" encoding="UTF-8"?>
    <rsm:CrossIndustryInvoice
        xmlns:rsm="urn:un:unece:uncefact:data:standard:CrossIndustryInvoice:100"
        xmlns:ram="urn:un:unece:uncefact:data:standard:ReusableAggregateBusinessInformationEntity:100"
        xmlns:udt="urn:un:unece:uncefact:data:standard:UnqualifiedDataType:100">
      <rsm:ExchangedDocument>
        <ram:ID>F-2024-001</ram:ID>
        <ram:TypeCode>{type_code}</ram:TypeCode>
        <ram:IssueDateTime><udt:DateTimeString format="102">20240115</udt:DateTimeString></ram:IssueDateTime>
      </rsm:ExchangedDocument>
      <rsm:SupplyChainTradeTransaction>
        <ram:IncludedSupplyChainTradeLineItem>
          <ram:AssociatedDocumentLineDocument><ram:LineID>1</ram:LineID></ram:AssociatedDocumentLineDocument>
          <ram:SpecifiedTradeProduct><ram:Name>Consultation</ram:Name></ram:SpecifiedTradeProduct>
          <ram:SpecifiedLineTradeAgreement>
            <ram:NetPriceProductTradePrice><ram:ChargeAmount>90.00</ram:ChargeAmount></ram:NetPriceProductTradePrice>
          </ram:SpecifiedLineTradeAgreement>
          <ram:SpecifiedLineTradeDelivery><ram:BilledQuantity unitCode="HUR">2</ram:BilledQuantity></ram:SpecifiedLineTradeDelivery>
          <ram:SpecifiedLineTradeSettlement>
            <ram:ApplicableTradeTax><ram:TypeCode>VAT</ram:TypeCode><ram:CategoryCode>S</ram:CategoryCode>
              <ram:RateApplicablePercent>20</ram:RateApplicablePercent></ram:ApplicableTradeTax>
            <ram:SpecifiedTradeSettlementLineMonetarySummation><ram:LineTotalAmount>180.00</ram:LineTotalAmount>
            </ram:SpecifiedTradeSettlementLineMonetarySummation>
          </ram:SpecifiedLineTradeSettlement>
        </ram:IncludedSupplyChainTradeLineItem>
        <ram:IncludedSupplyChainTradeLineItem>
          <ram:AssociatedDocumentLineDocument><ram:LineID>1.1</ram:LineID><ram:ParentLineID>1</ram:ParentLineID>
          </ram:AssociatedDocumentLineDocument>
          <ram:SpecifiedTradeProduct><ram:Name>Detail of line 1</ram:Name></ram:SpecifiedTradeProduct>
          <ram:SpecifiedLineTradeSettlement>
            <ram:SpecifiedTradeSettlementLineMonetarySummation><ram:LineTotalAmount>180.00</ram:LineTotalAmount>
            </ram:SpecifiedTradeSettlementLineMonetarySummation>
          </ram:SpecifiedLineTradeSettlement>
        </ram:IncludedSupplyChainTradeLineItem>
        <ram:ApplicableHeaderTradeAgreement>
          <ram:SellerTradeParty><ram:Name>Conseil SARL</ram:Name>
            <ram:PostalTradeAddress><ram:PostcodeCode>75001</ram:PostcodeCode><ram:LineOne>1 rue de Rivoli</ram:LineOne>
              <ram:CityName>Paris</ram:CityName><ram:CountryID>FR</ram:CountryID></ram:PostalTradeAddress>
            <ram:SpecifiedTaxRegistration><ram:ID schemeID="VA">FR12345678901</ram:ID></ram:SpecifiedTaxRegistration>
          </ram:SellerTradeParty>
          <ram:BuyerTradeParty><ram:ID>C-9</ram:ID><ram:Name>Client SA</ram:Name></ram:BuyerTradeParty>
        </ram:ApplicableHeaderTradeAgreement>
        <ram:ApplicableHeaderTradeSettlement>
          <ram:InvoiceCurrencyCode>EUR</ram:InvoiceCurrencyCode>
          <ram:ApplicableTradeTax>
            <ram:CalculatedAmount>34.00</ram:CalculatedAmount><ram:TypeCode>VAT</ram:TypeCode>
            <ram:BasisAmount>170.00</ram:BasisAmount><ram:CategoryCode>S</ram:CategoryCode>
            <ram:RateApplicablePercent>20</ram:RateApplicablePercent>
          </ram:ApplicableTradeTax>
          <ram:SpecifiedTradeAllowanceCharge>
            <ram:ChargeIndicator><udt:Indicator>false</udt:Indicator></ram:ChargeIndicator>
            <ram:ActualAmount>10.00</ram:ActualAmount><ram:Reason>Remise</ram:Reason>
            <ram:CategoryTradeTax><ram:TypeCode>VAT</ram:TypeCode><ram:CategoryCode>S</ram:CategoryCode>
              <ram:RateApplicablePercent>20</ram:RateApplicablePercent></ram:CategoryTradeTax>
          </ram:SpecifiedTradeAllowanceCharge>
          <ram:SpecifiedTradePaymentTerms>
            <ram:DueDateDateTime><udt:DateTimeString format="102">20240214</udt:DateTimeString></ram:DueDateDateTime>
          </ram:SpecifiedTradePaymentTerms>
          <ram:SpecifiedTradeSettlementHeaderMonetarySummation>
            <ram:LineTotalAmount>180.00</ram:LineTotalAmount>
            <ram:AllowanceTotalAmount>10.00</ram:AllowanceTotalAmount>
            <ram:TaxBasisTotalAmount>170.00</ram:TaxBasisTotalAmount>
            <ram:TaxTotalAmount currencyID="EUR">34.00</ram:TaxTotalAmount>
            <ram:TaxTotalAmount currencyID="USD">37.00</ram:TaxTotalAmount>
            <ram:GrandTotalAmount>204.00</ram:GrandTotalAmount>
            <ram:TotalPrepaidAmount>4.00</ram:TotalPrepaidAmount>
            <ram:DuePayableAmount>{payable}</ram:DuePayableAmount>
          </ram:SpecifiedTradeSettlementHeaderMonetarySummation>
        </ram:ApplicableHeaderTradeSettlement>
      </rsm:SupplyChainTradeTransaction>
    </rsm:CrossIndustryInvoice>
""")


def cii(type_code: str = "380", payable: str = "200.00") -> bytes:
    return CII.format(type_code=type_code, payable=payable).encode()


def entries(ledger):
    return [(e.id, e.kind.value, str(e.amount)) for e in ledger.entries]


def test_a_cii_invoice_maps_its_business_terms():
    ledger = read_ledger(cii(), name="f-001.xml")
    # The sub-line 1.1 is a detail of line 1 and is not counted again.
    assert entries(ledger) == [
        ("1", "item", "180.00"), ("allowance-1", "discount", "-10.00"),
        ("vat-1", "tax", "34.00"), ("paid", "payment", "-4.00"),
    ]
    line = ledger.entries[0]
    assert (line.text, line.qty, line.unit, line.unit_price, line.category, line.rate) == (
        "Consultation", 2, "HUR", Decimal("90.00"), "S", 20)
    assert (ledger.number, str(ledger.date), str(ledger.due)) == ("F-2024-001", "2024-01-15", "2024-02-14")
    assert (ledger.currency, ledger.locale) == ("EUR", "fr_FR")
    assert ledger.seller.address == ("1 rue de Rivoli", "75001 Paris", "FR")
    assert ledger.seller.tax_id == "FR12345678901"
    assert (ledger.customer.name, ledger.customer.account) == ("Client SA", "C-9")
    # The VAT total in USD (the VAT accounting currency) is not the document's.
    assert ledger.stated.tax_total == Decimal("34.00")
    bill = billformat.collapse(ledger)
    assert (bill.total, bill.paid, bill.balance_due) == (204, 4, 200)
    assert billformat.check(ledger).findings == ()


def test_a_cii_credit_note_is_a_credit():
    ledger = read_ledger(cii(type_code="381"), name="avoir.xml")
    assert billformat.collapse(ledger).balance_due == Decimal("-200.00")
    assert billformat.check(ledger).ok


def test_a_wrong_amount_due_is_reported_by_its_rule():
    ledger = read_ledger(cii(payable="210.00"), name="f-001.xml")
    codes = {finding.code for finding in billformat.check(ledger).findings}
    assert codes == {"stated-balance", "BR-CO-16"}


def test_zugferd_1_reads_with_its_older_element_names():
    zf1 = dedent("""\
        <?xml version="1.0" encoding="UTF-8"?>
        <rsm:CrossIndustryDocument xmlns:rsm="urn:ferd:CrossIndustryDocument:invoice:1p0"
            xmlns:ram="urn:un:unece:uncefact:data:standard:ReusableAggregateBusinessInformationEntity:12"
            xmlns:udt="urn:un:unece:uncefact:data:standard:UnqualifiedDataType:15">
          <rsm:HeaderExchangedDocument><ram:ID>471102</ram:ID><ram:TypeCode>380</ram:TypeCode>
            <ram:IssueDateTime><udt:DateTimeString format="102">20130305</udt:DateTimeString></ram:IssueDateTime>
          </rsm:HeaderExchangedDocument>
          <rsm:SpecifiedSupplyChainTradeTransaction>
            <ram:ApplicableSupplyChainTradeAgreement>
              <ram:SellerTradeParty><ram:Name>Lieferant GmbH</ram:Name>
                <ram:PostalTradeAddress><ram:CountryID>DE</ram:CountryID></ram:PostalTradeAddress></ram:SellerTradeParty>
            </ram:ApplicableSupplyChainTradeAgreement>
            <ram:ApplicableSupplyChainTradeSettlement>
              <ram:InvoiceCurrencyCode>EUR</ram:InvoiceCurrencyCode>
              <ram:ApplicableTradeTax><ram:CalculatedAmount currencyID="EUR">19.00</ram:CalculatedAmount>
                <ram:TypeCode>VAT</ram:TypeCode><ram:BasisAmount currencyID="EUR">100.00</ram:BasisAmount>
                <ram:CategoryCode>S</ram:CategoryCode><ram:ApplicablePercent>19.00</ram:ApplicablePercent>
              </ram:ApplicableTradeTax>
              <ram:SpecifiedTradeSettlementMonetarySummation>
                <ram:LineTotalAmount currencyID="EUR">100.00</ram:LineTotalAmount>
                <ram:TaxBasisTotalAmount currencyID="EUR">100.00</ram:TaxBasisTotalAmount>
                <ram:TaxTotalAmount currencyID="EUR">19.00</ram:TaxTotalAmount>
                <ram:GrandTotalAmount currencyID="EUR">119.00</ram:GrandTotalAmount>
                <ram:DuePayableAmount currencyID="EUR">119.00</ram:DuePayableAmount>
              </ram:SpecifiedTradeSettlementMonetarySummation>
            </ram:ApplicableSupplyChainTradeSettlement>
            <ram:IncludedSupplyChainTradeLineItem>
              <ram:AssociatedDocumentLineDocument><ram:LineID>1</ram:LineID></ram:AssociatedDocumentLineDocument>
              <ram:SpecifiedSupplyChainTradeAgreement><ram:NetPriceProductTradePrice>
                <ram:ChargeAmount currencyID="EUR">10.00</ram:ChargeAmount></ram:NetPriceProductTradePrice>
              </ram:SpecifiedSupplyChainTradeAgreement>
              <ram:SpecifiedSupplyChainTradeDelivery><ram:BilledQuantity unitCode="C62">10</ram:BilledQuantity>
              </ram:SpecifiedSupplyChainTradeDelivery>
              <ram:SpecifiedSupplyChainTradeSettlement>
                <ram:ApplicableTradeTax><ram:TypeCode>VAT</ram:TypeCode><ram:CategoryCode>S</ram:CategoryCode>
                  <ram:ApplicablePercent>19.00</ram:ApplicablePercent></ram:ApplicableTradeTax>
                <ram:SpecifiedTradeSettlementMonetarySummation>
                  <ram:LineTotalAmount currencyID="EUR">100.00</ram:LineTotalAmount>
                </ram:SpecifiedTradeSettlementMonetarySummation>
              </ram:SpecifiedSupplyChainTradeSettlement>
              <ram:SpecifiedTradeProduct><ram:Name>Trennblätter A4</ram:Name></ram:SpecifiedTradeProduct>
            </ram:IncludedSupplyChainTradeLineItem>
          </rsm:SpecifiedSupplyChainTradeTransaction>
        </rsm:CrossIndustryDocument>
    """).encode()
    ledger = read_ledger(zf1, name="zugferd1.xml")
    assert entries(ledger) == [("1", "item", "100.00"), ("vat-1", "tax", "19.00")]
    assert (ledger.entries[0].unit_price, ledger.entries[1].rate, ledger.locale) == (10, 19, "de_DE")
    assert billformat.check(ledger).findings == ()


def pdf_with(attachments: dict[str, bytes]) -> bytes:
    writer = PdfWriter()
    writer.add_blank_page(width=200, height=200)
    for name, data in attachments.items():
        writer.add_attachment(name, data)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def test_a_factur_x_pdf_is_read_from_its_embedded_xml(tmp_path):
    pdf = pdf_with({"notes.txt": b"hello", "factur-x.xml": cii()})
    path = tmp_path / "facture.pdf"
    path.write_bytes(pdf)
    assert billformat.read.detect_format(pdf, "facture.pdf") == "pdf"
    ledger = read_ledger(path)
    assert ledger.number == "F-2024-001" and ledger.source == "facture.pdf!factur-x.xml"
    assert billformat.collapse(ledger).balance_due == Decimal("200.00")


def test_a_pdf_without_an_invoice_or_broken_is_refused():
    with pytest.raises(LedgerError, match=r"^plain\.pdf: the PDF carries no embedded e-invoice .*notes\.txt"):
        read_ledger(pdf_with({"notes.txt": b"hello"}), name="plain.pdf")
    with pytest.raises(LedgerError, match=r"^broken\.pdf: the PDF cannot be read"):
        read_ledger(b"%PDF-1.7\n garbage", name="broken.pdf")


def test_an_embedded_invoice_with_a_doctype_is_refused():
    hostile = b'<?xml version="1.0"?><!DOCTYPE x [<!ENTITY a "b">]><rsm:CrossIndustryInvoice/>'
    with pytest.raises(LedgerError, match=r"^evil\.pdf!factur-x\.xml:1: the XML declares a DOCTYPE"):
        read_ledger(pdf_with({"factur-x.xml": hostile}), name="evil.pdf")


MINIMUM = dedent("""\
    <?xml version="1.0" encoding="UTF-8"?>
    <rsm:CrossIndustryInvoice
        xmlns:rsm="urn:un:unece:uncefact:data:standard:CrossIndustryInvoice:100"
        xmlns:ram="urn:un:unece:uncefact:data:standard:ReusableAggregateBusinessInformationEntity:100"
        xmlns:udt="urn:un:unece:uncefact:data:standard:UnqualifiedDataType:100">
      <rsm:ExchangedDocumentContext>
        <ram:GuidelineSpecifiedDocumentContextParameter><ram:ID>{profile}</ram:ID>
        </ram:GuidelineSpecifiedDocumentContextParameter>
      </rsm:ExchangedDocumentContext>
      <rsm:ExchangedDocument><ram:ID>FA-2017-0010</ram:ID><ram:TypeCode>{type_code}</ram:TypeCode>
        <ram:IssueDateTime><udt:DateTimeString format="102">20171113</udt:DateTimeString></ram:IssueDateTime>
      </rsm:ExchangedDocument>
      <rsm:SupplyChainTradeTransaction>
        <ram:ApplicableHeaderTradeAgreement>
          <ram:SellerTradeParty><ram:Name>Au bon moulin</ram:Name>
            <ram:PostalTradeAddress><ram:CountryID>FR</ram:CountryID></ram:PostalTradeAddress></ram:SellerTradeParty>
        </ram:ApplicableHeaderTradeAgreement>
        <ram:ApplicableHeaderTradeSettlement>
          <ram:InvoiceCurrencyCode>EUR</ram:InvoiceCurrencyCode>
          <ram:SpecifiedTradeSettlementHeaderMonetarySummation>
            <ram:TaxBasisTotalAmount currencyID="EUR">624.90</ram:TaxBasisTotalAmount>
            <ram:TaxTotalAmount currencyID="EUR">46.25</ram:TaxTotalAmount>
            <ram:GrandTotalAmount currencyID="EUR">671.15</ram:GrandTotalAmount>
            <ram:DuePayableAmount currencyID="EUR">{payable}</ram:DuePayableAmount>
          </ram:SpecifiedTradeSettlementHeaderMonetarySummation>
        </ram:ApplicableHeaderTradeSettlement>
      </rsm:SupplyChainTradeTransaction>
    </rsm:CrossIndustryInvoice>
""")


def minimum(profile: str = "urn:factur-x.eu:1p0:minimum", payable: str = "470.15",
            type_code: str = "380") -> bytes:
    return MINIMUM.format(profile=profile, payable=payable, type_code=type_code).encode()


def errors(ledger) -> set[str]:
    return {f.code for f in billformat.check(ledger).findings if f.severity.value == "error"}


@pytest.mark.parametrize("profile", ["urn:factur-x.eu:1p0:minimum", "urn:zugferd.de:2p0:minimum"])
def test_a_minimum_document_due_less_than_its_total_was_paid_the_difference(profile):
    """Factur-X's MINIMUM example (Mustang's facturFrMinimum.xml): total
    671.15, amount due 470.15.  The profile has no element for the paid
    amount (BT-113), so the difference is read as paid in advance."""
    ledger = read_ledger(minimum(profile), name="min.xml")
    assert entries(ledger) == [("lines", "item", "624.90"), ("vat", "tax", "46.25"),
                               ("paid", "payment", "-201.00")]
    assert (ledger.stated.total, ledger.stated.paid, ledger.stated.balance) == (
        Decimal("671.15"), Decimal("201.00"), Decimal("470.15"))
    bill = billformat.collapse(ledger)
    assert (bill.total, bill.paid, bill.balance_due) == (
        Decimal("671.15"), Decimal("201.00"), Decimal("470.15"))
    assert errors(ledger) == {"BR-12"}  # a MINIMUM document gives no sum of lines (BT-106)
    # A credit note of the same figures is the same read negated.
    note = billformat.collapse(read_ledger(minimum(profile, type_code="381"), name="min.xml"))
    assert (note.total, note.balance_due) == (Decimal("-671.15"), Decimal("-470.15"))


@pytest.mark.parametrize(("profile", "payable"), [
    ("urn:factur-x.eu:1p0:basicwl", "470.15"),  # BASIC WL can state TotalPrepaidAmount: it did not
    ("urn:cen.eu:en16931:2017", "470.15"),
    ("urn:factur-x.eu:1p0:minimum", "700.00"),  # more due than the total: no payment
])
def test_an_amount_due_no_paid_amount_explains_is_left_for_check_to_report(profile, payable):
    ledger = read_ledger(minimum(profile, payable), name="min.xml")
    assert ledger.stated.paid is None and "paid" not in [entry.id for entry in ledger.entries]
    assert {"BR-CO-16", "stated-balance"} <= errors(ledger)
