"""Batch: 2,000 bills rendered to PDF with ``--jobs 1`` and with ``--jobs 2``.

The bills are the 25-line sample under 2,000 numbers.  Throughput is bills
a second of wall time; the goal is ``--jobs 2`` at least 1.8 times
``--jobs 1`` (on a machine with two free cores).

For reference, each round also runs two independent ``--jobs 1`` batches
of half the bills each at the same time: what this machine's two cores give
two processes that share nothing, the ceiling for ``--jobs 2``.
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
    times: dict[str, list[float]] = {"1": [], "2": [], "halves": []}  # not money
    with tempfile.TemporaryDirectory() as folder:
        place = Path(folder)
        ledgers = place / "ledgers"
        ledgers.mkdir()
        make_folder(ledgers, count)
        halves = [place / "first-half", place / "second-half"]
        for number, half in enumerate(halves):
            half.mkdir()
            for ledger in sorted(ledgers.iterdir())[number::2]:
                os.link(ledger, half / ledger.name)

        def start(source: Path, out: Path, jobs: int) -> subprocess.Popen:
            return subprocess.Popen([*command, "batch", str(source), "-o", str(out), "--jobs", str(jobs)],
                                    stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=environment)

        for round_number in range(rounds):
            runs = {"1": [(ledgers, 1)], "2": [(ledgers, 2)], "halves": [(half, 1) for half in halves]}
            for name, batches in runs.items():
                outs = [place / f"out-{name}-{round_number}-{index}" for index in range(len(batches))]
                started = time.perf_counter()
                processes = [start(source, out, jobs) for (source, jobs), out in zip(batches, outs)]
                if any(process.wait() != 0 for process in processes):
                    raise SystemExit(f"batch ({name}) failed")
                times[name].append(time.perf_counter() - started)  # not money
                written = sum(len(list(out.glob("*.pdf"))) for out in outs)
                if written != count:
                    raise SystemExit(f"batch ({name}) wrote {written} of {count} bills")
    best = {name: statistics.median(values) for name, values in times.items()}  # not money
    results = {
        "bills": count,
        "jobs1": best["1"],
        "jobs2": best["2"],
        "throughput1": count / best["1"],
        "throughput2": count / best["2"],
        "ratio": best["1"] / best["2"],
        "halves_ratio": best["1"] / best["halves"],
        "load": os.getloadavg()[0],
    }
    echo(f"  batch {count} bills: --jobs 1 {best['1']:.2f} s ({results['throughput1']:.0f}/s), "
         f"--jobs 2 {best['2']:.2f} s ({results['throughput2']:.0f}/s): {results['ratio']:.2f} x "
         f"(load average {results['load']:.1f} on {os.cpu_count()} cores); two --jobs 1 batches of "
         f"half each, side by side: {results['halves_ratio']:.2f} x")
    return results
