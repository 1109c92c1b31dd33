"""Benchmarks for issue 7: run ``python -m bench`` (see bench/__main__.py)."""
