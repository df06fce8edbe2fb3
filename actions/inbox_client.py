"""The inbox API over HTTP: escalation packets, review reports and the satisfaction survey
(docs/contracts.md)."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any
from urllib.parse import quote

import httpx

from actions.settings import get_settings

logger = logging.getLogger(__name__)


class InboxUnavailable(Exception):
    """The inbox did not accept the request (down, slow, or refused it)."""


@dataclass(frozen=True)
class EscalationReceipt:
    """What the inbox answered: the ticket and when a colleague will answer at the latest."""

    ticket_id: str
    first_response_due_at: datetime | None


@dataclass(frozen=True)
class CsatOffer:
    """The satisfaction question to ask: about which ticket, on which scale."""

    ticket_id: str
    # "good_bad" or "one_to_five"
    scale: str


class InboxClient:
    """Sends escalation packets and review reports to the inbox API over HTTP."""

    def __init__(
        self,
        base_url: str | None = None,
        token: str | None = None,
        timeout_seconds: float | None = None,
        transport: httpx.AsyncBaseTransport | None = None,
    ) -> None:
        """Reads missing settings from the action server's configuration."""
        settings = get_settings()
        self.base_url = (base_url or settings.inbox_url).rstrip("/")
        self.token = token if token is not None else settings.inbox_service_token
        self.timeout_seconds = timeout_seconds or settings.inbox_timeout_seconds
        self.transport = transport

    async def escalate(self, packet: dict[str, Any]) -> EscalationReceipt:
        """POST the packet; raise InboxUnavailable unless the inbox answers 200/201."""
        response = await self._post("/api/v1/escalations", packet, accepted=(200, 201))
        try:
            body = response.json()
            ticket_id = str(body["ticket_id"])
        except (ValueError, KeyError, TypeError) as error:
            raise InboxUnavailable("inbox answered without a ticket id") from error
        due = (body.get("sla") or {}).get("first_response_due_at")
        return EscalationReceipt(ticket_id, _parse_instant(due))

    async def claim_relay(self, delivery_id: str, conversation_id: str) -> bool:
        """Ask whether this delivery may be shown now: True once, False for a repeat or unknown id.

        The inbox records the relay with a compare-and-set, so when Rasa runs the relay twice
        for one delivery (the inbox retried a slow call) exactly one of them is let through.
        """
        response = await self._post(
            f"/api/v1/deliveries/{quote(delivery_id, safe='')}/relayed",
            {"conversation_id": conversation_id},
            accepted=(200, 404, 409, 422),
        )
        return response.status_code == 200

    async def offer_csat(self, delivery_id: str, conversation_id: str) -> CsatOffer | None:
        """Ask whether the ticket this hand-back resolved gets the satisfaction question.

        The inbox decides (a colleague answered, never asked before, the channel still takes
        a message) and records the question as asked; None when it is not to be asked.
        """
        response = await self._post(
            "/api/v1/csat/offers",
            {"delivery_id": delivery_id, "conversation_id": conversation_id},
            accepted=(200,),
        )
        try:
            body = response.json()
            if not body.get("offered"):
                return None
            return CsatOffer(str(body["ticket_id"]), str(body["scale"]))
        except (ValueError, KeyError, TypeError, AttributeError) as error:
            raise InboxUnavailable("inbox answered the survey offer oddly") from error

    async def answer_csat(self, ticket_id: str, conversation_id: str, rating: str) -> str:
        """Store the customer's rating; the inbox's verdict (`recorded`, `closed`, ...)."""
        return await self._csat("answers", ticket_id, conversation_id, {"rating": rating})

    async def comment_csat(self, ticket_id: str, conversation_id: str, comment: str) -> str:
        """Store the optional comment after a rating; the inbox's verdict."""
        return await self._csat("comments", ticket_id, conversation_id, {"comment": comment})

    async def _csat(
        self, kind: str, ticket_id: str, conversation_id: str, fields: dict[str, str]
    ) -> str:
        if not ticket_id.isdigit() or len(ticket_id) > 9:
            return "not_asked"
        body = {"ticket_id": int(ticket_id), "conversation_id": conversation_id, **fields}
        response = await self._post(f"/api/v1/csat/{kind}", body, accepted=(200,))
        try:
            return str(response.json()["status"])
        except (ValueError, KeyError, TypeError) as error:
            raise InboxUnavailable("inbox answered the survey oddly") from error

    async def report_for_review(self, report: dict[str, Any]) -> None:
        """POST a review report; raise InboxUnavailable unless the inbox answers 201."""
        await self._post("/api/v1/review/reports", report, accepted=(201,))

    async def report_conversation(self, report: dict[str, Any]) -> None:
        """POST where a conversation stands; raise InboxUnavailable unless the inbox answers 200."""
        await self._post("/api/v1/conversations/reports", report, accepted=(200,))

    async def _post(
        self, path: str, body: dict[str, Any], accepted: tuple[int, ...]
    ) -> httpx.Response:
        try:
            async with httpx.AsyncClient(
                timeout=self.timeout_seconds, transport=self.transport
            ) as client:
                response = await client.post(
                    f"{self.base_url}{path}",
                    json=body,
                    headers={"Authorization": f"Bearer {self.token}"},
                )
        except httpx.HTTPError as error:
            raise InboxUnavailable(f"inbox unreachable: {type(error).__name__}") from error
        if response.status_code not in accepted:
            raise InboxUnavailable(f"inbox answered HTTP {response.status_code}")
        return response


def _parse_instant(value: Any) -> datetime | None:
    if not isinstance(value, str):
        return None
    try:
        parsed = datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        return None
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=UTC)


async def send_bookkeeping(
    sending: Awaitable[None], timeout_seconds: float, what: str, conversation_id: str
) -> bool:
    """Wait at most `timeout_seconds` for a report the answer does not need; False if it failed.

    Review and conversation reports are bookkeeping: a lost one costs a data point, a failed
    action would cost the customer's answer. The customer's words never reach the log.
    """
    try:
        async with asyncio.timeout(timeout_seconds):
            await sending
    except (InboxUnavailable, TimeoutError) as error:
        logger.warning(
            "%s for conversation %s not sent (%s)",
            what, conversation_id, str(error) or "inbox too slow",
        )
        return False
    except Exception:
        logger.exception("%s for conversation %s failed", what, conversation_id)
        return False
    return True
