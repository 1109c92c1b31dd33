"""What a bill says, in the bill's language: money, numbers, dates, the
fixed words and the one sentence that tells the customer where they stand.

Every renderer takes its words from here (through ``render/view.py``), so
the PDF, the page and the receipt say the same thing.  The locale is always
passed to Babel explicitly; the words go through ``translator(locale)``.
Ledger text that a sentence names (a payment's label, a check's number) is
passed through ``clean_text`` here, as ``view.py`` does for every row.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Sequence
from decimal import Decimal
from functools import lru_cache

from billformat.bill import Bill
from billformat.i18n import translator
from billformat.model import LedgerKind
from billformat.money import decimals, format_money, minor_digits
from billformat.render.safe import clean_text

# A ledger's label inside a sentence: shorter than in a row of its own.
SENTENCE_LABEL_LIMIT = 60
# The payers a sentence names; a bill paid in more ways just says it is paid.
MAX_PAYERS_NAMED = 3
# The missing checks a sentence names before it counts the rest ("and 97 more").
MAX_CHECKS_NAMED = 10


def _(message: str) -> str:
    """Mark a message for extraction; ``Words`` translates it when used."""
    return message


# The bill's fixed words, by what they name.
FIXED = {
    "total": _("Total"),
    "paid": _("Paid"),
    "transferred": _("Moved to another account"),
    "balance_due": _("Balance due"),
    "credit": _("We owe you"),
    "declined": _("You said no to"),
    "not_charged": _("not charged"),
    "number": _("Number"),
    "date": _("Date"),
    "due": _("Due"),
    "period": _("Period"),
    "stay": _("Stay"),
    "account": _("Account"),
    "tax_id": _("Tax ID"),
    "from": _("From"),
    "to": _("To"),
    "details": _("Details"),
    "trail": _("Where every entry went"),
    "entry": _("Entry"),
    "text": _("As the ledger says"),
    "went_to": _("Went to"),
    "amount": _("Amount"),
    "item": _("Item"),
    "about": _("About this bill"),
    "balance": _("Balance"),
    "opening_balance": _("Opening balance"),
    "money_in": _("Money in"),
    "money_out": _("Money out"),
    "closing_balance": _("Closing balance"),
    "movements": _("Movements"),
    "checks": _("Checks"),
    "check_number": _("Check"),
    "missing": _("missing"),
    "summary": _("Summary"),
    "payments": _("Payments"),
    "void": _("void, not counted"),
    "reversal": _("cancelled by a correction"),
    "refused": _("declined, no money moved"),
    "sum_face": _("On the bill"),
    "sum_payments": _("Paid"),
    "sum_transfers": _("Moved to another account"),
    "sum_declined": _("Said no to, not counted"),
    "sum_refused": _("Declined, no money moved"),
    "sum_void": _("Void, not counted"),
    "sum_reversal": _("Corrections that cancel out"),
}

TITLES = {
    LedgerKind.sale: _("Bill"),
    LedgerKind.repair_order: _("Repair order"),
    LedgerKind.hotel_folio: _("Hotel bill"),
    LedgerKind.phone_bill: _("Phone bill"),
    LedgerKind.bank_statement: _("Statement"),
}

# "Your repair on 14 Oct 2026." / "Your stay, 1–4 Nov." by kind of bill.
_ON_DATE = {
    LedgerKind.sale: _("Your purchase on {date}."),
    LedgerKind.repair_order: _("Your repair on {date}."),
    LedgerKind.hotel_folio: _("Your stay on {date}."),
    LedgerKind.phone_bill: _("Your phone bill of {date}."),
}
_IN_PERIOD = {
    LedgerKind.sale: _("Your purchases, {period}."),
    LedgerKind.repair_order: _("Your repair, {period}."),
    LedgerKind.hotel_folio: _("Your stay, {period}."),
    LedgerKind.phone_bill: _("Your phone bill for {period}."),
}
_UNDATED = {
    LedgerKind.sale: _("Your purchase."),
    LedgerKind.repair_order: _("Your repair."),
    LedgerKind.hotel_folio: _("Your stay."),
    LedgerKind.phone_bill: _("Your phone bill."),
}


class Words:
    """The words and formats of one locale and currency."""

    def __init__(self, locale: str, currency: str) -> None:
        self.locale = locale
        self.currency = currency
        self.translate: Callable[[str], str] = translator(locale)

    def __call__(self, key: str) -> str:
        """A fixed word by its key in ``FIXED``: ``words("total")`` -> ``"Summe"``."""
        return self.translate(FIXED[key])

    def money(self, amount: Decimal) -> str:
        """``$1,234.56``, ``1.234,56 €``, ``￥5,445``, ``CHF 21.80``."""
        return format_money(amount, self.currency, self.locale)

    def unit_price(self, amount: Decimal) -> str:
        """A price per unit, with every decimal it has: ``$94.995``."""
        if amount.is_finite() and decimals(amount.normalize()) <= minor_digits(self.currency):
            # No more decimals than the currency's: exactly what format_money writes (fast).
            return format_money(amount, self.currency, self.locale)
        from babel.numbers import format_currency

        return format_currency(
            amount, self.currency, locale=_babel_locale(self.locale), decimal_quantization=False
        )

    def number(self, value: Decimal) -> str:
        """A quantity, every digit kept: ``12.345`` (en_US), ``12,345`` (de_DE), ``1\u202f500`` (fr_FR)."""
        return format_quantity(value, self.locale)

    def date(self, day: dt.date | None) -> str:
        """``Oct 14, 2026`` (en_US), ``14.10.2026`` (de_DE); ``""`` for no date."""
        return "" if day is None else _format_date(day, "medium", self.locale)

    def short_date(self, day: dt.date | None) -> str:
        """A date without its year where the year is plain: ``Nov 2``, ``2. Nov.``."""
        return "" if day is None else _format_skeleton(day, "MMMd", self.locale)

    def period(self, start: dt.date | None, end: dt.date | None) -> str:
        """``Nov 1 – 4`` or ``1.–4. Nov.``: a range, as the locale writes one."""
        if start and end:
            return _format_interval(start, end, self.locale)
        return self.short_date(start or end)

    def join(self, parts: Sequence[str]) -> str:
        """``Visa ending 4417 and cash``, ``A, B und C``."""
        return _format_list(tuple(parts), self.locale)

    def title(self, kind: LedgerKind) -> str:
        return self.translate(TITLES[kind])

    def situation(self, bill: Bill) -> str:
        """The one sentence that says where the customer stands."""
        if bill.is_statement:
            return self._statement_situation(bill)
        return _one_stop(f"{self._what(bill)} {self._where_it_stands(bill)}")

    def _what(self, bill: Bill) -> str:
        period = bill.period
        if period is not None and (period.start or period.end):
            return self.translate(_IN_PERIOD[bill.kind]).format(
                period=self.period(period.start, period.end)
            )
        if bill.date is not None:
            return self.translate(_ON_DATE[bill.kind]).format(date=self.date(bill.date))
        return self.translate(_UNDATED[bill.kind])

    def _where_it_stands(self, bill: Bill) -> str:
        balance = bill.balance_due or Decimal(0)
        if balance > 0:
            if bill.due is not None:
                return self.translate(_("Please pay {amount} by {due}.")).format(
                    amount=self.money(balance), due=self.date(bill.due)
                )
            return self.translate(_("Please pay {amount}.")).format(amount=self.money(balance))
        if balance < 0:
            return self.translate(_("We owe you {amount}.")).format(amount=self.money(-balance))
        payers = list(dict.fromkeys(
            clean_text(line.label, limit=SENTENCE_LABEL_LIMIT) for line in bill.payments if line.amount > 0
        ))
        payers = [payer for payer in payers if payer]
        if payers and not bill.transfers:
            if len(payers) > MAX_PAYERS_NAMED:
                return self.translate(_("Paid in full — nothing more to pay."))
            return self.translate(_("Paid in full by {payments} — nothing more to pay.")).format(
                payments=self.join(payers)
            )
        return self.translate(_("Nothing more to pay."))

    def _statement_situation(self, bill: Bill) -> str:
        """Opening balance, money in, money out and closing balance, in one sentence."""
        values = {
            "opening": self.money(bill.opening_balance or Decimal(0)),
            "closing": self.money(bill.closing_balance or Decimal(0)),
            "money_in": self.money(abs(bill.money_in or Decimal(0))),
            "money_out": self.money(abs(bill.money_out or Decimal(0))),
        }
        period = bill.period
        if period is not None and period.start and period.end:
            return _one_stop(self.translate(_(
                "From {start} to {end} your balance went from {opening} to {closing}: "
                "{money_in} in, {money_out} out."
            )).format(start=self.short_date(period.start), end=self.short_date(period.end), **values))
        return self.translate(
            _("Your balance went from {opening} to {closing}: {money_in} in, {money_out} out.")
        ).format(**values)

    def missing_checks(self, numbers: Sequence[str]) -> str:
        """``Check 1043 is missing...`` / ``Checks 1043 and 1045 are missing...``;
        past ``MAX_CHECKS_NAMED`` the rest are counted: ``... 1061 and 97 more are missing``."""
        named = [clean_text(number, limit=20) for number in numbers[: MAX_CHECKS_NAMED + 2]]
        if not named:
            return ""
        if len(named) == 1:
            return self.translate(_("Check {numbers} is missing: not cleared yet?")).format(
                numbers=named[0]
            )
        if len(numbers) > MAX_CHECKS_NAMED + 2:  # at least three more: counted, not named
            more = self.translate(_("{count} more")).format(
                count=self.number(Decimal(len(numbers) - MAX_CHECKS_NAMED))
            )
            named = [*named[:MAX_CHECKS_NAMED], more]
        return self.translate(_("Checks {numbers} are missing: not cleared yet?")).format(
            numbers=self.join(named)
        )


def _one_stop(sentence: str) -> str:
    """No doubled full stop where an abbreviated date ends a sentence: ``4 nov..``."""
    return re.sub(r"\.\.(?=\s|$)", ".", sentence)


@lru_cache(maxsize=64)
def _babel_locale(locale: str):
    from babel import Locale

    return Locale.parse(locale)


# A bill writes the same few dates over and over: each is formatted once.
@lru_cache(maxsize=1024)
def _format_date(day: dt.date, form: str, locale: str) -> str:
    from babel.dates import format_date

    return format_date(day, form, locale=_babel_locale(locale))


@lru_cache(maxsize=1024)
def _format_skeleton(day: dt.date, skeleton: str, locale: str) -> str:
    from babel.dates import format_skeleton

    return format_skeleton(skeleton, day, locale=_babel_locale(locale))


def _format_interval(start: dt.date, end: dt.date, locale: str) -> str:
    from babel.dates import format_interval

    skeleton = "yMMMd" if start.year != end.year else "MMMd"
    return format_interval(start, end, skeleton, locale=_babel_locale(locale))


@lru_cache(maxsize=256)
def _format_list(parts: tuple[str, ...], locale: str) -> str:
    from babel.lists import format_list

    return format_list(list(parts), locale=_babel_locale(locale)) if parts else ""


def format_quantity(value: Decimal, locale: str) -> str:
    """``value`` as the locale writes a number, with every digit it has:
    ``12.345`` (en_US), ``12,345`` (de_DE), ``1’500`` (de_CH), ``12,34,567.5`` (hi_IN).

    Exactly Babel's ``format_decimal(value, locale=..., decimal_quantization=False)``
    (``babel_quantity``); a detailed bill writes a quantity a row, so the
    locale's pattern is worked out once (``_quantity_pattern``) and each
    number costs a few string steps.
    """
    pattern = _quantity_pattern(locale)
    if pattern is None or type(value) is not Decimal or not value.is_finite():
        return babel_quantity(value, locale)
    return _apply_quantity(pattern, value)


def babel_quantity(value: Decimal, locale: str) -> str:
    """Babel's own ``format_decimal`` of ``value``, every digit kept."""
    from decimal import localcontext

    from babel.numbers import format_decimal

    with localcontext() as context:
        context.prec = 64  # a ledger's 30 digits are never rounded to Python's default 28
        return format_decimal(value, locale=_babel_locale(locale), decimal_quantization=False)


class _QuantityPattern:
    """A locale's decimal pattern with its symbols filled in."""

    __slots__ = ("prefix", "suffix", "minimum", "fraction", "primary", "secondary", "group",
                 "decimal")

    def __init__(self, place) -> None:
        from babel.numbers import get_decimal_symbol, get_group_symbol

        pattern = place.decimal_formats[None]
        self.prefix, self.suffix = pattern.prefix, pattern.suffix
        self.minimum = pattern.int_prec[0]
        self.fraction = pattern.frac_prec[0]
        self.primary, self.secondary = pattern.grouping
        self.group = get_group_symbol(place, numbering_system="latn")
        self.decimal = get_decimal_symbol(place, numbering_system="latn")


def _apply_quantity(pattern: _QuantityPattern, value: Decimal) -> str:
    """What Babel's ``NumberPattern.apply`` makes of ``value`` without quantizing it."""
    whole, _, fraction = f"{value.copy_abs():f}".partition(".")
    fraction = fraction.rstrip("0")
    if len(fraction) < pattern.fraction:
        fraction += "0" * (pattern.fraction - len(fraction))
    if len(whole) < pattern.minimum:
        whole = "0" * (pattern.minimum - len(whole)) + whole
    size = pattern.primary
    if len(whole) > size:
        grouped = ""
        while len(whole) > size:
            grouped = pattern.group + whole[-size:] + grouped
            whole = whole[:-size]
            size = pattern.secondary
        whole += grouped
    if fraction:
        whole += pattern.decimal + fraction
    negative = value.is_signed()
    return pattern.prefix[negative] + whole + pattern.suffix[negative]


# Numbers a pattern is tried on against Babel before it is trusted.
_QUANTITY_PROBES = ("0", "-0", "1", "-1", "0.5", "1.50", "12.345", "-0.0012", "1500", "1234.5",
                    "-1234.56", "123456.78", "1234567.891234", "0.000001", "100000000000000000.25")


@lru_cache(maxsize=256)
def _quantity_pattern(locale: str) -> _QuantityPattern | None:
    """The pattern ``format_quantity`` applies itself, or ``None`` to leave it
    to Babel: a pattern with parts this does not do (scientific notation,
    significant digits, scaling, quoted text), or one whose output differs
    from Babel's on any probe number."""
    try:
        place = _babel_locale(locale)
        pattern = place.decimal_formats[None]
        parts = "".join(pattern.prefix + pattern.suffix)
        if pattern.scale or pattern.exp_prec or "@" in pattern.pattern or "'" in parts:
            return None
        made = _QuantityPattern(place)
        if "'" in made.group + made.decimal:
            return None
        for probe in _QUANTITY_PROBES:
            number = Decimal(probe)
            if _apply_quantity(made, number) != babel_quantity(number, locale):
                return None
    except Exception:  # Babel's many lookups: anything odd is left to Babel itself
        return None
    return made
