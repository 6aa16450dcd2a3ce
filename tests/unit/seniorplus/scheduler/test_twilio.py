"""End to end: a booking's jobs sent by the scheduler through the real `sender_for` and
`SmsSender` to the local fake Twilio API, on SQLite and PostgreSQL."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import timedelta

import pytest
from sqlalchemy import func, select

from devtools.fakes.twilio import FakeTwilioApi
from rendering.gsm import sms_segments
from seniorplus.booking.service import book
from seniorplus.cases.models import Contact
from seniorplus.db import session_scope
from seniorplus.models import ChannelOptOut
from seniorplus.outbound import Sender, sender_for
from seniorplus.outbound.base import REASON_SMS_DOWN, REASON_STOP
from seniorplus.scheduler.runner import Scheduler
from seniorplus.settings import OutboundSettings
from tests.unit.scheduler_helpers import (
    ALICE,
    NOW,
    WEDNESDAY,
    Clock,
    build_world,
    jobs,
    paris,
    slot,
)

ACCOUNT_SID = "AC" + "5" * 32
AUTH_TOKEN = "e" * 32
OUR_NUMBER = "+33757000000"


@pytest.fixture
def twilio() -> Iterator[FakeTwilioApi]:
    with FakeTwilioApi(ACCOUNT_SID, AUTH_TOKEN) as api:
        yield api


async def test_booking_to_twilio_confirmation_reminder_outage_and_stop(
    database_url: str, twilio: FakeTwilioApi
) -> None:
    settings = OutboundSettings(
        app_env="test",
        twilio_account_sid=ACCOUNT_SID,
        twilio_auth_token=AUTH_TOKEN,
        twilio_sms_number=OUR_NUMBER,
        twilio_api_url=twilio.url,
    )
    clock = Clock(NOW)

    def senders(address: str, channel: str | None) -> Sender:
        return sender_for(address, channel, settings=settings, clock=clock)

    with session_scope() as session:
        world = build_world(session)
        alice = session.get(Contact, world.alice)
        assert alice is not None
        appointment = book(session, alice, slot(world, WEDNESDAY, 9, 45), now=NOW)
        reference, appointment_id = appointment.reference, appointment.id
    scheduler = Scheduler(senders=senders, clock=clock)

    # The confirmation, at once: one SMS to Alice, in GSM-7, two segments at most.
    await scheduler.tick()
    (message,) = twilio.messages
    assert (message["To"], message["From"]) == (ALICE, OUR_NUMBER)
    assert message["Body"] == (
        "Senior Plus : votre rendez-vous est confirmé le mercredi 2 décembre à 9 h 45, avec "
        "Claire Test. Lieu : France Services Clisson (test), 1 rue de test, 44190 Clisson. "
        f"Référence {reference}. Pour annuler ou déplacer, écrivez-nous."
    )
    info = sms_segments(message["Body"])
    assert (info.encoding, info.segments) == ("GSM-7", 2)
    (request,) = twilio.requests
    with session_scope() as session:
        confirmation = jobs(session)[f"confirmation:appointment:{appointment_id}"]
        assert (confirmation.status, confirmation.done_at) == ("fait", NOW)

    # The reminder, the day before at 10:00: Twilio is down (HTTP 503), tried again in 5 min.
    clock.now = paris(WEDNESDAY - timedelta(days=1), 10)
    twilio.fail_next(status=503, code=None, message="Service Unavailable")
    await scheduler.tick()
    with session_scope() as session:
        reminder = jobs(session)[f"rappel:appointment:{appointment_id}"]
        assert (reminder.status, reminder.attempts, reminder.last_error) == (
            "en_attente",
            1,
            REASON_SMS_DOWN,
        )
        assert reminder.run_at == clock.now + timedelta(minutes=5)

    # Meanwhile Alice replied STOP to our number: Twilio answers 21610, nothing is sent,
    # the opt-out is recorded and the job is cancelled for good.
    clock.now += timedelta(minutes=5)
    twilio.fail_next(status=400, code=21610, message="Attempt to send to unsubscribed recipient")
    await scheduler.tick()
    with session_scope() as session:
        reminder = jobs(session)[f"rappel:appointment:{appointment_id}"]
        assert (reminder.status, reminder.last_error) == ("annule", REASON_STOP)
        opt_outs = select(func.count()).select_from(ChannelOptOut)
        assert session.scalar(opt_outs.where(ChannelOptOut.address == ALICE)) == 1
    assert len(twilio.messages) == 1 and len(twilio.requests) == 3
    assert request["status"] == 201
