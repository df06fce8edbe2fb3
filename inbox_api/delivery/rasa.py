"""Rasa's HTTP API, the only way the inbox reaches a customer (docs/contracts.md)."""

from __future__ import annotations

from typing import Any
from urllib.parse import quote

import httpx

# Rasa refused the message itself: sending it again cannot help. 401/403 (our token), 408 and
# 429 (load) are problems of the moment or of configuration, so those are retried.
_RETRIED_4XX = (401, 403, 408, 429)


class DeliveryFailed(Exception):
    """Rasa did not accept the message; `permanent` when retrying cannot help."""

    def __init__(self, reason: str, permanent: bool = False) -> None:
        super().__init__(reason)
        self.permanent = permanent


def _rasa_reason(response: httpx.Response) -> str:
    """Rasa's own one-line explanation (its error JSON has `message`), cut short."""
    try:
        body = response.json()
    except ValueError:
        return ""
    message = body.get("message") if isinstance(body, dict) else None
    return f": {str(message)[:200]}" if message else ""


class DeliveryRefused(DeliveryFailed):
    """The customer's platform refused the message (e.g. Meta's window closed); final."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason, permanent=True)


# Set by the channel connectors (bot/channels/graph.py) on errors no retry can fix.
REFUSED_MARKER = "CHANNEL_REFUSED: "


def _refusal(response: httpx.Response) -> str | None:
    """The channel's reason when Rasa's error says the platform refused the message."""
    try:
        message = str(response.json().get("message", ""))
    except ValueError:
        return None
    if REFUSED_MARKER not in message:
        return None
    return message.split(REFUSED_MARKER, 1)[1].strip()[:500] or None


class RasaClient:
    """Triggers external intents in a customer's conversation."""

    def __init__(self, base_url: str, token: str, timeout: float = 10.0) -> None:
        self._base = base_url.rstrip("/")
        self._token = token
        self._client = httpx.AsyncClient(timeout=timeout)

    async def close(self) -> None:
        """Close the connection pool."""
        await self._client.aclose()

    async def trigger_intent(
        self, conversation_id: str, name: str, entities: dict[str, Any] | None = None
    ) -> None:
        """Inject an intent; the reply goes out on the channel the customer used last."""
        url = f"{self._base}/conversations/{quote(conversation_id, safe='')}/trigger_intent"
        body: dict[str, Any] = {"name": name}
        if entities:
            body["entities"] = entities
        params = {"output_channel": "latest"}
        if self._token:
            params["token"] = self._token
        try:
            response = await self._client.post(url, params=params, json=body)
        except httpx.HTTPError as exc:
            # The message never names the URL: it carries the token.
            raise DeliveryFailed(f"Rasa is unreachable ({type(exc).__name__})") from None
        status = response.status_code
        if status >= 300:
            reason = _refusal(response)
            if reason:
                raise DeliveryRefused(reason)
        if 400 <= status < 500 and status not in _RETRIED_4XX:
            raise DeliveryFailed(
                f"Rasa refused it (HTTP {status}{_rasa_reason(response)})", permanent=True
            )
        if status >= 300:
            raise DeliveryFailed(f"Rasa answered HTTP {status}")
