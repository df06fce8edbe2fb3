"""Staff accounts: creation (idempotent), login, password changes and switching accounts off."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from inbox_api.errors import InboxError, NotAuthenticated
from inbox_api.staff.models import ROLES, Staff
from inbox_api.staff.security import (
    DUMMY_HASH,
    TokenClaims,
    hash_password_off_loop,
    issue_token,
    verify_password_off_loop,
)

LANGUAGES = ("nl", "en")
MIN_PASSWORD = 8


def _check_password(password: str) -> None:
    if len(password) < MIN_PASSWORD:
        raise InboxError(f"The password must have at least {MIN_PASSWORD} characters.", 422)


def revoke_tokens(staff: Staff) -> None:
    """End every token issued to this staff member so far (they must log in again)."""
    staff.token_version = (staff.token_version or 0) + 1


def staff_for_token(claims: TokenClaims, staff: Staff | None) -> Staff:
    """The staff member a valid token names, refusing switched-off accounts and revoked tokens.

    Whoever caches staff rows between requests must re-check with the cached `active` and
    `token_version`, and drop the entry when a `staff.revoked` event arrives.
    """
    if staff is None or not staff.active:
        raise NotAuthenticated("This account no longer exists or was switched off.")
    if staff.token_version != claims.version:
        raise NotAuthenticated("This session was ended (a new password or role); log in again.")
    return staff


async def upsert_staff(
    session: AsyncSession,
    *,
    email: str,
    name: str,
    role: str,
    languages: Sequence[str],
    password: str,
) -> tuple[Staff, bool]:
    """Create the staff member, or update the one with that e-mail; True when created.

    A new password, a new role or re-activating an account ends the tokens issued before.
    """
    if role not in ROLES:
        raise InboxError(f"Unknown role {role!r}; use one of {', '.join(ROLES)}.", 422)
    unknown = [lang for lang in languages if lang not in LANGUAGES]
    if unknown:
        raise InboxError(f"Unknown language {unknown[0]!r}; use nl and/or en.", 422)
    _check_password(password)
    email = email.strip().lower()
    staff = await session.scalar(select(Staff).where(Staff.email == email))
    created = staff is None
    if staff is None:
        staff = Staff(email=email, token_version=0)
        session.add(staff)
        staff.password_hash = await hash_password_off_loop(password)
    else:
        same_password = await verify_password_off_loop(staff.password_hash, password)
        if not same_password or staff.role != role or not staff.active:
            revoke_tokens(staff)
        if not same_password:
            staff.password_hash = await hash_password_off_loop(password)
    staff.name = name
    staff.role = role
    staff.languages = list(dict.fromkeys(languages))
    staff.active = True
    await session.flush()
    return staff, created


async def login(
    session: AsyncSession, *, email: str, password: str, secret: str, now: datetime, minutes: int
) -> tuple[Staff, str]:
    """Check the credentials and issue a token; one answer for unknown e-mail and bad password."""
    staff = await session.scalar(select(Staff).where(Staff.email == email.strip().lower()))
    if staff is None or not staff.active:
        await verify_password_off_loop(DUMMY_HASH, password)
        raise NotAuthenticated("Unknown e-mail address or wrong password.")
    if not await verify_password_off_loop(staff.password_hash, password):
        raise NotAuthenticated("Unknown e-mail address or wrong password.")
    token = issue_token(secret, staff.id, staff.role, now, minutes, staff.token_version)
    return staff, token


async def change_password(session: AsyncSession, staff: Staff, *, current: str, new: str) -> None:
    """Set a new password after checking the current one; every older token stops working."""
    if not await verify_password_off_loop(staff.password_hash, current):
        raise InboxError("The current password is not right.", 422)
    _check_password(new)
    staff.password_hash = await hash_password_off_loop(new)
    revoke_tokens(staff)
    await session.flush()


async def set_active(session: AsyncSession, staff: Staff, active: bool) -> None:
    """Switch an account off (its tokens end at once) or on again."""
    if staff.active != active:
        staff.active = active
        revoke_tokens(staff)
        await session.flush()


async def speakers_of(session: AsyncSession, language: str) -> int:
    """How many active agents speak a language."""
    rows = await session.scalars(select(Staff).where(Staff.active.is_(True), Staff.role == "agent"))
    return sum(1 for s in rows if language in (s.languages or []))
