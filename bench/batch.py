"""Batch: 2,000 bills rendered to PDF with ``--jobs 1`` and with ``--jobs 2``.

The bills are the 25-line sample under 2,000 numbers.  Throughput is bills
a second of wall time; the goal is ``--jobs 2`` at least 1.8 times
``--jobs 1`` (on a machine with two free cores).
"""

from __future__ import annotations

import json
import os
import statistics
import subprocess
import tempfile
import time
from pathlib import Path

from bench.cold import billformat_command
from bench.render import SAMPLE

GOAL = 1.8


def make_folder(folder: Path, count: int) -> None:
    sample = json.loads(SAMPLE.read_text())
    for number in range(count):
        sample["number"] = f"RO-{30000 + number}"
        (folder / f"bill-{number:05d}.json").write_text(json.dumps(sample))


def run(count: int, rounds: int, echo=print) -> dict:
    command = billformat_command()
    # Bytecode caches as an installed package has them (see bench/cold.py).
    environment = {name: value for name, value in os.environ.items()
                   if name != "PYTHONDONTWRITEBYTECODE"}
    environment["COLUMNS"] = "100"
    times: dict[int, list[float]] = {1: [], 2: []}  # not money
    with tempfile.TemporaryDirectory() as folder:
        ledgers = Path(folder) / "ledgers"
        ledgers.mkdir()
        make_folder(ledgers, count)
        for round_number in range(rounds):
            for jobs in (1, 2):
                out = Path(folder) / f"out-{jobs}-{round_number}"
                started = time.perf_counter()
                subprocess.run([*command, "batch", str(ledgers), "-o", str(out), "--jobs", str(jobs)],
                               check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                               env=environment)
                times[jobs].append(time.perf_counter() - started)  # not money
                written = len(list(out.glob("*.pdf")))
                if written != count:
                    raise SystemExit(f"batch --jobs {jobs} wrote {written} of {count} bills")
    best = {jobs: statistics.median(values) for jobs, values in times.items()}  # not money
    results = {
        "bills": count,
        "jobs1": best[1],
        "jobs2": best[2],
        "throughput1": count / best[1],
        "throughput2": count / best[2],
        "ratio": best[1] / best[2],
        "load": os.getloadavg()[0],
    }
    echo(f"  batch {count} bills: --jobs 1 {best[1]:.2f} s ({results['throughput1']:.0f}/s), "
         f"--jobs 2 {best[2]:.2f} s ({results['throughput2']:.0f}/s): {results['ratio']:.2f} x "
         f"(load average {results['load']:.1f} on {os.cpu_count()} cores)")
    return results
