"""Meta webhook payloads turned into the few kinds of event the connectors act on.

Shapes as documented for the Messenger Platform (`object: page` / `instagram`, `entry[].
messaging[]`) and the WhatsApp Cloud API (`object: whatsapp_business_account`,
`entry[].changes[].value.messages[]` / `statuses[]`). Anything else becomes IGNORED with a
reason, so a new Meta event type is logged instead of crashing the webhook.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timezone
from typing import Any, Dict, List, Optional

TEXT = "text"              # something the assistant should read (typed, quick reply, postback)
ATTACHMENT = "attachment"  # photo, video, audio, file: a colleague must look at it
STICKER = "sticker"        # a sticker or the like button: no words, nothing to look at
IGNORED = "ignored"        # echoes, reactions, reads, deliveries, unknown types
STATUS = "status"          # WhatsApp sent/delivered/read/failed callback
COMMENT = "comment"        # a public comment on a post (Facebook feed, Instagram comments)


@dataclass(frozen=True)
class Attachment:
    type: str
    url: Optional[str] = None


@dataclass(frozen=True)
class InboundEvent:
    kind: str
    sender: str = ""
    message_id: Optional[str] = None
    text: str = ""
    timestamp: Optional[datetime] = None
    attachments: List[Attachment] = field(default_factory=list)
    display_name: Optional[str] = None
    reason: str = ""
    # WhatsApp status callbacks
    status: Optional[str] = None
    errors: List[Dict[str, Any]] = field(default_factory=list)
    # Public comments
    post_id: Optional[str] = None
    parent_id: Optional[str] = None


def _from_millis(value: Any) -> Optional[datetime]:
    try:
        return datetime.fromtimestamp(int(value) / 1000, tz=timezone.utc)
    except (TypeError, ValueError, OverflowError, OSError):
        return None


def _from_seconds(value: Any) -> Optional[datetime]:
    try:
        return datetime.fromtimestamp(int(value), tz=timezone.utc)
    except (TypeError, ValueError, OverflowError, OSError):
        return None


def _dicts(value: Any) -> List[Dict[str, Any]]:
    return [item for item in value if isinstance(item, dict)] if isinstance(value, list) else []


def _attachments(message: Dict[str, Any]) -> List[Attachment]:
    found = []
    for item in _dicts(message.get("attachments")):
        payload = item.get("payload") if isinstance(item.get("payload"), dict) else {}
        url = payload.get("url")
        found.append(Attachment(str(item.get("type") or "file"),
                                str(url) if isinstance(url, str) else None))
    return found


def _messaging_event(event: Dict[str, Any]) -> InboundEvent:
    sender = str((event.get("sender") or {}).get("id") or "")
    at = _from_millis(event.get("timestamp"))
    message = event.get("message")
    if isinstance(message, dict):
        mid = message.get("mid")
        mid = str(mid) if mid else None
        if message.get("is_echo"):
            return InboundEvent(IGNORED, sender, mid, timestamp=at, reason="echo")
        if message.get("is_deleted") or message.get("is_unsupported"):
            return InboundEvent(IGNORED, sender, mid, timestamp=at, reason="unsupported")
        quick_reply = message.get("quick_reply")
        if isinstance(quick_reply, dict) and quick_reply.get("payload"):
            return InboundEvent(TEXT, sender, mid, str(quick_reply["payload"]), at)
        if message.get("sticker_id"):
            return InboundEvent(STICKER, sender, mid, timestamp=at, reason="sticker")
        attachments = _attachments(message)
        text = message.get("text")
        if isinstance(text, str) and text.strip() and not attachments:
            return InboundEvent(TEXT, sender, mid, text, at)
        if attachments:
            return InboundEvent(ATTACHMENT, sender, mid, text if isinstance(text, str) else "",
                                at, attachments)
        return InboundEvent(IGNORED, sender, mid, timestamp=at, reason="empty message")
    postback = event.get("postback")
    if isinstance(postback, dict):
        mid = postback.get("mid")
        text = postback.get("payload") or postback.get("title") or ""
        return InboundEvent(TEXT if text else IGNORED, sender, str(mid) if mid else None,
                            str(text), at, reason="" if text else "empty postback")
    for other in ("reaction", "read", "delivery", "referral", "optin", "account_linking"):
        if other in event:
            return InboundEvent(IGNORED, sender, timestamp=at, reason=other)
    return InboundEvent(IGNORED, sender, timestamp=at, reason="unknown messaging event")


def _comment_change(obj: str, change: Dict[str, Any]) -> Optional[InboundEvent]:
    value = change.get("value") if isinstance(change.get("value"), dict) else {}
    field_name = change.get("field")
    if obj == "page" and field_name == "feed":
        if value.get("item") != "comment" or value.get("verb") != "add":
            return InboundEvent(IGNORED, reason=f"feed {value.get('item')} {value.get('verb')}")
        author = value.get("from") if isinstance(value.get("from"), dict) else {}
        return InboundEvent(
            COMMENT, str(author.get("id") or ""), str(value.get("comment_id") or ""),
            str(value.get("message") or ""), _from_seconds(value.get("created_time")),
            display_name=author.get("name"), post_id=str(value.get("post_id") or ""),
            parent_id=str(value.get("parent_id") or "") or None,
        )
    if obj == "instagram" and field_name == "comments":
        author = value.get("from") if isinstance(value.get("from"), dict) else {}
        media = value.get("media") if isinstance(value.get("media"), dict) else {}
        return InboundEvent(
            COMMENT, str(author.get("id") or ""), str(value.get("id") or ""),
            str(value.get("text") or ""), None, display_name=author.get("username"),
            post_id=str(media.get("id") or ""), parent_id=value.get("parent_id"),
        )
    return None


def messaging_events(payload: Dict[str, Any], expected_object: str) -> List[InboundEvent]:
    """Events of a Messenger (`page`) or Instagram (`instagram`) webhook delivery."""
    if payload.get("object") != expected_object:
        return [InboundEvent(IGNORED, reason=f"object {payload.get('object')!r}")]
    events: List[InboundEvent] = []
    for entry in _dicts(payload.get("entry")):
        for event in _dicts(entry.get("messaging")):
            events.append(_messaging_event(event))
        for change in _dicts(entry.get("changes")):
            comment = _comment_change(expected_object, change)
            events.append(comment or InboundEvent(IGNORED, reason=f"change {change.get('field')}"))
    return events


_WHATSAPP_MEDIA = ("image", "video", "audio", "document", "sticker")


def _whatsapp_message(message: Dict[str, Any], names: Dict[str, str]) -> InboundEvent:
    sender = str(message.get("from") or "")
    mid = str(message.get("id")) if message.get("id") else None
    at = _from_seconds(message.get("timestamp"))
    name = names.get(sender)
    kind = message.get("type")
    if kind == "text":
        body = (message.get("text") or {}).get("body")
        if isinstance(body, str) and body.strip():
            return InboundEvent(TEXT, sender, mid, body, at, display_name=name)
    if kind == "interactive":
        interactive = message.get("interactive") or {}
        reply = interactive.get("button_reply") or interactive.get("list_reply") or {}
        chosen = reply.get("id") or reply.get("title")
        if chosen:
            return InboundEvent(TEXT, sender, mid, str(chosen), at, display_name=name)
    if kind == "button":  # a quick-reply button of a template message
        button = message.get("button") or {}
        chosen = button.get("payload") or button.get("text")
        if chosen:
            return InboundEvent(TEXT, sender, mid, str(chosen), at, display_name=name)
    if kind == "sticker":
        return InboundEvent(STICKER, sender, mid, timestamp=at, display_name=name,
                            reason="sticker")
    if kind in _WHATSAPP_MEDIA:
        media = message.get(kind) or {}
        caption = media.get("caption") if isinstance(media.get("caption"), str) else ""
        # Cloud API media come as an id; the URL needs a further Graph call with the token.
        reference = f"whatsapp-media:{media.get('id')}" if media.get("id") else None
        return InboundEvent(ATTACHMENT, sender, mid, caption, at, [Attachment(kind, reference)],
                            display_name=name)
    if kind == "reaction":
        return InboundEvent(IGNORED, sender, mid, timestamp=at, reason="reaction")
    return InboundEvent(IGNORED, sender, mid, timestamp=at, display_name=name,
                        reason=f"whatsapp type {kind!r}")


def whatsapp_events(payload: Dict[str, Any]) -> List[InboundEvent]:
    """Messages and status callbacks of a WhatsApp Cloud API webhook delivery."""
    if payload.get("object") != "whatsapp_business_account":
        return [InboundEvent(IGNORED, reason=f"object {payload.get('object')!r}")]
    events: List[InboundEvent] = []
    for entry in _dicts(payload.get("entry")):
        for change in _dicts(entry.get("changes")):
            value = change.get("value") if isinstance(change.get("value"), dict) else {}
            if change.get("field") != "messages":
                events.append(InboundEvent(IGNORED, reason=f"change {change.get('field')}"))
                continue
            names = {
                str(contact.get("wa_id")): str((contact.get("profile") or {}).get("name"))
                for contact in _dicts(value.get("contacts"))
                if (contact.get("profile") or {}).get("name")
            }
            for message in _dicts(value.get("messages")):
                events.append(_whatsapp_message(message, names))
            for status in _dicts(value.get("statuses")):
                events.append(InboundEvent(
                    STATUS, str(status.get("recipient_id") or ""),
                    str(status.get("id")) if status.get("id") else None,
                    timestamp=_from_seconds(status.get("timestamp")),
                    status=str(status.get("status") or ""), errors=_dicts(status.get("errors")),
                ))
    return events
