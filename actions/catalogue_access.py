"""How actions reach the catalogue: one lazily created engine, a timeout, and the apology path.

When the database is down or slower than `database_timeout_seconds`, the customer gets an
apology in their language and the conversation goes to the inbox (`action_escalate`).
"""

from __future__ import annotations

import asyncio
import logging
import traceback
from abc import ABCMeta, abstractmethod
from functools import lru_cache
from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.events import ActiveLoop, EventType, FollowupAction, SlotSet
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.forms import FormValidationAction
from rasa_sdk.types import DomainDict
from sqlalchemy.exc import SQLAlchemyError

from actions.domain_names import ACTION_ESCALATE
from actions.language import conversation_language
from actions.settings import get_settings
from catalogue.errors import CatalogueUnavailable
from catalogue.repository import Catalogue

logger = logging.getLogger(__name__)

UTTER_CATALOGUE_UNAVAILABLE = "utter_catalogue_unavailable"

# What a database that is down, unreachable or too slow raises through SQLAlchemy/asyncpg.
DATABASE_FAILURES: tuple[type[BaseException], ...] = (
    CatalogueUnavailable,
    SQLAlchemyError,
    OSError,
    TimeoutError,
)


@lru_cache(maxsize=1)
def shared_catalogue() -> Catalogue:
    """The action server's catalogue, created on first use from the settings (never at import)."""
    settings = get_settings()
    return Catalogue.from_url(
        settings.database_url,
        timeout_seconds=settings.database_timeout_seconds,
        attempt_limits=settings.attempt_limits(),
    )


def apologise_and_escalate(
    dispatcher: CollectingDispatcher, action: str, error: BaseException
) -> list[EventType]:
    """Tell the customer the shop data is unreachable and hand the conversation to the inbox."""
    # Never the error's message: it may hold connection details or a customer's email
    # (SQLAlchemy quotes statement parameters). A bug also gets the frames, to be found.
    if isinstance(error, DATABASE_FAILURES):
        logger.warning("catalogue unavailable in %s (%s); escalating", action, type(error).__name__)
    else:
        frames = "".join(traceback.format_tb(error.__traceback__))
        logger.error("%s failed (%s); escalating\n%s", action, type(error).__name__, frames)
    dispatcher.utter_message(response=UTTER_CATALOGUE_UNAVAILABLE)
    return [FollowupAction(ACTION_ESCALATE)]


class _UsesCatalogue:
    """Holds an injected catalogue or fetches the shared one when first needed."""

    def __init__(self, catalogue: Catalogue | None = None, *, timeout_seconds: float | None = None):
        self._catalogue = catalogue
        self._timeout_seconds = timeout_seconds

    @property
    def catalogue(self) -> Catalogue:
        """The catalogue this action answers from."""
        if self._catalogue is None:
            self._catalogue = shared_catalogue()
        return self._catalogue

    @property
    def timeout_seconds(self) -> float:
        """How long the database may take before the customer gets the apology."""
        if self._timeout_seconds is None:
            return get_settings().database_timeout_seconds
        return self._timeout_seconds


# ABCMeta so the SDK's scan skips this base class (it registers only concrete actions).
class CatalogueAction(_UsesCatalogue, Action, metaclass=ABCMeta):  # type: ignore[misc]
    """An action answering from the catalogue; subclasses implement `answer`."""

    def __init__(
        self, catalogue: Catalogue | None = None, *, timeout_seconds: float | None = None
    ) -> None:
        super().__init__(catalogue, timeout_seconds=timeout_seconds)

    @abstractmethod
    def name(self) -> str:
        """The action's name in domain.yml."""

    @abstractmethod
    async def answer(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, language: str
    ) -> list[EventType]:
        """Utter the answer and return the events; may raise on database failures."""

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[EventType]:
        """Answer within the timeout, or apologise and escalate."""
        # Messages are collected aside so a half-finished answer never reaches the customer.
        draft = CollectingDispatcher()
        try:
            async with asyncio.timeout(self.timeout_seconds):
                events = await self.answer(draft, tracker, conversation_language(tracker))
        # A bug must not leave the customer without an answer either.
        except Exception as error:
            return apologise_and_escalate(dispatcher, self.name(), error)
        dispatcher.messages.extend(draft.messages)
        return events


class CatalogueFormValidation(_UsesCatalogue, FormValidationAction):  # type: ignore[misc]
    """A form validator that may ask the catalogue; a failing database ends the form."""

    def __init__(
        self, catalogue: Catalogue | None = None, *, timeout_seconds: float | None = None
    ) -> None:
        super().__init__(catalogue, timeout_seconds=timeout_seconds)

    @abstractmethod
    def name(self) -> str:
        """`validate_<form name>`, as in domain.yml."""

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[EventType]:
        """Validate within the timeout, or apologise, stop the form and escalate."""
        draft = CollectingDispatcher()
        try:
            async with asyncio.timeout(self.timeout_seconds):
                events: list[EventType] = await super().run(draft, tracker, domain)
        except Exception as error:
            escalation = apologise_and_escalate(dispatcher, self.name(), error)
            return [ActiveLoop(None), SlotSet("requested_slot", None), *escalation]
        dispatcher.messages.extend(draft.messages)
        return events


def slot_text(tracker: Tracker, name: str) -> str | None:
    """A slot's value as stripped text, or None when empty."""
    value: Any = tracker.get_slot(name)
    if value is None:
        return None
    text = str(value).strip()
    return text or None


def latest_entity(tracker: Tracker, entity: str) -> str | None:
    """The value of an entity in the customer's latest message (not a slot left from before)."""
    for found in (tracker.latest_message or {}).get("entities") or []:
        if found.get("entity") == entity and str(found.get("value") or "").strip():
            return str(found["value"]).strip()
    return None


def latest_text(tracker: Tracker) -> str:
    """The customer's latest message."""
    return str((tracker.latest_message or {}).get("text") or "").strip()
