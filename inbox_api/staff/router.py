"""Login and staff accounts."""

from __future__ import annotations

from fastapi import APIRouter

from inbox_api.db import utcnow
from inbox_api.deps import CurrentStaff, SessionDep, SettingsDep, require_roles
from inbox_api.staff import service
from inbox_api.staff.schemas import LoginIn, StaffIn, StaffOut, TokenOut

router = APIRouter(prefix="/api/v1", tags=["staff"])


@router.post("/auth/login")
async def login(body: LoginIn, session: SessionDep, settings: SettingsDep) -> TokenOut:
    """Exchange e-mail and password for a bearer token."""
    staff, token = await service.login(
        session,
        email=body.email,
        password=body.password,
        secret=settings.jwt_secret,
        now=utcnow(),
        minutes=settings.access_token_minutes,
    )
    return TokenOut(
        access_token=token,
        expires_in=settings.access_token_minutes * 60,
        staff=StaffOut.model_validate(staff),
    )


@router.get("/staff/me")
async def me(staff: CurrentStaff) -> StaffOut:
    """The staff member the token belongs to."""
    return StaffOut.model_validate(staff)


@router.post("/staff", status_code=201, dependencies=[require_roles("admin")])
async def upsert(body: StaffIn, session: SessionDep) -> StaffOut:
    """Create or update a staff member (admins only)."""
    staff, _ = await service.upsert_staff(
        session,
        email=body.email,
        name=body.name,
        role=body.role,
        languages=body.languages,
        password=body.password,
    )
    return StaffOut.model_validate(staff)
