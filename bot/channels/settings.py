"""The channels' settings, read once from the environment (never from files in the repository).

Secrets come from the deployment's environment (`var/secrets.env` locally); credentials.yml
only names the connector classes.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path
from typing import FrozenSet, List, Mapping, Optional

from bot.channels.window import WindowPolicy

DEFAULT_GRAPH_URL = "https://graph.facebook.com/v21.0"
ALL_CHANNELS = frozenset({"messenger", "instagram", "whatsapp"})


@dataclass(frozen=True)
class ChannelSettings:
    graph_url: str = DEFAULT_GRAPH_URL
    app_secret: str = ""
    verify_token: str = ""
    page_id: str = ""
    page_access_token: str = ""
    instagram_account_id: str = ""
    whatsapp_access_token: str = ""
    whatsapp_phone_number_id: str = ""
    enabled: FrozenSet[str] = ALL_CHANNELS
    redis_url: Optional[str] = None
    redis_prefix: str = "linde"
    store_path: Path = Path("var/channels.db")
    standard_window: timedelta = timedelta(hours=24)
    human_agent_window: timedelta = timedelta(days=7)
    praise_action: str = "like"  # public praise: "like", "reply" (a thank-you) or "none"
    # Where WhatsApp's status callbacks for a colleague's reply go (the inbox, service token).
    inbox_url: str = ""
    inbox_token: str = ""
    # The approved template ("We have an answer for you — reply to continue", nl and en).
    whatsapp_answer_template: str = "answer_ready"

    @classmethod
    def from_env(cls, environ: Optional[Mapping[str, str]] = None) -> "ChannelSettings":
        env = os.environ if environ is None else environ
        enabled = env.get("CHANNELS_ENABLED")
        return cls(
            graph_url=env.get("META_GRAPH_URL", DEFAULT_GRAPH_URL).rstrip("/"),
            app_secret=env.get("META_APP_SECRET", ""),
            verify_token=env.get("META_VERIFY_TOKEN", ""),
            page_id=env.get("META_PAGE_ID", ""),
            page_access_token=env.get("META_PAGE_ACCESS_TOKEN", ""),
            instagram_account_id=env.get("INSTAGRAM_ACCOUNT_ID", ""),
            whatsapp_access_token=env.get("WHATSAPP_ACCESS_TOKEN", ""),
            whatsapp_phone_number_id=env.get("WHATSAPP_PHONE_NUMBER_ID", ""),
            enabled=(frozenset(n.strip() for n in enabled.split(",") if n.strip())
                     if enabled is not None else ALL_CHANNELS),
            redis_url=env.get("CHANNELS_REDIS_URL") or env.get("REDIS_URL") or None,
            redis_prefix=env.get("REDIS_PREFIX", "linde"),
            store_path=Path(env.get("CHANNELS_STORE_PATH", "var/channels.db")),
            standard_window=timedelta(hours=float(env.get("CHANNELS_WINDOW_HOURS", "24"))),
            human_agent_window=timedelta(
                days=float(env.get("CHANNELS_HUMAN_AGENT_WINDOW_DAYS", "7"))
            ),
            praise_action=env.get("CHANNELS_PRAISE_ACTION", "like"),
            inbox_url=env.get("INBOX_URL", "").rstrip("/"),
            inbox_token=env.get("INBOX_SERVICE_TOKEN", ""),
            whatsapp_answer_template=env.get("WHATSAPP_ANSWER_TEMPLATE", "answer_ready"),
        )

    def missing(self, channel: str) -> List[str]:
        """Names of the variables a channel still needs (empty: ready)."""
        needed = {"META_APP_SECRET": self.app_secret, "META_VERIFY_TOKEN": self.verify_token}
        if channel in ("messenger", "instagram"):
            needed["META_PAGE_ACCESS_TOKEN"] = self.page_access_token
        if channel == "whatsapp":
            needed["WHATSAPP_ACCESS_TOKEN"] = self.whatsapp_access_token
            needed["WHATSAPP_PHONE_NUMBER_ID"] = self.whatsapp_phone_number_id
        return [name for name, value in needed.items() if not value]

    def is_ready(self, channel: str) -> bool:
        return channel in self.enabled and not self.missing(channel)

    def window_policy(self, channel: str) -> WindowPolicy:
        """WhatsApp has no HUMAN_AGENT tag: past 24 hours only a template may be sent."""
        agent = None if channel == "whatsapp" else self.human_agent_window
        return WindowPolicy(standard=self.standard_window, human_agent=agent)
