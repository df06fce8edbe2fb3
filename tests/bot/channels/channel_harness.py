"""The Meta connectors in a bare Sanic app of the Rasa environment (no model, no NLU).

Started by test_connectors_in_rasa.py with .venv-rasa: every customer text is echoed back
through the channel's own output channel, so the test sees exactly what the connector sends
to the (fake) Graph API. `/_harness/*` routes expose what reached "Rasa" and the inbox.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[3]
sys.path.insert(0, str(ROOT))

from rasa.core.channels.channel import UserMessage  # noqa: E402
from sanic import Sanic, response  # noqa: E402
from sanic.request import Request  # noqa: E402
from sanic.response import HTTPResponse  # noqa: E402

from bot.channels.comments import InstagramCommentInput, MessengerCommentInput  # noqa: E402
from bot.channels.messenger import InstagramInput, MessengerInput  # noqa: E402
from bot.channels.whatsapp import WhatsAppInput  # noqa: E402

received: list[dict[str, Any]] = []
statuses: list[dict[str, Any]] = []
BUTTONS = [{"title": f"Keuze {n}", "payload": f"/choice{{\"n\": {n}}}"} for n in range(1, 6)]


handed_over: set[str] = set()


class _Tracker:
    def __init__(self, sender_id: str) -> None:
        self.sender_id = sender_id

    def get_slot(self, name: str) -> Any:
        return {"human_owned": self.sender_id in handed_over}.get(name)


class _Trackers:
    async def retrieve(self, sender_id: str) -> _Tracker:
        return _Tracker(sender_id)


class _Agent:
    tracker_store = _Trackers()


async def on_new_message(message: UserMessage) -> None:
    received.append({"sender_id": message.sender_id, "text": message.text,
                     "input_channel": message.input_channel, "message_id": message.message_id,
                     "metadata": message.metadata, "parse_data": message.parse_data})
    if message.parse_data:  # already understood by the connector: nothing to echo
        return
    text = message.text or ""
    if "klacht" in text:  # the assistant hands this one to a colleague
        handed_over.add(message.sender_id)
        return
    if text.startswith("buttons "):
        count = int(text.split()[1])
        await message.output_channel.send_text_with_buttons(
            message.sender_id, "Waar gaat het over?", BUTTONS[:count])
    elif text == "long":
        await message.output_channel.send_text_message(message.sender_id, "Lang verhaal. " * 400)
    else:
        await message.output_channel.send_text_message(message.sender_id, f"echo: {text}")


def main() -> None:
    port = int(sys.argv[1])
    app = Sanic("channel_harness")
    app.ctx.agent = _Agent()
    channels = [MessengerInput.from_credentials(None), InstagramInput.from_credentials(None),
                WhatsAppInput.from_credentials(None), MessengerCommentInput.from_credentials(None),
                InstagramCommentInput.from_credentials(None)]
    by_name = {channel.name(): channel for channel in channels}
    for channel in channels:
        app.blueprint(channel.blueprint(on_new_message), url_prefix=f"/webhooks/{channel.name()}")

    @app.get("/_harness/messages")
    async def messages(request: Request) -> HTTPResponse:
        return response.json(received)

    # The inbox's side of WhatsApp statuses (INBOX_URL points here in the tests).
    @app.post("/_inbox/api/v1/deliveries/<delivery_id>/channel-status")
    async def channel_status(request: Request, delivery_id: str) -> HTTPResponse:
        statuses.append({"delivery_id": delivery_id, "body": request.json,
                         "authorization": request.headers.get("authorization")})
        return response.json({"delivery_id": int(delivery_id)})

    @app.get("/_harness/statuses")
    async def reported(request: Request) -> HTTPResponse:
        return response.json(statuses)

    @app.post("/_harness/agent-reply")
    async def agent_reply(request: Request) -> HTTPResponse:
        # What Rasa's trigger_intent does with output_channel=latest: the channel's output,
        # with the relay action's extra keys (the inbox delivery id) as keyword arguments.
        data = request.json
        output = by_name[data["channel"]].get_output_channel()
        extra = {"inbox_delivery_id": data["delivery_id"]} if data.get("delivery_id") else {}
        try:
            if data.get("template"):
                await output.send_custom_json(data["conversation"], {
                    "whatsapp_template": {"name": "answer_ready", "language": data["template"]}},
                    **extra)
            else:
                await output.send_text_message(data["conversation"], data["text"], **extra)
        except Exception as error:
            return response.json({"error": str(error), "type": type(error).__name__}, status=500)
        return response.json({"sent": True})

    app.run(host="127.0.0.1", port=port, workers=1, access_log=False)


if __name__ == "__main__":
    main()
