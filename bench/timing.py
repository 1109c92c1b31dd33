"""Timing: several rounds after a warm-up, side by side, medians.

``compare`` runs its contestants in turn within each round (A B C, A B C,
...), so a busy moment on a shared machine hurts them alike, and reports
each one's median.
"""

from __future__ import annotations

import statistics
import time
from collections.abc import Callable


def median_time(function: Callable[[], object], rounds: int, warmup: int = 2) -> float:
    """The median wall time of ``function`` in seconds."""  # not money
    for _ in range(warmup):
        function()
    times = []
    for _ in range(rounds):
        started = time.perf_counter()
        function()
        times.append(time.perf_counter() - started)  # not money
    return statistics.median(times)


def compare(contestants: dict[str, Callable[[], object]], rounds: int, warmup: int = 2,
            repeat: int = 1) -> dict[str, float]:
    """Each contestant's median wall time in seconds (``repeat`` calls a round,
    divided back to one call), measured interleaved."""
    for function in contestants.values():
        for _ in range(warmup):
            function()
    times: dict[str, list[float]] = {name: [] for name in contestants}  # not money
    for _ in range(rounds):
        for name, function in contestants.items():
            started = time.perf_counter()
            for _ in range(repeat):
                function()
            times[name].append((time.perf_counter() - started) / repeat)  # not money
    return {name: statistics.median(values) for name, values in times.items()}
