"""Money as the locale writes it: exactly Babel's ``format_currency``, faster."""

from decimal import Decimal

import pytest
from babel.numbers import format_currency
from hypothesis import given, settings
from hypothesis import strategies as st

from billformat.money import _money_pattern, format_money

PLACES = [("USD", "en_US"), ("EUR", "de_DE"), ("EUR", "fr_FR"), ("CHF", "de_CH"), ("JPY", "ja_JP"),
          ("INR", "hi_IN"), ("INR", "en_IN"), ("GBP", "en_GB"), ("EUR", "es_ES"), ("BHD", "ar_BH"),
          ("USD", "es_MX"), ("SEK", "sv_SE"), ("KRW", "ko_KR"), ("EUR", "nl_NL"), ("BRL", "pt_BR")]

amounts = st.decimals(min_value=Decimal("-1e15"), max_value=Decimal("1e15"), allow_nan=False,
                      allow_infinity=False, places=4)


@settings(max_examples=300, deadline=None)
@given(st.sampled_from(PLACES), amounts)
def test_every_amount_is_written_as_babel_writes_it(place, amount):
    currency, locale = place
    assert format_money(amount, currency, locale) == format_currency(amount, currency, locale=locale)


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
