"""Read a bank or credit-card statement in OFX (1.x SGML or 2.x XML) or QFX.

A small reader of its own rather than a library, so that every amount is a
``Decimal`` from its text and nothing is parsed as XML with entities: OFX 1.x
leaves leaf elements unclosed (``<TRNAMT>-25.00``), OFX 2.x closes them; one
tokenizer reads both, closing what the file leaves open.

The statement (``STMTRS``, ``CCSTMTRS`` for a card, or the cash side of an
investment account's ``INVSTMTRS``: its ``INVBANKTRAN`` movements; trades in
securities are not read) becomes a ``bank_statement`` ledger:

* each ``STMTTRN`` is an entry: ``amount`` = ``TRNAMT`` (positive is money
  into the account), ``date`` = the day of ``DTPOSTED``, ``id`` = ``FITID``,
  ``number`` = ``CHECKNUM`` as written (``0`` included; an empty one is
  absent), ``text`` = ``NAME`` and ``MEMO``;
* the kind from ``TRNTYPE`` and the sign: CHECK → check, INT/DIV → interest,
  FEE/SRVCHG → fee, XFER → transfer, any other → deposit when the amount is
  positive, withdrawal when negative (a positive CHECK is a deposit);
* ``currency`` = ``CURDEF`` (else the transactions' ``CURRENCY/CURSYM``);
  ``period`` = ``DTSTART``/``DTEND``; ``stated.closing_balance`` =
  ``LEDGERBAL/BALAMT``.  OFX gives no opening balance: ``collapse`` takes it
  as the closing balance less the movements, so the statement's own
  arithmetic cannot be checked, only shown.
* the bank (``FI/ORG``) is the seller, the account (``ACCTID``) the customer's
  account; the locale follows the currency (USD en_US, CAD en_CA, AUD en_AU,
  GBP en_GB, NZD en_NZ, else en_US).

The file is untrusted: aggregates nested deeper than ``MAX_DEPTH`` (256, the
depth libxml2 allows the XML readers) are refused, and every step is linear
in the file's size (the tree is walked without recursion).
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from billformat.errors import LedgerError
from billformat.model import Ledger
from billformat.money import decimals, is_currency, minor_digits, parse_decimal

_TOKEN = re.compile(r"<(/?)([A-Za-z0-9_.]+)\s*>([^<]*)")
_ENTITIES = {"&lt;": "<", "&gt;": ">", "&quot;": '"', "&apos;": "'", "&nbsp;": " "}
_LOCALES = {"USD": "en_US", "CAD": "en_CA", "AUD": "en_AU", "GBP": "en_GB", "NZD": "en_NZ"}
_KINDS = {"CHECK": "check", "INT": "interest", "DIV": "interest", "FEE": "fee",
          "SRVCHG": "fee", "XFER": "transfer"}

# The deepest nesting of aggregates read, <OFX> counting as 1: the same limit
# libxml2 holds the XML e-invoices to.  A statement is about 6 deep.
MAX_DEPTH = 256


@dataclass(eq=False)
class Node:
    """An OFX aggregate: its name, its leaf values, its child aggregates."""

    name: str
    line: int
    values: dict[str, tuple[str, int]] = field(default_factory=dict)
    children: list[Node] = field(default_factory=list)

    def find(self, name: str) -> list[Node]:
        """Every aggregate called ``name`` below this one, in file order.

        Walked with a stack of its own, not by recursion, however deep the file.
        """
        found = []
        waiting = list(reversed(self.children))
        while waiting:
            node = waiting.pop()
            if node.name == name:
                found.append(node)
            waiting.extend(reversed(node.children))
        return found

    def first(self, *path: str) -> Node | None:
        current: Node | None = self
        for name in path:
            current = next((c for c in current.children if c.name == name), None) if current else None
        return current

    def value(self, name: str) -> str | None:
        found = self.values.get(name)
        return found[0] if found and found[0] else None


def read_ofx(data: bytes | str, name: str) -> Ledger:
    """A ``bank_statement`` ledger from OFX/QFX bytes; ``name`` is named in messages."""
    text = data if isinstance(data, str) else _decode(data)
    root = parse_ofx(text, name)
    statements = root.find("STMTRS") + root.find("CCSTMTRS") + root.find("INVSTMTRS")
    if not statements:
        raise LedgerError("the OFX file holds no statement (no STMTRS, CCSTMTRS or INVSTMTRS)",
                          file=name, field="STMTRS")
    if len(statements) > 1:
        raise LedgerError(
            f"the OFX file holds {len(statements)} statements; billformat reads one account a "
            "file", file=name, place=statements[1].line, field=statements[1].name,
        )
    return Ledger.model_validate(_ledger_fields(root, statements[0], name), source=name)


def parse_ofx(text: str, name: str) -> Node:
    """The ``<OFX>`` aggregate, its unclosed leaves (OFX 1.x) closed."""
    start = text.upper().find("<OFX>")
    if start < 0:
        raise LedgerError("no <OFX> element: this is not an OFX file", file=name, field="OFX")
    line = text.count("\n", 0, start) + 1
    stack: list[Node] = []
    root: Node | None = None
    position = start
    for match in _TOKEN.finditer(text, start):
        line += text.count("\n", position, match.start())
        position = match.start()
        closing, tag, content = match.group(1), match.group(2).upper(), match.group(3)
        if closing:
            names = [node.name for node in stack]
            if tag in names:
                while stack and stack[-1].name != tag:
                    _close(stack)
                _close(stack)
            continue  # the closing tag of a leaf already read
        value = _unescape(content.strip())
        if value:
            if not stack:
                raise LedgerError(f"<{tag}> stands outside <OFX>", file=name, place=line, field=tag)
            stack[-1].values.setdefault(tag, (value, line))
            continue
        if len(stack) >= MAX_DEPTH:
            raise LedgerError(
                f"<{tag}> is nested deeper than {MAX_DEPTH} aggregates; no statement is nested "
                "so deep, so the file is refused", file=name, place=line, field=tag,
            )
        node = Node(tag, line)
        if stack:
            stack[-1].children.append(node)
        elif root is None:
            root = node
        else:
            break  # past </OFX>
        stack.append(node)
    if root is None:
        raise LedgerError("no <OFX> element: this is not an OFX file", file=name, field="OFX")
    return root


def _close(stack: list[Node]) -> None:
    node = stack.pop()
    # An empty leaf (<NAME></NAME>, or <BALAMT> with nothing) reads as an
    # aggregate with nothing in it; it is the same as an absent value.  It is
    # its parent's last child (all that came after it went inside it), so it
    # comes off the end, not out of a search of its siblings.
    if not node.values and not node.children and stack:
        siblings = stack[-1].children
        if siblings and siblings[-1] is node:
            siblings.pop()


def _unescape(value: str) -> str:
    for entity, character in _ENTITIES.items():
        value = value.replace(entity, character)
    return value.replace("&amp;", "&")


def _decode(data: bytes) -> str:
    """UTF-8 text, else Windows-1252 (what OFX 1.x ``CHARSET:1252`` means)."""
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        return data.decode("cp1252", errors="replace")


def _ledger_fields(root: Node, statement: Node, name: str) -> dict[str, Any]:
    currency = statement.value("CURDEF") or _transaction_currency(statement)
    if not currency:
        raise LedgerError("the statement names no currency (CURDEF is empty)", file=name,
                          place=statement.line, field="CURDEF")
    currency = currency.upper()
    if not is_currency(currency):
        raise LedgerError(f'CURDEF "{currency[:20]}" is not an ISO 4217 currency code', file=name,
                          place=statement.values.get("CURDEF", ("", statement.line))[1],
                          field="CURDEF")
    digits = minor_digits(currency)
    entries = []
    used: set[str] = set()
    for position, transaction in enumerate(statement.find("STMTTRN"), start=1):
        entry = _entry(transaction, position, digits, name)
        if entry["id"] in used:
            entry["id"] = f"{entry['id']}#{position}"
        used.add(entry["id"])
        entries.append(entry)
    data: dict[str, Any] = {
        "kind": "bank_statement",
        "currency": currency,
        "locale": _LOCALES.get(currency, "en_US"),
        "entries": entries,
    }
    transactions = statement.first("BANKTRANLIST") or statement.first("INVTRANLIST")
    if transactions is not None:
        start = _date(transactions, "DTSTART", name)
        end = _date(transactions, "DTEND", name)
        if start or end:
            data["period"] = {"start": start, "end": end}
        data["date"] = end
    bank = root.first("SIGNONMSGSRSV1", "SONRS", "FI")
    if bank is not None and bank.value("ORG"):
        data["seller"] = {"name": bank.value("ORG")}
    account = (statement.first("BANKACCTFROM") or statement.first("CCACCTFROM")
               or statement.first("INVACCTFROM"))
    if account is not None and account.value("ACCTID"):
        data["customer"] = {"account": account.value("ACCTID")}
    balance = statement.first("LEDGERBAL")
    if balance is not None and balance.value("BALAMT"):
        data["stated"] = {"closing_balance": _amount(balance, "BALAMT", digits, name)}
        data["date"] = _date(balance, "DTASOF", name) or data.get("date")
    return data


def _transaction_currency(statement: Node) -> str | None:
    found = {node.value("CURSYM") for node in statement.find("CURRENCY") if node.value("CURSYM")}
    return found.pop() if len(found) == 1 else None


def _entry(transaction: Node, position: int, digits: int, name: str) -> dict[str, Any]:
    if transaction.value("TRNAMT") is None:
        raise LedgerError("STMTTRN has no TRNAMT", file=name, place=transaction.line,
                          field="TRNAMT")
    amount = _amount(transaction, "TRNAMT", digits, name)
    trntype = (transaction.value("TRNTYPE") or "OTHER").upper()
    kind = _KINDS.get(trntype)
    if kind is None or (kind == "check" and amount > 0):
        kind = "deposit" if amount >= 0 else "withdrawal"
    label, memo = transaction.value("NAME") or transaction.value("PAYEE"), transaction.value("MEMO")
    if label and memo and not memo.startswith(label):
        text = f"{label} / {memo}"
    else:
        text = memo or label or trntype.title()
    number = transaction.value("CHECKNUM")  # as written: "0" is a check number too
    entry = {
        "id": transaction.value("FITID") or str(position),
        "date": _date(transaction, "DTPOSTED", name),
        "text": text,
        "kind": kind,
        "amount": amount,
        "number": number,
        "source_line": transaction.line,
    }
    return {key: value for key, value in entry.items() if value is not None}


def _amount(node: Node, tag: str, digits: int, name: str) -> Decimal:
    raw, line = node.values[tag]
    try:
        value = parse_decimal(raw.replace(",", ".") if raw.count(",") == 1 and "." not in raw
                              else raw)
    except ValueError as error:
        raise LedgerError(f"{tag} {error}", file=name, place=line, field=tag) from None
    if decimals(value) > digits:
        shortened = value.quantize(Decimal(1).scaleb(-digits))
        if shortened != value:
            raise LedgerError(
                f'{tag} "{raw}" has more decimals than the statement\'s currency allows '
                f"({digits})", file=name, place=line, field=tag,
            )
        value = shortened
    return value


def _date(node: Node, tag: str, name: str) -> str | None:
    found = node.values.get(tag)
    if not found:
        return None
    raw, line = found
    day = raw[:8]
    if not day.isdigit() or len(day) != 8:
        raise LedgerError(f'{tag} "{raw[:30]}" is not an OFX date (YYYYMMDD...)', file=name,
                          place=line, field=tag)
    text = f"{day[:4]}-{day[4:6]}-{day[6:]}"
    try:
        dt.date.fromisoformat(text)
    except ValueError:
        raise LedgerError(f'{tag} "{raw[:30]}" is not a real date', file=name, place=line,
                          field=tag) from None
    return text
