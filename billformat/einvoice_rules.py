"""The EN 16931 calculation rules, as checks on an e-invoice's ledger.

An e-invoice prints its own totals (BG-22) and VAT breakdown (BG-23); these
checks recompute them from the lines, allowances and charges, the way the
standard's rules (CEN/TC 434 schematron, ``ConnectingEurope/eInvoicing-EN16931``)
state them:

* BR-12..BR-15: the sum of line nets (BT-106), the total without VAT (BT-109),
  the total with VAT (BT-112) and the amount due (BT-115) are present;
* BR-CO-10: BT-106 = Σ line net amounts (BT-131);
* BR-CO-11 / BR-CO-12: BT-107 / BT-108 = Σ document allowances / charges;
* BR-CO-13: BT-109 = BT-106 (else Σ BT-131) − BT-107 + BT-108;
* BR-CO-14: BT-110 = Σ VAT category amounts (BT-117);
* BR-CO-15: BT-112 = BT-109 + BT-110, a missing BT-110 counting as 0 (and
  BT-110 is given in the document currency once: the readers refuse a
  document that gives it twice);
* BR-CO-16: BT-115 = BT-112 − BT-113 + BT-114 (+ XRechnung third-party
  payments, BT-DEX-002, read as transfers brought in);
* BR-CO-17: BT-117 = BT-116 × BT-119 / 100, rounded to two decimals, within
  less than one currency unit (as the CEN artefacts' UBL binding tests it);
* BR-S-08: for each standard-rated (``S``) rate, BT-116 = Σ line nets +
  Σ charges − Σ allowances at that rate (skipped when a line has no VAT
  category, as a group line or a line-less document's summary line);
* BR-S-09: for each standard-rated rate, BT-117 = BT-116 × BT-119 / 100,
  with BR-CO-17's tolerance;
* BR-Z-09, BR-E-09, BR-AE-09, BR-IC-09, BR-G-09, BR-O-09: the VAT amount
  (BT-117) of a zero-rated (``Z``), exempt (``E``), reverse-charge (``AE``),
  intra-community (``K``), export (``G``) or not-subject (``O``) breakdown
  is 0, exactly (BR-CO-17's tolerance would let 0.99 pass at 0%).

Sums are rounded half-up to two decimals before they are compared, as the
schematron's ``round(x * 100) div 100`` does.  The checks run only on a
ledger that carries EN 16931 totals (``is_einvoice``); the finding codes are
the rule ids.  A credit note's ledger is negated throughout; every rule is
linear, so it holds (or fails) just the same.

The ledger keeps the figures so: lines are ``item``/``labor`` entries,
allowances ``discount`` entries (negative), charges ``fee`` entries, the VAT
breakdown ``tax`` entries with ``base``, ``rate`` and ``category``;
``stated.total`` is what the bill's total shows, BT-112 plus the rounding
BT-114, so BT-112 is ``stated.total − stated.rounding``.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from billformat.bill import Bill
from billformat.errors import Finding, Severity
from billformat.model import Entry, EntryKind, Ledger, Stated, Status

ZERO = Decimal(0)
CENT = Decimal("0.01")
# BR-CO-17 and BR-S-09 as the CEN validation artefacts test them: the VAT
# amount may differ from base × rate by less than one currency unit (the UBL
# binding; the CII binding also lets exactly one unit pass), so an
# invoice in forint rounded to whole units, or one that rounded per line,
# still passes.
VAT_TOLERANCE = Decimal(1)

Rule = Callable[["Figures"], Iterable[Finding]]


@dataclass(frozen=True)
class Figures:
    """An e-invoice's figures, by their EN 16931 role, from its entries and stated totals."""

    lines: tuple[Entry, ...]
    allowances: tuple[Entry, ...]
    charges: tuple[Entry, ...]
    vat: tuple[Entry, ...]
    transfers: tuple[Entry, ...]
    stated: Stated

    @classmethod
    def of(cls, entries: Sequence[Entry], stated: Stated) -> Figures:
        counted = [entry for entry in entries if entry.status is Status.billed]

        def kinds(*wanted: EntryKind) -> tuple[Entry, ...]:
            return tuple(entry for entry in counted if entry.kind in wanted)

        return cls(
            lines=kinds(EntryKind.item, EntryKind.labor),
            allowances=kinds(EntryKind.discount),
            charges=kinds(EntryKind.fee),
            vat=kinds(EntryKind.tax),
            transfers=kinds(EntryKind.transfer),
            stated=stated,
        )

    @property
    def total_with_vat(self) -> Decimal | None:
        """BT-112, the total before the rounding BT-114."""
        if self.stated.total is None:
            return None
        return self.stated.total - (self.stated.rounding or ZERO)


def is_einvoice(ledger: Ledger) -> bool:
    """Whether the ledger carries the totals only an EN 16931 invoice prints."""
    stated = ledger.stated
    return not (stated.line_total is None and stated.allowance_total is None
                and stated.charge_total is None and stated.tax_exclusive is None
                and stated.tax_total is None and stated.rounding is None)


def round2(value: Decimal) -> Decimal:
    return value.quantize(CENT, rounding=ROUND_HALF_UP)


def _sum(entries: Iterable[Entry]) -> Decimal:
    return sum((entry.amount for entry in entries), ZERO)


def _show(value: Decimal) -> str:
    return format(round2(value), "f")


def _error(code: str, message: str, entry: str | None = None) -> Finding:
    return Finding.make(Severity.error, code, message, entry)


# ---------------------------------------------------------------------------
# BR-12 .. BR-15: the totals an invoice must give


def rule_br_12(figures: Figures) -> Iterable[Finding]:
    if figures.stated.line_total is None:
        yield _error("BR-12", "BR-12: the invoice gives no sum of invoice line net amounts (BT-106)")


def rule_br_13(figures: Figures) -> Iterable[Finding]:
    if figures.stated.tax_exclusive is None:
        yield _error("BR-13", "BR-13: the invoice gives no total amount without VAT (BT-109)")


def rule_br_14(figures: Figures) -> Iterable[Finding]:
    if figures.stated.total is None:
        yield _error("BR-14", "BR-14: the invoice gives no total amount with VAT (BT-112)")


def rule_br_15(figures: Figures) -> Iterable[Finding]:
    if figures.stated.balance is None:
        yield _error("BR-15", "BR-15: the invoice gives no amount due for payment (BT-115)")


# ---------------------------------------------------------------------------
# BR-CO-10 .. BR-CO-16: the document totals


def rule_br_co_10(figures: Figures) -> Iterable[Finding]:
    stated = figures.stated.line_total
    computed = round2(_sum(figures.lines))
    if stated is not None and stated != computed:
        yield _error("BR-CO-10", f"BR-CO-10: the sum of line net amounts (BT-106) is "
                                 f"{_show(stated)}; the lines add up to {_show(computed)}")


def rule_br_co_11(figures: Figures) -> Iterable[Finding]:
    yield from _sum_rule("BR-CO-11", "allowances", "BT-107", figures.stated.allowance_total,
                         -_sum(figures.allowances), bool(figures.allowances))


def rule_br_co_12(figures: Figures) -> Iterable[Finding]:
    yield from _sum_rule("BR-CO-12", "charges", "BT-108", figures.stated.charge_total,
                         _sum(figures.charges), bool(figures.charges))


def _sum_rule(code: str, what: str, term: str, stated: Decimal | None, computed: Decimal,
              any_given: bool) -> Iterable[Finding]:
    if stated is None:
        if any_given:
            yield _error(code, f"{code}: the invoice has document-level {what} but no sum of "
                               f"them ({term})")
    elif stated != round2(computed):
        yield _error(code, f"{code}: the sum of {what} on document level ({term}) is "
                           f"{_show(stated)}; the {what} add up to {_show(computed)}")


def rule_br_co_13(figures: Figures) -> Iterable[Finding]:
    stated = figures.stated
    if stated.tax_exclusive is None:
        return
    lines = stated.line_total if stated.line_total is not None else _sum(figures.lines)
    computed = round2(lines - (stated.allowance_total or ZERO) + (stated.charge_total or ZERO))
    if stated.tax_exclusive != computed:
        yield _error("BR-CO-13", f"BR-CO-13: the total without VAT (BT-109) is "
                                 f"{_show(stated.tax_exclusive)}; the sum of line nets less "
                                 f"allowances plus charges is {_show(computed)}")


def rule_br_co_14(figures: Figures) -> Iterable[Finding]:
    stated = figures.stated.tax_total
    if stated is None or not figures.vat:
        return
    computed = round2(_sum(figures.vat))
    if stated != computed:
        yield _error("BR-CO-14", f"BR-CO-14: the VAT total (BT-110) is {_show(stated)}; the VAT "
                                 f"breakdown adds up to {_show(computed)}")


def rule_br_co_15(figures: Figures) -> Iterable[Finding]:
    stated = figures.stated
    total = figures.total_with_vat
    if total is None or stated.tax_exclusive is None:
        return
    computed = round2(stated.tax_exclusive + (stated.tax_total or ZERO))
    if total != computed:
        yield _error("BR-CO-15", f"BR-CO-15: the total with VAT (BT-112) is {_show(total)}; the "
                                 f"total without VAT plus VAT is {_show(computed)}")


def rule_br_co_16(figures: Figures) -> Iterable[Finding]:
    stated = figures.stated
    total = figures.total_with_vat
    if stated.balance is None or total is None:
        return
    computed = round2(total - (stated.paid or ZERO) + (stated.rounding or ZERO)
                      + _sum(figures.transfers))
    if stated.balance != computed:
        yield _error("BR-CO-16", f"BR-CO-16: the amount due (BT-115) is {_show(stated.balance)}; "
                                 f"the total with VAT less paid plus rounding is {_show(computed)}")


# ---------------------------------------------------------------------------
# BR-CO-17, BR-S-08, BR-S-09: the VAT breakdown


def rule_br_co_17(figures: Figures) -> Iterable[Finding]:
    for vat in figures.vat:
        yield from _vat_amount("BR-CO-17", vat)


def rule_br_s_09(figures: Figures) -> Iterable[Finding]:
    for vat in figures.vat:
        if vat.category == "S":
            yield from _vat_amount("BR-S-09", vat)


def _vat_amount(code: str, vat: Entry) -> Iterable[Finding]:
    if vat.base is None or vat.rate is None:
        return
    computed = round2(vat.base * vat.rate / 100)
    if abs(vat.amount - computed) >= VAT_TOLERANCE:
        yield _error(code, f"{code}: the VAT amount (BT-117) is {_show(vat.amount)}; "
                           f"{format(vat.rate.normalize(), 'f')}% of {_show(vat.base)} is "
                           f"{_show(computed)}", vat.id)


def _zero_vat_rule(code: str, category: str, meaning: str) -> Rule:
    """BR-Z-09 and its kin: a ``category`` breakdown's VAT amount (BT-117) is 0."""

    def rule(figures: Figures) -> Iterable[Finding]:
        for vat in figures.vat:
            if vat.category == category and vat.amount != ZERO:
                yield _error(code, f"{code}: the VAT amount (BT-117) of category {category} "
                                   f"({meaning}) is {_show(vat.amount)}; it must be 0", vat.id)

    rule.__name__ = "rule_" + code.lower().replace("-", "_")
    rule.__doc__ = f"{code}: the VAT amount of a {meaning} breakdown ({category}) is 0."
    return rule


rule_br_z_09 = _zero_vat_rule("BR-Z-09", "Z", "zero rated")
rule_br_e_09 = _zero_vat_rule("BR-E-09", "E", "exempt from VAT")
rule_br_ae_09 = _zero_vat_rule("BR-AE-09", "AE", "VAT reverse charge")
rule_br_ic_09 = _zero_vat_rule("BR-IC-09", "K", "intra-community supply")
rule_br_g_09 = _zero_vat_rule("BR-G-09", "G", "export outside the EU")
rule_br_o_09 = _zero_vat_rule("BR-O-09", "O", "not subject to VAT")


def rule_br_s_08(figures: Figures) -> Iterable[Finding]:
    if any(line.category is None for line in figures.lines):
        return  # a line without its VAT category (a group line, a MINIMUM summary): not checkable
    for vat in figures.vat:
        if vat.category != "S" or vat.base is None or vat.rate is None:
            continue
        at_rate = [entry for entry in (*figures.lines, *figures.allowances, *figures.charges)
                   if entry.category == "S" and entry.rate is not None and entry.rate == vat.rate]
        computed = round2(_sum(at_rate))
        if vat.base != computed:
            yield _error(
                "BR-S-08",
                f"BR-S-08: the taxable amount at {format(vat.rate.normalize(), 'f')}% (BT-116) is "
                f"{_show(vat.base)}; the lines, allowances and charges at that rate come to "
                f"{_show(computed)}",
                vat.id,
            )


RULES: tuple[Rule, ...] = (
    rule_br_12, rule_br_13, rule_br_14, rule_br_15,
    rule_br_co_10, rule_br_co_11, rule_br_co_12, rule_br_co_13, rule_br_co_14,
    rule_br_co_15, rule_br_co_16, rule_br_co_17, rule_br_s_08, rule_br_s_09,
    rule_br_z_09, rule_br_e_09, rule_br_ae_09, rule_br_ic_09, rule_br_g_09, rule_br_o_09,
)


def check_figures(figures: Figures) -> list[Finding]:
    """Every EN 16931 calculation rule's findings on ``figures``."""
    return [finding for rule in RULES for finding in rule(figures)]


# ---------------------------------------------------------------------------
# The same rules as ``check`` checks: (ledger, bill) -> findings


def _as_check(rule: Rule) -> Callable[[Ledger, Bill], Iterable[Finding]]:
    def check_rule(ledger: Ledger, bill: Bill) -> Iterable[Finding]:
        if is_einvoice(ledger):
            yield from rule(Figures.of(ledger.entries, ledger.stated))

    check_rule.__name__ = rule.__name__.replace("rule_", "check_")
    check_rule.__doc__ = f"{rule.__name__[5:].upper().replace('_', '-')} on an e-invoice's ledger."
    return check_rule


check_br_12 = _as_check(rule_br_12)
check_br_13 = _as_check(rule_br_13)
check_br_14 = _as_check(rule_br_14)
check_br_15 = _as_check(rule_br_15)
check_br_co_10 = _as_check(rule_br_co_10)
check_br_co_11 = _as_check(rule_br_co_11)
check_br_co_12 = _as_check(rule_br_co_12)
check_br_co_13 = _as_check(rule_br_co_13)
check_br_co_14 = _as_check(rule_br_co_14)
check_br_co_15 = _as_check(rule_br_co_15)
check_br_co_16 = _as_check(rule_br_co_16)
check_br_co_17 = _as_check(rule_br_co_17)
check_br_s_08 = _as_check(rule_br_s_08)
check_br_s_09 = _as_check(rule_br_s_09)
check_br_z_09 = _as_check(rule_br_z_09)
check_br_e_09 = _as_check(rule_br_e_09)
check_br_ae_09 = _as_check(rule_br_ae_09)
check_br_ic_09 = _as_check(rule_br_ic_09)
check_br_g_09 = _as_check(rule_br_g_09)
check_br_o_09 = _as_check(rule_br_o_09)

EINVOICE_CHECKS = (
    check_br_12, check_br_13, check_br_14, check_br_15,
    check_br_co_10, check_br_co_11, check_br_co_12, check_br_co_13, check_br_co_14,
    check_br_co_15, check_br_co_16, check_br_co_17, check_br_s_08, check_br_s_09,
    check_br_z_09, check_br_e_09, check_br_ae_09, check_br_ic_09, check_br_g_09, check_br_o_09,
)
