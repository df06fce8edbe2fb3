"""The action server's side of exactly-once delivery."""

from __future__ import annotations

from fastapi import APIRouter

from inbox_api.delivery import service
from inbox_api.delivery.schemas import RelayIn, RelayOut
from inbox_api.deps import RuntimeDep, ServiceCaller, SessionDep
from inbox_api.tickets import service as tickets
from inbox_api.tickets.schemas import ChannelStatusIn
from kit.clock import utc_now

router = APIRouter(prefix="/api/v1/deliveries", tags=["deliveries"])


@router.post(
    "/{delivery_id}/relayed",
    dependencies=[ServiceCaller],
    responses={
        404: {"description": "No such delivery in this conversation: do not relay it"},
        409: {"description": "Already relayed (a retry): do not relay it again"},
    },
)
async def relayed(delivery_id: int, body: RelayIn, session: SessionDep) -> RelayOut:
    """Record that a delivery reaches the customer now (action server only); once per delivery."""
    await service.mark_relayed(session, delivery_id, body.conversation_id, utc_now())
    return RelayOut(delivery_id=delivery_id)


@router.post(
    "/{delivery_id}/channel-status",
    dependencies=[ServiceCaller],
    responses={404: {"description": "No agent reply was delivered with this id"}},
)
async def channel_status(
    delivery_id: int, body: ChannelStatusIn, session: SessionDep, runtime: RuntimeDep
) -> RelayOut:
    """Record what the customer's platform reported for a reply (WhatsApp's status callbacks).

    Sent by the Rasa server's WhatsApp connector with the service token; a status never goes
    back (read stays read), and `failed` marks the reply failed with Meta's reason.
    """
    await tickets.record_channel_status(
        session, runtime, delivery_id, body.status, body.at, body.error
    )
    return RelayOut(delivery_id=delivery_id)
