"""The bill: what a customer reads, as ``collapse`` makes it from a ``Ledger``."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from billformat.model import Ledger, LedgerKind, Party, Period

# ``collapse`` makes these from values it computed (``build.construct`` and
# ``trusted``), without validating them: their validators are made only if
# something does validate one (deferred), which a rendering command never does.
_FROZEN = ConfigDict(frozen=True, defer_build=True)


class Line(BaseModel):
    """One figure of a bill: a label, an amount and the entries behind it."""

    model_config = _FROZEN

    label: str
    amount: Decimal
    entries: tuple[str, ...]


class FaceLine(Line):
    """A line of the bill's face.  ``key`` is its group: ``goods``, ``labor``,
    ``fees``, ``discounts``, ``taxes``, ``rounding``, or ``group:NAME`` for a
    group the ledger names."""

    key: str


# On a statement, ``face`` is the register: the step's line indexes ``movements``.
Destination = Literal["face", "payments", "transfers", "declined", "void", "reversal"]


class TrailStep(BaseModel):
    """Where one ledger entry went: ``to`` a part of the bill, ``line`` its index there."""

    model_config = _FROZEN

    entry: str
    to: Destination
    line: int | None = None


class Movement(BaseModel):
    """A statement movement in date order, with the balance the account then had."""

    model_config = _FROZEN

    date: dt.date | None
    label: str
    amount: Decimal
    balance: Decimal
    entries: tuple[str, ...]
    number: str | None = None


class CheckLine(BaseModel):
    """A check, as a checkbook keeps it."""

    model_config = _FROZEN

    number: str
    date: dt.date | None
    label: str
    amount: Decimal
    entries: tuple[str, ...]


class Bill(BaseModel):
    """What the customer reads.  Amounts on ``face`` are what the customer owes
    (signed); ``payments`` and ``paid`` are positive for money received,
    ``transfers`` and ``transferred`` positive for charges moved elsewhere,
    ``declined`` amounts what the customer did not pay.  A statement fills the
    statement fields instead of ``face``, ``total``, ``payments`` and
    ``balance_due``.  ``ledger`` is the ledger it came from."""

    model_config = _FROZEN

    kind: LedgerKind
    number: str | None
    currency: str
    locale: str
    date: dt.date | None
    due: dt.date | None
    period: Period | None
    seller: Party | None
    customer: Party | None
    face: tuple[FaceLine, ...] = ()
    total: Decimal | None = None
    payments: tuple[Line, ...] = ()
    paid: Decimal = Decimal(0)
    transfers: tuple[Line, ...] = ()
    transferred: Decimal = Decimal(0)
    balance_due: Decimal | None = None
    declined: tuple[Line, ...] = ()
    trail: tuple[TrailStep, ...] = ()
    opening_balance: Decimal | None = None
    money_in: Decimal | None = None
    money_out: Decimal | None = None
    closing_balance: Decimal | None = None
    movements: tuple[Movement, ...] = ()
    checks: tuple[CheckLine, ...] = ()
    missing_checks: tuple[str, ...] = ()
    ledger: Ledger = Field(exclude=True, repr=False)

    @property
    def is_statement(self) -> bool:
        return self.kind is LedgerKind.bank_statement
