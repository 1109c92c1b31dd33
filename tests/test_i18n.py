"""The bill's words and formats in the ledger's language."""

import gettext
import io
from pathlib import Path

import pypdf
import pytest
from babel.messages.extract import extract_from_dir
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from bs4 import BeautifulSoup
from ledgers import from_json

import billformat
from billformat.i18n import CATALOGS, DOMAIN, translator

PACKAGE = Path(billformat.__file__).parent
LANGUAGES = ("de", "fr", "es")


def render_text(ledger: str) -> str:
    return billformat.render(billformat.collapse(from_json(ledger)), "text")


def test_a_german_bill_writes_euros_and_speaks_german():
    text = render_text("""
        {"kind": "repair_order", "currency": "EUR", "locale": "de_DE", "date": "2026-10-14",
         "due": "2026-10-28", "entries": [
          {"text": "Bremsscheiben", "kind": "item", "amount": "1000.00"},
          {"text": "Einbau", "kind": "labor", "amount": "234.56"}]}""")
    assert "Ihre Reparatur am 14.10.2026. Bitte zahlen Sie 1.234,56\xa0€ bis 28.10.2026." in " ".join(
        text.split("\n")
    )
    assert "Arbeit und Service" in text
    assert [line for line in text.splitlines() if line.startswith("Summe")][0].endswith("1.234,56\xa0€")
    assert "OFFENER BETRAG" in text


def test_yen_have_no_decimals_and_swiss_francs_come_first():
    assert "￥5,445" in render_text("""
        {"currency": "JPY", "locale": "ja_JP", "entries": [{"text": "定食", "kind": "item", "amount": "5445"}]}""")
    assert "CHF\xa021.80" in render_text("""
        {"currency": "CHF", "locale": "de_CH", "entries": [{"text": "Kaffee", "kind": "item", "amount": "21.80"}]}""")


def test_french_and_spanish_bills_speak_their_language():
    ledger = """
        {"kind": "hotel_folio", "currency": "EUR", "locale": "%s", "entries": [
          {"text": "Chambre", "kind": "item", "amount": "100.00"},
          {"text": "Taxe de séjour", "kind": "tax", "amount": "2.00"}]}"""
    assert "Reste à payer".upper() in render_text(ledger % "fr_FR")
    assert "Saldo pendiente".upper() in render_text(ledger % "es_ES")


def test_a_language_without_a_catalog_falls_back_to_english():
    assert translator("sv_SE")("Balance due") == "Balance due"
    assert "BALANCE DUE" in render_text("""
        {"currency": "SEK", "locale": "sv_SE", "entries": [{"text": "Kaffe", "kind": "item", "amount": "35.00"}]}""")


@pytest.mark.parametrize("language", LANGUAGES)
def test_every_catalog_is_complete_and_its_committed_mo_matches(language):
    folder = CATALOGS / language / "LC_MESSAGES"
    with open(folder / f"{DOMAIN}.po", "rb") as source:
        catalog = read_po(source)
    assert all(message.string for message in catalog if message.id)
    assert not list(catalog.check())  # placeholders agree with their msgid
    compiled = io.BytesIO()
    write_mo(compiled, catalog)
    compiled.seek(0)
    fresh = gettext.GNUTranslations(compiled)
    with open(folder / f"{DOMAIN}.mo", "rb") as committed_file:
        committed = gettext.GNUTranslations(committed_file)
    assert fresh._catalog == committed._catalog


def test_every_message_in_the_code_is_in_the_template_and_every_catalog():
    in_code = {message[2] for message in extract_from_dir(str(PACKAGE)) if isinstance(message[2], str)}
    with open(CATALOGS / "messages.pot", "rb") as template:
        in_template = {message.id for message in read_po(template) if message.id}
    assert in_code <= in_template
    for language in LANGUAGES:
        with open(CATALOGS / language / "LC_MESSAGES" / f"{DOMAIN}.po", "rb") as source:
            assert in_code <= {message.id for message in read_po(source) if message.id}


def test_the_face_labels_collapse_uses_are_translated():
    german = translator("de_DE")
    assert [german(word) for word in ("Parts", "Labor and service", "Taxes", "Rounding", "Room")] == [
        "Teile", "Arbeit und Service", "Steuern", "Rundung", "Zimmer",
    ]


STATEMENT = """
    {"kind": "bank_statement", "currency": "EUR", "locale": "%s", "stated": {"opening_balance": "1250.00"},
     "period": {"start": "2026-03-01", "end": "2026-03-31"}, "entries": [
      {"date": "2026-03-02", "text": "GEHALT", "kind": "deposit", "amount": "1875.83"},
      {"date": "2026-03-05", "text": "MIETE", "kind": "withdrawal", "amount": "-1967.86"}]}
"""


def words_of(ledger: str, output: str) -> str:
    """What a bill says in ``output``, its spaces (no-break ones too) made plain."""
    rendered = billformat.render(billformat.collapse(from_json(ledger)), output)
    if output == "html":
        rendered = BeautifulSoup(rendered, "html.parser").get_text(" ")
    elif output == "pdf":
        rendered = " ".join(page.extract_text() for page in pypdf.PdfReader(io.BytesIO(rendered)).pages)
    return " ".join(rendered.split())


@pytest.mark.parametrize(("locale", "sentence"), [
    ("de_DE", ("Vom 1. März bis 31. März ging Ihr Kontostand von 1.250,00 € auf 1.157,97 €, "
               "bei Eingängen von 1.875,83 € und Ausgängen von 1.967,86 €.")),
    ("fr_FR", ("Du 1 mars au 31 mars, votre solde est passé de 1 250,00 € à 1 157,97 € : "
               "1 875,83 € d’entrées et 1 967,86 € de sorties.")),
    ("es_ES", ("Del 1 mar al 31 mar su saldo pasó de 1.250,00 € a 1.157,97 €: "
               "1.875,83 € de entradas y 1.967,86 € de salidas.")),
    ("en_IE", ("From 1 Mar to 31 Mar your balance went from €1,250.00 to €1,157.97: "
               "€1,875.83 in, €1,967.86 out.")),
])
@pytest.mark.parametrize("output", ["text", "html", "pdf"])
def test_a_statement_names_its_four_figures_in_one_sentence_in_every_language_and_format(
        locale, sentence, output):
    assert sentence in words_of(STATEMENT % locale, output)


def test_the_new_sentences_read_naturally_in_every_language():
    german, french, spanish = (translator(locale) for locale in ("de_DE", "fr_FR", "es_ES"))
    paid = "Paid in full — nothing more to pay."
    assert [german(paid), french(paid), spanish(paid)] == [
        "Vollständig bezahlt – es ist nichts mehr zu zahlen.",
        "Payé en totalité — plus rien à payer.",
        "Pagado en su totalidad: no queda nada por pagar.",
    ]
    assert [language("{count} more").format(count=97) for language in (german, french, spanish)] == [
        "97 weitere", "97 autres", "97 más",
    ]


def test_a_german_statement_counts_the_missing_checks_past_the_first_ten():
    entries = ", ".join(
        '{"text": "SCHECK", "kind": "check", "number": "%d", "amount": "-1.00"}' % number
        for number in range(1001, 3001, 2)
    )
    text = render_text('{"kind": "bank_statement", "currency": "EUR", "locale": "de_DE", "entries": [%s]}'
                       % entries)
    assert " ".join(text[text.rindex("\nSchecks "):].split()) == (
        "Schecks 1002, 1004, 1006, 1008, 1010, 1012, 1014, 1016, 1018, 1020 und 989 weitere fehlen: "
        "noch nicht eingelöst?"
    )


@pytest.mark.parametrize(("locale", "currency", "written"), [
    ("de_DE", "EUR", ["Kraftstoff, 12,345 l × 1,799\xa0€", "Schrauben, 1.500 × 0,01\xa0€"]),
    ("de_CH", "CHF", ["Kraftstoff, 12.345 l × CHF\xa01.799", "Schrauben, 1’500 × CHF\xa00.01"]),
    ("fr_FR", "EUR", ["Kraftstoff, 12,345 l × 1,799\xa0€", "Schrauben, 1\u202f500 × 0,01\xa0€"]),
])
def test_quantities_are_written_with_the_locales_decimal_and_group_symbols(locale, currency, written):
    ledger = from_json("""
        {"kind": "repair_order", "currency": "%s", "locale": "%s", "entries": [
          {"text": "Kraftstoff", "kind": "item", "qty": "12.345", "unit": "l", "unit_price": "1.799",
           "amount": "22.21"},
          {"text": "Schrauben", "kind": "item", "qty": "1500", "unit_price": "0.01", "amount": "15.00"}]}
    """ % (currency, locale))
    text = billformat.render(billformat.collapse(ledger), "text", details=True)
    assert all(line in text for line in written), text
