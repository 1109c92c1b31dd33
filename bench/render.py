"""PDF and HTML of one bill against their floors and against the peers.

The bill: ``bench/sample-25.json``, a 25-line repair order, read, collapsed,
checked and rendered with its itemized lines (``details=True``).

- PDF floor: a bare reportlab canvas drawing the same strings at the same
  places in Helvetica (``drawString`` a string), nothing else to do.  The
  strings and places are recorded from billformat's own renderer once.
- HTML floor: one f-string page with the same content (the same words and
  figures, already formatted, escaped) and the same stylesheet.
- WeasyPrint rendering billformat's own HTML of the bill, and
  InvoiceGenerator making an invoice of the same 25 lines: each only when
  installed (``pip install -e '.[bench]'``), else reported "not installed".
"""

from __future__ import annotations

import html
import importlib.util
import io
import tempfile
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path

from bench.timing import compare

SAMPLE = Path(__file__).resolve().parent / "sample-25.json"
GOALS = {"pdf_floor": 1.3, "weasyprint": 50.0, "invoicegenerator": 8.0, "html_floor": 2.0}


def installed(module: str) -> bool:
    return importlib.util.find_spec(module) is not None


# ---------------------------------------------------------------------------
# billformat itself


def ours_pdf(path: Path = SAMPLE) -> bytes:
    import billformat
    from billformat.render import render

    ledger = billformat.read_ledger(path)
    bill = billformat.collapse(ledger)
    billformat.check(ledger)
    return render(bill, "pdf", details=True)


def ours_html(path: Path = SAMPLE) -> str:
    import billformat
    from billformat.render import render

    ledger = billformat.read_ledger(path)
    bill = billformat.collapse(ledger)
    billformat.check(ledger)
    return render(bill, "html", details=True)


def render_html_only(bill) -> str:
    from billformat.render import render

    return render(bill, "html", details=True)


# ---------------------------------------------------------------------------
# The PDF floor


@dataclass(frozen=True)
class Drawn:
    """One string billformat's renderer drew: where, how big, how aligned."""

    page: int
    x: float  # not money
    y: float  # not money
    text: str
    bold: bool
    size: float  # not money
    right: bool


def record_strings(path: Path = SAMPLE) -> tuple[list[Drawn], tuple[float, float]]:
    """The strings billformat draws for the sample, by page, and the page size."""
    from billformat.render import pdf_layout

    drawn: list[Drawn] = []
    page = [0]
    size: list[tuple[float, float]] = []
    text, finish = pdf_layout.Painter.text, pdf_layout.Painter.finish_page

    def recording_text(self, x, y, words, style, align="left"):
        if words:
            drawn.append(Drawn(page[0], x, y, words, style.bold, style.size, align == "right"))
        return text(self, x, y, words, style, align)

    def recording_finish(self):
        size.append(tuple(self.canvas._pagesize))
        page[0] += 1
        return finish(self)

    pdf_layout.Painter.text, pdf_layout.Painter.finish_page = recording_text, recording_finish
    try:
        ours_pdf(path)
    finally:
        pdf_layout.Painter.text, pdf_layout.Painter.finish_page = text, finish
    return drawn, size[0]


def floor_pdf(drawn: list[Drawn], pagesize: tuple[float, float]) -> bytes:
    """The floor: a bare canvas drawing the recorded strings, Helvetica."""
    from reportlab.pdfgen.canvas import Canvas

    buffer = io.BytesIO()
    canvas = Canvas(buffer, pagesize=pagesize, invariant=1)
    page = 0
    for item in drawn:
        while item.page > page:
            canvas.showPage()
            page += 1
        canvas.setFont("Helvetica-Bold" if item.bold else "Helvetica", item.size)
        if item.right:
            canvas.drawRightString(item.x, item.y, item.text)
        else:
            canvas.drawString(item.x, item.y, item.text)
    canvas.showPage()
    canvas.save()
    return buffer.getvalue()


# ---------------------------------------------------------------------------
# The HTML floor


def floor_html(view, style: str) -> str:
    """The same words and figures as one f-string page, escaped, same stylesheet."""
    e = html.escape

    def rows(items) -> str:
        return "".join(f"<tr><td>{e(row.label)}</td><td>{e(row.note)}</td>"
                       f"<td class=amount>{e(row.amount)}</td></tr>" for row in items)

    details = "".join(
        f"<h3>{e(group.heading)} <span>{e(group.amount)}</span></h3><table>{rows(group.rows)}</table>"
        for group in view.details
    )
    facts = "".join(f"<dt>{e(label)}</dt><dd>{e(value)}</dd>" for label, value in view.facts)
    total = rows([view.total]) if view.total else ""
    balance = rows([view.balance]) if view.balance else ""
    return (
        f'<!doctype html><html lang="{e(view.lang)}"><head><meta charset="utf-8">'
        f"<title>{e(view.title)}</title><style>{style}</style></head><body>"
        f"<header><h1>{e(view.title)}</h1><p>{e(view.situation)}</p><dl>{facts}</dl>"
        f"<address>{'<br>'.join(e(line) for line in view.seller)}</address>"
        f"<address>{'<br>'.join(e(line) for line in view.customer)}</address></header>"
        f"<table>{rows(view.face)}{total}{rows(view.payments)}{balance}</table>"
        f"<table>{rows(view.declined)}</table>{details}</body></html>"
    )


# ---------------------------------------------------------------------------
# The peers


def weasyprint_pdf(page: str) -> bytes:
    from weasyprint import HTML

    return HTML(string=page).write_pdf()


def invoicegenerator_pdf(ledger, folder: Path) -> None:
    """InvoiceGenerator's invoice of the same lines (its own layout)."""
    from InvoiceGenerator.api import Client, Creator, Invoice, Item, Provider
    from InvoiceGenerator.pdf import SimpleInvoice

    seller, customer = ledger.seller, ledger.customer
    invoice = Invoice(
        Client(customer.name or "", address=" ".join(customer.address)),
        Provider(seller.name or "", address=" ".join(seller.address)),
        Creator(seller.name or ""),
    )
    invoice.number = ledger.number
    invoice.currency = ledger.currency
    for entry in ledger.entries:
        if entry.kind.value in ("payment", "tax"):
            continue
        count = entry.qty if entry.qty is not None else Decimal(1)
        price = entry.unit_price if entry.unit_price is not None else entry.amount
        invoice.add_item(Item(count, price, description=entry.text, unit=entry.unit or "",
                              tax=Decimal("6.625")))
    SimpleInvoice(invoice).gen(str(folder / "invoice.pdf"))


# ---------------------------------------------------------------------------


def run(rounds: int, echo=print) -> dict:
    """Every comparison; each result is a median in seconds, and the ratios."""
    import billformat
    from billformat.layouts import load_layout
    from billformat.render.view import describe

    results: dict[str, object] = {}
    drawn, pagesize = record_strings()
    ledger = billformat.read_ledger(SAMPLE)
    bill = billformat.collapse(ledger)
    view = describe(bill, details=True)
    style = load_layout("standard").style
    our_page = ours_html()

    contestants = {
        "billformat pdf": ours_pdf,
        "reportlab floor": lambda: floor_pdf(drawn, pagesize),
    }
    times = compare(contestants, rounds)
    results["pdf"] = times["billformat pdf"]
    results["pdf_floor"] = times["reportlab floor"]
    results["pdf_floor_ratio"] = times["billformat pdf"] / times["reportlab floor"]
    results["strings"] = len(drawn)
    echo(f"  pdf: billformat {times['billformat pdf'] * 1e3:.2f} ms, floor "
         f"{times['reportlab floor'] * 1e3:.2f} ms ({len(drawn)} strings): "
         f"{results['pdf_floor_ratio']:.2f} x")

    html_times = compare({
        "billformat html": ours_html,
        "billformat render html": lambda: render_html_only(bill),
        "f-string floor": lambda: floor_html(view, style),
    }, rounds, repeat=5)
    results["html"] = html_times["billformat html"]
    results["html_render"] = html_times["billformat render html"]
    results["html_floor"] = html_times["f-string floor"]
    results["html_floor_ratio"] = html_times["billformat html"] / html_times["f-string floor"]
    results["html_render_ratio"] = html_times["billformat render html"] / html_times["f-string floor"]
    echo(f"  html: billformat {results['html'] * 1e3:.3f} ms (render alone "
         f"{results['html_render'] * 1e3:.3f} ms), f-string floor {results['html_floor'] * 1e3:.3f} ms: "
         f"{results['html_floor_ratio']:.2f} x ({results['html_render_ratio']:.2f} x render alone)")

    peer_rounds = max(3, rounds // 4)
    if installed("weasyprint"):
        weasy = compare({"weasyprint": lambda: weasyprint_pdf(our_page)}, peer_rounds, warmup=1)
        results["weasyprint"] = weasy["weasyprint"]
        results["weasyprint_ratio"] = weasy["weasyprint"] / results["pdf"]
        echo(f"  weasyprint (our HTML): {weasy['weasyprint'] * 1e3:.1f} ms: billformat is "
             f"{results['weasyprint_ratio']:.1f} x faster")
    else:
        results["weasyprint"] = None
        echo("  weasyprint: not installed (pip install -e '.[bench]')")
    if installed("InvoiceGenerator"):
        with tempfile.TemporaryDirectory() as folder:
            peer = compare({"invoicegenerator": lambda: invoicegenerator_pdf(ledger, Path(folder))},
                           peer_rounds, warmup=1)
        results["invoicegenerator"] = peer["invoicegenerator"]
        results["invoicegenerator_ratio"] = peer["invoicegenerator"] / results["pdf"]
        echo(f"  InvoiceGenerator: {peer['invoicegenerator'] * 1e3:.1f} ms: billformat is "
             f"{results['invoicegenerator_ratio']:.1f} x faster")
    else:
        results["invoicegenerator"] = None
        echo("  InvoiceGenerator: not installed (pip install -e '.[bench]')")
    return results
