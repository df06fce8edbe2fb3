"""Rasa's model server (`models:` in endpoints.yml) and the trainer's view of who runs what."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Header, Request, Response

from inbox_api.deps import SessionDep, SettingsDep
from inbox_api.errors import ErrorOut, NotAuthenticated
from inbox_api.model_server import service
from inbox_api.model_server.schemas import ServingOut
from inbox_api.nlu_review.deps import Trainer
from inbox_api.staff.security import same_secret

router = APIRouter(prefix="/api/v1/model-server", tags=["model server"])


def require_model_puller(request: Request, settings: SettingsDep) -> None:
    """Admit only the Rasa processes (MODEL_SERVER_TOKEN as a bearer token)."""
    scheme, _, token = request.headers.get("authorization", "").partition(" ")
    if scheme.lower() != "bearer" or not same_secret(token.strip(), settings.model_server_token):
        raise NotAuthenticated("This endpoint needs the model server token (MODEL_SERVER_TOKEN).")


@router.get(
    "/model",
    dependencies=[Depends(require_model_puller)],
    response_class=Response,
    responses={
        200: {"content": {"application/gzip": {}}, "description": "The model's archive"},
        304: {"description": "The caller runs this model already (If-None-Match)"},
        404: {"model": ErrorOut, "description": "No model is served yet"},
    },
)
async def served_model(
    session: SessionDep,
    if_none_match: Annotated[str | None, Header()] = None,
) -> Response:
    """The archive of the model in service, for Rasa's model pulling (ETag: the model's id)."""
    archive = await service.served_archive(session, if_none_match)
    # Rasa names the pulled file after `filename`; its GET /status then names the model.
    headers = {"ETag": archive.etag, "filename": archive.file_name, "Cache-Control": "no-cache"}
    if archive.content is None:
        return Response(status_code=304, headers=headers)
    return Response(archive.content, media_type="application/gzip", headers=headers)


@router.get("/replicas")
async def replicas(session: SessionDep, settings: SettingsDep, _: Trainer) -> ServingOut:
    """The model handed out and the model each Rasa process reports (RASA_REPLICA_URLS)."""
    urls = settings.rasa_replica_urls or [settings.rasa_url]
    return await service.serving_status(
        session, urls, settings.rasa_token, settings.model_pull_seconds > 0
    )
