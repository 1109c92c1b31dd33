"""An EN 16931 invoice as the UBL and CII readers find it, and its ``Ledger``.

Both syntaxes carry the same business terms (BT-nn); the readers fill an
``Invoice`` with them and ``to_ledger`` maps it once, the same way for both:

* each invoice line (BG-25) is an ``item`` entry: amount = line net BT-131,
  ``qty`` BT-129, ``unit`` BT-130, ``unit_price`` = net price BT-146 / base
  quantity BT-149, ``category``/``rate`` its VAT BT-151/BT-152; a quantity
  whose product with the price has the other sign of the line net (a return
  written as 6 × 18.33 on a line of −109.98) is read negated;
* a document-level allowance (BG-20) is a ``discount`` (negative), a charge
  (BG-21) a ``fee``, each with the VAT category and rate it falls under (one
  of 0.00 is left out: it changes no figure);
* each VAT breakdown (BG-23) is a ``tax`` entry: amount BT-117, ``base``
  BT-116, ``rate`` BT-119, ``category`` BT-118, text ``VAT 19%`` and, where
  billformat knows the word in the bill's language, a label (``USt. 19%``);
* the paid amount BT-113 is a ``payment`` (negative), the rounding amount
  BT-114 a ``rounding`` entry, third-party payments (XRechnung BT-DEX-002,
  added to the amount due) a ``transfer`` brought in (positive);
* the printed totals go to ``Stated``.

A credit note is read as a credit: every amount (and every quantity) is
negated, so its bill's total is negative, money owed to the customer.  A
document without lines (Factur-X MINIMUM, BASIC WL) gets one item entry for
its sum of lines, from BT-106 (else BT-109 + allowances − charges), and,
without a VAT breakdown, one tax entry for BT-110.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal, localcontext
from functools import lru_cache
from typing import Any

from billformat.errors import LedgerError
from billformat.i18n import _, translator
from billformat.model import Ledger
from billformat.money import EXACT, is_currency, minor_unit

# UNTDID 1001 document type codes that EN 16931 treats as credit notes.
CREDIT_NOTE_CODES = frozenset({"81", "83", "381", "396", "532"})

FALLBACK_LOCALE = "en_GB"


@dataclass
class Party:
    name: str | None = None
    address: list[str] = field(default_factory=list)
    country: str | None = None
    phone: str | None = None
    email: str | None = None
    tax_id: str | None = None
    account: str | None = None

    def fields(self) -> dict[str, Any] | None:
        values = {
            "name": self.name, "address": self.address, "phone": self.phone,
            "email": self.email, "tax_id": self.tax_id, "account": self.account,
        }
        values = {key: value for key, value in values.items() if value}
        return values or None


@dataclass
class Line:
    """An invoice line (BG-25)."""

    id: str
    net: Decimal  # BT-131
    name: str | None = None
    qty: Decimal | None = None
    unit: str | None = None
    price: Decimal | None = None  # BT-146 net price
    base_qty: Decimal | None = None  # BT-149
    category: str | None = None
    rate: Decimal | None = None


@dataclass
class AllowanceCharge:
    """A document-level allowance (BG-20) or charge (BG-21)."""

    charge: bool
    amount: Decimal
    reason: str | None = None
    category: str | None = None
    rate: Decimal | None = None


@dataclass
class Vat:
    """A VAT breakdown (BG-23)."""

    amount: Decimal  # BT-117
    base: Decimal | None = None  # BT-116
    category: str | None = None
    rate: Decimal | None = None
    reason: str | None = None


@dataclass
class Invoice:
    """The parts of an EN 16931 invoice a bill and its checks need."""

    source: str
    number: str | None = None
    type_code: str | None = None
    credit_note: bool = False
    date: dt.date | None = None
    due: dt.date | None = None
    currency: str | None = None
    period: tuple[dt.date | None, dt.date | None] | None = None
    seller: Party = field(default_factory=Party)
    customer: Party = field(default_factory=Party)
    lines: list[Line] = field(default_factory=list)
    allowances: list[AllowanceCharge] = field(default_factory=list)
    vat: list[Vat] = field(default_factory=list)
    third_party: list[tuple[str, Decimal]] = field(default_factory=list)
    # The document totals (BG-22), None where the document leaves them out.
    line_total: Decimal | None = None  # BT-106
    allowance_total: Decimal | None = None  # BT-107
    charge_total: Decimal | None = None  # BT-108
    tax_exclusive: Decimal | None = None  # BT-109
    tax_total: Decimal | None = None  # BT-110
    total: Decimal | None = None  # BT-112
    paid: Decimal | None = None  # BT-113
    rounding: Decimal | None = None  # BT-114
    balance: Decimal | None = None  # BT-115


def to_ledger(invoice: Invoice) -> Ledger:
    """The ``Ledger`` of an e-invoice (see the module's notes)."""
    if not invoice.currency:
        raise LedgerError("the invoice names no currency (BT-5)", file=invoice.source,
                          field="currency")
    return Ledger.model_validate(ledger_fields(invoice), source=invoice.source)


def ledger_fields(invoice: Invoice, *, fragment: bool = False) -> dict[str, Any]:
    """The ledger format's fields for ``invoice`` (a dict for ``Ledger.model_validate``).

    ``fragment``: the invoice is a part of one (an EN 16931 unit test), so
    nothing is filled in for missing lines or VAT breakdown.
    """
    sign = Decimal(-1) if invoice.credit_note else Decimal(1)
    locale = locale_for(invoice.seller.country)

    def signed(value: Decimal | None) -> Decimal | None:
        return None if value is None else sign * value

    entries: list[dict[str, Any]] = []
    used: set[str] = set()
    # The next number to try for an id given more than once: a thousand
    # lines all called "1" become 1, 1#2, 1#3 ... without counting up from 2
    # each time (which made such a document quadratic).
    next_number: dict[str, int] = {}

    def add(entry: dict[str, Any]) -> None:
        given = name = entry["id"]
        if name in used:
            count = next_number.get(given, 2)
            while name in used:
                name = f"{given}#{count}"
                count += 1
            next_number[given] = count
        used.add(name)
        entries.append({**{key: value for key, value in entry.items() if value is not None},
                        "id": name})

    for position, line in enumerate(invoice.lines, start=1):
        text = line.name or f"Line {line.id or position}"
        unit_price = _unit_price(line)
        qty = line.qty
        if unit_price is not None and qty is not None:
            if not _reconciles(line, unit_price, invoice.currency):
                # qty × price ≠ line net (line allowances or charges, an odd
                # base quantity): the ledger format allows no such unit_price,
                # so the price is kept in the text instead.
                text = f"{text} (price {_show_price(line)})"
                unit_price = None
            elif (qty * unit_price > 0 > line.net) or (qty * unit_price < 0 < line.net):
                # A return written with a positive quantity and a negative
                # line net (6 × 18.33 on a line of -109.98): the quantity is
                # the one returned, -6, so the printed product is true.
                qty = -qty
        add({
            "id": line.id or str(position),
            "text": text,
            "kind": "item",
            "amount": signed(line.net),
            "qty": signed(qty),
            "unit": line.unit,
            "unit_price": unit_price,
            "category": line.category,
            "rate": line.rate,
        })
    if not invoice.lines and not fragment:
        lines_sum = _lines_sum(invoice)
        if lines_sum is not None:
            add({"id": "lines", "text": "Goods and services (the document lists no lines)",
                 "kind": "item", "amount": signed(lines_sum)})
    numbers = {True: 0, False: 0}
    for part in invoice.allowances:
        numbers[part.charge] += 1
        if not part.amount:
            continue  # an allowance or charge of 0 changes no figure and only clutters the face
        add({
            "id": f"{'charge' if part.charge else 'allowance'}-{numbers[part.charge]}",
            "text": part.reason or ("Charge" if part.charge else "Allowance"),
            "kind": "fee" if part.charge else "discount",
            "amount": signed(part.amount if part.charge else -part.amount),
            "category": part.category,
            "rate": part.rate,
        })
    for number, vat in enumerate(invoice.vat, start=1):
        add({
            "id": f"vat-{number}",
            "text": _vat_text(vat),
            "label": _vat_label(vat, locale),
            "kind": "tax",
            "amount": signed(vat.amount),
            "rate": vat.rate,
            "base": signed(vat.base),
            "category": vat.category,
        })
    if not invoice.vat and invoice.tax_total is not None and not fragment:
        add({"id": "vat", "text": "VAT", "kind": "tax", "amount": signed(invoice.tax_total)})
    if invoice.rounding:
        add({"id": "rounding", "text": "Rounding", "kind": "rounding",
             "amount": signed(invoice.rounding)})
    if invoice.paid:
        # Named in the bill's language, like the VAT lines (BT-113 has no text of its own).
        add({"id": "paid", "text": "Paid in advance", "label": translator(locale)(_("Paid in advance")),
             "kind": "payment", "amount": signed(-invoice.paid)})
    for number, (text, value) in enumerate(invoice.third_party, start=1):
        add({"id": f"third-party-{number}", "text": text, "kind": "transfer",
             "amount": signed(value)})

    # The bill's total shows the rounding (BT-114) on its face, so the total
    # stated for it is BT-112 + BT-114; the rules take BT-114 off again.
    total = invoice.total
    if total is not None and invoice.rounding:
        total += invoice.rounding
    stated = {
        "total": signed(total),
        "paid": signed(invoice.paid),
        "balance": signed(invoice.balance),
        "line_total": signed(invoice.line_total),
        "allowance_total": signed(invoice.allowance_total),
        "charge_total": signed(invoice.charge_total),
        "tax_exclusive": signed(invoice.tax_exclusive),
        "tax_total": signed(invoice.tax_total),
        "rounding": signed(invoice.rounding),
    }
    data: dict[str, Any] = {
        "kind": "sale",
        "number": invoice.number,
        "date": invoice.date,
        "due": invoice.due,
        "currency": (invoice.currency or "").upper(),
        "locale": locale,
        "seller": invoice.seller.fields(),
        "customer": invoice.customer.fields(),
        "stated": {key: value for key, value in stated.items() if value is not None},
        "entries": entries,
    }
    if invoice.period and any(invoice.period):
        data["period"] = {"start": invoice.period[0], "end": invoice.period[1]}
    return {key: value for key, value in data.items() if value is not None}


def _lines_sum(invoice: Invoice) -> Decimal | None:
    if invoice.line_total is not None:
        return invoice.line_total
    if invoice.tax_exclusive is None:
        return None
    allowances = sum((p.amount for p in invoice.allowances if not p.charge), Decimal(0))
    charges = sum((p.amount for p in invoice.allowances if p.charge), Decimal(0))
    if not invoice.allowances:
        allowances = invoice.allowance_total or Decimal(0)
        charges = invoice.charge_total or Decimal(0)
    return invoice.tax_exclusive + allowances - charges


def _unit_price(line: Line) -> Decimal | None:
    if line.price is None:
        return None
    if not line.base_qty:
        return line.price
    with localcontext(EXACT):
        price = line.price / line.base_qty
        return _plain(price.quantize(Decimal("1e-12")) if _decimals(price) > 12 else price)


def _reconciles(line: Line, unit_price: Decimal, currency: str | None) -> bool:
    """qty × unit price, rounded half-up to the currency, is the line net (as the ledger format asks)."""
    if line.qty is None:
        return True
    code = (currency or "").upper()
    unit = minor_unit(code) if is_currency(code) else Decimal("0.01")
    with localcontext(EXACT):  # 18-digit quantity × 18-digit price, to the cent
        product = (line.qty * unit_price).quantize(unit, rounding=ROUND_HALF_UP)
    return abs(product) == abs(line.net)


def _show_price(line: Line) -> str:
    price = format(_plain(line.price), "f") if line.price is not None else "?"
    unit = f" {line.unit}" if line.unit else ""
    per = f" per {format(_plain(line.base_qty), 'f')}{unit}" if line.base_qty else (
        f" per{unit}" if unit else "")
    return f"{price}{per}"


def _decimals(value: Decimal) -> int:
    exponent = value.as_tuple().exponent
    return -exponent if isinstance(exponent, int) and exponent < 0 else 0


def _plain(value: Decimal) -> Decimal:
    """``value`` without trailing zeros, never in E-notation (``1E+1`` is ``10``)."""
    trimmed = value.normalize()
    exponent = trimmed.as_tuple().exponent
    return trimmed.quantize(Decimal(1)) if isinstance(exponent, int) and exponent > 0 else trimmed


def _vat_text(vat: Vat) -> str:
    rate = "" if vat.rate is None else f" {_percent(vat.rate)}%"
    category = f" ({vat.category})" if vat.category and vat.category != "S" else ""
    reason = f": {vat.reason}" if vat.reason else ""
    return f"VAT{rate}{category}{reason}"


# What VAT is called on a bill, by the language of the ledger's locale.
VAT_WORDS = {
    "de": "USt.", "fr": "TVA", "nl": "btw", "sv": "moms", "nb": "mva", "nn": "mva", "da": "moms",
    "it": "IVA", "es": "IVA", "pt": "IVA", "fi": "ALV", "pl": "VAT", "hu": "ÁFA", "cs": "DPH",
}


def _vat_label(vat: Vat, locale: str) -> str | None:
    """``TVA 20%``: the breakdown's name in the bill's language, where billformat knows it."""
    word = VAT_WORDS.get(locale.split("_")[0])
    if word is None:
        return None
    rate = "" if vat.rate is None else f" {_percent(vat.rate)}%"
    category = f" ({vat.category})" if vat.category and vat.category != "S" else ""
    reason = f": {vat.reason}" if vat.reason else ""
    return f"{word}{rate}{category}{reason}"


def _percent(rate: Decimal) -> str:
    return format(_plain(rate), "f")


@lru_cache(maxsize=64)
def locale_for(country: str | None) -> str:
    """The seller's country's most likely CLDR locale (DE → de_DE, NO → nb_NO).

    From CLDR's likely subtags (``und_DE``); ``en_GB`` when the country is
    missing or unknown, since EN 16931 is a European standard.
    """
    if not country or not country.isalpha() or len(country) != 2:
        return FALLBACK_LOCALE
    from babel import Locale, UnknownLocaleError

    try:
        found = Locale.parse(f"und_{country.upper()}")
    except (UnknownLocaleError, ValueError):
        return FALLBACK_LOCALE
    name = str(found)
    return name if found.territory else FALLBACK_LOCALE
