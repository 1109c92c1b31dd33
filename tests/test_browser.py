"""Rendered bills in a real headless Chromium: no console error, no request.

Chromium is driven over its DevTools pipe (``--remote-debugging-pipe``), so
the test sees every request the page makes and every console message.  CI
installs Chromium; without it this test fails rather than skips.
"""

import base64
import fcntl
import json
import os
import queue
import re
import shutil
import subprocess
import threading

import pytest
from ledgers import from_json

import billformat

LEDGERS = {
    "repair": """
        {"kind": "repair_order", "number": "RO-1", "date": "2026-10-14", "currency": "USD",
         "seller": {"name": "Main Street Tire", "address": ["12 Main St"]}, "entries": [
          {"text": "Tire <img src=http://example.com/x.png>", "kind": "item", "amount": "189.99"},
          {"text": "Mount", "kind": "labor", "amount": "40.00"},
          {"text": "Align", "kind": "labor", "amount": "89.99", "status": "declined"},
          {"text": "VISA XXXX4417", "kind": "payment", "amount": "-100.00"}]}""",
    "statement": """
        {"kind": "bank_statement", "currency": "EUR", "locale": "de_DE",
         "stated": {"opening_balance": "10.00"}, "entries": [
          {"date": "2026-03-02", "text": "<script>fetch('http://example.com')</script>", "kind": "deposit",
           "amount": "5.00"},
          {"date": "2026-03-03", "text": "Scheck", "kind": "check", "number": "7", "amount": "-1.00"},
          {"date": "2026-03-04", "text": "Scheck", "kind": "check", "number": "9", "amount": "-1.00"}]}""",
}

FLAGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
    "--remote-debugging-pipe",
]


def chromium() -> str:
    for name in ("chromium", "chromium-browser", "google-chrome"):
        path = shutil.which(name)
        if path:
            return path
    pytest.fail("Chromium is not installed: the HTML renderer cannot be checked in a browser")


class DevTools:
    """A minimal DevTools client over Chromium's pipe (fds 3 and 4)."""

    def __init__(self, profile):
        browser_reads, self._write = os.pipe()
        self._read, browser_writes = os.pipe()
        # Lift the browser's ends above 3 and 4, so that placing them there
        # in the child cannot overwrite one with the other.
        high = [fcntl.fcntl(fd, fcntl.F_DUPFD, 10) for fd in (browser_reads, browser_writes)]
        os.close(browser_reads)
        os.close(browser_writes)

        def plumb():
            os.dup2(high[0], 3)
            os.dup2(high[1], 4)

        self.process = subprocess.Popen(
            [chromium(), *FLAGS, f"--user-data-dir={profile}", "about:blank"],
            pass_fds=(3, 4), preexec_fn=plumb,
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
        )
        for fd in high:
            os.close(fd)
        self.events: queue.Queue = queue.Queue()
        self._next = 0
        threading.Thread(target=self._listen, daemon=True).start()

    def _listen(self):
        buffer = b""
        while chunk := os.read(self._read, 65536):
            buffer += chunk
            *messages, buffer = buffer.split(b"\0")
            for message in messages:
                self.events.put(json.loads(message))

    def send(self, method, session=None, **params):
        self._next += 1
        message = {"id": self._next, "method": method, "params": params}
        if session:
            message["sessionId"] = session
        os.write(self._write, json.dumps(message).encode() + b"\0")
        return self.wait(lambda event: event.get("id") == self._next)["result"]

    def wait(self, found, seconds=15):
        while True:
            event = self.events.get(timeout=seconds)
            self.seen.append(event)
            if found(event):
                return event

    seen: list

    def close(self):
        self.process.kill()
        self.process.wait()
        os.close(self._write)


def is_a_problem(event) -> bool:
    """A script exception, or a console or log message of error or warning level."""
    method, params = event.get("method"), event.get("params", {})
    if method == "Runtime.exceptionThrown":
        return True
    if method == "Runtime.consoleAPICalled":
        return params["type"] in ("error", "warning", "assert")
    if method == "Log.entryAdded":
        return params["entry"]["level"] in ("error", "warning")
    return False


@pytest.fixture(scope="module")
def browser(tmp_path_factory):
    tools = DevTools(tmp_path_factory.mktemp("chromium-profile"))
    tools.seen = []
    yield tools
    tools.close()


@pytest.mark.parametrize("name", sorted(LEDGERS))
def test_the_page_loads_with_no_console_error_and_no_request(browser, tmp_path, name):
    bill = billformat.collapse(from_json(LEDGERS[name]))
    page = tmp_path / f"{name}.html"
    page.write_text(billformat.render(bill, "html", details=True, trail=True), encoding="utf-8")

    target = browser.send("Target.createTarget", url="about:blank")["targetId"]
    session = browser.send("Target.attachToTarget", targetId=target, flatten=True)["sessionId"]
    for domain in ("Page", "Network", "Runtime", "Log"):
        browser.send(f"{domain}.enable", session)
    browser.seen.clear()
    browser.send("Page.navigate", session, url=page.as_uri())
    browser.wait(lambda event: event.get("method") == "Page.loadEventFired")
    pdf = browser.send("Page.printToPDF", session)["data"]
    text = browser.send("Runtime.evaluate", session, expression="document.body.innerText")
    browser.send("Target.closeTarget", targetId=target)

    requests = [event["params"]["request"]["url"] for event in browser.seen
                if event.get("method") == "Network.requestWillBeSent"]
    assert [url for url in requests if not url.startswith(("file:", "data:"))] == []
    assert [event for event in browser.seen if is_a_problem(event)] == []
    assert base64.b64decode(pdf).startswith(b"%PDF")
    assert "http://example.com" in text["result"]["value"]  # the ledger's markup, shown as text


# Printing: a long bill prints compactly and cleanly, as its PDF does.

def long_repair_order(count: int = 500) -> str:
    """A repair order of ``count`` entries, descriptions of one to six lines' worth."""
    kinds = ("labor", "fee", "tax", "item")
    entries = [{"id": str(number), "date": f"2026-11-{1 + number % 28:02d}",
                "text": f"ITEM {number}" + " long description" * (number % 6),
                "kind": kinds[number % 4], "amount": f"{1 + number * 37 % 997}.{number % 100:02d}"}
               for number in range(1, count + 1)]
    entries.append({"id": "p", "text": "VISA XXXX1111", "kind": "payment", "amount": "-1000.00"})
    return json.dumps({"kind": "repair_order", "number": "L-1", "date": "2026-11-30", "currency": "USD",
                       "locale": "en_US", "seller": {"name": "Long Shop"}, "customer": {"name": "C"},
                       "entries": entries})


def open_tab(browser, page, media=None) -> tuple[str, str]:
    """A new tab showing the file ``page``, as ``media`` ("print", "screen") if given."""
    target = browser.send("Target.createTarget", url="about:blank")["targetId"]
    session = browser.send("Target.attachToTarget", targetId=target, flatten=True)["sessionId"]
    browser.send("Page.enable", session)
    if media:
        browser.send("Emulation.setEmulatedMedia", session, media=media)
    browser.send("Page.navigate", session, url=page.as_uri())
    browser.wait(lambda event: event.get("method") == "Page.loadEventFired"
                 and event.get("sessionId") == session)
    return target, session


def print_pages(browser, page, **paper) -> list[str]:
    """The file ``page`` printed to PDF by Chromium (US Letter unless ``paper`` says): each page's text."""
    import io

    import pypdf

    target, session = open_tab(browser, page)
    pdf = base64.b64decode(browser.send("Page.printToPDF", session, **paper)["data"])
    browser.send("Target.closeTarget", targetId=target)
    return [sheet.extract_text() for sheet in pypdf.PdfReader(io.BytesIO(pdf)).pages]


@pytest.fixture(scope="module")
def long_bill(browser, tmp_path_factory):
    """The 500-entry repair order with its details and trail: the bill, its view, and its printed pages."""
    from billformat.render.view import describe

    bill = billformat.collapse(from_json(long_repair_order()))
    page = tmp_path_factory.mktemp("long") / "long.html"
    page.write_text(billformat.render(bill, "html", details=True, trail=True), encoding="utf-8")
    return bill, describe(bill, details=True, trail=True), print_pages(browser, page)


def test_a_long_bill_prints_on_about_as_many_pages_as_its_pdf(long_bill):
    import io

    import pypdf

    bill, _, pages = long_bill
    pdf_pages = len(pypdf.PdfReader(io.BytesIO(billformat.render(bill, "pdf", details=True, trail=True))).pages)
    # Printed with each section kept whole on a page, this bill took 59 pages to the PDF's 27.
    assert len(pages) <= pdf_pages * 1.2, (len(pages), pdf_pages)
    text = "\n".join(pages)
    for number in (1, 250, 500):  # nothing cut or hidden: each entry in its details and its trail
        assert len(re.findall(rf"\bITEM {number}\b", text)) == 2
    lines = [[line for line in page.splitlines() if line.strip()] for page in pages]
    assert all(len(page) >= 30 for page in lines[:-1]), [len(page) for page in lines]


def test_every_printed_page_of_a_long_bill_starts_with_column_headings_and_ends_with_no_heading(long_bill):
    _, view, pages = long_bill
    words = view.words
    column_headings = {f"{words['date']} {words['item']} {words['amount']}",
                       f"{words['entry']} {words['text']} {words['went_to']} {words['amount']}"}
    headings = {words["details"], words["trail"]} | {f"{group.heading} {group.amount}" for group in view.details}
    lines = [[line.strip() for line in page.splitlines() if line.strip()] for page in pages]
    starts = [page[0] for page in lines[1:]]
    # (What is left for a last page may be the footer alone: the bill's number, dates, from and to.)
    name, value = view.facts[0]
    if starts[-1].startswith(f"{name}: {value}"):
        starts.pop()
    assert [line for line in starts if line not in column_headings | {words["trail"]}] == []
    assert [page[-1] for page in lines[:-1] if page[-1] in headings] == []


def test_a_long_bill_prints_its_totals_whole_and_its_trail_sums_once(long_bill):
    _, view, pages = long_bill
    totals = [f"{row.label} {row.amount}" for row in (view.total, *view.payments, view.balance)]
    assert [[number for number, page in enumerate(pages) if line in page] for line in totals] == [[0]] * len(totals)
    assert f"{view.face[-1].label} {view.face[-1].amount}" in pages[0]
    # A table's footer prints at the foot of every page; the trail's sums, only at its end.
    last_step = [number for number, page in enumerate(pages) if view.trail[-1].text in page]
    assert [number for number, page in enumerate(pages) if view.trail_sums[0].label in page] == last_step[-1:]


def test_the_totals_block_is_never_split_nor_alone_atop_a_printed_page(browser, tmp_path):
    # Sixty face lines run onto a second page, and paper a little shorter
    # each time walks that page's foot through the totals block.
    entries = [{"text": f"Thing {number}", "group": f"Group {number}", "kind": "item", "amount": "10.00"}
               for number in range(1, 61)]
    entries += [{"text": f"VISA XXXX{card}", "label": f"Card {card}", "kind": "payment", "amount": "-1.00"}
                for card in range(3)]
    bill = billformat.collapse(billformat.Ledger.model_validate({"currency": "USD", "locale": "en_US",
                                                                 "entries": entries}))
    page = tmp_path / "sixty.html"
    page.write_text(billformat.render(bill, "html"), encoding="utf-8")
    block = ("Group 60", "Total", "Card 0", "Card 1", "Card 2", "Balance due")
    found_on = set()
    for tenths in range(108, 94, -2):  # inches: Letter is 11; the foot crosses the block near 10
        pages = print_pages(browser, page, paperHeight=tenths / 10)
        holding = {number for number, text in enumerate(pages) for label in block if label in text}
        assert len(holding) == 1, (tenths, holding)
        found_on |= holding
    assert len(found_on) == 2  # the foot did cross the block: it moved, whole, to the next page


def test_the_details_column_headings_show_on_paper_and_not_on_screen(browser, tmp_path):
    bill = billformat.collapse(from_json(LEDGERS["repair"]))
    page = tmp_path / "repair.html"
    page.write_text(billformat.render(bill, "html", details=True), encoding="utf-8")
    head = {}  # media: (header cells, the head's height in pixels)
    for media in ("screen", "print"):
        target, session = open_tab(browser, page, media=media)
        found = browser.send("Runtime.evaluate", session, returnByValue=True, expression=(
            "[document.querySelectorAll('.details thead th').length,"
            " document.querySelector('.details thead')?.getBoundingClientRect().height ?? 0]"))
        browser.send("Target.closeTarget", targetId=target)
        head[media] = tuple(found["result"]["value"])
    (screen_cells, screen_height), (print_cells, print_height) = head["screen"], head["print"]
    assert screen_cells == print_cells == 3
    assert print_height > 5
    assert screen_height <= 1  # there for a screen reader, out of the eye's way
