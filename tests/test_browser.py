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
