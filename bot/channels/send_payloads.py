"""Request bodies for Meta's Send API (Messenger, Instagram) and the WhatsApp Cloud API."""

from __future__ import annotations

from typing import Any, Dict, List, Optional

from bot.channels.window import HUMAN_AGENT

MAX_QUICK_REPLIES = 13
QUICK_REPLY_TITLE = 20
QUICK_REPLY_PAYLOAD = 1000
WHATSAPP_MAX_BUTTONS = 3
WHATSAPP_BUTTON_TITLE = 20
WHATSAPP_BUTTON_ID = 256
WHATSAPP_MAX_ROWS = 10
WHATSAPP_ROW_TITLE = 24
WHATSAPP_ROW_DESCRIPTION = 72
WHATSAPP_ROW_ID = 200
# The list's menu button; the output channel does not know the conversation language.
WHATSAPP_LIST_BUTTON = "Kies · Choose"


def _clip(text: str, limit: int) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def _title(button: Dict[str, Any]) -> str:
    return str(button.get("title") or button.get("payload") or "").strip()


def _payload(button: Dict[str, Any]) -> str:
    return str(button.get("payload") or button.get("title") or "").strip()


def messenger_message(
    recipient: str, message: Dict[str, Any], window: str
) -> Dict[str, Any]:
    """A Send API body; past 24 hours (window HUMAN_AGENT) it carries the HUMAN_AGENT tag."""
    body: Dict[str, Any] = {"recipient": {"id": recipient}, "message": message}
    if window == HUMAN_AGENT:
        body["messaging_type"] = "MESSAGE_TAG"
        body["tag"] = "HUMAN_AGENT"
    else:
        body["messaging_type"] = "RESPONSE"
    return body


def messenger_text(text: str, buttons: Optional[List[Dict[str, Any]]] = None) -> Dict[str, Any]:
    """A text message, with the assistant's buttons as quick replies."""
    message: Dict[str, Any] = {"text": text}
    replies = []
    for button in (buttons or [])[:MAX_QUICK_REPLIES]:
        title, payload = _title(button), _payload(button)
        if not title:
            continue
        replies.append({
            "content_type": "text",
            "title": _clip(title, QUICK_REPLY_TITLE),
            # A payload Meta would refuse is replaced by the title, which the NLU can read.
            "payload": payload if len(payload) <= QUICK_REPLY_PAYLOAD else title,
        })
    if replies:
        message["quick_replies"] = replies
    return message


def messenger_image(url: str) -> Dict[str, Any]:
    return {"attachment": {"type": "image", "payload": {"url": url, "is_reusable": True}}}


def sender_action(recipient: str, action: str = "typing_on") -> Dict[str, Any]:
    """Typing indicator (typing_on / typing_off / mark_seen)."""
    return {"recipient": {"id": recipient}, "sender_action": action}


def private_reply(comment_id: str, text: str) -> Dict[str, Any]:
    """The Private Replies API: a message to the author of a comment."""
    return {"recipient": {"comment_id": comment_id}, "message": {"text": text}}


def whatsapp_text(to: str, text: str) -> Dict[str, Any]:
    return {
        "messaging_product": "whatsapp",
        "recipient_type": "individual",
        "to": to,
        "type": "text",
        "text": {"preview_url": False, "body": text},
    }


def whatsapp_template(to: str, name: str, language: str) -> Dict[str, Any]:
    """An approved template message (the only kind WhatsApp delivers after 24 hours)."""
    return {
        "messaging_product": "whatsapp",
        "recipient_type": "individual",
        "to": to,
        "type": "template",
        "template": {"name": name, "language": {"code": language}},
    }


def _choice_id(button: Dict[str, Any], limit: int) -> str:
    payload = _payload(button)
    return payload if len(payload) <= limit else _title(button)[:limit]


def whatsapp_choices(to: str, text: str, buttons: List[Dict[str, Any]]) -> Dict[str, Any]:
    """Reply buttons for up to three choices; a list message for more (at most ten)."""
    usable = [button for button in buttons if _title(button)]
    if len(usable) <= WHATSAPP_MAX_BUTTONS:
        interactive: Dict[str, Any] = {
            "type": "button",
            "body": {"text": text},
            "action": {"buttons": [
                {"type": "reply", "reply": {
                    "id": _choice_id(button, WHATSAPP_BUTTON_ID),
                    "title": _clip(_title(button), WHATSAPP_BUTTON_TITLE),
                }}
                for button in usable
            ]},
        }
    else:
        rows = []
        for button in usable[:WHATSAPP_MAX_ROWS]:
            title = _title(button)
            row = {"id": _choice_id(button, WHATSAPP_ROW_ID),
                   "title": _clip(title, WHATSAPP_ROW_TITLE)}
            if len(title) > WHATSAPP_ROW_TITLE:
                row["description"] = _clip(title, WHATSAPP_ROW_DESCRIPTION)
            rows.append(row)
        interactive = {
            "type": "list",
            "body": {"text": text},
            "action": {"button": WHATSAPP_LIST_BUTTON, "sections": [{"rows": rows}]},
        }
    return {
        "messaging_product": "whatsapp",
        "recipient_type": "individual",
        "to": to,
        "type": "interactive",
        "interactive": interactive,
    }
