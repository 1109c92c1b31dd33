"""The bill as one self-contained HTML page, checked by its parsed DOM."""

import re
from pathlib import Path

import pytest
from bs4 import BeautifulSoup
from ledgers import from_json

import billformat

HOSTILE_LABEL = "<script>alert(1)</script>"
HOSTILE_FONT = (
    "<font color=\"[[[getattr(pow, Word('__globals__'))['os'].system('touch /tmp/pwned')"
    "for Word in [orgTypeFun('Word', (str,), { 'mutated': 1, 'startswith': lambda self, x: False,"
    " '__eq__': lambda self, x: self.mutate() and self.mutated < 0 and str(self) == x, 'mutate': "
    "lambda self: {setattr(self, 'mutated', self.mutated - 1)}, '__hash__': lambda self: "
    "hash(str(self)) })]] and 'red'\">exploit</font>"
)

REPAIR = """
    {"kind": "repair_order", "number": "RO-10492", "date": "2026-10-14", "currency": "USD",
     "locale": "en_US", "seller": {"name": "Main Street Tire"}, "customer": {"name": "Kate N."},
     "entries": [
      {"id": "1", "text": "TIRE", "label": "Michelin Pilot Sport 4", "kind": "item", "amount": "189.99"},
      {"id": "2", "text": "MOUNT/BAL", "kind": "labor", "amount": "40.00"},
      {"id": "3", "text": "SALES TAX", "kind": "tax", "amount": "16.46"},
      {"id": "6", "text": "ALIGN", "label": "Wheel alignment", "kind": "labor", "amount": "89.99",
       "status": "declined"},
      {"id": "9", "text": "VISA XXXX4417", "kind": "payment", "amount": "-246.45"}]}
"""


def page(ledger: str, **options) -> BeautifulSoup:
    html = billformat.render(billformat.collapse(from_json(ledger)), "html", **options)
    return BeautifulSoup(html, "html.parser")


def test_the_page_names_its_language_and_puts_the_figures_in_a_real_table():
    soup = page(REPAIR)
    assert soup.html["lang"] == "en-US"
    assert soup.find("meta", attrs={"name": "viewport"})
    table = soup.find("table", class_="figures")
    assert table.caption.get_text(strip=True) == "Repair order"
    rows = [(row.th.get_text(strip=True), row.td.get_text(strip=True))
            for row in table.find_all("tr") if row.td]
    assert rows == [
        ("Michelin Pilot Sport 4", "$189.99"),
        ("Labor and service", "$40.00"),
        ("Taxes", "$16.46"),
        ("Total", "$246.45"),
        ("Visa ending 4417", "-$246.45"),
        ("Balance due", "$0.00"),
    ]
    assert all(th.get("scope") in ("row", "col", "rowgroup") for th in table.find_all("th"))


def test_the_situation_sentence_comes_before_the_figures():
    soup = page(REPAIR)
    situation = soup.find(class_="situation")
    assert situation.get_text() == (
        "Your repair on Oct 14, 2026. Paid in full by Visa ending 4417 — nothing more to pay."
    )
    assert situation.find_next("table") is soup.find("table", class_="figures")


def test_declined_work_is_listed_as_not_charged():
    declined = page(REPAIR).find(class_="declined")
    assert declined.caption.get_text() == "You said no to"
    assert " ".join(declined.tbody.tr.get_text(" ", strip=True).split()) == (
        "Wheel alignment — not charged $89.99"
    )


def test_amounts_line_up_in_tabular_figures_and_there_is_a_print_stylesheet():
    style = page(REPAIR).style.string
    assert "font-variant-numeric: tabular-nums" in style
    assert "@media print" in style


def test_the_page_needs_no_script_and_makes_no_request():
    html = str(page(REPAIR, details=True, trail=True))
    soup = BeautifulSoup(html, "html.parser")
    assert soup.find("script") is None
    assert not [tag for tag in soup.find_all(src=True) if not tag["src"].startswith("data:")]
    assert not soup.find_all(href=True)
    assert not re.search(r"https?://", html)


def test_hostile_ledger_text_is_shown_as_text_and_neutralized():
    ledger = """
        {"currency": "USD", "seller": {"name": "%s"}, "entries": [
          {"text": "%s", "kind": "item", "amount": "10.00", "group": "%s"},
          {"text": "Refund \u202e00.01$ \u2066x", "kind": "item", "amount": "1.00", "group": "Other"}]}
    """ % (HOSTILE_LABEL, HOSTILE_FONT.replace('"', '\\"'), HOSTILE_LABEL)
    soup = page(ledger, trail=True)
    assert soup.find("script") is None
    assert soup.find("font") is None
    labels = [th.get_text() for th in soup.find("table", class_="figures").find_all("th", scope="row")]
    assert HOSTILE_LABEL in labels
    assert HOSTILE_FONT in soup.find(class_="trail").get_text()
    text = soup.get_text()
    assert "\u202e" not in text and "\u2066" not in text
    assert "Refund 00.01$ x" in text


def test_a_statement_page_lists_movements_and_names_the_missing_check():
    soup = page("""
        {"kind": "bank_statement", "currency": "EUR", "locale": "de_DE",
         "stated": {"opening_balance": "1000.00"}, "entries": [
          {"date": "2026-03-02", "text": "GEHALT", "kind": "deposit", "amount": "234.56"},
          {"date": "2026-03-03", "text": "SCHECK 11", "kind": "check", "number": "11", "amount": "-10.00"},
          {"date": "2026-03-04", "text": "SCHECK 13", "kind": "check", "number": "13", "amount": "-10.00"}]}
    """)
    assert soup.html["lang"] == "de-DE"
    register = soup.find(class_="register")
    balances = [row.find_all("td")[-1].get_text() for row in register.tbody.find_all("tr")]
    assert balances == ["1.234,56\xa0€", "1.224,56\xa0€", "1.214,56\xa0€"]
    assert soup.find(class_="missing").get_text() == "Scheck 12 fehlt: noch nicht eingelöst?"


def test_a_label_written_right_to_left_is_marked_so_and_no_other():
    bill = billformat.collapse(billformat.Ledger.model_validate({"currency": "USD", "entries": [
        {"text": "x", "kind": "item", "amount": "1.00", "group": "סלטים טריים"},
        {"text": "y", "kind": "item", "amount": "2.00", "group": "مقبلات عربية"},
        {"text": "z", "kind": "item", "amount": "3.00", "group": "Café crème (12)"},
        {"text": "w", "kind": "item", "amount": "4.00", "group": "Shop supplies, ק"},
    ]}))
    soup = BeautifulSoup(billformat.render(bill, "html"), "html.parser")
    marked = {cell.get_text(strip=True) for cell in soup.select('[dir="rtl"]')}
    assert marked == {"סלטים טריים", "مقبلات عربية"}


@pytest.mark.parametrize("sample", sorted(Path("samples").iterdir()), ids=lambda path: path.name)
def test_the_template_sees_the_view_as_asdict_makes_it(sample):
    # The template gets the view as plain dicts and tuples, built by a faster
    # walk than dataclasses.asdict: the two must agree exactly.
    from dataclasses import asdict

    from billformat.render.html import _view_for_template
    from billformat.render.view import describe

    bill = billformat.collapse(billformat.read_ledger(sample))
    view = describe(bill, details=True, trail=True)
    plain = _view_for_template(view)
    assert plain == asdict(view)
    assert type(plain["face"]) is tuple and type(plain["words"]) is dict


@pytest.mark.parametrize("layout_name", ["standard", "receipt", "detailed"])
@pytest.mark.parametrize("sample", sorted(Path("samples").iterdir()), ids=lambda path: path.name)
def test_a_built_in_layout_makes_the_same_page_as_its_sandboxed_copy(sample, layout_name):
    # Built-in templates run unsandboxed on the view's objects; the same
    # template as a layout folder's runs sandboxed on plain dicts.  Same page.
    import dataclasses

    from billformat.layouts import load_layout

    built_in = load_layout(layout_name)
    assert built_in.built_in
    folder = dataclasses.replace(built_in, built_in=False)
    bill = billformat.collapse(billformat.read_ledger(sample))
    for options in ({}, {"details": True, "trail": True}):
        assert (billformat.render(bill, "html", layout=built_in, **options)
                == billformat.render(bill, "html", layout=folder, **options))


def test_a_copy_of_a_built_in_layout_is_a_layout_folder_and_runs_sandboxed(tmp_path):
    import shutil

    from billformat.layouts import LayoutError, built_in_folder, load_layout

    copy = tmp_path / "standard"
    shutil.copytree(built_in_folder() / "standard", copy)
    template = copy / "template.html"
    template.write_text(template.read_text() + "{{ bill.__class__.__mro__ }}")
    assert load_layout(copy).built_in is False
    bill = billformat.collapse(from_json(REPAIR))
    with pytest.raises(LayoutError, match="not allowed"):
        billformat.render(bill, "html", layout=str(copy))


def test_a_payment_named_in_the_situation_cannot_reorder_or_break_it():
    soup = page("""
        {"currency": "USD", "date": "2026-11-02", "entries": [
          {"text": "Widget", "kind": "item", "amount": "999.00"},
          {"text": "VISA", "label": "card \\u202e00.999$ ,dias ti sa\\u2069\\n\\u001b[31m", "kind": "payment",
           "amount": "-999.00"}]}
    """)
    assert soup.find(class_="situation").get_text() == (
        "Your purchase on Nov 2, 2026. Paid in full by card 00.999$ ,dias ti sa [31m — nothing more to pay."
    )


def test_a_statement_page_says_its_four_figures_in_one_sentence():
    soup = page("""
        {"kind": "bank_statement", "currency": "USD", "stated": {"opening_balance": "1250.00"},
         "period": {"start": "2026-03-01", "end": "2026-03-31"}, "entries": [
          {"date": "2026-03-02", "text": "PAYROLL", "kind": "deposit", "amount": "1875.83"},
          {"date": "2026-03-05", "text": "RENT", "kind": "withdrawal", "amount": "-1967.86"}]}
    """)
    assert soup.find(class_="situation").get_text() == (
        "From Mar 1 to Mar 31 your balance went from $1,250.00 to $1,157.97: $1,875.83 in, $1,967.86 out."
    )


def body_rows(table):
    """A table's rows outside its head and foot."""
    return [row for row in table.find_all("tr") if row.find_parent(["thead", "tfoot"]) is None]


def width(row) -> int:
    return sum(int(cell.get("colspan", 1)) for cell in row.find_all(["th", "td"]))


@pytest.mark.parametrize("sample", sorted(Path("samples").iterdir()), ids=lambda path: path.name)
def test_every_table_has_a_head_of_column_header_cells(sample):
    # A real table: a printed page repeats its head; a screen reader names each column by it.
    bill = billformat.collapse(billformat.read_ledger(sample))
    soup = BeautifulSoup(billformat.render(bill, "html", details=True, trail=True), "html.parser")
    tables = soup.find_all("table")
    assert len(tables) >= 3
    for table in tables:
        rows = body_rows(table)
        assert rows, table.caption
        assert table.thead is not None, table.caption
        head = table.thead.find_all("tr")
        assert len(head) == 1 and head[0].find("td") is None
        assert {cell.get("scope") for cell in head[0].find_all("th")} == {"col"}
        assert width(head[0]) == max(width(row) for row in rows), table.caption


def test_declined_work_has_a_table_head_too():
    declined = page(REPAIR).find(class_="declined").table
    assert [cell.get_text() for cell in declined.thead.find_all("th")] == ["Item", "Amount"]
    assert len(body_rows(declined)) == 1


def test_the_details_head_names_the_date_the_item_and_the_amount():
    details = page(REPAIR, details=True).find(class_="details").table
    assert [cell.get_text() for cell in details.thead.find_all("th")] == ["Date", "Item", "Amount"]


def test_the_totals_block_is_one_row_group_that_holds_the_last_face_line():
    # One group, so a printed page never splits it nor starts with the total alone.
    figures = page(REPAIR).find("table", class_="figures")
    totals = figures.find("tbody", class_="totals")
    assert [row.th.get_text() for row in totals.find_all("tr")] == [
        "Taxes", "Total", "Visa ending 4417", "Balance due"]
    assert [row.th.get_text() for row in figures.find("tbody", class_="face").find_all("tr")] == [
        "Michelin Pilot Sport 4", "Labor and service"]


def print_rules(css: str) -> list[tuple[list[str], dict[str, str]]]:
    """The rules inside ``@media print``: (selectors, declarations), ``@page`` left out."""
    css = re.sub(r"/\*.*?\*/", "", css, flags=re.S)
    start = css.index("{", css.index("@media print")) + 1
    depth, end = 1, start
    while depth:
        depth += {"{": 1, "}": -1}.get(css[end], 0)
        end += 1
    rules = []
    for selectors, body in re.findall(r"([^{}]+)\{([^{}]*)\}", css[start:end - 1]):
        if selectors.strip().startswith("@"):
            continue
        declarations = dict(
            (name.strip(), value.strip()) for name, _, value in
            (part.partition(":") for part in body.split(";") if part.strip()))
        rules.append(([selector.strip() for selector in selectors.split(",")], declarations))
    return rules


def printed(rules, selector: str, name: str) -> str | None:
    """What the print rules last set ``name`` to for exactly ``selector``."""
    values = [declarations[name] for selectors, declarations in rules
              if selector in selectors and name in declarations]
    return values[-1] if values else None


@pytest.mark.parametrize("layout", ["standard", "receipt", "detailed"])
def test_printed_long_tables_break_between_rows_and_repeat_their_heads(layout):
    bill = billformat.collapse(from_json(REPAIR))
    soup = BeautifulSoup(billformat.render(bill, "html", layout=layout), "html.parser")
    rules = print_rules(soup.style.string)
    # Keeping a whole section or table on one page left pages all but empty.
    kept_whole = [selector for selectors, declarations in rules for selector in selectors
                  if declarations.get("break-inside", declarations.get("page-break-inside")) == "avoid"]
    long = ("section", "table", "tbody", ".details", ".trail", ".register", ".checks", ".declined")
    assert [selector for selector in kept_whole if selector.split()[-1] in long] == []
    assert {"tr", ".figures .totals"} <= set(kept_whole)
    assert printed(rules, "thead", "display") == "table-header-group"
    assert printed(rules, "tfoot", "display") == "table-row-group"  # a footer repeats on every page
    assert printed(rules, "caption", "break-after") == printed(rules, ".details .group", "break-after") == "avoid"
    assert printed(rules, ".details thead", "position") == "static"  # hidden on screen, printed
