"""FastAPI dependencies as Annotated aliases (tests swap them with dependency_overrides)."""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator
from typing import Annotated

from fastapi import Depends, Request
from fastapi.params import Depends as DependsParam
from sqlalchemy.ext.asyncio import AsyncSession

from inbox_api.errors import Forbidden, NotAuthenticated
from inbox_api.runtime import Runtime, pop_after_commit, run_after_commit
from inbox_api.settings import Settings
from inbox_api.staff.models import Staff
from inbox_api.staff.security import read_token, same_secret
from inbox_api.staff.service import staff_for_token

log = logging.getLogger(__name__)


def get_runtime(request: Request) -> Runtime:
    """The collaborators built in lifespan."""
    runtime: Runtime = request.app.state.runtime
    return runtime


RuntimeDep = Annotated[Runtime, Depends(get_runtime)]


def get_settings(runtime: RuntimeDep) -> Settings:
    """The app's settings."""
    return runtime.settings


SettingsDep = Annotated[Settings, Depends(get_settings)]


async def get_session(runtime: RuntimeDep) -> AsyncIterator[AsyncSession]:
    """One session per request: commit once at the end (or roll back), then run side effects."""
    async with runtime.sessions() as session:
        try:
            yield session
            await session.commit()
        except BaseException:
            await session.rollback()
            pop_after_commit(session)
            raise
    await run_after_commit(pop_after_commit(session))


# Function scope: the transaction is committed before the response leaves.
SessionDep = Annotated[AsyncSession, Depends(get_session, scope="function")]


def _bearer(request: Request) -> str:
    header = request.headers.get("authorization", "")
    scheme, _, token = header.partition(" ")
    if scheme.lower() != "bearer" or not token.strip():
        raise NotAuthenticated("Log in first: this needs a bearer token.")
    return token.strip()


async def get_current_staff(request: Request, session: SessionDep, runtime: RuntimeDep) -> Staff:
    """The active staff member named by the bearer token, as its row in this session."""
    token = _bearer(request)
    claims = read_token(runtime.settings.jwt_secret, token)
    staff = staff_for_token(claims, await session.get(Staff, claims.staff_id))
    runtime.staff_cache.put(token, staff)
    # Live streams keep checking these claims (expiry, revocation) while they run.
    request.state.token_claims = claims
    return staff


async def get_known_staff(request: Request, session: SessionDep, runtime: RuntimeDep) -> Staff:
    """Like get_current_staff, but the row is re-read at most every few seconds (staff cache).

    For the hot, read-only paths (ticket work): the Staff it returns is not in the session,
    so it must only be read, never changed.
    """
    token = _bearer(request)
    known = runtime.staff_cache.get(token)
    if known is None:
        return await get_current_staff(request, session, runtime)
    claims = read_token(runtime.settings.jwt_secret, token)
    request.state.token_claims = claims
    return staff_for_token(claims, known.to_staff())


CurrentStaff = Annotated[Staff, Depends(get_current_staff, scope="function")]


def require_roles(*roles: str) -> DependsParam:
    """A dependency that admits only staff with one of these roles."""

    async def check(staff: CurrentStaff) -> Staff:
        if staff.role not in roles:
            raise Forbidden(
                f"Your role ({staff.role}) may not do this; it needs {' or '.join(roles)}."
            )
        return staff

    dependency: DependsParam = Depends(check, scope="function")
    return dependency


# The staff member for read-only use on hot paths (see get_known_staff).
KnownStaff = Annotated[Staff, Depends(get_known_staff, scope="function")]


async def require_ticket_worker(staff: KnownStaff) -> Staff:
    """Admit agents and admins (the people who work tickets)."""
    if staff.role not in ("agent", "admin"):
        raise Forbidden(f"Your role ({staff.role}) may not work tickets; it needs agent or admin.")
    return staff


# Ticket work: agents and admins.
TicketWorker = Annotated[Staff, Depends(require_ticket_worker, scope="function")]


async def require_service(request: Request, settings: SettingsDep) -> None:
    """Admit only the action server (its service token)."""
    if not same_secret(_bearer(request), settings.service_token):
        raise NotAuthenticated("This endpoint needs the action server's service token.")


ServiceCaller = Depends(require_service)
