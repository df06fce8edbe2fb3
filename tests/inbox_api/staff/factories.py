"""Staff test data."""

from __future__ import annotations

import httpx

from inbox_api.runtime import Runtime
from inbox_api.staff.service import upsert_staff

PASSWORD = "correct horse battery"


async def make_staff(
    runtime: Runtime,
    email: str = "agent@linde.test",
    role: str = "agent",
    languages: tuple[str, ...] = ("nl", "en"),
    name: str = "Sanne",
) -> int:
    """Create a staff member straight in the database; returns the id."""
    async with runtime.sessions() as session:
        staff, _ = await upsert_staff(
            session, email=email, name=name, role=role, languages=languages, password=PASSWORD
        )
        await session.commit()
        return staff.id


async def login_headers(client: httpx.AsyncClient, email: str) -> dict[str, str]:
    """Log in through the API and return the Authorization header."""
    response = await client.post("/api/v1/auth/login", json={"email": email, "password": PASSWORD})
    assert response.status_code == 200, response.text
    return {"Authorization": f"Bearer {response.json()['access_token']}"}


async def agent_headers(
    runtime: Runtime,
    client: httpx.AsyncClient,
    email: str = "agent@linde.test",
    role: str = "agent",
    languages: tuple[str, ...] = ("nl", "en"),
) -> dict[str, str]:
    """Create a staff member and log them in."""
    await make_staff(runtime, email=email, role=role, languages=languages)
    return await login_headers(client, email)
