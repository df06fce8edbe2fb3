"""The staff table."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import JSON, String
from sqlalchemy.orm import Mapped, mapped_column

from inbox_api.db import Base
from kit.clock import utc_now
from kit.orm import UtcDateTime

ROLES = ("agent", "trainer", "admin")


class Staff(Base):
    """A person who works the inbox (agent), reviews training data (trainer) or runs it (admin)."""

    __tablename__ = "staff"

    id: Mapped[int] = mapped_column(primary_key=True)
    email: Mapped[str] = mapped_column(String(254), unique=True)
    name: Mapped[str] = mapped_column(String(200))
    role: Mapped[str] = mapped_column(String(20))
    languages: Mapped[list[str]] = mapped_column(JSON, default=list)
    password_hash: Mapped[str] = mapped_column(String(255))
    active: Mapped[bool] = mapped_column(default=True)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utc_now)
    # Raised when the password or role changes or the account is switched off: every token
    # carries the version it was issued under, and older tokens stop working.
    token_version: Mapped[int] = mapped_column(default=0, server_default="0")


class LoginFailure(Base):
    """One failed login, kept for the throttling window (shared by every inbox worker)."""

    __tablename__ = "login_failures"

    id: Mapped[int] = mapped_column(primary_key=True)
    # A hash of the account's e-mail or of the client address (never the plain value).
    key: Mapped[str] = mapped_column(String(80), index=True)
    failed_at: Mapped[datetime] = mapped_column(UtcDateTime, index=True)
