"""Generate realistic ledgers of any size, as JSON or CSV, for the benchmarks.

A generated ledger looks like a busy shop's: items with quantity and unit
price, labor, fees, discounts, taxes with rate and base, a few declined and
void lines, partial and full corrections, and payments.  Its stated total,
paid and balance are right, so ``check`` finds nothing and the benchmark
times the clean path a real ledger takes.

    python -m bench.ledgers 100000 --format csv -o /tmp/ledger-100k.csv

Amounts are made from whole cents (``Decimal``), never floats.
"""

from __future__ import annotations

import argparse
import json
import random
import sys
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path

CENT = Decimal("0.01")
ITEMS = ("225/45R17 MICH PILOT SPORT 4", "OIL FILTER PH7317", "WIPER BLADE 22IN", "BRAKE PAD SET",
         "CABIN AIR FILTER", "SPARK PLUG IRIDIUM", "COOLANT 1GAL", "BATTERY H6 AGM", "VALVE STEM TPMS",
         "SERPENTINE BELT")
LABOR = ("MOUNT AND BALANCE", "BRAKE SERVICE FRONT", "DIAG TIME", "OIL CHANGE SYNTH", "ALIGNMENT 4WHL")
FEES = ("SHOP SUPPLIES", "TIRE DISPOSAL FEE", "HAZMAT FEE")
GROUPS = ("Tires", "Brakes", "Filters", "Electrical", "Fluids")
CARDS = ("VISA XXXX1234", "MASTERCARD ****4417", "AMEX ending 1005", "CASH")
COLUMNS = ("id", "date", "text", "label", "kind", "qty", "unit", "unit_price", "amount", "credit",
           "rate", "base", "status", "reverses", "group", "category")


def generate(count: int, seed: int = 7) -> dict:
    """A ledger of ``count`` entries as a JSON-ready dict (amounts as text)."""
    pick = random.Random(seed)
    entries: list[dict] = []
    billed: list[tuple[str, Decimal]] = []  # charges a later line may correct
    total = Decimal(0)
    paid = Decimal(0)
    taxable = Decimal(0)
    while len(entries) < count:
        number = len(entries) + 1
        entry: dict = {"id": f"E{number}", "date": f"2026-{1 + number % 12:02d}-{1 + number % 28:02d}"}
        roll = pick.randrange(100)
        left = count - len(entries)
        if left == 1 and total - paid > 0:
            entry.update(text=pick.choice(CARDS), kind="payment", credit=str(total - paid))
            paid += total - paid
        elif roll < 50:
            qty = pick.randint(1, 4)
            price = Decimal(pick.randint(199, 38999)) * CENT
            amount = (qty * price).quantize(CENT)
            entry.update(text=pick.choice(ITEMS), kind="item", qty=str(qty), unit="each",
                         unit_price=str(price), amount=str(amount), category="parts")
            if roll < 20:
                entry["group"] = pick.choice(GROUPS)
            if roll < 3:
                entry["status"] = "declined"
            elif roll < 4:
                entry["status"] = "void"
            else:
                total += amount
                taxable += amount
                billed.append((entry["id"], amount))
        elif roll < 65:
            hours = Decimal(pick.randint(2, 16)) / 4
            rate = Decimal(pick.choice((9500, 12500, 14000))) * CENT
            amount = (hours * rate).quantize(CENT, rounding=ROUND_HALF_UP)
            entry.update(text=pick.choice(LABOR), label="Labor", kind="labor", qty=str(hours),
                         unit="hour", unit_price=str(rate), amount=str(amount))
            total += amount
            taxable += amount
            billed.append((entry["id"], amount))
        elif roll < 72:
            amount = Decimal(pick.randint(100, 2500)) * CENT
            entry.update(text=pick.choice(FEES), kind="fee", amount=str(amount))
            total += amount
        elif roll < 77:
            amount = -Decimal(pick.randint(100, 5000)) * CENT
            entry.update(text="COUPON", label="Discount", kind="discount", amount=str(amount))
            total += amount
        elif roll < 84 and taxable > 0:
            rate = Decimal("6.625")
            amount = (taxable * rate / 100).quantize(CENT, rounding=ROUND_HALF_UP)
            entry.update(text="SALES TAX NJ", kind="tax", rate=str(rate), base=str(taxable),
                         amount=str(amount))
            total += amount
            taxable = Decimal(0)
        elif roll < 90 and billed:
            target, original = billed.pop(pick.randrange(len(billed)))
            share = original if roll < 87 else (original / 4).quantize(CENT)
            entry.update(text=f"CORR {target}", kind="item", amount=str(-share), reverses=target)
            total -= share
        elif total - paid > 0:
            amount = min(total - paid, Decimal(pick.randint(1000, 50000)) * CENT)
            entry.update(text=pick.choice(CARDS), kind="payment", credit=str(amount))
            paid += amount
        else:
            continue
        entries.append(entry)
    return {
        "kind": "repair_order",
        "number": f"RO-{count}",
        "date": "2026-11-02",
        "currency": "USD",
        "locale": "en_US",
        "seller": {"name": "Main Street Tire", "address": ["12 Main St", "Somerville, NJ 08876"]},
        "customer": {"name": "Kate N.", "account": "C-2291"},
        "stated": {"total": str(total), "paid": str(paid), "balance": str(total - paid)},
        "entries": entries,
    }


def to_json(ledger: dict) -> str:
    return json.dumps(ledger, indent=None, separators=(",", ":"))


def to_csv(ledger: dict) -> str:
    """The same ledger as CSV: ``#`` header lines, then one row an entry."""
    lines = [f"# kind: {ledger['kind']}", f"# number: {ledger['number']}", f"# date: {ledger['date']}",
             f"# currency: {ledger['currency']}", f"# locale: {ledger['locale']}",
             f"# seller.name: {ledger['seller']['name']}"]
    lines += [f"# seller.address: {line}" for line in ledger["seller"]["address"]]
    lines += [f"# customer.name: {ledger['customer']['name']}",
              f"# customer.account: {ledger['customer']['account']}"]
    lines += [f"# stated.{key}: {value}" for key, value in ledger["stated"].items()]
    lines.append(",".join(COLUMNS))
    for entry in ledger["entries"]:
        lines.append(",".join(_cell(entry.get(column, "")) for column in COLUMNS))
    return "\n".join(lines) + "\n"


def _cell(value: str) -> str:
    return f'"{value}"' if any(mark in value for mark in ',"\n') else value


def write(count: int, format: str, path: Path, seed: int = 7) -> Path:
    ledger = generate(count, seed)
    path.write_text(to_json(ledger) if format == "json" else to_csv(ledger), encoding="utf-8")
    return path


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("count", type=int)
    parser.add_argument("--format", choices=("json", "csv"), default="json")
    parser.add_argument("-o", "--output", type=Path)
    parser.add_argument("--seed", type=int, default=7)
    options = parser.parse_args(argv)
    ledger = generate(options.count, options.seed)
    text = to_json(ledger) if options.format == "json" else to_csv(ledger)
    if options.output:
        options.output.write_text(text, encoding="utf-8")
    else:
        sys.stdout.write(text)


if __name__ == "__main__":
    main()
