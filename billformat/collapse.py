"""Placeholder until collapse lands."""
def collapse(ledger, *, locale=None): raise NotImplementedError
