"""Login, password changes and staff accounts."""

from __future__ import annotations

from datetime import timedelta
from typing import Annotated

from fastapi import APIRouter, Depends, Request
from sqlalchemy.ext.asyncio import AsyncSession

from inbox_api.deps import CurrentStaff, RuntimeDep, SessionDep, SettingsDep, require_roles
from inbox_api.errors import NotAuthenticated, NotFound, TooManyRequests
from inbox_api.runtime import Runtime, after_commit
from inbox_api.staff import service
from inbox_api.staff.models import Staff
from inbox_api.staff.schemas import ActiveIn, LoginIn, PasswordIn, StaffIn, StaffOut, TokenOut
from inbox_api.staff.throttle import (
    DatabaseFailureLog,
    FailureLog,
    LoginThrottle,
    RedisFailureLog,
    ThrottleLimits,
)
from kit.clock import utc_now

router = APIRouter(prefix="/api/v1", tags=["staff"])


def get_login_throttle(runtime: RuntimeDep) -> LoginThrottle:
    """Failed logins counted in Redis when configured, else in the database (shared by workers)."""
    settings = runtime.settings
    log: FailureLog = (
        RedisFailureLog(runtime.redis, f"{settings.redis_prefix}:inbox:login")
        if runtime.redis is not None
        else DatabaseFailureLog(runtime.sessions)
    )
    limits = ThrottleLimits(
        per_account=settings.login_failures_per_account,
        per_address=settings.login_failures_per_address,
        window=timedelta(seconds=settings.login_window_seconds),
    )
    return LoginThrottle(log, limits)


LoginThrottleDep = Annotated[LoginThrottle, Depends(get_login_throttle)]


def _ended_after_commit(session: AsyncSession, runtime: Runtime, staff: Staff) -> None:
    """Tell every worker (live streams, caches) that this staff member's tokens ended."""

    async def publish() -> None:
        await runtime.broadcaster.publish({"type": "staff.revoked", "staff_id": staff.id})

    after_commit(session, publish)


@router.post(
    "/auth/login",
    responses={
        401: {"description": "Unknown e-mail address or wrong password"},
        429: {"description": "Too many failed logins; the Retry-After header says how long"},
    },
)
async def login(
    body: LoginIn,
    request: Request,
    session: SessionDep,
    settings: SettingsDep,
    throttle: LoginThrottleDep,
) -> TokenOut:
    """Exchange e-mail and password for a bearer token (failed attempts are throttled)."""
    now = utc_now()
    # Behind a proxy, run uvicorn with --proxy-headers so this is the client's address.
    address = request.client.host if request.client else "unknown"
    wait = await throttle.retry_after(body.email, address, now)
    if wait is not None:
        minutes = max(1, -(-wait // 60))
        raise TooManyRequests(
            f"Too many failed logins; try again in {minutes} minute{'s' if minutes > 1 else ''}.",
            retry_after=wait,
        )
    try:
        staff, token = await service.login(
            session,
            email=body.email,
            password=body.password,
            secret=settings.jwt_secret,
            now=now,
            minutes=settings.access_token_minutes,
        )
    except NotAuthenticated:
        await throttle.failed(body.email, address, now)
        raise
    await throttle.succeeded(body.email)
    return TokenOut(
        access_token=token,
        expires_in=settings.access_token_minutes * 60,
        staff=StaffOut.model_validate(staff),
    )


@router.get("/staff/me")
async def me(staff: CurrentStaff) -> StaffOut:
    """The staff member the token belongs to."""
    return StaffOut.model_validate(staff)


@router.post("/staff/me/password", status_code=204)
async def change_password(
    body: PasswordIn, staff: CurrentStaff, session: SessionDep, runtime: RuntimeDep
) -> None:
    """Change your own password; every token issued before (this one too) stops working."""
    await service.change_password(session, staff, current=body.current, new=body.new)
    _ended_after_commit(session, runtime, staff)


@router.post("/staff", status_code=201, dependencies=[require_roles("admin")])
async def upsert(body: StaffIn, session: SessionDep, runtime: RuntimeDep) -> StaffOut:
    """Create or update a staff member (admins only); a changed password ends their sessions."""
    staff, _ = await service.upsert_staff(
        session,
        email=body.email,
        name=body.name,
        role=body.role,
        languages=body.languages,
        password=body.password,
    )
    _ended_after_commit(session, runtime, staff)
    return StaffOut.model_validate(staff)


@router.put("/staff/{staff_id}/active", dependencies=[require_roles("admin")])
async def set_active(
    staff_id: int, body: ActiveIn, session: SessionDep, runtime: RuntimeDep
) -> StaffOut:
    """Switch an account off (its sessions end at once) or on again (admins only)."""
    staff = await session.get(Staff, staff_id)
    if staff is None:
        raise NotFound(f"No staff member with id {staff_id}.")
    await service.set_active(session, staff, body.active)
    _ended_after_commit(session, runtime, staff)
    return StaffOut.model_validate(staff)
