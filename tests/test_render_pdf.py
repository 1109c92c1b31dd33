"""The PDF a customer reads, checked by its extracted text and the positions
of its figures (pdfplumber, pypdf), never by its bytes."""

from __future__ import annotations

import io
import json
import subprocess
import sys
import unicodedata
from decimal import Decimal
from pathlib import Path

import pdfplumber
import pypdf
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from ledgers import from_json

import billformat
from billformat.render import render
from billformat.render.fonts import FontChain, Style
from billformat.render.pdf_bidi import visual_order
from billformat.render.pdf_layout import Frame, Painter, Row, paginate, wrap

MM = 72 / 25.4
SAMPLES = Path(__file__).resolve().parent.parent / "samples"

TIRE_SHOP = """
    {"kind": "repair_order", "number": "RO-10492", "date": "2026-10-14", "currency": "USD",
     "seller": {"name": "Main Street Tire", "address": ["12 Main St", "Somerville, NJ 08876"]},
     "customer": {"name": "Kate N."},
     "entries": [
      {"id": "1", "text": "225/45R17 94W MICH PS4", "label": "Michelin Pilot Sport 4 tire",
       "kind": "item", "qty": "2", "unit_price": "189.99", "amount": "379.98"},
      {"id": "2", "text": "MOUNT/BAL", "kind": "labor", "amount": "50.00"},
      {"id": "3", "text": "SHOP SUPPLIES", "kind": "fee", "amount": "4.95"},
      {"id": "4", "text": "ALIGNMENT 4WHL", "label": "Wheel alignment", "kind": "labor",
       "amount": "89.99", "status": "declined"},
      {"id": "5", "text": "SALES TAX", "kind": "tax", "amount": "25.17"},
      {"id": "6", "text": "VISA XXXX4417", "kind": "payment", "amount": "-400.00"}]}
"""


def bill_of(text: str, **changes):
    data = json.loads(text)
    data.update(changes)
    return billformat.collapse(from_json(json.dumps(data)))


def pdf_of(bill, **options) -> bytes:
    return render(bill, "pdf", **options)


def pages(pdf: bytes):
    with pdfplumber.open(io.BytesIO(pdf)) as document:
        return [
            (page.extract_text() or "", page.extract_words(keep_blank_chars=False), page.chars,
             (float(page.width), float(page.height)))
            for page in document.pages
        ]


def text_of(pdf: bytes) -> str:
    return "\n".join(page[0] for page in pages(pdf))


def bill_with_entries(entries, **ledger):
    return billformat.collapse(
        billformat.Ledger.model_validate({"currency": "USD", "entries": entries, **ledger})
    )


# -- what the customer reads ---------------------------------------------------


def test_the_situation_figures_and_labels_print_as_text():
    text = text_of(pdf_of(bill_of(TIRE_SHOP)))
    assert text.splitlines()[0] == "Repair order RO-10492"
    assert "Your repair on Oct 14, 2026. Please pay $60.10." in text.replace("\n", " ")
    for line in ("Michelin Pilot Sport 4 tire $379.98", "Labor and service $54.95",
                 "Taxes $25.17", "Total $460.10", "Visa ending 4417 -$400.00", "Balance due $60.10"):
        assert line in text
    assert "You said no to: Wheel alignment $89.99 — not charged" in text
    assert "Main Street Tire" in text and "Kate N." in text


def test_the_face_figures_stand_in_one_column_with_their_decimal_points_aligned():
    bill = bill_of(TIRE_SHOP)
    _, words, chars, _ = pages(pdf_of(bill))[0]
    amounts = ["$379.98", "$54.95", "$25.17", "$460.10", "-$400.00", "$60.10"]
    found = [word for word in words if word["text"] in amounts]
    assert sorted(word["text"] for word in found) == sorted(amounts)
    right_edges = [word["x1"] for word in found]
    assert max(right_edges) - min(right_edges) < 1
    points = [char["x0"] for char in chars if char["text"] == "."
              and any(word["x0"] <= char["x0"] <= word["x1"] and word["top"] <= char["top"] <= word["bottom"]
                      for word in found)]
    assert len(points) == len(amounts)
    assert max(points) - min(points) < 1


def test_the_total_is_set_apart_in_bold():
    _, _, chars, _ = pages(pdf_of(bill_of(TIRE_SHOP)))[0]
    total = [char for char in chars if char["text"] == "T" and char["fontname"].endswith("Bold")]
    assert total, "the word Total is bold"


def test_a_statement_shows_its_balances_movements_and_missing_checks():
    bill = billformat.collapse(billformat.Ledger.model_validate({
        "kind": "bank_statement", "currency": "USD", "number": "2026-10",
        "period": {"start": "2026-10-01", "end": "2026-10-31"},
        "stated": {"opening_balance": "1000.00"},
        "entries": [
            {"date": "2026-10-01", "text": "PAYROLL", "kind": "deposit", "amount": "500.00"},
            {"date": "2026-10-03", "text": "CHECK 101", "kind": "check", "number": "101", "amount": "-120.00"},
            {"date": "2026-10-09", "text": "CHECK 103", "kind": "check", "number": "103", "amount": "-80.00"},
        ]}))
    text = text_of(pdf_of(bill))
    assert ("From Oct 1 to Oct 31 your balance went from $1,000.00 to $1,300.00: $500.00 in, $200.00 out."
            in text.replace("\n", " "))
    for line in ("Opening balance $1,000.00", "Money in $500.00", "Money out -$200.00",
                 "Closing balance $1,300.00"):
        assert line in text
    assert "Oct 3 CHECK 101 -$120.00 $1,380.00" in text
    assert "Check 102 is missing" in text


# -- details and the trail -------------------------------------------------------


def test_details_and_trail_tie_every_entry_to_the_face():
    text = text_of(pdf_of(bill_of(TIRE_SHOP), details=True, trail=True))
    assert "Michelin Pilot Sport 4 tire · 2 × $189.99 $379.98" in text
    assert "Where every entry went" in text
    assert "225/45R17 94W MICH PS4" in text and "ALIGNMENT 4WHL" in text
    assert "On the bill $460.10" in text


def test_a_statements_trail_sums_its_movements_to_the_change_of_balance():
    bill = billformat.collapse(billformat.read_ledger(SAMPLES / "bank_statement.csv"))
    text = text_of(pdf_of(bill, trail=True))
    assert bill.closing_balance - bill.opening_balance == Decimal("-92.03")
    assert "Movements -$92.03" in text
    assert "Movements 1 " in text and "Movements 10 " in text
    shown = billformat.render(bill, "text", trail=True)
    last = shown.split("Where every entry went")[1].split("\n\n")[0].splitlines()[-1]
    assert last.split() == ["Movements", "-$92.03"]


def test_a_long_detailed_bill_repeats_its_headings_and_keeps_the_totals_whole():
    entries = [{"date": "2026-11-01", "text": f"PART {number:03d}", "kind": "item", "amount": "1.00"}
               for number in range(500)]
    entries.append({"text": "CASH", "kind": "payment", "amount": "-500.00"})
    bill = bill_with_entries(entries, number="BIG-1", kind="repair_order")
    found = pages(pdf_of(bill, details=True))
    assert len(found) >= 5
    for text, *_ in found[1:]:
        lines = text.splitlines()
        assert "Date Details Amount Total" in lines[:3], lines[:3]
    with_total = [text for text, *_ in found if "Total $500.00" in text]
    assert len(with_total) == 1
    totals_page = with_total[0]
    assert "Balance due $0.00" in totals_page and "CASH -$500.00" in totals_page
    above = totals_page.split("Total $500.00")[0]
    assert above.count("PART ") >= 2, "the totals never stand alone at the top of a page"
    assert "PART 499" in totals_page
    numbers = [text.count("PART ") for text, *_ in found]
    assert sum(numbers) == 500


# -- hostile text ------------------------------------------------------------------


def test_markup_and_code_in_ledger_text_print_literally_and_run_nothing():
    marker = Path("/tmp/pwned")
    existed = marker.exists()
    payload = (
        "<font color=\"[[[getattr(pow, Word('__globals__'))['os'].system('touch /tmp/pwned') "
        "for Word in [ orgTypeFun( 'Word', (str,), { 'mutated': 1, 'startswith': lambda self, x: 1 == 0, "
        "'__eq__': lambda self, x: self.mutated and self.mutated - 1 == 0 and x == '__globals__', "
        "'mutate': lambda self: { setattr(self, 'mutated', self.mutated - 1) }, "
        "'__hash__': lambda self: hash(str(self)), }, ) ] ] for orgTypeFun in [type(type(1))] ] "
        "and 'red'\">exploit</font>"
    )
    bill = bill_with_entries(
        [{"text": payload, "kind": "item", "amount": "10.00", "group": "<b>bold?</b> & <br/>"}],
        seller={"name": "<para>Shop</para>"},
    )
    for options in ({}, {"details": True, "trail": True}):
        text = text_of(pdf_of(bill, **options)).replace("\n", " ")
        assert "<b>bold?</b> & <br/>" in text
        assert "<para>Shop</para>" in text
        if options:
            assert "exploit</font>" in text and "<font color=" in text
    assert marker.exists() == existed


def test_bidi_overrides_cannot_reverse_what_a_customer_reads():
    bill = bill_with_entries([{"text": "Fee \u202e00.01$\u202c", "kind": "fee", "amount": "10.00",
                               "group": "Service \u202efee\u202c"}])
    text = text_of(pdf_of(bill))
    assert "\u202e" not in text
    assert "Service fee $10.00" in text


def test_an_endless_word_is_cut_with_a_visible_mark():
    bill = bill_with_entries([{"text": "x", "kind": "item", "amount": "1.00", "group": "W" * 100_000}])
    pdf = pdf_of(bill)
    found = pages(pdf)
    assert len(found) == 1 and len(pdf) < 20_000
    text = found[0][0]
    assert "…" in text
    assert all(word["x1"] <= found[0][3][0] for word in found[0][1]), "nothing runs off the page"


# -- every script prints as text ---------------------------------------------------

SCRIPTS = {
    "Greek": "Μουσακάς",
    "Cyrillic": "Борщ",
    "Chinese": "北京烤鸭",
    "Japanese": "寿司盛り合わせ",
    "Korean": "김치찌개",
}


def test_every_script_extracts_back_and_prints_in_a_font_that_has_it():
    entries = [{"text": word, "kind": "item", "amount": "1.00", "group": word} for word in SCRIPTS.values()]
    entries += [{"text": "حمص بالطحينة", "kind": "item", "amount": "2.00", "group": "مقبلات عربية"},
                {"text": "סלט ירקות", "kind": "item", "amount": "3.00", "group": "סלטים טריים"}]
    bill = bill_with_entries(entries, customer={"name": "Иван Петров"})
    text, _, chars, _ = pages(pdf_of(bill))[0]
    for word in SCRIPTS.values():
        assert f"{word} $1.00" in text
    # Hebrew is drawn right to left: the extracted line, in visual order, holds
    # the word's letters reversed.
    assert "םיירט םיטלס $3.00" in text
    # Arabic is shaped into presentation forms and drawn right to left: read
    # back, reordered and normalized, it is the word the ledger wrote.
    arabic_line = next(line for line in text.splitlines() if line.endswith("$2.00"))
    visual = arabic_line.removesuffix(" $2.00")
    assert unicodedata.normalize("NFKC", visual[::-1]) == "مقبلات عربية"
    assert visual == visual_order("مقبلات عربية")
    fonts = {char["text"]: char["fontname"] for char in chars}
    assert "DejaVuSans" in fonts["Μ"] and "DejaVuSans" in fonts["Б"]
    assert "Helvetica" in fonts["$"]
    assert "Heise" in fonts["寿"] and "Heise" in fonts["り"]  # Han beside kana: the Japanese font
    assert "STSong" in fonts["北"]
    assert "HY" in fonts["김"]


def test_text_in_built_in_fonts_is_drawn_as_reportlab_would_draw_it(monkeypatch):
    # The painter writes text in the PDF's own fonts as operators itself; with
    # that turned off, every string goes through reportlab's text object.  The
    # two must put the same characters, in the same fonts, sizes and colours,
    # at the same places.
    entries = [
        {"text": "Pads (front) \\ rotors 50% off", "kind": "item", "amount": "120.00",
         "group": "Brakes (a \\ b)"},
        {"text": "Café crème – “special” €5 ½ ÆØÅ ß", "kind": "item", "amount": "5.00"},
        {"text": "Μουσακάς with 寿司 and Борщ", "kind": "item", "amount": "7.50", "group": "Mixed"},
        {"text": "Refund", "kind": "item", "amount": "-2.00", "status": "declined"},
        {"text": "Card", "kind": "payment", "amount": "-100.00"},
    ]
    bill = bill_with_entries(entries, seller={"name": "Bäckerei (Süd)"}, customer={"name": "Zoë"})

    def drawn(pdf: bytes):
        return [[(char["text"], char["fontname"], round(char["size"], 2), round(char["x0"], 2),
                  round(char["top"], 2), tuple(char["non_stroking_color"] or ()))
                 for char in page[2]] for page in pages(pdf)]

    fonts = set()
    for options in ({}, {"details": True, "trail": True}):
        ours = drawn(pdf_of(bill, **options))
        monkeypatch.setattr(Painter, "_builtin", lambda self, font: None)
        theirs = drawn(pdf_of(bill, **options))
        monkeypatch.undo()
        assert ours == theirs
        fonts |= {char[1] for page in ours for char in page}
    assert {"Helvetica", "Helvetica-Bold"} <= fonts
    assert any("DejaVu" in font for font in fonts) and any("STSong" in font for font in fonts)


@pytest.mark.parametrize(("font", "keeps"), [("Helvetica", True), ("Courier-Bold", True),
                                             ("Symbol", False), ("ZapfDingbats", False)])
def test_ascii_is_written_unencoded_only_where_the_font_encodes_it_as_itself(font, keeps):
    from reportlab.pdfbase import pdfmetrics

    from billformat.render.pdf_layout import _keeps_ascii

    encoding = pdfmetrics.getFont(font).encName
    assert _keeps_ascii(encoding) is keeps
    if keeps:
        printable = "".join(map(chr, range(0x20, 0x7F)))
        assert printable.encode(encoding) == printable.encode("ascii")


def test_a_japanese_bill_prints_its_yen_and_words():
    bill = billformat.collapse(billformat.read_ledger("samples/japan_sale.json"))
    text = text_of(pdf_of(bill))
    assert "ことぶき商店" in text
    assert "￥2,697" in text or "¥2,697" in text


# -- Chinese, Japanese and Korean: in a CID font that has the character ------------


def drawn_fonts(chars) -> dict[str, str]:
    return {char["text"]: char["fontname"] for char in chars}


def test_han_the_bills_cid_font_lacks_prints_in_one_that_has_it_and_stays_text():
    # HeiseiKakuGo's CMap has 7,919 of the 20,992 common Han characters and
    # HYGothic's 4,620: 轮, 换, 务 (simplified Chinese) are not in the
    # Japanese one, 区 and 浅 (Japanese forms) not in the Korean one.
    japanese = bill_with_entries([{"text": "轮胎更换服务", "kind": "item", "amount": "1000",
                                   "group": "髙橋様 鷗外 剝離"}], currency="JPY", locale="ja_JP")
    text, _, chars, _ = pages(pdf_of(japanese, details=True))[0]
    assert "轮胎更换服务" in text and "髙橋様 鷗外 剝離" in text
    fonts = drawn_fonts(chars)
    # The Japanese font wherever it has the character, so Japanese keeps its shapes.
    assert {char for char, font in fonts.items() if "STSong" in font} == set("轮换务")
    assert all("Heise" in fonts[char] for char in "胎更服髙橋様鷗外剝離")

    korean = bill_with_entries([{"text": "東京都台東区浅草 타이어", "kind": "item", "amount": "1000"}],
                               currency="KRW", locale="ko_KR", seller={"name": "浅草区 商店"})
    text, _, chars, _ = pages(pdf_of(korean, details=True))[0]
    assert "東京都台東区浅草 타이어" in text and "浅草区 商店" in text
    fonts = drawn_fonts(chars)
    assert {char for char, font in fonts.items() if "Heise" in font} == set("区浅")
    assert all("HY" in fonts[char] for char in "東京都台草商店타이어")


@pytest.mark.parametrize("language", ["ja", "ko", "zh", "en"])
def test_every_common_han_character_goes_to_the_first_cid_font_whose_cmap_has_it(language):
    from billformat.render.fonts import CHINESE, CID_FONTS, CJK_ORDER, CJK_ORDER_OTHER, cmap_coverage

    fonts = FontChain("Helvetica", "Helvetica-Bold", language)
    order = CJK_ORDER.get(language, CJK_ORDER_OTHER)
    han = "".join(map(chr, range(0x4E00, 0x9FA6)))  # the 20,902 of Unicode 1.1; STSong has them all
    for start in range(0, len(han), 500):
        line = han[start:start + 500]
        runs = fonts.runs(line)
        assert "".join(piece for _, piece in runs) == line
        for font, piece in runs:
            assert set(piece) <= cmap_coverage(CID_FONTS[font])
            for before in order[:order.index(font)]:  # an earlier font in the order lacks them all
                assert not set(piece) & cmap_coverage(CID_FONTS[before])
    assert fonts.runs("\u9fff") == (("BillformatSans", "\ufffd"),)  # in no CMap: the visible mark
    assert order[0] == {"ja": "HeiseiKakuGo-W5", "ko": "HYGothic-Medium"}.get(language, CHINESE)


@pytest.mark.parametrize("cmap", ["UniJIS-UCS2-H", "UniKS-UCS2-H", "UniGB-UCS2-H"])
def test_a_cid_fonts_coverage_is_what_its_cmap_maps(cmap):
    # Checked against pdfminer's copy of Adobe's CMaps, which PDF readers use too.
    from pdfminer.cmapdb import CMapDB

    from billformat.render.fonts import cmap_coverage

    mapped = CMapDB.get_cmap(cmap)
    expected = {chr(code) for code in range(0x20, 0x10000)
                if not 0xE000 <= code <= 0xF8FF and any(mapped.decode(code.to_bytes(2, "big")))}
    assert cmap_coverage(cmap) == expected
    assert len(expected) > 9_000


def test_a_sign_only_a_cid_font_has_prints_in_it_rather_than_as_the_unknown_mark():
    # ㈱ (a company), ⑪ and ㎡: not in Helvetica or DejaVu Sans, in the CID fonts.
    entry = {"text": "Floor", "kind": "item", "amount": "1.00", "group": "Tiles ⑪ 12㎡"}
    bill = bill_with_entries([entry], seller={"name": "㈱ Kotobuki"})
    text, _, chars, _ = pages(pdf_of(bill))[0]
    assert "㈱ Kotobuki" in text and "Tiles ⑪ 12㎡ $1.00" in text
    assert "\ufffd" not in text
    fonts = drawn_fonts(chars)
    # In an English bill the Chinese font comes first; it lacks ⑪, the Japanese one has it.
    assert "STSong" in fonts["㈱"] and "STSong" in fonts["㎡"] and "Heise" in fonts["⑪"]
    assert "Helvetica" in fonts["K"]


@pytest.mark.parametrize(("font", "bold", "named", "lacked", "fallback"), [
    ("HeiseiMin-W3", "Helvetica-Bold", "HeiseiMin", "轮", "STSong"),
    ("HeiseiKakuGo-W5", "HeiseiKakuGo-W5", "Heise", "轮", "STSong"),
    ("STSong-Light", "STSong-Light", "STSong", "김", "HY"),
    ("HYSMyeongJo-Medium", "HYGothic-Medium", "HY", "轮", "STSong"),
])
def test_a_layout_may_set_its_text_in_a_cid_font(tmp_path, font, bold, named, lacked, fallback):
    (tmp_path / "layout.json").write_text(json.dumps({"pdf": {"font": font, "bold_font": bold}}))
    bill = bill_of(TIRE_SHOP, customer={"name": "Kate N.", "address": [f"東京 {lacked}"]})
    text, _, chars, _ = pages(pdf_of(bill, layout=str(tmp_path)))[0]
    assert "Michelin Pilot Sport 4 tire $379.98" in text and "Total $460.10" in text
    assert f"東京 {lacked}" in text
    fonts = drawn_fonts(chars)
    assert named in fonts["M"] and named in fonts["$"] and named in fonts["東"]
    assert fallback in fonts[lacked]  # a character the layout's font lacks falls back


def test_an_english_bill_embeds_no_font_and_stays_small():
    pdf = pdf_of(bill_of(TIRE_SHOP))
    assert len(pdf) < 8_000
    fonts = {char["fontname"] for _, _, chars, _ in pages(pdf) for char in chars}
    assert fonts == {"Helvetica", "Helvetica-Bold"}


# -- pages and metadata ---------------------------------------------------------------


@pytest.mark.parametrize(("locale", "size"), [("en_US", (612, 792)), ("de_DE", (595.3, 841.9)),
                                              ("en_CA", (612, 792)), ("fr_FR", (595.3, 841.9))])
def test_the_paper_follows_the_locale(locale, size):
    found = pages(pdf_of(bill_of(TIRE_SHOP, locale=locale)))
    width, height = found[0][3]
    assert width == pytest.approx(size[0], abs=0.1) and height == pytest.approx(size[1], abs=0.1)


def test_a_receipt_is_80_mm_wide_and_as_tall_as_its_content():
    found = pages(pdf_of(bill_of(TIRE_SHOP), layout="receipt"))
    assert len(found) == 1
    text, words, _, (width, height) = found[0]
    assert width == pytest.approx(80 * MM, abs=0.1)
    assert 100 < height < 200 * MM
    lowest = max(word["bottom"] for word in words)
    assert height - lowest < 20 * MM
    assert "Total $460.10" in text


def test_the_document_says_what_it_is():
    pdf = pdf_of(bill_of(TIRE_SHOP))
    info = pypdf.PdfReader(io.BytesIO(pdf)).metadata
    assert info.title == "Repair order RO-10492"
    assert info.author == "Main Street Tire"
    assert info.subject.startswith("Your repair on Oct 14, 2026.")
    assert info.creator == "billformat"
    assert pypdf.PdfReader(io.BytesIO(pdf)).trailer["/Root"]["/Lang"] == "en-US"


def test_the_same_bill_gives_the_same_bytes():
    bill = bill_of(TIRE_SHOP)
    assert pdf_of(bill) == pdf_of(bill)


def test_importing_billformat_does_not_import_reportlab():
    code = "import sys, billformat; print('reportlab' in sys.modules)"
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert result.stdout.strip() == "False"


# -- a layout of the user's own ---------------------------------------------------------


def test_a_layout_folder_brings_its_logo_and_font(tmp_path):
    from PIL import Image

    Image.new("RGB", (300, 100), "#1f4e79").save(tmp_path / "logo.png")
    font = Path(billformat.__file__).parent / "fonts" / "DejaVuSans.ttf"
    (tmp_path / "House.ttf").write_bytes(font.read_bytes())
    (tmp_path / "layout.json").write_text(json.dumps(
        {"pdf": {"page": "letter", "logo": "logo.png", "font": "House.ttf", "bold_font": "House.ttf"}}))
    pdf = pdf_of(bill_of(TIRE_SHOP), layout=str(tmp_path))
    with pdfplumber.open(io.BytesIO(pdf)) as document:
        page = document.pages[0]
        (logo,) = page.images
        sentence = [word for word in page.extract_words() if word["top"] < logo["bottom"]]
        fonts = {char["fontname"] for char in page.chars}
    assert all(word["x1"] < logo["x0"] for word in sentence), "the sentence keeps clear of the logo"
    assert not any("Helvetica" in name for name in fonts)
    assert "Total $460.10" in text_of(pdf)


@pytest.mark.parametrize("setting", [{"logo": "logo.png"}, {"font": "Missing.ttf"}, {"font": "Comic"},
                                     {"font": "../Outside.ttf"}, {"font": "Broken.ttf"}])
def test_a_broken_layout_is_refused_with_a_layout_error(tmp_path, setting):
    from billformat.layouts import LayoutError

    folder = tmp_path / "layout"
    folder.mkdir()
    font = Path(billformat.__file__).parent / "fonts" / "DejaVuSans.ttf"
    (tmp_path / "Outside.ttf").write_bytes(font.read_bytes())
    (folder / "Broken.ttf").write_bytes(b"\x00\x01\x00\x00 not really a font")
    (folder / "logo.png").write_text("not an image")
    (folder / "layout.json").write_text(json.dumps({"pdf": setting}))
    with pytest.raises(LayoutError):
        pdf_of(bill_of(TIRE_SHOP), layout=str(folder))


def test_a_long_statement_repeats_its_headings_and_keeps_every_movement():
    entries = [{"date": f"2026-10-{day % 28 + 1:02d}", "text": f"CARD {number:03d}", "kind": "withdrawal",
                "amount": "-1.00"} for number, day in enumerate(range(120))]
    bill = billformat.collapse(billformat.Ledger.model_validate(
        {"kind": "bank_statement", "currency": "USD", "stated": {"opening_balance": "500.00"},
         "entries": entries}))
    found = pages(pdf_of(bill))
    assert len(found) >= 2
    for text, *_ in found[1:]:
        assert "Date Amount Balance" in text.splitlines()[:3]
    assert sum(text.count("CARD ") for text, *_ in found) == 120
    assert "$380.00" in found[-1][0]


def test_a_credit_says_who_owes_whom():
    bill = bill_with_entries([{"text": "ROOM", "kind": "item", "amount": "100.00"},
                              {"text": "DEPOSIT", "kind": "payment", "amount": "-150.00"}])
    text = text_of(pdf_of(bill))
    assert "We owe you $50.00" in text


def test_pagination_keeps_glued_rows_together_and_repeats_headings():
    heading = Row(10)
    rows = [Row(30) for _ in range(5)] + [Row(10, heading=(heading,)) for _ in range(4)]
    rows[-1].glue = rows[-2].glue = True  # the last three rows stay together
    frame = Frame(width=100, height=200, margin=10, header=0)  # 180 points of room
    laid_out = paginate(rows, frame)
    assert [len(page) for page in laid_out] == [6, 4]
    assert laid_out[1][0] is heading and laid_out[1][1:] == rows[6:]


# -- any text at all -------------------------------------------------------------------


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.text(min_size=1, max_size=120))
def test_any_text_splits_into_runs_that_keep_every_printable_character(text):
    fonts = FontChain("Helvetica", "Helvetica-Bold", "en")
    runs = fonts.runs(text)
    drawn = "".join(piece for _, piece in runs)
    assert len(drawn) <= len(text)
    lines = wrap(fonts, text, 80, Style(False, 9, "#000000"))
    assert all(fonts.width(line, 9) <= 80 or len(line) == 1 for line in lines[:-1])


@settings(max_examples=80, deadline=None)
@given(st.text(alphabet=st.sampled_from("ab (×½·€é) \u00a0\u2009ΩБשע寿"), max_size=20), st.booleans())
def test_a_line_in_the_layouts_font_alone_is_one_run_as_the_full_split_makes_it(text, bold):
    # runs() takes a line whose every character the layout's font has as one
    # run without splitting it character by character; the result is the same.
    fonts = FontChain("Helvetica", "Helvetica-Bold", "en")
    split = fonts._split(visual_order(text), bold)
    assert fonts.runs(text, bold) == (split or (("Helvetica-Bold" if bold else "Helvetica", ""),))


def test_the_line_caches_start_over_when_full_and_keep_working():
    fonts = FontChain("Helvetica", "Helvetica-Bold", "en")
    for number in range(10_000):
        assert fonts.width(f"Line × {number}", 10) > 0
    assert 0 < len(fonts._runs) <= 4096 and 0 < len(fonts._widths) <= 4096
    assert fonts.runs("Line × 9999") == (("Helvetica", "Line × 9999"),)


@settings(max_examples=8, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.text(alphabet=st.characters(codec="utf-8", exclude_categories=("Cs",)), min_size=1, max_size=60))
def test_any_label_renders_to_a_readable_pdf(label):
    bill = bill_with_entries([{"text": "x", "kind": "item", "amount": "1.00", "group": label}])
    assert "Total $1.00" in text_of(pdf_of(bill))


def test_without_arabic_reshaper_arabic_still_reads_right_to_left(monkeypatch):
    monkeypatch.setitem(sys.modules, "arabic_reshaper", None)  # import fails
    assert visual_order("مرحبا 2026") == "2026 ابحرم"
