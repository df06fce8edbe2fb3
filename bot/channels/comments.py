"""Public comments under the page's posts (Facebook `feed`, Instagram `comments`).

A question gets a short public reply in the commenter's language and the assistant's full
answer as a private reply (Private Replies API), which opens a normal Messenger/Instagram
conversation when the person answers. A comment the assistant hands over becomes an inbox
ticket on the channel `messenger_comment` / `instagram_comment` (public, stricter SLA); an
agent's reply to it is posted publicly under the comment. Spam gets nothing, praise a like or
a thank-you (CHANNELS_PRAISE_ACTION).
"""

from __future__ import annotations

import logging
from typing import Any, Dict, List, Optional, Text

from rasa.core.channels.channel import (
    CollectingOutputChannel,
    InputChannel,
    OutputChannel,
    UserMessage,
)
from sanic import Blueprint, response
from sanic.request import Request
from sanic.response import HTTPResponse

from bot.channels import profiles
from bot.channels.comment_rules import PRAISE, SPAM, comment_kind
from bot.channels.customer_texts import customer_text
from bot.channels.graph import GraphClient
from bot.channels.meta_channel import (
    Clock,
    OnNewMessage,
    conversation_id,
    platform_id,
    utc_now,
)
from bot.channels.send_payloads import messenger_text, private_reply
from bot.channels.settings import ChannelSettings
from bot.channels.store import ChannelStore
from bot.channels.text_limits import (
    INSTAGRAM_TEXT_BYTES,
    MESSENGER_TEXT_LIMIT,
    characters,
    split_text,
    utf8_bytes,
)
from bot.channels.webhook_events import InboundEvent
from bot.language_rules import detect_language

logger = logging.getLogger(__name__)


def comment_channel(channel: str) -> str:
    """The Rasa channel (and inbox ticket channel) of a public comment thread."""
    return f"{channel}_comment"


class CommentReplyOutput(OutputChannel):
    """Posts a reply publicly under the comment (an agent's answer to a public ticket)."""

    def __init__(self, channel: str, settings: ChannelSettings) -> None:
        self.channel = channel  # "messenger" or "instagram"
        self.settings = settings

    @classmethod
    def name(cls) -> Text:
        return "comment_reply"

    async def send_text_message(self, recipient_id: Text, text: Text, **kwargs: Any) -> None:
        comment_id = platform_id(comment_channel(self.channel), recipient_id)
        await public_reply(self.settings, self.channel, comment_id, text)


async def public_reply(settings: ChannelSettings, channel: str, comment_id: str,
                       text: str) -> Dict[str, Any]:
    """Facebook: POST /{comment-id}/comments; Instagram: POST /{ig-comment-id}/replies."""
    graph = GraphClient(settings.graph_url, settings.page_access_token, token_in_header=False)
    edge = "comments" if channel == "messenger" else "replies"
    return await graph.post(f"{comment_id}/{edge}", {"message": text})


class CommentThreadInput(InputChannel):
    """Names the comment channel for Rasa so agent replies find their way back publicly.

    The comments themselves arrive on the page's (or Instagram account's) webhook.
    """

    channel = ""

    def __init__(self, settings: ChannelSettings) -> None:
        self.settings = settings

    @classmethod
    def name(cls) -> Text:
        return comment_channel(cls.channel)

    @classmethod
    def from_credentials(cls, credentials: Optional[Dict[Text, Any]]) -> InputChannel:
        return cls(ChannelSettings.from_env())

    def blueprint(self, on_new_message: OnNewMessage) -> Blueprint:
        thread = Blueprint(f"{self.name()}_thread", __name__)

        @thread.route("/", methods=["GET"])
        async def health(request: Request) -> HTTPResponse:
            return response.json({"status": "ok",
                                  "ready": self.settings.is_ready(self.channel)})

        return thread

    def get_output_channel(self) -> Optional[OutputChannel]:
        if not self.settings.is_ready(self.channel):
            return None
        return CommentReplyOutput(self.channel, self.settings)


class MessengerCommentInput(CommentThreadInput):
    channel = "messenger"


class InstagramCommentInput(CommentThreadInput):
    channel = "instagram"


class CommentHandler:
    """What happens to one new public comment."""

    def __init__(self, channel: str, settings: ChannelSettings, store: ChannelStore,
                 clock: Clock = utc_now) -> None:
        self.channel = channel
        self.settings = settings
        self.store = store
        self.clock = clock

    def _own_ids(self) -> List[str]:
        return [i for i in (self.settings.page_id, self.settings.instagram_account_id) if i]

    async def handle(self, event: InboundEvent, on_new_message: OnNewMessage,
                     request: Request) -> str:
        """Answer, like, hand over or ignore the comment; returns what was done."""
        comment_id = event.message_id or ""
        if not comment_id or event.sender in self._own_ids():
            return "own"  # our own public replies come back through the same webhook
        kind = comment_kind(event.text)
        if kind == SPAM:
            logger.info("%s: spam comment %s ignored", self.channel, comment_id)
            return "spam"
        if kind == PRAISE:
            await self._thank(comment_id, event.text)
            return "praise"
        conversation = conversation_id(comment_channel(self.channel), comment_id)
        collector = CollectingOutputChannel()
        await on_new_message(UserMessage(
            event.text, collector, conversation, input_channel=comment_channel(self.channel),
            message_id=comment_id,
            metadata={"channel": comment_channel(self.channel), "post_id": event.post_id,
                      "post": await profiles.post_context(self.settings, self.store,
                                                          self.channel, event.post_id),
                      "display_name": event.display_name, "public": True},
        ))
        tracker = None
        try:
            tracker = await request.app.ctx.agent.tracker_store.retrieve(conversation)
        except Exception:
            logger.exception("%s: could not read the comment's tracker", self.channel)
        language = tracker.get_slot("language") if tracker is not None else None
        if language not in ("nl", "en"):
            language = detect_language(event.text).code or "nl"
        if tracker is not None and tracker.get_slot("human_owned"):
            # The assistant handed over: the ticket exists; a colleague answers here publicly.
            await public_reply(self.settings, self.channel, comment_id,
                               customer_text("comment_handed_over", language))
            return "ticket"
        texts = [m["text"] for m in collector.messages if m.get("text")]
        buttons = [b for m in collector.messages for b in (m.get("buttons") or [])]
        if not texts:
            return "unanswered"
        await self._private_reply(comment_id, "\n\n".join(texts), buttons)
        await public_reply(self.settings, self.channel, comment_id,
                           customer_text("comment_answered", language))
        return "answered"

    async def _private_reply(self, comment_id: str, text: str,
                             buttons: List[Dict[str, Any]]) -> None:
        # Meta allows one private reply per comment: the whole answer goes in one message.
        if self.channel == "messenger":
            text = (split_text(text, MESSENGER_TEXT_LIMIT, characters) or [text])[0]
        else:
            text = (split_text(text, INSTAGRAM_TEXT_BYTES, utf8_bytes) or [text])[0]
        body = private_reply(comment_id, text)
        body["message"] = messenger_text(text, buttons)
        owner = (self.settings.page_id if self.channel == "messenger"
                 else self.settings.instagram_account_id) or "me"
        graph = GraphClient(self.settings.graph_url, self.settings.page_access_token,
                            token_in_header=False)
        await graph.post(f"{owner}/messages", body)

    async def _thank(self, comment_id: str, text: str) -> None:
        action = self.settings.praise_action
        if action == "like" and self.channel == "messenger":
            graph = GraphClient(self.settings.graph_url, self.settings.page_access_token,
                                token_in_header=False)
            await graph.post(f"{comment_id}/likes", {})
        elif action in ("like", "reply"):
            # Instagram has no API to like a comment: a thank-you instead.
            language = detect_language(text).code
            await public_reply(self.settings, self.channel, comment_id,
                               customer_text("comment_thanks", language or "nl"))

