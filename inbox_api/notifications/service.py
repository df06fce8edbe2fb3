"""Notifications: created from note mentions, listed and marked read by their owner."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from sqlalchemy import func, select, update
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import joinedload

from inbox_api.errors import NotFound
from inbox_api.notifications.mentions import Mentionable, mentionable, mentioned_ids
from inbox_api.notifications.models import Notification
from inbox_api.runtime import Runtime, after_commit
from inbox_api.staff.models import Staff
from inbox_api.tickets.models import Message

TICKET_ROLES = ("agent", "admin")


async def colleagues(session: AsyncSession) -> list[Mentionable]:
    """Every active agent and admin, as they can be @mentioned."""
    rows = await session.execute(
        select(Staff.id, Staff.name, Staff.email)
        .where(Staff.active, Staff.role.in_(TICKET_ROLES))
        .order_by(Staff.name, Staff.id)
    )
    return mentionable((r.id, r.name, r.email) for r in rows)


async def notify_mentions(
    session: AsyncSession, runtime: Runtime, note: Message, author: Staff, now: datetime
) -> list[int]:
    """Notify each colleague the note @mentions (never its author); returns their ids."""
    if "@" not in note.text:
        return []
    ids = [i for i in mentioned_ids(note.text, await colleagues(session)) if i != author.id]
    for staff_id in ids:
        session.add(
            Notification(
                staff_id=staff_id,
                kind="mention",
                ticket_id=note.ticket_id,
                message_id=note.id,
                by_id=author.id,
                created_at=now,
            )
        )
    if ids:
        await session.flush()

        async def send() -> None:
            for staff_id in ids:
                await runtime.broadcaster.publish(
                    {
                        "type": "notification.created",
                        # Delivered only to this staff member's live streams.
                        "for_staff_id": staff_id,
                        "ticket_id": note.ticket_id,
                    }
                )

        after_commit(session, send)
    return ids


async def list_for(
    session: AsyncSession, staff_id: int, limit: int
) -> tuple[Sequence[tuple[Notification, str]], int]:
    """A staff member's notifications (newest first, with the note's text) and unread count."""
    rows = (
        await session.execute(
            select(Notification, Message.text)
            .join(Message, Message.id == Notification.message_id)
            .where(Notification.staff_id == staff_id)
            .options(joinedload(Notification.by))
            .order_by(Notification.id.desc())
            .limit(limit)
        )
    ).all()
    unread = await session.scalar(
        select(func.count()).where(
            Notification.staff_id == staff_id, Notification.read_at.is_(None)
        )
    )
    return [(row[0], row[1]) for row in rows], int(unread or 0)


async def mark_read(
    session: AsyncSession, staff_id: int, notification_id: int | None, now: datetime
) -> None:
    """Mark one of the staff member's notifications read (or all when the id is None)."""
    stmt = update(Notification).where(
        Notification.staff_id == staff_id, Notification.read_at.is_(None)
    )
    if notification_id is not None:
        owned = await session.scalar(
            select(Notification.id).where(
                Notification.id == notification_id, Notification.staff_id == staff_id
            )
        )
        if owned is None:
            raise NotFound(f"There is no notification {notification_id} for you.")
        stmt = stmt.where(Notification.id == notification_id)
    await session.execute(stmt.values(read_at=now).execution_options(synchronize_session=False))
