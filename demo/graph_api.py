"""A local stand-in for Meta's Graph API: the documented request and response shapes, recorded.

Run it for the demo or the end-to-end tests:
    .venv/bin/python -m demo.graph_api --port 8123 --token PAGE_TOKEN --token WA_TOKEN
and point the channels at it with META_GRAPH_URL=http://127.0.0.1:8123/v21.0.

It checks what the real API checks first (access token, required fields, documented limits)
and answers with the documented success or error bodies. It does not know Meta's policies
beyond what a test asks for: `POST /_fake/refuse` makes it refuse a recipient with a given code.
`GET /_fake/requests` lists every accepted call, oldest first.
"""

from __future__ import annotations

import argparse
import contextlib
import itertools
import json
import os
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs

from starlette.applications import Starlette
from starlette.middleware import Middleware
from starlette.middleware.cors import CORSMiddleware
from starlette.requests import Request
from starlette.responses import JSONResponse
from starlette.routing import Route

from demo import brand_page
from demo.brand_page import BrandPage

VERSION = "v21.0"
MESSAGING_TYPES = {"RESPONSE", "UPDATE", "MESSAGE_TAG"}
SENDER_ACTIONS = {"typing_on", "typing_off", "mark_seen"}


class GraphRefusal(Exception):
    def __init__(self, message: str, code: int = 100, subcode: int | None = None,
                 status: int = 400, kind: str = "OAuthException") -> None:
        super().__init__(message)
        self.body: dict[str, Any] = {"error": {
            "message": message, "type": kind, "code": code, "fbtrace_id": "FAKE-TRACE",
        }}
        if subcode is not None:
            self.body["error"]["error_subcode"] = subcode
        self.status = status


def _require(condition: object, message: str) -> None:
    if not condition:
        raise GraphRefusal(f"(#100) {message}")


class FakeGraph:
    """State of one fake: accepted tokens, recorded calls, refusals a test asked for."""

    def __init__(self, tokens: set[str], profiles: dict[str, dict[str, str]] | None = None):
        self.tokens = tokens
        self.requests: list[dict[str, Any]] = []
        self.refusals: dict[str, dict[str, Any]] = {}
        self.profiles = profiles or {}
        self._ids = itertools.count(1)

    def new_id(self, prefix: str) -> str:
        return f"{prefix}{next(self._ids):06d}"

    # -- shapes -----------------------------------------------------------------------------
    def check_token(self, request: Request) -> str:
        token = request.query_params.get("access_token", "")
        header = request.headers.get("authorization", "")
        if header.lower().startswith("bearer "):
            token = header[7:]
        if token not in self.tokens:
            raise GraphRefusal("Invalid OAuth access token - Cannot parse access token", 190,
                               status=401)
        return token

    def refuse_if_asked(self, recipient: str) -> None:
        refusal = self.refusals.get(recipient)
        if refusal:
            raise GraphRefusal(refusal.get("message", "Refused by the fake"),
                               int(refusal.get("code", 10)), refusal.get("subcode"))

    def messenger(self, body: dict[str, Any]) -> dict[str, Any]:
        recipient = body.get("recipient")
        _require(isinstance(recipient, dict) and (recipient.get("id") or recipient.get(
            "comment_id")), "param recipient must be an object with id or comment_id")
        assert isinstance(recipient, dict)
        target = str(recipient.get("id") or recipient.get("comment_id"))
        if "sender_action" in body:
            _require(body["sender_action"] in SENDER_ACTIONS, "param sender_action is invalid")
            _require("message" not in body, "sender_action cannot be sent with message")
            return {"recipient_id": target}
        message = body.get("message")
        _require(isinstance(message, dict), "param message must be an object")
        assert isinstance(message, dict)
        if "id" in recipient:
            _require(body.get("messaging_type") in MESSAGING_TYPES,
                     "param messaging_type must be one of RESPONSE, UPDATE, MESSAGE_TAG")
            if body.get("messaging_type") == "MESSAGE_TAG":
                _require(body.get("tag"), "param tag is required with MESSAGE_TAG")
        text = message.get("text")
        _require(isinstance(text, str) or "attachment" in message,
                 "message must have text or attachment")
        if isinstance(text, str):
            _require(0 < len(text) <= 2000, "param message[text] must be 1 to 2000 characters")
        replies = message.get("quick_replies", [])
        _require(isinstance(replies, list) and len(replies) <= 13, "at most 13 quick_replies")
        for reply in replies:
            _require(reply.get("content_type") in ("text", "user_phone_number", "user_email"),
                     "quick_replies[content_type] is invalid")
            if reply.get("content_type") == "text":
                _require(0 < len(reply.get("title", "")) <= 20,
                         "quick_replies[title] must be 1 to 20 characters")
                _require(0 < len(str(reply.get("payload", ""))) <= 1000,
                         "quick_replies[payload] must be 1 to 1000 characters")
        self.refuse_if_asked(target)
        return {"recipient_id": target, "message_id": self.new_id("m_FAKE")}

    def whatsapp(self, body: dict[str, Any]) -> dict[str, Any]:
        _require(body.get("messaging_product") == "whatsapp", "messaging_product is required")
        to = str(body.get("to") or "")
        _require(to, "param to is required")
        kind = body.get("type", "text")
        if kind == "text":
            text = (body.get("text") or {}).get("body", "")
            _require(0 < len(text) <= 4096, "text.body must be 1 to 4096 characters")
        elif kind == "interactive":
            interactive = body.get("interactive") or {}
            _require(0 < len((interactive.get("body") or {}).get("text", "")) <= 1024,
                     "interactive.body.text must be 1 to 1024 characters")
            action = interactive.get("action") or {}
            if interactive.get("type") == "button":
                buttons = action.get("buttons") or []
                _require(1 <= len(buttons) <= 3, "interactive buttons: 1 to 3 buttons")
                for button in buttons:
                    reply = button.get("reply") or {}
                    _require(button.get("type") == "reply", "button type must be reply")
                    _require(0 < len(reply.get("title", "")) <= 20, "button title 1 to 20")
                    _require(0 < len(reply.get("id", "")) <= 256, "button id 1 to 256")
                titles = [b["reply"]["title"] for b in buttons]
                _require(len(set(titles)) == len(titles), "button titles must be unique")
            elif interactive.get("type") == "list":
                _require(0 < len(action.get("button", "")) <= 20, "list button 1 to 20")
                rows = [row for section in action.get("sections") or []
                        for row in section.get("rows") or []]
                _require(1 <= len(rows) <= 10, "list: 1 to 10 rows")
                for row in rows:
                    _require(0 < len(row.get("title", "")) <= 24, "row title 1 to 24")
                    _require(0 < len(row.get("id", "")) <= 200, "row id 1 to 200")
                    _require(len(row.get("description", "")) <= 72, "row description <= 72")
            else:
                raise GraphRefusal("(#100) interactive.type is not supported by the fake")
        elif kind == "template":
            _require((body.get("template") or {}).get("name"), "template.name is required")
        elif kind == "image":
            _require((body.get("image") or {}).get("link"), "image.link is required")
        else:
            raise GraphRefusal(f"(#100) type {kind} is not supported by the fake")
        self.refuse_if_asked(to)
        return {"messaging_product": "whatsapp", "contacts": [{"input": to, "wa_id": to}],
                "messages": [{"id": self.new_id("wamid.FAKE")}]}

    def record(self, request: Request, node: str, edge: str, body: dict[str, Any],
               answer: dict[str, Any]) -> None:
        self.requests.append({
            "method": request.method, "node": node, "edge": edge, "body": body,
            "answer": answer, "version": request.path_params.get("version"),
            "at": time.time(),
        })


async def _body(request: Request) -> dict[str, Any]:
    raw = await request.body()
    if request.headers.get("content-type", "").startswith("application/json"):
        data = json.loads(raw or b"{}")
        return data if isinstance(data, dict) else {}
    # The documentation's curl examples send form fields whose values are JSON.
    form = {key: values[-1] for key, values in parse_qs(raw.decode()).items()}
    for key, value in list(form.items()):
        with contextlib.suppress(ValueError):
            form[key] = json.loads(value)
    form.pop("access_token", None)
    return form


def create_app(fake: FakeGraph, page: BrandPage | None = None,
               allow_origins: list[str] | None = None) -> Starlette:
    """The fake's routes; with `page`, also the demo's mock brand page (demo/brand_page.py)."""
    async def edge(request: Request) -> JSONResponse:
        node, name = request.path_params["node"], request.path_params["edge"]
        try:
            fake.check_token(request)
            body = await _body(request)
            if name == "messages":
                answer = (fake.whatsapp(body) if body.get("messaging_product")
                          else fake.messenger(body))
            elif name in ("comments", "replies"):
                message = body.get("message") or request.query_params.get("message")
                _require(message, "param message is required")
                body = {"message": message}
                fake.refuse_if_asked(node)
                answer = {"id": fake.new_id(f"{node}_")}
            elif name == "likes":
                answer = {"success": True}
            else:
                raise GraphRefusal(f"Unknown path components: /{name}", 2500)
        except GraphRefusal as refusal:
            return JSONResponse(refusal.body, status_code=refusal.status)
        fake.record(request, node, name, body, answer)
        return JSONResponse(answer)

    async def node(request: Request) -> JSONResponse:
        try:
            fake.check_token(request)
        except GraphRefusal as refusal:
            return JSONResponse(refusal.body, status_code=refusal.status)
        user = request.path_params["node"]
        profile = fake.profiles.get(user)
        if profile is None:
            refusal = GraphRefusal(f"Unsupported get request. Object with ID '{user}' does "
                                   "not exist", 100, 33)
            return JSONResponse(refusal.body, status_code=400)
        fields = request.query_params.get("fields")
        wanted = fields.split(",") if fields else list(profile)
        answer = {"id": user, **{k: profile[k] for k in wanted if k in profile}}
        fake.record(request, user, "", {}, answer)
        return JSONResponse(answer)

    async def requests_(request: Request) -> JSONResponse:
        if request.method == "DELETE":
            fake.requests.clear()
            fake.refusals.clear()
            return JSONResponse({"cleared": True})
        return JSONResponse(fake.requests)

    async def refuse(request: Request) -> JSONResponse:
        data = await request.json()
        fake.refusals[str(data["recipient"])] = data
        return JSONResponse({"refusing": str(data["recipient"])})

    async def profile(request: Request) -> JSONResponse:
        data = await request.json()
        fake.profiles[str(data.pop("id"))] = {k: str(v) for k, v in data.items()}
        return JSONResponse({"ok": True})

    async def health(request: Request) -> JSONResponse:
        return JSONResponse({"status": "ok"})

    demo_routes = brand_page.routes(page, fake) if page is not None else []
    # Only the demo page's origin may call the fake from a browser (the mock brand page).
    middleware = [Middleware(CORSMiddleware, allow_origins=allow_origins,
                             allow_methods=["GET", "POST"], allow_headers=["Content-Type"])
                  ] if allow_origins else []
    return Starlette(middleware=middleware, routes=[
        Route("/_fake/health", health),
        Route("/_fake/requests", requests_, methods=["GET", "DELETE"]),
        Route("/_fake/refuse", refuse, methods=["POST"]),
        Route("/_fake/profiles", profile, methods=["POST"]),
        *demo_routes,
        Route("/{version}/{node}/{edge}", edge, methods=["POST"]),
        Route("/{version}/{node}", node, methods=["GET"]),
    ])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=8123)
    parser.add_argument("--token", action="append", default=[],
                        help="an access token to accept (repeat for the Page and WhatsApp)")
    parser.add_argument("--webhook-base", help="the mock brand page: Rasa's /webhooks URL")
    parser.add_argument("--page-id", default="", help="the mock brand page's Page id")
    parser.add_argument("--allow-origin", action="append", default=[],
                        help="a browser origin that may call the fake (the demo page)")
    args = parser.parse_args()
    import uvicorn

    # The app secret signs the mock page's webhooks; it comes from the environment, not argv.
    secret = os.environ.get("META_APP_SECRET", "")
    page = (BrandPage(args.webhook_base.rstrip("/"), secret, args.page_id)
            if args.webhook_base and secret and args.page_id else None)
    uvicorn.run(create_app(FakeGraph(set(args.token)), page, args.allow_origin), host=args.host,
                port=args.port, log_level="warning")


if __name__ == "__main__":
    main()


def fake_graph_args(port: int, tokens: list[str], webhook_base: str | None = None,
                    page_id: str = "", allow_origins: list[str] | None = None) -> list[str]:
    """The command line of the fake (as `make run` and the tests start it)."""
    args = [sys.executable, "-m", "demo.graph_api", "--port", str(port)]
    for token in tokens:
        args.append(f"--token={token}")  # a generated token may start with "-"
    if webhook_base:
        args += ["--webhook-base", webhook_base, "--page-id", page_id]
    for origin in allow_origins or []:
        args += ["--allow-origin", origin]
    return args


@contextlib.contextmanager
def running_fake_graph(port: int, tokens: list[str], log_path: Path,
                       webhook_base: str | None = None, page_id: str = "",
                       app_secret: str = "", allow_origins: list[str] | None = None,
                       ) -> Iterator[str]:
    """The fake as a child process (as the demo runs it); yields its base URL with a version."""
    args = fake_graph_args(port, tokens, webhook_base, page_id, allow_origins)
    root = Path(__file__).resolve().parents[1]
    env = {**os.environ, "PYTHONPATH": str(root), "META_APP_SECRET": app_secret}
    with log_path.open("wb") as log:
        process = subprocess.Popen(args, cwd=root, env=env, stdout=log,
                                   stderr=subprocess.STDOUT)
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/_fake/health", timeout=1):
                    break
            except OSError:
                if process.poll() is not None or time.monotonic() > deadline:
                    raise RuntimeError(f"the fake Graph API did not start: {log_path}") from None
                time.sleep(0.2)
        yield f"http://127.0.0.1:{port}/{VERSION}"
    finally:
        process.terminate()
        process.wait(10)
