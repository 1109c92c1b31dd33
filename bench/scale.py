"""Scale: read + collapse + check from 10,000 to 1,000,000 entries, CSV and JSON.

Each size runs in a fresh process (``--worker``), so its peak memory is its
own: the process warms up on a tiny ledger, then reads, collapses and
checks the large one several times.  Time is the process's CPU time (the
pipeline is single-threaded; on a shared machine CPU time is steadier than
the wall clock), the median of the rounds; memory is the peak resident size
the first round added, per entry.

    python -m bench.scale                      # 10k, 100k, 1M; csv and json
    python -m bench.scale --sizes 1000,10000 --rounds 3

Goals (issue 7): 1M takes at most 110 times 10k; at most 1 KB an entry.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from bench import ledgers

GOAL_RATIO = 110  # 1M at most 110 x 10k (100 x would be exactly linear)
GOAL_BYTES = 1024  # peak memory an entry
DATA = Path(tempfile.gettempdir()) / "billformat-bench"


def ledger_file(count: int, format: str) -> Path:
    """A generated ledger of ``count`` entries, made once and kept in the temp folder."""
    DATA.mkdir(parents=True, exist_ok=True)
    path = DATA / f"ledger-{count}.{format}"
    if not path.exists():
        partial = path.with_suffix(".partial")
        ledgers.write(count, format, partial)
        partial.replace(path)
    return path


def _resident() -> int:
    with open("/proc/self/statm") as statm:
        return int(statm.read().split()[1]) * os.sysconf("SC_PAGE_SIZE")


def _peak() -> int:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024


def worker(path: Path, rounds: int, warmup: Path) -> dict:
    """Run in a fresh process: time the pipeline on ``path`` and measure its memory."""
    import billformat

    billformat.check(billformat.read_ledger(warmup))
    billformat.collapse(billformat.read_ledger(warmup))
    times: list[float] = []  # not money: seconds
    walls: list[float] = []  # not money
    peak_added = 0
    entries = 0
    for number in range(rounds):
        before = _resident()
        started, wall = time.process_time(), time.perf_counter()
        ledger = billformat.read_ledger(path)
        bill = billformat.collapse(ledger)
        report = billformat.check(ledger)
        times.append(time.process_time() - started)
        walls.append(time.perf_counter() - wall)
        if number == 0:
            peak_added = max(_peak() - before, 0)
            entries = len(ledger.entries)
            if not report.ok or bill.balance_due is None:
                raise SystemExit(f"{path}: the generated ledger does not reconcile")
        del ledger, bill, report
    return {"entries": entries, "seconds": times, "wall": walls, "peak_bytes": peak_added}


def measure(count: int, format: str, rounds: int) -> dict:
    path = ledger_file(count, format)
    warmup = ledger_file(100, format)
    command = [sys.executable, "-m", "bench.scale", "--worker", str(path), "--rounds", str(rounds),
               "--warmup", str(warmup)]
    root = Path(__file__).resolve().parent.parent
    done = subprocess.run(command, capture_output=True, text=True, cwd=root, check=False)
    if done.returncode != 0:
        raise SystemExit(f"scale worker failed for {path}:\n{done.stderr}")
    result = json.loads(done.stdout)
    result["median"] = statistics.median(result["seconds"])
    result["format"] = format
    result["size"] = count
    return result


def run(sizes: list[int], formats: list[str], rounds: dict[int, int] | int, echo=print,
        processes: dict[int, int] | None = None) -> dict:
    """Every (format, size), then the ratios the goals name.

    ``processes`` runs a size in several fresh processes and pools their
    rounds (small sizes are quick, and a busy moment skews one process);
    the memory is the largest any of them saw.
    """
    results: dict[str, dict[int, dict]] = {}
    for format in formats:
        results[format] = {}
        # The processes of the sizes take turns (10k, 1M, 10k, 1M, 10k), so a
        # slow spell of a shared machine falls on both sizes, not on one.
        runs_of: dict[int, list[dict]] = {count: [] for count in sizes}
        for turn in range(max((processes or {}).get(count, 1) for count in sizes)):
            for count in sizes:
                if turn < (processes or {}).get(count, 1):
                    times = rounds if isinstance(rounds, int) else rounds.get(count, 1)
                    runs_of[count].append(measure(count, format, times))
        for count in sizes:
            runs = runs_of[count]
            result = runs[0]
            result["seconds"] = [seconds for run in runs for seconds in run["seconds"]]
            result["median"] = statistics.median(result["seconds"])
            result["peak_bytes"] = max(run["peak_bytes"] for run in runs)
            results[format][count] = result
            echo(f"  scale {format:4s} {count:>9,d} entries: {result['median']:8.3f} s CPU "
                 f"({result['median'] / count * 1e6:6.2f} us an entry), "
                 f"peak {result['peak_bytes'] / count:6.0f} B an entry")
    summary = {}
    smallest, largest = min(sizes), max(sizes)
    for format, by_size in results.items():
        ratio = by_size[largest]["median"] / by_size[smallest]["median"]  # not money
        summary[format] = {
            "sizes": {count: {"seconds": r["median"], "us_per_entry": r["median"] / count * 1e6,
                              "bytes_per_entry": r["peak_bytes"] / count, "rounds": len(r["seconds"])}
                      for count, r in by_size.items()},
            "ratio": ratio,
            "expected": largest / smallest,
            "goal_ratio": GOAL_RATIO * (largest / smallest) / 100,
            "bytes_per_entry": by_size[largest]["peak_bytes"] / largest,
        }
    return summary


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="10000,100000,1000000")
    parser.add_argument("--formats", default="csv,json")
    parser.add_argument("--rounds", type=int, default=0, help="rounds for every size (default: by size)")
    parser.add_argument("--worker", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--warmup", type=Path, help=argparse.SUPPRESS)
    options = parser.parse_args(argv)
    if options.worker:
        print(json.dumps(worker(options.worker, max(options.rounds, 1), options.warmup)))
        return
    sizes = [int(size) for size in options.sizes.split(",")]
    rounds = options.rounds or {size: (7 if size <= 10_000 else 3 if size <= 100_000 else 2) for size in sizes}
    summary = run(sizes, options.formats.split(","), rounds)
    for format, result in summary.items():
        print(f"{format}: {max(sizes):,} / {min(sizes):,} entries = {result['ratio']:.1f} x "
              f"(goal <= {result['goal_ratio']:.0f} x); peak {result['bytes_per_entry']:.0f} B an entry "
              f"(goal <= {GOAL_BYTES})")


if __name__ == "__main__":
    main()
