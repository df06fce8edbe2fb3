"""Who a bearer token belongs to, remembered for a few seconds (saves a query per request).

Safe because it is short: switching an account off takes effect within `auth_cache_seconds`
(default 5 s) on every worker; a revocation (new password or role: `token_version` moves on)
empties every worker's cache at once through the `staff.revoked` event. Each worker keeps its
own cache; nothing is shared, nothing outlives the process.
"""

from __future__ import annotations

import hashlib
import time
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass

from inbox_api.staff.models import Staff

_MAX_ENTRIES = 10_000


@dataclass(frozen=True)
class KnownStaff:
    """The fields of an active staff member that requests need."""

    id: int
    email: str
    name: str
    role: str
    languages: tuple[str, ...]
    token_version: int

    @classmethod
    def of(cls, staff: Staff) -> KnownStaff:
        """A frozen copy of a loaded staff row."""
        return cls(
            staff.id,
            staff.email,
            staff.name,
            staff.role,
            tuple(staff.languages or ()),
            staff.token_version,
        )

    def to_staff(self) -> Staff:
        """A fresh, unattached Staff for one request (never shared between sessions)."""
        return Staff(
            id=self.id,
            email=self.email,
            name=self.name,
            role=self.role,
            languages=list(self.languages),
            active=True,
            token_version=self.token_version,
        )


class StaffCache:
    """Token -> staff for `ttl` seconds; `ttl` 0 turns it off."""

    def __init__(self, ttl: float, clock: Callable[[], float] = time.monotonic) -> None:
        self.ttl = ttl
        self._clock = clock
        self._entries: OrderedDict[bytes, tuple[float, KnownStaff]] = OrderedDict()

    @staticmethod
    def _key(token: str) -> bytes:
        # The token itself is not kept in memory longer than the request needs it.
        return hashlib.sha256(token.encode()).digest()

    def get(self, token: str) -> KnownStaff | None:
        """The staff member this token was checked for less than `ttl` seconds ago."""
        if self.ttl <= 0:
            return None
        key = self._key(token)
        entry = self._entries.get(key)
        if entry is None:
            return None
        if entry[0] <= self._clock():
            del self._entries[key]
            return None
        return entry[1]

    def forget_all(self) -> None:
        """Drop every entry (a staff member's tokens were revoked)."""
        self._entries.clear()

    def put(self, token: str, staff: Staff) -> None:
        """Remember that this token belongs to this active staff member."""
        if self.ttl <= 0:
            return
        key = self._key(token)
        self._entries[key] = (self._clock() + self.ttl, KnownStaff.of(staff))
        self._entries.move_to_end(key)
        while len(self._entries) > _MAX_ENTRIES:
            self._entries.popitem(last=False)
