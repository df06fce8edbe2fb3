"""What snooze does to each SLA clock, at fixed instants (docs/inbox.md, "Snooze")."""

from __future__ import annotations

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from inbox_api.sla.calendar import BusinessCalendar
from inbox_api.sla.policy import HistoryEvent, TicketHistory, evaluate
from inbox_api.snooze.policy import SnoozeRefused, until_reply, until_time

AMS = ZoneInfo("Europe/Amsterdam")
CAL = BusinessCalendar()
# Monday 23 November 2026, 10:00 in Amsterdam; normal priority: first response due 14:00.
ESC = datetime(2026, 11, 23, 10, 0, tzinfo=AMS)


def h(hours: float) -> datetime:
    return ESC + timedelta(hours=hours)


def test_a_timed_snooze_ends_at_the_first_response_warning_and_moves_no_deadline() -> None:
    waiting = evaluate(TicketHistory(ESC, "normal"), h(1), CAL)
    snooze = until_time(h(24), waiting.current, h(1))
    first = waiting.current["first_response"]
    assert first is not None and first.warning_at == datetime(2026, 11, 23, 13, 12, tzinfo=AMS)
    # Back in the queue at the warning point, not tomorrow.
    assert snooze.until == first.warning_at and snooze.shortened_by == "first_response"
    # Snooze is not an event of the history: the clocks run on and the deadlines stay put.
    later = evaluate(TicketHistory(ESC, "normal"), h(3.5), CAL).current["first_response"]
    assert later is not None and later.state == "warning" and later.due_at == first.due_at


def test_a_short_snooze_ends_when_asked() -> None:
    waiting = evaluate(TicketHistory(ESC, "normal"), h(1), CAL)
    snooze = until_time(h(2), waiting.current, h(1))
    assert snooze.until == h(2) and snooze.shortened_by is None


def test_an_answered_ticket_snoozes_until_the_resolution_warning_at_most() -> None:
    history = TicketHistory(ESC, "normal", [HistoryEvent(h(0.5), "agent")])
    now = h(1)
    current = evaluate(history, now, CAL).current
    resolution = current["resolution"]
    assert resolution is not None and resolution.warning_at is not None
    snooze = until_time(now + timedelta(days=29), current, now)
    assert snooze.until == resolution.warning_at and snooze.shortened_by == "resolution"


def test_a_late_clock_cannot_be_snoozed_away() -> None:
    late = evaluate(TicketHistory(ESC, "normal"), h(3.5), CAL).current
    with pytest.raises(SnoozeRefused, match="first response clock is already in warning"):
        until_time(h(5), late, h(3.5))
    overdue = evaluate(TicketHistory(ESC, "normal"), h(6), CAL).current
    with pytest.raises(SnoozeRefused, match="breached"):
        until_time(h(7), overdue, h(6))


def test_until_reply_only_once_the_customer_is_answered() -> None:
    waiting = evaluate(TicketHistory(ESC, "normal"), h(1), CAL).current
    with pytest.raises(SnoozeRefused, match="waiting for an answer \\(first response\\)"):
        until_reply(waiting)
    answered = TicketHistory(ESC, "normal", [HistoryEvent(h(0.5), "agent")])
    assert until_reply(evaluate(answered, h(1), CAL).current).mode == "reply"
    # The customer wrote again and nobody answered yet: the next-response clock runs.
    again = TicketHistory(
        ESC, "normal", [HistoryEvent(h(0.5), "agent"), HistoryEvent(h(0.8), "customer")]
    )
    with pytest.raises(SnoozeRefused, match="next response"):
        until_reply(evaluate(again, h(1), CAL).current)


def test_bad_times_are_refused() -> None:
    current = evaluate(TicketHistory(ESC, "normal"), h(1), CAL).current
    with pytest.raises(SnoozeRefused, match="still to come"):
        until_time(h(1), current, h(1))
    with pytest.raises(SnoozeRefused, match="30 days"):
        until_time(h(1) + timedelta(days=31), current, h(1))


def test_waiting_on_the_customer_pauses_resolution_but_no_response_clock() -> None:
    # The "until the customer answers" snooze sets waiting_on_customer: the policy's own rule.
    history = TicketHistory(
        ESC,
        "normal",
        [HistoryEvent(h(0.5), "agent"), HistoryEvent(h(0.6), "status", "waiting_on_customer")],
    )
    at = evaluate(history, h(30), CAL).current
    assert at["resolution"] is not None and at["resolution"].state == "paused"
    assert at["first_response"] is not None and at["first_response"].state == "met"
    assert at["next_response"] is None
    # The customer answers: resolution runs again and a next-response cycle starts.
    answered = TicketHistory(ESC, "normal", [*history.events, HistoryEvent(h(30), "customer")])
    after = evaluate(answered, h(30.5), CAL).current
    assert after["resolution"] is not None and after["resolution"].state == "running"
    assert after["next_response"] is not None and after["next_response"].state == "running"
