"""The model server's rules: which archive to hand out, when not to, and who runs what."""

from __future__ import annotations

import asyncio
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
from sqlalchemy.ext.asyncio import AsyncSession

from inbox_api.errors import NotFound
from inbox_api.model_server import repository
from inbox_api.model_server.schemas import ReplicaOut, ServingOut

STATUS_TIMEOUT_SECONDS = 5.0


def etag(model_id: str) -> str:
    """The ETag of a model's archive: its id (an archive never changes once stored)."""
    return f'"{model_id}"'


def unchanged(if_none_match: str | None, tag: str) -> bool:
    """Whether the caller already has the archive tagged `tag` (RFC 9110 If-None-Match)."""
    if not if_none_match:
        return False
    given = [part.strip().removeprefix("W/") for part in if_none_match.split(",")]
    return "*" in given or tag in given or tag.strip('"') in given


@dataclass(frozen=True)
class ServedArchive:
    """The model to hand out; `content` is None when the caller has it already (304)."""

    model_id: str
    file_name: str
    etag: str
    content: bytes | None


async def served_archive(session: AsyncSession, if_none_match: str | None) -> ServedArchive:
    """The archive of the model in service, or only its tag when the caller has it."""
    serving = await repository.serving(session)
    if serving is None:
        raise NotFound("No model is served yet: promote one on the trainer page.")
    model_id = str(serving["model_id"])
    tag = etag(model_id)
    file_name = str(serving.get("file_name") or f"{model_id}.tar.gz")
    if unchanged(if_none_match, tag):
        return ServedArchive(model_id, file_name, tag, None)
    found = await repository.model_file(session, model_id)
    if found is None:
        raise NotFound(f"The archive of model {model_id} is not stored.")
    return ServedArchive(model_id, found.file_name, tag, found.content)


def registry_model(status: dict[str, Any], models: list[dict[str, Any]]) -> str | None:
    """The registry's id of the model a Rasa process reports, if it is the registry's.

    A pulled archive and a trained candidate are named `<model id>.tar.gz`; a model adopted
    from `make train` keeps its own name (current.tar.gz), so it is found by that name.
    """
    name = Path(str(status.get("model_file") or "")).name
    ids = {str(model["id"]) for model in models}
    stem = name.removesuffix(".tar.gz")
    if stem in ids:
        return stem
    active = next((model for model in models if model.get("active")), None)
    if active is not None and name and name == active.get("file_name"):
        return str(active["id"])
    return None


async def _status(client: httpx.AsyncClient, url: str, token: str) -> dict[str, Any]:
    response = await client.get(f"{url}/status", params={"token": token} if token else None)
    if response.status_code == 409:
        return {}  # up, but no model loaded yet
    response.raise_for_status()
    body: dict[str, Any] = response.json()
    return body


async def replica(
    client: httpx.AsyncClient,
    url: str,
    token: str,
    models: list[dict[str, Any]],
    serving: str | None,
) -> ReplicaOut:
    """What one Rasa process runs, from its GET /status."""
    try:
        status = await _status(client, url, token)
    except (httpx.HTTPError, ValueError) as exc:
        # No URL in the message: Rasa's token travels in it.
        code = exc.response.status_code if isinstance(exc, httpx.HTTPStatusError) else None
        error = f"HTTP {code}" if code else type(exc).__name__
        return ReplicaOut(url=url, reachable=False, error=error)
    if not status:
        return ReplicaOut(url=url, reachable=True, error="no model loaded")
    model = registry_model(status, models)
    return ReplicaOut(
        url=url,
        reachable=True,
        model=model,
        model_file=str(status.get("model_file") or "") or None,
        rasa_model_id=str(status.get("model_id") or "") or None,
        current=(model == serving) if serving is not None else None,
    )


async def serving_status(
    session: AsyncSession, urls: list[str], token: str, pull: bool
) -> ServingOut:
    """The model handed out, and the model each Rasa process reports, asked at once."""
    serving = await repository.serving(session) if pull else None
    model_id = str(serving["model_id"]) if serving else None
    models = await repository.snapshot(session, "models") or []
    async with httpx.AsyncClient(timeout=STATUS_TIMEOUT_SECONDS) as client:
        found = await asyncio.gather(
            *(replica(client, url.rstrip("/"), token, models, model_id) for url in urls)
        )
    return ServingOut(pull=pull, serving=model_id, replicas=list(found))
