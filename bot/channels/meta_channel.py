"""What the three Meta connectors share: verification, signatures, de-duplication, hand-over."""

from __future__ import annotations

import hmac
import json
import logging
from datetime import datetime, timezone
from typing import Any, Awaitable, Callable, Dict, List, Optional, Text

import aiohttp
from rasa.core.channels.channel import InputChannel, OutputChannel, UserMessage
from sanic import Blueprint, response
from sanic.request import Request
from sanic.response import HTTPResponse

from bot.channels import profiles
from bot.channels.customer_texts import customer_text
from bot.channels.settings import ChannelSettings
from bot.channels.signature import HEADER, signature_is_valid
from bot.channels.store import ChannelStore, RedisChannelStore, SqliteChannelStore
from bot.channels.webhook_events import (
    ATTACHMENT,
    COMMENT,
    IGNORED,
    STATUS,
    STICKER,
    TEXT,
    InboundEvent,
)

logger = logging.getLogger(__name__)

Clock = Callable[[], datetime]
OnNewMessage = Callable[[UserMessage], Awaitable[Any]]

_STORES: Dict[str, ChannelStore] = {}
# The intent that hands a conversation to a colleague (domain.yml).
HANDOFF_INTENT = "human_handoff"


def utc_now() -> datetime:
    return datetime.now(timezone.utc)


def _failure_reason(errors: List[Dict[str, Any]]) -> Optional[str]:
    """Meta's errors of a failed message as one line for the agent: code and title."""
    parts = []
    for error in errors:
        detail = (error.get("error_data") or {}).get("details") if isinstance(
            error.get("error_data"), dict) else None
        title = error.get("title") or error.get("message") or "failed"
        parts.append(f"Meta (#{error.get('code')}): {title}" + (f" — {detail}" if detail else ""))
    return "; ".join(parts)[:500] or None


async def report_to_inbox(settings: ChannelSettings, delivery_id: str,
                          event: InboundEvent) -> None:
    """POST {INBOX_URL}/api/v1/deliveries/{id}/channel-status with the service token."""
    if not settings.inbox_url or not settings.inbox_token:
        logger.info("status of delivery %s not reported: INBOX_URL or INBOX_SERVICE_TOKEN unset",
                    delivery_id)
        return
    body = {"status": event.status, "at": (event.timestamp or utc_now()).isoformat(),
            "error": _failure_reason(event.errors) if event.status == "failed" else None}
    url = f"{settings.inbox_url}/api/v1/deliveries/{delivery_id}/channel-status"
    try:
        async with aiohttp.ClientSession(timeout=aiohttp.ClientTimeout(total=10)) as session, \
                session.post(url, json=body,
                             headers={"Authorization": f"Bearer {settings.inbox_token}"}) as answer:
            if answer.status >= 300:
                logger.warning("inbox refused the status of delivery %s (HTTP %s)", delivery_id,
                               answer.status)
    except aiohttp.ClientError as error:
        # Statuses are informative: a lost one costs a tick on the staff page, nothing more.
        logger.warning("status of delivery %s not reported: %s", delivery_id, error)


def shared_store(settings: ChannelSettings) -> ChannelStore:
    """One store per process for all three channels (Redis when configured)."""
    key = settings.redis_url or str(settings.store_path)
    if key not in _STORES:
        if settings.redis_url:
            _STORES[key] = RedisChannelStore(settings.redis_url, settings.redis_prefix)
        else:
            _STORES[key] = SqliteChannelStore(settings.store_path)
    return _STORES[key]


# Unreserved in URLs: the id travels in the path of Rasa's HTTP API (/conversations/{id}/...),
# where a quoted ":" (%3A) would name another conversation.
SEPARATOR = "-"


def conversation_id(channel: str, sender: str) -> str:
    """Rasa's sender id: the channel name keeps a Messenger PSID and a WhatsApp number apart."""
    return f"{channel}{SEPARATOR}{sender}"


def platform_id(channel: str, conversation: str) -> str:
    """The platform's recipient id inside a conversation id of this channel."""
    prefix = f"{channel}{SEPARATOR}"
    if not conversation.startswith(prefix):
        raise ValueError(f"conversation {conversation!r} does not belong to the {channel} channel")
    return conversation[len(prefix):]


class MetaOutputChannel(OutputChannel):
    """Base of the Send API output channels: a store to read the window from and a clock."""

    channel = ""

    def __init__(self, settings: ChannelSettings, store: ChannelStore,
                 clock: Clock = utc_now) -> None:
        self.settings = settings
        self.store = store
        self.clock = clock

    @classmethod
    def name(cls) -> Text:
        return cls.channel

    async def typing(self, recipient_id: Text) -> None:
        """Show the typing indicator where the platform has one (best effort)."""


class MetaInputChannel(InputChannel):
    """One webhook: GET verifies the subscription, POST carries signed events."""

    channel = ""

    def __init__(self, settings: ChannelSettings, store: ChannelStore,
                 clock: Clock = utc_now) -> None:
        self.settings = settings
        self.store = store
        self.clock = clock

    @classmethod
    def name(cls) -> Text:
        return cls.channel

    @classmethod
    def from_credentials(cls, credentials: Optional[Dict[Text, Any]]) -> InputChannel:
        # Secrets come from the environment only: credentials.yml just names the class.
        settings = ChannelSettings.from_env()
        if not settings.is_ready(cls.channel):
            logger.warning("The %s channel is off: missing %s.", cls.channel,
                           ", ".join(settings.missing(cls.channel)) or "CHANNELS_ENABLED")
        return cls(settings, shared_store(settings))

    # Subclasses: parse a delivery, build the output channel, answer comments.
    def events(self, payload: Dict[str, Any]) -> List[InboundEvent]:
        raise NotImplementedError

    def get_output_channel(self) -> Optional[OutputChannel]:
        raise NotImplementedError

    async def handle_comment(self, event: InboundEvent, on_new_message: OnNewMessage,
                             request: Request) -> None:
        logger.info("%s: comment %s not handled by this channel", self.channel, event.message_id)

    def blueprint(self, on_new_message: OnNewMessage) -> Blueprint:
        webhook = Blueprint(f"{self.channel}_webhook", __name__)

        @webhook.route("/", methods=["GET"])
        async def health(request: Request) -> HTTPResponse:
            return response.json({"status": "ok", "ready": self.settings.is_ready(self.channel)})

        @webhook.route("/webhook", methods=["GET"])
        async def verify_subscription(request: Request) -> HTTPResponse:
            token = request.args.get("hub.verify_token") or ""
            expected = self.settings.verify_token
            if (request.args.get("hub.mode") == "subscribe" and expected
                    and hmac.compare_digest(token.encode(), expected.encode())):
                return response.text(request.args.get("hub.challenge") or "")
            logger.warning("%s: webhook verification with a wrong verify token", self.channel)
            return response.text("verify token does not match", status=403)

        @webhook.route("/webhook", methods=["POST"])
        async def receive(request: Request) -> HTTPResponse:
            if not self.settings.is_ready(self.channel):
                return response.text(f"the {self.channel} channel is not configured", status=503)
            body = request.body or b""
            if not signature_is_valid(self.settings.app_secret, body, request.headers.get(HEADER)):
                logger.warning("%s: refused a webhook with a missing or wrong %s", self.channel,
                               HEADER)
                return response.text("invalid signature", status=403)
            try:
                payload = json.loads(body)
            except ValueError:
                return response.text("the body is not JSON", status=400)
            if not isinstance(payload, dict):
                return response.text("the body is not a JSON object", status=400)
            for event in self.events(payload):
                try:
                    await self.handle_event(event, on_new_message, request)
                except Exception:
                    # Meta would retry (and then disable the webhook) on errors; the message
                    # is already claimed and in the tracker, so a retry would not help.
                    logger.exception("%s: event %s failed", self.channel, event.message_id)
            return response.text("EVENT_RECEIVED")

        return webhook

    async def handle_event(self, event: InboundEvent, on_new_message: OnNewMessage,
                           request: Request) -> None:
        """Hand one event to Rasa (or answer it here), once per message id."""
        if event.kind == IGNORED:
            logger.debug("%s: ignored event (%s)", self.channel, event.reason)
            return
        if event.kind == STATUS:
            if event.message_id:
                await self.store.record_status(event.message_id, event.status or "",
                                               event.timestamp or self.clock(), event.errors)
                if event.status == "failed":
                    logger.warning("%s: message %s failed: %s", self.channel, event.message_id,
                                   event.errors)
                await self.report_status(event)
            return
        now = self.clock()
        if event.message_id and not await self.store.claim(
            f"{self.channel}:{event.message_id}", now
        ):
            logger.info("%s: duplicate delivery of %s ignored", self.channel, event.message_id)
            return
        if event.kind == COMMENT:
            await self.handle_comment(event, on_new_message, request)
            return
        if not event.sender:
            return
        await self.store.record_inbound(self.channel, event.sender, event.timestamp or now)
        conversation = conversation_id(self.channel, event.sender)
        output = self.get_output_channel()
        if output is None:
            return
        assert isinstance(output, MetaOutputChannel)
        if event.kind == TEXT:
            await output.typing(conversation)
            await on_new_message(UserMessage(
                event.text, output, conversation, input_channel=self.channel,
                message_id=event.message_id,
                metadata={"channel": self.channel,
                          "display_name": await self.display_name(event)},
            ))
        elif event.kind in (ATTACHMENT, STICKER):
            await self.answer_non_text(event, conversation, output, on_new_message, request)

    async def display_name(self, event: InboundEvent) -> Optional[str]:
        """The name the webhook gave (WhatsApp contact), else the Graph profile's (cached)."""
        if event.display_name:
            return event.display_name
        return await profiles.display_name(self.settings, self.store, self.channel, event.sender)

    async def report_status(self, event: InboundEvent) -> None:
        """Pass a status of a colleague's reply on to the inbox (docs/contracts.md)."""
        link = await self.store.recall(f"delivery:{event.message_id}")
        if not link or event.status not in ("sent", "delivered", "read", "failed"):
            return
        await report_to_inbox(self.settings, link["delivery_id"], event)

    async def answer_non_text(self, event: InboundEvent, conversation: str,
                              output: MetaOutputChannel, on_new_message: OnNewMessage,
                              request: Request) -> None:
        """Say we read only text; an attachment goes to a colleague through the escalation."""
        language = await self.conversation_language(request, conversation)
        if event.kind == STICKER:
            await output.send_text_message(conversation, customer_text("sticker", language))
            return
        kind = event.attachments[0].type if event.attachments else "file"
        await output.send_text_message(
            conversation, customer_text("attachment", language, attachment=kind)
        )
        lines = [f"[{a.type}] {a.url or '(no link)'}" for a in event.attachments]
        if event.text:
            lines.insert(0, event.text)
        text = "\n".join(lines)
        # Parsed here, not by the NLU: a hand-over the usual way (action_escalate opens the
        # ticket with this text, or action_forward_to_inbox adds it to the open one), so the
        # conversation is human-owned and the agent's reply finds this channel.
        await on_new_message(UserMessage(
            text, output, conversation, input_channel=self.channel,
            message_id=event.message_id,
            parse_data={"text": text, "intent": {"name": HANDOFF_INTENT, "confidence": 1.0},
                        "intent_ranking": [{"name": HANDOFF_INTENT, "confidence": 1.0}],
                        "entities": []},
            metadata={"channel": self.channel, "display_name": await self.display_name(event),
                      "attachments": [{"type": a.type, "url": a.url}
                                      for a in event.attachments]},
        ))

    async def conversation_language(self, request: Request, conversation: str) -> Optional[str]:
        """The conversation's sticky language slot, when Rasa has one already."""
        try:
            tracker = await request.app.ctx.agent.tracker_store.retrieve(conversation)
        except Exception:  # the answer is still sent, in both languages
            logger.exception("%s: could not read the tracker of %s", self.channel, conversation)
            return None
        value = tracker.get_slot("language") if tracker is not None else None
        return value if value in ("nl", "en") else None
