"""Ticket endpoints: escalations from the action server and the agents' queue."""

from __future__ import annotations

from dataclasses import asdict
from datetime import datetime
from typing import Annotated, Literal

from fastapi import APIRouter, Header, Query, Response

from inbox_api.csat import service as csat
from inbox_api.csat.schemas import CsatOut, masked_comment
from inbox_api.deps import RuntimeDep, ServiceCaller, SessionDep, TicketWorker
from inbox_api.runtime import Runtime
from inbox_api.schemas import Offset, PathId
from inbox_api.sla import service as sla
from inbox_api.sla.policy import Metric
from inbox_api.tickets import repository, service
from inbox_api.tickets.models import Ticket
from inbox_api.tickets.reasons import ReasonClass, reasons_in
from inbox_api.tickets.reply_window import reply_window
from inbox_api.tickets.schemas import (
    ClockOut,
    EscalationIn,
    EscalationOut,
    EscalationSla,
    MessageOut,
    ReplyIn,
    ReplyWindowOut,
    SlaOut,
    StatusIn,
    TextIn,
    TicketDetail,
    TicketPage,
    TicketPatch,
    TicketSummary,
    masked_packet,
)
from kit.clock import utc_now

router = APIRouter(prefix="/api/v1", tags=["tickets"])


@router.post(
    "/escalations",
    status_code=201,
    dependencies=[ServiceCaller],
    responses={200: {"model": EscalationOut, "description": "Appended to the open ticket"}},
)
async def escalate(
    body: EscalationIn, session: SessionDep, runtime: RuntimeDep, response: Response
) -> EscalationOut:
    """Hand a conversation to humans (action server only); 200 when its ticket was already open."""
    ticket, created = await service.escalate(session, runtime, body, utc_now())
    if not created:
        response.status_code = 200
    return EscalationOut(
        ticket_id=ticket.id,
        status=ticket.status,
        priority=ticket.priority,
        sla=EscalationSla(first_response_due_at=ticket.first_response_due_at),
    )


@router.get("/tickets")
async def list_tickets(
    session: SessionDep,
    runtime: RuntimeDep,
    staff: TicketWorker,
    status: Annotated[
        list[Literal["open", "waiting_on_customer", "resolved"]] | None, Query()
    ] = None,
    language: Literal["nl", "en"] | None = None,
    priority: Literal["urgent", "high", "normal", "low"] | None = None,
    reason_class: ReasonClass | None = None,
    # ASCII digits, at most nine: every staff id fits a 32-bit row id.
    assignee: Annotated[str | None, Query(pattern=r"^(me|none|[0-9]{1,9})$")] = None,
    snoozed: bool = False,
    limit: Annotated[int, Query(ge=1, le=200)] = 50,
    offset: Offset = 0,
) -> TicketPage:
    """The queue: tickets whose Meta reply window closes before their SLA deadline first, then
    nearest SLA deadline; by default only unresolved tickets.

    `assignee` is `me`, `none` or a staff id. `reason_class` is `customer_request` (asked for a
    person, complained) or `assistant` (the assistant handed over on its own). Agents do not
    see new tickets in a language they do not speak while those are still offered to
    colleagues who do. Snoozed tickets are left out unless `snoozed` is true, which lists
    only them.
    """
    now = utc_now()
    hidden, offered_after = await service.queue_filter_for(session, runtime, staff, now)
    f = repository.TicketFilter(
        statuses=status or ["open", "waiting_on_customer"],
        language=language,
        priority=priority,
        reasons=reasons_in(reason_class) if reason_class else None,
        assignee_id=staff.id
        if assignee == "me"
        else int(assignee)
        if assignee and assignee.isdigit()
        else None,
        unassigned=assignee == "none",
        hide_languages=hidden,
        hide_escalated_after=offered_after,
        snoozed_at=now,
        only_snoozed=snoozed,
    )
    rows, total = await repository.list_tickets(session, f, limit, offset, utc_now())
    return TicketPage(
        items=[TicketSummary.from_queue_row(row) for row in rows],
        total=min(total, repository.COUNT_CAP),
        total_capped=total > repository.COUNT_CAP,
        limit=limit,
        offset=offset,
        next_snooze_end_at=await repository.next_snooze_end(session, now),
    )


async def _detail(
    session: SessionDep, runtime: Runtime, ticket_id: int, now: datetime
) -> TicketDetail:
    ticket: Ticket = await service.get_ticket(session, ticket_id)
    snap = sla.snapshot_of_loaded(runtime, ticket, now)
    clocks = {
        metric: ClockOut(
            state=status.state,
            cycle=status.cycle,
            due_at=status.due_at,
            warning_at=status.warning_at,
            done_at=status.done_at,
            remaining_seconds=int(status.remaining.total_seconds()),
        )
        for metric, status in snap.current.items()
        if status is not None
    }

    def pick(metric: Metric) -> tuple[datetime | None, str | None]:
        clock = clocks.get(metric)
        return (clock.due_at, clock.state) if clock else (None, None)

    fr, nr, rs = pick("first_response"), pick("next_response"), pick("resolution")
    summary = TicketSummary.model_validate(ticket)
    window = service.window_of(ticket, now)
    if window is None and ticket.reply_window_closes_at is None:
        # Tickets from before the window was stored: from their latest customer message.
        customer_times = [m.created_at for m in ticket.messages if m.role == "customer"]
        window = reply_window(ticket.channel, max(customer_times, default=None), now)
    packet = masked_packet(ticket.packet)
    survey = await csat.of_ticket(session, ticket.id)
    return TicketDetail(
        **summary.model_dump(),
        packet=packet,
        packet_masked=packet != ticket.packet,
        messages=[MessageOut.shown(m) for m in ticket.messages],
        status_changes=ticket.status_changes,
        sla=SlaOut(
            first_response_due_at=fr[0],
            first_response_state=fr[1],
            next_response_due_at=nr[0],
            next_response_state=nr[1],
            resolution_due_at=rs[0],
            resolution_state=rs[1],
            clocks=clocks,
        ),
        reply_window=ReplyWindowOut(**asdict(window)) if window else None,
        csat=CsatOut.model_validate(survey[0]).model_copy(
            update={"follow_up_id": survey[1], "comment": masked_comment(survey[0].comment)}
        )
        if survey
        else None,
    )


@router.get("/tickets/{ticket_id}")
async def get_ticket(
    ticket_id: PathId, session: SessionDep, runtime: RuntimeDep, _: TicketWorker
) -> TicketDetail:
    """A ticket with its transcript, escalation packet, messages and SLA clocks."""
    return await _detail(session, runtime, ticket_id, utc_now())


@router.patch("/tickets/{ticket_id}")
async def patch_ticket(
    ticket_id: PathId, body: TicketPatch, session: SessionDep, runtime: RuntimeDep, _: TicketWorker
) -> TicketDetail:
    """Change a ticket's priority or tags."""
    now = utc_now()
    await service.patch(session, runtime, ticket_id, body.priority, body.tags, now)
    return await _detail(session, runtime, ticket_id, now)


@router.post("/tickets/{ticket_id}/claim")
async def claim(
    ticket_id: PathId, session: SessionDep, runtime: RuntimeDep, staff: TicketWorker
) -> TicketDetail:
    """Take the ticket (become its assignee)."""
    now = utc_now()
    await service.claim(session, runtime, ticket_id, staff, now)
    return await _detail(session, runtime, ticket_id, now)


def agent_language(accept_language: str | None) -> str:
    """The staff page's language (it sends Accept-Language: nl or en); English otherwise."""
    first = (accept_language or "").split(",")[0].strip().lower()
    return "nl" if first.startswith("nl") else "en"


@router.post(
    "/tickets/{ticket_id}/replies",
    status_code=201,
    responses={409: {"description": "Resolved, or Meta's window allows no such reply now"}},
)
async def reply(
    ticket_id: PathId,
    body: ReplyIn,
    session: SessionDep,
    runtime: RuntimeDep,
    staff: TicketWorker,
    accept_language: Annotated[str | None, Header(max_length=200)] = None,
) -> MessageOut:
    """Reply to the customer (or send WhatsApp's approved template, `mode: template`).

    Delivered through Rasa after this request commits. Meta's window is enforced: past it the
    409 says why, in the agent's language (Accept-Language nl or en).
    """
    message = await service.reply(
        session,
        runtime,
        ticket_id,
        staff,
        body.text,
        utc_now(),
        mode=body.mode,
        language=agent_language(accept_language),
    )
    return MessageOut(
        id=message.id,
        role="agent",
        text=message.text,
        author={"id": staff.id, "name": staff.name},
        created_at=message.created_at,
        delivery_state=message.delivery_state,
        delivery_attempts=message.delivery_attempts,
        delivered_at=message.delivered_at,
        delivery_error=message.delivery_error,
        sent_as=message.sent_as,
    )


@router.post("/tickets/{ticket_id}/notes", status_code=201)
async def add_note(
    ticket_id: PathId, body: TextIn, session: SessionDep, runtime: RuntimeDep, staff: TicketWorker
) -> MessageOut:
    """Add an internal note for colleagues (the customer never sees it)."""
    message = await service.note(session, runtime, ticket_id, staff, body.text, utc_now())
    return MessageOut(
        id=message.id,
        role="note",
        text=message.text,
        author={"id": staff.id, "name": staff.name},
        created_at=message.created_at,
        delivery_state=None,
        delivery_attempts=0,
        delivered_at=None,
        delivery_error=None,
    )


@router.post("/tickets/{ticket_id}/status")
async def set_status(
    ticket_id: PathId, body: StatusIn, session: SessionDep, runtime: RuntimeDep, staff: TicketWorker
) -> TicketDetail:
    """Set open / waiting_on_customer / resolved; resolving hands back to the assistant."""
    now = utc_now()
    await service.change_status(session, runtime, ticket_id, staff, body.status, now)
    return await _detail(session, runtime, ticket_id, now)
