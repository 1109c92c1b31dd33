"""Layouts are folders of data: found by name or path, validated, sandboxed."""

import json
import tomllib
from pathlib import Path

import pytest
from ledgers import from_json

import billformat
from billformat.layouts import (
    BUILT_IN,
    MIN_TEXT_COLUMN_MM,
    LayoutError,
    PdfSettings,
    load_layout,
)

ROOT = Path(__file__).resolve().parent.parent
BILL = """
    {"currency": "USD", "locale": "en_CA", "entries": [{"text": "Coffee", "kind": "item", "amount": "3.50"}]}
"""


def bill():
    return billformat.collapse(from_json(BILL))


def user_layout(folder: Path, settings: dict | str = "{}", template: str | None = None) -> Path:
    folder.mkdir(exist_ok=True)
    (folder / "layout.json").write_text(settings if isinstance(settings, str) else json.dumps(settings))
    if template is not None:
        (folder / "template.html").write_text(template)
    return folder


def test_the_built_in_layouts_are_found_with_their_settings():
    standard, receipt, detailed = (load_layout(name) for name in BUILT_IN)
    assert (standard.pdf.page, standard.text_width, standard.details) == ("auto", 80, False)
    assert (receipt.pdf.page, receipt.pdf.roll_width_mm, receipt.text_width) == ("roll", 80, 42)
    assert (detailed.details, detailed.trail) == (True, True)
    assert "<html" in receipt.template  # a layout without a template uses the standard one


def test_auto_pages_are_letter_where_letter_is_used_and_a4_elsewhere():
    settings = PdfSettings()
    assert [settings.paper(locale) for locale in ("en_US", "es_MX", "fr_CA", "en", "de_DE", "en_GB", "ja")] == [
        "letter", "letter", "letter", "letter", "A4", "A4", "A4",
    ]


@pytest.mark.parametrize("name", ["../../etc", "/etc", "standard/../../etc", "nosuchlayout", ""])
def test_a_name_that_is_no_layout_is_refused_clearly(name):
    with pytest.raises(LayoutError, match="neither a built-in layout|needs a layout.json"):
        load_layout(name)


def test_a_folder_without_layout_json_is_refused(tmp_path):
    with pytest.raises(LayoutError, match="needs a layout.json"):
        load_layout(tmp_path)


def test_a_user_layout_folder_renders_with_its_own_template(tmp_path):
    folder = user_layout(
        tmp_path / "shop", {"text_width": 60, "pdf": {"page": "A4"}},
        "<p class=total>{{ bill.total.label }}: {{ bill.total.amount }}</p>",
    )
    assert billformat.render(bill(), "html", layout=str(folder)) == "<p class=total>Total: US$3.50</p>"
    text = billformat.render(bill(), "text", layout=folder)
    assert max(len(line) for line in text.splitlines()) == 60


@pytest.mark.parametrize("template", [
    "{{ ''.__class__.__mro__ }}",
    "{{ bill.__class__ }}",
    "{{ cycler.__init__.__globals__ }}",
    "{{ self._TemplateReference__context }}",
    "{% include '/etc/passwd' %}",
    "{% import 'os' as os %}",
    "{{ bill.words.update({'total': 'x'}) }}",
])
def test_the_template_sandbox_refuses_internals_and_files(tmp_path, template):
    folder = user_layout(tmp_path / "evil", template=template)
    with pytest.raises(LayoutError, match="template"):
        billformat.render(bill(), "html", layout=folder)


@pytest.mark.parametrize(("settings", "message"), [
    ('{"pdf": {"page": "tabloid"}}', "pdf.page: Input should be 'auto', 'letter', 'A4' or 'roll'"),
    ('{"pdf": {"colors": {"text": "red"}}}', 'pdf.colors.text: "red" is not a colour written as #rrggbb'),
    ('{"pdf": {"logo": "../../etc/passwd"}}', "must be a file name inside the layout folder"),
    ('{"pdf": {"fontsize": 9}}', "pdf.fontsize: is not a layout setting"),
    ('{"text_width": 10}', "text_width: Input should be greater than or equal to 32"),
    ('{"details": "yes please"}', "details: Input should be a valid boolean"),
    ('{"details": "yes"}', "details: Input should be a valid boolean"),
    ('{"trail": 1}', "trail: Input should be a valid boolean"),
    ('{"details": "true"}', "details: Input should be a valid boolean"),
    ('{"pdf": ', "layout.json:1: not valid JSON"),
])
def test_bad_settings_are_refused_naming_the_file_and_the_setting(tmp_path, settings, message):
    folder = user_layout(tmp_path / "bad", settings)
    with pytest.raises(LayoutError) as refused:
        load_layout(folder)
    assert str(folder / "layout.json") in str(refused.value)
    assert message in str(refused.value)


@pytest.mark.parametrize(("setting", "font"), [("font", "Symbol"), ("bold_font", "ZapfDingbats")])
def test_a_font_whose_letters_are_symbols_is_refused_naming_the_setting(tmp_path, setting, font):
    folder = user_layout(tmp_path / "symbols", {"pdf": {setting: font}})
    with pytest.raises(LayoutError) as refused:
        load_layout(folder)
    assert f'pdf.{setting}: "{font}" prints symbols in place of letters' in str(refused.value)


def test_a_logo_is_embedded_and_a_missing_one_refused(tmp_path):
    folder = user_layout(tmp_path / "logo", {"pdf": {"logo": "logo.png"}})
    with pytest.raises(LayoutError, match="is not a file in the layout folder"):
        billformat.render(bill(), "html", layout=folder)
    (folder / "logo.png").write_bytes(b"\x89PNG\r\n\x1a\n")
    assert 'src="data:image/png;base64,iVBORw0KGgo="' in billformat.render(bill(), "html", layout=folder)


def test_an_unknown_format_is_refused_by_name():
    with pytest.raises(ValueError, match='unknown format "docx"; use one of pdf, html, text, json'):
        billformat.render(bill(), "docx")


def test_every_package_and_the_layouts_ship_in_the_wheel():
    setuptools = tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["setuptools"]
    packages = {
        ".".join(path.parent.relative_to(ROOT).parts)
        for path in (ROOT / "billformat").rglob("__init__.py")
    }
    assert packages <= set(setuptools["packages"])
    assert setuptools["package-dir"]["billformat._layouts"] == "layouts"
    assert setuptools["package-data"]["billformat._layouts"] == ["*/*"]
    assert {path.name for path in (ROOT / "layouts").iterdir()} == set(BUILT_IN)


@pytest.mark.parametrize(("pdf", "message"), [
    ({"page": "roll", "roll_width_mm": 40, "margin_mm": 60},
     ("pdf: pdf.margin_mm 60 and pdf.amount_column_mm 38 leave the labels no room on a 40 mm roll "
      "(pdf.roll_width_mm): 40 - 2 × 60 - 38 mm, less than the 30 mm they need")),
    ({"amount_column_mm": 120, "margin_mm": 31},
     ('pdf: pdf.margin_mm 31 and pdf.amount_column_mm 120 leave the labels 28 mm on A4 paper ("auto" '
      "prints on A4 or letter): 210 - 2 × 31 - 120 mm, less than the 30 mm they need")),
    ({"page": "letter", "amount_column_mm": 120, "margin_mm": 40}, "on letter paper: 215.9 - 2 × 40 - 120"),
    ({"page": "roll", "roll_width_mm": 58, "amount_column_mm": 22}, "leave the labels no room on a 58 mm roll"),
])
def test_margins_and_amounts_that_leave_the_labels_no_room_are_refused(tmp_path, pdf, message):
    folder = user_layout(tmp_path / "narrow", {"pdf": pdf})
    with pytest.raises(LayoutError) as refused:
        load_layout(folder)
    assert str(folder / "layout.json") in str(refused.value)
    assert message in str(refused.value)


@pytest.mark.parametrize("pdf", [
    {"page": "roll", "roll_width_mm": 58, "margin_mm": 3, "amount_column_mm": 22},
    {"page": "roll", "roll_width_mm": 40, "margin_mm": 0, "amount_column_mm": 10},
    {"page": "A4", "margin_mm": 30, "amount_column_mm": 120},
    {"margin_mm": 60},
])
def test_a_narrow_page_that_leaves_the_labels_their_column_is_accepted(tmp_path, pdf):
    folder = user_layout(tmp_path / "narrow", {"pdf": pdf})
    assert load_layout(folder).pdf.margin_mm == pdf.get("margin_mm", 18)


def test_the_built_in_layouts_leave_the_labels_room():
    for name in BUILT_IN:
        settings = load_layout(name).pdf
        width = settings.roll_width_mm if settings.page == "roll" else 210
        assert width - 2 * settings.margin_mm - settings.amount_column_mm >= MIN_TEXT_COLUMN_MM + 15
