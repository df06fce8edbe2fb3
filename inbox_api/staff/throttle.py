"""Login throttling per account and per client address, shared by every inbox worker.

Failed logins are counted in a sliding window, in Redis when it is configured (one sorted set
per key) and otherwise in the database (`login_failures`), never in process memory: with several
inbox workers or after a restart, every worker sees the same count. A throttled attempt is
refused before any password is hashed, so a flood costs no argon2 time. Keys are hashes of the
e-mail address and the client address, and an unknown e-mail is counted like a known one, so
the answers never tell whether an account exists.
"""

from __future__ import annotations

import hashlib
import math
import secrets
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Protocol

from redis.asyncio import Redis
from sqlalchemy import delete, insert, select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from inbox_api.staff.models import LoginFailure


@dataclass(frozen=True)
class ThrottleLimits:
    """How many failures each key may have within the window."""

    per_account: int
    per_address: int
    window: timedelta


def account_key(email: str) -> str:
    """The throttling key of an e-mail address (a hash: the store never holds the address)."""
    return "account:" + hashlib.sha256(email.strip().lower().encode()).hexdigest()[:40]


def address_key(address: str) -> str:
    """The throttling key of a client address."""
    return "address:" + hashlib.sha256(address.encode()).hexdigest()[:40]


class FailureLog(Protocol):
    """Where failed logins are kept for the window."""

    async def failures_since(self, key: str, since: datetime) -> list[datetime]:
        """The failure times of `key` after `since`, oldest first."""
        ...

    async def record(self, keys: Sequence[str], at: datetime, window: timedelta) -> None:
        """Add one failure at `at` for each key (and drop what left the window)."""
        ...

    async def forget(self, key: str) -> None:
        """Drop every failure of `key`."""
        ...


class DatabaseFailureLog:
    """Failures as rows, committed on their own (the failed login's request rolls back)."""

    def __init__(self, sessions: async_sessionmaker[AsyncSession]) -> None:
        self._sessions = sessions

    async def failures_since(self, key: str, since: datetime) -> list[datetime]:
        """The failure times of `key` after `since`, oldest first."""
        async with self._sessions() as session:
            rows = await session.scalars(
                select(LoginFailure.failed_at)
                .where(LoginFailure.key == key, LoginFailure.failed_at > since)
                .order_by(LoginFailure.failed_at)
            )
            return list(rows)

    async def record(self, keys: Sequence[str], at: datetime, window: timedelta) -> None:
        """Add one failure at `at` for each key (and drop what left the window)."""
        async with self._sessions() as session, session.begin():
            await session.execute(delete(LoginFailure).where(LoginFailure.failed_at <= at - window))
            await session.execute(insert(LoginFailure), [{"key": k, "failed_at": at} for k in keys])

    async def forget(self, key: str) -> None:
        """Drop every failure of `key`."""
        async with self._sessions() as session, session.begin():
            await session.execute(delete(LoginFailure).where(LoginFailure.key == key))


class RedisFailureLog:
    """Failures as members of one sorted set per key, scored by time; each set expires."""

    def __init__(self, redis: Redis, prefix: str) -> None:
        self._redis = redis
        self._prefix = prefix

    def _name(self, key: str) -> str:
        return f"{self._prefix}:{key}"

    async def failures_since(self, key: str, since: datetime) -> list[datetime]:
        """The failure times of `key` after `since`, oldest first."""
        scored = await self._redis.zrangebyscore(
            self._name(key), f"({since.timestamp()}", "+inf", withscores=True
        )
        return [datetime.fromtimestamp(float(entry[1]), UTC) for entry in scored]

    async def record(self, keys: Sequence[str], at: datetime, window: timedelta) -> None:
        """Add one failure at `at` for each key (and drop what left the window)."""
        async with self._redis.pipeline(transaction=True) as pipe:
            for key in keys:
                name = self._name(key)
                pipe.zadd(name, {secrets.token_hex(8): at.timestamp()})
                pipe.zremrangebyscore(name, "-inf", (at - window).timestamp())
                pipe.expire(name, math.ceil(window.total_seconds()))
            await pipe.execute()

    async def forget(self, key: str) -> None:
        """Drop every failure of `key`."""
        await self._redis.delete(self._name(key))


class LoginThrottle:
    """Decides whether a login attempt may be tried, and remembers the failures."""

    def __init__(self, log: FailureLog, limits: ThrottleLimits) -> None:
        self._log = log
        self._limits = limits

    async def retry_after(self, email: str, address: str, now: datetime) -> int | None:
        """Seconds until this account and address may try again; None when they may now."""
        window = self._limits.window
        waits = []
        for key, limit in (
            (account_key(email), self._limits.per_account),
            (address_key(address), self._limits.per_address),
        ):
            failures = await self._log.failures_since(key, now - window)
            if len(failures) >= limit:
                # Free again once enough of the failures have left the window.
                freed_at = failures[len(failures) - limit] + window
                waits.append(max(1, math.ceil((freed_at - now).total_seconds())))
        return max(waits) if waits else None

    async def failed(self, email: str, address: str, now: datetime) -> None:
        """Count a failed attempt against the account and the address."""
        await self._log.record([account_key(email), address_key(address)], now, self._limits.window)

    async def succeeded(self, email: str) -> None:
        """A good password clears the account's failures (not the address's)."""
        await self._log.forget(account_key(email))
