"""The data model of a raw ``Ledger`` (the bill made from it is in ``bill.py``).

Frozen pydantic models with tuples, so a ledger cannot change under a
renderer's feet.  ``Ledger.model_validate`` accepts the ledger
format (``LEDGER_FORMAT.md``) as a dict, e.g. parsed JSON or an API
payload, and ``Ledger.model_validate_json`` as JSON text; both refuse
anything that breaks it with a ``LedgerError`` that names the entry and the
field.  An optional field given as null or as blank text is absent, so its
default applies.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping
from decimal import Decimal
from enum import StrEnum
from functools import lru_cache
from itertools import compress
from typing import Any, Literal

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    ValidationError,
    field_validator,
    model_validator,
)
from pydantic.fields import FieldInfo

from billformat.errors import LedgerError
from billformat.money import (
    decimals,
    is_currency,
    is_locale,
    minor_digits,
    minor_unit,
    parse_decimal,
)


class LedgerKind(StrEnum):
    sale = "sale"
    repair_order = "repair_order"
    hotel_folio = "hotel_folio"
    phone_bill = "phone_bill"
    bank_statement = "bank_statement"


class EntryKind(StrEnum):
    # bills
    item = "item"
    labor = "labor"
    fee = "fee"
    tax = "tax"
    discount = "discount"
    rounding = "rounding"
    payment = "payment"
    transfer = "transfer"
    # statements (fee and transfer serve both)
    deposit = "deposit"
    withdrawal = "withdrawal"
    check = "check"
    interest = "interest"


BILL_KINDS = frozenset(
    {EntryKind.item, EntryKind.labor, EntryKind.fee, EntryKind.tax, EntryKind.discount,
     EntryKind.rounding, EntryKind.payment, EntryKind.transfer}
)
STATEMENT_KINDS = frozenset(
    {EntryKind.deposit, EntryKind.withdrawal, EntryKind.check, EntryKind.fee,
     EntryKind.interest, EntryKind.transfer}
)


class Status(StrEnum):
    billed = "billed"
    declined = "declined"
    void = "void"


# defer_build: each model's validator is made when it is first needed (reading
# a ledger), not when billformat is imported.
_FROZEN = ConfigDict(frozen=True, extra="ignore", str_strip_whitespace=True, defer_build=True)
MAX_LOCALE = 40  # the longest CLDR locale name is about 20 characters
_ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")


def _read_date(value: object) -> dt.date | None:
    if value is None or isinstance(value, dt.date):
        return value
    if not isinstance(value, str) or not _ISO_DATE.fullmatch(value.strip()):
        raise ValueError(f"{_quote(value)} is not an ISO date (YYYY-MM-DD)")
    try:
        return dt.date.fromisoformat(value.strip())
    except ValueError:
        raise ValueError(f"{_quote(value)} is not a real date") from None


def _read_name(value: object) -> str | None:
    """An identifier (id, number, reverses): text, or a whole number written bare."""
    if value is None:
        return None
    if isinstance(value, bool):
        raise ValueError(f"{_quote(value)} is not an identifier")
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float) and float.is_integer(value):  # 12.0 from json.loads
        return str(int(value))
    if isinstance(value, Decimal) and value.is_finite() and value == value.to_integral_value():
        return str(int(value))
    if isinstance(value, str):
        return value.strip() or None
    raise ValueError(f"{_quote(value)} is not an identifier")


def _read_amount(value: object) -> Decimal | None:
    return None if value is None else parse_decimal(value)


def _is_blank(value: object) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def _blanks_as_defaults(data: Mapping, optional: Mapping[str, FieldInfo]) -> Mapping:
    """``data`` with each ``optional`` field given as null or blank text set to
    its default: such a field is absent, as an empty CSV cell is.  (It stays
    among the fields given, as ``build_entry`` counts them.)"""
    for key, value in data.items():  # a plain loop: every ledger, party and entry comes this way
        if (value is None or (isinstance(value, str) and (not value or value.isspace()))) and key in optional:
            break
    else:
        return data
    return {name: optional[name].get_default(call_default_factory=True)
            if name in optional and _is_blank(given) else given
            for name, given in data.items()}


@lru_cache(maxsize=None)
def _optional(model: type[BaseModel]) -> dict[str, FieldInfo]:
    """``model``'s fields that have a default, by name."""
    return {name: field for name, field in model.model_fields.items() if not field.is_required()}


def _word(vocabulary: type[StrEnum], value: object) -> object:
    """A kind or status as the member it names, in any case and with spaces
    around; anything else is left for validation to refuse as written."""
    if isinstance(value, str):
        return vocabulary._value2member_map_.get(value.strip().lower(), value)
    return value


def is_statement_kind(kind: object) -> bool:
    """Whether a ledger's ``kind``, as given, makes it a bank statement."""
    return _word(LedgerKind, kind) is LedgerKind.bank_statement


def _quote(value: object) -> str:
    if isinstance(value, str):
        text = value
    elif isinstance(value, Decimal):
        text = str(value)  # as written in the JSON: 1.5, 1E+3
    elif isinstance(value, bool):
        text = "true" if value else "false"
    else:
        text = repr(value)
    return f'"{text[:37]}..."' if len(text) > 40 else f'"{text}"'


class _Record(BaseModel):
    """A model all of whose fields are optional: null or blank text is absent."""

    model_config = _FROZEN

    @model_validator(mode="before")
    @classmethod
    def _blanks_are_absent(cls, data: Any) -> Any:
        return _blanks_as_defaults(data, _optional(cls)) if isinstance(data, Mapping) else data


class Party(_Record):
    """The seller or the customer."""

    name: str | None = None
    address: tuple[str, ...] = ()
    phone: str | None = None
    email: str | None = None
    tax_id: str | None = None
    account: str | None = None

    @field_validator("address", mode="before")
    @classmethod
    def _lines(cls, value: object) -> object:
        if isinstance(value, str):
            return tuple(line.strip() for line in value.splitlines() if line.strip())
        return value

    @field_validator("name", "phone", "email", "tax_id", "account", mode="before")
    @classmethod
    def _text(cls, value: object) -> object:
        return _read_name(value) if isinstance(value, int) and not isinstance(value, bool) else value


class Period(_Record):
    start: dt.date | None = None
    end: dt.date | None = None

    _dates = field_validator("start", "end", mode="before")(lambda cls, v: _read_date(v))


class Stated(_Record):
    """What the source system printed, for ``check`` to compare.

    ``total``, ``paid`` and ``balance`` for bills; ``opening_balance`` and
    ``closing_balance`` for statements.  The EN 16931 totals an e-invoice
    prints (sum of lines BT-106, allowances BT-107, charges BT-108, total
    without VAT BT-109, VAT BT-110, rounding BT-114) have fields of their own;
    an e-invoice's ``total`` is its total with VAT plus its rounding (BT-112 +
    BT-114), as the bill's face carries the rounding as a line of its own.
    """

    total: Decimal | None = None
    paid: Decimal | None = None
    balance: Decimal | None = None
    opening_balance: Decimal | None = None
    closing_balance: Decimal | None = None
    line_total: Decimal | None = None
    allowance_total: Decimal | None = None
    charge_total: Decimal | None = None
    tax_exclusive: Decimal | None = None
    tax_total: Decimal | None = None
    rounding: Decimal | None = None

    _amounts = field_validator(
        "total", "paid", "balance", "opening_balance", "closing_balance", "line_total",
        "allowance_total", "charge_total", "tax_exclusive", "tax_total", "rounding",
        mode="before",
    )(lambda cls, v: _read_amount(v))


class Entry(BaseModel):
    """One raw line of a ledger, its money as one signed ``amount``.

    ``debit``/``credit`` input is turned into ``amount``, and ``written_as``
    remembers which of the three it was.  On a bill a debit is + and a credit
    −; on a statement (``on_statement``, which the ``Ledger`` sets from its
    kind) a debit is money out of the account (−) and a credit money in (+).
    ``source_line`` is the CSV line it came from, for messages.
    """

    model_config = _FROZEN

    id: str
    date: dt.date | None = None
    text: str
    label: str | None = None
    kind: EntryKind
    amount: Decimal
    written_as: Literal["amount", "debit", "credit"] = "amount"
    on_statement: bool = Field(default=False, strict=True, exclude=True, repr=False)
    qty: Decimal | None = None
    unit: str | None = None
    unit_price: Decimal | None = None
    status: Status = Status.billed
    reverses: str | None = None
    group: str | None = None
    rate: Decimal | None = None
    base: Decimal | None = None
    taxable: bool | None = None
    number: str | None = None
    category: str | None = None
    source_line: int | None = Field(default=None, exclude=True, repr=False)

    @model_validator(mode="before")
    @classmethod
    def _one_amount(cls, data: Any) -> Any:
        if not isinstance(data, Mapping):
            raise ValueError("an entry must be an object with fields")
        data = _blanks_as_defaults(data, _optional(cls))
        given = [name for name in ("amount", "debit", "credit") if not _is_blank(data.get(name))]
        if not given:
            raise LedgerError("amount: an entry needs one of amount, debit or credit", field="amount")
        if len(given) > 1:
            raise LedgerError(
                f"{given[1]}: an entry has {' and '.join(given)}; give only one", field=given[1]
            )
        name = given[0]
        try:
            value = parse_decimal(data[name])
        except ValueError as error:
            raise LedgerError(f"{name} {error}", field=name) from None
        data = {key: item for key, item in data.items() if key not in ("amount", "debit", "credit")}
        if name == "amount" and data.get("on_statement") is True:
            data["on_statement"] = False  # only a debit or a credit is read a statement's way
        # The one that takes money away: a credit on a bill, a debit on a statement.
        turned = "debit" if data.get("on_statement") is True else "credit"
        data["amount"] = -value if name == turned else value
        data["written_as"] = name
        return data

    _dates = field_validator("date", mode="before")(lambda cls, v: _read_date(v))
    _kind = field_validator("kind", mode="before")(lambda cls, v: _word(EntryKind, v))
    _status = field_validator("status", mode="before")(lambda cls, v: _word(Status, v))
    _names = field_validator("id", "reverses", "number", mode="before")(lambda cls, v: _read_name(v))
    _numbers = field_validator("qty", "unit_price", "rate", "base", mode="before")(
        lambda cls, v: _read_amount(v)
    )

    @field_validator("text")
    @classmethod
    def _has_text(cls, value: str) -> str:
        if not value:
            raise ValueError("text is empty")
        return value

    @field_validator("label", "group", "unit", "category")
    @classmethod
    def _blank_is_absent(cls, value: str | None) -> str | None:
        return value or None

    @field_validator("taxable", mode="before")
    @classmethod
    def _flag(cls, value: object) -> object:
        if isinstance(value, str):
            word = value.strip().lower()
            if word in {"true", "yes", "y", "1"}:
                return True
            if word in {"false", "no", "n", "0"}:
                return False
            raise ValueError(f"{_quote(value)} is not true or false")
        if value is None or isinstance(value, bool):
            return value
        raise ValueError(f"{_quote(value)} is not true or false")

    @property
    def name(self) -> str:
        """What a customer reads for this entry: its label, else its text."""
        return self.label or self.text

    @property
    def place(self) -> str:
        """Where a message about this entry points: a CSV line or the entry id."""
        return str(self.source_line) if self.source_line is not None else f"entry {self.id}"


class Ledger(BaseModel):
    """The raw record of one bill or statement, as LEDGER_FORMAT.md defines it.

    ``Ledger.model_validate(data)`` raises ``LedgerError`` (not pydantic's
    ``ValidationError``) for a ledger that breaks the format; pass
    ``source="name.json"`` to have the file named in the message.
    """

    model_config = _FROZEN

    kind: LedgerKind = LedgerKind.sale
    number: str | None = None
    date: dt.date | None = None
    due: dt.date | None = None
    currency: str
    locale: str = "en_US"
    seller: Party | None = None
    customer: Party | None = None
    period: Period | None = None
    stated: Stated = Field(default_factory=Stated)
    entries: tuple[Entry, ...]
    source: str | None = Field(default=None, exclude=True)

    _dates = field_validator("date", "due", mode="before")(lambda cls, v: _read_date(v))
    _number = field_validator("number", mode="before")(lambda cls, v: _read_name(v))
    _kind = field_validator("kind", mode="before")(lambda cls, v: _word(LedgerKind, v))

    @model_validator(mode="before")
    @classmethod
    def _number_entries(cls, data: Any) -> Any:
        """Give each entry its default id, its 1-based position, and the sign
        of debit and credit for this kind of ledger (wherever ``kind`` stands
        among the fields, and whether a reader built the entry already)."""
        if not isinstance(data, Mapping):
            raise ValueError("a ledger must be an object with fields")
        data = _blanks_as_defaults(data, _optional(cls))
        entries = data.get("entries")
        if isinstance(entries, (list, tuple)):
            from billformat.build import EntryMemo, build_entry, turn_sign

            statement = is_statement_kind(data.get("kind"))
            memo = EntryMemo()
            numbered = []
            for position, entry in enumerate(entries, start=1):
                if type(entry) is dict:
                    entry = build_entry(entry, position, memo, statement) or entry
                if isinstance(entry, Entry):
                    # Built already, maybe by a reader that had not met the kind yet,
                    # or for another ledger: its debit or credit read as this one reads it.
                    if entry.written_as != "amount" and entry.on_statement is not statement:
                        entry = turn_sign(entry, statement, memo)
                elif isinstance(entry, Mapping):
                    name = entry.get("id")
                    if name is None or (isinstance(name, str) and not name.strip()):
                        entry = {**entry, "id": str(position)}
                    if statement or "on_statement" in entry:
                        entry = {**entry, "on_statement": statement}
                numbered.append(entry)
            data = {**data, "entries": numbered}
        return data

    @field_validator("currency")
    @classmethod
    def _currency(cls, value: str) -> str:
        code = value.upper()
        # Shape first: the cached look-up must not keep every hostile string it is asked about.
        if len(code) != 3 or not code.isascii() or not is_currency(code):
            raise ValueError(f'"{value}" is not an ISO 4217 currency code')
        return code

    @field_validator("locale")
    @classmethod
    def _locale(cls, value: str) -> str:
        name = value.replace("-", "_")
        if not name or len(name) > MAX_LOCALE or not name.isascii() or not is_locale(name):
            raise ValueError(f'"{value}" is not a known locale')
        return name

    @model_validator(mode="after")
    def _consistent(self) -> Ledger:
        for problem in _ledger_problems(self):
            raise problem
        return self

    @property
    def is_statement(self) -> bool:
        return self.kind is LedgerKind.bank_statement

    @classmethod
    def model_validate(cls, obj: Any, *args: Any, source: str | None = None, **kwargs: Any) -> Ledger:
        if source is not None and isinstance(obj, Mapping):
            obj = {**obj, "source": source}
        try:
            return super().model_validate(obj, *args, **kwargs)
        except ValidationError as error:
            raise _ledger_error(error, obj, source) from None

    @classmethod
    def model_validate_json(  # type: ignore[override]
        cls, json_data: str | bytes | bytearray, *, source: str | None = None
    ) -> Ledger:
        """A ledger from JSON text, read as ``read_ledger`` reads a JSON file:
        numbers from their text (never through a float), ``NaN`` and keys
        given twice refused, the format's other field names understood.
        Raises ``LedgerError``, naming ``source`` if given."""
        from billformat.read import decode
        from billformat.read.json import read_json

        if isinstance(json_data, (bytes, bytearray)):
            text = decode(bytes(json_data), source)
        else:
            text = json_data.removeprefix("\ufeff")
        return read_json(text, source)


def _ledger_problems(ledger: Ledger):
    """The ways a well-typed ledger can still break the format, as errors.

    One pass over the entries (a second only for a ledger with something to
    refuse, to name it); the checks of ``reverses`` then look only at the
    entries that have one.
    """
    allowed = STATEMENT_KINDS if ledger.is_statement else BILL_KINDS
    digits = minor_digits(ledger.currency)
    quantum = minor_unit(ledger.currency)
    entries = ledger.entries
    # One walk gathers the ids, the entries that reverse another, and
    # whether any entry may break a rule (a kind out of place, an amount
    # not written with exactly the currency's decimals): at a million
    # entries each walk is a million trips to memory.
    ids: list[str] = []
    reversing: list[int] = []
    suspect = False
    for index, entry in enumerate(entries):
        ids.append(entry.id)
        if entry.reverses is not None:
            reversing.append(index)
        if entry.kind not in allowed or not entry.amount.same_quantum(quantum):
            suspect = True
    # Whether every id is used once, in one C-speed step (a set of the ids:
    # at a million entries half the time of a dict of their positions, which
    # made a million ints); only a ledger with a repeated id takes the
    # entry-by-entry loop that names it.  Positions are needed only for the
    # ids that entries reverse, found in a second C-speed walk.
    plain = len(set(ids)) == len(entries)
    position: dict[str, int] = {}
    if plain:
        wanted = {entries[index].reverses for index in reversing}
        if wanted:
            position = {ids[index]: index
                        for index in compress(range(len(ids)), map(wanted.__contains__, ids))}
    del ids
    if plain:
        for entry in entries if suspect else ():
            if entry.kind not in allowed:
                where = "a bank statement" if ledger.is_statement else f"a {ledger.kind.value} (a bill)"
                yield _entry_error(entry, "kind", f'kind "{entry.kind.value}" has no place in {where}')
            # same_quantum: written with exactly the currency's decimals, the usual case
            if not entry.amount.same_quantum(quantum) and decimals(entry.amount) > digits:
                yield _entry_error(
                    entry, entry.written_as,
                    f'{entry.written_as} "{_written(entry)}" has more decimals than '
                    f"{ledger.currency} allows ({digits})",
                )
    else:
        position, reversing = {}, []
    duplicates = False
    for number, entry in enumerate(() if plain else entries, start=1):
        if entry.id in position:
            duplicates = True
            yield _entry_error(
                entry, "id",
                f'id "{entry.id}" of the {_ordinal(number)} entry is already used by the '
                f"{_ordinal(position[entry.id] + 1)}",
            )
        position[entry.id] = number - 1
        if entry.reverses is not None:
            reversing.append(number - 1)
        if entry.kind not in allowed:
            where = "a bank statement" if ledger.is_statement else f"a {ledger.kind.value} (a bill)"
            yield _entry_error(entry, "kind", f'kind "{entry.kind.value}" has no place in {where}')
        if decimals(entry.amount) > digits:
            yield _entry_error(
                entry, entry.written_as,
                f'{entry.written_as} "{_written(entry)}" has more decimals than '
                f"{ledger.currency} allows ({digits})",
            )
    if not entries and not ledger.is_statement:
        yield LedgerError("entries: the ledger has no entries", file=ledger.source, field="entries")
    _remember_index(ledger, _index_from(entries, position, reversing, not duplicates))
    if not reversing:
        return
    by_id = _Targets(entries, position)
    reversing_entries = [entries[index] for index in reversing]
    for entry in reversing_entries:
        target = by_id.get(entry.reverses)
        if target is None or target is entry:
            yield _entry_error(
                entry, "reverses", f'reverses "{entry.reverses}", which is no other entry of the ledger'
            )
        elif target.status is not Status.billed:
            yield _entry_error(
                entry, "reverses",
                f'reverses "{entry.reverses}", which is {target.status.value} and cannot be reversed',
            )
    # Whether following ``reverses`` from an entry runs into a circle; each
    # entry is walked once (a long chain of corrections stays linear).  An
    # entry that reverses nothing starts no circle.
    circles: dict[str, bool] = {}
    for entry in reversing_entries:
        path: list[str] = []
        on_path: set[str] = set()
        current = entry
        while True:
            if current.id in circles:
                circular = circles[current.id]
                break
            if current.id in on_path:
                circular = True
                break
            path.append(current.id)
            on_path.add(current.id)
            if current.reverses is None or current.reverses not in by_id:
                circular = False
                break
            current = by_id[current.reverses]
        circles.update(dict.fromkeys(path, circular))
        if circular:
            yield _entry_error(entry, "reverses", "its reverses form a circle")


class EntryIndex:
    """What finding entries by id takes, worked out once a ledger.

    ``targets`` are the entries another entry ``reverses``, by id (the last
    one, should ids repeat), ``where`` their positions, ``correcting`` the
    positions of the entries that reverse one, and ``unique_ids`` whether
    no two entries share an id.  Small next to the ledger: ``collapse`` and
    ``check`` use it instead of looking at every entry's id again.
    ``roots`` is kept for ``collapse``: the original at the end of each
    correcting entry's chain, once worked out.
    """

    __slots__ = ("targets", "where", "correcting", "unique_ids", "roots")

    def __init__(self, targets: dict[str, Entry], where: dict[str, int], correcting: list[int],
                 unique_ids: bool) -> None:
        self.targets = targets
        self.where = where
        self.correcting = correcting
        self.unique_ids = unique_ids
        self.roots: list[Entry] | None = None


_INDEX = "_entry_index"  # where a ledger keeps its EntryIndex, with the entries it was made from


def entry_index(ledger: Ledger) -> EntryIndex:
    """The ledger's ``EntryIndex``: made when the ledger was validated, else now."""
    kept = ledger.__dict__.get(_INDEX)
    if kept is not None and kept[0] is ledger.entries:
        return kept[1]
    entries = ledger.entries
    position: dict[str, int] = {}
    reversing: list[int] = []
    for number, entry in enumerate(entries):
        position[entry.id] = number
        if entry.reverses is not None:
            reversing.append(number)
    index = _index_from(entries, position, reversing, len(position) == len(entries))
    _remember_index(ledger, index)
    return index


def _index_from(entries: tuple[Entry, ...], position: dict[str, int], reversing: list[int],
                unique_ids: bool) -> EntryIndex:
    wanted = {entries[number].reverses for number in reversing}
    where = {name: position[name] for name in wanted if name in position}
    targets = {name: entries[number] for name, number in where.items()}
    return EntryIndex(targets, where, reversing, unique_ids)


def _remember_index(ledger: Ledger, index: EntryIndex) -> None:
    # Kept in the instance's dict beside the fields, as functools.cached_property
    # keeps its value: a frozen ledger cannot change under it, and the entries
    # it was made from are kept with it, so a model_copy with other entries
    # makes a new one.  pydantic's dump, equality and repr look at fields only.
    ledger.__dict__[_INDEX] = (ledger.entries, index)


class _Targets:
    """Entries by id, looked up through their positions (one dict, not two)."""

    __slots__ = ("entries", "position")

    def __init__(self, entries: tuple[Entry, ...], position: dict[str, int]) -> None:
        self.entries = entries
        self.position = position

    def get(self, name: str) -> Entry | None:
        index = self.position.get(name)
        return None if index is None else self.entries[index]

    def __contains__(self, name: str) -> bool:
        return name in self.position

    def __getitem__(self, name: str) -> Entry:
        return self.entries[self.position[name]]


def _ordinal(number: int) -> str:
    suffix = "th" if 10 <= number % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(number % 10, "th")
    return f"{number}{suffix}"


def _written(entry: Entry) -> str:
    """The entry's amount, debit or credit as the ledger wrote it."""
    turned = "debit" if entry.on_statement else "credit"
    value = -entry.amount if entry.written_as == turned else entry.amount
    return format(value, "f")


def _entry_error(entry: Entry, field: str, problem: str) -> LedgerError:
    return LedgerError(problem, place=entry.place, field=field)


def _ledger_error(error: ValidationError, data: Any, source: str | None) -> LedgerError:
    """The first of pydantic's errors, told as ``file:place: field problem``."""
    detail = error.errors(include_url=False)[0]
    location = list(detail["loc"])
    place: str | None = None
    if len(location) >= 2 and location[0] == "entries" and isinstance(location[1], int):
        place = _entry_place(data, location[1])
        location = location[2:]
    field = ".".join(str(part) for part in location) or None
    context = detail.get("ctx") or {}
    if isinstance(context.get("error"), LedgerError):
        return context["error"].located(file=source, place=place)
    if detail["type"] == "missing":
        problem = f"{field} is missing" if field else "a required field is missing"
    elif isinstance(context.get("error"), Exception):
        problem = str(context["error"])
        if field and not problem.startswith(field):
            problem = f"{field}: {problem}" if not problem.startswith('"') else f"{field} {problem}"
    elif detail["type"] == "enum":
        problem = f'{field} "{_short(detail.get("input"))}" is not one of {context.get("expected", "")}'
    else:
        problem = f"{field}: {detail['msg'][:1].lower()}{detail['msg'][1:]}" if field else detail["msg"]
    return LedgerError(problem, file=source, place=place, field=field)


def _short(value: object) -> str:
    text = str(value)
    return text[:37] + "..." if len(text) > 40 else text


def _entry_place(data: Any, index: int) -> str:
    """``12`` (its CSV line) or ``entry 4`` (its id, else its 1-based position)."""
    try:
        entry = data["entries"][index]
    except (KeyError, IndexError, TypeError):
        return f"entry {index + 1}"
    if isinstance(entry, Mapping):
        if isinstance(entry.get("source_line"), int):
            return str(entry["source_line"])
        name = entry.get("id")
        if isinstance(name, (str, int)) and not isinstance(name, bool) and str(name).strip():
            return f"entry {str(name).strip()[:40]}"
    return f"entry {index + 1}"
