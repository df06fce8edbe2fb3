"""One error hierarchy for the inbox API and the handlers that turn it into HTTP answers."""

from __future__ import annotations

from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from pydantic import BaseModel


class InboxError(Exception):
    """A failure the caller can understand: a message and the HTTP status that goes with it."""

    status_code = 400

    def __init__(self, message: str, status_code: int | None = None) -> None:
        super().__init__(message)
        self.message = message
        if status_code is not None:
            self.status_code = status_code
        self.headers: dict[str, str] = {}


class NotAuthenticated(InboxError):
    """No valid token came with the request."""

    status_code = 401


class Forbidden(InboxError):
    """The caller is known but their role may not do this."""

    status_code = 403


class NotFound(InboxError):
    """The thing asked for does not exist."""

    status_code = 404


class Conflict(InboxError):
    """The request is valid but the current state does not allow it."""

    status_code = 409


class TooLarge(InboxError):
    """The request body is larger than the inbox accepts."""

    status_code = 413


class TooManyRequests(InboxError):
    """The caller must wait `retry_after` seconds before trying again."""

    status_code = 429

    def __init__(self, message: str, retry_after: int) -> None:
        super().__init__(message)
        self.retry_after = retry_after
        self.headers["Retry-After"] = str(retry_after)


class ErrorOut(BaseModel):
    """Every refusal: one sentence saying why (a validation failure names the fields)."""

    detail: str


# Declared on every API route, so the OpenAPI contract says what a refusal looks like.
ERROR_RESPONSES: dict[int | str, dict[str, Any]] = {
    status: {"model": ErrorOut, "description": description}
    for status, description in (
        (401, "Not signed in, or the token is no longer valid"),
        (403, "Signed in, but the role may not do this"),
        (404, "Not found"),
        (409, "Not possible in the current state"),
        (413, "The request body is too large"),
        (422, "Invalid request: the sentence names each field and what is wrong"),
        (429, "Too many attempts: wait the seconds in Retry-After"),
    )
}


def _field_path(loc: tuple[int | str, ...]) -> str:
    parts = [str(p) for p in loc if p not in ("body", "query", "path")]
    return ".".join(parts) or "request"


def install_error_handlers(app: FastAPI) -> None:
    """Map InboxError and validation failures to `{"detail": "<one sentence>"}` answers."""

    async def inbox_error(_: Request, exc: Exception) -> JSONResponse:
        assert isinstance(exc, InboxError)
        headers = dict(exc.headers)
        if exc.status_code == 401:
            headers["WWW-Authenticate"] = "Bearer"
        return JSONResponse({"detail": exc.message}, status_code=exc.status_code, headers=headers)

    async def validation_error(_: Request, exc: Exception) -> JSONResponse:
        assert isinstance(exc, RequestValidationError)
        problems = [f"{_field_path(tuple(e['loc']))}: {e['msg']}" for e in exc.errors()]
        return JSONResponse(
            {"detail": "Invalid request: " + "; ".join(problems) + "."}, status_code=422
        )

    app.add_exception_handler(InboxError, inbox_error)
    app.add_exception_handler(RequestValidationError, validation_error)
