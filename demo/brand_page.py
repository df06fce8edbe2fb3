"""The person's side of Meta for the demo's mock brand page, served by the fake Graph API.

A visitor of the demo page comments under the brand's post or writes in a Messenger-style
chat. These routes do what Meta does then: they sign a webhook delivery with the app secret
and POST it to the Rasa server's real connectors (bot/channels/), which answer through the
fake Graph API. What the page shows (public replies under the comment, the private reply, the
chat) is read back from the calls the fake recorded, exactly as the connectors made them.
"""

from __future__ import annotations

import asyncio
import itertools
import logging
import time
import uuid
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import httpx
from starlette.requests import Request
from starlette.responses import JSONResponse
from starlette.routing import Route

from demo import meta_webhooks as hooks

if TYPE_CHECKING:
    from demo.graph_api import FakeGraph

logger = logging.getLogger(__name__)
MAX_TEXT = 2000
MAX_NAME = 60

POST_TEXT = (
    "De wintercollectie is er ❄️ Wollen jassen, de Lina wikkeljurk in drie nieuwe kleuren en "
    "onze eerste sneakers. Vragen? Stel ze hieronder! · The winter collection is here — ask "
    "us anything below!"
)


@dataclass
class BrandPage:
    """The mock page: one post, the comments people wrote, the chats they started."""

    webhook_base: str  # Rasa's /webhooks, e.g. http://127.0.0.1:5005/webhooks
    app_secret: str
    page_id: str
    comments: list[dict[str, Any]] = field(default_factory=list)
    # psid -> the person's own chat messages, with when they were sent
    chats: dict[str, list[dict[str, Any]]] = field(default_factory=dict)
    _ids: itertools.count[int] = field(default_factory=lambda: itertools.count(1))
    _tasks: set[asyncio.Task[None]] = field(default_factory=set)

    @property
    def post_id(self) -> str:
        return f"{self.page_id}_1001"

    def post(self) -> dict[str, str]:
        return {"message": POST_TEXT,
                "permalink_url": f"https://www.facebook.com/{self.page_id}/posts/1001"}

    async def _deliver(self, channel: str, payload: dict[str, Any]) -> None:
        body, headers = hooks.signed(payload, self.app_secret)
        try:
            async with httpx.AsyncClient(timeout=120) as client:
                answer = await client.post(f"{self.webhook_base}/{channel}/webhook",
                                           content=body, headers=headers)
            if answer.status_code != 200:
                logger.warning("the %s webhook answered %s", channel, answer.status_code)
        except httpx.HTTPError as error:
            logger.warning("the %s webhook is unreachable: %s", channel, error)

    def _in_background(self, channel: str, payload: dict[str, Any]) -> None:
        # Meta does not wait for the page's answer either; the page polls for it.
        task = asyncio.create_task(self._deliver(channel, payload))
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)

    def comment(self, name: str, text: str) -> dict[str, Any]:
        number = next(self._ids)
        comment = {"id": f"{self.page_id}_{int(time.time())}{number:04d}",
                   "author_id": f"DEMO{uuid.uuid4().hex[:10]}", "name": name, "text": text,
                   "at": time.time()}
        self.comments.append(comment)
        self._in_background("messenger", hooks.page_comment(
            self.page_id, self.post_id, comment["id"], comment["author_id"], name, text))
        return comment

    def message(self, psid: str, text: str) -> dict[str, Any]:
        sent = {"text": text, "at": time.time()}
        self.chats.setdefault(psid, []).append(sent)
        self._in_background("messenger", hooks.messaging(
            "page", self.page_id, psid, hooks.text_message(text)))
        return sent


def _text(data: Any, key: str, limit: int) -> str:
    value = data.get(key) if isinstance(data, dict) else None
    if not isinstance(value, str) or not value.strip() or len(value) > limit:
        raise ValueError(f"{key} must be text of 1 to {limit} characters")
    return value.strip()


def routes(page: BrandPage, fake: FakeGraph) -> list[Route]:
    """`/_demo/*`: comment, chat, and read back what the page's visitor would see."""
    fake.profiles[page.post_id] = page.post()

    async def read_json(request: Request) -> Any:
        try:
            return await request.json()
        except ValueError:
            return None

    async def post_view(request: Request) -> JSONResponse:
        comments = []
        for comment in page.comments:
            cid = comment["id"]
            public = [c["body"]["message"] for c in fake.requests
                      if c["node"] == cid and c["edge"] in ("comments", "replies")]
            private = [c["body"]["message"].get("text", "") for c in fake.requests
                       if (c["body"].get("recipient") or {}).get("comment_id") == cid]
            liked = any(c["node"] == cid and c["edge"] == "likes" for c in fake.requests)
            comments.append({"id": cid, "name": comment["name"], "text": comment["text"],
                             "public_replies": public, "private_replies": private,
                             "liked": liked})
        return JSONResponse({"id": page.post_id, **page.post(), "comments": comments})

    async def add_comment(request: Request) -> JSONResponse:
        data = await read_json(request)
        try:
            made = page.comment(_text(data, "name", MAX_NAME), _text(data, "text", MAX_TEXT))
        except ValueError as error:
            return JSONResponse({"error": str(error)}, status_code=400)
        return JSONResponse({"id": made["id"]}, status_code=201)

    async def chat(request: Request) -> JSONResponse:
        psid = request.query_params.get("psid", "")
        if not psid.isalnum() or len(psid) > 64:
            return JSONResponse({"error": "psid must be 1 to 64 letters or digits"}, 400)
        lines = [{"from": "customer", "text": m["text"], "at": m["at"]}
                 for m in page.chats.get(psid, [])]
        for call in fake.requests:
            body = call["body"]
            if (body.get("recipient") or {}).get("id") == psid and "message" in body:
                message = body["message"]
                lines.append({"from": "page", "text": message.get("text", ""),
                              "at": call.get("at", 0),
                              "quick_replies": [q.get("title") for q in
                                                message.get("quick_replies") or []],
                              "tag": body.get("tag")})
        lines.sort(key=lambda line: line["at"])
        return JSONResponse({"psid": psid, "messages": lines})

    async def send(request: Request) -> JSONResponse:
        data = await read_json(request)
        try:
            psid = _text(data, "psid", 64)
            text = _text(data, "text", MAX_TEXT)
            if not psid.isalnum():
                raise ValueError("psid must be letters or digits")
        except ValueError as error:
            return JSONResponse({"error": str(error)}, status_code=400)
        name = data.get("name") if isinstance(data.get("name"), str) else ""
        if name.strip():
            # What the Graph profile call then answers for this person.
            first, _, last = name.strip()[:MAX_NAME].partition(" ")
            fake.profiles[psid] = {"first_name": first, "last_name": last}
        page.message(psid, text)
        return JSONResponse({"sent": True}, status_code=201)

    return [
        Route("/_demo/post", post_view, methods=["GET"]),
        Route("/_demo/comments", add_comment, methods=["POST"]),
        Route("/_demo/chat", chat, methods=["GET"]),
        Route("/_demo/chat", send, methods=["POST"]),
    ]
