"""The inbox's signature on a delivery verifies only for exactly what it signed."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from kit.delivery_signature import is_signed_delivery, sign_delivery

SECRET = "s3cret"
FIELDS = ("EXTERNAL_agent_message", "conv-1", "17", "Uw retour is binnen")


def test_a_signature_verifies_for_its_own_fields() -> None:
    assert is_signed_delivery(SECRET, *FIELDS, sign_delivery(SECRET, *FIELDS))


@pytest.mark.parametrize("index", range(4))
def test_changing_any_field_breaks_it(index: int) -> None:
    signature = sign_delivery(SECRET, *FIELDS)
    changed = list(FIELDS)
    changed[index] += "x"
    assert not is_signed_delivery(SECRET, *changed, signature)
    assert not is_signed_delivery("other", *FIELDS, signature)


@pytest.mark.parametrize(
    "signature", [None, "", "00", 17, "é" * 64, sign_delivery(SECRET, *FIELDS).upper()]
)
def test_forged_or_malformed_signatures_are_refused(signature: object) -> None:
    assert not is_signed_delivery(SECRET, *FIELDS, signature)


def test_an_empty_secret_never_signs_nor_verifies() -> None:
    with pytest.raises(ValueError, match="empty"):
        sign_delivery("", *FIELDS)
    assert not is_signed_delivery("", *FIELDS, sign_delivery(SECRET, *FIELDS))


@pytest.mark.parametrize(("delivery_id", "text"), [(17, FIELDS[3]), ("", FIELDS[3]), ("17", None)])
def test_missing_or_mistyped_fields_are_refused(delivery_id: object, text: object) -> None:
    signature = sign_delivery(SECRET, *FIELDS)
    assert not is_signed_delivery(SECRET, FIELDS[0], FIELDS[1], delivery_id, text, signature)


@given(a=st.text(), b=st.text(min_size=1))
def test_fields_cannot_be_shifted_into_each_other(a: str, b: str) -> None:
    """Moving characters from the text into the delivery id changes the signature."""
    intent, conversation = FIELDS[0], FIELDS[1]
    assert sign_delivery(SECRET, intent, conversation, a, b) != sign_delivery(
        SECRET, intent, conversation, a + b, ""
    )
