"""Fonts for the PDF: which font prints each character, and how wide it is.

A bill is set in the layout's font (Helvetica by default: built into every
PDF reader, nothing embedded, small files).  A character that font cannot
print falls back, one run of characters at a time, to

1. DejaVu Sans (bundled in ``billformat/fonts``, embedded as a subset):
   Greek, Cyrillic, Arabic, Hebrew, Armenian, Georgian, symbols ...;
2. one of reportlab's CID fonts for Chinese, Japanese and Korean, chosen by
   the script and the bill's language (they are not embedded: every PDF
   reader ships them); a character the chosen font's CMap lacks goes on to
   the next CID font that has it (轮 in a Japanese bill: the Chinese font);
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

import base64
import hashlib
import re
import unicodedata
import zlib
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
# The CID fonts reportlab writes, each with its Unicode CMap: a character the
# CMap does not map prints as an empty box.  (reportlab pairs MSung-Light with
# the Chinese CMap of another character collection, so it is left out.)
CID_FONTS = {
    "HeiseiKakuGo-W5": "UniJIS-UCS2-H",
    "HeiseiMin-W3": "UniJIS-UCS2-H",
    "STSong-Light": "UniGB-UCS2-H",
    "HYGothic-Medium": "UniKS-UCS2-H",
    "HYSMyeongJo-Medium": "UniKS-UCS2-H",
}
# The order CID fonts are tried in for a character the first one lacks, by
# the line's language: Japanese shapes, then Chinese, then Korean, ...
CJK_ORDER = {"ja": (JAPANESE, CHINESE, KOREAN), "ko": (KOREAN, JAPANESE, CHINESE)}
CJK_ORDER_OTHER = (CHINESE, JAPANESE, KOREAN)


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
    ``path``, or a CID font) and return the characters it covers (for a
    CID font, those its CMap maps to a glyph)."""
    from reportlab.pdfbase import pdfmetrics

    if path is not None:
        from reportlab.pdfbase.ttfonts import TTFont

        font = TTFont(name, path)
        pdfmetrics.registerFont(font)
        return frozenset(chr(code) for code in font.face.charToGlyph if code >= 0x20)
    if name in CID_FONTS:
        from reportlab.pdfbase.cidfonts import UnicodeCIDFont

        pdfmetrics.registerFont(UnicodeCIDFont(name))
        return cmap_coverage(CID_FONTS[name])
    pdfmetrics.getFont(name)  # a standard font: raises KeyError if unknown
    return _winansi()


@lru_cache(maxsize=None)
def cmap_coverage(cmap: str) -> frozenset[str]:
    """The characters a Unicode CMap (``UniJIS-UCS2-H`` ...) maps to a glyph."""
    bits = zlib.decompress(base64.b85decode("".join(_CMAPS[cmap])))
    chars: list[str] = []
    for index, byte in enumerate(bits):
        if byte:
            chars.extend(chr(index * 8 + bit) for bit in range(8) if byte >> bit & 1)
    return frozenset(chars)


def _cid_font(char: str, first: str | None, language: str) -> str | None:
    """The first CID font that has ``char``: ``first``, then the others in
    ``language``'s order; ``None`` when none has it."""
    if first is not None and char in load_font(first):
        return first
    for font in CJK_ORDER.get(language, CJK_ORDER_OTHER):
        if font != first and char in load_font(font):
            return font
    return None


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
                if font is not None:  # the script's font, or the next CID font that has it
                    font = _cid_font(char, font, language)
                if font is None:
                    if char in load_font(sans[0], str(BUNDLED / sans[1])):
                        font = sans[0]
                    elif unicodedata.category(char) in ("Mn", "Me", "Cf"):
                        continue  # an unsupported combining mark: leave it out
                    else:  # a CID font's last (㈱ ⑪ ㎡), else the unknown-character mark
                        font = _cid_font(char, None, language)
                        if font is None:
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
    """A test of whether a text has only characters from ``chars``
    (an empty set: only the empty text)."""
    spans: list[list[int]] = []  # runs of consecutive code points
    for code in sorted(map(ord, chars)):
        if spans and spans[-1][1] == code - 1:
            spans[-1][1] = code
        else:
            spans.append([code, code])
    if len(spans) > 256:  # a CJK font's thousands of spans take long to compile
        return chars.issuperset
    members = "".join(re.escape(chr(low)) if low == high else f"{re.escape(chr(low))}-{re.escape(chr(high))}"
                      for low, high in spans)
    return re.compile(f"[{members}]*" if members else "").fullmatch


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
            f'the layout names font "{name[:80]}", which is neither a file, '
            "a PDF standard font nor a CID font"
        ) from None


# Which characters each Unicode CMap maps to a glyph, taken from Adobe's CMap
# files (cmap-resources, as poppler-data ships them; BSD-3-Clause): a bitmap
# of the Basic Multilingual Plane from U+0020, private use left out,
# zlib-compressed and written in base85.  tests/test_render_pdf.py checks it
# against pdfminer's copy of the same CMaps.
_CMAPS = {
    "UniJIS-UCS2-H": (
        "c-rlm2~-o;8i4OiCSei+8A6B<wj>4w6b*|@v4sf)2(m@MtyKw#ptu2U)T$YlKwJsR(TG$*QPB!gYZdnZE>W-"
        "|A}EzMAc|Tos85Tc<^>gNm)F{J+IP--hwq$B{yTH;fB)pa|9_VO008~Z$PGpC@|_zbK&KN77*Iyh0qG)$0dI"
        "hG_Pt+R@D`?NZxO|iz8bHtdRqVpNc>8M!E5b3q}~q+eSNR5Cm03&^wZDZf$)7R(t&(&0x+41y$a3;BtyUhfP"
        "uHM?VKe60cfvinW|^#a|{vPTLUCv7C>W=N=;1Li{wHf3J_3Dr-NFci{TkU{*?v|0BHbuKSPkdJOp*UO+H5N<"
        "R%7$!|e=1_7DOidaba!8GxmRUgqIQS8sE2Z>~A?yK3JUfcF|C|2Yr+e^T=7#j0re+K15x&a`4*An)e(U*YpQ"
        "KkI$UA@J!tIp03@<*(+0KjW2q-jNMH?33iLuAQ&0z5jf-?ndQPIbZ<R2dZ9|0RiY6EWemGdg+@Fh&Rsrd*J?"
        "JZ2ZHZzwHP5hr2}H=jXwHYV+@x{ut~pw|Lv=ecK`L<y!oIBv}83v2b+WqiWydXE*!Y(RCnzrkO5Z^zGtLgG`"
        "(5J-9JicDlm&$AO-J80({L>sbz^&wMT^ZFD8wmT7EmZ7v<HnQ=2=&xCJY%5mC-j8>M6wUEavj2Hlf$8f>H*u"
        "dLuZnOc$3opP(W<ihKBJY5_&3yX7PX1zheNw6yo?5+Ve!};mN4Vty=NRe}(iuy#d<vBV?bJah+#|jixZ{Tw;"
        "Ci;BwAIl%lXme3pDpA3>QC-w!4gHxtWcCLuPa-w?<8~dq>{=dk{<sAK7pI`j2ipg9~*I${-|jnfa0ei#dVso"
        "0BBwOlJm4l#sEyb77l(QqD7z_V0o5+h{dbxs8D)i8q!QfrCZ07D>H=@holIM5x8=W6>hTAYTxYK^F^DeiUty"
        "#LV*ax8pUi`ROnpLWK|HiYr}L?F5f(Jq<}=<5J;gpL^uOw9SEj}Z;LwGBy7(1Mz+M*A9$JNr>Z{cx^J;1&rT"
        "q58D)lq;imQ@Qf+Z1hY5e~oG!zvVJ;Hl**oJQAq0jdQ8<+#7zT8RgTn$(e|#`_bUc+d_)6)?!jnt!PcvRHZS"
        "Oq!WajB7ogW9-I+OI%?hlsu)cZ04W)6I<&rc~t5!i26@(@DuFsH!~t|606FtA?&@+>X*WNGF|;2t`&Gw8&fP"
        "|HQbxVO*o4ol0^>@1h+^D}kqN>^Q_X-?=~hWWQG`7e78-`f6g%D{0o9#6bitvhL-6S=;l!ef-XX1=-0z{5au"
        ")B8pa4GA0Ku+!&c5#i<CP<xHC%uR>7w5)=@X9VByF32#;?aEu`v}^CV9%*J=WVY%PvAEU;A|#;UF|=5I&-cu"
        "fb2XnO22n-6^&e4QPQoquUjI6@bu_8#Ze7+$cone%+@kL<!U}^MhHSd*e{P?>r({xkpbagy3&FQt!^Cb<F@i"
        "IxY1?oU6dDpIOe8n&jAM~IRgJUV0PbN^&{b2|+BU5g`x+{X%*fwgk><W!ok{ETFrr^*998$_gA}!0e&(~6HP"
        "?`Qzp8=bB&^HzBz%O3d0g-OL-%dXvgRFQE(h1k+dHooa*8|y(_4%qPi;=fs~>&d8)$Kg-2jj182cki@UK%|I"
        "(5m-qIqoTzQ>AHtwwB*r>1su$;o>FQn83}|JWlVvAb2JY=d^?(sR=?UB!DG3yz&P4Np$!qDHO?K<SlMu^C+^"
        "Q7F|E(5~lM0J;zn>o$Yp1Z~8mmGZ2DRa1t_MA+&R*JHXTuYlDw!vbkDY6&V%8{tJy$coU}bKU0HQ9@{XclOh"
        "v!&;01b8^;sZrJRZ?tmDd+NdHGN6z2?l_2*)K|)|ebeVl2qohp#44XiY^W8*f#Tv3o^rc|+sp11uy<%}yUTZ"
        "+Q7h+OiTFD2@mMERs@Ch?Fkn_oja5xZNFu$4@(6*9)Ut>m&04!#Vr5Z}+2MA!$tz>`|mR}j>3BD>FWBUO=Of"
        "x=?`8WdbF@<M3Fr)d>f?p7=N!(@;7jgn0O@C2sHT!55%!<wCih-hhyl)Gxpc%OnqlJj3LU^%WGfG1M)MAHiH"
        "%+Dy8Snj&+#&Y;Al^Nun*!*In&esQoVI;8Wo<BihX!3*L**3$1r~Lo>MZ1y<Z@;9rW{-8OQ!eZ6HhbFd}A+g"
        "LcQnj6?g{QFl`%2LuFM>TsO3KlGtqLp$W@cf`X<d;kntfho8E7B#Jd@oi)%V!*v#w02ItKLE3<XkMl+Z9U-`"
        "c&Am1&OpJMg4%zTbt_J2}n^>%>q&;F~7B?z(iaD}AH_s^@r@*+4`O@vAJI@_>M5f0*sk26G+(|NZR5UXo)Op"
        "srCP<d`Y|g_pF2iN)E)H}rjd~`ipu2SF!Op#+?1nYW;8wFlSl1KHElL@QXi5(L1Q#=*%lQO9nXd(DC0jH#^r"
        "}{Bd1S_yQfG;&%Z?QXXPQ2A2t4&jp^OTBJnXO!<Em@c@@qj$!bEc&@qBcPN%x`qL_z#Q>&<MMJHt^MF4;Nvy"
        "z7GaGjpj&=s!hU{dShX$>m)>X&K==NcYAu<2cpg?Xgjw#I$CroqXaU^9V?C3`fMLjnedOT^z}r_!DeoqEs`_"
        "onX4P8yRA9B`v^r@@PUPG0(PFIC)x;KDg<>otC}Z!E$QZ;?vjQsn1E3O0X;H!Wlm>1KB3)UO7t!wlv>GIbq9"
        "vHD>6FMI`5}K@b8;)VlbP(_{v}aC?*_7h2ooq<&5VWH#Ro4<yjAXKfS~YPJq8Vr`x<)Q=6MX5}L6h+>RTC^H"
        "T(2}Fkxc&=hSN2*Vwz->ICkfI7ZMXyDWZ4d!u!>=pV@KErf3#85wfx1NOJoXUG3ms-UflE?p!N(=(LH-eG2o"
        "Izq6;4Agq5c4>XdiR;c8Y2(@TH9t*50+F?$A-3Px-MzzS1qv^gIefKJyz`CW{N{q9BeC*NiRB)7GrflB+h*i"
        "y;u@c^fdHoGbTt4-qum_=-kKLYFYs9dLK??-@?6&#Mq$Z<^8UzfpRr%+E^c%c-CEIj-JVNR0{||6BhMnN{Q5"
        "5Q+^tK(Gjl*{E+hymdNlYP7&?S$XM{w+o{>uWy07fD20?R4l%V@8x{%qypKH4no{Oo;@$!3LD4TKg14(uLt8"
        "X$Jt6c3O;jUA3K6)Nop3P5GuRZYOZQqI|>$vn8?DiOM~X!?zxpCjgLI|qdfA98|`0j&F0fW6z&i#CT6gC<y-"
        "_5GYPJd0LY`L-t4_lW}-sMdNIPHx~KZZGg+%z6X$^gbM?l<H5p-7K)T2oO0*@oN*Ga>rsq1+w?-B6Iy$cj=q"
        "lF+OWp#W6kv69RSHBIL#~b)0RaakVPyoPDTW@0hLGtyy8d`?MnG%UP9?n<%wD4OOtNr%v)6@BBgz34(9@-?`"
        "wmI>%SUg@ZnA!~B>rPM<1Fn;$CwBeVlr#;_W1G9vpDRO638OdITc8#XatZgRnEPV<IfqD`x)MSEWA){{aT~K"
        "S1}O+YKOb5Bqz3Q%=)o(nS<9Z)$4~EKW?%?4{6YDL`GTRSQ!GVW>$(^<Jwnyn!YiU7h`5da4v`3TSt=^w3T+"
        ")S$gZ3WI%ifqndAsv^h*#bylNt3w4)Ztj|a2{&xScDrhyb0@3_pMOet01Zw>RN{KDdHbSHn>wIz)u?-;DO18"
        ";&gf<;7VGS~@dgs2g0{#lNDl1GHDg55DYrtnkm33Z(s1zoth%x-yJmR9oEkhMIA-Vs2q@RBJ>8GE5`st^ie*"
        "Wrl`RkKw&D&Qgzl;5U#lTMef9mJmcR77>-!mV>ZsXsOfT-y"
    ),
    "UniKS-UCS2-H": (
        "c-rk*ZE#f88Gg>$vzxP<O>(nr;u2CgyDYGYh)V!XmD01zCTwEpEC_zJ)+K|Zj!aGc=#+wbcC!gf8p{%?6Y%Q"
        ">Qj2J3C{(4|>D&bD1ko|t85`SLBT@(L)MnagwM9+Ol@C8^9cS8c{ISo>$=-X<x%Zs&zR&x-@4W$l$q#V5K1E"
        ";IRg)5#A>CpCg@y7=Nx4`5er6a7`06Kjy*GKnVYicK^vvuOMHErQ=Z(vrxCXaQXD7q<o#`Lz<ur+AZXX4{JL"
        "#CzQERsu#(Z-Ip4CUs-0eB`$EzkpgjBG%tY^z7z2j)qgSA+^FBlU3&%BcNWdN8sqelAq6{pWCPLE<Z;dpc3k"
        "(V8iT4d4|CZK<vy61_<KIy5_-kPvi0$7uHr=sZc520dm@*vT+dGCzTD?W65d*HNYe>6jU#Ah?KiqliaTkuY$"
        "6rVERjMLBA((>h^^@}Ltf5Z3By>Tf7E1i2>zKY0*Ok93`%XijGcIVuQU5$8>(>Jw<s??&9S7uH}w&l<jKZ)1"
        "DN~_xD9fJ<5-kGRxe&M%Y0nc{|zd#2G3hF@gVJW)X6Q)4V#gr+^a{dz=m@#<!(aKnO5JA5sQWv0uV(Fa2O<5"
        "6b9;(PMPDN;U*v!v#<)@ZI?g_2^Q!OITh=EsVX%5-D=iIj{mf3F_;9YA3I6rrkFZpE!3B2Xl9rN(7GpCjiXM"
        "JNVMPN+j!6|y#p*4(+N@75TWJ)EaPD93XE}XBv379apX>m$RTG0DjWoIhDZM?7YB4ro|(>4O)3e>e_5G1^7t"
        "ph6)L4&zD%Ji6g3lzcD>Z?m2`*I5ydi$EHAy!5xAH`DMwo}$0H2N_Qs-rsht*k5@+|Rl;27<M0go;YECOy;6"
        "ldG}W1G+s(r4grKiIe%sYv{k#K0sfCsF8Ncf*boE33z5!nRg$bu`#v2^IhX!>mR>MJNy0;rv{-fuemP77Zq$"
        "Bb%56FX(C!wNoGYvrJtwDR@Z>O(x<n|A)E}0AQI`<TJB4?8S#1%Ne=wf5UL#aY$)VR|4?K+#!6ax%Zw4PFZc"
        "Lni-!DIZFvqY>FnE8yJ@LonHh>iEeGMkgi1trbphpKR%r2K1fn6;yB$}~H$k^Ka8Y^uRne=kb#&X8BD?Ns8A"
        "`hnQ%VX~Bog@wJEI=@Vdj=)IhwfG>O7n4G!pNtbUok(4>jcWzcdXKJyzD<QXcEj7lexCdij)u`^P1~3KjFx^"
        "r&{^sKKJJO-D!;B_QRA=(SG1Z>`_?n&D4W0zrO{bws=}EZd?#i#=>~?%3C#X$bY_aNPpmFRT|Xv<3z)_D=7?"
        "8xu#yoQ0(agU)1a>nN2CG2Htb_t|@oTeq$Z%i)VgVLmjXdLCQ|bvS0I8DaEoNCHp8mBWIH*fi}dsY0sX>>ju"
        "t(fYxzOpLjLX{O5yVuBrLu6W(ltP}xL8r;)J?4n~gV?Dzjh&hJa+etMAE8CUf)%4cQt1ZO!7ElVd)=Cj|8_R"
        "9J%q3&62Di2E{=FM^cFlM+a|^K&IdF{3YFhhd<*nsN@)On7yZOAsZteGMtLa*My|!X?@{&TQc~iY6K^Xtc(`"
        "9t|9_<D7gAE5(-4Y1P7uASYGcC3^+#6>Luc*;o#!$0rKv}?*q3C<YpC&i^)@((;<%w4?k(;uE%J!bnyZMZgF"
        "dRY7$$XJuCB6fB2R37ureMhMp*fBi)FrW%6DuK%Zhw{;wAr(Cks429EC#}{@alC#mF%Hz%0l*QT~3E&mCR7>"
        "`UPOJQIuO&6q;ntS!JWGqZt+QQs<+xef@0J{s!gznwQphP2=Vt7Hxv;_29WZ&RIKU&Zt_h3p^h}cU(Jli&GV"
        "9E?Ape(`7wPh2ZmU8Waml8LIq5AbY6}ewIqW=X0(fm2R7uxi)8FY=`u(@RdRms;cxj-pVno3tB0n?tX2Yz}%"
        "x;hbF_g;fGMVM(l@??Z_feQ5(|gfvrN1*6~}5M5kkDV=#yu9oO%}3C~eS`RvRn1rOF0?jmydK&)NC<yrB7kI"
        "c>BS73X+YG>V`?1rMPu_&l~{8EsV5GubnOofm9nle;srz&lrtQX@vs<~ruy}ZGUDa+&fvXudne?MnyMafv5Y"
        "a@tkZu(jl7B`&H^Zu;7^6Jt%^$jj@+%u9*KZS*o&LcinNKXBP8rTVAKG60fDpnf_!@*{TRxMNx5Aj{^8_+?Y"
        "G?Pp=LESMvQ6nR>yQ^6sg|-Ixg2$XF<2{HYxd3VI*hIRp&`l!8nglYtX9d1tE@ES}cAO4qvZSo$7_Maxr2pF"
        "U1n}s{QPA`fs*Cf@H##!iE?adunq`cYLxif6271m41#Z@teKZKFcx%7V{H^q9Dc!!hUK_~PaqMWS-wV?d=ak"
        "O@3d+ajCc@}Z5skW3?;&O}?KuTGe@xk*6Z{+j+pgT`F$828LDfkUm`aiqVR|gnbg?y>6j-aSRh1WU9*g$Ym%"
        "F<xSKT2AZos9Y`zUD)DwH_{lWw0KO^m6h@<~t^3lq&74uh1f9(gblUa4b!esX#HxzvnCVjG;!=eO-n1cuiQH"
        "=QM)n@6T{N{4kw6t)V&mb3r#k5cg}!KfE5=0|$d{V)Ffey3;Em0_cC@2upRQ7OJ%r+QFMctZ9g;>l>i$q@+_"
        "#I_P-2~x<0Ve=JaF;jYhEfKo-ZL6CfiMGQ$HE|$0P=c`ZLC)<8-SFW4*DB=f72WGDys`A?;3M~Ug=kyXOrot"
        "XX;A3t!c^IAxlKn(wMkUHHr-eQGXLtFpV!8O*rWr*$OWlN+ODiatCs8$iUNb7DQ<u~dFf%@agOGy6e$=fmX8"
        "v>G-|H^+7Co<p_9DJe#<mJz1mT5_e|Gbp#jA@4A-e|O*FysRgL8BTK0M{y)HT}@67VQeJ@?(-Snhq2(2p>oF"
        "PAnr(7YusNH(PI$N2wlab8dP_;$#pOnfDqsh#lnntUomau-;xY5C@-7%u2KwNOw=~xPhZ`WvPo3j%_r{*EeI"
        "X;9sVfKbkEeN{suoJeBCkq0_sIf$|$9_-MR#mWFO7-4}U98N~^krPxaq=;k^fH^#T-xRW6%ON+2eXE@n?0WC"
        "Op3$@cZi)puP)o7NuKsy4!d-UaeFZwZA@kT`W_K9idFL$2a`n<QA80%d~PUy0WPA5BK|M+*%w?){`-G!fE#r"
        "CHvpw-8~"
    ),
    "UniGB-UCS2-H": (
        "c-rmRKTg9i6bA6Gc9A?F90nLzh!_wH5)uO)keVAXvF8XKVQRW_15Uuk5wgL?6*{m}iGiV#jh&J|PLxowuzWu"
        "$Zv9@;Jk`x>qXK}f&D|8wBk9Hr^6KGGKq)9Ujos!SOUdnl8wGk~dwn@$*V1pBnW)a*`%*+SEc^SR_m?ToRS="
        "5mr)MImE@Z2%yK3KLu<zpJ{pn^EV}Fd#+y`P2m-Q6mc<V~6T=_<zgIGy#QpQdov3rrf0@p5|{uH;v&p`Qpt?"
        "PEKo4vhdTCC`YwW*Pl7gNQL?@Z(SU|EDZ=V+~4*t^wGfjMS=?<hG9*O!R4H0}0BA|fIpqF;YK5)ly*5m84pk"
        "Xs%t9_4=*I0DR<nd@%GwEo*~^7jGXl-&Nh"
    ),
}
