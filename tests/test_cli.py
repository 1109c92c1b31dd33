"""The command line: through Typer's CliRunner and as real processes.

Exit status: 0 all good; 1 a ledger does not reconcile or a batch refused
files; 2 a ledger could not be read or the command was misused.
"""

from __future__ import annotations

import errno
import json
import os
import shutil
import signal
import stat
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest
from typer.testing import CliRunner

from billformat.cli import app
from billformat.output import AtomicWrites, OutputError, write_atomic

ROOT = Path(__file__).resolve().parent.parent
SAMPLES = ROOT / "samples"
TIRE_SHOP = SAMPLES / "tire_shop.json"
HOTEL = SAMPLES / "hotel_folio.csv"

runner = CliRunner()

BAD_CSV = textwrap.dedent("""\
    # kind: hotel_folio
    # currency: USD
    id,date,text,kind,debit,credit
    1,2026-11-01,RM CHG 1012,item,189.00,
    2,2026-11-01,RM TAX,tax,"12,50",
    """)

WRONG_TOTAL = {
    "kind": "sale",
    "currency": "USD",
    "stated": {"total": "250.00"},
    "entries": [
        {"text": "Widget", "kind": "item", "amount": "200.00"},
        {"text": "Sales tax", "kind": "tax", "amount": "46.45"},
    ],
}


def run(*args: str, input: str | bytes | None = None, cwd: Path = ROOT) -> subprocess.CompletedProcess:
    """``python -m billformat ARGS`` as a real process."""
    return subprocess.run(
        [sys.executable, "-m", "billformat", *args],
        input=input.encode() if isinstance(input, str) else input,
        capture_output=True, cwd=cwd, timeout=60,
    )


def no_temporary_files(folder: Path) -> bool:
    return not [path for path in folder.iterdir() if path.name.endswith(".tmp")]


# ---------------------------------------------------------------------------
# help and version


@pytest.mark.parametrize("command", [[], ["render"], ["check"], ["batch"]])
def test_every_command_has_help_with_an_example(command):
    result = runner.invoke(app, [*command, "--help"])
    assert result.exit_code == 0
    assert "Example" in result.stdout
    assert f"billformat {command[0] if command else 'render'} " in result.stdout


def test_version():
    result = runner.invoke(app, ["--version"])
    assert result.exit_code == 0
    assert result.stdout.startswith("billformat ")


def test_help_as_a_real_process():
    done = run("--help")
    assert done.returncode == 0
    assert b"render" in done.stdout and b"check" in done.stdout and b"batch" in done.stdout


# ---------------------------------------------------------------------------
# render


def test_render_text_to_standard_output():
    result = runner.invoke(app, ["render", str(TIRE_SHOP)])
    assert result.exit_code == 0, result.output
    assert "$236.31" in result.stdout
    assert "Labor and service" in result.stdout
    assert result.stderr == ""


def test_render_warns_when_the_ledger_does_not_reconcile_and_still_writes_the_bill(tmp_path):
    ledger = json.loads(TIRE_SHOP.read_text())
    ledger.setdefault("stated", {})["total"] = "999.00"
    source = tmp_path / "ro.json"
    source.write_text(json.dumps(ledger))
    result = runner.invoke(app, ["render", str(source), "-o", str(tmp_path / "ro.pdf")])
    # Exit status 1 is check's: the bill was made, from the entries.
    assert result.exit_code == 0, result.output
    assert (tmp_path / "ro.pdf").read_bytes().startswith(b"%PDF")
    assert f"{source}: does not reconcile" in result.stderr
    assert f"{source}: error: the ledger states a total of 999.00; its entries add up to 236.31" \
        in result.stderr.splitlines()


def test_render_json_to_standard_output_as_a_process():
    done = run("render", str(TIRE_SHOP), "--format", "json")
    assert done.returncode == 0, done.stderr
    bill = json.loads(done.stdout)
    assert bill["total"] == "236.31"
    assert bill["balance_due"] == "0.00"
    assert [line["label"] for line in bill["declined"]] == ["Four-wheel alignment", "Tire pressure sensor kit"]


def test_render_reads_standard_input():
    result = runner.invoke(app, ["render", "-", "--format", "json"], input=HOTEL.read_text())
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout)["total"] == "1148.77"


def test_render_reads_standard_input_as_a_process():
    done = run("render", "-", "-f", "json", input=TIRE_SHOP.read_bytes())
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout)["number"] == "RO-10492"


@pytest.mark.parametrize("name, check", [
    ("bill.json", lambda text: json.loads(text)["total"] == "236.31"),
    ("bill.txt", lambda text: "$236.31" in text and not text.lstrip().startswith("{")),
    ("bill.html", lambda text: text.lstrip().lower().startswith("<!doctype html")),
    ("bill.htm", lambda text: "<html" in text.lower()),
])
def test_render_takes_the_format_from_the_output_suffix(tmp_path, name, check):
    out = tmp_path / name
    result = runner.invoke(app, ["render", str(TIRE_SHOP), "-o", str(out)])
    assert result.exit_code == 0, result.output
    assert result.stdout == ""
    assert check(out.read_text(encoding="utf-8"))
    assert no_temporary_files(tmp_path)


def test_format_option_wins_over_the_suffix(tmp_path):
    out = tmp_path / "bill.txt"
    assert runner.invoke(app, ["render", str(TIRE_SHOP), "-o", str(out), "--format", "json"]).exit_code == 0
    assert json.loads(out.read_text())["total"] == "236.31"


def test_render_with_another_locale():
    english = runner.invoke(app, ["render", str(TIRE_SHOP)])
    swiss = runner.invoke(app, ["render", str(TIRE_SHOP), "--locale", "de_CH"])
    assert swiss.exit_code == 0, swiss.output
    assert swiss.stdout != english.stdout


def test_a_bad_locale_is_a_usage_error():
    result = runner.invoke(app, ["render", str(TIRE_SHOP), "--locale", "xx_YY"])
    assert result.exit_code == 2
    assert '--locale "xx_YY"' in result.stderr
    assert result.stdout == ""


def test_a_refused_ledger_names_file_and_place_and_exits_2(tmp_path):
    ledger = tmp_path / "folio.csv"
    ledger.write_text(BAD_CSV)
    out = tmp_path / "folio.pdf"
    result = runner.invoke(app, ["render", str(ledger), "-o", str(out)])
    assert result.exit_code == 2
    assert "folio.csv:5:" in result.stderr and "12,50" in result.stderr
    assert not out.exists()


def test_a_refused_ledger_as_a_process_shows_no_traceback(tmp_path):
    ledger = tmp_path / "folio.csv"
    ledger.write_text(BAD_CSV)
    done = run("render", str(ledger), "-f", "json")
    assert done.returncode == 2
    assert b"folio.csv:5:" in done.stderr
    assert b"Traceback" not in done.stderr
    assert done.stdout == b""


def test_a_refused_ledger_from_standard_input():
    done = run("render", "-", input=BAD_CSV)
    assert done.returncode == 2
    assert b"<stdin>:5:" in done.stderr
    assert b"Traceback" not in done.stderr


def test_a_missing_ledger_file():
    result = runner.invoke(app, ["render", "no/such/ledger.json"])
    assert result.exit_code == 2
    assert "no such file" in result.stderr


def test_output_in_a_missing_folder_is_refused_plainly(tmp_path):
    out = tmp_path / "missing" / "bill.json"
    result = runner.invoke(app, ["render", str(TIRE_SHOP), "-o", str(out)])
    assert result.exit_code == 2
    assert "does not exist" in result.stderr and str(out.parent) in result.stderr
    assert list(tmp_path.iterdir()) == []


def test_output_in_a_missing_folder_as_a_process(tmp_path):
    done = run("render", str(TIRE_SHOP), "-o", str(tmp_path / "missing" / "bill.txt"))
    assert done.returncode == 2
    assert b"does not exist" in done.stderr and b"Traceback" not in done.stderr


def test_output_onto_a_folder_is_refused(tmp_path):
    (tmp_path / "bill.json").mkdir()
    result = runner.invoke(app, ["render", str(TIRE_SHOP), "-o", str(tmp_path / "bill.json")])
    assert result.exit_code == 2
    assert "is a folder" in result.stderr


def test_output_in_a_read_only_folder(tmp_path):
    if os.geteuid() == 0:
        # root writes into any folder whatever its mode; /sys refuses even root.
        folder = Path("/sys")
    else:
        folder = tmp_path / "locked"
        folder.mkdir()
        folder.chmod(stat.S_IRUSR | stat.S_IXUSR)
    before = sorted(folder.iterdir())
    try:
        result = runner.invoke(app, ["render", str(TIRE_SHOP), "-o", str(folder / "bill.json")])
        assert result.exit_code == 2
        assert "permission denied" in result.stderr
        assert sorted(folder.iterdir()) == before
    finally:
        if folder != Path("/sys"):
            folder.chmod(stat.S_IRWXU)


def test_render_never_overwrites_its_own_ledger(tmp_path):
    ledger = tmp_path / "ro.json"
    shutil.copy(TIRE_SHOP, ledger)
    result = runner.invoke(app, ["render", str(ledger), "-o", str(ledger), "-f", "json"])
    assert result.exit_code == 2
    assert ledger.read_bytes() == TIRE_SHOP.read_bytes()


@pytest.mark.parametrize("args", [
    ["render"],
    ["render", str(TIRE_SHOP), "--format", "docx"],
    ["render", str(TIRE_SHOP), "--bogus"],
    ["check"],
    ["batch", str(SAMPLES)],
    ["batch", str(SAMPLES), "-o", "out", "--jobs", "0"],
    ["frobnicate"],
])
def test_usage_errors_exit_2(args):
    assert runner.invoke(app, args).exit_code == 2


@pytest.mark.parametrize("command", [["render", str(TIRE_SHOP), "-f", "html"], ["batch", str(SAMPLES), "-o", "unused"]])
def test_an_unknown_layout_is_a_usage_error(command, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    result = runner.invoke(app, [*command, "--layout", "no-such-layout"])
    assert result.exit_code == 2
    assert "--layout" in result.stderr and "no-such-layout" in result.stderr
    assert list(tmp_path.iterdir()) == []


def test_render_pdf_to_a_file(tmp_path):
    out = tmp_path / "tire_shop.pdf"
    result = runner.invoke(app, ["render", str(TIRE_SHOP), "-o", str(out)])
    assert result.exit_code == 0, result.output
    data = out.read_bytes()
    assert data.startswith(b"%PDF") and data.rstrip().endswith(b"%%EOF")


def test_render_pdf_bytes_to_standard_output_when_asked():
    done = run("render", str(TIRE_SHOP), "--format", "pdf")
    assert done.returncode == 0, done.stderr
    assert done.stdout.startswith(b"%PDF") and done.stdout.rstrip().endswith(b"%%EOF")


# ---------------------------------------------------------------------------
# check


def test_check_all_samples_reconcile():
    samples = sorted(str(path) for path in SAMPLES.iterdir() if path.suffix in (".json", ".csv"))
    result = runner.invoke(app, ["check", *samples])
    assert result.exit_code == 0, result.output
    for sample in samples:
        assert f"{sample}: reconciles" in result.stdout
    assert result.stdout.rstrip().splitlines()[-1] == f"{len(samples)} ledgers: {len(samples)} reconcile, 0 do not"


def test_check_prints_warnings_of_a_ledger_that_reconciles():
    japan = str(SAMPLES / "japan_sale.json")
    result = runner.invoke(app, ["check", japan])
    assert result.exit_code == 0
    lines = result.stdout.splitlines()
    assert lines[0] == f"{japan}: reconciles"
    assert lines[1].startswith(f"{japan}: warning: entry 3: ")  # the tax rounded down, as Japan does
    assert lines[-1] == "1 ledger: 1 reconciles, 0 do not"


def test_check_a_ledger_that_does_not_reconcile(tmp_path):
    wrong = tmp_path / "wrong.json"
    wrong.write_text(json.dumps(WRONG_TOTAL))
    result = runner.invoke(app, ["check", str(TIRE_SHOP), str(wrong)])
    assert result.exit_code == 1
    lines = result.stdout.splitlines()
    assert f"{wrong}: does not reconcile" in lines
    assert (f"{wrong}: error: the ledger states a total of 250.00; its entries add up to 246.45"
            in lines)
    assert lines[-1] == "2 ledgers: 1 reconciles, 1 does not"


def test_check_json_for_one_ledger_is_an_object(tmp_path):
    wrong = tmp_path / "wrong.json"
    wrong.write_text(json.dumps(WRONG_TOTAL))
    result = runner.invoke(app, ["check", str(wrong), "--json"])
    assert result.exit_code == 1
    assert json.loads(result.stdout) == {
        "file": str(wrong), "ok": False,
        "findings": [{"severity": "error", "code": "stated-total", "entry": None,
                      "message": "the ledger states a total of 250.00; its entries add up to 246.45"}],
    }


def test_check_json_for_several_ledgers_is_a_list_as_a_process(tmp_path):
    wrong = tmp_path / "wrong.json"
    wrong.write_text(json.dumps(WRONG_TOTAL))
    done = run("check", "--json", str(TIRE_SHOP), str(wrong))
    assert done.returncode == 1
    reports = json.loads(done.stdout)
    assert [(report["file"], report["ok"]) for report in reports] == [(str(TIRE_SHOP), True), (str(wrong), False)]
    assert reports[0]["findings"] == []


def test_check_reads_standard_input():
    result = runner.invoke(app, ["check", "-", "--json"], input=TIRE_SHOP.read_text())
    assert result.exit_code == 0
    assert json.loads(result.stdout) == {"file": "<stdin>", "ok": True, "findings": []}


def test_check_goes_on_past_an_unreadable_ledger_and_exits_2(tmp_path):
    bad = tmp_path / "folio.csv"
    bad.write_text(BAD_CSV)
    result = runner.invoke(app, ["check", str(bad), str(TIRE_SHOP)])
    assert result.exit_code == 2
    assert "folio.csv:5:" in result.stderr
    assert f"{TIRE_SHOP}: reconciles" in result.stdout
    assert result.stdout.splitlines()[-1] == "2 ledgers: 1 reconciles, 0 do not, 1 could not be read"
    assert "folio.csv" not in result.stdout  # the text output names an unreadable ledger on stderr only


def test_check_json_gives_an_unreadable_ledger_a_report_too(tmp_path):
    bad = tmp_path / "folio.csv"
    bad.write_text(BAD_CSV)
    message = f'{bad}:5: debit "12,50" is not a decimal number'
    unreadable = {"file": str(bad), "ok": False, "findings": [
        {"severity": "error", "code": "unreadable", "entry": None, "message": message}]}
    result = runner.invoke(app, ["check", str(bad), "--json"])
    assert result.exit_code == 2
    assert json.loads(result.stdout) == unreadable
    assert result.stderr.splitlines() == [message]
    done = run("check", "--json", str(TIRE_SHOP), str(bad), "-", input="{not json")
    assert done.returncode == 2
    reports = json.loads(done.stdout)
    assert reports[:2] == [{"file": str(TIRE_SHOP), "ok": True, "findings": []}, unreadable]
    assert reports[2]["file"] == "<stdin>" and not reports[2]["ok"]
    assert [finding["code"] for finding in reports[2]["findings"]] == ["unreadable"]
    assert reports[2]["findings"][0]["message"].startswith("<stdin>:1")
    said = done.stderr.decode().splitlines()
    assert said[0] == message and said[1] == reports[2]["findings"][0]["message"]


# Ledgers with findings of every kind: none tied to an entry, on entries
# (errors and warnings), and EN 16931 rules on an e-invoice's VAT entry.
FINDINGS = {
    "wrong.json": WRONG_TOTAL,
    "ro.json": {"currency": "USD", "stated": {"total": "99.00"}, "entries": [
        {"id": "1", "text": "Tire", "kind": "item", "qty": "1", "unit_price": "180", "amount": "189.99"},
        {"id": "2", "text": "fix", "kind": "item", "amount": "-200.00", "reverses": "1"},
        {"id": "3", "text": "Tax", "kind": "tax", "rate": "8.875", "base": "60.00", "amount": "5.32"},
        {"id": "4", "text": "Old", "kind": "item", "qty": "2", "unit_price": "5", "amount": "11.00",
         "status": "declined"}]},
    "einvoice.json": {"currency": "EUR", "stated": {
        "line_total": "150.01", "tax_exclusive": "150.00", "tax_total": "30.00", "total": "180.00",
        "balance": "180.00"}, "entries": [
        {"id": "1", "text": "Flour", "kind": "item", "amount": "150.00", "category": "S", "rate": "19"},
        {"id": "vat", "text": "VAT 19%", "kind": "tax", "amount": "30.00", "base": "150.00", "rate": "19",
         "category": "S"}]},
}


def test_every_printed_finding_is_file_severity_message_of_its_json_report(tmp_path):
    files = []
    for name, ledger in FINDINGS.items():
        (tmp_path / name).write_text(json.dumps(ledger))
        files.append(str(tmp_path / name))
    files.append(str(SAMPLES / "japan_sale.json"))  # a warning on a ledger that reconciles
    reports = json.loads(runner.invoke(app, ["check", "--json", *files]).stdout)
    findings = [finding for report in reports for finding in report["findings"]]
    assert {finding["entry"] for finding in findings} >= {None, "1", "3", "4", "vat"}
    assert {finding["severity"] for finding in findings} == {"error", "warning"}
    expected = []
    for report in reports:
        expected.append(f"{report['file']}: {'reconciles' if report['ok'] else 'does not reconcile'}")
        expected += [f"{report['file']}: {finding['severity']}: {finding['message']}"
                     for finding in report["findings"]]
    result = runner.invoke(app, ["check", *files])
    assert result.exit_code == 1
    assert result.stdout.splitlines() == [*expected, "4 ledgers: 1 reconciles, 3 do not"]
    assert f"{files[1]}: error: entry 1: 1 × 180 is 180.00, but the amount is 189.99" in expected


# ---------------------------------------------------------------------------
# batch


def _ledgers(folder: Path, bad: bool = True) -> Path:
    folder.mkdir()
    for sample in ("tire_shop.json", "hotel_folio.csv", "phone_bill.json"):
        shutil.copy(SAMPLES / sample, folder / sample)
    if bad:
        (folder / "broken.csv").write_text(BAD_CSV)
    (folder / "notes.md").write_text("not a ledger")
    return folder


def test_batch_goes_on_past_a_bad_ledger(tmp_path):
    ledgers = _ledgers(tmp_path / "in")
    out = tmp_path / "out"
    result = runner.invoke(app, ["batch", str(ledgers), "-o", str(out), "--format", "json", "--jobs", "1"])
    assert result.exit_code == 1, result.output
    lines = result.stdout.splitlines()
    assert len(lines) == 2 and lines[-1] == "3 written, 1 refused"  # the count ends the output
    assert lines[0].startswith("  broken.csv:5:") and "12,50" in lines[0]
    assert sorted(path.name for path in out.iterdir()) == ["hotel_folio.json", "phone_bill.json", "tire_shop.json"]
    assert json.loads((out / "hotel_folio.json").read_text())["total"] == "1148.77"


def test_batch_flushes_each_file_before_naming_it_and_the_folder_once(tmp_path, monkeypatch):
    from billformat import output

    ledgers = _ledgers(tmp_path / "in", bad=False)
    out = tmp_path / "out"
    flushed: list[str] = []
    real_fsync, real_flush_files = os.fsync, output._flush_files

    def fsync(handle):
        if stat.S_ISDIR(os.fstat(handle).st_mode):
            flushed.append("folder")
        real_fsync(handle)

    def flush_files(temporaries):
        # flushed while they still have their temporary names, before the renames
        for temporary in temporaries:
            assert temporary.exists() and temporary.name.startswith(".")
            assert not (temporary.parent / temporary.name[1:].rsplit(".", 2)[0]).exists()
            flushed.append("file")
        return real_flush_files(temporaries)

    monkeypatch.setattr(os, "fsync", fsync)
    monkeypatch.setattr(output, "_flush_files", flush_files)
    result = runner.invoke(app, ["batch", str(ledgers), "-o", str(out), "-f", "text", "--jobs", "1"])
    assert result.exit_code == 0, result.output
    assert flushed == ["file", "file", "file", "folder"]
    assert sorted(path.name for path in out.iterdir()) == ["hotel_folio.txt", "phone_bill.txt", "tire_shop.txt"]
    # a single render still flushes its file, then its folder, at once
    flushed.clear()
    write_atomic(out / "one.txt", "x")
    assert flushed == ["folder"] and (out / "one.txt").read_text() == "x"


def test_batch_on_several_processes(tmp_path):
    ledgers = _ledgers(tmp_path / "in")
    out = tmp_path / "out"
    done = run("batch", str(ledgers), "-o", str(out), "-f", "text", "--jobs", "2")
    assert done.returncode == 1, done.stderr
    lines = done.stdout.decode().splitlines()
    assert lines == ['  broken.csv:5: debit "12,50" is not a decimal number', "3 written, 1 refused"]
    assert b"Traceback" not in done.stderr
    assert sorted(path.name for path in out.iterdir()) == ["hotel_folio.txt", "phone_bill.txt", "tire_shop.txt"]


def test_batch_ends_with_the_count_after_every_refusal(tmp_path):
    ledgers = _ledgers(tmp_path / "in")
    (ledgers / "also-bad.json").write_text('{"currency": "USD", "entries": [NaN]}')
    done = run("batch", str(ledgers), "-o", str(tmp_path / "out"), "--jobs", "2")
    assert done.returncode == 1, done.stderr
    lines = done.stdout.decode().splitlines()
    assert lines[-1] == "3 written, 2 refused"
    assert sorted(lines[:-1]) == ["  also-bad.json:1: NaN is not a number a ledger may hold",
                                  '  broken.csv:5: debit "12,50" is not a decimal number']


def test_batch_makes_the_output_folder_with_its_parents(tmp_path):
    ledgers = _ledgers(tmp_path / "in", bad=False)
    out = tmp_path / "a" / "b" / "c"
    result = runner.invoke(app, ["batch", str(ledgers), "-o", str(out), "-f", "json", "-j", "1"])
    assert result.exit_code == 0, result.output
    assert sorted(path.name for path in out.iterdir()) == ["hotel_folio.json", "phone_bill.json", "tire_shop.json"]


def test_batch_refuses_an_output_that_is_no_folder(tmp_path):
    ledgers = _ledgers(tmp_path / "in", bad=False)
    (tmp_path / "file").write_text("x")
    result = runner.invoke(app, ["batch", str(ledgers), "-o", str(tmp_path / "file"), "-j", "1"])
    assert result.exit_code == 2
    assert result.stderr == f"billformat: the output {tmp_path / 'file'} is not a folder\n"
    result = runner.invoke(app, ["batch", str(ledgers), "-o", str(tmp_path / "file" / "out"), "-j", "1"])
    assert result.exit_code == 2
    assert f"cannot make the output folder {tmp_path / 'file' / 'out'}" in result.stderr
    assert (tmp_path / "file").read_text() == "x" and result.stdout == ""


def test_batch_all_good_exits_0(tmp_path):
    ledgers = _ledgers(tmp_path / "in", bad=False)
    result = runner.invoke(app, ["batch", str(ledgers), "-o", str(tmp_path / "out"), "-f", "html", "-j", "2"])
    assert result.exit_code == 0, result.output
    assert result.stdout.splitlines() == ["3 written, 0 refused"]


@pytest.mark.skipif(os.name != "posix", reason="pseudo-terminals are POSIX")
def test_batch_shows_a_progress_bar_on_a_terminal(tmp_path):
    import pty

    ledgers = _ledgers(tmp_path / "in", bad=False)
    master, terminal = pty.openpty()
    process = subprocess.Popen(
        [sys.executable, "-m", "billformat", "batch", str(ledgers), "-o", str(tmp_path / "out"), "-f", "json"],
        stdout=subprocess.PIPE, stderr=terminal, stdin=subprocess.DEVNULL, cwd=ROOT,
    )
    os.close(terminal)
    shown = b""
    while True:
        try:
            chunk = os.read(master, 4096)
        except OSError:  # the terminal closed with the process
            break
        if not chunk:
            break
        shown += chunk
    stdout, _ = process.communicate(timeout=60)
    os.close(master)
    assert process.returncode == 0
    assert stdout.decode().splitlines() == ["3 written, 0 refused"]
    assert b"3/3" in shown and b"wrote " not in shown


def test_batch_keep_existing_skips_finished_outputs(tmp_path):
    ledgers = _ledgers(tmp_path / "in", bad=False)
    out = tmp_path / "out"
    assert runner.invoke(app, ["batch", str(ledgers), "-o", str(out), "-f", "json", "-j", "1"]).exit_code == 0
    (out / "phone_bill.json").unlink()
    result = runner.invoke(app, ["batch", str(ledgers), "-o", str(out), "-f", "json", "-j", "1", "--keep-existing"])
    assert result.exit_code == 0
    assert result.stdout.splitlines() == ["1 written, 0 refused, 2 kept as they were"]


def test_batch_never_overwrites_a_ledger_or_another_bill(tmp_path):
    folder = tmp_path / "ledgers"
    folder.mkdir()
    shutil.copy(TIRE_SHOP, folder / "ro.json")
    shutil.copy(HOTEL, folder / "ro.csv")
    shutil.copy(HOTEL, folder / "folio.csv")
    result = runner.invoke(app, ["batch", str(folder), "-o", str(folder), "-f", "json", "-j", "1"])
    assert result.exit_code == 1
    lines = result.stdout.splitlines()
    assert len(lines) == 3 and lines[-1] == "1 written, 2 refused"
    assert any(line.startswith("  ro.csv: its bill ro.json would overwrite the ledger ro.json") for line in lines)
    assert any(line.startswith("  ro.json: its bill ro.json would overwrite the ledger ro.json") for line in lines)
    assert (folder / "ro.json").read_bytes() == TIRE_SHOP.read_bytes()
    assert json.loads((folder / "folio.json").read_text())["total"] == "1148.77"

    result = runner.invoke(app, ["batch", str(folder), "-o", str(tmp_path / "out"), "-f", "text", "-j", "1"])
    assert result.exit_code == 1
    assert "  ro.json: its bill ro.txt would overwrite the bill of ro.csv" in result.stdout.splitlines()


def test_batch_needs_a_folder_of_ledgers(tmp_path):
    result = runner.invoke(app, ["batch", str(TIRE_SHOP), "-o", str(tmp_path / "out")])
    assert result.exit_code == 2
    assert "is not a folder" in result.stderr


def _many_ledgers(folder: Path, count: int, entries: int = 1500) -> Path:
    """``count`` big sale ledgers, each slow enough to interrupt a batch mid-way."""
    folder.mkdir()
    for number in range(count):
        ledger = {"kind": "sale", "currency": "USD", "number": f"S-{number}",
                  "entries": [{"text": f"ITEM {i}", "kind": "item", "amount": "1.25"} for i in range(entries)]}
        (folder / f"sale_{number:03d}.json").write_text(json.dumps(ledger))
    return folder


def _wait_for_outputs(out: Path, process: subprocess.Popen, at_least: int) -> None:
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline and process.poll() is None:
        if out.is_dir() and len([p for p in out.iterdir() if p.suffix == ".json"]) >= at_least:
            return
        time.sleep(0.01)


def _all_complete(out: Path) -> list[str]:
    """The finished outputs; each must be whole JSON."""
    names = []
    for path in out.iterdir():
        if path.name.endswith(".tmp"):
            continue
        bill = json.loads(path.read_text())
        assert bill["total"] == "1875.00"
        names.append(path.name)
    return names


def test_an_interrupted_batch_leaves_no_partial_file_and_a_rerun_finishes(tmp_path):
    ledgers = _many_ledgers(tmp_path / "in", 60)
    out = tmp_path / "out"
    args = [sys.executable, "-m", "billformat", "batch", str(ledgers), "-o", str(out), "-f", "json", "-j", "2"]
    process = subprocess.Popen(args, stdout=subprocess.PIPE, stderr=subprocess.PIPE, cwd=ROOT)
    _wait_for_outputs(out, process, at_least=3)
    process.send_signal(signal.SIGINT)
    _, stderr = process.communicate(timeout=60)
    assert b"Traceback" not in stderr
    if process.returncode != 0:  # interrupted mid-way (not finished before the signal)
        assert process.returncode == 130
        assert b"interrupted" in stderr
    finished = _all_complete(out)
    assert no_temporary_files(out)
    assert len(finished) >= 3

    again = run("batch", str(ledgers), "-o", str(out), "-f", "json", "-j", "2")
    assert again.returncode == 0
    assert len(_all_complete(out)) == 60


@pytest.mark.skipif(os.name != "posix", reason="process groups and SIGKILL are POSIX")
def test_a_killed_batch_leaves_only_complete_files(tmp_path):
    ledgers = _many_ledgers(tmp_path / "in", 40)
    out = tmp_path / "out"
    args = [sys.executable, "-m", "billformat", "batch", str(ledgers), "-o", str(out), "-f", "json", "-j", "2"]
    process = subprocess.Popen(args, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, cwd=ROOT,
                               start_new_session=True)
    _wait_for_outputs(out, process, at_least=2)
    os.killpg(process.pid, signal.SIGKILL)  # the batch and its workers, mid-write
    process.wait(timeout=30)
    _all_complete(out)  # any temporary file left by the kill is hidden and not an output

    again = run("batch", str(ledgers), "-o", str(out), "-f", "json", "-j", "2")
    assert again.returncode == 0
    assert len(_all_complete(out)) == 40


# ---------------------------------------------------------------------------
# write_atomic, the library's way to write a file whole or not at all


def test_write_atomic_writes_text_and_bytes(tmp_path):
    write_atomic(tmp_path / "a.txt", "Füße\n")
    write_atomic(tmp_path / "b.pdf", b"%PDF-1.4\n%%EOF\n")
    assert (tmp_path / "a.txt").read_text(encoding="utf-8") == "Füße\n"
    assert (tmp_path / "b.pdf").read_bytes() == b"%PDF-1.4\n%%EOF\n"
    assert sorted(path.name for path in tmp_path.iterdir()) == ["a.txt", "b.pdf"]


@pytest.mark.skipif(os.name != "posix", reason="umask is POSIX")
def test_write_atomic_gives_the_usual_permissions(tmp_path):
    mask = os.umask(0o022)
    try:
        write_atomic(tmp_path / "a.txt", "x")
    finally:
        os.umask(mask)
    assert stat.S_IMODE((tmp_path / "a.txt").stat().st_mode) == 0o644


@pytest.mark.parametrize("failure", [OSError(28, "No space left on device"), KeyboardInterrupt()])
def test_write_atomic_failure_keeps_the_old_file_and_leaves_no_temporary(tmp_path, monkeypatch, failure):
    target = tmp_path / "bill.txt"
    target.write_text("old bill")

    def fail(*args):
        raise failure

    monkeypatch.setattr(os, "fsync", fail)
    with pytest.raises(type(failure)) as raised:
        write_atomic(target, "new bill")
    if isinstance(failure, OSError):
        assert isinstance(raised.value, OutputError) and "disk is full" in str(raised.value)
    assert target.read_text() == "old bill"
    assert [path.name for path in tmp_path.iterdir()] == ["bill.txt"]


def test_write_atomic_into_a_missing_folder(tmp_path):
    with pytest.raises(OutputError, match="does not exist"):
        write_atomic(tmp_path / "nope" / "bill.txt", "x")
    assert list(tmp_path.iterdir()) == []


# AtomicWrites: many files written whole or not at all, flushed together


def _names(folder: Path) -> list[str]:
    return sorted(path.name for path in folder.iterdir())


def _recording_syncfs(monkeypatch) -> list[int]:
    """Count the file system flushes AtomicWrites makes (the real ones still happen)."""
    from billformat import output

    calls: list[int] = []
    real = output._syncfs()

    def syncfs(handle):
        calls.append(handle)
        return real(handle) if real is not None else 0

    monkeypatch.setattr(output, "_SYNCFS", [syncfs])
    return calls


def test_atomic_writes_flush_all_files_in_one_step_then_name_them(tmp_path, monkeypatch):
    calls = _recording_syncfs(monkeypatch)
    (tmp_path / "b.txt").write_text("old")
    with AtomicWrites() as writes:
        for name in ("a.txt", "b.txt", "c.pdf"):
            writes.add(tmp_path / name, f"new {name}" if name.endswith(".txt") else b"%PDF")
        assert len([name for name in _names(tmp_path) if name.endswith(".tmp")]) == 3
        assert (tmp_path / "b.txt").read_text() == "old"  # not named before the flush
        assert writes.commit() == [None, None, None]
    assert len(calls) == 1
    assert _names(tmp_path) == ["a.txt", "b.txt", "c.pdf"]
    assert (tmp_path / "b.txt").read_text() == "new b.txt" and (tmp_path / "c.pdf").read_bytes() == b"%PDF"


def test_atomic_writes_flush_each_file_where_the_system_cannot_flush_them_together(tmp_path, monkeypatch):
    from billformat import output

    monkeypatch.setattr(output, "_SYNCFS", [None])
    flushed: list[bool] = []
    real_fsync = os.fsync

    def fsync(handle):
        flushed.append(not (tmp_path / "a.txt").exists())  # before any file is named
        real_fsync(handle)

    monkeypatch.setattr(os, "fsync", fsync)
    with AtomicWrites() as writes:
        writes.add(tmp_path / "a.txt", "a")
        writes.add(tmp_path / "b.txt", "b")
        assert writes.commit() == [None, None]
    assert flushed == [True, True]
    assert _names(tmp_path) == ["a.txt", "b.txt"]


def test_atomic_writes_tell_a_file_that_cannot_be_flushed_and_name_the_others(tmp_path, monkeypatch):
    from billformat import output

    monkeypatch.setattr(output, "_SYNCFS", [lambda handle: -1])  # fails: each file is flushed
    (tmp_path / "b.txt").write_text("old")
    real_fsync = os.fsync
    seen: list[int] = []

    def fsync(handle):
        seen.append(handle)
        if len(seen) == 2:
            raise OSError(errno.EIO, "Input/output error")
        real_fsync(handle)

    monkeypatch.setattr(os, "fsync", fsync)
    with AtomicWrites() as writes:
        for name in ("a.txt", "b.txt", "c.txt"):
            writes.add(tmp_path / name, "new")
        errors = writes.commit()
    assert errors[0] is None and errors[2] is None
    assert isinstance(errors[1], OutputError) and str(errors[1]) == (
        f"cannot write {tmp_path / 'b.txt'}: input/output error")
    assert _names(tmp_path) == ["a.txt", "b.txt", "c.txt"]
    assert (tmp_path / "b.txt").read_text() == "old" and (tmp_path / "c.txt").read_text() == "new"


def test_atomic_writes_tell_a_file_that_cannot_take_its_name(tmp_path, monkeypatch):
    _recording_syncfs(monkeypatch)
    with AtomicWrites() as writes:
        writes.add(tmp_path / "a.txt", "a")
        writes.add(tmp_path / "b.txt", "b")
        (tmp_path / "a.txt").mkdir()  # a folder took the name meanwhile
        (tmp_path / "a.txt" / "x").write_text("x")
        errors = writes.commit()
    assert isinstance(errors[0], OutputError) and errors[1] is None
    assert _names(tmp_path) == ["a.txt", "b.txt"] and (tmp_path / "a.txt").is_dir()


def test_atomic_writes_refuse_a_missing_folder_at_once(tmp_path):
    with AtomicWrites() as writes, pytest.raises(OutputError, match="does not exist"):
        writes.add(tmp_path / "nope" / "a.txt", "a")
    assert list(tmp_path.iterdir()) == []


@pytest.mark.parametrize("failure", [RuntimeError("a bug"), KeyboardInterrupt()])
def test_atomic_writes_not_committed_leave_nothing(tmp_path, failure):
    (tmp_path / "a.txt").write_text("old")
    with pytest.raises(type(failure)), AtomicWrites() as writes:
        writes.add(tmp_path / "a.txt", "new")
        writes.add(tmp_path / "b.txt", "new")
        raise failure
    assert _names(tmp_path) == ["a.txt"] and (tmp_path / "a.txt").read_text() == "old"


def test_atomic_writes_interrupted_while_naming_keep_what_was_named_and_nothing_else(tmp_path, monkeypatch):
    _recording_syncfs(monkeypatch)
    real_replace = os.replace
    renames: list[str] = []

    def replace(source, target):
        renames.append(str(target))
        if len(renames) == 2:
            raise KeyboardInterrupt
        real_replace(source, target)

    monkeypatch.setattr(os, "replace", replace)
    with pytest.raises(KeyboardInterrupt), AtomicWrites() as writes:
        for name in ("a.txt", "b.txt", "c.txt"):
            writes.add(tmp_path / name, name)
        writes.commit()
    assert _names(tmp_path) == ["a.txt"] and (tmp_path / "a.txt").read_text() == "a.txt"


def test_batch_shows_hostile_file_names_harmlessly(tmp_path):
    ledgers = tmp_path / "in"
    ledgers.mkdir()
    name = "bad\x1b[31m[bold]\u202ename.json"
    (ledgers / name).write_text("{not json")
    result = runner.invoke(app, ["batch", str(ledgers), "-o", str(tmp_path / "out"), "--jobs", "1"])
    assert result.exit_code == 1
    assert "\x1b" not in result.output and "\u202e" not in result.output
    assert "\\x1b[31m[bold]\\u202ename.json" in result.output
