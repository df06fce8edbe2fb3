"""The declarative base of every inbox table (engine, sessions and UTC type live in `kit`)."""

from __future__ import annotations

from sqlalchemy.orm import DeclarativeBase

from kit.orm import named_metadata


class Base(DeclarativeBase):
    """Base of every inbox table."""

    metadata = named_metadata()
