"""A bill as a PDF: the page a customer reads, and the accountant's trail.

``render_pdf(bill, layout, details, trail)`` lays out the bill's view
(``render/view.py``: every word and figure already formatted) with
``pdf_rows.Composer``, paginates it with ``pdf_layout`` and draws it on a
reportlab canvas.  reportlab is imported here, lazily, so importing
billformat never loads it.  See ``docs/pdf.md``.
"""

from __future__ import annotations

import io
from functools import lru_cache
from pathlib import Path

from billformat.bill import Bill
from billformat.layouts import Layout, LayoutError
from billformat.render.fonts import FontChain, Style
from billformat.render.pdf_layout import Frame, Painter, paginate
from billformat.render.pdf_rows import MM, Composer
from billformat.render.safe import clean_text
from billformat.render.view import describe

PAGES = {"letter": (612.0, 792.0), "A4": (595.2756, 841.8898)}  # points  # not money
# A receipt is cut to the height of its content, up to the tallest page PDF
# readers show (200 inches); a longer one goes on as pages of that height.
ROLL_LIMIT = 14_400.0  # not money


def render_pdf(bill: Bill, layout: Layout, details: bool = False, trail: bool = False) -> bytes:
    """``bill`` as PDF bytes, set on ``layout``'s page."""
    from reportlab.pdfgen.canvas import Canvas

    settings = layout.pdf
    view = describe(bill, details=details, trail=trail)
    paper = settings.paper(bill.locale)
    roll = paper == "roll"
    margin = settings.margin_mm * MM  # not money
    size = settings.font_size  # not money
    if roll:
        width, height = settings.roll_width_mm * MM, ROLL_LIMIT  # not money
    else:
        width, height = PAGES[paper]  # not money
    frame = Frame(width, height, margin, header=size * 3)
    fonts = font_chain(settings.font, settings.bold_font, bill.locale.split("_")[0], layout.folder)
    number = clean_text(bill.number, limit=80)
    composer = Composer(view, settings, frame, fonts, roll, number=number, logo=_logo(layout))
    pages = paginate(composer.rows(), frame)

    buffer = io.BytesIO()
    canvas = Canvas(buffer, pagesize=(width, height), invariant=1, lang=view.lang)
    title = f"{view.title} {number}".strip()
    canvas.setTitle(title)
    canvas.setAuthor(view.seller[0] if view.seller else "")
    canvas.setSubject(view.situation)
    canvas.setCreator("billformat")
    canvas.setProducer("billformat (reportlab)")
    painter = Painter(canvas, fonts)
    footer = Style(False, settings.small_size, settings.colors.muted)
    running = " · ".join(part for part in (title, view.customer[0] if view.customer else "") if part)
    for index, rows in enumerate(pages):
        if roll:  # cut the strip to its content
            height = sum(row.height for row in rows) + 2 * margin + (frame.header if index else 0)
            height += footer.size * 2 if len(pages) > 1 else 0
            canvas.setPageSize((width, height))
        top = height - margin  # not money
        if index:
            painter.text(frame.left, top - footer.size, running, footer)
            top -= frame.header
        painter.rows(rows, top)
        if len(pages) > 1:
            painter.text(frame.left, margin * 0.5, title, footer)
            painter.text(frame.right, margin * 0.5, f"{index + 1} / {len(pages)}", footer, "right")
        painter.finish_page()
    canvas.save()
    return buffer.getvalue()


def _logo(layout: Layout) -> Path | None:
    """The layout's logo, checked to be an image reportlab can draw."""
    path = layout.logo
    if path is None:
        return None
    from reportlab.lib.utils import ImageReader

    try:
        ImageReader(str(path)).getSize()
    except Exception:  # reportlab and Pillow raise many kinds for a bad image
        raise LayoutError(f"{path}: the logo is not an image billformat can draw (PNG or JPEG)") from None
    return path


@lru_cache(maxsize=32)
def font_chain(regular: str, bold: str, language: str, folder: Path | None) -> FontChain:
    """The fonts of a layout for one language, kept between bills (their
    coverage and the runs they have split stay cached)."""
    return FontChain(regular, bold, language, folder)


__all__ = ["render_pdf"]
