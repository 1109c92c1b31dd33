"""Read a UN/CEFACT Cross Industry Invoice (D16B: EN 16931 CII, Factur-X,
ZUGFeRD 2, XRechnung CII) or a ZUGFeRD 1.0 ``CrossIndustryDocument``.

The business terms are mapped as ``billformat.read.xmlinvoice`` describes;
the CII elements they come from (ZUGFeRD 1.0's older names in brackets):

* lines: ``ram:IncludedSupplyChainTradeLineItem`` without a
  ``ram:ParentLineID`` (Factur-X EXTENDED sub-lines are details of their
  parent line's amount and are not read as entries): ``ram:LineID``,
  ``ram:SpecifiedTradeProduct/ram:Name``, ``ram:BilledQuantity`` and its
  ``unitCode``, ``ram:NetPriceProductTradePrice`` (``ram:ChargeAmount``,
  ``ram:BasisQuantity``), the line's ``ram:ApplicableTradeTax``
  (``ram:CategoryCode``, ``ram:RateApplicablePercent`` [``ApplicablePercent``]),
  ``ram:LineTotalAmount``;
* in ``ram:ApplicableHeaderTradeSettlement``
  [``ApplicableSupplyChainTradeSettlement``]: ``ram:InvoiceCurrencyCode``,
  each ``ram:ApplicableTradeTax`` (VAT breakdown), each
  ``ram:SpecifiedTradeAllowanceCharge``, the payment terms' due date and
  ``ram:SpecifiedTradeSettlementHeaderMonetarySummation``
  [``SpecifiedTradeSettlementMonetarySummation``].

A Factur-X / ZUGFeRD MINIMUM document (its guideline ID ends ``:minimum``)
cannot state a paid amount; an amount due below its total is read as paid
in advance (see ``_infer_paid``).
"""

from __future__ import annotations

from decimal import Decimal

from billformat.model import Ledger
from billformat.read.xmlinvoice import (
    CREDIT_NOTE_CODES,
    AllowanceCharge,
    Invoice,
    Line,
    Party,
    Vat,
    to_ledger,
)
from billformat.read.xmlparse import (
    Element,
    amount,
    child,
    children,
    date,
    local,
    number,
    parse_xml,
    refuse,
    text,
)

ROOTS = ("CrossIndustryInvoice", "CrossIndustryDocument")

_DOCUMENT = ("ExchangedDocument", "HeaderExchangedDocument")
_TRANSACTION = ("SupplyChainTradeTransaction", "SpecifiedSupplyChainTradeTransaction")
_AGREEMENT = ("ApplicableHeaderTradeAgreement", "ApplicableSupplyChainTradeAgreement")
_SETTLEMENT = ("ApplicableHeaderTradeSettlement", "ApplicableSupplyChainTradeSettlement")
_SUMMATION = ("SpecifiedTradeSettlementHeaderMonetarySummation",
              "SpecifiedTradeSettlementMonetarySummation")
_LINE_AGREEMENT = ("SpecifiedLineTradeAgreement", "SpecifiedSupplyChainTradeAgreement")
_LINE_DELIVERY = ("SpecifiedLineTradeDelivery", "SpecifiedSupplyChainTradeDelivery")
_LINE_SETTLEMENT = ("SpecifiedLineTradeSettlement", "SpecifiedSupplyChainTradeSettlement")
_LINE_SUMMATION = ("SpecifiedTradeSettlementLineMonetarySummation",
                   "SpecifiedTradeSettlementMonetarySummation")
_RATE = ("RateApplicablePercent", "ApplicablePercent")

# Header monetary summation element -> (Invoice field, the BR-DEC rule capping its decimals)
_TOTALS = {
    "LineTotalAmount": ("line_total", "BR-DEC-09"),
    "AllowanceTotalAmount": ("allowance_total", "BR-DEC-10"),
    "ChargeTotalAmount": ("charge_total", "BR-DEC-11"),
    "TaxBasisTotalAmount": ("tax_exclusive", "BR-DEC-12"),
    "GrandTotalAmount": ("total", "BR-DEC-14"),
    "TotalPrepaidAmount": ("paid", "BR-DEC-16"),
    "RoundingAmount": ("rounding", "BR-DEC-17"),
    "DuePayableAmount": ("balance", "BR-DEC-18"),
}


def read_cii(data: bytes | str, name: str) -> Ledger:
    """A ``Ledger`` from CII XML bytes; ``name`` is the file named in messages."""
    raw = data.encode("utf-8") if isinstance(data, str) else data
    return to_ledger(parse_cii(parse_xml(raw, name), name))


def parse_cii(root: Element, name: str, *, fragment: bool = False) -> Invoice:
    """The EN 16931 business terms of a ``CrossIndustryInvoice`` (or ZUGFeRD 1.0) element.

    ``fragment`` reads a part of an invoice, as the EN 16931 unit tests give
    them: a VAT breakdown without its amount reads as 0.
    """
    if local(root) not in ROOTS:
        raise refuse(root, "is not a CII CrossIndustryInvoice", name)
    invoice = Invoice(source=name)
    document = child(root, _DOCUMENT)
    invoice.number = text(document, "ID")
    invoice.type_code = text(document, "TypeCode")
    invoice.credit_note = invoice.type_code in CREDIT_NOTE_CODES
    issued = child(document, "IssueDateTime", "DateTimeString")
    if issued is not None:
        invoice.date = date(issued, name)
    transaction = child(root, _TRANSACTION)
    agreement = child(transaction, _AGREEMENT)
    invoice.seller = _party(child(agreement, "SellerTradeParty"))
    invoice.customer = _party(child(agreement, "BuyerTradeParty"), customer=True)
    items = list(children(transaction, "IncludedSupplyChainTradeLineItem"))
    invoice.lines = [
        _line(item, name) for item in items
        if text(item, "AssociatedDocumentLineDocument", "ParentLineID") is None
    ]
    settlement = child(transaction, _SETTLEMENT)
    invoice.currency = text(settlement, "InvoiceCurrencyCode")
    period = child(settlement, "BillingSpecifiedPeriod")
    if period is not None:
        start = child(period, "StartDateTime", "DateTimeString")
        end = child(period, "EndDateTime", "DateTimeString")
        invoice.period = (date(start, name) if start is not None else None,
                          date(end, name) if end is not None else None)
    due = child(settlement, "SpecifiedTradePaymentTerms", "DueDateDateTime", "DateTimeString")
    if due is not None:
        invoice.due = date(due, name)
    invoice.vat = [_vat(tax, name, fragment) for tax in children(settlement, "ApplicableTradeTax")]
    invoice.allowances = [_allowance_charge(part, name)
                          for part in children(settlement, "SpecifiedTradeAllowanceCharge")]
    _read_totals(child(settlement, _SUMMATION), invoice, name)
    if _is_minimum(root) and not fragment:
        _infer_paid(invoice)
    return invoice


def _is_minimum(root: Element) -> bool:
    """Whether the document is of the Factur-X / ZUGFeRD MINIMUM profile."""
    profile = text(root, ("ExchangedDocumentContext", "SpecifiedExchangedDocumentContext"),
                   "GuidelineSpecifiedDocumentContextParameter", "ID")
    return bool(profile) and profile.lower().rsplit(":", 1)[-1] == "minimum"


def _infer_paid(invoice: Invoice) -> None:
    """The paid amount (BT-113) a MINIMUM document leaves out of its figures.

    The MINIMUM profile has no element for BT-113 (BASIC WL and the fuller
    profiles give it as ``ram:TotalPrepaidAmount``), so an invoice partly
    paid in advance states its total and a smaller amount due, and nothing
    between them: Factur-X's own MINIMUM example gives 671.15 and 470.15.
    That difference is the amount paid, as BR-CO-16 (BT-115 = BT-112 −
    BT-113 + BT-114) makes it.  A difference the other way (more due than
    the total) is no payment and is left for ``check`` to report.
    """
    if invoice.paid is not None or invoice.total is None or invoice.balance is None:
        return
    paid = invoice.total + (invoice.rounding or Decimal(0)) - invoice.balance
    if paid * invoice.total > 0:
        invoice.paid = paid


def _read_totals(summation: Element | None, invoice: Invoice, name: str) -> None:
    taxes = []
    for element in children(summation, *_TOTALS, "TaxTotalAmount"):
        tag = local(element)
        if tag == "TaxTotalAmount":
            currency = element.get("currencyID")
            if currency in (None, invoice.currency):
                taxes.append(element)
            continue  # else the VAT accounting currency (BT-111), not carried
        field, rule = _TOTALS[tag]
        if getattr(invoice, field) is not None:
            raise refuse(element, "appears twice in the document totals", name)
        setattr(invoice, field, amount(element, name, rule=rule))
    if len(taxes) > 1:
        raise refuse(
            taxes[1],
            f"the VAT total in {invoice.currency or 'the document currency'} is given a second "
            f"time (first at line {taxes[0].sourceline}); EN 16931 allows it once (BR-CO-15)",
            name,
        )
    if taxes:
        invoice.tax_total = amount(taxes[0], name, rule="BR-DEC-13")


def _vat(tax: Element, name: str, fragment: bool) -> Vat:
    calculated = child(tax, "CalculatedAmount")
    if calculated is None and not fragment:
        raise refuse(tax, "has no ram:CalculatedAmount (BT-117)", name)
    base = child(tax, "BasisAmount")
    rate = child(tax, _RATE)
    return Vat(
        amount=amount(calculated, name, rule="BR-DEC-20") if calculated is not None else Decimal(0),
        base=amount(base, name, rule="BR-DEC-19") if base is not None else None,
        category=text(tax, "CategoryCode"),
        rate=number(rate, name) if rate is not None else None,
        reason=text(tax, "ExemptionReason"),
    )


def _line(item: Element, name: str) -> Line:
    line_id = text(item, "AssociatedDocumentLineDocument", "LineID") or ""
    settlement = child(item, _LINE_SETTLEMENT)
    net = child(settlement, _LINE_SUMMATION, "LineTotalAmount")
    if net is None:
        raise refuse(item, "has no ram:LineTotalAmount (BT-131)", name)
    price = child(item, _LINE_AGREEMENT, "NetPriceProductTradePrice")
    charge = child(price, "ChargeAmount")
    basis = child(price, "BasisQuantity")
    qty = child(item, _LINE_DELIVERY, "BilledQuantity")
    tax = child(settlement, "ApplicableTradeTax")
    rate = child(tax, _RATE)
    return Line(
        id=line_id,
        net=amount(net, name, rule="BR-DEC-23"),
        name=text(item, "SpecifiedTradeProduct", "Name"),
        qty=number(qty, name) if qty is not None else None,
        unit=qty.get("unitCode") if qty is not None else None,
        price=number(charge, name) if charge is not None else None,
        base_qty=number(basis, name) if basis is not None else None,
        category=text(tax, "CategoryCode"),
        rate=number(rate, name) if rate is not None else None,
    )


def _allowance_charge(element: Element, name: str) -> AllowanceCharge:
    indicator = (text(element, "ChargeIndicator", "Indicator") or "").lower()
    if indicator not in ("true", "false"):
        raise refuse(element, f'ram:ChargeIndicator "{indicator}" is not true or false', name)
    charge = indicator == "true"
    value = child(element, "ActualAmount")
    if value is None:
        raise refuse(element, "has no ram:ActualAmount", name)
    tax = child(element, "CategoryTradeTax")
    rate = child(tax, _RATE)
    return AllowanceCharge(
        charge=charge,
        amount=amount(value, name, rule="BR-DEC-05" if charge else "BR-DEC-01"),
        reason=text(element, "Reason"),
        category=text(tax, "CategoryCode"),
        rate=number(rate, name) if rate is not None else None,
    )


def _party(element: Element | None, customer: bool = False) -> Party:
    party = Party()
    if element is None:
        return party
    party.name = text(element, "Name")
    address = child(element, "PostalTradeAddress")
    if address is not None:
        lines = [text(address, "LineOne"), text(address, "LineTwo"), text(address, "LineThree")]
        town = " ".join(part for part in (text(address, "PostcodeCode"),
                                          text(address, "CityName")) if part)
        lines += [town, text(address, "CountrySubDivisionName")]
        party.country = text(address, "CountryID")
        party.address = [line for line in lines if line] + (
            [party.country] if party.country else [])
    for registration in children(element, "SpecifiedTaxRegistration"):
        party.tax_id = party.tax_id or text(registration, "ID")
    contact = child(element, "DefinedTradeContact")
    party.phone = text(contact, "TelephoneUniversalCommunication", "CompleteNumber")
    party.email = (text(contact, "EmailURIUniversalCommunication", "URIID")
                   or text(element, "URIUniversalCommunication", "URIID"))
    if customer:
        party.account = text(element, "ID")
    return party
