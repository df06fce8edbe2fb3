"""On PostgreSQL and Redis, Rasa keeps conversations in PostgreSQL and locks them in Redis."""

from __future__ import annotations

import threading
import uuid
from pathlib import Path

import asyncpg
import httpx
import pytest
import redis

from scripts.rasa_endpoints import RASA_SCHEMA, redis_key_prefix
from tests.e2e.conftest import RunningStack, running_stack
from tests.e2e.test_privacy import export_and_erase
from tests.e2e.test_support_loop import WidgetCustomer, say_rest, staff_token

pytestmark = pytest.mark.e2e


class RedisCommands:
    """Every command the Redis server runs that mentions `needle` (Redis MONITOR)."""

    def __init__(self, url: str, needle: str) -> None:
        self.seen: list[str] = []
        self._client = redis.Redis.from_url(url)
        self._monitor = self._client.monitor()
        self._monitor.__enter__()
        self._needle = needle
        threading.Thread(target=self._listen, daemon=True).start()

    def _listen(self) -> None:
        try:
            for command in self._monitor.listen():
                if self._needle in str(command.get("command", "")):
                    self.seen.append(str(command["command"]))
        except (redis.ConnectionError, OSError, ValueError, AttributeError):
            return  # closed by close()

    def close(self) -> None:
        self._monitor.connection.disconnect()
        self._client.close()


async def rasa_events(postgres_url: str, sender: str) -> list[tuple[str, str]]:
    dsn = postgres_url.replace("postgresql+asyncpg://", "postgresql://", 1)
    connection = await asyncpg.connect(dsn)
    try:
        rows = await connection.fetch(
            f"SELECT type_name, data FROM {RASA_SCHEMA}.events WHERE sender_id = $1 ORDER BY id",
            sender,
        )
    finally:
        await connection.close()
    return [(row["type_name"], row["data"]) for row in rows]


async def tracker(stack: RunningStack, sender: str) -> dict[str, object]:
    async with httpx.AsyncClient(timeout=30) as client:
        response = await client.get(
            f"{stack.rasa_url}/conversations/{sender}/tracker",
            params={"token": stack.rasa_token},
        )
    response.raise_for_status()
    answer: dict[str, object] = response.json()
    return answer


async def test_conversations_live_in_postgresql_and_survive_a_rasa_restart(
    tmp_path: Path, postgres_url: str, redis_url: str, redis_prefix: str
) -> None:
    sender = f"stores-{uuid.uuid4().hex[:8]}"
    lock_key = f"{redis_key_prefix(redis_prefix)}:lock:{sender}"
    with running_stack(tmp_path, postgres_url, redis_url, redis_prefix) as stack:
        commands = RedisCommands(redis_url, lock_key)
        try:
            answer = await say_rest(stack, sender, "Wat kost de Lina wikkeljurk?")
            assert answer == ["De Lina wikkeljurk kost € 79,95."]
        finally:
            commands.close()
        # Rasa locked the conversation in Redis while it handled the message.
        assert any("SET" in command.upper() for command in commands.seen), commands.seen

        stored = await rasa_events(postgres_url, sender)
        assert any(
            kind == "user" and "Lina wikkeljurk" in data for kind, data in stored
        ), "the customer's message is not in PostgreSQL"
        assert any(kind == "bot" and "79,95" in data for kind, data in stored)
        # The SQLite tracker file of the embedded default was never used.
        assert not (tmp_path / "rasa_tracker.db").exists()

        # A new Rasa process continues the same conversation.
        stack.restart_rasa()
        before = await tracker(stack, sender)
        events = before["events"]
        assert isinstance(events, list)
        texts = [event.get("text") for event in events if isinstance(event, dict)]
        assert "Wat kost de Lina wikkeljurk?" in texts
        slots = before["slots"]
        assert isinstance(slots, dict) and slots.get("language") == "nl"
        answer = await say_rest(stack, sender, "En wat kost de Lina wikkeljurk nu?")
        assert answer == ["De Lina wikkeljurk kost € 79,95."]
        email = f"{sender}@example.nl"
        await say_rest(stack, sender, f"ik wil graag met een medewerker praten, mail {email}")

    after = await rasa_events(postgres_url, sender)
    assert after[: len(stored)] == stored
    assert sum(kind == "user" for kind, _ in after) == 3

    # Export lists the customer (inbox and schema rasa); erase removes them from both, once.
    document, erased, again = export_and_erase(
        postgres_url, tmp_path / "rasa_tracker.db", f"rest:{sender}", email
    )
    assert [t["conversation_id"] for t in document["tickets"]] == [sender]
    assert len(document["rasa_events"]) == len(after)
    assert "tickets: 1" in erased and f"rasa events: {len(after)}" in erased
    assert "tickets: 0" in again and "rasa events: 0" in again
    assert await rasa_events(postgres_url, sender) == []


async def test_a_reply_sent_through_one_rasa_reaches_a_widget_on_another(
    tmp_path: Path, postgres_url: str, redis_url: str, redis_prefix: str
) -> None:
    with running_stack(tmp_path, postgres_url, redis_url, redis_prefix) as stack:
        # The widget is connected to a second Rasa process; the inbox delivers through the first.
        replica = stack.add_rasa()
        customer = WidgetCustomer(replica)
        await customer.connect()
        try:
            await customer.say("ik wil graag met een medewerker praten")
            promise = " ".join([await customer.next_text(wait=120), *await customer.drain()])
            assert "collega" in promise.lower(), promise
            async with httpx.AsyncClient(timeout=30) as client:
                headers = {"Authorization": f"Bearer {await staff_token(client, stack)}"}
                listed = await client.get(f"{stack.inbox_url}/api/v1/tickets", headers=headers)
                assert listed.status_code == 200, listed.text
                ticket_id = next(
                    t["id"] for t in listed.json()["items"]
                    if t["conversation_id"] == customer.session_id
                )
                text = f"Ik help u graag verder ({uuid.uuid4().hex[:6]})."
                sent = await client.post(
                    f"{stack.inbox_url}/api/v1/tickets/{ticket_id}/replies",
                    headers=headers, json={"text": text},
                )
                assert sent.status_code in (200, 201), sent.text
                # Rasa at stack.rasa_url ran the relay; the socket lives on the replica.
                assert await customer.next_text(wait=60) == text
                assert text not in await customer.drain(quiet=3)
        finally:
            await customer.client.disconnect()
