"""Read a UBL 2.1 Invoice or CreditNote (EN 16931, Peppol BIS 3, XRechnung UBL).

The business terms are mapped as ``billformat.read.xmlinvoice`` describes;
the UBL elements they come from:

* lines: ``cac:InvoiceLine`` / ``cac:CreditNoteLine`` (``cbc:ID``,
  ``cbc:InvoicedQuantity``/``cbc:CreditedQuantity`` and its ``unitCode``,
  ``cbc:LineExtensionAmount``, ``cac:Item/cbc:Name``,
  ``cac:Item/cac:ClassifiedTaxCategory``, ``cac:Price/cbc:PriceAmount`` and
  ``cbc:BaseQuantity``); XRechnung ``cac:SubInvoiceLine`` details are part of
  their parent line's amount and are not read as entries;
* document ``cac:AllowanceCharge``; ``cac:TaxTotal`` in the document
  currency with its ``cac:TaxSubtotal``s (a TaxTotal in another currency,
  the VAT accounting currency BT-111, is not carried); ``cac:PrepaidPayment``
  (XRechnung third-party payments); ``cac:LegalMonetaryTotal``.
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
    number,
    parse_xml,
    refuse,
    text,
)

ROOTS = ("Invoice", "CreditNote")

# LegalMonetaryTotal element -> (Invoice field, the BR-DEC rule capping its decimals)
_TOTALS = {
    "LineExtensionAmount": ("line_total", "BR-DEC-09"),
    "AllowanceTotalAmount": ("allowance_total", "BR-DEC-10"),
    "ChargeTotalAmount": ("charge_total", "BR-DEC-11"),
    "TaxExclusiveAmount": ("tax_exclusive", "BR-DEC-12"),
    "TaxInclusiveAmount": ("total", "BR-DEC-14"),
    "PrepaidAmount": ("paid", "BR-DEC-16"),
    "PayableRoundingAmount": ("rounding", "BR-DEC-17"),
    "PayableAmount": ("balance", "BR-DEC-18"),
}


def read_ubl(data: bytes | str, name: str) -> Ledger:
    """A ``Ledger`` from UBL XML bytes; ``name`` is the file named in messages."""
    raw = data.encode("utf-8") if isinstance(data, str) else data
    return to_ledger(parse_ubl(parse_xml(raw, name), name))


def parse_ubl(root: Element, name: str, *, fragment: bool = False) -> Invoice:
    """The EN 16931 business terms of a UBL ``Invoice`` or ``CreditNote`` element.

    ``fragment`` reads a part of an invoice, as the EN 16931 unit tests give
    them: a VAT breakdown without its amount reads as 0.
    """
    kind = root.tag.rsplit("}", 1)[-1] if isinstance(root.tag, str) else ""
    if kind not in ROOTS:
        raise refuse(root, "is not a UBL Invoice or CreditNote", name)
    invoice = Invoice(source=name)
    invoice.number = text(root, "ID")
    invoice.type_code = text(root, ("InvoiceTypeCode", "CreditNoteTypeCode"))
    invoice.credit_note = kind == "CreditNote" or invoice.type_code in CREDIT_NOTE_CODES
    if (issued := child(root, "IssueDate")) is not None:
        invoice.date = date(issued, name)
    due = child(root, "DueDate")
    if due is None:
        due = next((child(means, "PaymentDueDate") for means in children(root, "PaymentMeans")
                    if child(means, "PaymentDueDate") is not None), None)
    if due is not None:
        invoice.due = date(due, name)
    invoice.currency = text(root, "DocumentCurrencyCode") or _currency_of_amounts(root)
    if (period := child(root, "InvoicePeriod")) is not None:
        start, end = child(period, "StartDate"), child(period, "EndDate")
        invoice.period = (date(start, name) if start is not None else None,
                          date(end, name) if end is not None else None)
    invoice.seller = _party(child(root, "AccountingSupplierParty", "Party"))
    invoice.customer = _party(child(root, "AccountingCustomerParty", "Party"), customer=True)
    invoice.lines = [_line(line, name) for line in children(root, "InvoiceLine", "CreditNoteLine")]
    invoice.allowances = [_allowance_charge(part, name)
                          for part in children(root, "AllowanceCharge")]
    _read_tax_totals(root, invoice, name, fragment)
    for payment in children(root, "PrepaidPayment"):
        paid = child(payment, "PaidAmount")
        if paid is not None:
            label = text(payment, "InstructionID") or text(payment, "ID") or "Third-party payment"
            invoice.third_party.append((label, amount(paid, name)))
    totals = child(root, "LegalMonetaryTotal")
    for element in children(totals, *_TOTALS):
        field, rule = _TOTALS[element.tag.rsplit("}", 1)[-1]]
        if getattr(invoice, field) is not None:
            raise refuse(element, "appears twice in the document totals", name)
        setattr(invoice, field, amount(element, name, rule=rule))
    return invoice


def _currency_of_amounts(root: Element) -> str | None:
    payable = child(root, "LegalMonetaryTotal", "PayableAmount")
    return payable.get("currencyID") if payable is not None else None


def _read_tax_totals(root: Element, invoice: Invoice, name: str, fragment: bool) -> None:
    """BT-110 and the VAT breakdown, from the TaxTotal in the document currency.

    EN 16931 allows the VAT total in the document currency once (BR-CO-15
    counts it); a document that gives it twice is ambiguous and is refused.
    """
    found: list[Element] = []
    for total in children(root, "TaxTotal"):
        tax = child(total, "TaxAmount")
        currency = tax.get("currencyID") if tax is not None else None
        if tax is not None and currency not in (None, invoice.currency):
            continue  # the VAT accounting currency (BT-111)
        if tax is not None:
            if found:
                raise refuse(
                    tax,
                    f"the VAT total in {invoice.currency or 'the document currency'} is given a "
                    f"second time (first at line {found[0].sourceline}); EN 16931 allows it once "
                    "(BR-CO-15)",
                    name,
                )
            found.append(tax)
            invoice.tax_total = amount(tax, name, rule="BR-DEC-13")
        for subtotal in children(total, "TaxSubtotal"):
            invoice.vat.append(_vat(subtotal, name, fragment))


def _vat(subtotal: Element, name: str, fragment: bool) -> Vat:
    tax = child(subtotal, "TaxAmount")
    if tax is None and not fragment:
        raise refuse(subtotal, "has no cbc:TaxAmount (BT-117)", name)
    base = child(subtotal, "TaxableAmount")
    category = child(subtotal, "TaxCategory")
    rate = child(category, "Percent")
    return Vat(
        amount=amount(tax, name, rule="BR-DEC-20") if tax is not None else Decimal(0),
        base=amount(base, name, rule="BR-DEC-19") if base is not None else None,
        category=text(category, "ID"),
        rate=number(rate, name) if rate is not None else None,
        reason=text(category, "TaxExemptionReason"),
    )


def _line(element: Element, name: str) -> Line:
    net = child(element, "LineExtensionAmount")
    if net is None:
        raise refuse(element, "has no cbc:LineExtensionAmount (BT-131)", name)
    qty = child(element, ("InvoicedQuantity", "CreditedQuantity"))
    price = child(element, "Price", "PriceAmount")
    base_qty = child(element, "Price", "BaseQuantity")
    tax = child(element, "Item", "ClassifiedTaxCategory")
    rate = child(tax, "Percent")
    return Line(
        id=text(element, "ID") or "",
        net=amount(net, name, rule="BR-DEC-23"),
        name=text(element, "Item", "Name") or text(element, "Item", "Description"),
        qty=number(qty, name) if qty is not None and qty.text and qty.text.strip() else None,
        unit=qty.get("unitCode") if qty is not None else None,
        price=number(price, name) if price is not None else None,
        base_qty=number(base_qty, name) if base_qty is not None else None,
        category=text(tax, "ID"),
        rate=number(rate, name) if rate is not None else None,
    )


def _allowance_charge(element: Element, name: str) -> AllowanceCharge:
    indicator = (text(element, "ChargeIndicator") or "").lower()
    if indicator not in ("true", "false", "1", "0"):
        raise refuse(element, f'cbc:ChargeIndicator "{indicator}" is not true or false', name)
    charge = indicator in ("true", "1")
    value = child(element, "Amount")
    if value is None:
        raise refuse(element, "has no cbc:Amount", name)
    tax = child(element, "TaxCategory")
    rate = child(tax, "Percent")
    return AllowanceCharge(
        charge=charge,
        amount=amount(value, name, rule="BR-DEC-05" if charge else "BR-DEC-01"),
        reason=text(element, "AllowanceChargeReason"),
        category=text(tax, "ID"),
        rate=number(rate, name) if rate is not None else None,
    )


def _party(element: Element | None, customer: bool = False) -> Party:
    party = Party()
    if element is None:
        return party
    party.name = (text(element, "PartyName", "Name")
                  or text(element, "PartyLegalEntity", "RegistrationName"))
    address = child(element, "PostalAddress")
    if address is not None:
        lines = [text(address, "StreetName"), text(address, "AdditionalStreetName"),
                 text(address, "AddressLine", "Line")]
        town = " ".join(part for part in (text(address, "PostalZone"), text(address, "CityName"))
                        if part)
        lines += [town, text(address, "CountrySubentity")]
        party.country = text(address, "Country", "IdentificationCode")
        party.address = [line for line in lines if line] + (
            [party.country] if party.country else [])
    schemes = list(children(element, "PartyTaxScheme"))
    vat = [scheme for scheme in schemes if text(scheme, "TaxScheme", "ID") == "VAT"]
    party.tax_id = next((text(scheme, "CompanyID") for scheme in vat + schemes
                         if text(scheme, "CompanyID")), None)
    party.phone = text(element, "Contact", "Telephone")
    party.email = text(element, "Contact", "ElectronicMail")
    if customer:
        party.account = text(element, "PartyIdentification", "ID")
    return party

