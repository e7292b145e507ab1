"""SQLAlchemy tables for the catalog (programs, centers, events).

Each row keeps the validated YAML entry as JSON (`doc`) so answers can use every field, plus
the columns searches filter on.
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import (
    JSON,
    Boolean,
    Date,
    DateTime,
    Float,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
    text,
)
from sqlalchemy.orm import Mapped, mapped_column

from knowledge.db import Base


class ProgramRow(Base):
    __tablename__ = "programs"

    id: Mapped[str] = mapped_column(String(64), primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    scope: Mapped[str] = mapped_column(String(16))
    verified_on: Mapped[str] = mapped_column(String(10))
    doc: Mapped[dict] = mapped_column(JSON)
    updated_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True))


class ProgramAliasRow(Base):
    __tablename__ = "program_aliases"

    alias: Mapped[str] = mapped_column(String(200), primary_key=True)
    program_id: Mapped[str] = mapped_column(ForeignKey("programs.id", ondelete="CASCADE"))


class CenterRow(Base):
    __tablename__ = "centers"
    __table_args__ = (Index("ix_centers_region_district", "region", "district"),)

    id: Mapped[str] = mapped_column(String(64), primary_key=True)
    kind: Mapped[str] = mapped_column(String(32))
    name: Mapped[str] = mapped_column(String(200))
    region: Mapped[str] = mapped_column(String(16))
    district: Mapped[str | None] = mapped_column(String(64), nullable=True)
    lat: Mapped[float | None] = mapped_column(Float, nullable=True)
    lon: Mapped[float | None] = mapped_column(Float, nullable=True)
    doc: Mapped[dict] = mapped_column(JSON)
    updated_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True))


class CenterServesRow(Base):
    __tablename__ = "center_serves"

    center_id: Mapped[str] = mapped_column(
        ForeignKey("centers.id", ondelete="CASCADE"), primary_key=True
    )
    district_code: Mapped[str] = mapped_column(String(8), primary_key=True)


class EventRow(Base):
    __tablename__ = "events"
    __table_args__ = (Index("ix_events_region_starts", "region", "starts_at"),)

    id: Mapped[str] = mapped_column(String(64), primary_key=True)
    title: Mapped[str] = mapped_column(String(300))
    starts_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True))
    ends_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True))
    region: Mapped[str] = mapped_column(String(16))
    district: Mapped[str | None] = mapped_column(String(64), nullable=True)
    origin: Mapped[str] = mapped_column(String(16), default="kb")  # kb | admin
    doc: Mapped[dict] = mapped_column(JSON)
    description: Mapped[str | None] = mapped_column(Text, nullable=True)
    updated_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True))


class CounselingScheduleRow(Base):
    """A center's 1:1 counseling hours (defaults apply until an admin sets them)."""

    __tablename__ = "counseling_schedules"

    center_id: Mapped[str] = mapped_column(String(64), primary_key=True)
    weekdays: Mapped[str] = mapped_column(String(20))  # "0,1,2,3,4" = Mon..Fri
    opens: Mapped[str] = mapped_column(String(5))  # "09:00"
    closes: Mapped[str] = mapped_column(String(5))
    lunch_start: Mapped[str | None] = mapped_column(String(5), nullable=True)
    lunch_end: Mapped[str | None] = mapped_column(String(5), nullable=True)
    slot_minutes: Mapped[int] = mapped_column()
    seats: Mapped[int] = mapped_column()
    updated_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True))


class ClosedDayRow(Base):
    __tablename__ = "closed_days"

    center_id: Mapped[str] = mapped_column(String(64), primary_key=True)
    day: Mapped[dt.date] = mapped_column(Date, primary_key=True)
    reason: Mapped[str | None] = mapped_column(String(200), nullable=True)


class AppointmentRow(Base):
    """One booked seat. The partial unique index makes a seat impossible to take twice."""

    __tablename__ = "appointments"
    __table_args__ = (
        Index(
            "uq_appointments_booked_seat",
            "center_id",
            "starts_at",
            "seat",
            unique=True,
            sqlite_where=text("status = 'booked'"),
            postgresql_where=text("status = 'booked'"),
        ),
        Index("ix_appointments_sender", "sender"),
        Index("ix_appointments_center_day", "center_id", "starts_at"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    code: Mapped[str] = mapped_column(String(12), unique=True)
    center_id: Mapped[str] = mapped_column(String(64))
    starts_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True))
    seat: Mapped[int] = mapped_column(Integer)
    sender: Mapped[str] = mapped_column(String(100))
    name: Mapped[str] = mapped_column(String(100))
    phone: Mapped[str] = mapped_column(String(20))
    status: Mapped[str] = mapped_column(String(16), default="booked")
    created_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True))
    cancelled_at: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True), nullable=True)


class NotificationRow(Base):
    """The durable outbox: one message for one recipient, written in the transaction that caused it.

    (recipient, kind, ref) is unique, so re-queuing the same thing notifies no one twice.
    Channels with push (Telegram) are drained by the notifier; channels without push (web, Kakao)
    pick their due rows up the next time the user writes.
    """

    __tablename__ = "notifications"
    __table_args__ = (
        UniqueConstraint("recipient", "kind", "ref", name="uq_notifications_once"),
        Index("ix_notifications_due", "status", "channel", "due_at"),
        Index("ix_notifications_recipient", "recipient", "status"),
        Index("ix_notifications_ref", "ref"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    recipient: Mapped[str] = mapped_column(String(100))  # channel identity, e.g. "telegram:42"
    channel: Mapped[str] = mapped_column(String(16))
    kind: Mapped[str] = mapped_column(String(32))  # reminder_day_before | reminder_2h | …
    ref: Mapped[str] = mapped_column(String(64))  # appointment code, event id
    body: Mapped[dict] = mapped_column(JSON)  # {"text": …, "buttons": [...]}
    due_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True))
    status: Mapped[str] = mapped_column(
        String(16), default="pending"
    )  # pending|sending|sent|cancelled|failed
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    claimed_at: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True), nullable=True)
    sent_at: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True), nullable=True)
    last_error: Mapped[str | None] = mapped_column(String(200), nullable=True)
    created_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True))


class SubscriptionRow(Base):
    """Job-fair alerts: one row per channel identity and region ("전국" for everywhere)."""

    __tablename__ = "subscriptions"
    __table_args__ = (Index("ix_subscriptions_region", "region"),)

    recipient: Mapped[str] = mapped_column(String(100), primary_key=True)
    region: Mapped[str] = mapped_column(String(16), primary_key=True)
    channel: Mapped[str] = mapped_column(String(16))
    created_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True))


class UsageTurnRow(Base):
    """One user turn, without personal data: the sender is a keyed hash, the text is kept only
    (scrubbed) when the bot did not understand it. Deleted after the retention period."""

    __tablename__ = "usage_turns"
    __table_args__ = (
        Index("ix_usage_turns_at", "at"),
        Index("ix_usage_turns_sender", "sender_hash"),
        Index("ix_usage_turns_review", "review_key", "at"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True))
    day: Mapped[dt.date] = mapped_column(Date)  # the Seoul calendar day of `at`
    channel: Mapped[str] = mapped_column(String(16))
    sender_hash: Mapped[str] = mapped_column(String(64))
    intent: Mapped[str | None] = mapped_column(String(64), nullable=True)
    confidence: Mapped[float | None] = mapped_column(Float, nullable=True)
    action: Mapped[str | None] = mapped_column(String(100), nullable=True)
    program: Mapped[str | None] = mapped_column(String(64), nullable=True)
    verdict: Mapped[str | None] = mapped_column(String(16), nullable=True)
    fallback: Mapped[bool] = mapped_column(Boolean, default=False)
    apology: Mapped[bool] = mapped_column(Boolean, default=False)
    latency_ms: Mapped[int] = mapped_column(Integer)
    text: Mapped[str | None] = mapped_column(Text, nullable=True)  # scrubbed; review only
    review_key: Mapped[str | None] = mapped_column(String(200), nullable=True)


class UsageReviewRow(Base):
    """An operator's decision on one group of similar not-understood messages."""

    __tablename__ = "usage_reviews"

    review_key: Mapped[str] = mapped_column(String(200), primary_key=True)
    text: Mapped[str] = mapped_column(Text)  # the scrubbed example written to training data
    status: Mapped[str] = mapped_column(String(16))  # labelled | not_ours
    intent: Mapped[str | None] = mapped_column(String(64), nullable=True)
    entities: Mapped[list] = mapped_column(JSON, default=list)  # [{"entity", "value"}]
    decided_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True))
