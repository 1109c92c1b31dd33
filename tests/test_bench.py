"""The benchmark keeps working, and the fast paths stay fast to start.

No timings are asserted here (they depend on the machine): ``python -m bench
--quick`` runs every comparison with tiny sizes and must finish, print each
goal, and name a peer that is not installed as "not installed".
"""

import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
SAMPLE = ROOT / "bench" / "sample-25.json"


def _imports_after(arguments: list[str]) -> set[str]:
    """The modules loaded after running the CLI with ``arguments`` in a fresh interpreter."""
    code = (
        "import sys\n"
        "from billformat.cli import app\n"
        f"sys.argv = ['billformat', *{arguments!r}]\n"
        "try:\n"
        "    app()\n"
        "except SystemExit:\n"
        "    pass\n"
        "print('\\n'.join(sorted(sys.modules)))\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT,
                          timeout=120, check=True)
    return set(done.stdout.split())


@pytest.mark.parametrize("arguments", [
    ["check", str(SAMPLE)],
    ["render", str(SAMPLE), "--format", "text"],
    ["render", str(SAMPLE), "--format", "json"],
])
def test_check_and_text_output_never_import_reportlab(arguments):
    modules = _imports_after(arguments)
    assert "billformat.cli" in modules
    assert not any(name == "reportlab" or name.startswith("reportlab.") for name in modules)


@pytest.mark.parametrize("arguments", [
    ["check", str(SAMPLE)],
    ["render", str(SAMPLE), "-o", "{out}"],
])
def test_render_and_check_start_without_asyncio_or_a_process_pool(arguments, tmp_path):
    # asyncio came with typing_extensions < 4.16 (pydantic_core's @deprecated);
    # concurrent.futures and logging only a batch with --jobs needs.
    arguments = [argument.format(out=tmp_path / "bill.pdf") for argument in arguments]
    modules = _imports_after(arguments)
    assert "billformat.cli" in modules
    assert not {"asyncio", "concurrent.futures", "logging", "multiprocessing"} & modules


def test_importing_billformat_loads_no_renderer_library():
    done = subprocess.run(
        [sys.executable, "-c", "import sys, billformat; print('\\n'.join(sorted(sys.modules)))"],
        capture_output=True, text=True, cwd=ROOT, timeout=60, check=True,
    )
    modules = set(done.stdout.split())
    assert not {"reportlab", "jinja2", "weasyprint"} & modules


def test_the_quick_benchmark_runs_and_reports_every_goal(tmp_path):
    output = tmp_path / "benchmarks.md"
    done = subprocess.run([sys.executable, "-m", "bench", "--quick", "--output", str(output)],
                          capture_output=True, text=True, cwd=ROOT, timeout=300)
    assert done.returncode == 0, done.stderr[-2000:]
    printed = done.stdout
    for goal in ("scale csv", "scale json", "detailed PDF: time a page",
                 "PDF: read+collapse+check+render", "HTML:", "WeasyPrint", "InvoiceGenerator", "cold:",
                 "batch:"):
        assert goal in printed, goal
    for peer in ("weasyprint", "InvoiceGenerator"):
        said = [line for line in printed.splitlines() if line.strip().lower().startswith(peer.lower())]
        # reported either way, never dropped
        assert any("not installed" in line or "faster" in line for line in said), said
    page = output.read_text()
    assert page.startswith("# Benchmarks") and "| What | Measured | Goal |" in page


def test_generated_ledgers_reconcile():
    sys.path.insert(0, str(ROOT))
    try:
        from bench.ledgers import generate, to_csv, to_json
    finally:
        sys.path.remove(str(ROOT))
    import billformat

    ledger = generate(300, seed=3)
    for text, format in ((to_json(ledger), "json"), (to_csv(ledger), "csv")):
        read = billformat.read_ledger(text, format)
        assert len(read.entries) == 300
        assert billformat.check(read).ok
