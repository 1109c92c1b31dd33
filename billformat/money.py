"""Money rules: Decimal from text, currency minor units, and formatting.

Amounts are ``Decimal`` read from their text and never pass through binary
floating point.  The number of decimals a currency allows is its ISO 4217
minor unit: Babel's (CLDR's) number, but where CLDR departs from ISO 4217
(``ISO_MINOR_DIGITS``); the locale is always passed to Babel explicitly,
nothing depends on the environment.
"""

from __future__ import annotations

import copy
import math
import re
from decimal import ROUND_HALF_UP, Context, Decimal, InvalidOperation
from functools import lru_cache

# A plain decimal number as ledgers write it: an optional sign, digits, an
# optional fraction.  No exponent, no thousands separators, no NaN/Infinity.
_DECIMAL = re.compile(r"[+-]?(?:\d+(?:\.\d*)?|\.\d+)")

# The common case, checked in one step: no sign but minus, no spaces, at most
# 18 integer digits (no leading zeros) and 12 fraction digits.  Whatever it
# accepts the full rules below accept too, with the same result.
_PLAIN = re.compile(r"-?(?:[1-9]\d{0,17}|0)(?:\.\d{1,12})?")

# Generous bounds that no real bill reaches, so a hostile 5,000-digit number
# is refused rather than carried through every sum.
MAX_INTEGER_DIGITS = 18
MAX_FRACTION_DIGITS = 12

ZERO = Decimal(0)

# Arithmetic that is exact for every figure a ledger may hold: a product of
# two (qty × unit_price, rate × base) has at most 60 digits, a sum of a
# million of them a few more.  Python's default 28 digits would round it, or
# refuse to round it to the cent (decimal.InvalidOperation).
EXACT = Context(prec=2 * (MAX_INTEGER_DIGITS + MAX_FRACTION_DIGITS) + 20, rounding=ROUND_HALF_UP)


def parse_decimal(value: object) -> Decimal:
    """A ``Decimal`` from a ledger value, or ``ValueError`` saying why not.

    Accepts text (``"189.99"``, ``"-45.20"``, ``" 12 "``), ``int``,
    ``Decimal`` and ``float``.  A float (a number from ``json.loads``, say)
    is read by the shortest decimal text that gives it back, as Python
    prints it (``189.99`` is 189.99), never by its binary value.  Refuses
    ``bool``, exponents in text, NaN, infinities, separators such as
    ``12,50``, and numbers with more than 18 integer or 12 fraction digits.
    ``-0.00`` reads as ``0.00``.
    """
    if type(value) is str and _PLAIN.fullmatch(value):
        number = Decimal(value)
        return number + 0 if number.is_zero() else number
    if isinstance(value, bool):
        raise ValueError(f"{_show(value)} is not a decimal number")
    if isinstance(value, float):
        if not math.isfinite(value):
            raise ValueError(f"{_show(value)} is not a decimal number")
        try:  # float.__repr__, not repr(): a float subclass (numpy's) may print its type too
            return parse_decimal(Decimal(float.__repr__(value)))
        except ValueError:  # the only way a finite float's digits can fail
            raise ValueError(f"{_show(value)} has more digits than any bill needs") from None
    if isinstance(value, int):
        text = str(value)
    elif isinstance(value, Decimal):
        if not value.is_finite():
            raise ValueError(f"{_show(value)} is not a finite decimal number")
        exponent = value.as_tuple().exponent
        if value.adjusted() >= MAX_INTEGER_DIGITS or (isinstance(exponent, int) and exponent < -MAX_FRACTION_DIGITS):
            raise ValueError(f"{_show(value)} has more digits than any bill needs")
        text = format(value, "f")
    elif isinstance(value, str):
        text = value.strip()
    else:
        raise ValueError(f"{_show(value)} is not a decimal number")
    if len(text) > MAX_INTEGER_DIGITS + MAX_FRACTION_DIGITS + 2 or not _DECIMAL.fullmatch(text):
        raise ValueError(f"{_show(value)} is not a decimal number")
    whole, _, fraction = text.lstrip("+-").partition(".")
    if len(whole.lstrip("0")) > MAX_INTEGER_DIGITS or len(fraction) > MAX_FRACTION_DIGITS:
        raise ValueError(f"{_show(value)} has more digits than any bill needs")
    try:
        number = Decimal(text)
    except InvalidOperation:  # pragma: no cover - the pattern admits only valid text
        raise ValueError(f"{_show(value)} is not a decimal number") from None
    return number + 0 if number.is_zero() else number  # -0.00 -> 0.00


def _show(value: object) -> str:
    # A Decimal as the ledger wrote it ("1E+999999"), not as Python's repr.
    if isinstance(value, float):
        text = float.__repr__(value)
    else:
        text = value if isinstance(value, (str, Decimal)) else repr(value)
    text = str(text)
    if len(text) > 40:
        text = text[:37] + "..."
    return f'"{text}"'


# Where ISO 4217 and CLDR (so Babel) disagree.  Source: ISO 4217 List One
# (current currencies and funds) and List Three (historic denominations), as
# published by its maintenance agency (SIX Group) in 2018-08 and amended
# since (VED 2021, SLE 2022, ZWG 2024, XCG 2025: two decimals each), compared
# code by code with Babel 2.18's ``list_currencies`` and
# ``get_currency_precision``; tests/test_money.py holds ISO's list and checks
# every current code against it.
#
# The minor unit ISO 4217 gives where CLDR gives another (CLDR's 0 is how
# many decimals these currencies are written with in practice, not ISO's
# minor unit).
ISO_MINOR_DIGITS = {
    "AFN": 2, "ALL": 2, "IQD": 3, "IRR": 2, "KPW": 2, "LAK": 2, "LBP": 2, "MGA": 2, "MMK": 2,
    "RSD": 2, "SLL": 2, "SOS": 2, "SYP": 2, "YER": 2,
}
# Codes CLDR names that ISO 4217 never listed, current or historic: the
# offshore renminbi (CNH, a market's code) and CLDR's own names for old
# currencies ISO had no code for.
NOT_ISO_4217 = frozenset({
    "ARL", "ARM", "BAN", "BGM", "BGO", "BOL", "BRZ", "CLE", "CNH", "CNX", "KRH", "KRO", "MAF",
    "MCF", "MDC", "MKN", "MVP", "VNN", "YUR",
})


@lru_cache(maxsize=None)
def is_currency(code: str) -> bool:
    """Whether ``code`` is an ISO 4217 currency code (one Babel knows, and ISO
    lists, now or in its past: ``DEM`` is one, ``CNH`` is not)."""
    from babel.numbers import list_currencies

    return code in list_currencies() and code not in NOT_ISO_4217


@lru_cache(maxsize=None)
def minor_digits(currency: str) -> int:
    """How many decimals an amount in ``currency`` may have: its ISO 4217
    minor unit (USD 2, JPY 0, KWD 3, IQD 3, RSD 2)."""
    if currency in ISO_MINOR_DIGITS:
        return ISO_MINOR_DIGITS[currency]
    from babel.numbers import get_currency_precision

    return get_currency_precision(currency)


@lru_cache(maxsize=None)
def minor_unit(currency: str) -> Decimal:
    """The smallest amount of ``currency``: ``0.01`` for USD, ``1`` for JPY."""
    return Decimal(1).scaleb(-minor_digits(currency))


def decimals(value: Decimal) -> int:
    """How many fraction digits ``value`` is written with."""
    exponent = value.as_tuple().exponent
    return -exponent if isinstance(exponent, int) and exponent < 0 else 0


def to_currency(value: Decimal, currency: str) -> Decimal:
    """``value`` rounded half-up to ``currency``'s minor unit."""
    return value.quantize(minor_unit(currency), rounding=ROUND_HALF_UP)


def fixed(value: Decimal, currency: str) -> str:
    """An amount as the plain decimal text the JSON outputs use: ``"246.45"``."""
    return format(value.quantize(minor_unit(currency)), "f")


@lru_cache(maxsize=None)
def is_locale(name: str) -> bool:
    """Whether ``name`` is a CLDR locale Babel has data for (``de_DE``, ``ja_JP``)."""
    from babel import Locale, UnknownLocaleError

    try:
        Locale.parse(name)
    except (UnknownLocaleError, ValueError, TypeError):
        return False
    return True


@lru_cache(maxsize=256)
def _locale(name: str):
    from babel import Locale

    return Locale.parse(name)


def format_money(value: Decimal, currency: str, locale: str) -> str:
    """``value`` as the locale writes money: ``$1,234.56``, ``1.234,56 €``, ``￥5,445``.

    Exactly Babel's ``format_currency`` (``babel_money``), with the
    currency's ISO 4217 decimals; a bill formats dozens of amounts in one
    currency and locale, so the pattern's pieces are worked out once
    (``_money_pattern``) and each amount costs a few string steps.
    """
    pattern = _money_pattern(currency, locale)
    if pattern is None or not isinstance(value, Decimal) or not value.is_finite():
        return babel_money(value, currency, _locale(locale))
    return _apply(pattern, value)


def babel_money(value: Decimal, currency: str, locale) -> str:
    """Babel's ``format_currency`` with the currency's ISO 4217 decimals.

    For most currencies that is ``format_currency`` itself.  Where CLDR's
    decimals differ from ISO's (``ISO_MINOR_DIGITS``: RSD 2, IQD 3), the
    locale's own currency pattern is applied with ISO's number of decimals,
    as ``format_currency`` applies it with CLDR's.
    """
    from babel.numbers import format_currency

    digits = ISO_MINOR_DIGITS.get(currency)
    if digits is None:
        return format_currency(value, currency, locale=locale)
    pattern = copy.copy(locale.currency_formats["standard"])
    pattern.frac_prec = (digits, digits)
    return pattern.apply(value, locale, currency=currency, currency_digits=False)


class _MoneyPattern:
    """A currency pattern of one locale with its symbols filled in."""

    __slots__ = ("prefix", "suffix", "quantum", "digits", "minimum", "primary", "secondary",
                 "group", "decimal", "python")

    def __init__(self, pattern, currency: str, locale) -> None:
        from babel.numbers import (
            get_currency_symbol,
            get_decimal_symbol,
            get_group_symbol,
        )

        symbol = get_currency_symbol(currency, locale)

        def filled(text: str) -> str:
            return text.replace("¤¤", currency.upper()).replace("¤", symbol)

        self.prefix = (filled(pattern.prefix[0]), filled(pattern.prefix[1]))
        self.suffix = (filled(pattern.suffix[0]), filled(pattern.suffix[1]))
        self.digits = minor_digits(currency)
        self.quantum = Decimal(1).scaleb(-self.digits)
        self.minimum = pattern.int_prec[0]
        self.primary, self.secondary = pattern.grouping
        self.group = get_group_symbol(locale, numbering_system="latn")
        self.decimal = get_decimal_symbol(locale, numbering_system="latn")
        # Groups of three with "," and a "." before the fraction: what
        # Python's own format(value, ",f") writes.
        self.python = ((self.primary, self.secondary) == (3, 3) and self.minimum <= 1
                       and (self.group, self.decimal) == (",", "."))


def _apply(pattern: _MoneyPattern, value: Decimal) -> str:
    """What Babel's ``NumberPattern.apply`` makes of ``value`` (see _money_pattern)."""
    negative = int(value.is_signed())
    rounded = abs(value).normalize().quantize(pattern.quantum)
    if pattern.python:
        return pattern.prefix[negative] + f"{rounded:,f}" + pattern.suffix[negative]
    whole, _, fraction = f"{rounded:f}".partition(".")
    if len(whole) < pattern.minimum:
        whole = "0" * (pattern.minimum - len(whole)) + whole
    size = pattern.primary
    grouped = ""
    while len(whole) > size:
        grouped = pattern.group + whole[-size:] + grouped
        whole = whole[:-size]
        size = pattern.secondary
    number = whole + grouped
    if pattern.digits:
        number += pattern.decimal + fraction
    return pattern.prefix[negative] + number + pattern.suffix[negative]


# Amounts a pattern is tried on against Babel before it is trusted.
_PROBES = ("0", "-0.00", "0.5", "0.004", "0.005", "0.015", "-0.015", "1", "-1", "12.3", "999.995",
           "1234.5", "-1234.56", "12345.678", "123456.78", "-1234567.891", "100000000000000000.25")


@lru_cache(maxsize=256)
def _money_pattern(currency: str, locale: str) -> _MoneyPattern | None:
    """The pattern ``format_money`` applies itself, or ``None`` to leave it to
    Babel: a pattern with parts this does not do (scientific notation,
    significant digits, scaling, quoted text, the currency's plural name), or
    one whose output differs from Babel's on any probe amount."""
    try:
        place = _locale(locale)
        pattern = place.currency_formats["standard"]
        parts = "".join(pattern.prefix + pattern.suffix)
        if (pattern.scale or pattern.exp_prec or "@" in pattern.pattern or not pattern.number_pattern
                or "'" in parts or "¤¤¤" in parts):
            return None
        made = _MoneyPattern(pattern, currency, place)
        if "'" in made.group + made.decimal or "¤" in made.group + made.decimal:
            return None
        for probe in _PROBES:
            amount = Decimal(probe)
            if _apply(made, amount) != babel_money(amount, currency, place):
                return None
    except Exception:  # Babel's many lookups: anything odd is left to Babel itself
        return None
    return made
