"""billformat: collapse a raw business ledger into a plain bill that adds up.

    >>> import billformat
    >>> ledger = billformat.read_ledger("samples/tire_shop.json")
    >>> bill = billformat.collapse(ledger)
    >>> report = billformat.check(ledger)
"""

from importlib.metadata import PackageNotFoundError, version

from billformat.bill import Bill
from billformat.check import Report, check
from billformat.collapse import collapse
from billformat.errors import Finding, LedgerError, Severity
from billformat.layouts import LayoutError, load_layout
from billformat.model import Entry, Ledger
from billformat.read import read_ledger
from billformat.render import render

try:
    __version__ = version("billformat")
except PackageNotFoundError:  # pragma: no cover - running from a source tree
    __version__ = "0.0.0"

__all__ = [
    "Bill",
    "Entry",
    "Finding",
    "LayoutError",
    "Ledger",
    "LedgerError",
    "Report",
    "Severity",
    "__version__",
    "check",
    "collapse",
    "load_layout",
    "read_ledger",
    "render",
]
