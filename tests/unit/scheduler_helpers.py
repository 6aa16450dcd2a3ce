"""Shared by the scheduler tests (tests/unit/seniorplus/scheduler/test_*.py): a clock,
a fake sender, a small agenda and people, jobs read back."""

from __future__ import annotations

import asyncio
import threading
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta, timezone
from zoneinfo import ZoneInfo

from sqlalchemy import select
from sqlalchemy.orm import Session

from seniorplus.booking.models import Mediator, MediatorAvailability, MediatorSkill, Site
from seniorplus.booking.service import book
from seniorplus.booking.slots import Slot
from seniorplus.cases.models import Contact
from seniorplus.db import session_scope
from seniorplus.jobs.models import ScheduledJob
from seniorplus.outbound.base import Buttons, Delivery, Kind, Sender
from seniorplus.outbound.policy import decide
from seniorplus.outbound.telegram import chat_of

PARIS = ZoneInfo("Europe/Paris")
UTC = timezone.utc
NOW = datetime(2026, 11, 30, 10, 0, tzinfo=PARIS)  # a Monday: bookings are made then
WEDNESDAY = date(2026, 12, 2)  # appointments; their reminder: Tuesday 1 December, 10:00
ALICE = "+33611111111"
BOB_CHAT = "tg4242"
SITE_NAME = "France Services Clisson (test)"
MEDIATOR_NAME = "Claire Test"


def paris(day: date, hour: int, minute: int = 0) -> datetime:
    return datetime.combine(day, time(hour, minute), tzinfo=PARIS)


class Clock:
    """A clock the test moves; shared by the scheduler and the fake sender."""

    def __init__(self, now: datetime = NOW) -> None:
        self.now = now

    def __call__(self) -> datetime:
        return self.now


@dataclass(frozen=True)
class Call:
    address: str
    preferred: str | None
    channel: str
    text: str
    kind: str
    status: str


@dataclass
class FakeSender:
    """Stands for `sender_for(...)`: the real STOP and quiet-hours policy, then a scripted
    vendor answer (``script``) or "sent". Thread-safe: workers in threads share it."""

    clock: Clock
    stopped: set[str] = field(default_factory=set)
    script: list[Delivery] = field(default_factory=list)
    pause_s: float = 0.0  # time "on the network", so concurrent workers overlap
    calls: list[Call] = field(default_factory=list)
    _lock: threading.Lock = field(default_factory=threading.Lock)

    @property
    def sent(self) -> list[Call]:
        """The messages the vendor accepted."""
        with self._lock:
            return [call for call in self.calls if call.status == "sent"]

    def __call__(self, address: str, preferred: str | None) -> Sender:
        return _Bound(self, address, preferred)

    async def send(self, address: str, preferred: str | None, text: str, kind: Kind) -> Delivery:
        if chat_of(address) is not None or preferred == "telegram":
            channel = "telegram"
        else:
            channel = "voice" if preferred == "voice" else "sms"
        verdict = decide(channel, kind=kind, opted_out=address in self.stopped, at=self.clock())
        if verdict.decision == "refuse":
            delivery = Delivery("refused", channel, reason_fr=verdict.reason_fr)
        elif verdict.decision == "defer":
            delivery = Delivery(
                "deferred", channel, not_before=verdict.not_before, reason_fr=verdict.reason_fr
            )
        else:
            if self.pause_s:
                await asyncio.sleep(self.pause_s)
            with self._lock:
                scripted = self.script.pop(0) if self.script else None
            delivery = scripted or Delivery("sent", channel, vendor_id=f"fake-{len(self.calls)}")
        with self._lock:
            self.calls.append(Call(address, preferred, channel, text, kind, delivery.status))
        return delivery


@dataclass
class _Bound:
    fake: FakeSender
    address: str
    preferred: str | None
    channel: str = "fake"

    async def send(self, address: str, text: str, buttons: Buttons = (), *, kind: Kind) -> Delivery:
        assert address == self.address and not buttons
        return await self.fake.send(address, self.preferred, text, kind)


@dataclass(frozen=True)
class World:
    site_id: int
    mediator_id: int
    alice: int  # SMS, conversation = her phone
    bob: int  # Telegram, unlinked chat


def build_world(session: Session) -> World:
    """A site, a mediator (weekdays 9:00-12:00 on site, 14:00-15:30 by phone), two people."""
    site = Site(
        name=SITE_NAME,
        kind="France Services",
        commune="Clisson",
        postcode="44190",
        address="1 rue de test",
        latitude=47.087,
        longitude=-1.282,
    )
    session.add(site)
    session.flush()
    mediator = Mediator(name=MEDIATOR_NAME, site_id=site.id, modes="sur_place,telephone")
    session.add(mediator)
    session.flush()
    session.add(MediatorSkill(mediator_id=mediator.id, journey="apa_domicile"))
    for weekday in range(5):
        session.add_all(
            [
                MediatorAvailability(
                    mediator_id=mediator.id, weekday=weekday, start_time=time(9, 0),
                    end_time=time(12, 0), slot_minutes=45, modes="sur_place",
                ),
                MediatorAvailability(
                    mediator_id=mediator.id, weekday=weekday, start_time=time(14, 0),
                    end_time=time(15, 30), slot_minutes=45, modes="telephone",
                ),
            ]
        )  # fmt: skip
    alice = Contact(phone=ALICE, conversation_id=ALICE, preferred_channel="sms")
    bob = Contact(telegram_chat_id="4242", conversation_id=BOB_CHAT, preferred_channel="telegram")
    session.add_all([alice, bob])
    session.flush()
    return World(site.id, mediator.id, alice.id, bob.id)


def slot(world: World, day: date, hour: int, minute: int = 0, mode: str = "sur_place") -> Slot:
    start = paris(day, hour, minute).astimezone(UTC)
    return Slot(start, start + timedelta(minutes=45), world.mediator_id, world.site_id, mode)


def jobs(session: Session) -> dict[str, ScheduledJob]:
    """Every job by key."""
    return {job.key: job for job in session.scalars(select(ScheduledJob))}


def book_for(
    contact_id: int, world: World, hour: int = 9, minute: int = 0, mode: str = "sur_place"
) -> int:
    """Book Wednesday's slot at ``hour:minute`` (on the settings' database) at `NOW`."""
    with session_scope() as session:
        contact = session.get(Contact, contact_id)
        assert contact is not None
        return book(session, contact, slot(world, WEDNESDAY, hour, minute, mode), now=NOW).id


def job(key: str) -> ScheduledJob:
    """The job ``key`` as it is now in the database (detached)."""
    with session_scope() as session:
        found = jobs(session)[key]
        session.expunge(found)
        return found
