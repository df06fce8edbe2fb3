"""Messenger and Instagram Direct: the Messenger Platform webhook and Send API.

credentials.yml names `bot.channels.messenger.MessengerInput` and `...InstagramInput`; the
webhooks are `/webhooks/messenger/webhook` and `/webhooks/instagram/webhook`.
"""

from __future__ import annotations

import logging
from typing import Any, Dict, List, Optional, Text

from rasa.core.channels.channel import OutputChannel
from sanic.request import Request

from bot.channels.comments import CommentHandler
from bot.channels.graph import GraphClient, GraphError, WindowClosed
from bot.channels.meta_channel import (
    MetaInputChannel,
    MetaOutputChannel,
    OnNewMessage,
    platform_id,
)
from bot.channels.send_payloads import (
    messenger_image,
    messenger_message,
    messenger_text,
    sender_action,
)
from bot.channels.text_limits import (
    INSTAGRAM_TEXT_BYTES,
    MESSENGER_TEXT_LIMIT,
    characters,
    split_text,
    utf8_bytes,
)
from bot.channels.webhook_events import InboundEvent, messaging_events
from bot.channels.window import CLOSED, window_state

logger = logging.getLogger(__name__)


class MessengerOutput(MetaOutputChannel):
    """Sends through `POST {graph}/me/messages` with the Page access token."""

    channel = "messenger"
    limit = MESSENGER_TEXT_LIMIT
    measure = staticmethod(characters)

    def graph(self) -> GraphClient:
        return GraphClient(self.settings.graph_url, self.settings.page_access_token,
                           token_in_header=False)

    async def _window(self, recipient: str) -> str:
        last = await self.store.last_inbound(self.channel, recipient)
        state = window_state(last, self.clock(), self.settings.window_policy(self.channel))
        if state == CLOSED:
            raise WindowClosed(
                f"The {self.channel} window for this customer has closed (last message "
                f"{last.isoformat() if last else 'unknown'}); Meta accepts no message now."
            )
        return state

    async def _send(self, conversation: str, message: Dict[str, Any]) -> Dict[str, Any]:
        recipient = platform_id(self.channel, conversation)
        body = messenger_message(recipient, message, await self._window(recipient))
        try:
            return await self.graph().post("me/messages", body)
        except GraphError as error:
            logger.warning("%s: %s", self.channel, error)
            raise

    async def typing(self, recipient_id: Text) -> None:
        try:
            await self.graph().post(
                "me/messages", sender_action(platform_id(self.channel, recipient_id))
            )
        except Exception as error:  # an indicator is never worth failing the answer for
            logger.info("%s: typing indicator not shown: %s", self.channel, error)

    def _parts(self, text: str) -> List[str]:
        return split_text(text, self.limit, self.measure) or [text]

    async def send_text_message(self, recipient_id: Text, text: Text, **kwargs: Any) -> None:
        for part in self._parts(text):
            await self._send(recipient_id, messenger_text(part))

    async def send_text_with_buttons(self, recipient_id: Text, text: Text,
                                     buttons: List[Dict[Text, Any]], **kwargs: Any) -> None:
        parts = self._parts(text)
        for part in parts[:-1]:
            await self._send(recipient_id, messenger_text(part))
        await self._send(recipient_id, messenger_text(parts[-1], buttons))

    async def send_quick_replies(self, recipient_id: Text, text: Text,
                                 quick_replies: List[Dict[Text, Any]], **kwargs: Any) -> None:
        await self.send_text_with_buttons(recipient_id, text, quick_replies)

    async def send_image_url(self, recipient_id: Text, image: Text, **kwargs: Any) -> None:
        await self._send(recipient_id, messenger_image(image))

    async def send_custom_json(self, recipient_id: Text, json_message: Dict[Text, Any],
                               **kwargs: Any) -> None:
        # A custom payload is a Send API `message` object written for this platform.
        await self._send(recipient_id, dict(json_message))


class InstagramOutput(MessengerOutput):
    """Instagram Direct through the same Send API; texts are limited to 1000 bytes."""

    channel = "instagram"
    limit = INSTAGRAM_TEXT_BYTES
    measure = staticmethod(utf8_bytes)


class MessengerInput(MetaInputChannel):
    """Messenger webhook (`object: page`)."""

    channel = "messenger"
    expected_object = "page"
    output_class = MessengerOutput

    def events(self, payload: Dict[str, Any]) -> List[InboundEvent]:
        return messaging_events(payload, self.expected_object)

    async def handle_comment(self, event: InboundEvent, on_new_message: OnNewMessage,
                             request: Request) -> None:
        done = await CommentHandler(self.channel, self.settings, self.store, self.clock).handle(
            event, on_new_message, request
        )
        logger.info("%s: comment %s: %s", self.channel, event.message_id, done)

    def get_output_channel(self) -> Optional[OutputChannel]:
        if not self.settings.is_ready(self.channel):
            return None
        return self.output_class(self.settings, self.store, self.clock)


class InstagramInput(MessengerInput):
    """Instagram Direct webhook (`object: instagram`)."""

    channel = "instagram"
    expected_object = "instagram"
    output_class = InstagramOutput
