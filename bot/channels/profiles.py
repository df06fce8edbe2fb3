"""Who wrote and under what: the customer's display name (Graph profile) and a comment's post.

Both are Graph API reads made while a message is handled, so they are cached in the channels'
shared store (a day for names, an hour for posts) and never fail the message: without an
answer the inbox shows its own fallback name (channel and the id's last digits).
"""

from __future__ import annotations

import logging
from datetime import timedelta
from typing import Any, Dict, Optional

from bot.channels.graph import GraphClient
from bot.channels.settings import ChannelSettings
from bot.channels.store import ChannelStore

logger = logging.getLogger(__name__)

NAME_FOR = timedelta(days=1)
POST_FOR = timedelta(hours=1)
# Documented profile fields: Messenger (first_name, last_name), Instagram (name, username).
PROFILE_FIELDS = {"messenger": "first_name,last_name", "instagram": "name,username"}
# Documented post fields: a Page post (message, permalink_url), an Instagram media (caption,
# permalink).
POST_FIELDS = {"messenger": "message,permalink_url", "instagram": "caption,permalink"}


def _page_graph(settings: ChannelSettings) -> GraphClient:
    return GraphClient(settings.graph_url, settings.page_access_token, token_in_header=False)


def _name_of(profile: Dict[str, Any]) -> Optional[str]:
    full = " ".join(str(profile.get(k) or "").strip() for k in ("first_name", "last_name"))
    name = " ".join(full.split()) or str(profile.get("name") or "").strip()
    if not name and profile.get("username"):
        name = f"@{profile['username']}"
    return name or None


async def display_name(settings: ChannelSettings, store: ChannelStore, channel: str,
                       user_id: str) -> Optional[str]:
    """The person's name from their Graph profile (cached), or None when Meta gives none."""
    fields = PROFILE_FIELDS.get(channel)
    if not fields or not user_id:
        return None
    key = f"profile:{channel}:{user_id}"
    cached = await store.recall(key)
    if cached is not None:
        return cached.get("name")
    try:
        profile = await _page_graph(settings).request("GET", f"{user_id}?fields={fields}")
        name = _name_of(profile)
    except Exception as error:  # a name is never worth failing the message for
        logger.info("%s: no profile for a customer (%s)", channel, error)
        name = None
    # A miss is remembered too (for an hour), so a profile Meta refuses is not asked each time.
    await store.remember(key, {"name": name}, NAME_FOR if name else POST_FOR)
    return name


async def post_context(settings: ChannelSettings, store: ChannelStore, channel: str,
                       post_id: Optional[str]) -> Optional[Dict[str, Any]]:
    """The post a comment is under: its id, text and permalink (cached), or just its id."""
    if not post_id:
        return None
    key = f"post:{channel}:{post_id}"
    cached = await store.recall(key)
    if cached is not None:
        return cached
    fields = POST_FIELDS.get(channel, POST_FIELDS["messenger"])
    post: Dict[str, Any] = {"id": post_id, "text": "", "permalink": None}
    try:
        found = await _page_graph(settings).request("GET", f"{post_id}?fields={fields}")
        post["text"] = str(found.get("message") or found.get("caption") or "")
        link = found.get("permalink_url") or found.get("permalink")
        post["permalink"] = str(link) if link else None
    except Exception as error:
        logger.info("%s: post %s not read (%s)", channel, post_id, error)
        return post
    await store.remember(key, post, POST_FOR)
    return post
