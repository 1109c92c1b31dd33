"""Readers: one module per input format, each turning its input into a ``Ledger``.

``read_ledger`` takes a path, or text (or bytes) with its format named, and
picks the reader by the format given, else by the content, else by the
file's suffix.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path

from billformat.errors import LedgerError
from billformat.model import Ledger

# The largest ledger file read: far above any real bill, well below memory.
MAX_BYTES = 512 * 1024 * 1024

Reader = Callable[[str, str], Ledger]  # (text, name shown in messages) -> Ledger


def _readers() -> dict[str, Reader]:
    from billformat.read.csv import read_csv
    from billformat.read.json import read_json

    return {"json": read_json, "csv": read_csv}


def detect_format(text: str, name: str | None = None) -> str:
    """``json`` or ``csv`` (more as readers come), by content, then by suffix."""
    start = text.lstrip("\ufeff \t\r\n")[:1]
    if start in ("{", "["):
        return "json"
    suffix = Path(name).suffix.lower().lstrip(".") if name else ""
    if suffix in _readers():
        return suffix
    return "csv"


def read_ledger(
    source: str | os.PathLike[str] | bytes,
    format: str | None = None,
    *,
    name: str | None = None,
) -> Ledger:
    """Read a ledger from a path, or from text or bytes when ``format`` is given.

    ``read_ledger("ro-10492.json")`` reads a file; ``read_ledger(text,
    "csv")`` reads text already in memory (``name`` is what messages call
    it).  Raises ``LedgerError`` naming the file, the place and the field.
    """
    if isinstance(source, bytes) or (isinstance(source, str) and format is not None):
        data = source
        shown = name or "<ledger>"
    else:
        path = Path(source)
        shown = name or path.name
        data = _read_file(path, shown)
    text = decode(data, shown) if isinstance(data, bytes) else data
    chosen = (format or detect_format(text, shown)).lower()
    readers = _readers()
    if chosen not in readers:
        raise LedgerError(f'"{chosen}" is not a ledger format billformat reads', file=shown)
    return readers[chosen](text, shown)


def _read_file(path: Path, shown: str) -> bytes:
    try:
        if path.stat().st_size > MAX_BYTES:
            raise LedgerError(f"the file is larger than {MAX_BYTES // 2**20} MiB", file=shown)
        return path.read_bytes()
    except FileNotFoundError:
        raise LedgerError("no such file", file=str(path)) from None
    except IsADirectoryError:
        raise LedgerError("is a folder, not a ledger file", file=str(path)) from None
    except OSError as error:
        raise LedgerError(f"cannot be read: {error.strerror or error}", file=str(path)) from None


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
