"""Building a ledger's objects fast: the cycle collector around a large step,
and entries built without pydantic exactly as pydantic validates them."""

import gc

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from billformat.build import gc_paused


def _generation(thing: object) -> int | None:
    for generation in range(3):
        if any(found is thing for found in gc.get_objects(generation=generation)):
            return generation
    return None


def test_the_collector_is_paused_inside_and_runs_again_after():
    assert gc.isenabled()
    with gc_paused():
        assert not gc.isenabled()
    assert gc.isenabled()
    gc.disable()
    try:
        with gc_paused(kept=True):
            pass
        assert not gc.isenabled()  # a caller that had turned it off keeps it off
    finally:
        gc.enable()


def test_what_a_step_keeps_joins_the_oldest_generation_unwalked():
    with gc_paused(kept=True):
        kept = [[] for _ in range(3)]
    assert _generation(kept) == 2 and gc.get_freeze_count() == 0
    with gc_paused():
        young = [[] for _ in range(3)]
    assert _generation(young) in (0, 1)  # young, for the next collections to look at


def test_a_failed_step_or_a_program_that_froze_objects_is_left_as_it_was():
    with pytest.raises(ValueError), gc_paused(kept=True):
        failed = [[]]
        raise ValueError
    assert _generation(failed) in (0, 1)
    gc.freeze()
    try:
        frozen = gc.get_freeze_count()
        with gc_paused(kept=True):
            made = [[]]
        assert gc.get_freeze_count() == frozen and _generation(made) in (0, 1)
    finally:
        gc.unfreeze()


def test_trusted_fills_defaults_as_validation_does():
    from decimal import Decimal

    from pydantic import BaseModel, Field

    from billformat.bill import FaceLine, Line
    from billformat.build import trusted

    line = trusted(FaceLine, key="goods", label="Parts", amount=Decimal("1.00"), entries=("1",))
    assert line == FaceLine(key="goods", label="Parts", amount=Decimal("1.00"), entries=("1",))
    with pytest.raises(TypeError, match="Line needs entries"):
        trusted(Line, label="Parts", amount=Decimal("1.00"))

    class Basket(BaseModel):
        name: str = "basket"
        items: list[str] = Field(default_factory=list)
        tags: list[str] = []

    first, second = trusted(Basket), trusted(Basket, name="b")
    assert (first.name, first.items, first.tags, second.name) == ("basket", [], [], "b")
    assert first.items is not second.items and first.tags is not second.tags  # made for each
    assert first.model_fields_set == set() and second.model_fields_set == {"name"}


# ---------------------------------------------------------------------------
# build_entry: what pydantic gives, or nothing


def _validated(raw: dict, position: int, statement: bool):
    """What validating ``raw`` gives, as a ``Ledger`` hands it to pydantic:
    its default id, and for a statement the sign of its debit and credit."""
    from billformat.model import Entry

    data = dict(raw)
    name = data.get("id")
    if name is None or (isinstance(name, str) and not name.strip()):
        data["id"] = str(position)
    if statement:
        data["on_statement"] = True
    return Entry.model_validate(data)


def _exactly(entry) -> dict:
    """An entry's values with their types and written forms (1.10 is not 1.1)."""
    return {name: (type(value), str(value)) for name, value in entry.__dict__.items()}


def _assert_same(built, validated) -> None:
    assert _exactly(built) == _exactly(validated)
    assert built == validated
    assert built.model_fields_set == validated.model_fields_set


_ABSENT = object()
_NUMBER = ([_ABSENT, _ABSENT, "2", 2, 2.5, "1.10", None, ""], [" 3 ", "x", True, float("nan")])
_TEXT = ([_ABSENT, _ABSENT, "Parts", "Café", None, ""], ["  ", " Parts "])
_NAME = ([_ABSENT, _ABSENT, "1", 101, None, ""], [" 7 ", "  "])
# Each field's plain values (absent among them) and odd ones.
_FIELDS = {
    "id": ([_ABSENT, "A1", 7, None, ""], ["  ", " A2 "]),
    "text": (["Tire", "Café", "部品"], ["", " Tire"]),
    "kind": (["item", "fee", "check", " item ", "ITEM", "Deposit"], ["gift", None, 3]),
    "status": ([_ABSENT, "billed", "VOID", " Declined ", None, ""], ["  ", "paid", 1]),
    "date": ([_ABSENT, "2026-11-02", None, ""], ["2026-02-30", " 2026-11-02", 20261102]),
    "qty": _NUMBER, "unit_price": _NUMBER, "rate": _NUMBER, "base": _NUMBER,
    "label": _TEXT, "unit": _TEXT, "group": _TEXT, "category": _TEXT,
    "reverses": _NAME, "number": _NAME,
    "taxable": ([_ABSENT, True, "yes", " No ", None, ""], ["  ", "maybe", 1]),
    "source_line": ([_ABSENT, 4], [_ABSENT]),
}


@st.composite
def raw_entries(draw) -> dict:
    """Entry fields as JSON, CSV and API payloads give them: plain values, a
    few of them odd (which build_entry may leave to pydantic)."""
    from decimal import Decimal

    odd = draw(st.sets(st.sampled_from([*_FIELDS, "money"]), max_size=2))
    raw = {}
    for name in draw(st.permutations(list(_FIELDS))):
        plain, unusual = _FIELDS[name]
        value = draw(st.sampled_from(unusual if name in odd else plain))
        if value is not _ABSENT:
            raw[name] = value
    plain, unusual = (["12.50", "-3", "0.00", "-0.00", 12, 12.5, 0.1, Decimal("1.10")],
                      [" 7.25 ", "1e3", "x", "", None])
    if "money" in odd:
        names = draw(st.sampled_from([["amount", "debit"], ["debit", "credit"], ["amount"]]))
    else:
        names = [draw(st.sampled_from(["amount", "debit", "credit"]))]
    for name in names:
        raw[name] = draw(st.sampled_from(unusual if "money" in odd else plain))
    return raw


@settings(max_examples=400, deadline=None)
@given(raw_entries(), st.booleans())
def test_a_built_entry_is_exactly_the_validated_one(raw, statement):
    from billformat.build import EntryMemo, build_entry

    built = build_entry(raw, 3, EntryMemo(), statement)
    if built is not None:  # else pydantic decides, as for any entry
        _assert_same(built, _validated(raw, 3, statement))


def test_entries_that_differ_only_in_blanks_share_no_wrong_memo():
    from billformat.build import EntryMemo, build_entry

    memo = EntryMemo()
    rows = [{"text": "a", "kind": "item", "amount": "1", "qty": "2", "status": "void"},
            {"text": "a", "kind": "item", "amount": "1", "qty": "", "status": ""},
            {"text": "a", "kind": "item", "amount": "1", "qty": None, "status": None},
            {"text": "a", "kind": " Item", "amount": 1.5, "qty": 2.0, "status": " DECLINED"}]
    for statement in (False, True):
        for position, raw in enumerate(rows, start=1):
            built = build_entry(raw, position, memo, statement)
            assert built is not None, raw  # the fast path takes all of these
            _assert_same(built, _validated(raw, position, statement))


@pytest.mark.parametrize("field", ["debit", "credit", "amount"])
def test_a_debit_or_credit_built_for_a_bill_and_turned_is_the_statements(field):
    from billformat.build import EntryMemo, build_entry, turn_sign

    raw = {"text": "CHECK 101", "kind": "check", field: "30.00", "number": "101"}
    memo = EntryMemo()
    as_bill = build_entry(raw, 1, memo)
    _assert_same(as_bill, _validated(raw, 1, False))
    as_statement = build_entry(raw, 1, memo, statement=True)
    _assert_same(as_statement, _validated(raw, 1, True))
    if field != "amount":
        assert as_statement.amount == -as_bill.amount
        turned = turn_sign(as_bill, True, memo)
        _assert_same(turned, as_statement)
        _assert_same(turn_sign(turned, False, memo), as_bill.model_copy(update={"on_statement": False}))


def test_a_ledger_read_through_the_fast_path_is_the_one_pydantic_reads(monkeypatch):
    import json

    import billformat
    from billformat import build

    text = json.dumps({"kind": "hotel_folio", "currency": "USD", "entries": [
        {"id": "1", "date": "2026-11-01", "text": "RM CHG", "kind": " Item", "debit": "189.00",
         "group": "Room", "qty": 1, "unit_price": 189.0, "status": None},
        {"id": "2", "text": "RM TAX", "kind": "tax", "debit": 11.34, "rate": "6", "base": "189.00",
         "taxable": "", "label": ""},
        {"id": "3", "text": "CORR", "kind": "item", "credit": "24.00", "reverses": "1", "status": ""},
        {"id": "4", "text": "VISA", "kind": "PAYMENT", "credit": 176.34, "number": None}]})
    fast = billformat.Ledger.model_validate(json.loads(text))
    monkeypatch.setattr(build, "build_entry", lambda *args: None)
    slow = billformat.Ledger.model_validate(json.loads(text))
    assert [_exactly(e) for e in fast.entries] == [_exactly(e) for e in slow.entries]
    assert [e.model_fields_set for e in fast.entries] == [e.model_fields_set for e in slow.entries]
