"""The brand's data: products and variants, orders, returns, events and registrations, stores
with their opening hours, size charts, and the answers to general shop questions."""

from __future__ import annotations

import enum
from datetime import date, datetime, time
from decimal import Decimal
from typing import Any, ClassVar

from sqlalchemy import (
    CheckConstraint,
    Enum,
    ForeignKey,
    Numeric,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship

from kit.answer_tables import declare_answer_tables
from kit.orm import UtcDateTime, named_metadata

Money = Numeric(10, 2)


class Base(DeclarativeBase):
    """Declarative base of the catalogue tables (its own metadata, its own Alembic history)."""

    metadata = named_metadata()
    type_annotation_map: ClassVar[dict[Any, Any]] = {datetime: UtcDateTime()}


def _enum(cls: type[enum.Enum], name: str, *, checked: bool = True) -> Enum:
    # Stored as plain strings with a CHECK, so SQLite and PostgreSQL hold the same values.
    # Columns added later go unchecked: SQLite adds a CHECK only by rebuilding the table.
    return Enum(
        cls,
        name=name,
        native_enum=False,
        create_constraint=checked,
        length=20,
        values_callable=lambda members: [m.value for m in members],
    )


class OrderStatus(enum.StrEnum):
    """Where an order is in its life."""

    PROCESSING = "processing"
    SHIPPED = "shipped"
    DELIVERED = "delivered"
    CANCELLED = "cancelled"


class ReturnStatus(enum.StrEnum):
    """Where a return parcel is."""

    REQUESTED = "requested"
    RECEIVED = "received"
    REJECTED = "rejected"


class RefundStatus(enum.StrEnum):
    """Whether the money for a return went back."""

    NOT_STARTED = "not_started"
    PENDING = "pending"
    REFUNDED = "refunded"


class CareWash(enum.StrEnum):
    """How a product may be washed, from its care label."""

    MACHINE = "machine"
    HAND = "hand"
    # Wipe clean, dry clean or keep dry: no washing at all.
    NONE = "none"


class Product(Base):
    """A product as sold, in Dutch and English."""

    __tablename__ = "products"

    id: Mapped[int] = mapped_column(primary_key=True)
    sku: Mapped[str] = mapped_column(String(40), unique=True)
    category: Mapped[str] = mapped_column(String(40), index=True)
    name_en: Mapped[str] = mapped_column(String(120))
    name_nl: Mapped[str] = mapped_column(String(120))
    description_en: Mapped[str] = mapped_column(Text)
    description_nl: Mapped[str] = mapped_column(Text)
    material_en: Mapped[str] = mapped_column(String(200))
    material_nl: Mapped[str] = mapped_column(String(200))
    care_en: Mapped[str] = mapped_column(String(200))
    care_nl: Mapped[str] = mapped_column(String(200))
    # The care label as data, so "can it go in the dryer?" gets a yes or no; NULL: not known,
    # and the assistant quotes the care text instead.
    care_wash: Mapped[CareWash | None] = mapped_column(_enum(CareWash, "care_wash", checked=False))
    care_wash_max_c: Mapped[int | None]
    care_tumble_dry: Mapped[bool | None]
    care_iron: Mapped[bool | None]
    fit_en: Mapped[str | None] = mapped_column(String(200))
    fit_nl: Mapped[str | None] = mapped_column(String(200))
    price: Mapped[Decimal] = mapped_column(Money)
    sale_price: Mapped[Decimal | None] = mapped_column(Money)
    returnable: Mapped[bool] = mapped_column(default=True)
    active: Mapped[bool] = mapped_column(default=True, index=True)
    # Normalised words of both names, the category, colours and material, space-padded,
    # so a word-prefix LIKE finds "jurk" in " lina wikkeljurk jurk jurken ...".
    search_text: Mapped[str] = mapped_column(Text)

    variants: Mapped[list[Variant]] = relationship(
        back_populates="product", lazy="raise", order_by="Variant.id"
    )

    __table_args__ = (
        CheckConstraint("price >= 0", name="price_not_negative"),
        CheckConstraint("sale_price IS NULL OR sale_price < price", name="sale_below_price"),
    )

    def name(self, language: str) -> str:
        """The product name in the conversation language."""
        return self.name_nl if language == "nl" else self.name_en


class Variant(Base):
    """One size and colour of a product, with its stock."""

    __tablename__ = "variants"

    id: Mapped[int] = mapped_column(primary_key=True)
    product_id: Mapped[int] = mapped_column(
        ForeignKey("products.id", ondelete="CASCADE"), index=True
    )
    size: Mapped[str] = mapped_column(String(10))
    # A key of catalogue.vocabulary.COLORS, shown translated.
    color: Mapped[str] = mapped_column(String(30))
    stock: Mapped[int] = mapped_column(default=0)
    restock_date: Mapped[date | None]

    product: Mapped[Product] = relationship(back_populates="variants", lazy="raise")

    __table_args__ = (
        UniqueConstraint("product_id", "size", "color", name="uq_variants_product_size_color"),
        CheckConstraint("stock >= 0", name="stock_not_negative"),
    )


class Order(Base):
    """A customer's order; only described to someone who gives its email or postcode."""

    __tablename__ = "orders"

    id: Mapped[int] = mapped_column(primary_key=True)
    number: Mapped[str] = mapped_column(String(12), unique=True)
    email: Mapped[str] = mapped_column(String(254))
    # Stored without spaces, upper case ("1012AB").
    postcode: Mapped[str] = mapped_column(String(10))
    country: Mapped[str] = mapped_column(String(2), default="NL")
    status: Mapped[OrderStatus] = mapped_column(_enum(OrderStatus, "order_status"))
    placed_at: Mapped[datetime]
    shipped_at: Mapped[datetime | None]
    delivered_at: Mapped[datetime | None]
    carrier: Mapped[str | None] = mapped_column(String(40))
    tracking_code: Mapped[str | None] = mapped_column(String(60))

    lines: Mapped[list[OrderLine]] = relationship(
        back_populates="order", lazy="raise", order_by="OrderLine.id"
    )
    returns: Mapped[list[Return]] = relationship(
        back_populates="order", lazy="raise", order_by="Return.id"
    )


class OrderLine(Base):
    """One variant bought in an order, at the price paid."""

    __tablename__ = "order_lines"

    id: Mapped[int] = mapped_column(primary_key=True)
    order_id: Mapped[int] = mapped_column(ForeignKey("orders.id", ondelete="CASCADE"), index=True)
    variant_id: Mapped[int] = mapped_column(ForeignKey("variants.id"), index=True)
    quantity: Mapped[int] = mapped_column(default=1)
    unit_price: Mapped[Decimal] = mapped_column(Money)

    order: Mapped[Order] = relationship(back_populates="lines", lazy="raise")
    variant: Mapped[Variant] = relationship(lazy="raise")

    __table_args__ = (CheckConstraint("quantity > 0", name="quantity_positive"),)


class Return(Base):
    """A return of one or more order lines, and its refund."""

    __tablename__ = "returns"

    id: Mapped[int] = mapped_column(primary_key=True)
    number: Mapped[str] = mapped_column(String(20), unique=True)
    order_id: Mapped[int] = mapped_column(ForeignKey("orders.id", ondelete="CASCADE"), index=True)
    reason: Mapped[str] = mapped_column(String(500))
    status: Mapped[ReturnStatus] = mapped_column(_enum(ReturnStatus, "return_status"))
    refund_status: Mapped[RefundStatus] = mapped_column(_enum(RefundStatus, "refund_status"))
    refund_amount: Mapped[Decimal | None] = mapped_column(Money)
    created_at: Mapped[datetime]
    received_at: Mapped[datetime | None]
    refunded_at: Mapped[datetime | None]

    order: Mapped[Order] = relationship(back_populates="returns", lazy="raise")
    lines: Mapped[list[ReturnLine]] = relationship(
        back_populates="return_", lazy="raise", order_by="ReturnLine.id"
    )


class ReturnLine(Base):
    """An order line (and how many of it) sent back in a return."""

    __tablename__ = "return_lines"

    id: Mapped[int] = mapped_column(primary_key=True)
    return_id: Mapped[int] = mapped_column(ForeignKey("returns.id", ondelete="CASCADE"), index=True)
    order_line_id: Mapped[int] = mapped_column(ForeignKey("order_lines.id"), index=True)
    quantity: Mapped[int] = mapped_column(default=1)

    return_: Mapped[Return] = relationship(back_populates="lines", lazy="raise")
    order_line: Mapped[OrderLine] = relationship(lazy="raise")


class Event(Base):
    """A store event; `places_taken` is only ever raised by a guarded UPDATE."""

    __tablename__ = "events"

    id: Mapped[int] = mapped_column(primary_key=True)
    slug: Mapped[str] = mapped_column(String(60), unique=True)
    title_en: Mapped[str] = mapped_column(String(120))
    title_nl: Mapped[str] = mapped_column(String(120))
    description_en: Mapped[str] = mapped_column(Text)
    description_nl: Mapped[str] = mapped_column(Text)
    city: Mapped[str] = mapped_column(String(60), index=True)
    venue: Mapped[str] = mapped_column(String(120))
    starts_at: Mapped[datetime] = mapped_column(index=True)
    ends_at: Mapped[datetime]
    price: Mapped[Decimal] = mapped_column(Money, default=Decimal("0"))
    registration_required: Mapped[bool] = mapped_column(default=True)
    # NULL when no registration is needed.
    capacity: Mapped[int | None]
    places_taken: Mapped[int] = mapped_column(default=0)

    registrations: Mapped[list[Registration]] = relationship(
        back_populates="event", lazy="raise", order_by="Registration.id"
    )

    __table_args__ = (
        CheckConstraint(
            "capacity IS NULL OR places_taken <= capacity", name="places_within_capacity"
        ),
        CheckConstraint("ends_at > starts_at", name="ends_after_start"),
    )

    def title(self, language: str) -> str:
        """The event title in the conversation language."""
        return self.title_nl if language == "nl" else self.title_en

    def places_left(self) -> int | None:
        """Free places, or None when the event needs no registration."""
        if self.capacity is None:
            return None
        return max(self.capacity - self.places_taken, 0)


class Registration(Base):
    """A signup for an event, with its confirmation number."""

    __tablename__ = "registrations"

    id: Mapped[int] = mapped_column(primary_key=True)
    event_id: Mapped[int] = mapped_column(ForeignKey("events.id", ondelete="CASCADE"), index=True)
    confirmation: Mapped[str] = mapped_column(String(20), unique=True)
    name: Mapped[str] = mapped_column(String(100))
    email: Mapped[str] = mapped_column(String(254))
    places: Mapped[int] = mapped_column(default=1)
    created_at: Mapped[datetime]

    event: Mapped[Event] = relationship(back_populates="registrations", lazy="raise")

    __table_args__ = (
        UniqueConstraint("event_id", "email", name="uq_registrations_event_email"),
        CheckConstraint("places > 0", name="places_positive"),
    )


class VerificationAttempt(Base):
    """One try to prove an order is yours; failed ones count towards a lockout.

    Kept per order number (known or not) and per customer (channel and sender id), so a new
    conversation or a new sender id does not start the count again. Rows older than the
    window are deleted by the next attempt.
    """

    __tablename__ = "verification_attempts"

    id: Mapped[int] = mapped_column(primary_key=True)
    order_number: Mapped[str] = mapped_column(String(12), index=True)
    # "<channel>:<sender id>" of the conversation that tried.
    customer: Mapped[str] = mapped_column(String(260), index=True)
    succeeded: Mapped[bool]
    attempted_at: Mapped[datetime] = mapped_column(index=True)


# Declared once in kit/answer_tables.py: the inbox's trainer page edits the same two tables.
_answers_table, _answer_versions_table = declare_answer_tables(Base.metadata)


class FaqAnswer(Base):
    """The brand's current answer to one general shop question (`faq/<topic>`), in both languages.

    Trainers edit it on the trainer page without retraining (docs/contracts.md, "Brand answers").
    """

    __table__ = _answers_table

    topic: Mapped[str]
    title_en: Mapped[str]
    title_nl: Mapped[str]
    body_en: Mapped[str]
    body_nl: Mapped[str]
    version: Mapped[int]
    updated_at: Mapped[datetime]
    updated_by: Mapped[str]

    def title(self, language: str) -> str:
        """The topic's title in the conversation language."""
        return self.title_nl if language == "nl" else self.title_en

    def body(self, language: str) -> str:
        """The answer in the conversation language."""
        return self.body_nl if language == "nl" else self.body_en


class FaqAnswerVersion(Base):
    """Every version an answer has had: the change history trainers see."""

    __table__ = _answer_versions_table

    id: Mapped[int]
    topic: Mapped[str]
    version: Mapped[int]
    body_en: Mapped[str]
    body_nl: Mapped[str]
    changed_at: Mapped[datetime]
    changed_by: Mapped[str]
    note: Mapped[str | None]


class Store(Base):
    """One of the brand's shops, with its weekly opening hours."""

    __tablename__ = "stores"

    id: Mapped[int] = mapped_column(primary_key=True)
    slug: Mapped[str] = mapped_column(String(40), unique=True)
    city: Mapped[str] = mapped_column(String(60), unique=True)
    street: Mapped[str] = mapped_column(String(120))
    postcode: Mapped[str] = mapped_column(String(12))
    phone: Mapped[str] = mapped_column(String(20))

    hours: Mapped[list[StoreHours]] = relationship(
        back_populates="store", lazy="raise", order_by="StoreHours.weekday"
    )


class StoreHours(Base):
    """Opening hours on one weekday (0 = Monday); a weekday without a row is closed."""

    __tablename__ = "store_hours"

    id: Mapped[int] = mapped_column(primary_key=True)
    store_id: Mapped[int] = mapped_column(ForeignKey("stores.id", ondelete="CASCADE"), index=True)
    weekday: Mapped[int]
    opens: Mapped[time]
    closes: Mapped[time]

    store: Mapped[Store] = relationship(back_populates="hours", lazy="raise")

    __table_args__ = (
        UniqueConstraint("store_id", "weekday", name="uq_store_hours_store_weekday"),
        CheckConstraint("weekday BETWEEN 0 AND 6", name="weekday_range"),
        CheckConstraint("closes > opens", name="closes_after_opening"),
    )


class StoreSpecialDay(Base):
    """Hours that differ from the week: on a date, or on a public holiday by its name.

    `holiday` is the English name the `holidays` library gives a Dutch public holiday
    ("Second Day of Christmas"), so the rule holds every year. No store means every store;
    no hours means closed. A public holiday without a rule is a closed day.
    """

    __tablename__ = "store_special_days"

    id: Mapped[int] = mapped_column(primary_key=True)
    store_id: Mapped[int | None] = mapped_column(
        ForeignKey("stores.id", ondelete="CASCADE"), index=True
    )
    day: Mapped[date | None] = mapped_column(index=True)
    holiday: Mapped[str | None] = mapped_column(String(60))
    opens: Mapped[time | None]
    closes: Mapped[time | None]
    note_en: Mapped[str | None] = mapped_column(String(200))
    note_nl: Mapped[str | None] = mapped_column(String(200))

    __table_args__ = (
        CheckConstraint("(day IS NULL) <> (holiday IS NULL)", name="day_or_holiday"),
        CheckConstraint("(opens IS NULL) = (closes IS NULL)", name="hours_complete"),
        CheckConstraint("closes IS NULL OR closes > opens", name="closes_after_opening"),
    )


class SizeChart(Base):
    """The size chart of one product category, with how its sizes fit."""

    __tablename__ = "size_charts"

    id: Mapped[int] = mapped_column(primary_key=True)
    category: Mapped[str] = mapped_column(String(40), unique=True)
    # The body height the lengths are cut for; NULL when length does not matter (shoes).
    height_min_cm: Mapped[int | None]
    height_max_cm: Mapped[int | None]
    fit_en: Mapped[str] = mapped_column(String(300))
    fit_nl: Mapped[str] = mapped_column(String(300))

    rows: Mapped[list[SizeChartRow]] = relationship(
        back_populates="chart", lazy="raise", order_by="SizeChartRow.position"
    )

    def fit(self, language: str) -> str:
        """How the category fits, in the conversation language."""
        return self.fit_nl if language == "nl" else self.fit_en


class SizeChartRow(Base):
    """One size of a chart with its body measurements in cm (ranges inclusive)."""

    __tablename__ = "size_chart_rows"

    id: Mapped[int] = mapped_column(primary_key=True)
    chart_id: Mapped[int] = mapped_column(
        ForeignKey("size_charts.id", ondelete="CASCADE"), index=True
    )
    position: Mapped[int]
    size: Mapped[str] = mapped_column(String(12))
    # The European (Dutch) numeric sizes this size covers, e.g. 38 for M; NULL when none.
    eu_min: Mapped[int | None]
    eu_max: Mapped[int | None]
    chest_min: Mapped[int | None]
    chest_max: Mapped[int | None]
    waist_min: Mapped[int | None]
    waist_max: Mapped[int | None]
    hip_min: Mapped[int | None]
    hip_max: Mapped[int | None]
    # Shoes: the foot length in mm this size fits.
    foot_mm: Mapped[int | None]

    chart: Mapped[SizeChart] = relationship(back_populates="rows", lazy="raise")

    __table_args__ = (
        UniqueConstraint("chart_id", "size", name="uq_size_chart_rows_chart_size"),
    )
