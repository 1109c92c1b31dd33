"""Building entries fast, without pydantic for the plain case.

A million-line ledger spends most of its reading time in pydantic, one
validation an entry.  ``build_entry`` handles the plain case itself: a dict
whose every value is already in the form validation would produce, or one
cheap, exact step away from it (ISO date text, decimal text or a float, a
kind's or status's name in any case, null or "" for an absent field).
Anything else -- a value it is not sure of, a field it does not know -- it
declines by returning ``None``, and the entry is validated by pydantic as
before, so every refusal and its message stay exactly the same.  The entries
it builds equal the validated ones field for field, and share their repeated
dates, decimals and texts.  ``turn_sign`` reads a debit or credit built
for a bill as a statement's (or back), for a ledger whose kind its reader
had not met yet.  ``construct`` and ``trusted`` build models from values
already known to be valid (collapse uses them for the bill).
"""

from __future__ import annotations

import datetime as dt
import gc
from collections.abc import Iterator
from contextlib import contextmanager
from decimal import Decimal
from typing import Any

from pydantic import BaseModel

from billformat.model import Entry, EntryKind, Status, _read_date
from billformat.money import parse_decimal

_setattr = object.__setattr__
_ENTRY_FIELDS = tuple(Entry.model_fields)
_AMOUNTS = ("amount", "debit", "credit")
_OPTIONAL_NUMBERS = ("qty", "unit_price", "rate", "base")
_OPTIONAL_TEXTS = ("label", "unit", "group", "category")
_NAMES = ("reverses", "number")
_FLAGS = {"true": True, "yes": True, "y": True, "1": True,
          "false": False, "no": False, "n": False, "0": False}
_KINDS = EntryKind._value2member_map_
_STATUSES = Status._value2member_map_
_MEMO_SIZE = 4096  # repeated values remembered per ledger; bounded, so unique ones cost nothing


class EntryMemo:
    """What one ledger's entries share: parsed dates and decimals, equal texts,
    the sets of fields given."""

    __slots__ = ("dates", "numbers", "texts", "fields_sets", "turned_sets")

    def __init__(self) -> None:
        self.dates: dict[str, dt.date] = {}
        self.numbers: dict[str, Decimal] = {}
        self.texts: dict[str, str] = {}
        self.fields_sets: dict[tuple[str, ...], set[str]] = {}
        self.turned_sets: dict[int, tuple[set[str], set[str]]] = {}


@contextmanager
def gc_paused(kept: bool = False) -> Iterator[None]:
    """Pause Python's cycle collector while a ledger's objects are built.

    Reading or collapsing a million-line ledger makes millions of objects
    that form no cycles; each full collection on the way walks all of them,
    which made time grow faster than the ledger.  The collector runs again
    afterwards, as it was (a caller that had turned it off keeps it off).

    ``kept``: what the step made is kept, as the ledger or bill it returns.
    The first young collection afterwards would walk every one of those
    objects only to find them all alive, which at a million entries costs
    as much as a second pass over the ledger, out of the caches.  Instead
    they join the oldest generation at once (``gc.freeze`` then
    ``gc.unfreeze`` move the collector's lists, not the objects), as a
    long-lived object does.  Not done when the step fails (its exception may
    hold cycles of frames), nor when the program froze objects itself.
    """
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    except BaseException:
        kept = False
        raise
    finally:
        if was_enabled:
            if kept and gc.get_freeze_count() == 0:
                gc.freeze()
                gc.unfreeze()
            gc.enable()


def construct(cls: type[BaseModel], names: tuple[str, ...], values: tuple, fields_set: set[str]):
    """An instance of ``cls`` from values already valid, as ``model_construct`` would make it.

    The attributes are set one by one, in ``names`` order, so instances of
    one class share their dict's keys (half the memory of a model's own dict).
    """
    instance = object.__new__(cls)
    for name, value in zip(names, values):
        _setattr(instance, name, value)
    _setattr(instance, "__pydantic_fields_set__", fields_set)
    _setattr(instance, "__pydantic_extra__", None)
    _setattr(instance, "__pydantic_private__", None)
    return instance


def trusted(cls: type[BaseModel], **values: Any):
    """An instance of ``cls`` from values billformat computed itself.

    ``collapse`` makes lines, trail steps and the bill from values of the
    right types already; validating them again would cost as much as the
    collapse (and would check the whole ledger once more for every bill).
    Fields not given take their defaults, as in validation.
    """
    fields = _FIELDS.get(cls)
    if fields is None:
        fields = _FIELDS[cls] = _fields_of(cls)
    ordered = []
    for name, info, default in fields:
        if name in values:
            ordered.append(values[name])
        elif default is not _NO_DEFAULT:
            ordered.append(default)
        elif info.is_required():
            raise TypeError(f"{cls.__name__} needs {name}")
        else:
            ordered.append(info.get_default(call_default_factory=True))
    return construct(cls, tuple(name for name, _, _ in fields), tuple(ordered), set(values))


# Each model's fields for ``trusted``, with the defaults every instance can
# share (None, text, numbers, an empty tuple) worked out once, not a bill.
_NO_DEFAULT = object()
_FIELDS: dict[type, tuple[tuple[str, Any, Any], ...]] = {}


def _fields_of(cls: type[BaseModel]) -> tuple[tuple[str, Any, Any], ...]:
    fields = []
    for name, info in cls.model_fields.items():
        default = _NO_DEFAULT
        if not info.is_required() and info.default_factory is None:
            value = info.get_default(call_default_factory=True)
            if value is None or type(value) in (str, int, bool, Decimal) or value == ():
                default = value
        fields.append((name, info, default))
    return tuple(fields)


def build_entry(raw: dict, position: int, memo: EntryMemo, statement: bool = False) -> Entry | None:
    """The ``Entry`` that validating ``raw`` (the ``position``-th entry, from 1)
    would give, or ``None`` when that takes pydantic to decide.

    ``statement``: the entry is a bank statement's, where a debit is money
    out (−) and a credit money in (+); on a bill a debit is + and a credit −.
    A reader that does not know the ledger's kind yet builds it as a bill's,
    and the ``Ledger`` turns the sign once it knows (``turn_sign``).
    """
    if type(raw) is not dict or "written_as" in raw or "on_statement" in raw:
        return None
    get = raw.get
    given = None
    for name in _AMOUNTS:
        if get(name) is not None:
            if given is not None:
                return None
            given = name
    if given is None:
        return None
    amount = _plain_number(raw[given], memo)
    if amount is None:
        return None
    if given == ("debit" if statement else "credit"):
        amount = -amount

    name = get("id")
    if type(name) is str and name and name.isascii() and not (name[0].isspace() or name[-1].isspace()):
        pass  # the usual id: plain text as it stands
    elif name is None or (type(name) is str and not name.strip()):
        name = str(position)
    else:
        name = _plain_name(name)
        if name is None:
            return None
    text = get("text")
    text = memo.texts.get(text) if type(text) is str else None  # seen before: plain text
    if text is None:
        text = _plain_text(get("text"), memo)
    if not text:
        return None
    kind = get("kind")
    if type(kind) is not str:
        return None
    kind = _KINDS.get(kind) or _KINDS.get(kind.strip().lower())
    if kind is None:
        return None
    status = get("status")
    if status is None:
        status = Status.billed
    elif type(status) is str:
        status = _STATUSES.get(status) or _loose_status(status)
        if status is None:
            return None
    else:
        return None
    date = get("date")
    if date is not None:
        if type(date) is not str:
            return None
        known = memo.dates.get(date)
        if known is None and date:  # an empty text is an absent date
            try:
                known = _read_date(date)
            except ValueError:
                return None
            if len(memo.dates) < _MEMO_SIZE:
                memo.dates[date] = known
        date = known
    numbers = []
    for field in _OPTIONAL_NUMBERS:
        value = get(field)
        if value is not None:
            if value == "":  # an empty text is an absent field
                value = None
            else:
                value = _plain_number(value, memo)
                if value is None:
                    return None
        numbers.append(value)
    texts = []
    known_texts = memo.texts
    for field in _OPTIONAL_TEXTS:
        value = get(field)
        if value is not None:
            known = known_texts.get(value) if type(value) is str else None
            value = _plain_text(value, memo) if known is None else known
            if value is False:
                return None
        texts.append(value or None)
    names = []
    for field in _NAMES:
        value = get(field)
        if value is not None:
            value = _plain_name(value)
            if value is None and raw[field] != "":
                return None
        names.append(value)
    taxable = get("taxable")
    if taxable is not None and type(taxable) is not bool:
        if type(taxable) is not str:
            return None
        word = taxable.strip().lower()
        taxable = _FLAGS.get(word) if word else None  # blank: absent
        if taxable is None and word:
            return None
    source_line = get("source_line")
    if source_line is not None and type(source_line) is not int:
        return None

    keys = tuple(raw)
    if statement:  # the Ledger gives pydantic this field for a statement's entries
        keys += ("on_statement",)
    fields_set = memo.fields_sets.get(keys)
    if fields_set is None:
        fields_set = {key for key in keys if key in _FIELD_NAMES} | {"id", "amount", "written_as"}
        if len(memo.fields_sets) < _MEMO_SIZE:
            memo.fields_sets[keys] = fields_set
    qty, unit_price, rate, base = numbers
    label, unit, group, category = texts
    reverses, number = names
    return construct(
        Entry,
        _ENTRY_FIELDS,
        (name, date, text, label, kind, amount, given, statement and given != "amount", qty, unit,
         unit_price, status, reverses, group, rate, base, taxable, number, category, source_line),
        fields_set,
    )


def turn_sign(entry: Entry, statement: bool, memo: EntryMemo) -> Entry:
    """``entry``, written as a debit or a credit, read the other way: as a
    statement reads it if ``statement``, else as a bill does.

    The same entry with its amount turned, as validating its fields in such a
    ledger would give it; entries that shared a set of fields given share
    the new one.
    """
    values = entry.__dict__
    amount = -values["amount"]
    given = entry.__pydantic_fields_set__
    kept = memo.turned_sets.get(id(given))
    if kept is None or kept[0] is not given:
        kept = (given, given | {"on_statement"})
        if len(memo.turned_sets) < _MEMO_SIZE:
            memo.turned_sets[id(given)] = kept
    return construct(
        Entry,
        _ENTRY_FIELDS,
        tuple(amount if name == "amount" else statement if name == "on_statement" else values[name]
              for name in _ENTRY_FIELDS),
        kept[1],
    )


# build_entry reads every field of Entry but ``written_as`` and
# ``on_statement``, which only validation sets; an input that gives one goes
# to pydantic.
_FIELD_NAMES = frozenset(_ENTRY_FIELDS)
if _FIELD_NAMES - {"written_as", "on_statement"} != frozenset(
    ("id", "date", "text", "label", "kind", "amount", "qty", "unit", "unit_price", "status",
     "reverses", "group", "rate", "base", "taxable", "number", "category", "source_line")
):  # pragma: no cover - a new field of Entry must be taught to build_entry
    raise ImportError("build_entry does not know every field of Entry")


def _loose_status(text: str) -> Status | None:
    """The status ``text`` names in another case or with spaces around;
    billed for blank text (an absent status); ``None`` for no status."""
    word = text.strip().lower()
    return _STATUSES.get(word) if word else Status.billed


def _plain_text(value: object, memo: EntryMemo) -> str | bool:
    """``value`` if it is text pydantic keeps as it is, else ``False``."""
    if type(value) is not str:
        return False
    if value and (value[0].isspace() or value[-1].isspace()):
        return False
    if not value.isascii():
        try:
            value.encode("utf-8")
        except UnicodeEncodeError:
            return False
    known = memo.texts.get(value)
    if known is not None:
        return known
    if len(memo.texts) < _MEMO_SIZE:
        memo.texts[value] = value
    return value


def _plain_name(value: object) -> str | None:
    """An identifier as ``_read_name`` and pydantic make it, or ``None`` when unsure."""
    if type(value) is int:
        return str(value)
    if type(value) is not str or not value or value[0].isspace() or value[-1].isspace():
        return None
    if not value.isascii():
        try:
            value.encode("utf-8")
        except UnicodeEncodeError:
            return None
    return value


def _plain_number(value: object, memo: EntryMemo) -> Decimal | None:
    if type(value) is str:
        known = memo.numbers.get(value)
        if known is not None:
            return known
    try:
        number = parse_decimal(value)
    except ValueError:
        return None
    if type(value) is str and len(memo.numbers) < _MEMO_SIZE:
        memo.numbers[value] = number
    return number
