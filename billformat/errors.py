"""Errors and findings: problems in a user's input, each with its place.

A ``LedgerError`` refuses a ledger that breaks the format; a ``Finding`` is
one thing ``check`` has to say about a ledger that could be read.  Both name
where the problem is, so a clerk or an accountant can go straight to it.
"""

from __future__ import annotations

import re
from enum import StrEnum

from pydantic import BaseModel, ConfigDict

# The longest message a refusal carries: a ledger value quoted in it (a
# 10 MB currency, say) is cut in the middle.
MAX_PROBLEM = 400


# Characters a message must not carry to a terminal: controls (an escape
# sequence can rewrite the screen), line breaks, bidi and invisible marks.
_HIDDEN = re.compile("[\x00-\x1f\x7f-\x9f\u061c\u200b-\u200f\u2028-\u202e\u2060-\u2069\ufeff]")


def visible(text: str) -> str:
    """``text`` with every control, bidi or invisible character written as an
    escape (``\\x1b``, ``\\u202e``), so quoting a ledger value in a message
    can neither hide text nor drive the terminal that prints it."""
    return _HIDDEN.sub(lambda match: match.group().encode("unicode_escape").decode("ascii"), text)


class LedgerError(ValueError):
    """A ledger that cannot be read, with the file, the place and the field.

    ``str(error)`` reads ``folio.csv:14: debit "12,50" is not a decimal
    number``: the file, then the place (a CSV line number, or ``entry 3`` for
    a JSON entry by id or index), then what is wrong with which field.
    """

    def __init__(
        self,
        problem: str,
        *,
        file: str | None = None,
        place: str | int | None = None,
        field: str | None = None,
    ) -> None:
        if len(problem) > MAX_PROBLEM:  # a value echoed from a hostile file: keep both ends
            half = MAX_PROBLEM // 2
            problem = f"{problem[:half]} … {problem[-half:]}"
        self.problem = problem
        self.file = file
        self.place = None if place is None else str(place)
        self.field = field
        super().__init__(self.message)

    @property
    def message(self) -> str:
        where = ":".join(part for part in (self.file, self.place) if part)
        return visible(f"{where}: {self.problem}" if where else self.problem)

    def __str__(self) -> str:
        return self.message

    def located(self, *, file: str | None = None, place: str | int | None = None) -> LedgerError:
        """The same error with a file or place filled in where it had none."""
        return LedgerError(
            self.problem,
            file=self.file or file,
            place=self.place if self.place is not None else place,
            field=self.field,
        )


class Severity(StrEnum):
    error = "error"
    warning = "warning"
    info = "info"


class Finding(BaseModel):
    """One thing ``check`` says about a ledger.

    The message of a finding about one entry starts with that place
    (``entry 3: 8.875% of 60.00 is ...``), and ``entry`` names the entry too,
    for a program; ``make`` builds a finding so.  ``check`` prints the
    message as it is, after the file and the severity.
    """

    # Its validator is made when ``check`` makes the first finding, so that
    # commands that never check pay nothing for it.
    model_config = ConfigDict(frozen=True, defer_build=True)

    severity: Severity
    code: str
    entry: str | None = None
    message: str

    @classmethod
    def make(cls, severity: Severity, code: str, message: str, entry: str | None = None) -> Finding:
        """A finding whose message starts with the entry it is about, if any
        (its id shown with control and bidi characters escaped)."""
        if entry is not None:
            message = f"entry {visible(entry)}: {message}"
        return cls(severity=severity, code=code, entry=entry, message=message)

    def line(self, file: str | None = None) -> str:
        """``FILE: severity: message``, as ``billformat check`` prints it."""
        prefix = f"{file}: " if file else ""
        return f"{prefix}{self.severity.value}: {self.message}"
