"""Read the e-invoice embedded in a Factur-X / ZUGFeRD / XRechnung PDF.

A hybrid invoice is a PDF/A-3 with the structured invoice attached as an
embedded file (the document catalog's ``EmbeddedFiles`` name tree, which the
``AF`` associated-file entries point to).  pypdf lists those attachments; the
one named ``factur-x.xml``, ``zugferd-invoice.xml``, ``xrechnung.xml`` (any
case) is the invoice, read as CII (or UBL, should a PDF carry UBL).  The PDF's
printed pages are not read: the XML is the legal invoice.
"""

from __future__ import annotations

import io
import logging

from billformat.errors import LedgerError
from billformat.model import Ledger
from billformat.read.xmlparse import MAX_XML_BYTES, local, parse_xml

# Attachment names of the embedded invoice, in order of preference.
INVOICE_NAMES = ("factur-x.xml", "zugferd-invoice.xml", "xrechnung.xml", "order-x.xml")


def read_facturx(data: bytes, name: str) -> Ledger:
    """A ``Ledger`` from a hybrid PDF's embedded invoice XML."""
    from billformat.read.cii import ROOTS as CII_ROOTS
    from billformat.read.cii import parse_cii
    from billformat.read.ubl import parse_ubl
    from billformat.read.xmlinvoice import to_ledger

    attachment, xml = embedded_invoice(data, name)
    shown = f"{name}!{attachment}"
    root = parse_xml(xml, shown)
    if local(root) in CII_ROOTS:
        return to_ledger(parse_cii(root, shown))
    return to_ledger(parse_ubl(root, shown))


def embedded_invoice(data: bytes, name: str) -> tuple[str, bytes]:
    """The attachment name and bytes of the invoice XML inside the PDF."""
    attachments = _attachments(data, name)
    by_name = {key.lower(): key for key in attachments}
    for wanted in INVOICE_NAMES:
        if wanted in by_name:
            key = by_name[wanted]
            contents = attachments[key]
            if len(contents) > MAX_XML_BYTES:
                raise LedgerError(f"the embedded {key} is larger than "
                                  f"{MAX_XML_BYTES // 2**20} MiB", file=name, field=key)
            return key, contents
    listed = ", ".join(sorted(attachments)) or "none"
    raise LedgerError(
        "the PDF carries no embedded e-invoice (factur-x.xml, zugferd-invoice.xml or "
        f"xrechnung.xml); its attachments: {listed[:200]}",
        file=name, field="EmbeddedFiles",
    )


def _attachments(data: bytes, name: str) -> dict[str, bytes]:
    from pypdf import PdfReader

    logging.getLogger("pypdf").setLevel(logging.ERROR)
    try:
        reader = PdfReader(io.BytesIO(data), strict=False)
        found: dict[str, bytes] = {}
        for key, contents in reader.attachments.items():
            if contents and isinstance(key, str):
                found[key] = bytes(contents[0])
        return found
    except Exception as error:  # pypdf raises many types on a damaged or hostile PDF
        reason = str(error).split("\n")[0][:120] or type(error).__name__
        raise LedgerError(f"the PDF cannot be read: {reason}", file=name, field="PDF") from None
