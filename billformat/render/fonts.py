"""Fonts for the PDF: which font prints each character, and how wide it is.

A bill is set in the layout's font (Helvetica by default: built into every
PDF reader, nothing embedded, small files).  A character that font cannot
print falls back, one run of characters at a time, to

1. DejaVu Sans (bundled in ``billformat/fonts``, embedded as a subset):
   Greek, Cyrillic, Arabic, Hebrew, Armenian, Georgian, symbols ...;
2. one of reportlab's CID fonts for Chinese, Japanese and Korean, chosen by
   the script and the bill's language (they are not embedded: every PDF
   reader ships them);
3. for the rare character nothing here covers (emoji, Thai, Devanagari),
   U+FFFD in DejaVu Sans: a visible "unknown character" mark, never an
   empty box.

Right-to-left text is shaped (Arabic letters joined, with ``arabic-reshaper``
where installed) and put in visual order by ``pdf_bidi.visual_order`` before it is
split into runs, so it reads correctly and still extracts as text.
Everything here is loaded lazily and cached: importing this module loads no
font and no reportlab.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from billformat.layouts import LayoutError
from billformat.render.pdf_bidi import visual_order

BUNDLED = Path(__file__).resolve().parent.parent / "fonts"
SANS = ("BillformatSans", "DejaVuSans.ttf")
SANS_BOLD = ("BillformatSans-Bold", "DejaVuSans-Bold.ttf")
UNKNOWN = "\ufffd"

# reportlab's standard fonts and their bold faces; they print WinAnsi text.
STANDARD = {
    "Helvetica": "Helvetica-Bold",
    "Times-Roman": "Times-Bold",
    "Courier": "Courier-Bold",
}
STANDARD_BOLD = {"Helvetica-Bold", "Times-Bold", "Courier-Bold", "Helvetica-Oblique"}

# CID fonts (Adobe's Asian font packs, present in every PDF reader).
JAPANESE = "HeiseiKakuGo-W5"
CHINESE = "STSong-Light"
KOREAN = "HYGothic-Medium"


@lru_cache(maxsize=1)
def _winansi() -> frozenset[str]:
    """The characters a standard Type 1 font prints in WinAnsiEncoding."""
    chars = set()
    for code in range(0x20, 0x100):
        try:
            char = bytes([code]).decode("cp1252")
        except UnicodeDecodeError:
            continue
        if unicodedata.category(char) != "Cc":
            chars.add(char)
    return frozenset(chars)


@lru_cache(maxsize=None)
def load_font(name: str, path: str | None = None) -> frozenset[str]:
    """Register font ``name`` with reportlab (a standard font, a TTF at
    ``path``, or a CID font) and return the characters it covers
    (an empty set for CID fonts, whose coverage goes by script)."""
    from reportlab.pdfbase import pdfmetrics

    if path is not None:
        from reportlab.pdfbase.ttfonts import TTFont

        font = TTFont(name, path)
        pdfmetrics.registerFont(font)
        return frozenset(chr(code) for code in font.face.charToGlyph if code >= 0x20)
    if name in (JAPANESE, CHINESE, KOREAN, "HeiseiMin-W3", "HYSMyeongJo-Medium"):
        from reportlab.pdfbase.cidfonts import UnicodeCIDFont

        pdfmetrics.registerFont(UnicodeCIDFont(name))
        return frozenset()
    pdfmetrics.getFont(name)  # a standard font: raises KeyError if unknown
    return _winansi()


def cjk_font(char: str, language: str) -> str | None:
    """The CID font for a Chinese, Japanese or Korean character, else ``None``."""
    code = ord(char)
    if 0xAC00 <= code <= 0xD7AF or 0x1100 <= code <= 0x11FF or 0x3130 <= code <= 0x318F:
        return KOREAN
    if 0x3040 <= code <= 0x30FF or 0x31F0 <= code <= 0x31FF or 0xFF61 <= code <= 0xFF9F:
        return JAPANESE
    if (
        0x4E00 <= code <= 0x9FFF
        or 0x3400 <= code <= 0x4DBF
        or 0x3000 <= code <= 0x303F
        or 0xF900 <= code <= 0xFAFF
        or 0xFF01 <= code <= 0xFFEF
    ):
        return {"ja": JAPANESE, "ko": KOREAN}.get(language, CHINESE)
    return None


def _language_hint(text: str) -> str | None:
    """``ja`` for a line with kana, ``ko`` for one with Hangul: its Han
    characters then take the Japanese or Korean font, not the Chinese one."""
    for char in text:
        code = ord(char)
        if 0x3040 <= code <= 0x30FF:
            return "ja"
        if 0xAC00 <= code <= 0xD7AF:
            return "ko"
    return None


@dataclass(frozen=True)
class Style:
    """A font, a size and a colour: how a piece of text looks."""

    bold: bool
    size: float  # not money
    color: str


class FontChain:
    """The layout's fonts with their fallbacks, for one bill's language.

    ``runs(text, bold)`` splits a line into ``(font name, text)`` pieces in
    visual order; ``width`` measures a line the way it will be drawn.
    """

    def __init__(self, regular: str = "Helvetica", bold: str | None = None,
                 language: str = "en", folder: Path | None = None) -> None:
        self.language = language
        self.regular = _register(regular, folder)
        self.bold = _register(bold or STANDARD.get(regular, regular), folder)
        self._ascii = all(chr(code) in self.regular[1] and chr(code) in self.bold[1]
                          for code in range(0x20, 0x7F))
        self._covers = {False: _coverage(self.regular[1]), True: _coverage(self.bold[1])}
        # Lines already split and measured.  A line is asked for several
        # times in a row (wrapped, measured, drawn), so a full cache starts
        # over rather than stop keeping new lines.
        self._runs: dict[tuple[str, bool], tuple[tuple[str, str], ...]] = {}
        self._widths: dict[tuple[str, bool], float] = {}  # not money

    @property
    def ascii(self) -> bool:
        """Whether both fonts have every printable ASCII character, so that
        an ASCII line is one run in the line's own font."""
        return self._ascii

    def runs(self, text: str, bold: bool = False) -> tuple[tuple[str, str], ...]:
        key = (text, bold)
        cached = self._runs.get(key)
        if cached is not None:
            return cached
        if text.isascii() and self._ascii:
            result: tuple[tuple[str, str], ...] = (((self.bold if bold else self.regular)[0], text),)
        else:
            ordered = visual_order(text)
            if self._covers[bold](ordered):  # every character in the layout's font: "½ × €"
                result = (((self.bold if bold else self.regular)[0], ordered),)
            else:
                result = self._split(ordered, bold)
        if len(self._runs) >= _CACHED_LINES:
            self._runs.clear()
        self._runs[key] = result
        return result

    def _split(self, text: str, bold: bool) -> tuple[tuple[str, str], ...]:
        base_name, base_chars = self.bold if bold else self.regular
        sans = SANS_BOLD if bold else SANS
        language = _language_hint(text) or self.language
        pieces: list[tuple[str, str]] = []
        cjk_line: bool | None = None  # whether the line has Chinese, Japanese or Korean in it
        for char in text:
            if char in base_chars:
                font = base_name
            elif unicodedata.category(char) == "Zs":
                font, char = base_name, " "  # a thin or narrow space: a plain one will do
            else:
                font = cjk_font(char, language)
                if font is None and "\u2010" <= char <= "\u27bf":  # punctuation and symbols (※)
                    if cjk_line is None:
                        cjk_line = any(cjk_font(other, language) for other in text)
                    if cjk_line:  # in a CJK line, in the CJK font, to match
                        font = cjk_font("\u4e00", language)
                if font is not None:
                    load_font(font)
                elif char in load_font(sans[0], str(BUNDLED / sans[1])):
                    font = sans[0]
                elif unicodedata.category(char) in ("Mn", "Me", "Cf"):
                    continue  # an unsupported combining mark: leave it out
                else:
                    font, char = sans[0], UNKNOWN
            if pieces and pieces[-1][0] == font:
                pieces[-1] = (font, pieces[-1][1] + char)
            else:
                pieces.append((font, char))
        return tuple(pieces)

    def width(self, text: str, size: float, bold: bool = False) -> float:  # not money
        key = (text, bold)
        em = self._widths.get(key)  # the width at 1,000 points  # not money
        if em is None:
            em = sum(run_width(font, piece, 1000.0) for font, piece in self.runs(text, bold))
            if len(self._widths) >= _CACHED_LINES:
                self._widths.clear()
            self._widths[key] = em
        return em * size / 1000


_CACHED_LINES = 4096


def _coverage(chars: frozenset[str]):
    """A test of whether a text has only characters from ``chars``."""
    return re.compile("[" + "".join(re.escape(char) for char in sorted(chars)) + "]*").fullmatch


def run_width(font: str, text: str, size: float) -> float:  # not money
    """The width of ``text`` set in ``font``: from a table for the standard
    fonts (many times faster than reportlab's general ``stringWidth``)."""
    table = _width_table(font)
    if table is not None:
        try:
            return sum(map(table.__getitem__, text)) * size / 1000
        except KeyError:
            pass
    from reportlab.pdfbase.pdfmetrics import stringWidth

    return stringWidth(text, font, size)


@lru_cache(maxsize=None)
def _width_table(font: str) -> dict[str, float] | None:  # not money
    """Each WinAnsi character's advance, in thousandths of an em, for a standard font."""
    from reportlab.pdfbase import pdfmetrics

    face = pdfmetrics.getFont(font)
    if not isinstance(face, pdfmetrics.Font) or getattr(face, "encoding", None) is None:
        return None
    if face.encoding.name != "WinAnsiEncoding":
        return None
    return {bytes([code]).decode("cp1252"): face.widths[code] for code in range(0x20, 0x100)
            if code not in (0x81, 0x8D, 0x8F, 0x90, 0x9D)}


def _register(name: str, folder: Path | None) -> tuple[str, frozenset[str]]:
    """A layout font by name and the characters it covers: a standard font,
    or a ``.ttf`` file in the layout's folder or in ``billformat/fonts``."""
    if name.lower().endswith((".ttf", ".otf")):
        for place in (folder, BUNDLED):
            if place is None:
                continue
            path = (place / name).resolve()
            if path.is_relative_to(place.resolve()) and path.is_file():
                # Named by its path: two layouts' "House.ttf" are two fonts.
                font_name = f"Layout-{path.stem}-{hashlib.sha1(str(path).encode()).hexdigest()[:8]}"
                try:
                    return font_name, load_font(font_name, str(path))
                except Exception:  # reportlab raises many kinds for a bad font file
                    raise LayoutError(f"{path}: not a TrueType font billformat can use") from None
        raise LayoutError(f'the layout names font "{name[:80]}", which is not in its folder')
    try:
        return name, load_font(name)
    except KeyError:
        raise LayoutError(
            f'the layout names font "{name[:80]}", which is neither a file nor a PDF standard font'
        ) from None
