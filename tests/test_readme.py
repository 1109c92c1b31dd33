"""The README's promises: its two set-up commands, and CI running the test one exactly."""

from __future__ import annotations

import re
import shlex
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
README = (ROOT / "README.md").read_text(encoding="utf-8")
CI = ROOT / ".ci" / "run"


def shell_commands(text: str) -> list[str]:
    """Every line of the README's ```sh blocks, comments dropped."""
    lines = []
    for block in re.findall(r"^```sh\n(.*?)^```", text, flags=re.MULTILINE | re.DOTALL):
        for line in block.splitlines():
            line = line.split("  #")[0].strip()
            if line and not line.startswith("#"):
                lines.append(line)
    return lines


def setup_commands() -> tuple[str, str]:
    """The install-and-render command and the install-and-test command."""
    made = [line for line in shell_commands(README) if line.startswith("python3 -m venv .venv && ")]
    render = [line for line in made if " render " in line]
    test = [line for line in made if "pytest" in line]
    assert len(render) == 1 and len(test) == 1, made
    return render[0], test[0]


def test_the_readme_has_the_two_setup_commands():
    render, test = setup_commands()
    assert render == ("python3 -m venv .venv && .venv/bin/pip install . "
                      "&& .venv/bin/billformat render samples/tire_shop.json -o tire_shop.pdf")
    assert test == "python3 -m venv .venv && .venv/bin/pip install -e '.[test]' && .venv/bin/python -m pytest"


def test_ci_runs_exactly_the_readme_test_command():
    _, test = setup_commands()
    script = CI.read_text(encoding="utf-8")
    assert test in [line.strip() for line in script.splitlines()]
    assert script.startswith("#!/usr/bin/env bash\n")
    assert "set -euo pipefail" in script
    assert CI.stat().st_mode & 0o111, ".ci/run must be executable"


def test_the_readme_render_command_renders_its_sample(tmp_path):
    render, _ = setup_commands()
    words = shlex.split(render.split("&& .venv/bin/billformat ", 1)[1])
    assert words[0] == "render" and (ROOT / words[1]).is_file()
    out = tmp_path / words[words.index("-o") + 1]
    done = subprocess.run([sys.executable, "-m", "billformat", "render", words[1], "-o", str(out)],
                          cwd=ROOT, capture_output=True, timeout=60)
    assert done.returncode == 0, done.stderr
    assert out.read_bytes().startswith(b"%PDF")


def test_the_readme_opens_with_the_problem_and_a_picture():
    opening = README.split("## ", 1)[0]
    assert "tire shop" in opening.lower()
    assert "](docs/images/tire_shop-pdf.png)" in opening


def test_the_readme_links_to_files_that_exist():
    for target in re.findall(r"\]\(([^)#:]+)\)", README):
        assert (ROOT / target).exists(), f"README links to {target}, which is missing"
