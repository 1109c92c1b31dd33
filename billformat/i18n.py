"""The bill's own words in the ledger's language, from Babel message catalogs.

Catalogs live in ``billformat/locale/<lang>/LC_MESSAGES/billformat.po``
(and the compiled ``.mo`` beside it).  A locale without a catalog falls back
to English, the words as written in the code.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import lru_cache
from pathlib import Path

CATALOGS = Path(__file__).parent / "locale"
DOMAIN = "billformat"


def _(message: str) -> str:
    """Mark a message for extraction into ``messages.pot``."""
    return message


# Words a bill may show that the code builds at run time (a ledger's kind of
# entry, a card's kind), marked here so the catalogs carry them.
LEDGER_WORDS = (
    _("Room"), _("Food and drink"), _("Payment"), _("Transfer"), _("Deposit"), _("Withdrawal"),
    _("Check"), _("Interest"), _("Fee"), _("Card"), _("Credit card"), _("Debit card"),
)


@lru_cache(maxsize=64)
def translator(locale: str) -> Callable[[str], str]:
    """``gettext`` for ``locale`` (``de_DE``, ``fr_CH``): the best catalog, else English."""
    from babel.support import Translations

    translations = Translations.load(str(CATALOGS), [locale], domain=DOMAIN)
    return translations.gettext
