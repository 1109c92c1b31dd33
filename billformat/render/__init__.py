"""Renderers: a ``Bill`` as PDF, HTML, text or JSON, through one front.

Every renderer shows the same figures in the same words, because they all
consume one view of the bill (``render/view.py``), built from the words in
``render/words.py``.  Each renderer is imported only when asked for, so
importing billformat never imports reportlab or Jinja2.
"""

from __future__ import annotations

from importlib import import_module
from pathlib import Path

from billformat.bill import Bill
from billformat.build import gc_paused
from billformat.layouts import Layout, load_layout

FORMATS = ("pdf", "html", "text", "json")


def render(
    bill: Bill,
    format: str = "pdf",
    *,
    layout: str | Path | Layout = "standard",
    details: bool | None = None,
    trail: bool | None = None,
) -> bytes | str:
    """``bill`` as ``pdf`` (bytes), ``html``, ``text`` or ``json`` (str).

    ``layout`` is a built-in layout's name or a folder of the user's own;
    ``details`` adds the entries behind each line and ``trail`` where every
    ledger entry went (``None``: as the layout says).
    """
    if format not in FORMATS:
        raise ValueError(f'unknown format "{str(format)[:40]}"; use one of {", ".join(FORMATS)}')
    if format == "json":
        from billformat.render.json import render_json

        with gc_paused():
            return render_json(bill)
    chosen = layout if isinstance(layout, Layout) else load_layout(layout)
    show_details = chosen.details if details is None else details
    show_trail = chosen.trail if trail is None else trail
    module = import_module(f"billformat.render.{format}")
    function = getattr(module, f"render_{format}")
    # A long bill's rows, strings and pages are many objects that form no
    # cycles; with the cycle collector running, each full collection on the
    # way walks all of them and the ledger too, and time grows faster than
    # the pages (a 100,000-entry PDF took a third longer).
    with gc_paused():
        return function(bill, chosen, show_details, show_trail)


__all__ = ["FORMATS", "render"]
