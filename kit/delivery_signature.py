"""Proof that an agent reply or hand-back comes from the inbox (docs/contracts.md).

The inbox signs each delivery it sends through Rasa's trigger_intent; the action server
relays or hands back only what carries a valid signature. Both sides share one secret
(DELIVERY_SIGNING_SECRET) and this one definition of what is signed.
"""

from __future__ import annotations

import hashlib
import hmac
import json

# Bump when the signed fields change: old signatures then fail instead of meaning something else.
_VERSION = "linde-delivery-v1"


def sign_delivery(
    secret: str, intent: str, conversation_id: str, delivery_id: str, text: str
) -> str:
    """HMAC-SHA256 (hex) over the intent, conversation, delivery id and text."""
    if not secret:
        raise ValueError("the delivery signing secret is empty")
    # A JSON array keeps the fields apart whatever characters they contain.
    message = json.dumps(
        [_VERSION, intent, conversation_id, delivery_id, text],
        ensure_ascii=False,
        separators=(",", ":"),
    )
    return hmac.new(secret.encode(), message.encode(), hashlib.sha256).hexdigest()


def is_signed_delivery(
    secret: str,
    intent: str,
    conversation_id: str,
    delivery_id: object,
    text: object,
    signature: object,
) -> bool:
    """Whether `signature` is the inbox's for exactly these fields (never with an empty secret)."""
    if not secret or not isinstance(signature, str) or not isinstance(text, str):
        return False
    if not isinstance(delivery_id, str) or not delivery_id:
        return False
    expected = sign_delivery(secret, intent, conversation_id, delivery_id, text)
    # Bytes: compare_digest refuses str with non-ASCII characters, and a forger may send any.
    return hmac.compare_digest(expected.encode(), signature.encode())
