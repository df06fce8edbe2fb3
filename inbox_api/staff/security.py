"""Password hashing (argon2) and signed access tokens (JWT, HS256)."""

from __future__ import annotations

import hmac
from dataclasses import dataclass
from datetime import datetime, timedelta

import jwt
from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

from inbox_api.errors import InboxError, NotAuthenticated

_hasher = PasswordHasher()
ALGORITHM = "HS256"


def hash_password(password: str) -> str:
    """An argon2id hash of the password."""
    return _hasher.hash(password)


def verify_password(password_hash: str, password: str) -> bool:
    """Whether the password matches the stored hash."""
    try:
        return _hasher.verify(password_hash, password)
    except (VerificationError, InvalidHashError):
        return False


# Verified against when the e-mail is unknown, so both cases take the same time.
DUMMY_HASH = hash_password("not-a-real-password")


@dataclass(frozen=True)
class TokenClaims:
    """Who a token was issued to."""

    staff_id: int
    role: str


def _require_secret(secret: str) -> None:
    if not secret:
        raise InboxError(
            "The inbox has no INBOX_JWT_SECRET set, so nobody can log in; set it (32+ characters).",
            503,
        )


def issue_token(secret: str, staff_id: int, role: str, now: datetime, minutes: int) -> str:
    """A signed access token for a staff member."""
    _require_secret(secret)
    payload = {
        "sub": str(staff_id),
        "role": role,
        "iat": now,
        "exp": now + timedelta(minutes=minutes),
    }
    return jwt.encode(payload, secret, algorithm=ALGORITHM)


def read_token(secret: str, token: str) -> TokenClaims:
    """The claims of a valid token; NotAuthenticated for anything else."""
    _require_secret(secret)
    try:
        payload = jwt.decode(
            token, secret, algorithms=[ALGORITHM], options={"require": ["exp", "sub"]}
        )
        return TokenClaims(int(payload["sub"]), str(payload["role"]))
    except (jwt.PyJWTError, KeyError, ValueError) as exc:
        raise NotAuthenticated(
            "Your session has expired or the token is invalid; log in again."
        ) from exc


def same_secret(given: str, expected: str) -> bool:
    """Constant-time comparison; an unset expected secret never matches."""
    return bool(expected) and hmac.compare_digest(given.encode(), expected.encode())
