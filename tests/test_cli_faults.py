"""The command line when the world misbehaves: odd entries in a ledger
folder, a standard output or error that cannot be written, a worker process
killed mid-batch, and file names that would drive the terminal.

What must hold: no traceback, ever; a plain reason for each file refused;
the batch finishes its work whatever happens to its progress lines; the exit
status says what happened to the bills (2 when an output was lost).
"""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest
from typer.testing import CliRunner

from billformat.cli import Format, _jobs_for, app

ROOT = Path(__file__).resolve().parent.parent
TIRE_SHOP = ROOT / "samples" / "tire_shop.json"
FULL = Path("/dev/full")
needs_full = pytest.mark.skipif(not FULL.exists(), reason="no /dev/full on this system")
posix_only = pytest.mark.skipif(os.name != "posix", reason="symbolic links, FIFOs and signals as POSIX has them")

runner = CliRunner()


def billformat(*args: str, stdout=subprocess.PIPE, stderr=subprocess.PIPE, shell_tail: str = "",
               cwd: Path = ROOT) -> subprocess.CompletedProcess:
    """``python -m billformat ARGS`` as a real process; ``shell_tail`` adds
    redirections as a shell writes them (``2>&-``)."""
    command = [sys.executable, "-m", "billformat", *args]
    if shell_tail:
        command = ["sh", "-c", f'exec "$@" {shell_tail}', "sh", *command]
    return subprocess.run(command, stdout=stdout, stderr=stderr, cwd=cwd, timeout=120)


def ledgers(folder: Path, count: int, *, bad: bool = False) -> Path:
    folder.mkdir()
    for number in range(count):
        shutil.copy(TIRE_SHOP, folder / f"ro-{number:03d}.json")
    if bad:
        (folder / "zz-bad.json").write_text("{not json")
    return folder


# ---------------------------------------------------------------------------
# 1. Batch listing: entries named like ledgers that are no files to read


REASONS = {
    "loop.json": "cannot read it: too many levels of symbolic links",
    "gone.json": "cannot read it: the file it links to does not exist",
    "fifo.json": "not a regular file: it is a named pipe",
    "folder.json": "not a regular file: it is a folder",
    "to-folder.json": "not a regular file: it links to a folder",
}


def odd_folder(folder: Path) -> Path:
    ledgers(folder, 3)
    (folder / "loop.json").symlink_to("loop.json")
    (folder / "gone.json").symlink_to("missing.json")
    os.mkfifo(folder / "fifo.json")
    (folder / "folder.json").mkdir()
    (folder / "to-folder.json").symlink_to("folder.json")
    (folder / "link.json").symlink_to("ro-000.json")  # a link to a ledger is read
    (folder / "notes").mkdir()  # no ledger's suffix: not a ledger, nothing to say
    os.mkfifo(folder / ".hidden.json")  # hidden: a temporary, left alone
    return folder


@posix_only
@pytest.mark.parametrize("jobs", ["1", "2"])
def test_a_batch_refuses_each_odd_entry_plainly_and_renders_the_rest(tmp_path, jobs):
    folder, out = odd_folder(tmp_path / "in"), tmp_path / "out"
    result = runner.invoke(app, ["batch", str(folder), "-o", str(out), "-f", "json", "-j", jobs])
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
    assert result.exit_code == 1, result.output
    assert result.stdout.splitlines() == [f"  {name}: {reason}" for name, reason in sorted(REASONS.items())] \
        + ["4 written, 5 refused"]
    assert sorted(path.name for path in out.iterdir()) == ["link.json", "ro-000.json", "ro-001.json",
                                                           "ro-002.json"]


@posix_only
def test_a_symlink_loop_is_no_traceback_as_a_process(tmp_path):
    folder = ledgers(tmp_path / "in", 2)
    (folder / "loop.json").symlink_to("loop.json")
    done = billformat("batch", str(folder), "-o", str(tmp_path / "out"), "-f", "text", "-j", "1")
    assert done.returncode == 1, done.stderr
    assert b"Traceback" not in done.stderr + done.stdout
    assert done.stdout.decode().splitlines() == [
        "  loop.json: cannot read it: too many levels of symbolic links", "2 written, 1 refused"]


@posix_only
def test_the_listing_looks_closer_only_at_odd_entries(tmp_path, monkeypatch):
    """Thousands of plain files are listed without a stat call for any of them."""
    folder = odd_folder(tmp_path / "in")
    for number in range(200):
        (folder / f"more-{number}.csv").write_text("x")
    looked_at: list[str] = []
    real_scandir = os.scandir

    class Entry:
        def __init__(self, entry: os.DirEntry) -> None:
            self._entry = entry

        def __getattr__(self, name: str):
            return getattr(self._entry, name)

        def stat(self, **options):
            looked_at.append(self._entry.name)
            return self._entry.stat(**options)

    class Listing:
        def __init__(self, path) -> None:
            self._listing = real_scandir(path)

        def __enter__(self):
            return (Entry(entry) for entry in self._listing)

        def __exit__(self, *exc) -> None:
            self._listing.close()

    monkeypatch.setattr(os, "scandir", Listing)
    refused: list[tuple[str, str]] = []
    jobs = _jobs_for(folder, tmp_path / "out", Format.pdf, None, False, False, refused=refused)
    assert len(jobs) == 204 and sorted(refused) == sorted(REASONS.items())
    assert sorted(looked_at) == sorted([*REASONS, "link.json"])


# ---------------------------------------------------------------------------
# 2. A standard output or standard error that cannot be written


@needs_full
@pytest.mark.parametrize("args", [
    ["render", "samples/tire_shop.json"],
    ["render", "samples/tire_shop.json", "--format", "json"],
    ["render", "samples/tire_shop.json", "--format", "pdf"],
    ["render", "samples/hotel_folio.csv", "--format", "html", "--details"],
    ["check", "samples/tire_shop.json"],
    ["check", "samples/tire_shop.json", "samples/hotel_folio.csv", "--json"],
    ["--version"],
])
def test_a_full_standard_output_is_exit_2_with_one_line_saying_so(args):
    with FULL.open("wb") as full:
        done = billformat(*args, stdout=full)
    assert done.returncode == 2
    assert done.stderr.decode() == "billformat: cannot write to standard output: the disk is full\n"


@needs_full
def test_a_full_standard_output_with_a_full_standard_error_is_still_exit_2():
    with FULL.open("wb") as full:
        done = billformat("check", "samples/tire_shop.json", stdout=full, stderr=full)
    assert done.returncode == 2


def test_a_closed_pipe_on_standard_output_is_exit_2_and_no_traceback():
    reader = subprocess.Popen(["true"], stdin=subprocess.PIPE)
    reader.wait(timeout=30)  # gone: writing to its pipe fails (EPIPE)
    done = billformat("render", "samples/hotel_folio.csv", "--format", "html", "--details",
                      stdout=reader.stdin)
    reader.stdin.close()
    assert done.returncode == 2
    assert done.stderr.decode() == ("billformat: cannot write to standard output: "
                                    "the program reading it has stopped\n")


@needs_full
@posix_only
@pytest.mark.parametrize("jobs", ["1", "2"])
@pytest.mark.parametrize("stderr", ["2>/dev/full", "2>&-"])
def test_progress_lines_that_cannot_be_written_never_stop_a_batch(tmp_path, jobs, stderr):
    folder, out = ledgers(tmp_path / "in", 12, bad=True), tmp_path / "out"
    done = billformat("batch", str(folder), "-o", str(out), "-f", "json", "-j", jobs, shell_tail=stderr)
    assert done.returncode == 1  # for the bad ledger, as with a working standard error
    assert done.stdout.decode().splitlines()[-1] == "12 written, 1 refused"
    assert sorted(path.name for path in out.iterdir()) == [f"ro-{number:03d}.json" for number in range(12)]
    assert all(json.loads(path.read_text())["total"] == "236.31" for path in out.iterdir())


@needs_full
@posix_only
@pytest.mark.parametrize("stderr", ["2>/dev/full", "2>&-"])
def test_a_batch_whose_count_cannot_be_written_finishes_its_work_then_exits_2(tmp_path, stderr):
    folder, out = ledgers(tmp_path / "in", 6), tmp_path / "out"
    done = billformat("batch", str(folder), "-o", str(out), "-f", "text", "-j", "2",
                      shell_tail=f">/dev/full {stderr}")
    assert done.returncode == 2
    assert len(list(out.glob("ro-*.txt"))) == 6


def test_a_failing_standard_error_changes_nothing_in_process(tmp_path, monkeypatch):
    """The same in process: every echo to standard error fails, the batch goes on."""
    import typer

    real_echo = typer.echo

    def echo(message=None, file=None, nl=True, err=False, color=None):
        if err:
            raise OSError(28, "No space left on device")
        return real_echo(message, file=file, nl=nl, err=err, color=color)

    monkeypatch.setattr(typer, "echo", echo)
    folder, out = ledgers(tmp_path / "in", 5, bad=True), tmp_path / "out"
    result = runner.invoke(app, ["batch", str(folder), "-o", str(out), "-f", "text", "-j", "1"])
    assert result.exit_code == 1, result.exception
    assert result.stdout.splitlines()[-1] == "5 written, 1 refused"
    assert len(list(out.iterdir())) == 5


# ---------------------------------------------------------------------------
# 3. A worker process killed mid-batch


KILLER = textwrap.dedent("""\
    # billformat, whose workers die (SIGKILL, as the out-of-memory killer
    # does) on any ledger with "killer" in its name.
    import os
    import signal

    import billformat
    from billformat.cli import app

    real_read_ledger = billformat.read_ledger


    def read_ledger(source, *args, **options):
        if "killer" in os.path.basename(str(source)):
            os.kill(os.getpid(), signal.SIGKILL)
        return real_read_ledger(source, *args, **options)


    billformat.read_ledger = read_ledger

    if __name__ == "__main__":
        app(prog_name="billformat")
    """)


def run_with_killers(tmp_path: Path, folder: Path, *args: str) -> subprocess.CompletedProcess:
    script = tmp_path / "killing_billformat.py"
    script.write_text(KILLER)
    return subprocess.run([sys.executable, str(script), "batch", str(folder), *args], capture_output=True,
                          cwd=ROOT, env=this_billformat(), timeout=120)


def this_billformat() -> dict[str, str]:
    """The environment for a script outside the checkout to import this checkout's billformat."""
    return {**os.environ, "PYTHONPATH": os.pathsep.join([str(ROOT), os.environ.get("PYTHONPATH", "")])}


@posix_only
def test_a_ledger_that_kills_its_worker_is_the_only_one_refused(tmp_path):
    folder, out = ledgers(tmp_path / "in", 64), tmp_path / "out"  # chunks of 4 on 2 workers
    shutil.copy(TIRE_SHOP, folder / "ro-031-killer.json")
    done = run_with_killers(tmp_path, folder, "-o", str(out), "-f", "json", "-j", "2")
    assert done.returncode == 1, done.stderr
    assert b"Traceback" not in done.stderr
    assert done.stdout.decode().splitlines() == [
        ("  ro-031-killer.json: the worker rendering it stopped, again when it was tried alone "
         "(killed; out of memory?)"),
        "64 written, 1 refused"]
    # (the worker stopped with it may leave a hidden temporary, as any killed process may)
    assert sorted(path.name for path in out.glob("[!.]*")) == [f"ro-{number:03d}.json" for number in range(64)]


@posix_only
def test_ledgers_that_kill_every_worker_end_the_batch_in_bounded_time(tmp_path):
    folder, out = ledgers(tmp_path / "in", 20), tmp_path / "out"
    for number in range(12):
        shutil.copy(TIRE_SHOP, folder / f"killer-{number:02d}.json")
    started = time.monotonic()
    done = run_with_killers(tmp_path, folder, "-o", str(out), "-f", "json", "-j", "2")
    assert time.monotonic() - started < 60
    assert done.returncode == 1, done.stderr
    lines = done.stdout.decode().splitlines()
    assert lines[-1] == "20 written, 12 refused", lines
    assert all(line.startswith("  killer-") and "the worker rendering it stopped" in line for line in lines[:-1])
    assert len(list(out.glob("ro-*.json"))) == 20


@posix_only
def test_workers_that_die_before_taking_any_ledger_end_the_batch_in_bounded_time(tmp_path):
    """No ledger to blame (say the system kills every new process): the batch
    tries a few new pools, then refuses what is left, for a rerun."""
    folder, out = ledgers(tmp_path / "in", 10), tmp_path / "out"
    script = tmp_path / "dying_billformat.py"
    script.write_text(KILLER.replace('billformat.read_ledger = read_ledger', textwrap.dedent("""\
        import billformat.cli

        billformat.cli._start_worker = lambda started: os.kill(os.getpid(), signal.SIGKILL)""")))
    started = time.monotonic()
    done = subprocess.run([sys.executable, str(script), "batch", str(folder), "-o", str(out), "-j", "2"],
                          capture_output=True, cwd=ROOT, env=this_billformat(), timeout=120)
    assert time.monotonic() - started < 60
    assert done.returncode == 1, done.stderr
    lines = done.stdout.decode().splitlines()
    assert lines[-1] == "0 written, 10 refused"
    assert all(line.endswith(": not rendered: the worker processes kept stopping (out of memory?); "
                             "run the same command again to finish the rest") for line in lines[:-1])
    assert b"Traceback" not in done.stderr


def children(pid: int) -> list[int]:
    """The processes whose parent is ``pid`` (its workers)."""
    found = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                stat = (entry / "stat").read_text()
            except OSError:
                continue
            if int(stat.rsplit(")", 1)[1].split()[1]) == pid:
                found.append(int(entry.name))
    return found


@pytest.mark.skipif(not Path("/proc/self/stat").exists(), reason="finds the workers in /proc")
def test_a_worker_killed_from_outside_costs_no_ledger(tmp_path):
    folder, out = tmp_path / "in", tmp_path / "out"
    folder.mkdir()
    for number in range(40):  # slow enough to kill a worker mid-way
        ledger = {"kind": "sale", "currency": "USD", "number": f"S-{number}",
                  "entries": [{"text": f"ITEM {i}", "kind": "item", "amount": "1.25"} for i in range(1500)]}
        (folder / f"sale_{number:03d}.json").write_text(json.dumps(ledger))
    process = subprocess.Popen([sys.executable, "-m", "billformat", "batch", str(folder), "-o", str(out),
                                "-f", "json", "-j", "2"], stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                               cwd=ROOT)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline and len(list(out.glob("*.json")) if out.exists() else []) < 3:
        time.sleep(0.01)
    workers = children(process.pid)
    assert workers, "no worker to kill"
    os.kill(workers[0], signal.SIGKILL)
    stdout, stderr = process.communicate(timeout=120)
    assert process.returncode == 0, stdout + stderr
    assert stdout.decode().splitlines() == ["40 written, 0 refused"]
    assert b"Traceback" not in stderr and b"BrokenProcessPool" not in stdout + stderr
    assert sorted(path.name for path in out.glob("*.json")) == [f"sale_{n:03d}.json" for n in range(40)]


# ---------------------------------------------------------------------------
# 4. File names and values that would drive the terminal


HOSTILE = "ro\x1b[2J\x1b]0;owned\x07\u202eevil.json"
SHOWN = "ro\\x1b[2J\\x1b]0;owned\\x07\\u202eevil.json"


def wrong_total(path: Path) -> Path:
    ledger = json.loads(TIRE_SHOP.read_text())
    ledger.setdefault("stated", {})["total"] = "999.00"
    path.write_text(json.dumps(ledger))
    return path


def test_check_shows_a_hostile_file_name_escaped(tmp_path):
    source = wrong_total(tmp_path / HOSTILE)
    result = runner.invoke(app, ["check", str(source)])
    assert result.exit_code == 1
    assert "\x1b" not in result.output and "\u202e" not in result.output and "\x07" not in result.output
    lines = result.stdout.splitlines()
    assert lines[0] == f"{tmp_path}/{SHOWN}: does not reconcile"
    assert lines[1] == (f"{tmp_path}/{SHOWN}: error: the ledger states a total of 999.00; "
                        "its entries add up to 236.31")


def test_check_prints_an_ordinary_name_as_it_is(tmp_path):
    source = wrong_total(tmp_path / "ro 10492 (Müller).json")
    result = runner.invoke(app, ["check", str(source)])
    assert result.stdout.splitlines()[0] == f"{source}: does not reconcile"


def test_check_json_keeps_the_name_and_shows_nothing_hidden(tmp_path):
    source = wrong_total(tmp_path / HOSTILE)
    result = runner.invoke(app, ["check", str(source), "--json"])
    assert result.exit_code == 1
    assert "\x1b" not in result.stdout and "\u202e" not in result.stdout and "\x07" not in result.stdout
    assert json.loads(result.stdout)["file"] == str(source)  # the same JSON, escaped


def test_render_warns_of_a_hostile_file_name_escaped(tmp_path):
    source = wrong_total(tmp_path / HOSTILE)
    result = runner.invoke(app, ["render", str(source), "-o", str(tmp_path / "ro.txt")])
    assert result.exit_code == 0
    assert "\x1b" not in result.stderr and "\u202e" not in result.stderr
    assert result.stderr.splitlines()[0].startswith(f"{tmp_path}/{SHOWN}: does not reconcile")


@pytest.mark.parametrize("locale, shown", [
    ("en\x1b[2J_US", "en\\x1b[2J_US"),
    ("x" * 100_000, "x" * 40 + "…"),
    ("\u202e" * 100, "\\u202e" * 40 + "…"),
], ids=["escape", "100-kB", "bidi"])
def test_a_bad_locale_is_quoted_escaped_and_cut(locale, shown):
    result = runner.invoke(app, ["render", str(TIRE_SHOP), "--locale", locale])
    assert result.exit_code == 2
    assert result.stderr == (f'billformat: --locale "{shown}" is not a locale billformat knows '
                             "(use a CLDR name such as en_US, de_CH, ja_JP)\n")
