"""At least once, processed once: receipts are leases, marked done once the person is answered."""

from __future__ import annotations

import threading
import time
from pathlib import Path

import pytest

from channels.rate_limits import SLOW_DOWN, Limits
from channels.sms import SmsInput, sms
from channels.store import ChannelStore, Claim
from safety.lines import TOO_SLOW
from tests.bot.channels.test_sms_channel import messages
from tests.bot.twilio_payloads import (
    AUTH_TOKEN,
    PUBLIC_BASE_URL,
    ChannelClient,
    FakeAssistant,
    migrated_database,
    new_sid,
    sms_params,
)

PATH = "/webhooks/sms/webhook"
SENDER = "+33612345678"


@pytest.fixture
def store(tmp_path: Path) -> ChannelStore:
    return ChannelStore(migrated_database(tmp_path))


def sms_client(
    store: ChannelStore,
    assistant: FakeAssistant,
    *,
    lease_s: float = 30.0,
    busy_wait_s: float = 0.3,
    per_sender: str = "50/minute",
    per_address: str = "1000/minute",
) -> ChannelClient:
    limits = Limits(per_sender=per_sender, per_address=per_address, storage="memory://")
    channel = SmsInput(
        AUTH_TOKEN, PUBLIC_BASE_URL, store=store, limits=limits, lease_s=lease_s,
        busy_wait_s=busy_wait_s,
    )  # fmt: skip
    return ChannelClient(channel, assistant)


# The store.


def test_a_receipt_is_new_then_busy_then_done(store: ChannelStore) -> None:
    assert store.claim_receipt("sms", "SM1", lease_s=30) is Claim.NEW
    assert store.claim_receipt("sms", "SM1", lease_s=30) is Claim.BUSY  # a turn holds it
    store.finish_receipt("sms", "SM1")
    assert store.claim_receipt("sms", "SM1", lease_s=30) is Claim.DONE
    assert store.claim_receipt("telegram", "SM1", lease_s=30) is Claim.NEW  # per channel


def test_an_unfinished_receipt_is_taken_over_once_after_its_lease(store: ChannelStore) -> None:
    assert store.claim_receipt("sms", "SM2", lease_s=0.2) is Claim.NEW
    time.sleep(1.1)  # SQLite keeps seconds and microseconds: past the lease
    assert store.claim_receipt("sms", "SM2", lease_s=0.2) is Claim.TAKEN_OVER
    assert store.claim_receipt("sms", "SM2", lease_s=30) is Claim.BUSY  # the new lease holds


# SMS.


def test_a_retry_after_success_is_answered_once_without_a_second_turn(
    store: ChannelStore,
) -> None:
    assistant = FakeAssistant()
    client = sms_client(store, assistant)
    params = sms_params("Bonjour", SENDER)
    assert messages(client.post(PATH, params))  # answered
    assert messages(client.post(PATH, params)) == []  # Twilio's retry: empty TwiML
    assert len(assistant.received) == 1


def test_a_retry_after_a_crash_mid_turn_is_processed(store: ChannelStore) -> None:
    assistant = FakeAssistant()
    sid = new_sid("SM")
    # The first delivery took the receipt, then the process died before answering.
    assert store.claim_receipt("sms", sid, lease_s=30) is Claim.NEW
    time.sleep(1.1)
    client = sms_client(store, assistant, lease_s=1.0)
    answered = messages(client.post(PATH, sms_params("Bonjour", SENDER, message_sid=sid)))
    assert answered and [r.text for r in assistant.received] == ["Bonjour"]
    # and once answered, the next retry is not processed again
    assert messages(client.post(PATH, sms_params("Bonjour", SENDER, message_sid=sid))) == []
    assert len(assistant.received) == 1


def test_a_retry_while_the_turn_still_runs_is_not_a_second_turn_nor_silence(
    store: ChannelStore,
) -> None:
    """Twilio retries only a delivery that failed: the holder's answer will not reach the
    person (or its process died). After a short wait, the person is asked to send again."""
    assistant = FakeAssistant()
    sid = new_sid("SM")
    assert store.claim_receipt("sms", sid, lease_s=30) is Claim.NEW  # a turn is running
    client = sms_client(store, assistant, lease_s=30.0)
    answer = messages(client.post(PATH, sms_params("Bonjour", SENDER, message_sid=sid)))
    assert answer == [sms(TOO_SLOW)]
    assert assistant.received == []
    assert store.claim_receipt("sms", sid, lease_s=30) is Claim.BUSY  # not marked done


def test_a_retry_waits_for_the_turn_that_holds_its_receipt(store: ChannelStore) -> None:
    assistant = FakeAssistant()
    sid = new_sid("SM")
    assert store.claim_receipt("sms", sid, lease_s=30) is Claim.NEW
    finisher = threading.Timer(0.5, store.finish_receipt, ("sms", sid))  # the holder answers
    finisher.start()
    client = sms_client(store, assistant, lease_s=30.0, busy_wait_s=10.0)
    started = time.monotonic()
    assert messages(client.post(PATH, sms_params("Bonjour", SENDER, message_sid=sid))) == []
    assert time.monotonic() - started < 5 and assistant.received == []
    finisher.join()


def test_a_retry_takes_over_a_turn_whose_process_died_while_it_waits(
    store: ChannelStore,
) -> None:
    """kill -9 of a Rasa replica mid-turn: the vendor's retry, on the other replica, waits
    for the dead turn's lease and answers (the case scripts/scale_test.py provokes)."""
    assistant = FakeAssistant()
    sid = new_sid("SM")
    assert store.claim_receipt("sms", sid, lease_s=30) is Claim.NEW  # then the process died
    client = sms_client(store, assistant, lease_s=1.0, busy_wait_s=4.0)
    answered = messages(client.post(PATH, sms_params("Bonjour", SENDER, message_sid=sid)))
    assert answered and answered != [sms(TOO_SLOW)]
    assert [r.text for r in assistant.received] == ["Bonjour"]


def test_a_failed_turn_is_answered_and_its_retry_is_not_run_again(store: ChannelStore) -> None:
    assistant = FakeAssistant(fail=True)
    client = sms_client(store, assistant)
    params = sms_params("Bonjour", SENDER)
    assert messages(client.post(PATH, params))  # the apology
    assert messages(client.post(PATH, params)) == []
    assert len(assistant.received) == 1


def test_a_flooding_sms_sender_gets_one_message_and_no_handoff(store: ChannelStore) -> None:
    assistant = FakeAssistant(fail=True)  # every turn that runs would open or feed a handoff
    client = sms_client(store, assistant, per_sender="2/minute")
    answers = [messages(client.post(PATH, sms_params(f"pub {n}", SENDER))) for n in range(6)]
    assert answers[2] == [sms(SLOW_DOWN)]
    assert answers[3:] == [[], [], []]
    assert len(assistant.received) == 2
    with store.engine.begin() as connection:
        from sqlalchemy import text

        handoffs = connection.execute(text("SELECT summary FROM handoffs")).all()
    assert len(handoffs) == 1  # one incident for the two turns that ran, not one per message
    assert "pub 5" not in handoffs[0][0]


def test_many_people_through_twilios_one_address_are_each_counted_alone(
    store: ChannelStore,
) -> None:
    # Every SMS comes from Twilio (or the proxy): the address would count them all together.
    assistant = FakeAssistant()
    client = sms_client(store, assistant, per_sender="1/minute", per_address="1/minute")
    senders = [f"+3361234560{n}" for n in range(4)]
    answers = [messages(client.post(PATH, sms_params("bonjour", s))) for s in senders]
    assert SLOW_DOWN not in [text for answer in answers for text in answer]
    assert len(assistant.received) == 4
    assert messages(client.post(PATH, sms_params("encore", senders[0]))) == [sms(SLOW_DOWN)]


def test_stop_is_never_rate_limited(store: ChannelStore) -> None:
    assistant = FakeAssistant()
    client = sms_client(store, assistant, per_sender="1/minute")
    client.post(PATH, sms_params("bonjour", SENDER))
    client.post(PATH, sms_params("encore", SENDER))
    assert messages(client.post(PATH, sms_params("STOP", SENDER)))  # confirmed
    assert store.is_opted_out("sms", SENDER)


def test_danger_words_pass_an_sms_rate_limit(store: ChannelStore) -> None:
    assistant = FakeAssistant()
    client = sms_client(store, assistant, per_sender="1/minute")
    client.post(PATH, sms_params("bonjour", SENDER))
    assert messages(client.post(PATH, sms_params("encore", SENDER))) == [sms(SLOW_DOWN)]
    danger = "je veux en finir, j'ai préparé les cachets"
    answered = messages(client.post(PATH, sms_params(danger, SENDER)))
    assert any("3114" in text for text in answered)
    assert assistant.received[-1].text == danger
