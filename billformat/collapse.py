"""Collapse a ledger into the bill a customer reads.

The rules, in the order they apply:

1. Declined entries count toward nothing; each is listed once as turned down.
   Void entries count toward nothing and are not shown.
2. A reversal counts against the entry it reverses (following chains of
   corrections back to the original).  A full correction and its original
   leave the bill together; a partial one nets on the original's line.
3. Every other charge lands on one face line: the group the ledger names,
   else its kind's default group for this kind of ledger (``DEFAULT_GROUPS``).
   Face lines come in a natural order: goods, labor and service, fees,
   discounts, taxes, rounding.
4. Payments and transfers follow the total; balance due = total − paid −
   transferred.
5. A statement instead gets its opening and closing balance, money in and
   out, the movements by date with the running balance, and the checks by
   number with the gaps in their run.

Every entry is accounted for exactly once in the bill's ``trail``.
"""

from __future__ import annotations

import re
import weakref
from collections.abc import Callable, Iterable
from decimal import Decimal

from billformat.bill import Bill, CheckLine, FaceLine, Line, Movement, TrailStep
from billformat.build import construct, gc_paused, trusted
from billformat.i18n import translator
from billformat.model import Entry, EntryKind, Ledger, LedgerKind, Status, entry_index
from billformat.money import ZERO, is_locale, minor_unit


def _(message: str) -> str:
    """Mark a message for extraction; it is translated when the bill is made."""
    return message


# The face line each kind of charge goes to when the entry names no group:
# (key, label), by ledger kind.  Keys order the face (see RANKS).
_GOODS = ("goods", _("Goods"))
_SERVICE = ("labor", _("Service"))
_FEES = ("fees", _("Fees"))
_TAXES = ("taxes", _("Taxes"))
_DISCOUNTS = ("discounts", _("Discounts"))
_ROUNDING = ("rounding", _("Rounding"))

_COMMON = {
    EntryKind.item: _GOODS,
    EntryKind.labor: _SERVICE,
    EntryKind.fee: _FEES,
    EntryKind.tax: _TAXES,
    EntryKind.discount: _DISCOUNTS,
    EntryKind.rounding: _ROUNDING,
}

DEFAULT_GROUPS: dict[LedgerKind, dict[EntryKind, tuple[str, str]]] = {
    LedgerKind.sale: _COMMON,
    LedgerKind.repair_order: {
        **_COMMON,
        EntryKind.item: ("goods", _("Parts")),
        EntryKind.labor: ("labor", _("Labor and service")),
        EntryKind.fee: ("labor", _("Labor and service")),
    },
    LedgerKind.hotel_folio: {**_COMMON, EntryKind.item: ("goods", _("Charges"))},
    LedgerKind.phone_bill: {
        **_COMMON,
        EntryKind.item: ("goods", _("Services and equipment")),
        EntryKind.labor: ("goods", _("Services and equipment")),
        EntryKind.fee: ("fees", _("Company fees")),
        EntryKind.tax: ("taxes", _("Taxes and government fees")),
    },
}

# Where a kind of charge stands on the face; a named group stands where its
# first charge's kind would.
RANKS = {
    EntryKind.item: 0,
    EntryKind.labor: 1,
    EntryKind.fee: 2,
    EntryKind.discount: 3,
    EntryKind.tax: 4,
    EntryKind.rounding: 5,
}

_SETTLEMENTS = {EntryKind.payment: "payments", EntryKind.transfer: "transfers"}

# "VISA XXXX1234", "Mastercard ****4417", "AMEX ending 1005"
_CARD = re.compile(
    r"\b(visa|mastercard|master card|mc|amex|american express|discover|diners|jcb|maestro"
    r"|debit card|credit card|card)\b[^0-9]*?(?:[x*•]{2,}[\s-]*|ending\s+(?:in\s+)?)(\d{4})\b",
    re.IGNORECASE,
)
_CARD_NAMES = {"mc": "Mastercard", "master card": "Mastercard", "amex": "American Express"}
_PAYMENT_WHAT = re.compile(r"\b(deposit|advance payment|pre-?payment|refund(?:ed)?)\b", re.IGNORECASE)
_DEPOSIT = _("{payment} (deposit)")
_REFUND = _("{payment} (refund)")

# A jump of more than this many numbers between two checks starts a new
# checkbook rather than naming every number in between as missing.
MAX_CHECK_GAP = 50


def collapse(ledger: Ledger, *, locale: str | None = None) -> Bill:
    """The bill a customer reads, from ``ledger``.

    ``locale`` overrides the ledger's own for the bill's words and formats.
    """
    if locale is not None and not is_locale(locale.replace("-", "_")):
        raise ValueError(f'"{locale}" is not a known locale')
    chosen = (locale or ledger.locale).replace("-", "_")
    own = chosen == ledger.locale
    if own:
        kept = ledger.__dict__.get(_KEPT)
        bill = kept.get() if kept is not None else None
        if bill is not None and bill.ledger is ledger:
            return bill
    with gc_paused(kept=True):
        bill = _statement(ledger, chosen) if ledger.is_statement else _bill(ledger, chosen)
    if own:
        ledger.__dict__[_KEPT] = _WeakBill(bill)
    return bill


# A ledger remembers, weakly, the bill collapse last made of it in its own
# locale: ``check`` after ``collapse`` (what render-and-check, and every
# large pipeline, does) then reuses the bill while the caller holds it,
# instead of making a second one of the same size.  Weak, so a ledger never
# keeps a bill alive; bills are frozen, so sharing one is safe.
_KEPT = "_bill"


class _WeakBill:
    """A weak reference to a bill, kept in a ledger's dict beside its fields.

    Compared by identity, so pydantic compares two such ledgers field by
    field; pickled and deep-copied empty (a weak reference cannot be).
    """

    __slots__ = ("reference",)

    def __init__(self, bill: Bill | None = None) -> None:
        self.reference = weakref.ref(bill) if bill is not None else None

    def get(self) -> Bill | None:
        return self.reference() if self.reference is not None else None

    def __reduce__(self) -> tuple:
        return (_WeakBill, ())


# ---------------------------------------------------------------------------
# Bills


class _Section:
    """Lines being built for one part of the bill (face, payments...).

    A line keeps what its ``Line`` needs as it grows: the count of families
    (an original with its corrections), the first family's original, the
    running amount and the ids of the entries behind it.
    """

    def __init__(self) -> None:
        self.lines: list[dict] = []
        self.index: dict[str, int] = {}

    def add(self, key: str, label: str, root: Entry, names: tuple[str, ...], net: Decimal,
            rank: int = 0) -> int:
        number = self.index.get(key)
        if number is None:
            number = self.index[key] = len(self.lines)
            self.lines.append({"key": key, "label": label, "families": 0, "root": root,
                               "amount": ZERO, "entries": [], "rank": rank})
        line = self.lines[number]
        line["families"] += 1
        line["amount"] += net
        line["entries"].extend(names)
        if rank < line["rank"]:
            line["rank"] = rank
        return number


def _families(ledger: Ledger) -> dict[int, list[int]]:
    """The originals that billed corrections correct, by position, each with
    its family: the positions of the original (when billed) and of its
    corrections, in ledger order.

    An entry that corrects nothing and is corrected by nothing is a family
    of its own and is not listed, so a plain ledger costs one scan.
    """
    index = entry_index(ledger)
    targets, where, correcting = index.targets, index.where, index.correcting
    if not targets:
        return {}
    entries = ledger.entries
    families: dict[int, list[int]] = {}
    for position, root in zip(correcting, correction_roots(ledger)):
        entry = entries[position]
        if entry.status is Status.billed and root is not entry:
            families.setdefault(where[root.id], []).append(position)
    for root, members in families.items():
        if entries[root].status is Status.billed:
            members.append(root)
            members.sort()
    return families


def reversal_targets(ledger: Ledger) -> dict[str, Entry]:
    """The entries that another entry ``reverses``, by id: all ``original_of`` needs.

    Much smaller than every entry by id, and made once a ledger (see
    ``EntryIndex``), so a million-line ledger's ids are not hashed again.
    """
    return entry_index(ledger).targets


def correction_roots(ledger: Ledger) -> list[Entry]:
    """For each entry that reverses another (``EntryIndex.correcting``), the
    original at the end of its chain; worked out once a ledger."""
    index = entry_index(ledger)
    if index.roots is None:
        entries = ledger.entries
        known: dict[str, Entry] = {}  # each chain of corrections is walked once
        index.roots = [original_of(entries[position], index.targets, known)
                       for position in index.correcting]
    return index.roots


def original_of(entry: Entry, by_id: dict[str, Entry], known: dict[str, Entry]) -> Entry:
    """The entry at the end of ``entry``'s chain of ``reverses``.

    ``known`` remembers the answer for every entry walked, so resolving all
    the entries of a ledger is linear even for one long chain.
    """
    path: list[str] = []
    current = entry
    while (current.id not in known and current.reverses is not None
           and current.reverses in by_id and len(path) <= len(by_id)):
        path.append(current.id)
        current = by_id[current.reverses]
    root = known.get(current.id, current)
    known.update(dict.fromkeys(path, root))
    known.setdefault(current.id, root)
    return root


def _bill(ledger: Ledger, locale: str) -> Bill:
    translate = translator(locale)
    defaults = DEFAULT_GROUPS[ledger.kind]
    unit = minor_unit(ledger.currency)
    families = _families(ledger)
    corrections = {position for members in families.values() for position in members}
    gathered = families  # by the position of their original
    entries = ledger.entries

    face = _Section()
    settlements = {"payments": _Section(), "transfers": _Section()}
    # Where each billed entry went, as (part, line), by position; the pairs are shared.
    placed: list[tuple[str, int | None] | None] = [None] * len(entries)
    targets: dict[tuple[str, int | None], tuple[str, int | None]] = {}
    labels: dict[tuple[str | None, EntryKind], tuple[str, str]] = {}
    # A group the ledger names as one of the face's own lines ("Taxes") is that line.
    own_lines = {translate(label).casefold(): (key, translate(label)) for key, label in defaults.values()}
    billed = Status.billed
    ids: list[str] = []  # so the trail is made without looking at every entry again
    for position, entry in enumerate(entries):
        # Each field is read once: an entry's attributes take pydantic's
        # slower look-up, and a million entries are out of the caches.
        name = entry.id
        ids.append(name)
        # Families come in the order of their originals; a correction
        # is placed with its original's family.
        family = gathered.get(position) if gathered else None
        if family is None:
            status = entry.status
            if status is not billed:
                placed[position] = _VOID if status is Status.void else _DECLINED
                continue
            if position in corrections:
                continue
            family = (position,)
            names: tuple[str, ...] = (name,)
            net = entry.amount  # a line adds it to its amount, which starts at ZERO
        else:
            members = [entries[member] for member in family]
            names = tuple(member.id for member in members)
            net = _sum(member.amount for member in members)
        kind = entry.kind
        if len(names) > 1 and net == 0:
            target: tuple[str, int | None] = ("reversal", None)
        elif kind in _SETTLEMENTS:
            to = _SETTLEMENTS[kind]
            index = settlements[to].add(name, _settlement_label(entry, translate), entry, names, net)
            target = (to, index)
        else:
            grouping = (entry.group, kind)
            group = labels.get(grouping)
            if group is None:
                group = labels[grouping] = _face_group(entry, defaults, own_lines, translate)
            key, label = group
            target = ("face", face.add(key, label, entry, names, net, RANKS[kind]))
        target = targets.setdefault(target, target)
        for member in family:
            placed[member] = target

    order = sorted(range(len(face.lines)), key=lambda i: (face.lines[i]["rank"], i))
    renumber = {old: new for new, old in enumerate(order)}
    face_lines = tuple(_face_line(face.lines[i], defaults, unit) for i in order)
    payments = tuple(_settlement_line(line, unit) for line in settlements["payments"].lines)
    transfers = tuple(_settlement_line(line, unit) for line in settlements["transfers"].lines)

    # Declined work is listed once a job: the entries of one named group
    # (the pads, the rotors, the labor and the tax of "Front brakes") are one line.
    declined: list[list] = []  # [label, amount, entries]
    declined_groups: dict[str, int] = {}
    trail: list[TrailStep] = []
    add = trail.append
    for position, (name, target) in enumerate(zip(ids, placed)):
        if target is _VOID:
            add(_trail_step(name, "void", None, _STEP_WITHOUT_LINE))
        elif target is _DECLINED:
            entry = entries[position]
            job = entry.group.casefold() if entry.group else None
            index = declined_groups.get(job) if job else None
            if index is None:
                index = len(declined)
                declined.append([entry.group or entry.name, ZERO, []])
                if job:
                    declined_groups[job] = index
            declined[index][1] += entry.amount
            declined[index][2].append(name)
            add(_trail_step(name, "declined", index, _STEP_WITH_LINE))
        else:
            to, index = target
            if to == "face" and index is not None:
                index = renumber[index]
            add(_trail_step(name, to, index, _STEP_WITH_LINE))

    total = _sum(line.amount for line in face_lines).quantize(unit)
    paid = _sum(line.amount for line in payments).quantize(unit)
    transferred = _sum(line.amount for line in transfers).quantize(unit)
    return trusted(
        Bill,
        **_heading(ledger, locale),
        face=face_lines,
        total=total,
        payments=payments,
        paid=paid,
        transfers=transfers,
        transferred=transferred,
        balance_due=(total - paid - transferred).quantize(unit),
        declined=tuple(construct(Line, _LINE, (label, amount.quantize(unit), tuple(names)), _LINE_SET)
                       for label, amount, names in declined),
        trail=tuple(trail),
    )


# collapse makes one TrailStep an entry (and a Line a declined entry, a
# Movement a statement entry) from values it has just computed, so it builds
# them without pydantic's validation, sharing one fields set per shape.
_VOID = ("void", None)  # markers in _bill's placements; compared by identity
_DECLINED = ("declined", None)
_STEP = ("entry", "to", "line")
_STEP_WITH_LINE = set(_STEP)
_STEP_WITHOUT_LINE = {"entry", "to"}
_LINE = ("label", "amount", "entries")
_LINE_SET = set(_LINE)
_MOVEMENT = ("date", "label", "amount", "balance", "entries", "number")
_MOVEMENT_SET = set(_MOVEMENT)


def _trail_step(entry: str, to: str, line: int | None, fields_set: set[str]) -> TrailStep:
    """``construct(TrailStep, _STEP, (entry, to, line), fields_set)``, spelt out:
    collapse makes one for every entry."""
    step = _new(TrailStep)
    _setattr(step, "entry", entry)
    _setattr(step, "to", to)
    _setattr(step, "line", line)
    _setattr(step, "__pydantic_fields_set__", fields_set)
    _setattr(step, "__pydantic_extra__", None)
    _setattr(step, "__pydantic_private__", None)
    return step


_new = object.__new__
_setattr = object.__setattr__


def _face_group(
    entry: Entry, defaults: dict[EntryKind, tuple[str, str]], own_lines: dict[str, tuple[str, str]],
    translate: Callable[[str], str],
) -> tuple[str, str]:
    if entry.group:
        named = entry.group.casefold()
        return own_lines.get(named) or (f"group:{named}", entry.group)
    key, label = defaults[entry.kind]
    return key, translate(label)


def _face_line(line: dict, defaults: dict, unit: Decimal) -> FaceLine:
    label = line["label"]
    if line["key"] == defaults[EntryKind.item][0] and line["families"] == 1 and not line["root"].group:
        # A single item is named by itself: "Michelin Pilot Sport 4", not "Parts"
        # (unless the ledger itself put it under "Parts").
        label = line["root"].name
    return trusted(
        FaceLine,
        key=line["key"],
        label=label,
        amount=line["amount"].quantize(unit),
        entries=tuple(line["entries"]),
    )


def _settlement_line(line: dict, unit: Decimal) -> Line:
    return trusted(
        Line,
        label=line["label"],
        amount=(-line["amount"]).quantize(unit),
        entries=tuple(line["entries"]),
    )


def _settlement_label(entry: Entry, translate: Callable[[str], str]) -> str:
    """A payment's plain name: its label, else "Visa ending 1234" from a card mask."""
    if entry.label:
        return entry.label
    match = _CARD.search(entry.text)
    if match:
        brand = match.group(1).lower()
        name = _CARD_NAMES.get(brand, brand.title() if len(brand) > 3 else brand.upper())
        if brand in {"card", "credit card", "debit card"}:
            name = translate(name.capitalize())
        label = translate(_("{card} ending {digits}")).format(card=name, digits=match.group(2))
        # What the payment was, when the text says: a deposit and the final
        # payment by one card are two lines, and should not read the same.
        what = _PAYMENT_WHAT.search(entry.text)
        if what:
            kind = _REFUND if what.group(1).lower().startswith("refund") else _DEPOSIT
            label = translate(kind).format(payment=label)
        return label
    return entry.text


def _sum(values: Iterable[Decimal]) -> Decimal:
    return sum(values, ZERO)


def _heading(ledger: Ledger, locale: str) -> dict:
    return {
        "kind": ledger.kind,
        "number": ledger.number,
        "currency": ledger.currency,
        "locale": locale,
        "date": ledger.date,
        "due": ledger.due,
        "period": ledger.period,
        "seller": ledger.seller,
        "customer": ledger.customer,
        "ledger": ledger,
    }


# ---------------------------------------------------------------------------
# Statements


def _statement(ledger: Ledger, locale: str) -> Bill:
    unit = minor_unit(ledger.currency)
    counted = [entry for entry in ledger.entries if entry.status is Status.billed]
    net = _sum(entry.amount for entry in counted)
    stated = ledger.stated
    if stated.opening_balance is not None:
        opening = stated.opening_balance
    elif stated.closing_balance is not None:
        opening = stated.closing_balance - net
    else:
        opening = ZERO

    movements: list[Movement] = []
    line_of: dict[str, int] = {}
    balance = opening
    for entry in _by_date(counted):
        balance += entry.amount
        line_of[entry.id] = len(movements)
        movements.append(construct(
            Movement, _MOVEMENT,
            (entry.date, entry.name, entry.amount.quantize(unit), balance.quantize(unit),
             (entry.id,), entry.number),
            _MOVEMENT_SET,
        ))

    trail = []
    for entry in ledger.entries:
        if entry.status is Status.billed:
            # A statement's face is its register: the step's line is the movement's index there.
            step = (entry.id, "face", line_of[entry.id])
            trail.append(construct(TrailStep, _STEP, step, _STEP_WITH_LINE))
        else:
            step = (entry.id, entry.status.value, None)
            trail.append(construct(TrailStep, _STEP, step, _STEP_WITHOUT_LINE))
    checks = sorted((entry for entry in counted if _is_check(entry)),
                    key=lambda entry: _check_order(entry.number))
    return trusted(
        Bill,
        **_heading(ledger, locale),
        opening_balance=opening.quantize(unit),
        money_in=_sum(e.amount for e in counted if e.amount > 0).quantize(unit),
        money_out=(-_sum(e.amount for e in counted if e.amount < 0)).quantize(unit),
        closing_balance=(opening + net).quantize(unit),
        movements=tuple(movements),
        checks=tuple(
            trusted(CheckLine, number=entry.number or "", date=entry.date, label=entry.name,
                    amount=entry.amount.quantize(unit), entries=(entry.id,))
            for entry in checks
        ),
        # A check the ledger records as void or declined was written, so it is no gap.
        missing_checks=tuple(missing_checks(entry.number for entry in ledger.entries
                                            if entry.number and _is_check(entry))),
        trail=tuple(trail),
    )


def _is_check(entry: Entry) -> bool:
    """A check: of kind ``check``, or a withdrawal with a check number.

    A deposit's number is its slip's (bank exports put both in one column,
    "Check or Slip #"), so it takes no place among the checks.
    """
    return entry.kind is EntryKind.check or (entry.kind is EntryKind.withdrawal and bool(entry.number))


def _by_date(entries: list[Entry]) -> list[Entry]:
    """Entries in date order; an undated entry keeps the date of the one before it."""
    keyed = []
    last = None
    for position, entry in enumerate(entries):
        last = entry.date or last
        keyed.append(((last.toordinal() if last else 0), position, entry))
    return [entry for *_, entry in sorted(keyed, key=lambda item: item[:2])]


def _check_order(number: str | None) -> tuple[int, int, str]:
    text = number or ""
    return (0, int(text), text) if _is_whole_number(text) else (1, 0, text)


def _is_whole_number(text: str) -> bool:
    """ASCII digits short enough for ``int`` (``²`` is a digit to ``isdigit``, not to ``int``)."""
    return text.isascii() and text.isdigit() and len(text) <= 30


def missing_checks(numbers: Iterable[str]) -> list[str]:
    """The check numbers absent from each run of numbers: ``1041, 1042, 1044`` → ``1043``.

    A jump of more than ``MAX_CHECK_GAP`` starts a new run (another checkbook).
    Numbers that are not whole numbers take no part.
    """
    written = {int(number): number for number in numbers if _is_whole_number(number)}
    values = sorted(written)
    missing: list[str] = []
    for low, high in zip(values, values[1:]):
        if high - low - 1 <= MAX_CHECK_GAP:
            width = len(written[low])
            missing.extend(str(n).zfill(width) for n in range(low + 1, high))
    return missing
