"""What the inbox knows about the channels a conversation came from (docs/channels.md).

Public comment threads are named `<platform>_comment` by bot/channels/comments.py: every
visitor of the page sees an unanswered question there, so they get the `public` SLA policy, a
`public` tag and priority high.
"""

from __future__ import annotations

PUBLIC_CHANNEL_SUFFIX = "_comment"
PUBLIC_TAG = "public"
# The SLA policy key of every public comment channel (INBOX_CHANNEL_SLA).
PUBLIC_POLICY = "public"

# How a channel is called on the staff page when the customer's own name is unknown.
CHANNEL_LABELS = {
    "messenger": "Messenger",
    "instagram": "Instagram",
    "whatsapp": "WhatsApp",
    "messenger_comment": "Facebook",
    "instagram_comment": "Instagram",
    "socketio": "Web chat",
    "rest": "Web chat",
}


def is_public_channel(channel: str) -> bool:
    """True for tickets about a public comment under one of the brand's posts."""
    return channel.endswith(PUBLIC_CHANNEL_SUFFIX)


def fallback_name(channel: str, conversation_id: str) -> str:
    """A name for a customer whose platform gave none: channel and the id's last four signs.

    Only the tail of the id is shown: enough to tell two customers apart in the queue, without
    putting a whole phone number (WhatsApp ids are numbers) on every queue row.
    """
    label = CHANNEL_LABELS.get(channel, channel.replace("_", " ").capitalize() or "Customer")
    tail = conversation_id.rsplit("-", 1)[-1][-4:]
    return f"{label} ···{tail}" if tail else label
