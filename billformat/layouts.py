"""Layouts: folders of data that say how a bill looks.

A layout folder holds ``layout.json`` (settings, validated below),
``template.html`` (a Jinja2 template, run in a sandbox) and ``style.css``,
and may hold a logo image.  The built-in layouts (``standard``, ``receipt``,
``detailed``) ship inside the package; a user passes the path of a folder of
their own.  Nothing in a layout is imported or executed as Python.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Literal

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    StrictBool,
    ValidationError,
    field_validator,
    model_validator,
)

BUILT_IN = ("standard", "receipt", "detailed")
SETTINGS_FILE = "layout.json"
TEMPLATE_FILE = "template.html"
STYLE_FILE = "style.css"
# The largest layout file read: far above any real template or stylesheet.
MAX_FILE_BYTES = 1024 * 1024
# How deep layout.json may nest: its settings go three deep ({"pdf": {"colors": {}}}).
MAX_SETTINGS_DEPTH = 32

# CLDR's supplemental paperSize data: the territories that use US Letter.
LETTER_TERRITORIES = frozenset(
    {"US", "CA", "MX", "PR", "PH", "CL", "CO", "VE", "GT", "CR", "PA", "SV", "NI", "DO", "BZ"}
)

# The paper widths a layout may name, in millimetres ("auto" is either).
PAPER_WIDTH_MM = {"letter": 215.9, "A4": 210.0}
# The narrowest column the labels may have, left of the amounts: the built-in
# receipt leaves 50 mm; less than this wraps a label a word or a letter a line.
MIN_TEXT_COLUMN_MM = 30

_COLOR = re.compile(r"#[0-9a-fA-F]{6}")
# Validators are made when the first layout is loaded, not on import
# (``billformat check`` never loads one).
_STRICT = ConfigDict(frozen=True, extra="forbid", defer_build=True)


class LayoutError(ValueError):
    """A layout that cannot be found or read, with what is wrong and where."""


class Colors(BaseModel):
    """The four colours a bill uses, as ``#rrggbb``."""

    model_config = _STRICT

    text: str = "#1a1a1a"
    muted: str = "#6b6b6b"
    accent: str = "#1f4e79"
    rule: str = "#c8c8c8"

    @field_validator("text", "muted", "accent", "rule")
    @classmethod
    def _hex(cls, value: str) -> str:
        if not _COLOR.fullmatch(value):
            raise ValueError(f'"{value[:20]}" is not a colour written as #rrggbb')
        return value.lower()


class PdfSettings(BaseModel):
    """How the PDF renderer sets a page.  Sizes are in millimetres and points."""

    model_config = _STRICT

    page: Literal["auto", "letter", "A4", "roll"] = "auto"
    roll_width_mm: float = Field(default=80, ge=40, le=300)  # not money
    margin_mm: float = Field(default=18, ge=0, le=60)  # not money
    font: str = "Helvetica"
    bold_font: str = "Helvetica-Bold"
    font_size: float = Field(default=10, ge=5, le=30)  # not money
    title_size: float = Field(default=16, ge=5, le=60)  # not money
    small_size: float = Field(default=8, ge=4, le=30)  # not money
    colors: Colors = Field(default_factory=Colors)
    amount_column_mm: float = Field(default=38, ge=10, le=120)  # not money
    logo: str | None = None

    @field_validator("font", "bold_font")
    @classmethod
    def _prints_text(cls, value: str) -> str:
        if value in ("Symbol", "ZapfDingbats"):  # standard fonts whose letters are symbols
            raise ValueError(f'"{value}" prints symbols in place of letters; name a font for text')
        return value

    @field_validator("logo")
    @classmethod
    def _inside(cls, value: str | None) -> str | None:
        if value is None:
            return None
        path = Path(value)
        if not value or path.is_absolute() or ".." in path.parts or "\\" in value or ":" in value:
            raise ValueError(f'logo "{value[:60]}" must be a file name inside the layout folder')
        return value

    def paper(self, locale: str) -> Literal["letter", "A4", "roll"]:
        """The page to use for a bill in ``locale``: ``auto`` becomes letter or A4."""
        if self.page != "auto":
            return self.page
        return "letter" if territory(locale) in LETTER_TERRITORIES else "A4"

    @model_validator(mode="after")
    def _room_for_labels(self) -> PdfSettings:
        """Margins and the amount column must leave the labels a column of at
        least ``MIN_TEXT_COLUMN_MM`` on the narrowest paper the layout prints on."""
        if self.page == "roll":
            paper, width = f"a {self.roll_width_mm:g} mm roll (pdf.roll_width_mm)", self.roll_width_mm
        elif self.page == "auto":
            paper, width = 'A4 paper ("auto" prints on A4 or letter)', PAPER_WIDTH_MM["A4"]
        else:
            paper, width = f"{self.page} paper", PAPER_WIDTH_MM[self.page]
        column = width - 2 * self.margin_mm - self.amount_column_mm  # not money
        if column < MIN_TEXT_COLUMN_MM:
            room = f"{column:g} mm" if column > 0 else "no room"
            raise ValueError(
                f"pdf.margin_mm {self.margin_mm:g} and pdf.amount_column_mm {self.amount_column_mm:g} "
                f"leave the labels {room} on {paper}: {width:g} - 2 × {self.margin_mm:g} - "
                f"{self.amount_column_mm:g} mm, less than the {MIN_TEXT_COLUMN_MM} mm they need"
            )
        return self


class LayoutSettings(BaseModel):
    """``layout.json``: the PDF page, and what a bill shows by default."""

    model_config = _STRICT

    pdf: PdfSettings = Field(default_factory=PdfSettings)
    details: StrictBool = False  # true or false, never "yes" or 1
    trail: StrictBool = False
    text_width: int = Field(default=80, ge=32, le=200)


@dataclass(frozen=True)
class Layout:
    """A loaded layout: its settings, template and stylesheet."""

    name: str
    folder: Path
    settings: LayoutSettings
    template: str
    style: str
    built_in: bool = False  # shipped with billformat: its template is billformat's own code

    @property
    def pdf(self) -> PdfSettings:
        return self.settings.pdf

    @property
    def details(self) -> bool:
        return self.settings.details

    @property
    def trail(self) -> bool:
        return self.settings.trail

    @property
    def text_width(self) -> int:
        return self.settings.text_width

    @property
    def logo(self) -> Path | None:
        """The logo file, checked to lie inside the layout folder, or None."""
        if self.pdf.logo is None:
            return None
        path = inside(self.folder, self.pdf.logo)
        if path is None or not path.is_file():
            raise LayoutError(f"{self.folder}: logo {self.pdf.logo!r} is not a file in the layout folder")
        return path


def inside(folder: Path, name: str) -> Path | None:
    """The file ``name`` of ``folder`` with its links followed, or None when
    it leads out of the folder (``..``, an absolute path, a link to elsewhere)."""
    try:
        path = (folder / name).resolve()
        return path if path.is_relative_to(folder.resolve()) else None
    except (OSError, RuntimeError, ValueError):  # a loop of links, a NUL byte
        return None


@lru_cache(maxsize=1)
def built_in_folder() -> Path:
    """Where the built-in layouts are: inside the installed package, else the source tree."""
    here = Path(__file__).resolve().parent
    for folder in (here / "_layouts", here.parent / "layouts"):
        if (folder / "standard" / SETTINGS_FILE).is_file():
            return folder
    raise LayoutError(f"the built-in layouts are missing (looked in {here / '_layouts'})")


def load_layout(name_or_path: str | Path = "standard") -> Layout:
    """The layout called ``name_or_path`` (a built-in name), or the folder at that path.

    A built-in name is only ever one of ``standard``, ``receipt``,
    ``detailed``; anything else must be an existing folder that holds
    ``layout.json``.  A problem raises ``LayoutError`` saying what is wrong.
    """
    if isinstance(name_or_path, str) and name_or_path in BUILT_IN:
        return _load(built_in_folder() / name_or_path, name_or_path, built_in=True)
    folder = Path(name_or_path)
    if not str(name_or_path) or not folder.is_dir():
        known = ", ".join(BUILT_IN)
        raise LayoutError(
            f'layout "{str(name_or_path)[:80]}" is neither a built-in layout ({known}) nor a folder'
        )
    if not (folder / SETTINGS_FILE).is_file():
        raise LayoutError(f"{folder}: a layout folder needs a {SETTINGS_FILE}")
    return _load(folder.resolve(), folder.name)


@lru_cache(maxsize=32)
def _load(folder: Path, name: str, built_in: bool = False) -> Layout:
    settings = _settings(folder)
    return Layout(
        name=name,
        folder=folder,
        settings=settings,
        template=_read(folder, TEMPLATE_FILE, fallback=TEMPLATE_FILE),
        style=_read(folder, STYLE_FILE, fallback=STYLE_FILE),
        built_in=built_in,
    )


def _settings(folder: Path) -> LayoutSettings:
    text = _read(folder, SETTINGS_FILE)
    where = folder / SETTINGS_FILE
    deep = f"{where}: the settings are nested deeper than {MAX_SETTINGS_DEPTH} levels; a layout's go three deep"
    try:
        data = json.loads(text)
    except json.JSONDecodeError as error:
        raise LayoutError(f"{where}:{error.lineno}: not valid JSON: {error.msg}") from None
    except RecursionError:  # nested deeper than Python's own stack allows
        raise LayoutError(deep) from None
    if _depth(data) > MAX_SETTINGS_DEPTH:
        raise LayoutError(deep)
    try:
        return LayoutSettings.model_validate(data)
    except ValidationError as error:
        problems = "; ".join(
            f"{'.'.join(str(part) for part in detail['loc']) or 'layout'}: {_message(detail)}"
            for detail in error.errors(include_url=False)
        )
        raise LayoutError(f"{where}: {problems}") from None


def _depth(data: object) -> int:
    """How deep ``data`` nests, counted without recursion, up to one past the limit."""
    deepest, level = 0, [data]
    while level and deepest <= MAX_SETTINGS_DEPTH:
        deepest += 1
        level = [item for value in level if isinstance(value, (dict, list))
                 for item in (value.values() if isinstance(value, dict) else value)]
    return deepest


def _message(detail: dict) -> str:
    if detail["type"] == "extra_forbidden":
        return "is not a layout setting"
    message = str(detail["msg"])
    return message.removeprefix("Value error, ")


def _read(folder: Path, file_name: str, fallback: str | None = None) -> str:
    """A file of the layout folder; a missing template or style comes from ``standard``.

    Like the logo and the fonts, the file must lie in the folder: a link to a
    file elsewhere (``style.css -> /etc/passwd``) is refused, never read."""
    path = inside(folder, file_name)
    if path is None:
        raise LayoutError(f"{folder}: {file_name} leads outside the layout folder; "
                          "a layout reads only its own files")
    if not path.is_file():
        if fallback is None:
            raise LayoutError(f"{folder}: the layout has no {file_name}")
        path = built_in_folder() / "standard" / fallback
    if path.stat().st_size > MAX_FILE_BYTES:
        raise LayoutError(f"{path}: larger than a layout file can be ({MAX_FILE_BYTES} bytes)")
    try:
        return path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as error:
        raise LayoutError(f"{path}: cannot be read: {error}") from None


@lru_cache(maxsize=256)
def territory(locale: str) -> str | None:
    """The territory a locale writes for (``de_CH`` -> ``CH``; ``en`` -> its likely ``US``)."""
    from babel import Locale, UnknownLocaleError
    from babel.core import get_global

    try:
        parsed = Locale.parse(locale.replace("-", "_"))
    except (UnknownLocaleError, ValueError, TypeError):
        return None
    if parsed.territory:
        return parsed.territory
    likely = get_global("likely_subtags").get(parsed.language, "")
    return likely.rsplit("_", 1)[-1] if "_" in likely else None
