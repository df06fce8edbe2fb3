"""Meta's webhook signature: `X-Hub-Signature-256: sha256=<hex HMAC-SHA256 of the raw body>`."""

from __future__ import annotations

import hashlib
import hmac
from typing import Optional

HEADER = "X-Hub-Signature-256"
_PREFIX = "sha256="


def sign(app_secret: str, body: bytes) -> str:
    """The header value Meta sends for this body (also used by the fake Graph API)."""
    digest = hmac.new(app_secret.encode("utf-8"), body, hashlib.sha256).hexdigest()
    return _PREFIX + digest


def signature_is_valid(app_secret: str, body: bytes, header: Optional[str]) -> bool:
    """True only for a SHA-256 signature of exactly this body with this secret."""
    if not app_secret or not header or not header.startswith(_PREFIX):
        return False
    # compare_digest on ASCII bytes: constant time, and no exception on odd characters.
    expected = sign(app_secret, body).encode("ascii")
    try:
        given = header.strip().lower().encode("ascii")
    except UnicodeEncodeError:
        return False
    return hmac.compare_digest(expected, given)
