"""Collapsing ledgers into the bill a customer reads."""

from decimal import Decimal

from ledgers import face, from_csv, from_json, pairs

import billformat


def collapse_json(text):
    return billformat.collapse(from_json(text))


def test_the_tire_shop_from_the_mission_is_three_lines_that_add_up():
    bill = collapse_json("""
        {"kind": "repair_order", "number": "RO-10492", "currency": "USD", "entries": [
          {"id": "1", "text": "225/45R17 94W MICH PS4", "label": "Michelin Pilot Sport 4 tire",
           "kind": "item", "amount": "189.99"},
          {"id": "2", "text": "MOUNT/BAL", "kind": "labor", "amount": "25.00"},
          {"id": "3", "text": "TIRE DISPOSAL", "kind": "fee", "amount": "3.50"},
          {"id": "4", "text": "SHOP SUPPLIES", "kind": "fee", "amount": "4.95"},
          {"id": "5", "text": "NJ TIRE FEE", "kind": "tax", "amount": "1.50"},
          {"id": "6", "text": "ALIGNMENT 4WHL", "label": "Wheel alignment", "kind": "labor",
           "amount": "89.99", "status": "declined"},
          {"id": "7", "text": "TPMS SENSOR KIT", "kind": "item", "amount": "49.99", "status": "declined"},
          {"id": "8", "text": "SALES TAX", "kind": "tax", "rate": "6.625", "base": "198.44", "amount": "13.15"},
          {"id": "9", "text": "VISA XXXX1234", "kind": "payment", "amount": "-238.09"}]}
    """)
    assert face(bill) == [
        ("Michelin Pilot Sport 4 tire", "189.99"),
        ("Labor and service", "33.45"),
        ("Taxes", "14.65"),
    ]
    assert bill.total == Decimal("238.09") == sum(line.amount for line in bill.face)
    assert pairs(bill.payments) == [("Visa ending 1234", "238.09")]
    assert bill.balance_due == 0
    assert pairs(bill.declined) == [("Wheel alignment", "89.99"), ("TPMS SENSOR KIT", "49.99")]
    assert all("6" not in line.entries and "7" not in line.entries for line in bill.face)


def test_several_parts_share_one_line():
    bill = collapse_json("""
        {"kind": "repair_order", "currency": "USD", "entries": [
          {"text": "TIRE", "kind": "item", "amount": "285.98"},
          {"text": "BATTERY", "kind": "item", "amount": "169.99"},
          {"text": "CORE CHARGE", "kind": "item", "amount": "18.00"},
          {"text": "CORE RETURN", "kind": "item", "amount": "-18.00"},
          {"text": "R&R", "kind": "labor", "amount": "42.00"}]}
    """)
    assert face(bill) == [("Parts", "455.97"), ("Labor and service", "42.00")]


def test_hotel_folio_groups_by_group_and_puts_all_taxes_on_one_line():
    # DOMAIN.md 1.8, the guest's window: a void pair, a later adjustment with its own tax line.
    bill = billformat.collapse(from_csv("""
        # kind: hotel_folio
        # currency: USD
        # stated.balance: 0.00
        id,date,text,kind,debit,credit,reverses,group,status
        1,2025-03-10,DEPOSIT TRANSFER VISA 4417,payment,,100.00,,,
        2,2025-03-10,HARBOR GRILL CHK 4471,item,60.00,,,Food and drink,
        3,2025-03-10,SALES TAX 8.875%,tax,5.33,,,,
        4,2025-03-10,GRATUITY,fee,12.00,,,Tip,
        9,2025-03-11,MINIBAR,item,24.00,,,Food and drink,
        10,2025-03-11,MINIBAR VOID,item,-24.00,,9,,
        15,2025-03-12,VALET PARKING,item,65.00,,,Parking,
        16,2025-03-12,PARKING TAX,tax,11.94,,,,
        21,2025-03-13,ADJ HARBOR GRILL,item,-10.00,,2,,
        22,2025-03-13,ADJ SALES TAX,tax,-0.89,,3,,
        23,2025-03-13,VISA XXXX4417,payment,,43.38,,,
    """))
    assert face(bill) == [("Food and drink", "50.00"), ("Parking", "65.00"), ("Tip", "12.00"),
                          ("Taxes", "16.38")]
    assert bill.total == Decimal("143.38")
    assert pairs(bill.payments) == [("DEPOSIT TRANSFER VISA 4417", "100.00"), ("Visa ending 4417", "43.38")]
    assert bill.balance_due == 0
    trail = {step.entry: (step.to, step.line) for step in bill.trail}
    assert trail["9"] == trail["10"] == ("reversal", None)
    assert trail["21"] == ("face", 0) and trail["22"] == ("face", 3)


def test_phone_bill_separates_purchases_company_fees_and_government_charges():
    # DOMAIN.md 3.3
    bill = collapse_json("""
        {"kind": "phone_bill", "currency": "USD", "entries": [
          {"text": "Unlimited plan", "kind": "item", "amount": "65.00"},
          {"text": "AutoPay discount", "kind": "discount", "amount": "-10.00"},
          {"text": "Device installment 24/36", "kind": "item", "amount": "27.77"},
          {"text": "International day pass x2", "kind": "item", "amount": "24.00"},
          {"text": "Admin & telco recovery charge", "kind": "fee", "amount": "3.50"},
          {"text": "Federal USF", "kind": "tax", "amount": "7.47"},
          {"text": "State 911 fee", "kind": "tax", "amount": "0.90"},
          {"text": "Sales tax", "kind": "tax", "amount": "5.98"}]}
    """)
    assert face(bill) == [
        ("Services and equipment", "116.77"),
        ("Company fees", "3.50"),
        ("Discounts", "-10.00"),
        ("Taxes and government fees", "14.35"),
    ]
    assert bill.total == Decimal("124.62")


def test_cash_rounding_is_its_own_small_line():
    bill = collapse_json("""
        {"currency": "CHF", "locale": "de_CH", "entries": [
          {"text": "Zimmer 3 Nächte", "kind": "item", "amount": "735.00"},
          {"text": "Minibar", "kind": "item", "amount": "14.00"},
          {"text": "Kurtaxe", "kind": "tax", "amount": "15.00"},
          {"text": "Rundung", "kind": "rounding", "amount": "-0.02"}]}
    """)
    assert face(bill)[-1] == ("Rundung", "-0.02")  # de_CH words
    assert bill.total == Decimal("763.98")


def test_a_single_item_is_named_by_itself():
    bill = collapse_json('{"currency": "EUR", "entries": [{"text": "LAMP-22", "label": "Desk lamp",'
                         ' "kind": "item", "amount": "39.90"}, {"text": "VAT", "kind": "tax", "amount": "7.58"}]}')
    assert face(bill) == [("Desk lamp", "39.90"), ("Taxes", "7.58")]


def test_a_group_named_like_one_of_the_faces_own_lines_is_that_line():
    # An occupancy tax the folio files under "Taxes" joins the taxes, not a second "Taxes" line.
    bill = billformat.collapse(from_csv("""
        # kind: hotel_folio
        # currency: USD
        id,date,text,kind,debit,credit,group
        1,2025-03-10,RM CHG,item,289.00,,Room
        2,2025-03-10,RM TAX,tax,25.65,,
        3,2025-03-10,OCC TAX,tax,18.98,,TAXES
        4,2025-03-10,COUPON,discount,,5.00,Charges
        5,2025-03-10,MINIBAR,item,12.00,,
    """))
    assert face(bill) == [("Room", "289.00"), ("Charges", "7.00"), ("Taxes", "44.63")]
    assert [line.entries for line in bill.face] == [("1",), ("4", "5"), ("2", "3")]


def test_a_single_item_the_ledger_files_under_the_goods_line_keeps_that_name():
    bill = collapse_json('{"kind": "repair_order", "currency": "USD", "entries": ['
                         '{"text": "TIRE", "label": "New tire", "kind": "item", "amount": "189.99", "group": "parts"},'
                         '{"text": "TAX", "kind": "tax", "amount": "11.40"}]}')
    assert face(bill) == [("Parts", "189.99"), ("Taxes", "11.40")]


def test_named_groups_match_the_faces_lines_in_the_bills_language():
    bill = collapse_json('{"currency": "EUR", "locale": "de_DE", "entries": ['
                         '{"text": "A", "kind": "item", "amount": "10.00"},'
                         '{"text": "MwSt", "kind": "tax", "amount": "1.90"},'
                         '{"text": "Kurtaxe", "kind": "fee", "amount": "2.00", "group": "Steuern"}]}')
    assert face(bill) == [("A", "10.00"), ("Steuern", "3.90")]


def test_declined_never_counts_and_is_listed_once():
    bill = collapse_json('{"currency": "USD", "entries": [{"text": "A", "kind": "item", "amount": "10.00"},'
                         ' {"text": "Brakes", "kind": "labor", "amount": "399.90", "status": "declined"}]}')
    assert bill.total == Decimal("10.00")
    assert pairs(bill.declined) == [("Brakes", "399.90")]
    assert [step.to for step in bill.trail] == ["face", "declined"]


def test_declined_work_is_listed_once_a_job():
    # DOMAIN.md 2.3: "Recommended, not done (declined): brakes, alignment, cabin filter".
    bill = collapse_json("""
        {"kind": "repair_order", "currency": "USD", "entries": [
          {"id": "A", "text": "OIL CHANGE", "kind": "labor", "amount": "49.99"},
          {"id": "C1", "text": "FRONT PADS", "kind": "item", "amount": "64.90", "status": "declined", "group": "Front brakes"},
          {"id": "D1", "text": "4-WHEEL ALIGNMENT", "kind": "labor", "amount": "129.99", "status": "declined"},
          {"id": "C2", "text": "PADS LABOR", "kind": "labor", "amount": "210.00", "status": "declined", "group": "front brakes"},
          {"id": "C3", "text": "TAX ON BRAKES", "kind": "tax", "amount": "4.54", "status": "declined", "group": "Front brakes"}]}
    """)
    assert pairs(bill.declined) == [("Front brakes", "279.44"), ("4-WHEEL ALIGNMENT", "129.99")]
    assert bill.declined[0].entries == ("C1", "C2", "C3")
    assert [(step.entry, step.line) for step in bill.trail if step.to == "declined"] == [
        ("C1", 0), ("D1", 1), ("C2", 0), ("C3", 0)]
    assert bill.total == Decimal("49.99")


def test_a_declined_card_or_transfer_is_nothing_the_customer_said_no_to():
    bill = collapse_json("""
        {"kind": "repair_order", "currency": "USD", "entries": [
          {"id": "1", "text": "TIRE", "kind": "item", "amount": "100.00"},
          {"id": "2", "text": "VISA XXXX1234", "kind": "payment", "amount": "-100.00", "status": "declined"},
          {"id": "3", "text": "TO CITY LEDGER", "kind": "transfer", "amount": "-100.00", "status": "declined"},
          {"id": "4", "text": "CASH", "kind": "payment", "amount": "-100.00"}]}
    """)
    assert (bill.total, bill.paid, bill.balance_due) == (100, 100, 0)
    # In the bill (and its JSON) they are declined lines, like any declined entry ...
    assert [(step.to, step.line) for step in bill.trail] == [
        ("face", 0), ("declined", 0), ("declined", 1), ("payments", 0)]
    # ... but the bill's face does not list them as work turned down.
    text = billformat.render(bill, "text", trail=True)
    assert "You said no to" not in text and "not charged" not in text
    assert "VISA XXXX1234 → declined, no money moved" in text
    assert "Declined, no money moved -$200.00" in " ".join(text.split("Where every entry went")[1].split())
    assert "You said no to" not in billformat.render(bill, "html")


def test_void_entries_are_gone_from_every_figure():
    bill = collapse_json('{"currency": "USD", "entries": [{"text": "A", "kind": "item", "amount": "10.00"},'
                         ' {"text": "B", "kind": "fee", "amount": "5.00", "status": "void"}]}')
    assert face(bill) == [("A", "10.00")] and bill.declined == ()
    assert [step.to for step in bill.trail] == ["face", "void"]


def test_a_partial_reversal_nets_on_the_originals_line_even_from_another_kind():
    bill = collapse_json("""
        {"currency": "USD", "kind": "hotel_folio", "entries": [
          {"text": "RM", "kind": "item", "amount": "200.00", "group": "Room"},
          {"text": "REBATE", "kind": "discount", "amount": "-50.00", "reverses": "1"},
          {"text": "TAX", "kind": "tax", "amount": "10.00"}]}
    """)
    assert face(bill) == [("Room", "150.00"), ("Taxes", "10.00")]


def test_a_chain_of_corrections_nets_back_to_the_original():
    bill = collapse_json("""
        {"currency": "USD", "entries": [
          {"text": "A", "kind": "item", "amount": "100.00"},
          {"text": "fix", "kind": "item", "amount": "-100.00", "reverses": "1"},
          {"text": "undo fix", "kind": "item", "amount": "100.00", "reverses": "2"},
          {"text": "B", "kind": "item", "amount": "1.00"}]}
    """)
    assert face(bill) == [("Goods", "101.00")]
    assert [s.to for s in bill.trail] == ["face", "face", "face", "face"]


def test_transfers_and_a_credit_balance():
    bill = collapse_json("""
        {"kind": "hotel_folio", "currency": "USD", "entries": [
          {"text": "RM", "kind": "item", "debit": "300.00", "group": "Room"},
          {"text": "TO ACME CORP FOLIO", "kind": "transfer", "credit": "300.00"},
          {"text": "DEPOSIT", "kind": "payment", "credit": "50.00"}]}
    """)
    assert pairs(bill.transfers) == [("TO ACME CORP FOLIO", "300.00")]
    assert (bill.total, bill.paid, bill.transferred, bill.balance_due) == (
        Decimal("300.00"), Decimal("50.00"), Decimal("300.00"), Decimal("-50.00"))


def test_a_refund_reverses_part_of_a_payment():
    bill = collapse_json("""
        {"currency": "USD", "entries": [
          {"text": "A", "kind": "item", "amount": "80.00"},
          {"text": "CASH", "kind": "payment", "amount": "-100.00"},
          {"text": "CHANGE GIVEN", "kind": "payment", "amount": "20.00", "reverses": "2"}]}
    """)
    assert pairs(bill.payments) == [("CASH", "80.00")] and bill.balance_due == 0


def test_a_card_deposit_and_a_card_refund_say_what_they_were():
    # DOMAIN.md 1.8: "paid: deposit 100.00 + card 43.38", both by one Visa card.
    bill = collapse_json("""
        {"kind": "hotel_folio", "currency": "USD", "entries": [
          {"text": "Deposit transfer at check-in (Visa ****4417)", "kind": "payment", "amount": "-100.00"},
          {"text": "RM CHG", "kind": "item", "amount": "193.38"},
          {"text": "Visa ****4417 payment", "kind": "payment", "amount": "-143.38"},
          {"text": "9300A Refund Visa XXXX4417", "kind": "payment", "amount": "50.00"}]}
    """)
    assert pairs(bill.payments) == [("Visa ending 4417 (deposit)", "100.00"), ("Visa ending 4417", "143.38"),
                                    ("Visa ending 4417 (refund)", "-50.00")]
    assert bill.balance_due == 0
    german = billformat.collapse(bill.ledger, locale="de_DE")
    assert pairs(german.payments)[0] == ("Visa mit Endziffern 4417 (Anzahlung)", "100.00")


def test_face_order_is_natural_whatever_the_ledger_order():
    bill = collapse_json("""
        {"currency": "USD", "entries": [
          {"text": "round", "kind": "rounding", "amount": "0.01"},
          {"text": "tax", "kind": "tax", "amount": "1.00"},
          {"text": "coupon", "kind": "discount", "amount": "-2.00"},
          {"text": "fee", "kind": "fee", "amount": "3.00"},
          {"text": "work", "kind": "labor", "amount": "4.00"},
          {"text": "thing", "kind": "item", "amount": "5.00"}]}
    """)
    assert [line.key for line in bill.face] == ["goods", "labor", "fees", "discounts", "taxes", "rounding"]


def test_labels_are_in_the_ledgers_language_where_a_translation_exists():
    bill = collapse_json('{"currency": "EUR", "locale": "de_DE", "kind": "repair_order", "entries": ['
                         '{"text": "A", "kind": "item", "amount": "1.00"}, {"text": "B", "kind": "item", "amount": "1.00"},'
                         '{"text": "MwSt", "kind": "tax", "amount": "0.38"}]}')
    assert bill.locale == "de_DE"
    assert face(bill) == [("Teile", "2.00"), ("Steuern", "0.38")]
    english = billformat.collapse(bill.ledger, locale="en_GB")
    assert face(english) == [("Parts", "2.00"), ("Taxes", "0.38")]


def test_a_statement_has_balances_register_by_date_and_checks_by_number():
    # DOMAIN.md 4.4
    bill = billformat.collapse(from_csv("""
        # kind: bank_statement
        # currency: USD
        # stated.opening_balance: 1250.00
        # stated.closing_balance: 1157.97
        date,text,kind,amount,number
        2026-03-03,chk 1044,check,-85.00,1044
        2026-03-03,POS GROCERY,withdrawal,-62.37,
        2026-03-04,chk 1041,check,-400.00,1041
        2026-03-05,PAYROLL,deposit,1875.42,
        2026-03-06,chk 1042,check,-129.99,1042
        2026-03-10,chk 1046,check,-18.50,1046
        2026-03-11,SERVICE FEE,fee,-12.00,
        2026-03-12,chk 1045,check,-1200.00,1045
        2026-03-14,ATM,withdrawal,-60.00,
        2026-03-17,INTEREST,interest,0.41,
    """))
    assert (bill.opening_balance, bill.money_in, bill.money_out, bill.closing_balance) == (
        Decimal("1250.00"), Decimal("1875.83"), Decimal("1967.86"), Decimal("1157.97"))
    assert [str(m.balance) for m in bill.movements][:4] == ["1165.00", "1102.63", "702.63", "2578.05"]
    assert [c.number for c in bill.checks] == ["1041", "1042", "1044", "1045", "1046"]
    assert bill.missing_checks == ("1043",)
    assert min(m.balance for m in bill.movements) > 0  # never the -645.86 the account never had


def test_a_statement_register_is_in_date_order_whatever_the_source_order():
    bill = billformat.collapse(from_json("""
        {"kind": "bank_statement", "currency": "USD", "stated": {"opening_balance": "10.00"},
         "entries": [{"date": "2026-03-05", "text": "late", "kind": "withdrawal", "amount": "-5.00"},
                     {"date": "2026-03-01", "text": "early", "kind": "deposit", "amount": "20.00"}]}
    """))
    assert [(m.label, str(m.balance)) for m in bill.movements] == [("early", "30.00"), ("late", "25.00")]


def test_a_check_the_ledger_records_as_void_is_no_gap():
    # DOMAIN.md 4.3: a voided check leaves a gap in the cleared checks, but it was written.
    bill = billformat.collapse(from_csv("""
        # kind: bank_statement
        # currency: USD
        date,text,kind,amount,number,status
        2026-03-03,chk 1041,check,-40.00,1041,
        2026-03-04,CHECK 1042 VOIDED,check,-50.00,1042,void
        2026-03-05,chk 1043,check,-10.00,1043,
        2026-03-06,chk 1045,check,-10.00,1045,
    """))
    assert [c.number for c in bill.checks] == ["1041", "1043", "1045"]
    assert bill.missing_checks == ("1044",)
    assert bill.closing_balance == Decimal("-60.00")


def test_a_deposit_slip_number_is_no_check():
    # Bank exports put check and deposit slip numbers in one column ("Check or Slip #").
    bill = billformat.collapse(from_csv("""
        # kind: bank_statement
        # currency: USD
        date,text,kind,amount,number
        2026-11-01,DEPOSIT,deposit,100.00,1045
        2026-11-02,CHECK 1041,check,-10.00,1041
        2026-11-03,CHECK PAID,withdrawal,-20.00,1042
        2026-11-04,CHECK 1043,check,-30.00,1043
    """))
    assert [c.number for c in bill.checks] == ["1041", "1042", "1043"]
    assert bill.missing_checks == ()


def test_a_large_gap_between_checks_is_another_checkbook_not_a_missing_run():
    from billformat.collapse import missing_checks

    assert missing_checks(["101", "103", "5001", "5002"]) == ["102"]
    assert missing_checks(["0998", "1001"]) == ["0999", "1000"]


def test_the_trail_collapse_builds_equals_a_validated_one():
    from billformat.bill import TrailStep

    bill = billformat.collapse(from_json("""
        {"currency": "USD", "entries": [
          {"id": "a", "text": "Tire", "kind": "item", "amount": "100.00"},
          {"id": "b", "text": "Wiper", "kind": "item", "amount": "10.00", "status": "declined"},
          {"id": "c", "text": "Belt", "kind": "item", "amount": "5.00", "status": "void"},
          {"id": "d", "text": "Belt", "kind": "item", "amount": "-40.00", "reverses": "a"},
          {"id": "e", "text": "Cash", "kind": "payment", "amount": "-60.00"}]}
    """))
    made = [TrailStep.model_validate(step.model_dump(exclude_unset=True)) for step in bill.trail]
    assert list(bill.trail) == made
    assert [step.model_fields_set for step in bill.trail] == [step.model_fields_set for step in made]
    assert [(step.entry, step.to, step.line) for step in bill.trail] == [
        ("a", "face", 0), ("b", "declined", 0), ("c", "void", None), ("d", "face", 0), ("e", "payments", 0)]
    assert face(bill) == [("Tire", "60.00")] and pairs(bill.payments) == [("Cash", "60.00")]
