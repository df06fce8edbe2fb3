"""Masking personal data in customer text: what must go, and what must stay readable."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from kit.personal_data import find_personal_data, mask, mask_value


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # e-mail addresses
        ("mijn mail is sanne.devries@example.nl", "mijn mail is [email]"),
        ("Mail me at Tom.Bakker+shop@mail.example.co.uk please", "Mail me at [email] please"),
        ("e-mail: j.de_vries@gmail.com.", "e-mail: [email]."),
        # phone numbers, Dutch, Belgian, British
        ("bel me op 06-12345678", "bel me op [phone]"),
        ("Bel 06 1234 5678 na vijven", "Bel [phone] na vijven"),
        ("mijn nummer: +31 6 12345678", "mijn nummer: [phone]"),
        ("+31 (0)6 12 34 56 78 graag terugbellen", "[phone] graag terugbellen"),
        ("vast nummer (020) 123 4567", "vast nummer [phone]"),
        ("0031612345678", "[phone]"),
        ("gsm 0470/12.34.56", "gsm [phone]"),
        ("Belgisch: +32 470 12 34 56", "Belgisch: [phone]"),
        ("call me on 07700 900123", "call me on [phone]"),
        ("+44 20 7946 0958 is my office", "[phone] is my office"),
        ("0612345678 of 0687654321", "[phone] of [phone]"),
        # IBANs (checksum-valid only)
        ("stort het op NL91ABNA0417164300 graag", "stort het op [iban] graag"),
        ("IBAN NL91 ABNA 0417 1643 00.", "IBAN [iban]."),
        ("refund to BE68 5390 0754 7034 please", "refund to [iban] please"),
        ("mijn rekening nl91abna0417164300", "mijn rekening [iban]"),
        # postcodes
        ("postcode 1012 AB", "postcode [postcode]"),
        ("ik woon op 3511KJ", "ik woon op [postcode]"),
        ("adres: Kerkstraat 1, 1012ab Amsterdam", "adres: Kerkstraat 1, [postcode] Amsterdam"),
        ("mijn postcode is 2000", "mijn postcode is [postcode]"),
        ("B-9000 Gent", "[postcode] Gent"),
        ("zip code: 3500", "zip code: [postcode]"),
        ("postcode 3011 ad", "postcode [postcode]"),
        # the brand's order, return and event numbers
        ("waar blijft bestelling 100234?", "waar blijft bestelling [order]?"),
        ("order #100512 is late", "order #[order] is late"),
        ("retour R100419-1 is binnen?", "retour [order] is binnen?"),
        ("bevestiging EV-7KQ2MX", "bevestiging [order]"),
        # tracking codes
        ("track & trace 3SLDC100234NL", "track & trace [tracking]"),
        ("DHL JVGL0612345678901234 komt niet", "DHL [tracking] komt niet"),
        ("UPS 1Z999AA10123456784", "UPS [tracking]"),
        ("registered mail RR123456785NL", "registered mail [tracking]"),
        # several at once
        (
            "Bestelling 100234, postcode 1012 AB, mail sanne@example.nl, tel 0612345678",
            "Bestelling [order], postcode [postcode], mail [email], tel [phone]",
        ),
    ],
)
def test_personal_data_is_masked(text: str, expected: str) -> None:
    assert mask(text) == expected


@pytest.mark.parametrize(
    "text",
    [
        # prices
        "Wat kost de Lina wikkeljurk? € 79,95 toch?",
        "is it €1.299,00 or EUR 129.95",
        "79,95 euro is te duur",
        "de jas kost 1500 euro",
        # sizes and quantities
        "heb je hem in maat 38 of 40?",
        "size 10 in navy, 2 pieces",
        "maat XL, 1000 ml fles, 2000 en 3000 stuks",
        "1500 in totaal",
        # dates, times, years
        "ik heb op 12-03-2025 besteld",
        "delivered on 2025-03-12 at 14:30",
        "kom je op 01/02/2025 10:00 naar de opening?",
        "in 2025 ga ik weer",
        "om 9.30 uur open",
        # ordinary words and codes that are not personal
        "LC-DR-LINA in navy",
        "Kan ik retourneren binnen 30 dagen?",
        "de jurk kost 49.95 en de riem 19.95",
        "ik heb 3 bestellingen gedaan",
        "Pagina 12345 bestaat niet",
        "my-email-at-home",
        "NL91ABNA0417164301 is geen geldig nummer",
        "2 x 38 en 1 x 40",
        "what is 100 + 200?",
        "bestelling van 15 maart",
    ],
)
def test_ordinary_text_stays_readable(text: str) -> None:
    assert mask(text) == text, find_personal_data(text)


def test_findings_name_kind_and_place() -> None:
    text = "order 100234 for anna@example.nl"
    found = find_personal_data(text)
    assert [(f.kind, f.value) for f in found] == [
        ("order_number", "100234"),
        ("email", "anna@example.nl"),
    ]
    assert all(text[f.start : f.end] == f.value for f in found)


def test_json_values_are_masked_throughout() -> None:
    packet = {
        "transcript": [{"role": "customer", "text": "mijn postcode is 1012 AB"}],
        "entities": [{"entity": "email", "value": "anna@example.nl"}, {"entity": "n", "value": 3}],
    }
    assert mask_value(packet) == {
        "transcript": [{"role": "customer", "text": "mijn postcode is [postcode]"}],
        "entities": [{"entity": "email", "value": "[email]"}, {"entity": "n", "value": 3}],
    }


@given(st.text(max_size=200))
def test_masking_never_fails_and_is_stable(text: str) -> None:
    once = mask(text)
    assert mask(once) == once
    # Nothing found in the masked text overlaps what was left of the original.
    assert not find_personal_data(once)
