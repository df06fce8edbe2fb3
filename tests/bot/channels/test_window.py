"""Meta's messaging window: 24 hours for anyone, 7 days for a human agent with the tag."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from bot.channels.settings import ChannelSettings
from bot.channels.window import CLOSED, HUMAN_AGENT, STANDARD, time_left, window_state

LAST = datetime(2026, 11, 27, 17, 30, tzinfo=UTC)  # a Friday evening message


@pytest.mark.parametrize(
    ("elapsed", "messenger", "whatsapp"),
    [
        (timedelta(minutes=1), STANDARD, STANDARD),
        (timedelta(hours=24), STANDARD, STANDARD),
        (timedelta(hours=24, seconds=1), HUMAN_AGENT, CLOSED),  # Saturday evening
        (timedelta(days=2, hours=16), HUMAN_AGENT, CLOSED),     # Monday's shift
        (timedelta(days=7, seconds=1), CLOSED, CLOSED),
    ],
)
def test_window_by_channel(elapsed: timedelta, messenger: str, whatsapp: str) -> None:
    settings = ChannelSettings()
    now = LAST + elapsed
    assert window_state(LAST, now, settings.window_policy("messenger")) == messenger
    assert window_state(LAST, now, settings.window_policy("instagram")) == messenger
    assert window_state(LAST, now, settings.window_policy("whatsapp")) == whatsapp


def test_no_customer_message_means_no_window() -> None:
    assert window_state(None, LAST, ChannelSettings().window_policy("messenger")) == CLOSED


def test_time_left_counts_down_to_zero() -> None:
    policy = ChannelSettings().window_policy("messenger")
    assert time_left(LAST, LAST + timedelta(hours=22), policy) == timedelta(hours=2)
    assert time_left(LAST, LAST + timedelta(days=3), policy) == timedelta(0)


def test_window_lengths_come_from_settings() -> None:
    settings = ChannelSettings.from_env({"CHANNELS_WINDOW_HOURS": "1",
                                         "CHANNELS_HUMAN_AGENT_WINDOW_DAYS": "2"})
    policy = settings.window_policy("instagram")
    assert window_state(LAST, LAST + timedelta(hours=2), policy) == HUMAN_AGENT
    assert window_state(LAST, LAST + timedelta(days=3), policy) == CLOSED
