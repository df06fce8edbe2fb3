"""The SLA rules as a pure function of a ticket's history and `now`.

Three metrics, each measured in business time from the escalation on:
- first_response: escalation -> the first public reply of a human (one cycle).
- next_response: oldest customer message not yet answered by a human -> the next human reply
  (a new cycle each time the customer writes after having been answered).
- resolution: escalation (or reopening) -> resolved; paused while waiting_on_customer, so its
  deadline moves by the business time spent paused (a new cycle on each reopening).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import datetime, timedelta
from typing import Literal

from inbox_api.sla.calendar import BusinessCalendar

Metric = Literal["first_response", "next_response", "resolution"]
METRICS: tuple[Metric, ...] = ("first_response", "next_response", "resolution")
EventKind = Literal["customer", "agent", "status"]
ThresholdKind = Literal["warning", "breach"]
# running: clock ticking, below 80%; warning: past 80%; breached: past 100% and not yet done;
# paused: waiting on the customer; met / missed: done before / after the deadline;
# closed: the ticket was resolved without that answer being due any more.
ClockState = Literal["running", "warning", "breached", "paused", "met", "missed", "closed"]


@dataclass(frozen=True)
class HistoryEvent:
    """Something that happened on a ticket that the SLA clocks care about."""

    at: datetime
    kind: EventKind
    # For kind == "status": the status entered.
    status: str | None = None


@dataclass(frozen=True)
class TicketHistory:
    """What the policy needs to know about one ticket."""

    escalated_at: datetime
    priority: str
    events: Sequence[HistoryEvent] = ()


@dataclass(frozen=True)
class Targets:
    """Budgets in business time per metric and priority, and where the warning fires."""

    first_response: Mapping[str, timedelta]
    next_response: Mapping[str, timedelta]
    resolution: Mapping[str, timedelta]
    warning_fraction: float = 0.8

    def budgets(self, metric: Metric) -> Mapping[str, timedelta]:
        """The budget table of a metric, per priority."""
        table: Mapping[str, timedelta] = getattr(self, metric)
        return table

    def budget(self, metric: Metric, priority: str) -> timedelta:
        """The budget of a metric for a priority."""
        table: Mapping[str, timedelta] = getattr(self, metric)
        return table[priority]

    @classmethod
    def from_minutes(
        cls,
        first: Mapping[str, float],
        next_: Mapping[str, float],
        resolution: Mapping[str, float],
        warning_fraction: float = 0.8,
    ) -> Targets:
        """Targets from minute tables such as those in Settings."""

        def conv(table: Mapping[str, float]) -> dict[str, timedelta]:
            return {k: timedelta(minutes=v) for k, v in table.items()}

        return cls(conv(first), conv(next_), conv(resolution), warning_fraction)


def channel_targets(
    base: Targets, overrides: Mapping[str, Mapping[Metric, Mapping[str, float]]]
) -> dict[str, Targets]:
    """Targets per channel key: `base` with the key's minute tables laid over it."""

    def table(
        metrics: Mapping[Metric, Mapping[str, float]], metric: Metric
    ) -> dict[str, timedelta]:
        laid = {p: timedelta(minutes=m) for p, m in metrics.get(metric, {}).items()}
        return {**base.budgets(metric), **laid}

    return {
        key: Targets(
            table(metrics, "first_response"),
            table(metrics, "next_response"),
            table(metrics, "resolution"),
            base.warning_fraction,
        )
        for key, metrics in overrides.items()
    }


DEFAULT_TARGETS = Targets.from_minutes(
    {"urgent": 30, "high": 60, "normal": 240, "low": 480},
    {"urgent": 30, "high": 60, "normal": 240, "low": 480},
    {"urgent": 480, "high": 960, "normal": 2400, "low": 4800},
)


@dataclass(frozen=True)
class Threshold:
    """The instant a clock crosses its warning or breach point."""

    metric: Metric
    cycle: int
    kind: ThresholdKind
    at: datetime


@dataclass(frozen=True)
class Clock:
    """One cycle of one metric: when it started, its running intervals and how it ended."""

    metric: Metric
    cycle: int
    started_at: datetime
    budget: timedelta
    # Intervals during which the clock ran; the last may be open (end None).
    running: tuple[tuple[datetime, datetime | None], ...]
    done_at: datetime | None = None
    # Ended without being answered (e.g. resolved while a customer message waited).
    cancelled: bool = False


@dataclass(frozen=True)
class ClockStatus:
    """What a clock looks like at `now`."""

    metric: Metric
    cycle: int
    state: ClockState
    due_at: datetime | None
    warning_at: datetime | None
    done_at: datetime | None
    # Business time left (negative once breached); while paused, what is left of the budget.
    remaining: timedelta


@dataclass(frozen=True)
class SlaSnapshot:
    """Every clock of a ticket at `now`, the thresholds already crossed and the next check."""

    current: Mapping[Metric, ClockStatus | None]
    clocks: Sequence[Clock]
    crossed: Sequence[Threshold]
    next_check_at: datetime | None
    nearest_due_at: datetime | None = field(default=None)


def _consumed(cal: BusinessCalendar, clock: Clock, until: datetime) -> timedelta:
    total = timedelta(0)
    for start, end in clock.running:
        stop = until if end is None else min(end, until)
        total += cal.business_time_between(start, stop)
    return total


def _crossing(cal: BusinessCalendar, clock: Clock, amount: timedelta) -> datetime | None:
    """The instant the clock has run for `amount` of business time; None if it stopped before."""
    used = timedelta(0)
    for start, end in clock.running:
        if end is None:
            return cal.add_business_time(start, amount - used)
        chunk = cal.business_time_between(start, end)
        if used + chunk >= amount:
            return cal.add_business_time(start, amount - used)
        used += chunk
    return None


def build_clocks(history: TicketHistory, targets: Targets) -> list[Clock]:
    """Replay the history into the clocks it defines (no `now` needed)."""
    prio = history.priority
    events = sorted(history.events, key=lambda e: e.at)
    start = history.escalated_at
    clocks: list[Clock] = []

    first_done: datetime | None = None
    first_closed: datetime | None = None
    replies = 0
    unanswered_since: datetime | None = None
    next_cycle = 0

    res_cycle = 1
    res_start = start
    res_running: list[tuple[datetime, datetime | None]] = [(start, None)]
    res_done: datetime | None = None
    status = "open"

    def close_next(at: datetime, cancelled: bool) -> None:
        nonlocal unanswered_since
        if unanswered_since is None:
            return
        clocks.append(
            Clock(
                "next_response",
                next_cycle,
                unanswered_since,
                targets.budget("next_response", prio),
                ((unanswered_since, at),),
                done_at=None if cancelled else at,
                cancelled=cancelled,
            )
        )
        unanswered_since = None

    def pause(at: datetime) -> None:
        last_start, last_end = res_running[-1]
        if last_end is None:
            res_running[-1] = (last_start, at)

    def resume(at: datetime) -> None:
        if res_running and res_running[-1][1] is None:
            return
        res_running.append((at, None))

    for event in events:
        if event.at < start:
            continue  # time with the assistant never counts
        if event.kind == "customer":
            if status == "waiting_on_customer":
                status = "open"
                resume(event.at)
            if replies > 0 and unanswered_since is None and status != "resolved":
                unanswered_since = event.at
                next_cycle += 1
        elif event.kind == "agent":
            if first_done is None:
                first_done = event.at
            replies += 1
            close_next(event.at, cancelled=False)
        elif event.kind == "status" and event.status is not None and event.status != status:
            new = event.status
            if new == "waiting_on_customer":
                if status == "resolved":
                    res_cycle, res_start = res_cycle + 1, event.at
                    res_running, res_done = [], None
                pause(event.at)
                if not res_running:
                    res_running.append((event.at, event.at))
            elif new == "open":
                if status == "resolved":
                    res_cycle, res_start = res_cycle + 1, event.at
                    res_running, res_done = [(event.at, None)], None
                else:
                    resume(event.at)
            elif new == "resolved":
                pause(event.at)
                close_next(event.at, cancelled=True)
                if first_done is None and first_closed is None:
                    first_closed = event.at
                clocks.append(
                    Clock(
                        "resolution",
                        res_cycle,
                        res_start,
                        targets.budget("resolution", prio),
                        tuple(res_running),
                        done_at=event.at,
                    )
                )
                res_done = event.at
            status = new

    clocks.insert(
        0,
        Clock(
            "first_response",
            1,
            start,
            targets.budget("first_response", prio),
            ((start, first_done or first_closed),),
            done_at=first_done,
            cancelled=first_done is None and first_closed is not None,
        ),
    )
    if unanswered_since is not None:
        clocks.append(
            Clock(
                "next_response",
                next_cycle,
                unanswered_since,
                targets.budget("next_response", prio),
                ((unanswered_since, None),),
            )
        )
    if res_done is None or status != "resolved":
        clocks.append(
            Clock(
                "resolution",
                res_cycle,
                res_start,
                targets.budget("resolution", prio),
                tuple(res_running),
            )
        )
    return clocks


def clock_status(
    cal: BusinessCalendar, clock: Clock, now: datetime, warning_fraction: float
) -> ClockStatus:
    """The state of one clock at `now`."""
    warn_amount = clock.budget * warning_fraction
    probe = clock
    if clock.done_at is not None or clock.cancelled:
        # Where the deadline was, had the clock kept running after it stopped.
        last_start, _ = clock.running[-1]
        probe = replace(clock, running=(*clock.running[:-1], (last_start, None)))
    due = _crossing(cal, probe, clock.budget)
    warn = _crossing(cal, probe, warn_amount)
    if clock.done_at is not None and clock.done_at <= now:
        late = due is None or clock.done_at > due
        used = _consumed(cal, clock, clock.done_at)
        return ClockStatus(
            clock.metric,
            clock.cycle,
            "missed" if late else "met",
            due,
            warn,
            clock.done_at,
            clock.budget - used,
        )
    used = _consumed(cal, clock, now)
    remaining = clock.budget - used
    if clock.cancelled:
        late = used >= clock.budget
        return ClockStatus(
            clock.metric, clock.cycle, "missed" if late else "closed", due, warn, None, remaining
        )
    ticking = clock.running and clock.running[-1][1] is None
    if not ticking:
        if used >= clock.budget:
            return ClockStatus(clock.metric, clock.cycle, "breached", due, warn, None, remaining)
        # Paused: the deadline is not known until the clock resumes.
        return ClockStatus(clock.metric, clock.cycle, "paused", None, None, None, remaining)
    if used >= clock.budget:
        state: ClockState = "breached"
    elif used >= warn_amount:
        state = "warning"
    else:
        state = "running"
    return ClockStatus(clock.metric, clock.cycle, state, due, warn, None, remaining)


def evaluate(
    history: TicketHistory,
    now: datetime,
    calendar: BusinessCalendar,
    targets: Targets = DEFAULT_TARGETS,
) -> SlaSnapshot:
    """Every SLA clock of the ticket at `now`, what has been crossed, and when to look again."""
    clocks = build_clocks(history, targets)
    crossed: list[Threshold] = []
    future: list[datetime] = []
    current: dict[Metric, ClockStatus | None] = dict.fromkeys(METRICS)
    for clock in clocks:
        status = clock_status(calendar, clock, now, targets.warning_fraction)
        # Later cycles replace earlier ones: the report shows the clock that matters now.
        current[clock.metric] = status
        # A threshold counts only if the clock had not stopped (answered/cancelled) before it.
        stop = (
            clock.done_at
            if clock.done_at is not None
            else (clock.running[-1][1] if clock.cancelled else None)
        )
        for kind, at in (("warning", status.warning_at), ("breach", status.due_at)):
            if at is None:
                continue
            if stop is not None and stop <= at:
                continue
            if at <= now:
                crossed.append(Threshold(clock.metric, clock.cycle, kind, at))  # type: ignore[arg-type]
            else:
                future.append(at)
    pending = [
        s.due_at
        for s in current.values()
        if s is not None and s.state in ("running", "warning", "breached") and s.due_at
    ]
    return SlaSnapshot(
        current=current,
        clocks=clocks,
        crossed=crossed,
        next_check_at=min(future) if future else None,
        nearest_due_at=min(pending) if pending else None,
    )
