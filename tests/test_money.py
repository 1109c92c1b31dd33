"""Currencies and money: ISO 4217's codes and minor units, and money as the
locale writes it (exactly Babel's ``format_currency``, faster); quantities as
the locale writes numbers (exactly Babel's ``format_decimal``, every digit kept)."""

from decimal import Decimal

import pytest
from babel import Locale
from babel.numbers import (
    format_currency,
    format_decimal,
    get_currency_precision,
    list_currencies,
)
from hypothesis import given, settings
from hypothesis import strategies as st

from billformat.money import (
    ISO_MINOR_DIGITS,
    NOT_ISO_4217,
    _money_pattern,
    format_money,
    is_currency,
    minor_digits,
)
from billformat.render.words import _quantity_pattern, format_quantity

# ISO 4217 List One (current currencies and funds), 2018-08 edition, with the
# codes added since (VED, SLE, ZWG, XCG) and those since withdrawn (HRK, CUC,
# SLL, ZWL, ANG) kept: by the number of decimals of its minor unit.
ISO_4217 = {
    0: "BIF CLP DJF GNF ISK JPY KMF KRW PYG RWF UGX UYI VND VUV XAF XOF XPF",
    2: """AED AFN ALL AMD ANG AOA ARS AUD AWG AZN BAM BBD BDT BGN BMD BND BOB BOV BRL BSD BTN BWP
          BYN BZD CAD CDF CHE CHF CHW CNY COP COU CRC CUC CUP CVE CZK DKK DOP DZD EGP ERN ETB EUR
          FJD FKP GBP GEL GHS GIP GMD GTQ GYD HKD HNL HRK HTG HUF IDR ILS INR IRR JMD KES KGS KHR
          KPW KYD KZT LAK LBP LKR LRD LSL MAD MDL MGA MKD MMK MNT MOP MRU MUR MVR MWK MXN MXV MYR
          MZN NAD NGN NIO NOK NPR NZD PAB PEN PGK PHP PKR PLN QAR RON RSD RUB SAR SBD SCR SDG SEK
          SGD SHP SLE SLL SOS SRD SSP STN SVC SYP SZL THB TJS TMT TOP TRY TTD TWD TZS UAH USD USN
          UYU UZS VED VES WST XCD XCG YER ZAR ZMW ZWG ZWL""",
    3: "BHD IQD JOD KWD LYD OMR TND",
    4: "CLF UYW",
}
ISO_DIGITS = {code: digits for digits, codes in ISO_4217.items() for code in codes.split()}
# Codes with no minor unit ("N.A."): precious metals, bond market units, SDR, testing, none.
ISO_WITHOUT_MINOR_UNIT = "XAG XAU XBA XBB XBC XBD XDR XPD XPT XSU XTS XUA XXX".split()


@pytest.mark.parametrize("code", sorted(ISO_DIGITS))
def test_every_iso_4217_currency_is_one_with_iso_4217s_minor_unit(code):
    assert is_currency(code)
    assert minor_digits(code) == ISO_DIGITS[code], (code, get_currency_precision(code))


def test_the_exceptions_to_babels_decimals_cover_every_code_where_cldr_and_iso_4217_differ():
    differ = {code: digits for code, digits in ISO_DIGITS.items() if get_currency_precision(code) != digits}
    assert differ.items() <= ISO_MINOR_DIGITS.items()
    assert all(ISO_DIGITS[code] == digits for code, digits in ISO_MINOR_DIGITS.items())
    assert ISO_MINOR_DIGITS["IQD"] == 3 and ISO_MINOR_DIGITS["RSD"] == 2


def test_only_codes_iso_4217_never_listed_are_refused():
    assert all(is_currency(code) for code in ISO_WITHOUT_MINOR_UNIT)
    assert NOT_ISO_4217 <= set(list_currencies())  # each one is a code Babel knows, and refused
    assert not any(is_currency(code) for code in NOT_ISO_4217)
    assert not is_currency("CNH") and is_currency("CNY")
    # codes ISO 4217 lists as historic stay accepted (an old ledger in marks is still in marks)
    assert all(is_currency(code) for code in ("DEM", "FRF", "ITL", "HRK", "VEF", "USS", "XEU"))
    assert not NOT_ISO_4217 & set(ISO_DIGITS)


# Where the currency's own locale writes money; the second group are
# currencies whose decimals CLDR and ISO 4217 disagree on.
PLACES = [("USD", "en_US"), ("EUR", "de_DE"), ("EUR", "fr_FR"), ("CHF", "de_CH"), ("JPY", "ja_JP"),
          ("INR", "hi_IN"), ("INR", "en_IN"), ("GBP", "en_GB"), ("EUR", "es_ES"), ("BHD", "ar_BH"),
          ("USD", "es_MX"), ("SEK", "sv_SE"), ("KRW", "ko_KR"), ("EUR", "nl_NL"), ("BRL", "pt_BR"),
          ("RSD", "sr_RS"), ("IQD", "ar_IQ"), ("ALL", "sq_AL"), ("IRR", "fa_IR"), ("LBP", "ar_LB"),
          ("MMK", "my_MM"), ("AFN", "ps_AF"), ("LAK", "lo_LA"), ("IQD", "en_US"), ("RSD", "de_DE")]

amounts = st.decimals(min_value=Decimal("-1e15"), max_value=Decimal("1e15"), allow_nan=False,
                      allow_infinity=False, places=4)


def babel_writes(amount: Decimal, currency: str, locale: str) -> str:
    """Babel's ``format_currency``, with ISO 4217's decimals.

    For a currency whose decimals CLDR gives otherwise (RSD: 0, ISO: 2), the
    locale's own currency pattern, its fraction written with ISO's number of
    decimals, formatted by Babel without the currency's CLDR decimals.
    """
    digits = ISO_DIGITS[currency]
    if digits == get_currency_precision(currency):
        return format_currency(amount, currency, locale=locale)
    pattern = Locale.parse(locale).currency_formats["standard"].pattern
    assert ".00" in pattern and ".000" not in pattern
    pattern = pattern.replace(".00", "." + "0" * digits)
    return format_currency(amount, currency, locale=locale, format=pattern, currency_digits=False)


@settings(max_examples=300, deadline=None)
@given(st.sampled_from(PLACES), amounts)
def test_every_amount_is_written_as_babel_writes_it(place, amount):
    currency, locale = place
    assert format_money(amount, currency, locale) == babel_writes(amount, currency, locale)


@pytest.mark.parametrize(("currency", "locale", "written"), [
    ("RSD", "sr_RS", "1.200,50\xa0RSD"), ("IQD", "en_US", "IQD1,200.500"),
    ("ALL", "sq_AL", "1\xa0200,50\xa0Lekë"), ("KWD", "en_US", "KWD1,200.500"), ("JPY", "en_US", "¥1,200"),
    ("CLF", "en_US", "CLF1,200.5000"),
])
def test_a_currency_is_written_with_iso_4217s_decimals(currency, locale, written):
    assert format_money(Decimal("1200.5"), currency, locale) == written
    assert _money_pattern(currency, locale) is not None  # through the fast path too


@pytest.mark.parametrize(("currency", "locale", "python"), [
    ("USD", "en_US", True), ("JPY", "ja_JP", True), ("EUR", "de_DE", False), ("INR", "en_IN", False),
])
def test_the_shortcut_through_python_format_is_taken_only_for_its_own_symbols(currency, locale, python):
    pattern = _money_pattern(currency, locale)
    assert pattern is not None and pattern.python is python


@pytest.mark.parametrize(("amount", "written"), [
    ("1234567.891", "$1,234,567.89"), ("-12.5", "-$12.50"), ("0", "$0.00"), ("999.995", "$1,000.00"),
])
def test_a_few_amounts_by_hand(amount, written):
    assert format_money(Decimal(amount), "USD", "en_US") == written


# -- quantities: numbers as the locale writes them, every digit kept -----------------

# Locales with their own decimal and group symbols: the apostrophe of de_CH, the
# narrow no-break space of fr_FR, the no-break space of sv_SE and pl_PL, hi_IN's
# and bn_BD's groups of two above the first three, tok's groups of two, and
# en_US_POSIX's none at all.
NUMBER_LOCALES = ["en_US", "de_DE", "de_CH", "de_AT", "fr_FR", "fr_CH", "it_CH", "es_ES", "pt_BR",
                  "nl_NL", "sv_SE", "pl_PL", "ru_RU", "ar", "ar_EG", "fa_IR", "he_IL", "hi_IN",
                  "en_IN", "bn_BD", "ja_JP", "zh_CN", "tok", "en_US_POSIX"]

quantities = st.builds(
    lambda digits, places, negative: Decimal(-digits if negative else digits).scaleb(-places),
    st.one_of(st.integers(0, 10**6), st.integers(0, 10**18 - 1)),  # small, and up to 18 digits
    st.integers(0, 10),
    st.booleans(),
)


@settings(max_examples=500, deadline=None)
@given(st.sampled_from(NUMBER_LOCALES), quantities)
def test_every_quantity_is_written_as_babels_format_decimal_writes_it(locale, quantity):
    assert format_quantity(quantity, locale) == format_decimal(
        quantity, locale=locale, decimal_quantization=False)


@pytest.mark.parametrize("locale", NUMBER_LOCALES)
def test_every_locale_here_takes_the_fast_path(locale):
    assert _quantity_pattern(locale) is not None


@pytest.mark.parametrize(("quantity", "locale", "written"), [
    ("12.345", "en_US", "12.345"), ("12.345", "de_DE", "12,345"), ("1.50", "de_DE", "1,5"),
    ("1500", "de_DE", "1.500"), ("1500", "de_CH", "1’500"), ("1500.25", "fr_FR", "1\u202f500,25"),
    ("-1234567.5", "hi_IN", "-12,34,567.5"), ("0.123456789012", "en_US", "0.123456789012"),
    ("123456789012345678.123456789012", "de_DE", "123.456.789.012.345.678,123456789012"),
])
def test_a_quantity_keeps_every_digit_it_was_given(quantity, locale, written):
    assert format_quantity(Decimal(quantity), locale) == written
