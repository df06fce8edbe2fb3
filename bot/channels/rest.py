"""Rasa's REST channel (`/webhooks/rest/webhook`), refusing what it would crash on or misfile.

Rasa's own channel answers 500 to a body that is not a JSON object, stores a lone surrogate
it cannot encode, takes `input_channel` from the caller and accepts any sender id. This one
answers 400 (413 for a long message) with a reason, and files every message as "rest".
"""

from __future__ import annotations

from typing import Any, Dict, Optional, Text

from rasa.core.channels.rest import RestInput as RasaRestInput
from sanic.exceptions import InvalidUsage as BadRequest  # 400 in the Sanic Rasa 3.6 uses
from sanic.exceptions import PayloadTooLarge
from sanic.request import Request

from bot.channels.customer_input import (
    MAX_MESSAGE_CHARS,
    clean_text,
    message_problem,
    sender_problem,
)

_BODY = 'The body must be a JSON object: {"sender": "...", "message": "..."}.'


class RestInput(RasaRestInput):
    """The REST channel with its input checked (same name and URL as Rasa's)."""

    @classmethod
    def name(cls) -> Text:
        """`rest`: the same webhook URL and the same channel name in trackers."""
        return "rest"

    @staticmethod
    def _body(request: Request) -> Dict[str, Any]:
        try:
            body = request.json
        except Exception:  # Sanic raises its own error types for unreadable JSON
            raise BadRequest(_BODY) from None
        if not isinstance(body, dict):
            raise BadRequest(_BODY)
        return body

    async def _extract_sender(self, req: Request) -> Optional[Text]:
        sender = self._body(req).get("sender")
        problem = sender_problem(sender)
        if problem:
            raise BadRequest(problem)
        return str(sender)

    def _extract_message(self, req: Request) -> Optional[Text]:
        message = self._body(req).get("message")
        problem = message_problem(message)
        if problem:
            too_long = isinstance(message, str) and len(message) > MAX_MESSAGE_CHARS
            raise (PayloadTooLarge if too_long else BadRequest)(problem)
        return clean_text(str(message))

    def _extract_input_channel(self, req: Request) -> Text:
        # Never the caller's word: the inbox answers on the channel recorded here.
        return self.name()
