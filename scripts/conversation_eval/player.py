"""Playing the conversations against a running stack over Rasa's REST webhook.

One sender id per conversation (and per run, so a second run starts fresh); a few
conversations at a time, each one's turns strictly in order. Harness errors (the webhook
refusing a message, the inbox not answering) raise `HarnessError`: they are not a score.
"""

from __future__ import annotations

import asyncio
import time
import uuid
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

import httpx

from scripts.conversation_eval.cases import Conversation
from scripts.conversation_eval.checks import Reply, judge

# Every conversation the harness plays has a sender id starting with this.
SENDER_PREFIX = "eval-"


class HarnessError(RuntimeError):
    """The stack did not let the harness play a conversation; the message says where."""


@dataclass(frozen=True)
class TurnResult:
    index: int
    user: str
    replies: tuple[str, ...]
    buttons: tuple[str, ...]
    problems: tuple[str, ...]
    seconds: float

    @property
    def passed(self) -> bool:
        return not self.problems


@dataclass(frozen=True)
class ConversationResult:
    conversation: Conversation
    sender: str
    turns: tuple[TurnResult, ...] = field(default=())

    @property
    def passed(self) -> bool:
        return all(t.passed for t in self.turns)


class TicketCounter:
    """How many tickets the inbox holds for a conversation, asked as a staff member."""

    def __init__(self, inbox_url: str, email: str, password: str) -> None:
        self.inbox_url = inbox_url.rstrip("/")
        self.email = email
        self.password = password
        self._token: str | None = None
        self._lock = asyncio.Lock()

    async def _login(self, client: httpx.AsyncClient) -> str:
        async with self._lock:
            if self._token is None:
                response = await client.post(
                    f"{self.inbox_url}/api/v1/auth/login",
                    json={"email": self.email, "password": self.password},
                )
                if response.status_code != 200:
                    raise HarnessError(f"staff login to the inbox failed: {response.status_code}")
                self._token = str(response.json()["access_token"])
            return self._token

    async def count(self, client: httpx.AsyncClient, conversation_id: str) -> int:
        """Tickets of this conversation in any status."""
        tickets = await self._tickets(client, ("open", "waiting_on_customer", "resolved"))
        return sum(1 for item in tickets if item.get("conversation_id") == conversation_id)

    async def resolve_all(self, prefix: str = SENDER_PREFIX) -> int:
        """Resolve the open tickets the harness made: leave the inbox's queue as it was found."""
        resolved = 0
        async with httpx.AsyncClient(timeout=60) as client:
            headers = {"Authorization": f"Bearer {await self._login(client)}"}
            for item in await self._tickets(client, ("open", "waiting_on_customer")):
                if not str(item.get("conversation_id")).startswith(prefix):
                    continue
                response = await client.post(
                    f"{self.inbox_url}/api/v1/tickets/{item['id']}/status",
                    json={"status": "resolved"}, headers=headers,
                )
                if response.status_code != 200:
                    raise HarnessError(
                        f"resolving ticket {item['id']} failed: {response.status_code}"
                    )
                resolved += 1
        return resolved

    async def _tickets(
        self, client: httpx.AsyncClient, statuses: tuple[str, ...]
    ) -> list[dict[str, Any]]:
        headers = {"Authorization": f"Bearer {await self._login(client)}"}
        found: list[dict[str, Any]] = []
        offset = 0
        while True:
            response = await client.get(
                f"{self.inbox_url}/api/v1/tickets",
                params={"status": list(statuses), "limit": 200, "offset": offset},
                headers=headers,
            )
            if response.status_code != 200:
                raise HarnessError(
                    f"listing tickets failed: {response.status_code} {response.text[:200]}"
                )
            page = response.json()
            items: list[dict[str, Any]] = page["items"]
            found.extend(items)
            offset += len(items)
            if not items or offset >= int(page["total"]):
                return found


async def send(client: httpx.AsyncClient, rasa_url: str, sender: str, text: str) -> Reply:
    """One message on the REST channel; the texts and button titles that come back."""
    try:
        response = await client.post(
            f"{rasa_url.rstrip('/')}/webhooks/rest/webhook",
            json={"sender": sender, "message": text},
        )
    except httpx.HTTPError as error:
        raise HarnessError(
            f"Rasa did not answer {sender}: {type(error).__name__} {error}"
        ) from error
    if response.status_code != 200:
        raise HarnessError(
            f"Rasa refused a message of {sender}: {response.status_code} {response.text[:200]}"
        )
    texts: list[str] = []
    buttons: list[str] = []
    for message in response.json():
        if message.get("text"):
            texts.append(str(message["text"]))
        for button in message.get("buttons") or ():
            if button.get("title"):
                buttons.append(str(button["title"]))
    return Reply(tuple(texts), tuple(buttons))


async def play_one(
    client: httpx.AsyncClient, rasa_url: str, conversation: Conversation,
    tickets: TicketCounter | None, run_id: str,
) -> ConversationResult:
    """Every turn of one conversation in order, each judged as it comes back."""
    sender = f"{SENDER_PREFIX}{run_id}-{conversation.id}"[:128]
    results: list[TurnResult] = []
    for index, turn in enumerate(conversation.turns):
        before = after = None
        if turn.ticket is not None and tickets is not None:
            before = await tickets.count(client, sender)
        started = time.monotonic()
        reply = await send(client, rasa_url, sender, turn.user)
        seconds = time.monotonic() - started
        if turn.ticket is not None and tickets is not None:
            after = await tickets.count(client, sender)
        results.append(
            TurnResult(
                index=index + 1,
                user=turn.user,
                replies=reply.texts,
                buttons=reply.buttons,
                problems=tuple(judge(turn, reply, before, after)),
                seconds=round(seconds, 3),
            )
        )
    return ConversationResult(conversation, sender, tuple(results))


async def play(
    conversations: Sequence[Conversation], rasa_url: str, tickets: TicketCounter | None,
    concurrency: int = 4, seconds_per_message: float = 90.0,
) -> list[ConversationResult]:
    """Every conversation, a few at a time; the results in the order given."""
    run_id = uuid.uuid4().hex[:8]
    gate = asyncio.Semaphore(concurrency)
    async with httpx.AsyncClient(timeout=seconds_per_message) as client:

        async def guarded(conversation: Conversation) -> ConversationResult:
            async with gate:
                return await play_one(client, rasa_url, conversation, tickets, run_id)

        return list(await asyncio.gather(*(guarded(c) for c in conversations)))
