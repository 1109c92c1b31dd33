"""billformat: collapse a raw business ledger into a plain bill that adds up.

    >>> import billformat
    >>> ledger = billformat.read_ledger("samples/tire_shop.json")
    >>> bill = billformat.collapse(ledger)
    >>> report = billformat.check(ledger)
"""

from typing import Any

from billformat.bill import Bill
from billformat.check import Report, check
from billformat.collapse import collapse
from billformat.errors import Finding, LedgerError, Severity
from billformat.layouts import LayoutError, load_layout
from billformat.model import Entry, Ledger
from billformat.read import read_ledger
from billformat.render import render


def __getattr__(name: str) -> Any:
    """``__version__``, read from the installed package's metadata on first use.

    ``importlib.metadata`` takes 15-25 ms to import, so it is not imported
    until somebody asks for the version.
    """
    if name == "__version__":
        from importlib.metadata import PackageNotFoundError, version

        try:
            found = version("billformat")
        except PackageNotFoundError:  # pragma: no cover - running from a source tree
            found = "0.0.0"
        globals()["__version__"] = found
        return found
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


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
