"""Password hashing (argon2) and signed access tokens (JWT, HS256)."""

from __future__ import annotations

import asyncio
import hmac
import weakref
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

import anyio
import anyio.to_thread
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

# Each argon2 run takes ~64 MiB and a core for tens of milliseconds: at most this many run at
# once (in threads, so the event loop that serves deliveries, SLA timers and live updates never
# waits on one), and a login flood queues instead of exhausting memory.
HASHING_THREADS = 2
_limiters: weakref.WeakKeyDictionary[asyncio.AbstractEventLoop, anyio.CapacityLimiter] = (
    weakref.WeakKeyDictionary()
)


def _limiter() -> anyio.CapacityLimiter:
    loop = asyncio.get_running_loop()
    limiter = _limiters.get(loop)
    if limiter is None:
        limiter = _limiters[loop] = anyio.CapacityLimiter(HASHING_THREADS)
    return limiter


async def hash_password_off_loop(password: str) -> str:
    """`hash_password` in a worker thread."""
    return await anyio.to_thread.run_sync(hash_password, password, limiter=_limiter())


async def verify_password_off_loop(password_hash: str, password: str) -> bool:
    """`verify_password` in a worker thread."""
    return await anyio.to_thread.run_sync(
        verify_password, password_hash, password, limiter=_limiter()
    )


@dataclass(frozen=True)
class TokenClaims:
    """Who a token was issued to."""

    staff_id: int
    role: str
    # The staff member's token version when it was issued (see Staff.token_version).
    version: int
    expires_at: datetime


def _require_secret(secret: str) -> None:
    if not secret:
        raise InboxError(
            "The inbox has no INBOX_JWT_SECRET set, so nobody can log in; set it (32+ characters).",
            503,
        )


def issue_token(
    secret: str, staff_id: int, role: str, now: datetime, minutes: int, version: int = 0
) -> str:
    """A signed access token for a staff member, valid while their token version stays."""
    _require_secret(secret)
    payload = {
        "sub": str(staff_id),
        "role": role,
        "ver": version,
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
        return TokenClaims(
            int(payload["sub"]),
            str(payload["role"]),
            int(payload.get("ver", 0)),
            datetime.fromtimestamp(int(payload["exp"]), UTC),
        )
    except (jwt.PyJWTError, KeyError, ValueError) as exc:
        raise NotAuthenticated(
            "Your session has expired or the token is invalid; log in again."
        ) from exc


def same_secret(given: str, expected: str) -> bool:
    """Constant-time comparison; an unset expected secret never matches."""
    return bool(expected) and hmac.compare_digest(given.encode(), expected.encode())
