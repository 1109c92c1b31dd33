"""Building a ledger's objects fast: the cycle collector around a large step."""

import gc

import pytest

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
