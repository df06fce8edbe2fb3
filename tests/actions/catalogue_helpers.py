"""Running catalogue actions with a real Tracker and CollectingDispatcher, and rendering replies.

Rendering picks the response variation the way Rasa does for our domain (the `language`
slot condition, else the default) and fills in the template variables the action passed,
failing when one is missing.
"""

from __future__ import annotations

import re
from functools import lru_cache
from pathlib import Path
from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.executor import CollectingDispatcher
from ruamel.yaml import YAML

from tests.actions.trackers import make_tracker, parse_data

DOMAIN_FILE = Path(__file__).resolve().parents[2] / "domain.yml"
_PLACEHOLDER = re.compile(r"\{(\w+)\}")
# Keys CollectingDispatcher adds to every message; the rest are template variables.
_MESSAGE_KEYS = {
    "text",
    "buttons",
    "elements",
    "custom",
    "template",
    "response",
    "image",
    "attachment",
}


@lru_cache(maxsize=1)
def domain() -> dict[str, Any]:
    """domain.yml as a dict (what Rasa sends the action server)."""
    loaded: dict[str, Any] = YAML(typ="safe").load(DOMAIN_FILE.read_text(encoding="utf-8"))
    return loaded


def tracker(
    language: str | None = "en",
    text: str = "",
    *,
    events: list[dict[str, Any]] | None = None,
    active_loop: str | None = None,
    entities: dict[str, str] | None = None,
    sender: str = "test-conversation",
    **slots: Any,
) -> Tracker:
    """A real Tracker with these slots and this latest customer message (and its entities)."""
    found = [{"entity": k, "value": v} for k, v in (entities or {}).items()]
    return make_tracker(
        sender_id=sender,
        slots={"language": language, **slots},
        latest=parse_data(text, entities=found),
        events=events,
        active_loop=active_loop,
    )


async def run(action: Action, conversation: Tracker) -> tuple[list[dict[str, Any]], list[Any]]:
    """The messages an action sends and the events it returns."""
    dispatcher = CollectingDispatcher()
    events = await action.run(dispatcher, conversation, domain())
    return dispatcher.messages, events


def variables(message: dict[str, Any]) -> dict[str, Any]:
    """The template variables an action passed with a response."""
    return {key: value for key, value in message.items() if key not in _MESSAGE_KEYS}


def render(message: dict[str, Any], language: str) -> str:
    """The text the customer reads for this message in that language."""
    variations = domain()["responses"][message["response"]]
    chosen = next(
        (
            v
            for v in variations
            if any(
                c.get("name") == "language" and c.get("value") == language
                for c in v.get("condition", [])
            )
        ),
        None,
    ) or next(v for v in variations if not v.get("condition"))
    values = variables(message)

    def fill(match: re.Match[str]) -> str:
        return str(values[match.group(1)])

    return _PLACEHOLDER.sub(fill, str(chosen["text"]))


def names(messages: list[dict[str, Any]]) -> list[str]:
    """The response names, in order."""
    return [str(m["response"]) for m in messages]


def slot_events(events: list[Any]) -> dict[str, Any]:
    """The SlotSet events as name -> value."""
    return {e["name"]: e["value"] for e in events if e.get("event") == "slot"}
