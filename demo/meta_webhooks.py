"""Webhook deliveries as Meta documents them, signed like Meta signs them (tests and demo)."""

from __future__ import annotations

import json
import time
import uuid
from typing import Any

from bot.channels.signature import HEADER, sign


def signed(payload: dict[str, Any], app_secret: str) -> tuple[bytes, dict[str, str]]:
    """The raw body and headers of a delivery."""
    body = json.dumps(payload, ensure_ascii=False).encode()
    return body, {"Content-Type": "application/json", HEADER: sign(app_secret, body)}


def _millis(at: float | None) -> int:
    return int((time.time() if at is None else at) * 1000)


def messaging(obj: str, owner_id: str, sender: str, event: dict[str, Any],
              at: float | None = None) -> dict[str, Any]:
    """A Messenger (`page`) or Instagram (`instagram`) delivery with one messaging event."""
    stamp = _millis(at)
    return {"object": obj, "entry": [{"id": owner_id, "time": stamp, "messaging": [{
        "sender": {"id": sender}, "recipient": {"id": owner_id}, "timestamp": stamp, **event,
    }]}]}


def text_message(text: str, mid: str | None = None) -> dict[str, Any]:
    return {"message": {"mid": mid or f"m_{uuid.uuid4().hex}", "text": text}}


def image_message(url: str, mid: str | None = None) -> dict[str, Any]:
    return {"message": {"mid": mid or f"m_{uuid.uuid4().hex}",
                        "attachments": [{"type": "image", "payload": {"url": url}}]}}


def whatsapp(phone_number_id: str, sender: str, message: dict[str, Any], name: str = "Klant",
             at: float | None = None) -> dict[str, Any]:
    """A WhatsApp Cloud API delivery with one message."""
    stamp = str(int(time.time() if at is None else at))
    return {"object": "whatsapp_business_account", "entry": [{"id": "WABA-ID", "changes": [{
        "field": "messages",
        "value": {
            "messaging_product": "whatsapp",
            "metadata": {"display_phone_number": "31200000000",
                         "phone_number_id": phone_number_id},
            "contacts": [{"profile": {"name": name}, "wa_id": sender}],
            "messages": [{"from": sender, "id": f"wamid.{uuid.uuid4().hex}",
                          "timestamp": stamp, **message}],
        },
    }]}]}


def whatsapp_text(text: str) -> dict[str, Any]:
    return {"type": "text", "text": {"body": text}}


def whatsapp_button_reply(choice_id: str, title: str) -> dict[str, Any]:
    return {"type": "interactive",
            "interactive": {"type": "button_reply", "button_reply": {"id": choice_id,
                                                                     "title": title}}}


def page_comment(page_id: str, post_id: str, comment_id: str, author_id: str, author: str,
                 text: str) -> dict[str, Any]:
    """A Facebook `feed` change for a new comment."""
    return {"object": "page", "entry": [{"id": page_id, "time": int(time.time()), "changes": [{
        "field": "feed",
        "value": {"item": "comment", "verb": "add", "post_id": post_id,
                  "comment_id": comment_id, "parent_id": post_id, "message": text,
                  "from": {"id": author_id, "name": author},
                  "created_time": int(time.time())},
    }]}]}
