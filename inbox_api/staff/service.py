"""Staff accounts: creation (idempotent) and login."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from inbox_api.errors import InboxError, NotAuthenticated
from inbox_api.staff.models import ROLES, Staff
from inbox_api.staff.security import DUMMY_HASH, hash_password, issue_token, verify_password

LANGUAGES = ("nl", "en")


async def upsert_staff(
    session: AsyncSession,
    *,
    email: str,
    name: str,
    role: str,
    languages: Sequence[str],
    password: str,
) -> tuple[Staff, bool]:
    """Create the staff member, or update the one with that e-mail; True when created."""
    if role not in ROLES:
        raise InboxError(f"Unknown role {role!r}; use one of {', '.join(ROLES)}.", 422)
    unknown = [lang for lang in languages if lang not in LANGUAGES]
    if unknown:
        raise InboxError(f"Unknown language {unknown[0]!r}; use nl and/or en.", 422)
    if len(password) < 8:
        raise InboxError("The password must have at least 8 characters.", 422)
    email = email.strip().lower()
    staff = await session.scalar(select(Staff).where(Staff.email == email))
    created = staff is None
    if staff is None:
        staff = Staff(email=email)
        session.add(staff)
    staff.name = name
    staff.role = role
    staff.languages = list(dict.fromkeys(languages))
    staff.password_hash = hash_password(password)
    staff.active = True
    await session.flush()
    return staff, created


async def login(
    session: AsyncSession, *, email: str, password: str, secret: str, now: datetime, minutes: int
) -> tuple[Staff, str]:
    """Check the credentials and issue a token; one answer for unknown e-mail and bad password."""
    staff = await session.scalar(select(Staff).where(Staff.email == email.strip().lower()))
    if staff is None or not staff.active:
        verify_password(DUMMY_HASH, password)
        raise NotAuthenticated("Unknown e-mail address or wrong password.")
    if not verify_password(staff.password_hash, password):
        raise NotAuthenticated("Unknown e-mail address or wrong password.")
    return staff, issue_token(secret, staff.id, staff.role, now, minutes)


async def speakers_of(session: AsyncSession, language: str) -> int:
    """How many active agents speak a language."""
    rows = await session.scalars(select(Staff).where(Staff.active.is_(True), Staff.role == "agent"))
    return sum(1 for s in rows if language in (s.languages or []))
