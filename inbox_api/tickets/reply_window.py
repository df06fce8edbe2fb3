"""Meta's messaging window on a ticket: until when a colleague can still reach the customer.

Messenger and Instagram accept any reply for 24 hours after the customer's last message and
a colleague's reply with the HUMAN_AGENT tag for 7 days; WhatsApp only 24 hours, then only an
approved template. Other channels have no window.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Literal

STANDARD = timedelta(hours=24)
HUMAN_AGENT = timedelta(days=7)
WARN_BEFORE = timedelta(hours=2)
# channel -> does it have the HUMAN_AGENT tag (None: no window at all)
WINDOW_CHANNELS: dict[str, bool] = {"messenger": True, "instagram": True, "whatsapp": False}

WindowState = Literal["open", "human_agent", "template_only", "closed"]


@dataclass(frozen=True)
class ReplyWindow:
    """The window at `now`; `warning` while less than two hours of the 24 are left."""

    closes_at: datetime
    human_agent_until: datetime | None
    state: WindowState
    seconds_left: int
    warning: bool


def reply_window(
    channel: str, last_customer_message_at: datetime | None, now: datetime
) -> ReplyWindow | None:
    """The window of a conversation on `channel`, or None when the channel has none."""
    if channel not in WINDOW_CHANNELS or last_customer_message_at is None:
        return None
    closes_at = last_customer_message_at + STANDARD
    tagged_until = last_customer_message_at + HUMAN_AGENT if WINDOW_CHANNELS[channel] else None
    left = closes_at - now
    state: WindowState
    if left > timedelta(0):
        state = "open"
    elif tagged_until is not None and now <= tagged_until:
        state = "human_agent"
    else:
        state = "closed" if tagged_until is not None else "template_only"
    return ReplyWindow(
        closes_at=closes_at,
        human_agent_until=tagged_until,
        state=state,
        seconds_left=max(0, int(left.total_seconds())),
        warning=timedelta(0) < left <= WARN_BEFORE,
    )


# The approved WhatsApp template a colleague may send once the 24 hours are over (docs/
# channels.md: create it in WhatsApp Manager under this name, in Dutch and English). The
# transcript shows its text in the ticket's language.
TEMPLATE_TEXT = {
    "nl": "We hebben een antwoord voor je — reageer om verder te gaan.",
    "en": "We have an answer for you — reply to continue.",
}

_REFUSALS = {
    "template_only": {
        "nl": "Het WhatsApp-venster van 24 uur is gesloten om {closes}. WhatsApp bezorgt nu "
        "alleen het goedgekeurde sjabloon; verstuur dat, en antwoord zodra de klant reageert.",
        "en": "The WhatsApp 24-hour window closed at {closes}. WhatsApp now delivers only the "
        "approved template; send that, and answer once the customer replies.",
    },
    "closed": {
        "nl": "Het venster is gesloten: ook met de HUMAN_AGENT-tag mocht je tot {until} "
        "antwoorden. Meta bezorgt geen antwoord meer tot de klant opnieuw schrijft.",
        "en": "The window has closed: even with the HUMAN_AGENT tag you could reply until "
        "{until}. Meta delivers no reply until the customer writes again.",
    },
    "template_not_needed": {
        "nl": "Het sjabloon is alleen voor WhatsApp na 24 uur; schrijf gewoon je antwoord.",
        "en": "The template is only for WhatsApp after 24 hours; just write your reply.",
    },
}


def refusal(reason: str, language: str, closes: str = "", until: str = "") -> str:
    """Why a reply cannot go out, in the agent's language (nl or en)."""
    texts = _REFUSALS[reason]
    return texts.get(language, texts["en"]).format(closes=closes, until=until)


def reply_refusal(window: ReplyWindow | None, mode: str) -> str | None:
    """The refusal reason for a reply of `mode` ("text" or "template"), or None when it may go."""
    if mode == "template":
        return (
            None
            if window is not None and window.state == "template_only"
            else ("template_not_needed")
        )
    if window is None or window.state in ("open", "human_agent"):
        return None
    return window.state
