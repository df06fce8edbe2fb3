"""Channels are switched on by settings and stay off while a secret is missing."""

from __future__ import annotations

from bot.channels.settings import ChannelSettings

COMPLETE = {
    "META_APP_SECRET": "s", "META_VERIFY_TOKEN": "v", "META_PAGE_ACCESS_TOKEN": "p",
    "WHATSAPP_ACCESS_TOKEN": "w", "WHATSAPP_PHONE_NUMBER_ID": "123",
}


def test_all_three_are_ready_with_every_secret() -> None:
    settings = ChannelSettings.from_env(COMPLETE)
    assert [settings.is_ready(c) for c in ("messenger", "instagram", "whatsapp")] == [True] * 3


def test_a_missing_secret_names_the_variable() -> None:
    settings = ChannelSettings.from_env({**COMPLETE, "WHATSAPP_ACCESS_TOKEN": ""})
    assert settings.missing("whatsapp") == ["WHATSAPP_ACCESS_TOKEN"]
    assert not settings.is_ready("whatsapp")
    assert settings.is_ready("messenger")
    assert ChannelSettings.from_env({}).missing("instagram") == [
        "META_APP_SECRET", "META_VERIFY_TOKEN", "META_PAGE_ACCESS_TOKEN"]


def test_channels_enabled_switches_channels_off() -> None:
    settings = ChannelSettings.from_env({**COMPLETE, "CHANNELS_ENABLED": "messenger, whatsapp"})
    assert settings.is_ready("messenger") and settings.is_ready("whatsapp")
    assert not settings.is_ready("instagram")
    assert not ChannelSettings.from_env({**COMPLETE, "CHANNELS_ENABLED": ""}).is_ready(
        "messenger")


def test_graph_url_and_store_come_from_settings() -> None:
    settings = ChannelSettings.from_env({"META_GRAPH_URL": "http://127.0.0.1:9/v21.0/",
                                         "REDIS_URL": "redis://r/0"})
    assert settings.graph_url == "http://127.0.0.1:9/v21.0"
    assert settings.redis_url == "redis://r/0"
    assert ChannelSettings.from_env({"REDIS_URL": "redis://r/0",
                                     "CHANNELS_REDIS_URL": "redis://c/1"}).redis_url == (
        "redis://c/1")
