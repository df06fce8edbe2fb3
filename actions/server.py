"""The action server process: rasa_sdk's Sanic app, reachable only by the Rasa server.

Rasa sends the shared token as the `token` query parameter (`action_endpoint.token` in
endpoints.yml); every route but `/health` answers 401 without it. The server binds to
loopback unless `ACTIONS_HOST` says otherwise (docs/security.md).
"""

from __future__ import annotations

import argparse
import hmac
import logging
from functools import partial
from typing import Any

from rasa_sdk import utils
from rasa_sdk.constants import APPLICATION_ROOT_LOGGER_NAME
from rasa_sdk.endpoint import create_app_for_serve, create_argument_parser, create_ssl_config
from rasa_sdk.executor import ActionExecutor
from sanic import Request, Sanic, response
from sanic.response import HTTPResponse
from sanic.worker.loader import AppLoader

from actions.settings import get_settings
from kit import log_privacy

logger = logging.getLogger(__name__)

TOKEN_PARAMETER = "token"
OPEN_PATHS = frozenset({"/health"})
SANIC_LOGGERS = ("sanic.root", "sanic.error", "sanic.access", APPLICATION_ROOT_LOGGER_NAME)


class MissingServerToken(SystemExit):
    """The action server refuses to start without ACTION_SERVER_TOKEN."""


def presented_token(request: Request) -> str:
    """The token a caller sent: Rasa's query parameter, or an `Authorization: Bearer` header."""
    header = request.headers.get("authorization", "")
    if header.lower().startswith("bearer "):
        return str(header[7:].strip())
    return str(request.args.get(TOKEN_PARAMETER) or "")


def authorised(request: Request, token: str) -> bool:
    """Whether the request carries the server token (compared in constant time)."""
    return hmac.compare_digest(presented_token(request).encode(), token.encode())


def protected_app(
    executor: ActionExecutor, token: str, endpoints: str, auto_reload: bool = False
) -> Sanic[Any, Any]:
    """rasa_sdk's app (built in every worker) with the token check in front of every route."""
    # Built in every worker process, after its logging is set up: mask what its handlers write.
    log_privacy.install(SANIC_LOGGERS)
    # No CORS: browsers never call the action server.
    app: Sanic[Any, Any] = create_app_for_serve(
        executor, cors_origins=None, auto_reload=auto_reload, endpoints=endpoints
    )

    @app.on_request
    async def require_token(request: Request) -> HTTPResponse | None:
        if request.path in OPEN_PATHS or authorised(request, token):
            return None
        logger.warning("refused %s %s without the server token", request.method, request.path)
        return response.json({"error": "missing or wrong action server token"}, status=401)

    return app


def serve(args: argparse.Namespace) -> None:
    """Start the server with rasa_sdk's command-line arguments and our settings."""
    settings = get_settings()
    if not settings.server_token:
        raise MissingServerToken(
            "ACTION_SERVER_TOKEN is not set: the action server only answers the Rasa server "
            "that sends this token (endpoints.yml). Run 'make setup' or set it yourself."
        )
    utils.configure_colored_logging(args.loglevel)
    utils.configure_file_logging(
        logging.getLogger(APPLICATION_ROOT_LOGGER_NAME),
        args.log_file,
        args.loglevel,
        args.logging_config_file,
    )
    utils.update_sanic_log_level()
    executor = ActionExecutor()
    executor.register_package(args.actions_module or args.actions)
    loader = AppLoader(
        factory=partial(
            protected_app,
            executor,
            settings.server_token,
            args.endpoints,
            auto_reload=args.auto_reload,
        )
    )
    app = loader.load()
    ssl = create_ssl_config(args.ssl_certificate, args.ssl_keyfile, args.ssl_password)
    logger.info("action server listening on %s:%s", settings.host, args.port)
    app.prepare(
        host=settings.host, port=args.port, ssl=ssl, workers=utils.number_of_sanic_workers()
    )
    Sanic.serve(primary=app, app_loader=loader)


def main(argv: list[str] | None = None) -> None:
    """`python -m actions --port 5055`."""
    args = create_argument_parser().parse_args(argv)
    if args.grpc:
        raise SystemExit("--grpc is not supported: the token check guards the HTTP server.")
    if not (args.actions_module or args.actions):
        args.actions = "actions"
    serve(args)
