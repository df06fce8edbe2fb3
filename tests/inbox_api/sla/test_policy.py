"""The SLA rules as pure functions of (history, now), at fixed instants."""

from __future__ import annotations

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from inbox_api.sla.calendar import BusinessCalendar
from inbox_api.sla.policy import HistoryEvent, TicketHistory, evaluate

AMS = ZoneInfo("Europe/Amsterdam")
CAL = BusinessCalendar()
# Monday 23 November 2026, 10:00 in Amsterdam.
ESC = datetime(2026, 11, 23, 10, 0, tzinfo=AMS)


def h(hours: float) -> datetime:
    """ESC plus wall-clock hours."""
    return ESC + timedelta(hours=hours)


def ev(hours: float, kind: str, status: str | None = None) -> HistoryEvent:
    return HistoryEvent(h(hours), kind, status)  # type: ignore[arg-type]


def test_first_response_due_in_business_time_and_met_by_a_reply() -> None:
    waiting = evaluate(TicketHistory(ESC, "normal"), h(1), CAL)
    first = waiting.current["first_response"]
    assert first is not None and first.state == "running"
    assert first.due_at == datetime(2026, 11, 23, 14, 0, tzinfo=AMS)
    assert first.warning_at == datetime(2026, 11, 23, 13, 12, tzinfo=AMS)

    answered = evaluate(TicketHistory(ESC, "normal", [ev(2, "agent")]), h(30), CAL)
    first = answered.current["first_response"]
    assert first is not None and first.state == "met" and first.done_at == h(2)
    assert answered.crossed == []


def test_priority_sets_the_budget_and_the_evening_does_not_count() -> None:
    evening = datetime(2026, 11, 23, 17, 0, tzinfo=AMS)
    snap = evaluate(TicketHistory(evening, "urgent"), evening, CAL)
    first = snap.current["first_response"]
    # 30 minutes: 17:00-17:30 is the whole budget.
    assert first is not None and first.due_at == datetime(2026, 11, 23, 17, 30, tzinfo=AMS)
    low = evaluate(TicketHistory(evening, "low"), evening, CAL).current["first_response"]
    # 8 h: 0.5 h on Monday, 7.5 h on Tuesday -> 16:30.
    assert low is not None and low.due_at == datetime(2026, 11, 24, 16, 30, tzinfo=AMS)


def test_warning_then_breach_are_crossed_once_each() -> None:
    history = TicketHistory(ESC, "high")  # 1 h budget: warning 10:48, breach 11:00
    before = evaluate(history, h(0.5), CAL)
    assert before.crossed == [] and before.next_check_at == h(0.8)
    warned = evaluate(history, h(0.9), CAL)
    assert [(t.metric, t.kind, t.at) for t in warned.crossed] == [
        ("first_response", "warning", h(0.8))
    ]
    assert warned.current["first_response"].state == "warning"  # type: ignore[union-attr]
    breached = evaluate(history, h(1.5), CAL)
    kinds = [(t.metric, t.cycle, t.kind) for t in breached.crossed]
    assert kinds == [("first_response", 1, "warning"), ("first_response", 1, "breach")]
    assert breached.current["first_response"].state == "breached"  # type: ignore[union-attr]


def test_a_late_reply_is_missed_and_keeps_its_breach() -> None:
    snap = evaluate(TicketHistory(ESC, "high", [ev(2, "agent")]), h(3), CAL)
    first = snap.current["first_response"]
    assert first is not None and first.state == "missed"
    assert {t.kind for t in snap.crossed} == {"warning", "breach"}


def test_time_with_the_assistant_never_counts() -> None:
    # A customer line from before the escalation changes nothing.
    snap = evaluate(TicketHistory(ESC, "normal", [ev(-5, "customer")]), h(1), CAL)
    assert snap.current["next_response"] is None
    assert snap.current["first_response"].due_at == h(4)  # type: ignore[union-attr]


def test_next_response_runs_from_the_oldest_unanswered_customer_message() -> None:
    history = TicketHistory(
        ESC,
        "normal",
        [ev(1, "agent"), ev(2, "customer"), ev(3, "customer"), ev(3.5, "agent"), ev(4, "customer")],
    )
    snap = evaluate(history, h(4.5), CAL)
    nxt = snap.current["next_response"]
    assert nxt is not None and nxt.cycle == 2 and nxt.state == "running"
    # Cycle 2 started at 14:00 Monday: 3.5 h left on Monday, 0.5 h on Tuesday -> 09:30.
    assert nxt.due_at == datetime(2026, 11, 24, 9, 30, tzinfo=AMS)
    first_cycle = [c for c in snap.clocks if c.metric == "next_response" and c.cycle == 1]
    assert first_cycle[0].started_at == h(2) and first_cycle[0].done_at == h(3.5)


def test_customer_messages_before_the_first_reply_do_not_start_next_response() -> None:
    snap = evaluate(TicketHistory(ESC, "normal", [ev(0.5, "customer")]), h(1), CAL)
    assert snap.current["next_response"] is None


def test_waiting_on_customer_pauses_resolution_and_moves_its_deadline() -> None:
    running = evaluate(TicketHistory(ESC, "urgent"), h(1), CAL).current["resolution"]
    assert running is not None
    assert running.due_at == datetime(2026, 11, 24, 9, 30, tzinfo=AMS)  # 8 h of business time

    paused_history = [ev(1, "agent"), ev(2, "status", "waiting_on_customer")]
    paused = evaluate(TicketHistory(ESC, "urgent", paused_history), h(5), CAL).current["resolution"]
    assert paused is not None and paused.state == "paused" and paused.due_at is None
    assert paused.remaining == timedelta(hours=6)

    # The customer answers on Tuesday 10:00: 24 h later, of which 7.5 + 1 h were business time.
    resumed = evaluate(
        TicketHistory(ESC, "urgent", [*paused_history, ev(24, "customer")]), h(24.5), CAL
    ).current["resolution"]
    assert resumed is not None and resumed.state == "running"
    assert resumed.due_at == datetime(2026, 11, 24, 16, 0, tzinfo=AMS)
    assert resumed.due_at - running.due_at == timedelta(hours=6, minutes=30)


def test_no_thresholds_while_paused() -> None:
    history = TicketHistory(
        ESC, "urgent", [ev(0.1, "agent"), ev(0.2, "status", "waiting_on_customer")]
    )
    snap = evaluate(history, h(200), CAL)
    assert [t for t in snap.crossed if t.metric == "resolution"] == []
    assert snap.next_check_at is None


def test_resolving_stops_the_clocks_and_reopening_starts_a_new_cycle() -> None:
    history = [ev(1, "agent"), ev(2, "customer"), ev(3, "status", "resolved")]
    resolved = evaluate(TicketHistory(ESC, "normal", history), h(100), CAL)
    assert resolved.current["resolution"].state == "met"  # type: ignore[union-attr]
    assert resolved.current["next_response"].state == "closed"  # type: ignore[union-attr]
    assert (
        resolved.crossed == []
        and resolved.next_check_at is None
        and resolved.nearest_due_at is None
    )

    reopened = evaluate(
        TicketHistory(ESC, "normal", [*history, ev(26, "status", "open")]), h(26.5), CAL
    )
    resolution = reopened.current["resolution"]
    assert resolution is not None and resolution.cycle == 2 and resolution.state == "running"


def test_resolved_without_a_reply_closes_first_response() -> None:
    snap = evaluate(TicketHistory(ESC, "normal", [ev(0.5, "status", "resolved")]), h(50), CAL)
    assert snap.current["first_response"].state == "closed"  # type: ignore[union-attr]
    assert snap.crossed == []
