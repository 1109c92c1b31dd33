"""Ledger text made harmless to show: no control, bidi or invisible characters.

Ledger text is untrusted.  ``clean_text`` is the one place every renderer
passes it through before showing it: it drops the characters that can hide,
reorder or fake what a customer reads, and cuts text longer than any label
with a visible ``…``.

Escaping is *not* done here, because it depends on the output:

- HTML: the Jinja2 environment in ``render/html.py`` autoescapes every value;
  never mark ledger text ``|safe``.
- PDF: reportlab ``Paragraph`` reads a small markup language, so the PDF
  renderer escapes cleaned text with ``xml.sax.saxutils.escape`` before
  putting it in a paragraph (``canvas.drawString`` needs no escaping).
- Text and JSON need no escaping beyond this cleaning (JSON's encoder
  escapes what it must).
"""

from __future__ import annotations

import re
import unicodedata

# A label, a name or an address line: longer than any real one.
LABEL_LIMIT = 500
# The longest run of letters without a space before a break is offered.
WORD_LIMIT = 40

CUT_MARK = "…"
_BREAK = "\u200b"  # zero-width space: an invisible place to break a line

# Bidi embeddings, overrides and isolates, and the implicit direction marks:
# they can turn "$10.00" into what reads as "$00.01".
_BIDI = "\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069\u200e\u200f\u061c"
# Zero-width and invisible characters that hide text or join lookalikes.
_INVISIBLE = "\u200b\u200c\u200d\u2060\u2061\u2062\u2063\u2064\ufeff\u180e\u00ad"
_DROP = {ord(char): None for char in _BIDI + _INVISIBLE}
_SPACE = re.compile(r"\s+")


def clean_text(text: object, limit: int = LABEL_LIMIT) -> str:
    """``text`` on one line, without control, bidi or invisible characters.

    Tabs, newlines and other whitespace become single spaces; C0 and C1
    controls, bidi overrides and zero-width characters are removed; text
    longer than ``limit`` characters is cut and ends in ``…``.  ``None``
    gives ``""``.
    """
    if text is None:
        return ""
    if (type(text) is str and len(text) <= limit and text.isascii() and text.isprintable()
            and "  " not in text and text[:1] != " " and text[-1:] != " "):
        return text  # plain one-line ASCII: nothing below would change it
    whole = str(text)
    # Only the start of a 100 kB "word" can be shown; clean no more than that.
    value = unicodedata.normalize("NFC", whole[: limit * 4 + 16]).translate(_DROP)
    value = "".join(" " if _is_control(char) else char for char in value)
    value = _SPACE.sub(" ", value).strip()
    if len(value) > limit or len(whole) > limit * 4 + 16:
        value = value[: max(limit - 1, 0)].rstrip() + CUT_MARK
    return value


def breakable(text: str, word_limit: int = WORD_LIMIT) -> str:
    """``text`` with an invisible break offered inside any word longer than
    ``word_limit``, so a renderer that wraps at spaces can wrap it (HTML)."""
    return re.sub(
        r"\S{%d,}" % (word_limit + 1),
        lambda match: _BREAK.join(
            match.group()[start : start + word_limit]
            for start in range(0, len(match.group()), word_limit)
        ),
        text,
    )


def is_rtl(text: str) -> bool:
    """Whether ``text`` is mainly written right to left (Arabic, Hebrew)."""
    if text.isascii():
        return False  # no right-to-left letter in it
    strong = [unicodedata.bidirectional(char) for char in text]
    right = sum(kind in ("R", "AL") for kind in strong)
    left = sum(kind == "L" for kind in strong)
    return right > left


def _is_control(char: str) -> bool:
    category = unicodedata.category(char)
    return category == "Cc" or category in ("Zl", "Zp")
