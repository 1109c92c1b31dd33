"""Cold start: one command, a new Python process each time.

- ``billformat render bench/sample-25.json -o bill.pdf`` against a plain
  script that imports reportlab and draws the same bill's strings (the floor
  of ``bench/render.py``) to a file.
- ``billformat check`` and ``render --format text``, and whether either one
  imports reportlab (it must not).
- ``python -c pass``, for scale.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import tempfile
from dataclasses import asdict
from pathlib import Path

from bench.render import SAMPLE, record_strings
from bench.timing import compare

FLOOR_SCRIPT = '''
import json, sys
from reportlab.pdfgen.canvas import Canvas
strings, size, out = json.load(open(sys.argv[1])), None, sys.argv[2]
canvas = Canvas(out, pagesize=tuple(strings["pagesize"]), invariant=1)
page = 0
for item in strings["drawn"]:
    while item["page"] > page:
        canvas.showPage()
        page += 1
    canvas.setFont("Helvetica-Bold" if item["bold"] else "Helvetica", item["size"])
    draw = canvas.drawRightString if item["right"] else canvas.drawString
    draw(item["x"], item["y"], item["text"])
canvas.showPage()
canvas.save()
'''
GOAL = 1.5


def billformat_command() -> list[str]:
    """The installed ``billformat`` script, as a user runs it (else ``python -m billformat``)."""
    script = shutil.which("billformat")
    return [script] if script else [sys.executable, "-m", "billformat"]


def imports_reportlab(arguments: list[str]) -> bool:
    """Whether running billformat with ``arguments`` imports reportlab (by ``-X importtime``)."""
    done = subprocess.run([sys.executable, "-X", "importtime", "-m", "billformat", *arguments],
                          capture_output=True, text=True, check=False)
    return any(line.rstrip().endswith(("reportlab", "reportlab.pdfgen"))
               or "| reportlab" in line for line in done.stderr.splitlines())


def run(rounds: int, echo=print) -> dict:
    command = billformat_command()
    with tempfile.TemporaryDirectory() as folder:
        place = Path(folder)
        drawn, pagesize = record_strings()
        strings = place / "strings.json"
        strings.write_text(json.dumps({"drawn": [asdict(item) for item in drawn],
                                       "pagesize": pagesize}))
        script = place / "floor.py"
        script.write_text(FLOOR_SCRIPT)
        # Bytecode caches as an installed package has them: any value of
        # PYTHONDONTWRITEBYTECODE (even "0") stops the warm-up from writing
        # them, and every round would then compile each edited module anew.
        environment = {name: value for name, value in os.environ.items()
                       if name != "PYTHONDONTWRITEBYTECODE"}

        def run_process(arguments: list[str]):
            return lambda: subprocess.run(arguments, check=True, stdout=subprocess.DEVNULL,
                                          env=environment)

        contestants = {
            "billformat render pdf": run_process([*command, "render", str(SAMPLE), "-o",
                                                  str(place / "bill.pdf")]),
            "reportlab script": run_process([sys.executable, str(script), str(strings),
                                             str(place / "floor.pdf")]),
            "billformat check": run_process([*command, "check", str(SAMPLE)]),
            "billformat render text": run_process([*command, "render", str(SAMPLE), "--format", "text"]),
            "python -c pass": run_process([sys.executable, "-c", "pass"]),
        }
        times = compare(contestants, rounds, warmup=1)
    results = {name: seconds for name, seconds in times.items()}
    results["ratio"] = times["billformat render pdf"] / times["reportlab script"]
    results["check_imports_reportlab"] = imports_reportlab(["check", str(SAMPLE)])
    results["text_imports_reportlab"] = imports_reportlab(["render", str(SAMPLE), "--format", "text"])
    for name, seconds in times.items():
        echo(f"  cold {name:24s} {seconds * 1e3:7.1f} ms")
    echo(f"  cold render pdf / reportlab script: {results['ratio']:.2f} x; reportlab imported by check: "
         f"{results['check_imports_reportlab']}, by text: {results['text_imports_reportlab']}")
    return results
