"""WhatsApp Cloud API: the webhook (`object: whatsapp_business_account`) and `/{phone}/messages`.

credentials.yml names `bot.channels.whatsapp.WhatsAppInput`; the webhook is
`/webhooks/whatsapp/webhook`.
"""

from __future__ import annotations

import logging
from typing import Any, Dict, List, Optional, Text

from rasa.core.channels.channel import OutputChannel

from bot.channels.graph import GraphClient, GraphError, WindowClosed
from bot.channels.meta_channel import MetaInputChannel, MetaOutputChannel, platform_id
from bot.channels.send_payloads import whatsapp_choices, whatsapp_template, whatsapp_text
from bot.channels.store import SEEN_FOR
from bot.channels.text_limits import (
    WHATSAPP_INTERACTIVE_BODY_LIMIT,
    WHATSAPP_TEXT_LIMIT,
    split_text,
)
from bot.channels.webhook_events import InboundEvent, whatsapp_events
from bot.channels.window import CLOSED, window_state

logger = logging.getLogger(__name__)


class WhatsAppOutput(MetaOutputChannel):
    channel = "whatsapp"

    def graph(self) -> GraphClient:
        return GraphClient(self.settings.graph_url, self.settings.whatsapp_access_token,
                           token_in_header=True)

    async def _send(self, conversation: str, build: Any, *args: Any,
                    delivery_id: Optional[str] = None, template: bool = False) -> Dict[str, Any]:
        recipient = platform_id(self.channel, conversation)
        last = await self.store.last_inbound(self.channel, recipient)
        # An approved template is the one message WhatsApp delivers outside the window.
        if not template and window_state(
            last, self.clock(), self.settings.window_policy(self.channel)
        ) == CLOSED:
            raise WindowClosed(
                "The WhatsApp 24-hour window for this customer has closed; only an approved "
                "template message can reach them now."
            )
        path = f"{self.settings.whatsapp_phone_number_id}/messages"
        try:
            answer = await self.graph().post(path, build(recipient, *args))
        except GraphError as error:
            logger.warning("whatsapp: %s", error)
            raise
        for message in answer.get("messages") or []:
            if isinstance(message, dict) and message.get("id"):
                wamid = str(message["id"])
                await self.store.record_status(wamid, "accepted", self.clock(), [])
                if delivery_id:
                    # A colleague's reply: its statuses go to the inbox (meta_channel).
                    await self.store.remember(f"delivery:{wamid}",
                                              {"delivery_id": delivery_id}, SEEN_FOR)
        return answer

    async def send_text_message(self, recipient_id: Text, text: Text, **kwargs: Any) -> None:
        delivery_id = _delivery_id(kwargs)
        for part in split_text(text, WHATSAPP_TEXT_LIMIT) or [text]:
            await self._send(recipient_id, whatsapp_text, part, delivery_id=delivery_id)

    async def send_custom_json(self, recipient_id: Text, json_message: Dict[Text, Any],
                               **kwargs: Any) -> None:
        """The approved template a colleague may send past 24 hours (actions: relay)."""
        template = json_message.get("whatsapp_template")
        if not isinstance(template, dict):
            logger.warning("whatsapp: custom message without a template ignored")
            return
        language = template.get("language") if template.get("language") in ("nl", "en") else "en"
        await self._send(recipient_id, whatsapp_template,
                         self.settings.whatsapp_answer_template, language,
                         delivery_id=_delivery_id(kwargs), template=True)

    async def send_text_with_buttons(self, recipient_id: Text, text: Text,
                                     buttons: List[Dict[Text, Any]], **kwargs: Any) -> None:
        parts = split_text(text, WHATSAPP_INTERACTIVE_BODY_LIMIT) or [text]
        for part in parts[:-1]:
            await self._send(recipient_id, whatsapp_text, part)
        if any(button.get("title") or button.get("payload") for button in buttons):
            await self._send(recipient_id, whatsapp_choices, parts[-1], buttons)
        else:
            await self._send(recipient_id, whatsapp_text, parts[-1])

    async def send_quick_replies(self, recipient_id: Text, text: Text,
                                 quick_replies: List[Dict[Text, Any]], **kwargs: Any) -> None:
        await self.send_text_with_buttons(recipient_id, text, quick_replies)

    async def send_image_url(self, recipient_id: Text, image: Text, **kwargs: Any) -> None:
        await self._send(
            recipient_id,
            lambda to, url: {"messaging_product": "whatsapp", "recipient_type": "individual",
                             "to": to, "type": "image", "image": {"link": url}},
            image,
        )


def _delivery_id(kwargs: Dict[str, Any]) -> Optional[str]:
    """The inbox delivery a colleague's reply belongs to (set by the relay action)."""
    value = kwargs.get("inbox_delivery_id")
    return str(value) if value else None


class WhatsAppInput(MetaInputChannel):
    channel = "whatsapp"

    def events(self, payload: Dict[str, Any]) -> List[InboundEvent]:
        return whatsapp_events(payload)

    def get_output_channel(self) -> Optional[OutputChannel]:
        if not self.settings.is_ready(self.channel):
            return None
        return WhatsAppOutput(self.settings, self.store, self.clock)
