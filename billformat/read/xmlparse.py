"""Safe XML for the e-invoice readers: parse untrusted bytes, walk by local name.

E-invoices are untrusted input.  They are parsed by lxml with entity
resolution, DTD loading and network access off and libxml2's size limits on
(``huge_tree=False``); a document that declares a DOCTYPE is refused outright
(an e-invoice never needs one, and that is where billion-laughs and
external-entity attacks live).  Elements are found by their local name, so
the same walk reads UBL, CII and ZUGFeRD 1.0 whatever prefixes they use.
Every refusal names the file, the line and the element path.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from decimal import Decimal

from lxml import etree

from billformat.errors import LedgerError
from billformat.money import decimals, parse_decimal

# An e-invoice of a thousand lines is well under 5 MiB; refuse what is far beyond.
MAX_XML_BYTES = 64 * 1024 * 1024

Element = etree._Element


def parse_xml(data: bytes, name: str) -> Element:
    """The root element of ``data``, parsed without entities, DTDs or network."""
    if len(data) > MAX_XML_BYTES:
        raise LedgerError(f"the XML is larger than {MAX_XML_BYTES // 2**20} MiB", file=name)
    parser = etree.XMLParser(
        resolve_entities=False,
        no_network=True,
        load_dtd=False,
        dtd_validation=False,
        huge_tree=False,
        remove_pis=True,
        collect_ids=False,
    )
    try:
        root = etree.fromstring(data, parser)
    except etree.XMLSyntaxError as error:
        if any(mark in data for mark in _DTD_MARKS):
            raise _doctype(name) from None
        line = error.lineno if error.lineno else None
        problem = (error.msg or "not well-formed").split("\n")[0]
        raise LedgerError(f"the XML cannot be read: {problem}", file=name, place=line) from None
    if root is None:
        raise LedgerError("the XML has no root element", file=name)
    info = root.getroottree().docinfo
    if info.doctype or info.internalDTD is not None or info.externalDTD is not None:
        raise _doctype(name)
    return root


# "<!DOCTYPE" in UTF-8 and in UTF-16 (both byte orders).
_DTD_MARKS = (b"<!DOCTYPE", "<!DOCTYPE".encode("utf-16-le"), "<!DOCTYPE".encode("utf-16-be"))


def _doctype(name: str) -> LedgerError:
    return LedgerError(
        "the XML declares a DOCTYPE (entities or an external DTD); an e-invoice never needs "
        "one, so it is refused unread",
        file=name, place=1, field="DOCTYPE",
    )


def local(element: Element) -> str:
    """The element's name without its namespace: ``LineExtensionAmount``."""
    tag = element.tag
    if not isinstance(tag, str):
        return ""
    return tag.rsplit("}", 1)[-1]


def children(element: Element | None, *names: str) -> Iterator[Element]:
    """The element's children whose local name is one of ``names``."""
    if element is None:
        return
    for child in element:
        if local(child) in names:
            yield child


def child(element: Element | None, *path: str | tuple[str, ...]) -> Element | None:
    """The first element down ``path``; a step may be a tuple of alternatives."""
    current = element
    for step in path:
        if current is None:
            return None
        names = step if isinstance(step, tuple) else (step,)
        current = next(children(current, *names), None)
    return current


def text(element: Element | None, *path: str | tuple[str, ...]) -> str | None:
    """The stripped text down ``path``, or None when absent or empty."""
    found = child(element, *path) if path else element
    if found is None or found.text is None:
        return None
    value = " ".join(found.text.split())
    return value or None


def path_of(element: Element) -> str:
    """``/Invoice/cac:LegalMonetaryTotal/cbc:PayableAmount``: where an element is."""
    parts = []
    current: Element | None = element
    while current is not None and isinstance(current.tag, str):
        prefix = current.prefix
        parts.append(f"{prefix}:{local(current)}" if prefix else local(current))
        current = current.getparent()
    return "/" + "/".join(reversed(parts))


def refuse(element: Element, problem: str, name: str) -> LedgerError:
    """A ``LedgerError`` naming the file, the element's line and its path."""
    return LedgerError(
        f"{path_of(element)}: {problem}", file=name, place=element.sourceline,
        field=local(element),
    )


def number(element: Element, name: str) -> Decimal:
    """The element's text as a ``Decimal`` (quantities, prices, percents)."""
    raw = element.text.strip() if element.text else ""
    try:
        return parse_decimal(raw)
    except ValueError as error:
        raise refuse(element, f"{local(element)} {error}", name) from None


def amount(element: Element, name: str, digits: int = 2, rule: str | None = None) -> Decimal:
    """A money amount with at most ``digits`` decimals (EN 16931 BR-DEC: 2).

    Zeros past ``digits`` are dropped (``100.000`` reads as ``100.00``); a
    non-zero digit there is refused, naming the rule the document breaks.
    """
    value = number(element, name)
    if decimals(value) > digits:
        shortened = value.quantize(Decimal(1).scaleb(-digits))
        if shortened != value:
            because = f" ({rule})" if rule else ""
            raise refuse(
                element,
                f'{local(element)} "{element.text.strip()}" has {decimals(value)} decimals; '
                f"an e-invoice amount may have {digits}{because}",
                name,
            )
        value = shortened
    return value


def date(element: Element, name: str) -> dt.date:
    """An ISO date (UBL) or a CII ``DateTimeString`` (format 102: ``20240131``)."""
    raw = "".join((element.text or "").split())
    fmt = element.get("format")
    try:
        if fmt in (None, "102") and len(raw) == 8 and raw.isdigit():
            return dt.date(int(raw[:4]), int(raw[4:6]), int(raw[6:]))
        if len(raw) == 10 and raw[4] == "-" and raw[7] == "-":
            return dt.date.fromisoformat(raw)
    except ValueError:
        pass
    raise refuse(element, f'{local(element)} "{raw[:40]}" is not a date', name)
