"""The ``billformat`` command: render, check and batch.

A thin layer over the public API: each command parses its arguments, calls
``read_ledger``, ``collapse``, ``check`` or ``render``, prints, and picks
the exit status (0 all good; 1 a ledger does not reconcile or a batch
refused files; 2 a ledger could not be read, the command was misused or an
output could not be written).

Everything it prints goes through ``_say`` (standard output) or ``_tell``
(standard error): a standard output that cannot take the output (a full
disk, a closed pipe) ends the command with status 2 and one line saying so;
a standard error that cannot (full, or closed as cron closes it) is never a
reason to stop.
"""

from __future__ import annotations

import errno
import json
import os
import re
import signal
import stat
import sys
from enum import Enum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, NamedTuple, Optional

import typer

import billformat
from billformat import LayoutError, load_layout
from billformat.errors import visible
from billformat.output import AtomicWrites, OutputError, sync_folder, write_atomic
from billformat.render import render as render_bill

if TYPE_CHECKING:
    from concurrent.futures import Future

STDIN_NAME = "<stdin>"
EXIT_OK, EXIT_FINDINGS, EXIT_USAGE, EXIT_INTERRUPTED = 0, 1, 2, 130


class Format(str, Enum):
    pdf = "pdf"
    html = "html"
    text = "text"
    json = "json"


FORMAT_OF_SUFFIX = {".pdf": Format.pdf, ".html": Format.html, ".htm": Format.html,
                    ".txt": Format.text, ".json": Format.json}
SUFFIX_OF_FORMAT = {Format.pdf: ".pdf", Format.html: ".html", Format.text: ".txt",
                    Format.json: ".json"}
# What batch picks up: billformat's own ledgers, and e-invoices and bank files
# (UBL/CII XML, OFX).  PDFs are left out: a folder of bills is not a folder of ledgers.
LEDGER_SUFFIXES = (".json", ".csv", ".xml", ".ofx", ".qfx")
# The most ledgers a batch worker is handed at a time (see _chunk_size).
CHUNK_MOST = 16
# How many times a batch starts new worker processes after one died (killed
# for want of memory, say) before it leaves the ledgers not yet rendered for
# a rerun.  The ledgers a dead worker had under way are tried again one at a
# time, each in a worker of its own, whatever this says.
POOL_RESTARTS = 3
# The longest --locale quoted back in a message.
LOCALE_SHOWN = 40


app = typer.Typer(
    name="billformat",
    help="Collapse a raw ledger (repair order, hotel folio, phone bill, bank statement) "
    "into a short plain bill that adds up, as PDF, HTML, text or JSON.",
    epilog="Example: billformat render samples/tire_shop.json -o tire_shop.pdf",
    no_args_is_help=True,
    add_completion=False,
    rich_markup_mode=None,
    context_settings={"help_option_names": ["-h", "--help"]},
)


def _show_version(value: bool) -> None:
    if value:
        _say(f"billformat {billformat.__version__}")
        raise typer.Exit(EXIT_OK)


@app.callback()
def main(
    version: Annotated[
        Optional[bool],
        typer.Option("--version", callback=_show_version, is_eager=True,
                     help="Print billformat's version and exit."),
    ] = None,
) -> None:
    """Collapse a raw ledger into a short plain bill that adds up.

    Exit status: 0 all good; 1 a ledger does not reconcile, or a batch
    refused some files; 2 a ledger could not be read, or the command was
    used wrongly, or an output could not be written.
    """
    _hold_standard_streams()


# ---------------------------------------------------------------------------
# Printing: standard output and standard error may fail


def _say(text: str | bytes, *, nl: bool = True) -> None:
    """Print ``text`` (bytes as they are) on standard output.  When it cannot
    take it (a full disk, a closed pipe), say so on standard error and exit 2."""
    try:
        typer.echo(text, nl=nl)
        return
    except OSError as error:
        reason = _why(error)
    except ValueError:  # the stream was closed
        reason = "it is closed"
    _tell(f"billformat: cannot write to standard output: {reason}")
    _discard_standard_output()
    raise typer.Exit(EXIT_USAGE)


def _tell(text: str, *, color: bool | None = None) -> None:
    """Print ``text`` on standard error if it can: a standard error that is
    full or closed never stops the work (nor changes its exit status)."""
    try:
        typer.echo(text, err=True, color=color)
    except (OSError, ValueError):
        pass


def _why(error: OSError) -> str:
    """Why a standard stream could not be written, in plain words."""
    if error.errno in (errno.ENOSPC, getattr(errno, "EDQUOT", errno.ENOSPC)):
        return "the disk is full"
    if error.errno == errno.EPIPE:
        return "the program reading it has stopped"
    if error.errno == errno.EBADF:
        return "it is closed"
    return (error.strerror or str(error)).lower()


def _discard_standard_output() -> None:
    """Point standard output at the null device, so that what was left in its
    buffer is not tried again (and failed again) as the program exits."""
    try:
        number = sys.stdout.fileno()
        null = os.open(os.devnull, os.O_WRONLY)
    except (OSError, ValueError, AttributeError):  # not a real file (a test's capture)
        return
    try:
        os.dup2(null, number)
    except OSError:
        pass
    finally:
        os.close(null)


def _is_terminal(stream) -> bool:
    """Whether ``stream`` is a terminal (Python has none for a stream that was
    closed when it started)."""
    try:
        return stream is not None and stream.isatty()
    except (OSError, ValueError):
        return False


def _hold_standard_streams() -> None:
    """Give a closed standard stream (cron's ``2>&-``) the null device, so that
    no file or pipe the command opens takes its number and receives what is
    meant for it.  Three ``fstat`` calls; nothing when the streams are open."""
    for number in (0, 1, 2):
        try:
            os.fstat(number)
        except OSError:
            try:
                null = os.open(os.devnull, os.O_RDWR)
            except OSError:
                return
            if null != number:
                os.dup2(null, number)
                os.close(null)


# ---------------------------------------------------------------------------
# Small helpers: reading, failing, writing


def _error(message: str) -> None:
    """A message for standard error, with any control or bidi character (from a
    file name, say) escaped."""
    _tell(visible(message))


def _usage(message: str) -> typer.Exit:
    """Say what was wrong with the command line; the caller raises the result."""
    _error(f"billformat: {message}")
    return typer.Exit(EXIT_USAGE)


def _load(argument: str) -> billformat.Ledger:
    """The ledger at ``argument`` (``-`` is standard input); a ``LedgerError`` if it cannot be read."""
    if argument == "-":
        return billformat.read_ledger(typer.get_binary_stream("stdin"), name=STDIN_NAME)
    return billformat.read_ledger(argument, name=argument)


def _read(argument: str) -> billformat.Ledger:
    """The ledger at ``argument``, or exit 2 with its message."""
    try:
        return _load(argument)
    except billformat.LedgerError as error:
        _error(str(error))
        raise typer.Exit(EXIT_USAGE) from None


def _collapse(ledger: billformat.Ledger, locale: str | None) -> billformat.Bill:
    try:
        return billformat.collapse(ledger, locale=locale)
    except billformat.LedgerError as error:
        _error(str(error))
        raise typer.Exit(EXIT_USAGE) from None
    except ValueError:
        if locale is None:
            raise
        raise _usage(f'--locale "{_cut(locale, LOCALE_SHOWN)}" is not a locale billformat knows '
                     f"(use a CLDR name such as en_US, de_CH, ja_JP)") from None


def _cut(text: str, most: int) -> str:
    """``text`` cut to ``most`` characters, with an ellipsis where it was cut."""
    return text if len(text) <= most else text[:most] + "…"


def _render(bill: billformat.Bill, fmt: Format, layout: str | None, details: bool,
            trail: bool) -> bytes | str:
    try:
        return render_bill(bill, fmt.value, **_look(layout, details, trail))
    except LayoutError as error:
        raise _usage(f"--layout: {error}") from None
    except billformat.LedgerError as error:
        _error(str(error))
        raise typer.Exit(EXIT_USAGE) from None


def _look(layout: str | None, details: bool, trail: bool) -> dict:
    """render()'s layout options: what was asked for, else what the layout says."""
    options: dict = {"details": details or None, "trail": trail or None}
    if layout is not None:
        options["layout"] = layout
    return options


def _format_for(fmt: Format | None, out: Path | None) -> Format:
    """``--format``, else the output's suffix, else text."""
    if fmt is not None:
        return fmt
    if out is not None:
        return FORMAT_OF_SUFFIX.get(out.suffix.lower(), Format.text)
    return Format.text


def _same_file(one: Path, other: Path) -> bool:
    try:
        return one.exists() and other.exists() and os.path.samefile(one, other)
    except OSError:
        return False


# ---------------------------------------------------------------------------
# render


LedgerArgument = Annotated[
    str,
    typer.Argument(metavar="LEDGER", show_default=False,
                   help="A ledger file (.json, .csv; also UBL/CII e-invoices and OFX bank files), "
                   "or - for standard input."),
]
FormatOption = Annotated[
    Optional[Format],
    typer.Option("--format", "-f", case_sensitive=False, show_default=False,
                 help="Output format. Default: from OUT's suffix (.pdf .html .htm .txt .json), "
                 "else text."),
]
LayoutOption = Annotated[
    Optional[str],
    typer.Option("--layout", "-l", metavar="NAME|DIR",
                 help="A built-in layout (standard, receipt, detailed) or a folder of your own."),
]
DetailsOption = Annotated[
    bool, typer.Option("--details", help="Add the itemized lines under the bill."),
]
TrailOption = Annotated[
    bool, typer.Option("--trail", help="Add the accountant's trail: where each ledger entry went."),
]


@app.command(
    epilog="\b\nExamples:\n"
    "  billformat render samples/tire_shop.json -o tire_shop.pdf\n"
    "  billformat render samples/hotel_folio.csv --format html --details -o folio.html\n"
    "  billformat render samples/swiss_sale.json --locale fr_CH\n"
    "  cat ledger.csv | billformat render - --format json\n",
)
def render(
    ledger: LedgerArgument,
    out: Annotated[
        Optional[Path],
        typer.Option("--output", "-o", metavar="OUT", show_default=False,
                     help="Write the bill to this file (whole or not at all). "
                     "Default: standard output."),
    ] = None,
    fmt: FormatOption = None,
    layout: LayoutOption = None,
    locale: Annotated[
        Optional[str],
        typer.Option("--locale", metavar="LOCALE",
                     help="Number, date and currency formats and the bill's language, e.g. de_CH; "
                     "overrides the ledger's locale."),
    ] = None,
    details: DetailsOption = False,
    trail: TrailOption = False,
) -> None:
    """Render one ledger as a plain bill (PDF, HTML, text or JSON).

    The format comes from --format, else from OUT's suffix, else text.
    With no -o the bill goes to standard output. A ledger that does not
    reconcile is still rendered, from its entries, and its errors are
    printed to standard error. Exit status 2 when the ledger cannot be read (the message names the file, the place and the
    field) or the output cannot be written.
    """
    to_stdout = out is None or str(out) == "-"
    chosen = _format_for(fmt, None if to_stdout else out)
    if to_stdout and chosen is Format.pdf and _is_terminal(sys.stdout):
        raise _usage("a PDF is not for a terminal: give -o FILE.pdf, or redirect the output")
    if not to_stdout and ledger != "-" and _same_file(Path(ledger), out):
        raise _usage(f"the output {out} is the ledger itself; choose another file")
    if not to_stdout and not out.parent.is_dir():
        problem = "is not a folder" if out.parent.exists() else "does not exist"
        raise _usage(f"cannot write {out}: the folder {out.parent} {problem}")
    read = _read(ledger)
    bill = _collapse(read, locale)
    data = _render(bill, chosen, layout, details, trail)
    if to_stdout:
        _say(data, nl=isinstance(data, str) and not data.endswith("\n"))
    else:
        try:
            write_atomic(out, data)
        except OutputError as error:
            raise _usage(str(error)) from None
    _warn_unreconciled(read, STDIN_NAME if ledger == "-" else visible(ledger))


def _warn_unreconciled(ledger: billformat.Ledger, shown: str) -> None:
    """Tell the clerk, on standard error, when the ledger's own figures disagree
    with its entries: the bill shows what the entries add up to."""
    errors = [finding for finding in billformat.check(ledger).findings
              if finding.severity.value == "error"]
    if errors:
        _error(f"{shown}: does not reconcile; the bill shows what its entries add up to "
               "(billformat check lists every finding)")
        for finding in errors:
            _error(finding.line(shown))


# ---------------------------------------------------------------------------
# check


def _report_object(report: billformat.Report, file: str) -> dict:
    """The reconciliation as INTERFACE.md's JSON gives it, naming the file as given."""
    return {**report.to_json(), "file": file}


def _unreadable_report(error: billformat.LedgerError) -> billformat.Report:
    """A ledger that could not be read, as a report with one error: so ``check
    --json`` gives every ledger a report, in the same shape."""
    finding = billformat.Finding.make(billformat.Severity.error, "unreadable", str(error))
    return billformat.Report(findings=(finding,))


# What json.dumps(ensure_ascii=False) leaves as it is and a terminal would act
# on: C1 controls and bidi and invisible marks (it escapes the C0 controls).
_JSON_HIDDEN = re.compile("[\x7f-\x9f\u061c\u200b-\u200f\u2028-\u202e\u2060-\u2069\ufeff]")


def _json_for_a_terminal(text: str) -> str:
    """JSON text with those characters written as ``\\uXXXX``: the same JSON
    (they only ever occur inside strings), harmless on a terminal."""
    return _JSON_HIDDEN.sub(lambda match: f"\\u{ord(match.group()):04x}", text)


def _plural(count: int, one: str, many: str) -> str:
    return f"{count} {one if count == 1 else many}"


@app.command(
    epilog="\b\nExamples:\n"
    "  billformat check samples/tire_shop.json\n"
    "  billformat check exports/*.csv\n"
    "  billformat check ro-10492.json --json\n",
)
def check(
    ledgers: Annotated[
        list[str],
        typer.Argument(metavar="LEDGER...", show_default=False,
                       help="Ledger files (.json, .csv; also e-invoices and OFX bank files), "
                       "or - for standard input."),
    ],
    as_json: Annotated[
        bool,
        typer.Option("--json",
                     help="Print the reports as JSON: an object for one ledger, a list for several."),
    ] = False,
) -> None:
    """Check that each ledger reconciles: its entries, stated totals and taxes agree.

    Prints, for each ledger, whether it reconciles and every finding, one a
    line (FILE: severity: message), then a summary. Exit status 1 when a
    ledger does not reconcile; 2 when a ledger cannot be read (its message
    goes to standard error, and with --json its report has one finding,
    code "unreadable"; the others are still checked).
    """
    reports: list[dict] = []
    unreadable = failing = 0
    for argument in ledgers:
        given = STDIN_NAME if argument == "-" else argument
        shown = visible(given)  # a name that could drive the terminal is shown escaped
        try:
            ledger = _load(argument)
        except billformat.LedgerError as error:
            _error(str(error))
            unreadable += 1
            if as_json:
                reports.append(_report_object(_unreadable_report(error), given))
            continue
        report = billformat.check(ledger)
        if not report.ok:
            failing += 1
        if as_json:
            reports.append(_report_object(report, given))
            continue
        _say(f"{shown}: {'reconciles' if report.ok else 'does not reconcile'}")
        for finding in report.findings:
            _say(finding.line(shown))
    if as_json:
        _say(_json_for_a_terminal(json.dumps(reports[0] if len(ledgers) == 1 else reports,
                                             indent=2, ensure_ascii=False)))
    else:
        reconciled = len(ledgers) - failing - unreadable
        summary = (f"{_plural(len(ledgers), 'ledger', 'ledgers')}: "
                   f"{reconciled} {'reconciles' if reconciled == 1 else 'reconcile'}, "
                   f"{failing} {'does' if failing == 1 else 'do'} not")
        if unreadable:
            summary += f", {unreadable} could not be read"
        _say(summary)
    if unreadable:
        raise typer.Exit(EXIT_USAGE)
    if failing:
        raise typer.Exit(EXIT_FINDINGS)


# ---------------------------------------------------------------------------
# batch


class Job(NamedTuple):
    source: str
    target: str
    format: str
    layout: str | None
    details: bool
    trail: bool


def render_jobs(jobs: list[Job]) -> list[str | None]:
    """Render a few ledger files (a worker's chunk) to their output files:
    for each, ``None``, or why it was refused.

    Runs in a worker process.  A refusal (a bad ledger, an output that cannot
    be written) is returned as text so the batch goes on; so is an
    unexpected error, which is a bug in billformat, named as such.  The
    chunk's outputs are flushed to disk together before each takes its name
    (a flush for each file cost a quarter of a batch's time); the output
    folder is left for the batch to flush, once, at its end.
    """
    refusals: list[str | None] = [None] * len(jobs)
    added: list[int] = []
    with AtomicWrites() as writes:
        for index, job in enumerate(jobs):
            try:
                ledger = billformat.read_ledger(job.source, name=os.path.basename(job.source))
                bill = billformat.collapse(ledger)
                writes.add(job.target, render_bill(bill, job.format,
                                                   **_look(job.layout, job.details, job.trail)))
            except (billformat.LedgerError, LayoutError, OSError) as error:
                refusals[index] = str(error)
            except Exception as error:  # a bug: report it for this file and go on with the rest
                refusals[index] = (f"billformat failed on it (a bug, please report it): "
                                   f"{type(error).__name__}: {error}")
            else:
                added.append(index)
        for index, error in zip(added, writes.commit()):
            if error is not None:
                refusals[index] = str(error)
    return refusals


_STARTED = None  # in a worker: the pool's flags, one for each chunk, set as it starts one


def _start_worker(started) -> None:
    """Workers leave Ctrl-C to the main process, which lets them finish their
    file; and they mark each chunk they start, so that when one dies the batch
    knows which chunks were under way."""
    global _STARTED
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    _STARTED = started


def _render_chunk(number: int, jobs: list[Job]) -> list[str | None]:
    """``render_jobs`` in a pool's worker, for its chunk ``number``."""
    _STARTED[number] = 1
    return render_jobs(jobs)


class _Tally:
    """What a batch did, reported as it goes."""

    def __init__(self, total: int, fancy: bool) -> None:
        self.total = total
        self.written: list[str] = []
        self.refused: list[tuple[str, str]] = []
        self.kept: list[str] = []
        self._progress = None
        if fancy:
            from rich.console import Console
            from rich.progress import (
                BarColumn,
                MofNCompleteColumn,
                Progress,
                TextColumn,
                TimeRemainingColumn,
            )

            self._progress = Progress(
                TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(),
                TimeRemainingColumn(), console=Console(stderr=True), transient=True,
            )
            self._task = self._progress.add_task("rendering", total=total)

    def __enter__(self) -> _Tally:
        if self._progress is not None:
            try:
                self._progress.start()
            except (OSError, ValueError):  # the terminal went away: go on without the bar
                self._progress = None
        return self

    def __exit__(self, *exc: object) -> None:
        if self._progress is not None:
            try:
                self._progress.stop()
            except (OSError, ValueError):
                pass

    def done_all(self, jobs: list[Job], refusals: list[str | None]) -> None:
        """Record and report a few jobs finished together (a worker's chunk)."""
        lines = []
        for job, refusal in zip(jobs, refusals):
            # File names are shown with control and bidi characters escaped, and
            # never read as rich markup.
            name = visible(os.path.basename(job.source))
            if refusal is None:
                self.written.append(name)
                lines.append(f"wrote {visible(job.target)}")
            else:
                self.refused.append((name, refusal))
                lines.append(f"refused {name}")
            if self._progress is not None:
                self._advance(name)
        if self._progress is None and lines:
            # Not a terminal (on one the bar is shown) and no colour codes in
            # the lines (names are shown escaped): no isatty check, and one
            # write for the chunk rather than one for each file.  A standard
            # error that cannot take it does not stop the batch.
            _tell("\n".join(lines), color=False)

    def _advance(self, name: str) -> None:
        try:
            self._progress.update(self._task, advance=1, description=_markup_escaped(name))
        except (OSError, ValueError):  # the terminal went away: the work goes on
            self._progress = None

    def summary(self) -> str:
        text = f"{len(self.written)} written, {len(self.refused)} refused"
        if self.kept:
            text += f", {len(self.kept)} kept as they were"
        return text


def _jobs_for(folder: Path, out_folder: Path, fmt: Format, layout: str | None, details: bool,
              trail: bool, refused: list[tuple[str, str]] | None = None) -> list[Job]:
    """A job for each ledger file in ``folder``, sorted by name.  An entry named
    like a ledger that is no file to read (a folder, a named pipe, a broken or
    looping symbolic link) gets a refusal in ``refused``, when it is given."""
    # Names as plain strings from one listing: no Path object and, but for
    # symbolic links and odd entries, no stat call for each file (the listing
    # says which entries are files).  Sorted by name, as the paths of one
    # folder sort.
    names: list[str] = []
    odd: list[tuple[str, str]] = []
    with os.scandir(folder) as listing:
        for entry in listing:
            name = entry.name
            if name.startswith(".") or os.path.splitext(name)[1].lower() not in LEDGER_SUFFIXES:
                continue
            if entry.is_file(follow_symlinks=False):  # the usual case: no stat
                names.append(name)
                continue
            problem = _not_a_file(entry)
            if problem is None:
                names.append(name)
            elif problem:
                odd.append((visible(name), problem))
    names.sort()
    if refused is not None:
        refused.extend(sorted(odd))
    suffix = SUFFIX_OF_FORMAT[fmt]
    sources, targets = _prefix(folder), _prefix(out_folder)
    return [
        Job(sources + name, targets + os.path.splitext(name)[0] + suffix, fmt.value, layout, details,
            trail)
        for name in names
    ]


def _not_a_file(entry: os.DirEntry) -> str | None:
    """Why a listed entry that is not a plain file cannot be read as a ledger:
    ``None`` for a symbolic link to a file (it is read), ``""`` for an entry
    gone since the listing (nothing to say)."""
    link = entry.is_symlink()
    try:
        mode = entry.stat().st_mode  # through the link, if it is one
    except OSError as error:
        if error.errno == errno.ENOENT:
            return "cannot read it: the file it links to does not exist" if link else ""
        if error.errno == errno.ELOOP:
            return "cannot read it: too many levels of symbolic links"
        return f"cannot read it: {(error.strerror or str(error)).lower()}"
    if stat.S_ISREG(mode):
        return None
    kind = ("a folder" if stat.S_ISDIR(mode) else "a named pipe" if stat.S_ISFIFO(mode)
            else "a socket" if stat.S_ISSOCK(mode) else "a device")
    return f"not a regular file: it {'links to' if link else 'is'} {kind}"


def _prefix(folder: Path) -> str:
    """What ``str(folder / name)`` puts before a plain file name (``""`` for ``.``)."""
    return str(folder / "_")[:-1]


def _without_clashes(jobs: list[Job]) -> tuple[list[Job], list[tuple[str, str]]]:
    """The jobs whose output overwrites no ledger and no other job's output,
    and a refusal for each of the others."""
    absolute: dict[str, str] = {}  # each folder's absolute path, worked out once

    def key(path: str) -> str:
        folder, name = os.path.split(path)
        if folder not in absolute:
            absolute[folder] = os.path.abspath(folder or os.curdir)
        return os.path.normcase(os.path.join(absolute[folder], name))

    ledgers = {key(job.source): os.path.basename(job.source) for job in jobs}
    claimed: dict[str, str] = {}
    kept: list[Job] = []
    refused: list[tuple[str, str]] = []
    for job in jobs:
        name, target = os.path.basename(job.source), key(job.target)
        output = os.path.basename(job.target)
        if target in ledgers:
            refused.append((name, f"its bill {output} would overwrite the ledger {ledgers[target]}; "
                                  "choose another output folder"))
        elif target in claimed:
            refused.append((name, f"its bill {output} would overwrite the bill of "
                                  f"{claimed[target]}"))
        else:
            claimed[target] = name
            kept.append(job)
    return kept, refused


def _is_current(job: Job) -> bool:
    """Whether the output exists and is newer than its ledger.  Outputs are only
    ever written whole, so one that exists is complete."""
    try:
        return os.stat(job.target).st_mtime >= os.stat(job.source).st_mtime
    except OSError:
        return False


def _chunk_size(count: int, workers: int) -> int:
    """How many jobs a worker takes at a time: a few, so that passing work to
    and from the workers costs little, yet each worker gets many chunks (the
    progress bar advances often and the last ones finish together)."""
    return max(1, min(CHUNK_MOST, count // (workers * 8)))


def _run_in_pool(jobs: list[Job], workers: int, tally: _Tally) -> bool:
    """Render on ``workers`` processes; ``False`` when interrupted.

    A worker that dies (the out-of-memory killer, a crash) breaks its pool.
    The chunks under way then are rendered again one ledger at a time, each
    in a worker of its own, so that only a ledger whose worker dies again is
    refused; the chunks not started go to a new pool.  A death that no such
    ledger explains may happen ``POOL_RESTARTS`` times; after that the
    ledgers not rendered are refused, for a rerun.
    """
    size = _chunk_size(len(jobs), workers)
    chunks = [jobs[start:start + size] for start in range(0, len(jobs), size)]
    unexplained = 0
    try:
        with tally:
            while chunks:
                under_way, chunks = _run_chunks(chunks, workers, tally)
                culprits = _run_alone([job for chunk in under_way for job in chunk], tally)
                if chunks and not culprits:
                    unexplained += 1
                    if unexplained > POOL_RESTARTS:
                        _give_up(chunks, tally)
                        break
    except KeyboardInterrupt:
        return False
    return True


KILLED_ALONE = ("the worker rendering it stopped, again when it was tried alone "
                "(killed; out of memory?)")


def _run_alone(jobs: list[Job], tally: _Tally) -> int:
    """Render each job in a worker of its own, one at a time: a job whose worker
    dies is refused, and a new worker takes the rest.  How many were refused so."""
    left = [[job] for job in jobs]
    culprits = fruitless = 0
    while left:
        under_way, left = _run_chunks(left, 1, tally)
        for chunk in under_way:
            tally.done_all(chunk, [KILLED_ALONE])
        culprits += len(under_way)
        if left and not under_way:  # the worker died before it took a job
            fruitless += 1
            if fruitless > POOL_RESTARTS:
                _give_up(left, tally)
                break
    return culprits


def _give_up(chunks: list[list[Job]], tally: _Tally) -> None:
    reason = ("not rendered: the worker processes kept stopping (out of memory?); "
              "run the same command again to finish the rest")
    for chunk in chunks:
        tally.done_all(chunk, [reason] * len(chunk))


def _run_chunks(chunks: list[list[Job]], workers: int,
                tally: _Tally) -> tuple[list[list[Job]], list[list[Job]]]:
    """Render the chunks on a new pool of ``workers`` processes, reporting each
    as it is done.  When a worker dies, those not done: the chunks that were
    under way, and those not started.  Ctrl-C drops the work not started,
    lets the files being written finish whole, and is raised again."""
    # Imported here: concurrent.futures (with logging) and multiprocessing
    # would cost every other command's start about 10 ms.
    from concurrent.futures import ProcessPoolExecutor, as_completed
    from concurrent.futures.process import BrokenProcessPool
    from multiprocessing.sharedctypes import RawArray

    started = RawArray("b", len(chunks))
    pool = ProcessPoolExecutor(max_workers=workers, initializer=_start_worker,
                               initargs=(started,))
    pending: dict[Future, int] = {}
    lost: list[int] = []
    try:
        for number, chunk in enumerate(chunks):
            try:
                pending[pool.submit(_render_chunk, number, chunk)] = number
            except BrokenProcessPool:  # a worker died already: the rest is not started
                lost.extend(range(number, len(chunks)))
                break
        # as_completed waits on every future once; wait() in a loop would
        # visit all pending futures for each finished one (quadratic: for
        # thousands of bills the main process then takes a core's share).
        for future in as_completed(list(pending)):
            number = pending.pop(future)
            if isinstance(future.exception(), BrokenProcessPool):
                lost.append(number)
            else:
                tally.done_all(chunks[number], _outcomes(future, len(chunks[number])))
        pool.shutdown(wait=True)
    except KeyboardInterrupt:
        # Work not started is dropped; files being written are finished whole.
        for future in pending:
            future.cancel()
        try:
            pool.shutdown(wait=True, cancel_futures=True)
        except KeyboardInterrupt:
            pass
        for future, number in pending.items():  # those already under way when Ctrl-C came
            if future.done() and not future.cancelled():
                tally.done_all(chunks[number], _outcomes(future, len(chunks[number])))
        raise
    lost.sort()
    return ([chunks[number] for number in lost if started[number]],
            [chunks[number] for number in lost if not started[number]])


def _outcomes(future: Future, count: int) -> list[str | None]:
    """The refusals of a chunk's ``count`` jobs (``None`` for each one written)."""
    try:
        return future.result()
    except Exception as error:  # a worker that died, a result that could not come back
        return [f"the worker rendering it stopped: {type(error).__name__}: {error}"] * count


def _run_here(jobs: list[Job], tally: _Tally) -> bool:
    size = min(CHUNK_MOST, max(1, len(jobs) // 8))
    try:
        with tally:
            for start in range(0, len(jobs), size):
                chunk = jobs[start:start + size]
                tally.done_all(chunk, render_jobs(chunk))
    except KeyboardInterrupt:
        return False
    return True


@app.command(
    epilog="\b\nExamples:\n"
    "  billformat batch samples -o bills\n"
    "  billformat batch exports/ -o out/ --format html --jobs 4\n",
)
def batch(
    folder: Annotated[
        Path, typer.Argument(metavar="LEDGER_DIR",
                             help="A folder of ledgers (.json, .csv; e-invoices .xml; "
                             "bank files .ofx, .qfx).",
                             show_default=False),
    ],
    out: Annotated[
        Path, typer.Option("--output", "-o", metavar="OUT_DIR", show_default=False,
                           help="The folder to write the bills to (made if missing, with any "
                           "missing folders above it)."),
    ],
    fmt: Annotated[
        Format, typer.Option("--format", "-f", case_sensitive=False, help="Output format."),
    ] = Format.pdf,
    jobs: Annotated[
        Optional[int],
        typer.Option("--jobs", "-j", min=1, metavar="N", show_default=False,
                     help="Processes to render on. Default: all cores."),
    ] = None,
    layout: LayoutOption = None,
    details: DetailsOption = False,
    trail: TrailOption = False,
    keep_existing: Annotated[
        bool, typer.Option("--keep-existing",
                           help="Skip ledgers whose output is already there and newer than the ledger "
                           "(outputs are written whole, so one that is there is complete)."),
    ] = False,
) -> None:
    """Render every ledger in a folder, one output file each, named after the ledger.

    Goes on past a bad ledger; prints each refused file with its reason,
    then ends with a count of written and refused files. Exit status 1 if
    any was refused. Every output is written whole or not at all, so after
    a crash or Ctrl-C, running the same command again finishes the rest.
    """
    if not folder.is_dir():
        raise _usage(f"{folder} is not a folder of ledgers")
    if layout is not None:
        try:
            load_layout(layout)  # once here, rather than refusing every ledger for it
        except LayoutError as error:
            raise _usage(f"--layout: {error}") from None
    if out.exists() and not out.is_dir():
        raise _usage(f"the output {out} is not a folder")
    try:
        out.mkdir(parents=True, exist_ok=True)
    except OSError as error:
        raise _usage(f"cannot make the output folder {out}: {error.strerror or error}") from None
    unlisted: list[tuple[str, str]] = []  # named like ledgers, but no files to read
    todo, clashes = _without_clashes(_jobs_for(folder, out, fmt, layout, details, trail,
                                               refused=unlisted))
    kept: list[Job] = []
    if keep_existing:  # one pass: a list look-up for each job was quadratic
        current = [_is_current(job) for job in todo]
        kept = [job for job, done in zip(todo, current) if done]
        todo = [job for job, done in zip(todo, current) if not done]
    tally = _Tally(len(todo), fancy=_is_terminal(sys.stderr))
    tally.refused.extend(unlisted + clashes)
    planned = len(todo) + len(tally.refused)
    tally.kept = [os.path.basename(job.source) for job in kept]
    workers = min(jobs or os.cpu_count() or 1, max(len(todo), 1))
    try:
        finished = _run_here(todo, tally) if workers == 1 else _run_in_pool(todo, workers, tally)
    finally:
        # Each output's bytes were flushed before it took its name; the names
        # are flushed here, once: a folder's flush after every file doubled
        # the batch's waits on the disk.
        sync_folder(out)
    if not finished:
        left = planned - len(tally.written) - len(tally.refused)
        _error(f"interrupted: {tally.summary()}, {left} not done; run the same command again "
               "to finish the rest")
        raise typer.Exit(EXIT_INTERRUPTED)
    # Standard output that fails here ends the batch with status 2, its work done.
    for name, reason in tally.refused:
        _say(visible(f"  {name}: {reason}" if not reason.startswith(name) else f"  {reason}"))
    _say(tally.summary())  # the last line, as INTERFACE.md has it
    if tally.refused:
        raise typer.Exit(EXIT_FINDINGS)


def _markup_escaped(text: str) -> str:
    """``text`` shown literally in a rich progress bar (only loaded on a terminal)."""
    from rich.markup import escape

    return escape(text)
