"""How batch lists a folder and spots clashes: plain strings, and the same
jobs and refusals as paths would give, however the folders are spelled."""

import os
from pathlib import Path

import pytest

from billformat.cli import LEDGER_SUFFIXES, SUFFIX_OF_FORMAT, Format, Job, _jobs_for, _without_clashes


def _jobs_by_paths(folder: Path, out: Path, fmt: Format) -> list[Job]:
    """The listing written with pathlib, one Path and one stat a file: the reference."""
    sources = sorted(path for path in folder.iterdir()
                     if path.suffix.lower() in LEDGER_SUFFIXES and not path.name.startswith(".")
                     and path.is_file())
    return [Job(str(path), str(out / (path.stem + SUFFIX_OF_FORMAT[fmt])), fmt.value, None, False, False)
            for path in sources]


def _clashes_by_paths(jobs: list[Job]) -> list[tuple[str, str]]:
    def key(path: str) -> str:
        return os.path.normcase(os.path.abspath(path))

    ledgers = {key(job.source) for job in jobs}
    claimed: set[str] = set()
    refused = []
    for job in jobs:
        target = key(job.target)
        if target in ledgers or target in claimed:
            refused.append(Path(job.source).name)
        else:
            claimed.add(target)
    return refused


@pytest.fixture
def folder(tmp_path, monkeypatch):
    ledgers = tmp_path / "in"
    (ledgers / "sub").mkdir(parents=True)
    for name in ("b.JSON", "a.json", "c.d.csv", ".hidden.json", "x.pdf", "y.xml", "z.Ofx", "q.qfx",
                 "w.txt", "a.json.bak", "noext", "a..json", "sp ace.csv", "ü.json", "a.txt.json"):
        (ledgers / name).write_text("{}")
    (ledgers / "folder.json").mkdir()
    (ledgers / "link.json").symlink_to("a.json")
    (ledgers / "broken.json").symlink_to("missing.json")
    monkeypatch.chdir(tmp_path)
    return ledgers


@pytest.mark.parametrize("spelled", [("in", "out"), ("in/", "in"), ("./in", "in/sub/.."),
                                     ("in/sub/..", "."), (None, None)])
@pytest.mark.parametrize("fmt", [Format.pdf, Format.json, Format.text])
def test_the_listing_and_its_clashes_are_those_paths_give(folder, spelled, fmt, monkeypatch):
    if spelled == (None, None):  # absolute folders, and the ledgers' folder as the current one
        monkeypatch.chdir(folder)
        spelled = (".", str(folder))
    source, out = (Path(name) for name in spelled)
    jobs = _jobs_for(source, out, fmt, None, False, False)
    assert jobs == _jobs_by_paths(source, out, fmt)
    assert "link.json" in {os.path.basename(job.source) for job in jobs}
    assert not {"broken.json", "folder.json", ".hidden.json"} & {os.path.basename(job.source) for job in jobs}
    kept, refused = _without_clashes(jobs)
    assert [name for name, _ in refused] == _clashes_by_paths(jobs)
    assert len(kept) + len(refused) == len(jobs)


def test_json_bills_written_beside_their_ledgers_are_refused(folder):
    jobs = _jobs_for(Path("in"), Path("in"), Format.json, None, False, False)
    kept, refused = _without_clashes(jobs)
    assert ("a.json", "its bill a.json would overwrite the ledger a.json; choose another output folder") in refused
    assert ("a.txt.json", "its bill a.txt.json would overwrite the ledger a.txt.json; "
            "choose another output folder") in refused


def test_a_batch_on_two_processes_says_one_line_for_each_file(tmp_path):
    import subprocess
    import sys

    ledgers = tmp_path / "in"
    ledgers.mkdir()
    sample = (Path(__file__).resolve().parent.parent / "samples" / "tire_shop.json").read_text()
    for number in range(40):  # chunks of 2 ledgers (see _chunk_size)
        (ledgers / f"bill-{number:02d}.json").write_text(sample)
    (ledgers / "broken-00.csv").write_text("id,text\n1,nothing\n")
    out = tmp_path / "out"
    done = subprocess.run([sys.executable, "-m", "billformat", "batch", str(ledgers), "-o", str(out), "-f", "json",
                           "-j", "2"], capture_output=True, text=True, timeout=120)
    assert done.returncode == 1, done.stderr
    lines = done.stderr.splitlines()
    assert sorted(lines) == sorted([f"wrote {out / f'bill-{number:02d}.json'}" for number in range(40)]
                                   + ["refused broken-00.csv"])
    assert done.stdout.splitlines() == ["  broken-00.csv:1: the header has no kind column (it has: id, text)",
                                        "40 written, 1 refused"]
