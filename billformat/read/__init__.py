"""Readers: one module per input format, each turning its input into a ``Ledger``.

``read_ledger`` takes a path, or text (or bytes) with its format named, and
picks the reader by the format given, else by the content, else by the
file's suffix.  Content decides first: a PDF (``%PDF-``) is a Factur-X /
ZUGFeRD invoice, an OFX header or ``<OFX>`` a bank statement, other XML an
e-invoice (UBL or CII, told apart by the root element once it is safely
parsed), ``{`` or ``[`` JSON, anything else CSV.  The binary formats (PDF,
XML, OFX) are read from bytes, so an XML encoding declaration or a PDF's
binary streams arrive intact; JSON and CSV are decoded as UTF-8 first.
"""

from __future__ import annotations

import importlib
import os
import re
from collections.abc import Callable
from pathlib import Path
from typing import Any, BinaryIO

from billformat.errors import LedgerError
from billformat.model import Ledger

# The largest ledger file read: far above any real bill, well below memory.
MAX_BYTES = 512 * 1024 * 1024

Reader = Callable[[Any, str], Ledger]  # (text or bytes, name shown in messages) -> Ledger

# Formats whose readers take bytes (the rest take text).
BINARY_FORMATS = frozenset({"xml", "ubl", "cii", "pdf", "facturx", "ofx", "qfx"})

# What each suffix means when the content does not say.
SUFFIXES = {
    "json": "json", "csv": "csv", "xml": "xml", "pdf": "pdf", "ofx": "ofx", "qfx": "ofx",
}

_XML_START = re.compile(rb"^(?:\xef\xbb\xbf)?\s*<")
_OFX_HEADER = re.compile(rb"^(?:\xef\xbb\xbf)?\s*OFXHEADER\s*:", re.IGNORECASE)


# Each format's reader, as (module, function); only the chosen one is imported,
# so a JSON or CSV ledger never loads lxml or the e-invoice readers.
_READERS: dict[str, tuple[str, str]] = {
    "json": ("billformat.read.json", "read_json"),
    "csv": ("billformat.read.csv", "read_csv"),
    "xml": ("billformat.read", "_read_xml"),
    "ubl": ("billformat.read.ubl", "read_ubl"),
    "cii": ("billformat.read.cii", "read_cii"),
    "pdf": ("billformat.read.facturx", "read_facturx"),
    "facturx": ("billformat.read.facturx", "read_facturx"),
    "ofx": ("billformat.read.ofx", "read_ofx"),
    "qfx": ("billformat.read.ofx", "read_ofx"),
}


def _reader(chosen: str) -> Reader:
    """The reader of a format named in ``_READERS``, its module imported now."""
    module, function = _READERS[chosen]
    reader: Reader = getattr(importlib.import_module(module), function)
    return reader


def detect_format(text: str | bytes, name: str | None = None) -> str:
    """The format of a ledger, by content, then by suffix.

    ``pdf``, ``ofx``, ``xml`` (a UBL or CII e-invoice), ``json`` or ``csv``.
    """
    head = text[:4096] if isinstance(text, bytes) else text[:4096].encode("utf-8", "replace")
    stripped = head.lstrip(b"\xef\xbb\xbf \t\r\n")
    if stripped.startswith(b"%PDF-") or head[:1024].find(b"%PDF-") >= 0:
        return "pdf"
    if _OFX_HEADER.match(head) or (_XML_START.match(head) and b"<OFX>" in head.upper()):
        return "ofx"
    if _XML_START.match(head):
        return "xml"
    start = stripped[:1]
    if start in (b"{", b"["):
        return "json"
    suffix = Path(name).suffix.lower().lstrip(".") if name else ""
    if suffix in SUFFIXES:
        return SUFFIXES[suffix]
    return "csv"


def read_ledger(
    source: str | os.PathLike[str] | bytes | BinaryIO,
    format: str | None = None,
    *,
    name: str | None = None,
) -> Ledger:
    """Read a ledger from a path, from an open binary stream, or from text or
    bytes when ``format`` is given.

    ``read_ledger("ro-10492.json")`` reads a file; ``read_ledger(text,
    "csv")`` reads text already in memory (``name`` is what messages call
    it); bytes, streams (binary or text) and a string of several lines or
    one that opens as JSON or XML does, without a format, are recognised by
    their content (``read_ledger(sys.stdin.buffer, name="<stdin>")``).  Raises
    ``LedgerError`` naming the file, the place and the field.
    """
    from_stream = hasattr(source, "read")
    if from_stream:  # a binary stream gives bytes, a text stream (StringIO, open(path)) text
        called = getattr(source, "name", None)
        name = name or (Path(called).name if isinstance(called, str) and called else None)
        source = _read_stream(source, name or "<stream>")
    if isinstance(source, bytes) or (
        isinstance(source, str) and (format is not None or from_stream or _is_text(source))
    ):
        data: str | bytes = source
        shown = name or "<ledger>"
        if len(data) > MAX_BYTES:
            raise LedgerError(f"the ledger is larger than {MAX_BYTES // 2**20} MiB", file=shown)
    else:
        path = Path(source)
        shown = name or path.name
        data = _read_file(path, shown)
    chosen = (format or detect_format(data, shown)).lower()
    if chosen not in _READERS:
        raise LedgerError(f'"{chosen}" is not a ledger format billformat reads', file=shown)
    reader = _reader(chosen)
    if chosen in BINARY_FORMATS:
        raw = data.encode("utf-8") if isinstance(data, str) else data
        return reader(raw, shown)
    # A byte-order mark is dropped from text as it is from bytes (``decode``).
    text = decode(data, shown) if isinstance(data, bytes) else data.removeprefix("\ufeff")
    # The file's bytes are not needed once decoded: a large ledger is then
    # not held twice (bytes and text) while its entries are built.
    del data, source
    return reader(text, shown)


def _is_text(source: str) -> bool:
    """Whether a string given without a format is a ledger's text, not a path:
    it has more than one line, or opens as JSON or XML does.  (Only ever
    more text, never more paths: ledger text is not used as a path.)  A
    one-line string that names an existing file is that file, whatever its
    first character (``[Q1] tire.json``): no ledger's text is a file's name."""
    if "\n" in source:
        return True
    return source.lstrip()[:1] in ("{", "[", "<") and not os.path.isfile(source)


def _read_xml(data: bytes, name: str) -> Ledger:
    """An e-invoice in XML: parsed safely once, then read as UBL or CII by its root."""
    from billformat.read.cii import ROOTS as CII_ROOTS
    from billformat.read.cii import parse_cii
    from billformat.read.ubl import ROOTS as UBL_ROOTS
    from billformat.read.ubl import parse_ubl
    from billformat.read.xmlinvoice import to_ledger
    from billformat.read.xmlparse import local, parse_xml

    root = parse_xml(data, name)
    kind = local(root)
    if kind == "OFX":  # OFX 2.x whose <OFX> starts past the first 4 KiB
        from billformat.read.ofx import read_ofx

        return read_ofx(data, name)
    if kind in UBL_ROOTS:
        return to_ledger(parse_ubl(root, name))
    if kind in CII_ROOTS:
        return to_ledger(parse_cii(root, name))
    raise LedgerError(
        f"the XML's root element <{kind[:40]}> is not an e-invoice billformat reads "
        "(UBL Invoice or CreditNote, CII CrossIndustryInvoice)",
        file=name, place=root.sourceline, field=kind[:40],
    )


def _read_file(path: Path, shown: str) -> bytes:
    try:
        with path.open("rb", buffering=0) as stream:
            size = os.fstat(stream.fileno()).st_size
            if size > MAX_BYTES:
                raise LedgerError(f"the file is larger than {MAX_BYTES // 2**20} MiB", file=shown)
            return _read_stream(stream, shown, "file", first=size + 1)
    except FileNotFoundError:
        raise LedgerError("no such file", file=str(path)) from None
    except IsADirectoryError:
        raise LedgerError("is a folder, not a ledger file", file=str(path)) from None
    except OSError as error:
        raise LedgerError(f"cannot be read: {error.strerror or error}", file=str(path)) from None


def _read_stream(stream: BinaryIO, shown: str, what: str = "ledger", first: int = 0) -> bytes:
    """All of ``stream``, a megabyte at a time, refused past ``MAX_BYTES``: a
    device or a pipe (``/dev/zero``, standard input) may never end.

    ``first``: the size of the first read when the stream's length is known
    (a file's size, and one byte more to see its end); a file is then read
    in one piece, without chunks to join (which would hold it twice).
    """
    chunks: list[bytes] = []
    size = 0
    while chunk := stream.read(first or 1 << 20):
        first = 0
        size += len(chunk)
        if size > MAX_BYTES:
            raise LedgerError(f"the {what} is larger than {MAX_BYTES // 2**20} MiB", file=shown)
        chunks.append(chunk)
    if len(chunks) == 1:
        return chunks[0]
    return chunks[0][:0].join(chunks) if chunks else b""  # bytes, or text from a text stream


def decode(data: bytes, shown: str) -> str:
    """UTF-8 text (a byte-order mark is dropped), or a refusal naming the line."""
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        line = data.count(b"\n", 0, error.start) + 1
        raise LedgerError(
            f"byte 0x{data[error.start]:02x} is not UTF-8 text (save the file as UTF-8)",
            file=shown,
            place=line,
        ) from None
