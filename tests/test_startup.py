"""Start-up stays lean: a model's validator is made only when something
validates with it, and the models collapse builds without validation
behave as validated ones do.

Each check of what is loaded runs in a fresh interpreter.  No timings.
"""

import json
import subprocess
import sys
from pathlib import Path

import billformat
from billformat.bill import Bill, FaceLine, Line, TrailStep
from billformat.errors import Finding, Severity
from billformat.layouts import Colors, LayoutSettings, PdfSettings
from billformat.model import Ledger, Stated

ROOT = Path(__file__).resolve().parent.parent
SAMPLE = ROOT / "bench" / "sample-25.json"

MODELS = {
    "billformat.model": ("Party", "Period", "Stated", "Entry", "Ledger"),
    "billformat.bill": ("Line", "FaceLine", "TrailStep", "Movement", "CheckLine", "Bill"),
    "billformat.errors": ("Finding",),
    "billformat.layouts": ("Colors", "PdfSettings", "LayoutSettings"),
    "billformat.check": ("Report",),
}


def _built_after(code: str) -> dict[str, bool]:
    """Whether each of billformat's models has its validator, after running ``code``."""
    script = (
        "import importlib, json, sys\n"
        f"{code}\n"
        "built = {}\n"
        f"for module, names in {MODELS!r}.items():\n"
        "    for name in names:\n"
        "        built[name] = getattr(importlib.import_module(module), name).__pydantic_complete__\n"
        "print(json.dumps(built))\n"
    )
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, cwd=ROOT,
                          timeout=120, check=True)
    return json.loads(done.stdout)


def test_importing_billformat_builds_no_validator():
    built = _built_after("import billformat")
    assert not any(built.values()), [name for name, done in built.items() if done]


def test_reading_and_collapsing_builds_only_the_ledgers_validators():
    built = _built_after(
        "import billformat\n"
        f"billformat.collapse(billformat.read_ledger({str(SAMPLE)!r}))"
    )
    assert built["Ledger"]
    assert not any(built[name] for name in MODELS["billformat.bill"])
    assert not built["Finding"] and not built["LayoutSettings"]


def test_check_loads_no_layout():
    built = _built_after(
        "import billformat\n"
        f"billformat.check(billformat.read_ledger({str(SAMPLE)!r}))"
    )
    assert not any(built[name] for name in MODELS["billformat.layouts"])


def test_a_bill_made_without_validation_dumps_and_compares_as_a_validated_one():
    bill = billformat.collapse(billformat.read_ledger(SAMPLE))
    dumped = bill.model_dump()
    again = Bill.model_validate({**dumped, "ledger": bill.ledger})
    assert again == bill
    assert bill.face and isinstance(bill.face[0], FaceLine)
    line = bill.face[0]
    assert FaceLine(**line.model_dump()) == line
    assert hash(FaceLine(**line.model_dump())) == hash(line)
    assert all(isinstance(step, TrailStep) for step in bill.trail)
    assert Line.model_json_schema()["required"] == ["label", "amount", "entries"]


def test_a_finding_validates_when_first_made():
    finding = Finding(severity="warning", code="tax-rate", entry="3", message="looks odd")
    assert finding.severity is Severity.warning
    assert finding.line("a.json") == "a.json: warning: looks odd"


def test_defaults_made_on_demand_equal_the_former_shared_ones():
    ledger = Ledger.model_validate({"currency": "USD", "entries": [
        {"text": "Tire", "kind": "item", "amount": "10.00"}]})
    assert ledger.stated == Stated() and ledger.stated.total is None
    settings = LayoutSettings.model_validate({})
    assert settings.pdf == PdfSettings() and settings.pdf.colors == Colors()
    assert settings.pdf.colors.accent == "#1f4e79"
    assert LayoutSettings.model_validate({"pdf": {"colors": {"text": "#FFFFFF"}}}).pdf.colors.text == "#ffffff"
