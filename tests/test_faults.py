"""Faults: a batch killed at any moment, a full disk, an unwritable output.

What must hold: only whole output files are ever left behind; a file that
cannot be written is a clear error for that file while the batch goes on;
running the same batch again finishes the rest.

Temporary files: ``write_atomic`` writes ``.NAME.<12 hex>.tmp`` beside the
target and renames it in one step.  A SIGKILL between the two leaves that
hidden file behind; nothing reads it (a batch never takes a hidden file as
a ledger, and a rerun writes a new temporary of its own), so it is ignored,
and ``rm OUT/.*.tmp`` removes it.  Any other failure removes it at once.
"""

from __future__ import annotations

import errno
import io
import json
import os
import random
import re
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

SAMPLES = Path(__file__).resolve().parent.parent / "samples"
TEMPORARY = re.compile(r"^\.(?P<target>.+)\.[0-9a-f]{12}\.tmp$")
BAD_LEDGER = '{"currency": "USD", "entries": [{"text": "a", "kind": "item", "amount": NaN}]}'


def make_ledgers(folder: Path, copies: int = 10) -> list[str]:
    """Copies of every sample, a bigger ledger or two, and one bad ledger."""
    folder.mkdir()
    good = []
    for sample in sorted(SAMPLES.iterdir()):
        if sample.suffix not in (".json", ".csv"):
            continue
        for number in range(copies):
            target = folder / f"{sample.stem}-{number}{sample.suffix}"
            shutil.copy(sample, target)
            good.append(target.stem)
    sys.path.insert(0, str(SAMPLES.parent))
    try:
        from bench.ledgers import generate
    except ImportError:  # the benchmarks are not shipped: a plain big ledger instead
        generate = None
    for number in range(2):
        data = generate(2000, seed=number) if generate else big_ledger(2000)
        (folder / f"big-{number}.json").write_text(json.dumps(data))
        good.append(f"big-{number}")
    (folder / "bad.json").write_text(BAD_LEDGER)
    return sorted(good)


def big_ledger(count: int) -> dict:
    entries = [{"id": str(n), "text": f"ITEM {n}", "kind": "item", "amount": f"{n % 97}.{n % 100:02d}"}
               for n in range(1, count + 1)]
    return {"currency": "USD", "entries": entries}


def batch(ledgers: Path, out: Path, format: str = "pdf", *extra: str) -> subprocess.Popen:
    return subprocess.Popen(
        [sys.executable, "-m", "billformat", "batch", str(ledgers), "-o", str(out), "--jobs", "2",
         "--format", format, *extra],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, start_new_session=True,
    )


def kill_all(process: subprocess.Popen) -> None:
    """SIGKILL the batch and its workers at once, as a crash or the OOM killer would."""
    try:
        os.killpg(process.pid, signal.SIGKILL)
    except ProcessLookupError:
        pass
    process.communicate(timeout=30)


def assert_whole(path: Path, format: str) -> None:
    data = path.read_bytes()
    if format == "pdf":
        from pypdf import PdfReader

        assert data.startswith(b"%PDF-") and data.rstrip().endswith(b"%%EOF"), path
        reader = PdfReader(io.BytesIO(data), strict=True)
        assert len(reader.pages) >= 1 and reader.pages[0].extract_text(), path
    elif format == "json":
        assert "balance_due" in json.loads(data) or "closing_balance" in json.loads(data), path
    elif format == "html":
        assert data.decode("utf-8").rstrip().endswith("</html>"), path
    else:
        assert data.decode("utf-8").endswith("\n"), path


def check_outputs(out: Path, format: str, good: list[str],
                  checked: set | None = None) -> tuple[set[str], list[str]]:
    """Every finished file whole; every leftover a hidden temporary of a real target.

    ``checked`` remembers files already proven whole (by name, size and time).
    """
    finished, leftovers = set(), []
    checked = set() if checked is None else checked
    suffix = {"pdf": ".pdf", "json": ".json", "html": ".html", "text": ".txt"}[format]
    for path in out.iterdir() if out.exists() else []:
        temporary = TEMPORARY.match(path.name)
        if temporary:
            assert Path(temporary["target"]).stem in good, path.name
            leftovers.append(path.name)
            continue
        assert path.suffix == suffix and path.stem in good, path.name
        stat = path.stat()
        if (path.name, stat.st_size, stat.st_mtime_ns) not in checked:
            assert_whole(path, format)
            checked.add((path.name, stat.st_size, stat.st_mtime_ns))
        finished.add(path.stem)
    return finished, leftovers


def test_a_batch_killed_at_random_moments_leaves_only_whole_files_and_a_rerun_finishes(tmp_path):
    format = "pdf"
    ledgers, out = tmp_path / "ledgers", tmp_path / "out"
    good = make_ledgers(ledgers, copies=5)
    checked: set = set()
    chance = random.Random(33733)
    started = time.perf_counter()
    # How long a whole run takes here, so the kills fall across all of it.
    probe = batch(ledgers, tmp_path / "probe", format)
    probe.communicate(timeout=120)
    whole_run = time.perf_counter() - started
    shutil.rmtree(tmp_path / "probe")
    kills = 0
    kill_times = []
    midway = 0  # kills that left some files written and some not
    while kills < 20 and time.perf_counter() - started < 25:
        process = batch(ledgers, out, format)
        delay = chance.uniform(0.0, whole_run)
        time.sleep(delay)
        kill_all(process)
        kills += 1
        kill_times.append(round(delay, 2))
        finished, leftovers = check_outputs(out, format, good, checked)
        midway += 0 < len(finished) < len(good)
        if len(finished) == len(good):  # all done: start again from nothing
            shutil.rmtree(out)
    assert kills >= 12, f"only {kills} kills in the time"
    assert midway >= 1, f"no kill fell in the middle of the work: {kill_times}"
    shutil.rmtree(out, ignore_errors=True)
    process = batch(ledgers, out, format)  # one more, killed mid-way, then the rerun
    time.sleep(whole_run / 2)
    kill_all(process)
    rerun = batch(ledgers, out, format)
    stdout, stderr = rerun.communicate(timeout=120)
    assert rerun.returncode == 1, stderr.decode()  # the bad ledger is refused, the rest written
    assert f"{len(good)} written, 1 refused" in stdout.decode(), stdout.decode()
    assert "bad.json:1: NaN" in stdout.decode()
    finished, leftovers = check_outputs(out, format, good, checked)
    assert finished == set(good)
    assert time.perf_counter() - started < 40, kill_times


def test_a_rerun_with_keep_existing_finishes_only_what_a_killed_batch_left(tmp_path):
    ledgers, out = tmp_path / "ledgers", tmp_path / "out"
    good = make_ledgers(ledgers, copies=6)
    process = batch(ledgers, out, "html")
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline and len(list(out.glob("*.html"))) < 5:
        time.sleep(0.01)
    kill_all(process)
    finished, _ = check_outputs(out, "html", good)
    assert finished
    before = {name: (out / f"{name}.html").stat().st_mtime_ns for name in finished}
    rerun = batch(ledgers, out, "html", "--keep-existing")
    stdout, _ = rerun.communicate(timeout=120)
    assert f"{len(finished)} kept as they were" in stdout.decode(), stdout.decode()
    done, _ = check_outputs(out, "html", good)
    assert done == set(good)
    assert all((out / f"{name}.html").stat().st_mtime_ns == when for name, when in before.items())


# ---------------------------------------------------------------------------
# A full disk and an unwritable output


def test_a_full_disk_is_a_clear_error_for_each_file_and_the_batch_goes_on(tmp_path):
    ledgers, out = tmp_path / "ledgers", tmp_path / "out"
    good = make_ledgers(ledgers, copies=3)
    out.mkdir()
    mounted = subprocess.run(["mount", "-t", "tmpfs", "-o", "size=48k", "tmpfs", str(out)],
                             capture_output=True).returncode == 0
    try:
        if mounted:
            stdout, status = run_batch_in_a_process(ledgers, out)
        else:  # no tmpfs here: the disk fills up after 48 kB, simulated
            stdout, status = run_batch_with_a_simulated_full_disk(ledgers, out, 48 * 1024)
        written = re.search(r"(\d+) written, (\d+) refused", stdout)
        assert written, stdout
        full = stdout.count("the disk is full")
        assert status == 1
        assert int(written[1]) >= 1 and full >= 1, stdout  # some fit, the rest did not
        assert int(written[1]) + int(written[2]) == len(good) + 1
        assert int(written[2]) == full + 1  # every refusal but the bad ledger is the full disk
        assert "Traceback" not in stdout
        finished, leftovers = check_outputs(out, "pdf", good)
        assert len(finished) == int(written[1]) and leftovers == []  # nothing half-written
    finally:
        if mounted:
            subprocess.run(["umount", str(out)], check=True)


def run_batch_in_a_process(ledgers: Path, out: Path) -> tuple[str, int]:
    process = batch(ledgers, out, "pdf")
    stdout, _ = process.communicate(timeout=120)
    return stdout.decode(), process.returncode


def run_batch_with_a_simulated_full_disk(ledgers: Path, out: Path, room: int) -> tuple[str, int]:
    from typer.testing import CliRunner

    from billformat import output
    from billformat.cli import app

    used = [0]
    real_fdopen = os.fdopen

    class Disk(io.RawIOBase):
        def __init__(self, handle: int) -> None:
            self.file = real_fdopen(handle, "wb")

        def write(self, data) -> int:
            if used[0] + len(data) > room:
                raise OSError(errno.ENOSPC, "No space left on device")
            used[0] += len(data)
            return self.file.write(data)

        def fileno(self) -> int:
            return self.file.fileno()

        def close(self) -> None:
            self.file.close()
            super().close()

    with pytest.MonkeyPatch.context() as patch:  # os.fdopen is everyone's: put back after
        patch.setattr(output.os, "fdopen", lambda handle, mode: Disk(handle))
        result = CliRunner().invoke(app, ["batch", str(ledgers), "-o", str(out), "--jobs", "1"])
    return result.output, result.exit_code


def test_a_simulated_full_disk_in_process_is_a_per_file_error(tmp_path, monkeypatch):
    """The same with the disk filled by a patched write (runs anywhere, no root)."""
    ledgers, out = tmp_path / "ledgers", tmp_path / "out"
    good = make_ledgers(ledgers, copies=2)
    out.mkdir()
    with monkeypatch.context():
        stdout, status = run_batch_with_a_simulated_full_disk(ledgers, out, 20 * 1024)
    assert status == 1 and "the disk is full" in stdout, stdout
    finished, leftovers = check_outputs(out, "pdf", good)
    assert finished and leftovers == [] and len(finished) < len(good)


def test_an_unwritable_output_folder_is_a_clear_error_and_the_batch_goes_on(tmp_path):
    from test_hostile import read_only

    ledgers, out = tmp_path / "ledgers", tmp_path / "out"
    good = make_ledgers(ledgers, copies=1)
    out.mkdir()
    with read_only(out):
        process = batch(ledgers, out, "json")
        stdout, stderr = process.communicate(timeout=120)
        said = stdout.decode()
        assert process.returncode == 1, stderr.decode()
        assert f"0 written, {len(good) + 1} refused" in said, said
        assert said.count("read-only") == len(good), said
        assert "Traceback" not in said + stderr.decode()
