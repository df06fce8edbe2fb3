"""The queries the assistant asks: products, orders and returns, events and signups, and the
brand's answers, stores and size charts."""

from __future__ import annotations

import enum
import secrets
import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, datetime

from rapidfuzz import fuzz
from sqlalchemy import Select, delete, func, or_, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker
from sqlalchemy.orm import joinedload, selectinload

from catalogue.models import (
    Event,
    FaqAnswer,
    Order,
    OrderLine,
    OrderStatus,
    Product,
    RefundStatus,
    Registration,
    Return,
    ReturnLine,
    ReturnStatus,
    SizeChart,
    Store,
    StoreSpecialDay,
    Variant,
    VerificationAttempt,
)
from catalogue.return_policy import within_return_window
from catalogue.search import (
    ResolvedQuery,
    SearchIndex,
    Vocabulary,
    name_score,
    normalise,
    query_tokens,
)
from catalogue.verification import AttemptLimits, Verification, locked_until
from kit.clock import Clock, utc_now
from kit.database import create_engine, session_factory

_CLEAR_MATCH = 90.0
# How alike (0-100, per word) an unknown name must be to a product name to be offered as
# "closest": "Lena" for "Lina" (75) is, "bikini" for anything we sell is not.
CLOSE_NAME = 70.0
_ITEM_MATCH = 60.0
_EVENT_MATCH = 70.0
_CONFIRMATION_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"


@dataclass(frozen=True)
class ProductLookup:
    """The product a customer named, or the candidates when it is not clear which."""

    product: Product | None
    candidates: Sequence[Product] = ()


class ReturnRefusal(enum.StrEnum):
    """Why a return cannot be started."""

    NOT_VERIFIED = "not_verified"
    NOT_DELIVERED = "not_delivered"
    OUTSIDE_WINDOW = "outside_window"
    ITEM_NOT_IN_ORDER = "item_not_in_order"
    NOT_RETURNABLE = "not_returnable"
    ALREADY_RETURNED = "already_returned"


@dataclass(frozen=True)
class VerificationOutcome:
    """The order, only for the right pair; or until when verification is locked."""

    order: Order | None = None
    locked_until: datetime | None = None


@dataclass(frozen=True)
class ReturnCheck:
    """The verified order, the matched line, and the reason it cannot be returned (if any)."""

    order: Order | None
    line: OrderLine | None = None
    refusal: ReturnRefusal | None = None
    existing: Return | None = None


class SignupOutcome(enum.StrEnum):
    """What happened to a signup."""

    CONFIRMED = "confirmed"
    ALREADY_REGISTERED = "already_registered"
    FULL = "full"
    PAST = "past"
    NO_REGISTRATION = "no_registration"
    UNKNOWN_EVENT = "unknown_event"


@dataclass(frozen=True)
class SignupResult:
    """The outcome of a signup, with the confirmation number when there is one."""

    outcome: SignupOutcome
    event: Event | None = None
    confirmation: str | None = None
    places_left: int | None = None


@dataclass
class _CachedIndex:
    index: SearchIndex
    loaded_at: float = field(default_factory=time.monotonic)


def new_confirmation() -> str:
    """An unguessable signup confirmation number such as "EV-7KQ2MZ"."""
    return "EV-" + "".join(secrets.choice(_CONFIRMATION_ALPHABET) for _ in range(6))


class Catalogue:
    """Reads and writes the brand's data; every method opens and closes its own session."""

    def __init__(
        self,
        sessions: async_sessionmaker[AsyncSession],
        *,
        clock: Clock = utc_now,
        index_ttl_seconds: float = 60.0,
        engine: AsyncEngine | None = None,
        attempt_limits: AttemptLimits | None = None,
    ) -> None:
        self._sessions = sessions
        self._attempt_limits = attempt_limits or AttemptLimits()
        self._clock = clock
        # New or changed product names are searchable after at most this long.
        self._index_ttl = index_ttl_seconds
        self._index: _CachedIndex | None = None
        self._engine = engine

    @classmethod
    def from_url(
        cls,
        url: str,
        *,
        timeout_seconds: float = 5.0,
        clock: Clock = utc_now,
        attempt_limits: AttemptLimits | None = None,
    ) -> Catalogue:
        """A catalogue on its own engine (connects lazily, on first use)."""
        # A customer waits on every answer: a locked SQLite file counts as down after a few seconds.
        engine = create_engine(
            url, timeout_seconds=timeout_seconds, sqlite_busy_seconds=max(timeout_seconds, 5.0)
        )
        return cls(
            session_factory(engine), clock=clock, engine=engine, attempt_limits=attempt_limits
        )

    async def dispose(self) -> None:
        """Close the engine this catalogue created, if any."""
        if self._engine is not None:
            await self._engine.dispose()

    @property
    def sessions(self) -> async_sessionmaker[AsyncSession]:
        """The session factory (for seeding and for tests that arrange data)."""
        return self._sessions

    def now(self) -> datetime:
        """The catalogue's idea of now (a fixed instant in tests)."""
        return self._clock()

    # Products

    async def search_index(self) -> SearchIndex:
        """The in-memory word index of active products, rebuilt at most once per TTL."""
        cached = self._index
        if cached is not None and time.monotonic() - cached.loaded_at < self._index_ttl:
            return cached.index
        async with self._sessions() as session:
            rows = await session.execute(
                select(Product.id, Product.name_en, Product.name_nl, Product.search_text).where(
                    Product.active
                )
            )
            index = SearchIndex.build((row[0], row[1], row[2], row[3]) for row in rows)
        self._index = _CachedIndex(index)
        return index

    async def vocabulary(self) -> Vocabulary:
        """The words products can be found by."""
        return (await self.search_index()).vocabulary

    async def search_products(
        self, query: str, *, limit: int = 3, strict: bool = False
    ) -> list[Product]:
        """Active products matching every meaningful word of the query, best names first.

        Typos are corrected against the catalogue's words; Dutch and English category and
        colour words are synonyms. With `strict`, a word that matches nothing means no result;
        otherwise such words are ignored.
        """
        index = await self.search_index()
        resolved = index.vocabulary.resolve(query)
        if resolved.empty or (strict and resolved.unknown):
            return []
        return await self._products(index.ranked(query, resolved, index.matching(resolved), limit))

    async def resolve_query(self, query: str) -> ResolvedQuery:
        """What the catalogue's words make of a query: the words it knows and those it does not."""
        return (await self.vocabulary()).resolve(query)

    async def closest_products(
        self, words: Sequence[str], *, limit: int = 3, min_score: float = CLOSE_NAME
    ) -> list[Product]:
        """Active products whose name is spelt like one of `words`, closest first (maybe none)."""
        index = await self.search_index()
        ids = index.closest(words, limit, min_score)
        return await self._products(ids)

    async def _products(self, ids: Sequence[int]) -> list[Product]:
        """These active products with their variants, in the order of `ids`."""
        if not ids:
            return []
        async with self._sessions() as session:
            # One round trip: prices and stock are read fresh, never from the index.
            products = await session.scalars(
                select(Product)
                .where(Product.id.in_(ids), Product.active)
                .options(joinedload(Product.variants))
            )
            by_id = {product.id: product for product in products.unique()}
        return [by_id[product_id] for product_id in ids if product_id in by_id]

    async def find_product(self, name: str, *, strict: bool = True) -> ProductLookup:
        """The one product a customer means by `name`, or the closest few when unclear."""
        candidates = await self.search_products(name, limit=3, strict=strict)
        return ProductLookup(clear_match(name, candidates), candidates)

    # Orders and returns

    async def _load_order(self, session: AsyncSession, number: str) -> Order | None:
        found = await session.scalars(order_with_details().where(Order.number == number))
        return found.unique().first()

    async def verify_order(
        self, number: str, verification: Verification, customer: str
    ) -> VerificationOutcome:
        """The order for the right pair, counting every try against the attempt limits.

        Right and wrong pairs, known and unknown orders run the same statements: the time an
        answer takes tells nothing about the order (only a lockout answers early, and a
        lockout happens to unknown order numbers too).
        """
        now, limits = self.now(), self._attempt_limits
        async with self._sessions() as session:
            # Recorded (as failed) and committed before anything is checked, so tries made at
            # the same moment count each other and parallel guesses cannot slip past the limit.
            async with session.begin():
                attempt = VerificationAttempt(
                    order_number=number, customer=customer, succeeded=False, attempted_at=now
                )
                session.add(attempt)
            async with session.begin():
                recent = (
                    await session.execute(
                        select(
                            VerificationAttempt.order_number,
                            VerificationAttempt.customer,
                            VerificationAttempt.attempted_at,
                        )
                        .where(
                            or_(
                                VerificationAttempt.order_number == number,
                                VerificationAttempt.customer == customer,
                            ),
                            VerificationAttempt.succeeded.is_(False),
                            VerificationAttempt.attempted_at > now - limits.window,
                            VerificationAttempt.id != attempt.id,
                        )
                        .order_by(VerificationAttempt.attempted_at.desc())
                        .limit(4 * max(limits.per_order, limits.per_customer))
                    )
                ).all()
                until = locked_until(
                    [row.attempted_at for row in recent if row.order_number == number],
                    [row.attempted_at for row in recent if row.customer == customer],
                    now,
                    limits,
                )
                if until is not None:
                    # Not checked, so not counted: the lock opens when the window says so.
                    await session.execute(
                        delete(VerificationAttempt).where(VerificationAttempt.id == attempt.id)
                    )
                    return VerificationOutcome(locked_until=until)
                owner = (
                    await session.execute(
                        select(Order.id, Order.email, Order.postcode).where(
                            Order.number == number
                        )
                    )
                ).first()
                # An unknown order is compared against nothing, in the same constant time.
                email, postcode = (owner.email, owner.postcode) if owner else ("", "\x00")
                verified = verification.matches(email, postcode) and owner is not None
                # Written whatever the outcome, so every path runs the same statements.
                await session.execute(
                    update(VerificationAttempt)
                    .where(VerificationAttempt.id == attempt.id)
                    .values(succeeded=verified)
                )
                await session.execute(
                    delete(VerificationAttempt).where(
                        VerificationAttempt.attempted_at <= now - limits.window
                    )
                )
                # One statement whether or not the pair matched (no id matches -1).
                matched_id = owner.id if verified and owner else -1
                found = await session.scalars(order_with_details().where(Order.id == matched_id))
                order = found.unique().first()
        return VerificationOutcome(order=order)

    def check_return(self, order: Order | None, item: str | None) -> ReturnCheck:
        """Whether `item` of a verified order can be sent back now."""
        if order is None:
            return ReturnCheck(None, refusal=ReturnRefusal.NOT_VERIFIED)
        if order.status is not OrderStatus.DELIVERED or order.delivered_at is None:
            return ReturnCheck(order, refusal=ReturnRefusal.NOT_DELIVERED)
        if not within_return_window(order.delivered_at, self.now()):
            return ReturnCheck(order, refusal=ReturnRefusal.OUTSIDE_WINDOW)
        if item is None:
            return ReturnCheck(order)
        line = match_order_line(order, item)
        if line is None:
            return ReturnCheck(order, refusal=ReturnRefusal.ITEM_NOT_IN_ORDER)
        if not line.variant.product.returnable:
            return ReturnCheck(order, line, ReturnRefusal.NOT_RETURNABLE)
        for existing in order.returns:
            if existing.status is not ReturnStatus.REJECTED and any(
                rl.order_line_id == line.id for rl in existing.lines
            ):
                return ReturnCheck(order, line, ReturnRefusal.ALREADY_RETURNED, existing)
        return ReturnCheck(order, line)

    async def start_return(self, order: Order, item: str, reason: str) -> ReturnCheck:
        """Create a return for one item of an order `verify_order` gave, if the policy allows it."""
        for attempt in range(3):
            try:
                return await self._start_return_once(order.number, item, reason)
            except IntegrityError:
                # Another return of this order took the same number at the same moment; the
                # next attempt sees it (and refuses a second return of the same item).
                if attempt == 2:
                    raise
        raise AssertionError("unreachable")

    async def _start_return_once(self, number: str, item: str, reason: str) -> ReturnCheck:
        async with self._sessions() as session, session.begin():
            # Read again inside the transaction: the returns may have changed since.
            order = await self._load_order(session, number)
            check = self.check_return(order, item)
            if check.refusal is not None or check.order is None or check.line is None:
                return check
            line = check.line
            created = Return(
                number=f"R{check.order.number}-{len(check.order.returns) + 1}",
                order_id=check.order.id,
                reason=reason.strip()[:500],
                status=ReturnStatus.REQUESTED,
                refund_status=RefundStatus.NOT_STARTED,
                refund_amount=line.unit_price * line.quantity,
                created_at=self.now(),
                received_at=None,
                refunded_at=None,
                lines=[ReturnLine(order_line_id=line.id, quantity=line.quantity)],
            )
            session.add(created)
            await session.flush()
        return ReturnCheck(check.order, line, None, created)

    # The brand's answers, stores and size charts (read fresh: trainers edit answers live)

    async def faq_answer(self, topic: str) -> FaqAnswer | None:
        """The current answer to a general shop question, or None for an unknown topic."""
        async with self._sessions() as session:
            return await session.get(FaqAnswer, topic)

    async def stores(self) -> list[Store]:
        """Every store with its weekly hours, by city."""
        statement = select(Store).options(selectinload(Store.hours)).order_by(Store.city)
        async with self._sessions() as session:
            return list(await session.scalars(statement))

    async def special_days(self, first: date, last: date) -> list[StoreSpecialDay]:
        """Holiday rules, and the dated special days between `first` and `last` inclusive."""
        statement = select(StoreSpecialDay).where(
            or_(StoreSpecialDay.holiday.is_not(None),
                StoreSpecialDay.day.between(first, last))
        )
        async with self._sessions() as session:
            return list(await session.scalars(statement.order_by(StoreSpecialDay.id)))

    async def size_chart(self, category: str) -> SizeChart | None:
        """The size chart of a product category, with its rows."""
        statement = (
            select(SizeChart)
            .where(SizeChart.category == category)
            .options(selectinload(SizeChart.rows))
        )
        async with self._sessions() as session:
            return await session.scalar(statement)

    # Events

    async def upcoming_events(self, city: str | None = None, limit: int = 5) -> list[Event]:
        """Events that have not started yet, soonest first, optionally in one city."""
        statement = select(Event).where(Event.starts_at > self.now())
        if city:
            statement = statement.where(func.lower(Event.city) == normalise(city))
        async with self._sessions() as session:
            events = await session.scalars(statement.order_by(Event.starts_at).limit(limit))
            return list(events)

    async def cities(self) -> list[str]:
        """Cities that have events."""
        async with self._sessions() as session:
            return list(await session.scalars(select(Event.city).distinct().order_by(Event.city)))

    async def find_event(self, text: str) -> Event | None:
        """The event a customer names ("the workshop in Utrecht"), upcoming ones preferred."""
        wanted = " ".join(query_tokens(text)) or normalise(text)
        if not wanted:
            return None
        async with self._sessions() as session:
            events = list(await session.scalars(select(Event).order_by(Event.starts_at)))
        now = self.now()
        best: tuple[float, bool, Event] | None = None
        for event in events:
            haystack = normalise(
                f"{event.title_en} {event.title_nl} {event.slug.replace('-', ' ')} {event.city}"
            )
            score = fuzz.token_set_ratio(wanted, haystack)
            if len(wanted) >= 5:
                score = max(score, fuzz.partial_ratio(wanted, haystack))
            key = (score, event.starts_at > now, event)
            if score >= _EVENT_MATCH and (best is None or key[:2] > best[:2]):
                best = key
        return best[2] if best else None

    async def events_by_slug(self, slugs: Sequence[str]) -> list[Event]:
        """These events, in the order of `slugs` (unknown slugs are left out)."""
        if not slugs:
            return []
        async with self._sessions() as session:
            rows = await session.scalars(select(Event).where(Event.slug.in_(slugs)))
            found = {event.slug: event for event in rows}
        return [found[slug] for slug in slugs if slug in found]

    async def event_by_id(self, event_id: int) -> Event | None:
        """One event by its id."""
        async with self._sessions() as session:
            return await session.get(Event, event_id)

    async def sign_up(self, event_id: int, name: str, email: str, places: int) -> SignupResult:
        """Register `places` places; the capacity check and the increment are one statement."""
        now = self.now()
        event = await self.event_by_id(event_id)
        if event is None:
            return SignupResult(SignupOutcome.UNKNOWN_EVENT)
        if event.starts_at <= now:
            return SignupResult(SignupOutcome.PAST, event)
        if not event.registration_required or event.capacity is None:
            return SignupResult(SignupOutcome.NO_REGISTRATION, event)
        email = email.strip().lower()
        existing = await self._registration(event_id, email)
        if existing is not None:
            return SignupResult(SignupOutcome.ALREADY_REGISTERED, event, existing.confirmation)
        try:
            async with self._sessions() as session, session.begin():
                # Taking the places first makes this the transaction's first write: SQLite
                # takes its write lock here and PostgreSQL locks the row, so the capacity
                # test and the increment cannot interleave with another signup.
                taken = await session.scalar(
                    update(Event)
                    .where(
                        Event.id == event_id,
                        Event.starts_at > now,
                        Event.capacity.is_not(None),
                        Event.places_taken + places <= Event.capacity,
                    )
                    .values(places_taken=Event.places_taken + places)
                    .returning(Event.places_taken)
                    .execution_options(synchronize_session=False)
                )
                if taken is None:
                    left = await session.scalar(
                        select(Event.capacity - Event.places_taken).where(Event.id == event_id)
                    )
                    return SignupResult(SignupOutcome.FULL, event, places_left=max(left or 0, 0))
                registration = Registration(
                    event_id=event_id,
                    confirmation=new_confirmation(),
                    name=name.strip()[:100],
                    email=email,
                    places=places,
                    created_at=now,
                )
                session.add(registration)
                await session.flush()
        except IntegrityError:
            # The same email signed up at the same moment; that signup stands, this one rolled back.
            existing = await self._registration(event_id, email)
            if existing is None:
                raise
            return SignupResult(SignupOutcome.ALREADY_REGISTERED, event, existing.confirmation)
        assert event.capacity is not None
        return SignupResult(
            SignupOutcome.CONFIRMED, event, registration.confirmation, event.capacity - taken
        )

    async def _registration(self, event_id: int, email: str) -> Registration | None:
        async with self._sessions() as session:
            return await session.scalar(
                select(Registration).where(
                    Registration.event_id == event_id, Registration.email == email
                )
            )


def clear_match(name: str, candidates: Sequence[Product]) -> Product | None:
    """The one of a search's best candidates that `name` clearly names, if any."""
    if not candidates:
        return None
    scores = [name_score(name, p.name_en, p.name_nl) for p in candidates]
    clear = len(candidates) == 1 or (scores[0] >= _CLEAR_MATCH and scores[0] - scores[1] >= 5)
    return candidates[0] if clear else None


def order_with_details() -> Select[Order]:
    """An order with its lines, products and returns, in one statement (joins, no follow-ups)."""
    return select(Order).options(
        joinedload(Order.lines).joinedload(OrderLine.variant).joinedload(Variant.product),
        joinedload(Order.returns).joinedload(Return.lines).joinedload(ReturnLine.order_line),
    )


def match_order_line(order: Order, item: str) -> OrderLine | None:
    """The line of an order a customer means ("the dress", "Lina wikkeljurk"), if clear."""
    wanted = normalise(item)
    best: tuple[float, OrderLine] | None = None
    for line in order.lines:
        product = line.variant.product
        score = max(
            name_score(item, product.name_en, product.name_nl),
            fuzz.token_set_ratio(wanted, normalise(product.search_text)),
        )
        if score >= _ITEM_MATCH and (best is None or score > best[0]):
            best = (score, line)
    return best[1] if best else None
