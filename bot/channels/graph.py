"""A small client for the Graph API calls the connectors make (base URL configurable)."""

from __future__ import annotations

import json
import logging
from typing import Any, Dict, Optional

import aiohttp

logger = logging.getLogger(__name__)

# docs/contracts.md: an error no retry can fix starts with this marker. Rasa's trigger_intent
# answers 500 with the message, and the inbox marks the reply failed with the rest as reason.
REFUSED_MARKER = "CHANNEL_REFUSED: "

# Error codes Meta documents for messages it will not deliver because of the window or policy.
WINDOW_OR_POLICY_CODES = {10, 200, 551, 2018278, 2018108, 2018109, 131047, 131026, 131051}


class GraphError(Exception):
    """Meta refused a call; the message names the code, for the agent and the logs."""

    def __init__(self, status: int, code: Optional[int], subcode: Optional[int],
                 message: str) -> None:
        self.status = status
        self.code = code
        self.subcode = subcode
        self.message = message
        super().__init__(str(self))

    @property
    def is_window_or_policy(self) -> bool:
        return self.code in WINDOW_OR_POLICY_CODES or self.subcode in WINDOW_OR_POLICY_CODES

    def __str__(self) -> str:
        sub = f"/{self.subcode}" if self.subcode else ""
        text = (f"Meta refused the message (code {self.code}{sub}, HTTP {self.status}): "
                f"{self.message}")
        return REFUSED_MARKER + text if self.is_window_or_policy else text


class WindowClosed(Exception):
    """The messaging window is closed: nothing may be sent to this person now."""

    def __str__(self) -> str:
        return REFUSED_MARKER + super().__str__()


class GraphClient:
    """POST/GET against `{base_url}/{path}` with a Page or WhatsApp access token."""

    def __init__(self, base_url: str, access_token: str, *, token_in_header: bool,
                 timeout: float = 10.0) -> None:
        self.base_url = base_url.rstrip("/")
        self.access_token = access_token
        # Messenger's documentation passes access_token as a parameter, WhatsApp's as Bearer.
        self.token_in_header = token_in_header
        self.timeout = aiohttp.ClientTimeout(total=timeout)

    def _auth(self) -> Dict[str, Any]:
        if self.token_in_header:
            return {"headers": {"Authorization": f"Bearer {self.access_token}"}}
        return {"params": {"access_token": self.access_token}}

    async def request(self, method: str, path: str,
                      body: Optional[Dict[str, Any]] = None) -> Dict[str, Any]:
        url = f"{self.base_url}/{path.lstrip('/')}"
        async with aiohttp.ClientSession(timeout=self.timeout) as session, session.request(
            method, url, json=body, **self._auth()
        ) as response:
            text = await response.text()
            try:
                data = json.loads(text) if text else {}
            except ValueError:
                data = {}
            if not isinstance(data, dict):
                data = {}
            if response.status >= 400 or "error" in data:
                error = data.get("error") if isinstance(data.get("error"), dict) else {}
                raise GraphError(response.status, error.get("code"), error.get("error_subcode"),
                                 str(error.get("message") or text[:200]))
            return data

    async def post(self, path: str, body: Dict[str, Any]) -> Dict[str, Any]:
        return await self.request("POST", path, body)

    async def get(self, path: str) -> Dict[str, Any]:
        return await self.request("GET", path)
