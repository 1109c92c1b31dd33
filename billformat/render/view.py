"""One view of a bill, every string already cleaned and formatted.

``describe(bill)`` turns a ``Bill`` into a ``BillView``: plain dataclasses
of text that the HTML, text and PDF renderers lay out without computing or
formatting anything themselves, so the figures are the same everywhere.
Nothing changes them once made; the view itself is frozen, its rows (one
an entry in a detailed bill) are slotted instead, which makes them several
times faster to make.  All ledger text is passed through ``clean_text``: here
for rows and facts, in ``words.py`` for what a sentence names.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

from billformat.bill import Bill, Line
from billformat.model import Entry, EntryKind, Party
from billformat.money import ZERO
from billformat.render.safe import clean_text, is_rtl
from billformat.render.words import Words


@dataclass(slots=True)
class Row:
    """One figure: a label and its amount, as printed."""

    label: str
    amount: str
    note: str = ""  # "not charged", "2 × $94.99"
    date: str = ""
    rtl: bool = False


@dataclass(slots=True)
class Group:
    """A heading with rows under it: the entries behind one face line."""

    heading: str
    amount: str
    rows: tuple[Row, ...]


@dataclass(slots=True)
class TrailRow:
    """Where one ledger entry went."""

    entry: str
    date: str
    text: str
    amount: str
    to: str


@dataclass(slots=True)
class Movement:
    date: str
    label: str
    amount: str
    balance: str
    number: str = ""


@dataclass(slots=True)
class Check:
    number: str
    date: str
    label: str
    amount: str


@dataclass(frozen=True)
class Statement:
    summary: tuple[Row, ...]  # opening, money in, money out, closing
    movements: tuple[Movement, ...]
    checks: tuple[Check, ...]
    missing: str  # "Check 1043 is missing: not cleared yet?", or ""


@dataclass(frozen=True)
class BillView:
    """Everything a bill shows, as text, in the order a customer reads it."""

    lang: str  # for <html lang>: "en-US", "de-DE"
    title: str
    situation: str
    facts: tuple[tuple[str, str], ...]  # ("Number", "RO-10492"), ("Date", ...)
    seller: tuple[str, ...]  # name first, then address and contact lines
    customer: tuple[str, ...]
    words: dict[str, str]  # the fixed words, translated, by key
    face: tuple[Row, ...] = ()
    total: Row | None = None
    payments: tuple[Row, ...] = ()  # amounts shown as taken off: -$246.45
    balance: Row | None = None
    declined: tuple[Row, ...] = ()
    details: tuple[Group, ...] = ()
    trail: tuple[TrailRow, ...] = ()
    trail_sums: tuple[Row, ...] = ()
    statement: Statement | None = None
    is_statement: bool = field(default=False)


def describe(bill: Bill, *, details: bool = False, trail: bool = False) -> BillView:
    """The view of ``bill`` every renderer lays out."""
    words = Words(bill.locale, bill.currency)
    entries = {entry.id: entry for entry in bill.ledger.entries}
    refused = _refused_lines(bill, entries)
    common = dict(
        lang=bill.locale.replace("_", "-"),
        title=words.title(bill.kind),
        situation=words.situation(bill),
        facts=_facts(bill, words),
        seller=_party(bill.seller, words),
        customer=_party(bill.customer, words),
        words={key: words(key) for key in _FIXED_KEYS},
        trail=_trail(bill, entries, words, refused) if trail else (),
    )
    if bill.is_statement:
        return BillView(**common, statement=_statement(bill, words), is_statement=True,
                        trail_sums=_trail_sums(bill, entries, words, refused) if trail else ())
    return BillView(
        **common,
        face=tuple(_row(line.label, words.money(line.amount)) for line in bill.face),
        total=Row(words("total"), words.money(bill.total or ZERO)),
        payments=tuple(
            _row(line.label, words.money(-line.amount)) for line in (*bill.payments, *bill.transfers)
        ),
        balance=_balance(bill, words),
        declined=tuple(
            _row(line.label, words.money(line.amount), note=words("not_charged"))
            for index, line in enumerate(bill.declined) if index not in refused
        ),
        details=_details(bill, entries, words) if details else (),
        trail_sums=_trail_sums(bill, entries, words, refused) if trail else (),
    )


_FIXED_KEYS = (
    "total", "paid", "balance_due", "declined", "not_charged", "details", "trail", "entry",
    "text", "went_to", "amount", "balance", "date", "opening_balance", "money_in", "money_out",
    "closing_balance", "movements", "checks", "check_number", "missing", "summary", "payments",
    "from", "to", "item", "about",
)


def _row(label: str, amount: str, note: str = "", date: str = "") -> Row:
    text = clean_text(label)
    return Row(text, amount, note, date, is_rtl(text))


def _balance(bill: Bill, words: Words) -> Row:
    balance = bill.balance_due or ZERO
    if balance < 0:
        return Row(words("credit"), words.money(-balance))
    return Row(words("balance_due"), words.money(balance))


def _facts(bill: Bill, words: Words) -> tuple[tuple[str, str], ...]:
    facts = []
    if bill.number:
        facts.append((words("number"), clean_text(bill.number, limit=80)))
    if bill.date:
        facts.append((words("date"), words.date(bill.date)))
    if bill.period and (bill.period.start or bill.period.end):
        name = "stay" if bill.kind.value == "hotel_folio" else "period"
        facts.append((words(name), words.period(bill.period.start, bill.period.end)))
    if bill.due and not bill.is_statement:
        facts.append((words("due"), words.date(bill.due)))
    if bill.customer and bill.customer.account:
        facts.append((words("account"), clean_text(bill.customer.account, limit=80)))
    return tuple(facts)


def _party(party: Party | None, words: Words) -> tuple[str, ...]:
    if party is None:
        return ()
    lines = [party.name, *party.address, party.phone, party.email]
    if party.tax_id:
        lines.append(f"{words('tax_id')} {party.tax_id}")
    return tuple(text for text in (clean_text(line, limit=200) for line in lines) if text)


def _details(bill: Bill, entries: dict[str, Entry], words: Words) -> tuple[Group, ...]:
    return tuple(
        Group(
            heading=clean_text(line.label),
            amount=words.money(line.amount),
            rows=tuple(_entry_row(entries[name], words) for name in line.entries if name in entries),
        )
        for line in bill.face
    )


def _entry_row(entry: Entry, words: Words) -> Row:
    note = ""
    if entry.qty is not None and entry.unit_price is not None:
        unit = f" {clean_text(entry.unit, limit=20)}" if entry.unit else ""
        note = f"{words.number(entry.qty)}{unit} × {words.unit_price(entry.unit_price)}"
    return _row(entry.name, words.money(entry.amount), note=note, date=words.short_date(entry.date))


_SETTLEMENTS = frozenset({EntryKind.payment, EntryKind.transfer})


def _refused_lines(bill: Bill, entries: dict[str, Entry]) -> frozenset[int]:
    """The declined lines made only of payments or transfers (a card declined
    at the counter): no money moved, and nothing the customer said no to, so
    they are not listed with the work turned down (the trail still shows them)."""
    return frozenset(
        index for index, line in enumerate(bill.declined)
        if line.entries and all(name in entries and entries[name].kind in _SETTLEMENTS
                                for name in line.entries)
    )


def _trail(bill: Bill, entries: dict[str, Entry], words: Words,
           refused: frozenset[int]) -> tuple[TrailRow, ...]:
    rows = []
    for step in bill.trail:
        entry = entries.get(step.entry)
        if entry is None:
            continue
        rows.append(
            TrailRow(
                entry=clean_text(step.entry, limit=40),
                date=words.short_date(entry.date),
                text=clean_text(entry.text),
                amount=words.money(entry.amount),
                to=_destination(bill, step.to, step.line, words, refused),
            )
        )
    return tuple(rows)


def _destination(bill: Bill, to: str, line: int | None, words: Words, refused: frozenset[int]) -> str:
    parts: dict[str, tuple[Line, ...]] = {
        "face": bill.face, "payments": bill.payments, "transfers": bill.transfers,
        "declined": bill.declined,
    }
    if bill.is_statement and to == "face" and line is not None:
        return f"{words('movements')} {line + 1}"
    if to in parts and line is not None and line < len(parts[to]):
        label = clean_text(parts[to][line].label)
        if to == "face":
            return label
        if to == "declined":
            return words("refused") if line in refused else f"{words('declined')}: {label}"
        return f"{words('paid' if to == 'payments' else 'transferred')}: {label}"
    if to == "declined" and line is None:  # a statement's declined movement
        return words("refused")
    return words(to) if to in ("void", "reversal") else to


def _trail_sums(bill: Bill, entries: dict[str, Entry], words: Words,
                refused: frozenset[int]) -> tuple[Row, ...]:
    """The entries' amounts summed by where they went: these tie the trail to the bill."""
    sums: dict[str, Decimal] = {}
    for step in bill.trail:
        entry = entries.get(step.entry)
        if entry is not None:
            # A declined payment or transfer is no work said no to.
            to = step.to
            if to == "declined" and (step.line is None or step.line in refused):
                to = "refused"
            sums[to] = sums.get(to, ZERO) + entry.amount
    # A statement's face is its register: its movements add up to the change of balance.
    first = "movements" if bill.is_statement else "sum_face"
    rows = [Row(words(first), words.money(sums.get("face", ZERO)))]
    for to in ("payments", "transfers", "declined", "refused", "void", "reversal"):
        if to in sums:
            rows.append(Row(words(f"sum_{to}"), words.money(sums[to])))
    return tuple(rows)



def _statement(bill: Bill, words: Words) -> Statement:
    money_out = bill.money_out or ZERO
    return Statement(
        summary=(
            Row(words("opening_balance"), words.money(bill.opening_balance or ZERO)),
            Row(words("money_in"), words.money(bill.money_in or ZERO)),
            Row(words("money_out"), words.money(-abs(money_out))),
            Row(words("closing_balance"), words.money(bill.closing_balance or ZERO)),
        ),
        movements=tuple(
            Movement(
                date=words.short_date(movement.date),
                label=clean_text(movement.label),
                amount=words.money(movement.amount),
                balance=words.money(movement.balance),
                number=clean_text(movement.number, limit=20),
            )
            for movement in bill.movements
        ),
        checks=tuple(
            Check(
                number=clean_text(check.number, limit=20),
                date=words.short_date(check.date),
                label=clean_text(check.label),
                amount=words.money(-check.amount if check.amount < 0 else check.amount),
            )
            for check in bill.checks
        ),
        missing=words.missing_checks(bill.missing_checks),  # cleaned there, as it names them
    )
