"""A long detailed PDF: render time against its pages, 10,000 and 100,000 entries.

The ledgers are the scale benchmark's (``bench/ledgers.py``), read and
collapsed first; only ``render(bill, "pdf", details=True)`` is timed (CPU
time, the median of the rounds of all its processes), and the pages are counted in the PDF it
makes.  Each size runs in fresh processes, taking turns with the other
size, so the smaller run leaves no caches warm for the larger one and a
slow spell of a shared machine falls on both.

    python -m bench.pages                       # 10,000 and 100,000 entries
    python -m bench.pages --sizes 1000,10000

Goal (issue 7): "a detailed 100,000-entry PDF renders in time linear in its
pages": here, the time a page at 100,000 entries is at most 1.1 times the
time a page at 10,000 (the scale goal's 110 for 100 times the entries).
"""

from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
import time
from pathlib import Path

GOAL_RATIO = 1.1  # time a page, the largest size against the smallest


def worker(path: Path, rounds: int) -> dict:
    """Run in a fresh process: time rendering the ledger at ``path`` as a detailed PDF."""
    import io

    import pypdf

    import billformat
    from billformat.render import render

    bill = billformat.collapse(billformat.read_ledger(path))
    render(billformat.collapse(billformat.read_ledger(Path(__file__).parent / "sample-25.json")),
           "pdf", details=True)  # warm-up: imports, fonts, layout
    seconds: list[float] = []  # not money
    pdf = b""
    for _ in range(rounds):
        started = time.process_time()
        pdf = render(bill, "pdf", details=True)
        seconds.append(time.process_time() - started)
    pages = len(pypdf.PdfReader(io.BytesIO(pdf)).pages)
    return {"entries": len(bill.trail), "pages": pages, "rounds": seconds, "bytes": len(pdf)}


def run(sizes: list[int], rounds: dict[int, int] | int, echo=print, processes: int = 1) -> dict:
    """Each size in ``processes`` fresh processes, the sizes taking turns (so
    a slow spell of a shared machine falls on both); the median of all their rounds."""
    from bench.scale import ledger_file

    runs: dict[int, list[dict]] = {count: [] for count in sizes}
    for _ in range(processes):
        for count in sizes:
            path = ledger_file(count, "json")
            times = rounds if isinstance(rounds, int) else rounds[count]
            done = subprocess.run(
                [sys.executable, "-m", "bench.pages", "--worker", str(path), "--rounds", str(times)],
                capture_output=True, text=True, check=True, cwd=Path(__file__).resolve().parent.parent,
            )
            runs[count].append(json.loads(done.stdout))
    results: dict[int, dict] = {}
    for count in sizes:
        result = dict(runs[count][0])
        # Every process's rounds pooled: a slow spell in one round moves the median little.
        result["seconds"] = statistics.median(seconds for run in runs[count] for seconds in run["rounds"])
        result["ms_per_page"] = result["seconds"] / result["pages"] * 1e3
        results[count] = result
        echo(f"  pdf details, {count:,} entries: {result['pages']:,} pages in {result['seconds']:.2f} s, "
             f"{result['ms_per_page']:.2f} ms a page, {result['bytes'] / 2**20:.1f} MB")
    small, large = results[min(sizes)], results[max(sizes)]
    ratio = large["ms_per_page"] / small["ms_per_page"]
    echo(f"  a page at {max(sizes):,} entries takes {ratio:.2f} x a page at {min(sizes):,}")
    return {"sizes": results, "ratio": ratio, "goal_ratio": GOAL_RATIO}


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m bench.pages", description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="10000,100000", help="entries, comma-separated")
    parser.add_argument("--rounds", type=int, default=None)
    parser.add_argument("--worker", type=Path, help=argparse.SUPPRESS)
    options = parser.parse_args(argv)
    if options.worker:
        print(json.dumps(worker(options.worker, options.rounds or 1)))
        return
    sizes = [int(size) for size in options.sizes.split(",")]
    run(sizes, options.rounds or {size: 5 if size <= 10_000 else 2 for size in sizes}, processes=3)


if __name__ == "__main__":
    main()
