"""Check a ledger: does every figure reconcile?  The accountant's view.

Each check is a small function ``(ledger, bill) -> findings``, listed in
``CHECKS``.  Errors mean the ledger does not reconcile; warnings point at
something worth a look that does not change a total.

Rounding: a tax's ``rate`` × ``base`` is expected to have been rounded once,
to the nearest minor unit of the currency, half-up (the commercial default).
Any other figure less than a whole minor unit off is a warning: the source
rounded another way (half-even, down, through binary floating point).  So
is one the ledger's charges could have come to had the tax been rounded line
by line (a ledger of n charges: up to n half units off), as US sellers may
elect.  More is an error.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterable
from decimal import ROUND_HALF_UP, Decimal, localcontext
from itertools import repeat

from pydantic import BaseModel, ConfigDict

from billformat.bill import Bill
from billformat.collapse import collapse, correction_roots
from billformat.einvoice_rules import EINVOICE_CHECKS, is_einvoice
from billformat.errors import Finding, Severity
from billformat.model import Entry, EntryKind, Ledger, Status, entry_index
from billformat.money import EXACT, ZERO, fixed, minor_unit

Check = Callable[[Ledger, Bill], Iterable[Finding]]


class Report(BaseModel):
    """Whether a ledger reconciles, and everything ``check`` found."""

    model_config = ConfigDict(frozen=True, defer_build=True)  # built when first validated

    file: str | None = None
    findings: tuple[Finding, ...] = ()

    @property
    def ok(self) -> bool:
        """True exactly when no finding is an error."""
        return not any(finding.severity is Severity.error for finding in self.findings)

    def to_json(self) -> dict:
        """The reconciliation as INTERFACE.md gives it for ``check --json``."""
        return {
            "file": self.file,
            "ok": self.ok,
            "findings": [finding.model_dump(mode="json") for finding in self.findings],
        }


def check(ledger: Ledger) -> Report:
    """Every finding about ``ledger``: stated figures, arithmetic, invariants."""
    bill = collapse(ledger)
    # The EN 16931 rules find nothing on a ledger that is no e-invoice: asked once, not once a rule.
    skipped = frozenset() if is_einvoice(ledger) else _EINVOICE_ONLY
    with localcontext(EXACT):  # products of the largest figures, exact
        findings = [finding for rule in CHECKS if rule not in skipped for finding in rule(ledger, bill)]
    return Report(file=ledger.source, findings=tuple(findings))


def _error(code: str, message: str, entry: str | None = None) -> Finding:
    return Finding.make(Severity.error, code, message, entry)


def _warning(code: str, message: str, entry: str | None = None) -> Finding:
    return Finding.make(Severity.warning, code, message, entry)


# ---------------------------------------------------------------------------
# What the source printed, against what the entries add up to


def check_stated_figures(ledger: Ledger, bill: Bill) -> Iterable[Finding]:
    """Each ``stated`` figure the source printed, against billformat's own."""
    stated = ledger.stated
    money = lambda value: fixed(value, ledger.currency)  # noqa: E731
    if bill.is_statement:
        pairs = [("closing_balance", "a closing balance", stated.closing_balance, bill.closing_balance,
                  "the opening balance and the movements come to")]
    else:
        pairs = [
            ("total", "a total", stated.total, bill.total, "its entries add up to"),
            ("paid", "an amount paid", stated.paid, bill.paid, "its payments add up to"),
            ("balance", "a balance", stated.balance, bill.balance_due,
             "the total less payments and transfers is"),
        ]
    for name, what, given, computed, how in pairs:
        if given is not None and computed is not None and given != computed:
            yield _error(
                f"stated-{name.replace('_', '-')}",
                f"the ledger states {what} of {money(given)}; {how} {money(computed)}",
            )


# ---------------------------------------------------------------------------
# The arithmetic inside entries


class EntryFigures:
    """What the per-entry checks need, worked out in one walk over the entries.

    ``mispriced``: each entry whose qty × unit_price, rounded half-up to the
    currency, is not its amount, with that product; ``mistaxed``: each tax
    entry whose rate × base, rounded half-up, is not its amount, with the
    exact product; ``counted``: the sum of the billed entries, in
    ledger order; ``trail_in_order``: whether the bill's trail names each
    entry in ledger order, one step an entry.  A million-line ledger is then
    walked once, not once a check; the walk is kept with the ledger (and the
    entries and trail it was made of).
    """

    __slots__ = ("counted", "mispriced", "mistaxed", "trail_in_order", "based", "up", "down", "declined")

    def __init__(self, mispriced: list[tuple[Entry, Decimal]], mistaxed: list[tuple[Entry, Decimal]],
                 counted: Decimal, trail_in_order: bool, based: list[Entry] = (),
                 up: Decimal = ZERO, down: Decimal = ZERO, declined: Decimal = ZERO) -> None:
        self.mispriced = mispriced
        self.mistaxed = mistaxed
        self.counted = counted
        self.trail_in_order = trail_in_order
        # For check_tax_base: the billed taxes with a base; the billed charges
        # and taxes above zero and below it, summed apart; the declined ones.
        self.based = based
        self.up = up
        self.down = down
        self.declined = declined


_FIGURES = "_entry_figures"  # where a ledger keeps its EntryFigures, with its entries and trail


def entry_figures(ledger: Ledger, bill: Bill) -> EntryFigures:
    """The ``EntryFigures`` of ``ledger`` and the ``bill`` made of it, made on first use."""
    entries, trail = ledger.entries, bill.trail
    kept = ledger.__dict__.get(_FIGURES)
    if kept is not None and kept[0] is entries and kept[1] is trail:
        return kept[2]
    unit = minor_unit(ledger.currency)
    billed, tax = Status.billed, EntryKind.tax
    mispriced: list[tuple[Entry, Decimal]] = []
    mistaxed: list[tuple[Entry, Decimal]] = []
    counted = up = down = declined = ZERO
    based: list[Entry] = []
    in_order = len(trail) == len(entries)
    for entry, step in zip(entries, trail if in_order else repeat(None)):
        amount = entry.amount
        kind = entry.kind
        status = entry.status
        if status is billed:
            counted += amount
            if kind in _BASE_KINDS:
                if amount > 0:
                    up += amount
                else:
                    down += amount
        elif status is Status.declined and kind in _BASE_KINDS:
            declined += amount
        qty = entry.qty
        if qty is not None:
            price = entry.unit_price
            if price is not None:
                expected = (qty * price).quantize(unit, rounding=ROUND_HALF_UP)
                if expected != amount and abs(expected) != abs(amount):  # the sign is no error
                    mispriced.append((entry, expected))
        if kind is tax:
            rate, base = entry.rate, entry.base
            if base is not None and status is billed:
                based.append(entry)
            if rate is not None and base is not None:
                exact = base * rate / 100
                if abs(exact).quantize(unit, rounding=ROUND_HALF_UP) != abs(amount):
                    mistaxed.append((entry, exact))
        # Identity: collapse gives each step its entry's own id string.  An
        # equal string that is another object only sends check_trail_complete
        # the slow, complete way.
        if in_order and step.entry is not entry.id:
            in_order = False
    figures = EntryFigures(mispriced, mistaxed, counted, in_order, based, up, down, declined)
    # Kept in the instance's dict beside the fields, as entry_index keeps its
    # index: pydantic's dump, equality and repr look at fields only.
    ledger.__dict__[_FIGURES] = (entries, trail, figures)
    return figures


def check_quantity_price(ledger: Ledger, bill: Bill) -> Iterable[Finding]:
    """qty × unit_price, rounded half-up to the currency, equals the amount."""
    for entry, expected in entry_figures(ledger, bill).mispriced:
        counts = entry.status is Status.billed
        make = _error if counts else _warning
        yield make(
            "qty-price",
            f"{_plain(entry.qty)} × {_plain(entry.unit_price)} is "
            f"{fixed(expected, ledger.currency)}, but the amount is "
            f"{fixed(abs(entry.amount), ledger.currency)}",
            entry.id,
        )


def check_tax_rate(ledger: Ledger, bill: Bill) -> Iterable[Finding]:
    """A tax's rate × base, rounded once to the currency, equals its amount.

    An EN 16931 e-invoice is held to its own rules instead (BR-CO-17, BR-S-09).
    """
    if is_einvoice(ledger):
        return
    unit = minor_unit(ledger.currency)
    charges: list[Decimal] | None = None  # the charges a tax could be on, gathered if needed
    for entry, exact in entry_figures(ledger, bill).mistaxed:
        gap = abs(abs(exact) - abs(entry.amount))
        shown = (f"{_plain(entry.rate)}% of {fixed(entry.base, ledger.currency)} is "
                 f"{_plain(exact.normalize())}, but the tax is {fixed(abs(entry.amount), ledger.currency)}")
        if gap < unit:
            yield _warning("tax-rounding", f"{shown}: rounded another way than half-up to the nearest "
                                           f"{fixed(unit, ledger.currency)}", entry.id)
            continue
        if charges is None:
            charges = _charges(ledger)
        if gap <= _lines_in(entry.base, charges) * unit / 2:
            yield _warning("tax-rounding", f"{shown}: rounded line by line, not once on the whole",
                           entry.id)
        else:
            yield (_error if entry.status is Status.billed else _warning)("tax-rate", shown, entry.id)


_CHARGES = frozenset({EntryKind.item, EntryKind.labor, EntryKind.fee, EntryKind.discount})
# What a tax's base can be made of: the charges, and other taxes (a VAT base
# holds the duties before it, VAT Directive Art. 78).
_BASE_KINDS = _CHARGES | {EntryKind.tax}


def check_tax_base(ledger: Ledger, bill: Bill) -> Iterable[Finding]:
    """A tax's base is no more than the billed charges it can be on.

    Work the customer declined is never in any figure, its tax included: a
    base that holds it taxes the customer for work not done (the tire shop
    of the mission).  An EN 16931 e-invoice is held to its own rules.
    """
    if is_einvoice(ledger):
        return
    figures = entry_figures(ledger, bill)
    if not figures.based:
        return
    half = minor_unit(ledger.currency) / 2
    for entry in figures.based:
        base = entry.base
        # Everything billed of the base's sign, but the tax itself.
        room = figures.up if base >= 0 else -figures.down
        if (entry.amount > 0) == (base >= 0) and entry.amount != 0:
            room -= abs(entry.amount)
        excess = abs(base) - room
        if excess <= half:
            continue
        message = (f"its base {fixed(abs(base), ledger.currency)} is more than all the billed charges "
                   f"it can be on ({fixed(room, ledger.currency)})")
        declined = abs(figures.declined)
        if declined and excess <= declined + half:
            message += (f": it seems to hold declined work ({fixed(declined, ledger.currency)} "
                        f"declined), which is never taxed")
        yield _error("tax-base", message, entry.id)


def _charges(ledger: Ledger) -> list[Decimal]:
    """The amounts of the billed charges a tax could have been worked out on."""
    return [entry.amount for entry in ledger.entries
            if entry.status is Status.billed and entry.kind in _CHARGES and entry.taxable is not False]


def _lines_in(base: Decimal, charges: list[Decimal]) -> int:
    """At most how many of ``charges`` a tax's ``base`` can be the sum of:
    rounding the tax line by line can be off by half a unit for each.

    The charges of the base's sign that fit in it, smallest first, once the
    opposite charges in it (discounts, corrections) have made room, and
    those opposite charges themselves.  A base of one 289.00 room night is
    one line, even on a folio of a hundred charges.
    """
    sign = 1 if base >= 0 else -1
    along = sorted(amount * sign for amount in charges if amount * sign > 0)
    against = [-amount * sign for amount in charges if amount * sign < 0]
    room = abs(base) + sum(against)
    count = 0
    for amount in along:
        room -= amount
        if room < 0:
            break
        count += 1
    return max(count, 1) + len(against)


def check_reversals(ledger: Ledger, bill: Bill) -> Iterable[Finding]:
    """A correction takes away no more than the entry it corrects."""
    taken: Counter[str] = Counter()
    roots: dict[str, Entry] = {}
    correcting = entry_index(ledger).correcting  # the entries that reverse one, in order
    for position, root in zip(correcting, correction_roots(ledger)):
        entry = ledger.entries[position]
        if entry.status is Status.billed:
            roots[root.id] = root
            taken[root.id] += entry.amount
    for root_id, change in taken.items():
        root = roots[root_id]
        net = root.amount + change
        if root.amount != 0 and (net * root.amount < 0):
            yield _warning(
                "reversal-exceeds",
                f"its corrections ({fixed(change, ledger.currency)}) take away more than its "
                f"{fixed(root.amount, ledger.currency)}",
                root_id,
            )


# ---------------------------------------------------------------------------
# Invariants of billformat itself: these must never fire


def check_face_adds_up(ledger: Ledger, bill: Bill) -> Iterable[Finding]:
    """The face lines add to the total; total − paid − transferred = balance due."""
    if bill.is_statement:
        return
    face = sum((line.amount for line in bill.face), ZERO)
    if face != bill.total:
        yield _error("face-sum", f"the face lines add up to {face}, not the total {bill.total}")
    if sum((line.amount for line in bill.payments), ZERO) != bill.paid:
        yield _error("paid-sum", "the payments do not add up to the amount paid")
    if bill.total - bill.paid - bill.transferred != bill.balance_due:
        yield _error("balance-due", "total less paid and transferred is not the balance due")
    counted = entry_figures(ledger, bill).counted
    if counted != bill.balance_due:
        yield _error("ledger-sum", f"the counted entries add up to {counted}, "
                                   f"not the balance due {bill.balance_due}")


def check_statement_adds_up(ledger: Ledger, bill: Bill) -> Iterable[Finding]:
    """Opening + money in − money out = closing, and so does the running balance."""
    if not bill.is_statement:
        return
    computed = bill.opening_balance + bill.money_in - bill.money_out
    if computed != bill.closing_balance:
        yield _error("statement-sum", "opening + money in − money out is not the closing balance")
    last = bill.movements[-1].balance if bill.movements else bill.opening_balance
    if last != bill.closing_balance:
        yield _error("running-balance", "the running balance does not end at the closing balance")


def check_trail_complete(ledger: Ledger, bill: Bill) -> Iterable[Finding]:
    """Every ledger entry is accounted for exactly once."""
    if entry_index(ledger).unique_ids and entry_figures(ledger, bill).trail_in_order:
        return  # the trail names each entry once, in ledger order: the plain case, seen in the walk
    seen = Counter(step.entry for step in bill.trail)
    for entry in ledger.entries:
        if seen[entry.id] != 1:
            yield _error("trail", f"appears {seen[entry.id]} times in the trail", entry.id)
    extra = set(seen) - {entry.id for entry in ledger.entries}
    for name in sorted(extra):
        yield _error("trail", "is in the trail but not in the ledger", name)


def _plain(value: Decimal) -> str:
    return format(value.normalize(), "f")


CHECKS: tuple[Check, ...] = (
    check_stated_figures,
    check_quantity_price,
    check_tax_rate,
    check_tax_base,
    check_reversals,
    check_face_adds_up,
    check_statement_adds_up,
    check_trail_complete,
    *EINVOICE_CHECKS,
)
_EINVOICE_ONLY = frozenset(EINVOICE_CHECKS)
