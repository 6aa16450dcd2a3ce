"""Agent operations on SQLite and PostgreSQL: read, reply through the person's channel (a local
fake Twilio), step in, hand back, close; Rasa faked with httpx.MockTransport.

The claim race prints its figures with ``-s``::

    .venv-app/bin/python -m pytest -s -q tests/unit/seniorplus/handoff/test_operations.py -k race
"""

from __future__ import annotations

import asyncio
import json
import threading
from collections.abc import Callable, Iterator
from datetime import datetime, timedelta, timezone
from pathlib import Path
from zoneinfo import ZoneInfo

import httpx
import pytest
from sqlalchemy import func, select

from devtools.fakes.twilio import FakeTwilioApi
from seniorplus.db import session_scope
from seniorplus.handoff import operations
from seniorplus.handoff.messages import HAND_BACK
from seniorplus.handoff.models import Handoff, HandoffReply
from seniorplus.handoff.rasa_api import RasaClient, RasaUnavailable
from seniorplus.handoff.service import AlreadyClaimed, HandoffError, HandoffNotFound, claim
from seniorplus.handoff.service import request_handoff as open_request
from seniorplus.history.transcripts import TranscriptStore
from seniorplus.jobs.models import ScheduledJob
from seniorplus.models import ChannelOptOut
from seniorplus.outbound import sender_for
from seniorplus.outbound.base import REASON_SMS_DOWN, REASON_STOP
from seniorplus.scheduler.deferred_replies import DeferredReplies
from seniorplus.settings import OutboundSettings
from seniorplus.staff.models import Agent, AuditEntry
from tests.unit.data_rights_helpers import say, tracker_store

PARIS = ZoneInfo("Europe/Paris")
NOON = datetime(2026, 11, 23, 12, 0, tzinfo=PARIS)  # outside quiet hours
ACCOUNT_SID = "AC" + "0123456789abcdef" * 2
AUTH_TOKEN = "f" * 32
PERSON = "+33612345678"
RACE_AGENTS = 8
RACE_ROUNDS = 10


class FakeRasa:
    """Rasa's append-events endpoint: records (conversation, event); ``down`` refuses all."""

    def __init__(self) -> None:
        self.events: list[tuple[str, str]] = []
        self.down = False
        self._lock = threading.Lock()

    def __call__(self, request: httpx.Request) -> httpx.Response:
        if self.down:
            raise httpx.ConnectError("connection refused")
        conversation = request.url.path.split("/")[2]
        with self._lock:
            self.events.append((conversation, json.loads(request.content)["event"]))
        return httpx.Response(200, json={"sender_id": conversation})

    def client(self) -> RasaClient:
        return RasaClient("http://rasa", "t", transport=httpx.MockTransport(self))


@pytest.fixture
def twilio() -> Iterator[FakeTwilioApi]:
    with FakeTwilioApi(ACCOUNT_SID, AUTH_TOKEN) as api:
        yield api


@pytest.fixture
def rasa(monkeypatch: pytest.MonkeyPatch) -> FakeRasa:
    fake = FakeRasa()
    monkeypatch.setattr(operations, "rasa_factory", fake.client)
    return fake


@pytest.fixture
def history(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[TranscriptStore]:
    """Rasa's tracker store (its ``events`` table) in a SQLite file."""
    with tracker_store(f"sqlite:///{tmp_path / 'tracker.db'}") as store:
        monkeypatch.setattr(operations, "store_factory", lambda: store)
        yield store


def vendor_settings(twilio: FakeTwilioApi) -> OutboundSettings:
    return OutboundSettings(
        app_env="test",
        twilio_account_sid=ACCOUNT_SID,
        twilio_auth_token=AUTH_TOKEN,
        twilio_sms_number="+33757000000",
        twilio_api_url=twilio.url,
        telegram_bot_token="1000000000:test",
        telegram_api_url="http://127.0.0.1:9",
    )


@pytest.fixture
def wired(
    database_url: str,
    twilio: FakeTwilioApi,
    rasa: FakeRasa,
    history: TranscriptStore,
    monkeypatch: pytest.MonkeyPatch,
) -> FakeTwilioApi:
    """Migrated database, SMS through the fake Twilio at noon, fake Rasa, tracker store."""
    settings = vendor_settings(twilio)

    def factory(address: str, channel: str | None) -> operations.Sender:
        return sender_for(address, channel, settings=settings, clock=lambda: NOON)

    monkeypatch.setattr(operations, "sender_factory", factory)
    return twilio


def add_agent(login: str, role: str = "agent") -> int:
    with session_scope() as session:
        agent = Agent(login=login, display_name=login.title(), password_hash="x", role=role)
        session.add(agent)
        session.flush()
        return agent.id


def waiting(conversation: str = PERSON, channel: str = "sms") -> int:
    with session_scope() as session:
        handoff, _ = open_request(session, conversation, channel, "demande", "Motif : test.")
        return handoff.id


def claimed(agent_id: int, conversation: str = PERSON) -> int:
    handoff_id = waiting(conversation)
    with session_scope() as session:
        agent = session.get(Agent, agent_id)
        assert agent is not None
        claim(session, agent, handoff_id)
    return handoff_id


def status_of(handoff_id: int) -> str:
    with session_scope() as session:
        handoff = session.get(Handoff, handoff_id)
        assert handoff is not None
        return handoff.status


# Replies.
async def test_a_reply_reaches_the_person_by_sms_and_is_recorded(wired: FakeTwilioApi) -> None:
    agent = add_agent("m.durand")
    handoff_id = claimed(agent)
    reply = await operations.send_reply(agent, handoff_id, "  Bonjour, je regarde votre dossier.  ")
    assert (reply.delivery, reply.reason_fr) == ("sent", None)
    assert reply.text == "Bonjour, je regarde votre dossier." and reply.vendor_id
    (message,) = wired.messages
    assert message["To"] == PERSON and message["Body"] == "Bonjour, je regarde votre dossier."
    with session_scope() as session:
        actions = session.scalars(select(AuditEntry.action).order_by(AuditEntry.id)).all()
    assert actions == ["prise", "reponse"]


async def test_stop_is_recorded_as_refused_with_the_french_reason(wired: FakeTwilioApi) -> None:
    agent = add_agent("m.durand")
    handoff_id = claimed(agent)
    with session_scope() as session:
        session.add(ChannelOptOut(channel="sms", address=PERSON))
    reply = await operations.send_reply(agent, handoff_id, "Bonjour")
    assert (reply.delivery, reply.reason_fr) == ("refused", REASON_STOP)
    assert wired.messages == []  # nothing went to Twilio


async def test_a_vendor_failure_is_recorded_not_raised(wired: FakeTwilioApi) -> None:
    agent = add_agent("m.durand")
    handoff_id = claimed(agent)
    wired.fail_next(status=503, code=None, message="Service Unavailable")
    reply = await operations.send_reply(agent, handoff_id, "Bonjour")
    assert (reply.delivery, reply.reason_fr) == ("failed", REASON_SMS_DOWN)
    with session_scope() as session:
        assert session.scalar(select(func.count()).select_from(HandoffReply)) == 1


async def test_another_agent_s_conversation_is_refused(wired: FakeTwilioApi) -> None:
    holder, other = add_agent("m.durand"), add_agent("a.martin")
    handoff_id = claimed(holder)
    with pytest.raises(HandoffNotFound) as refused:
        await operations.send_reply(other, handoff_id, "Bonjour")
    assert refused.value.message_fr == "Conversation introuvable, ou confiée à un autre conseiller."
    unclaimed = waiting("+33698765432")
    with pytest.raises(HandoffError, match="Prenez d'abord la conversation"):
        await operations.send_reply(other, unclaimed, "Bonjour")
    with pytest.raises(HandoffNotFound):
        await operations.hand_back(other, handoff_id)
    assert wired.messages == []


@pytest.mark.parametrize(("text", "words"), [("   ", "vide"), ("x" * 1601, "trop longue")])
async def test_an_empty_or_too_long_reply_is_refused_in_french(
    wired: FakeTwilioApi, text: str, words: str
) -> None:
    agent = add_agent("m.durand")
    handoff_id = claimed(agent)
    with pytest.raises(HandoffError, match=words):
        await operations.send_reply(agent, handoff_id, text)
    assert wired.messages == []


# Stepping in, handing back, closing.
async def test_take_over_opens_claims_and_pauses_the_assistant(
    wired: FakeTwilioApi, rasa: FakeRasa, history: TranscriptStore
) -> None:
    say(history, PERSON, NOON, "je ne m'en sors pas avec le formulaire", "Je vous explique.")
    agent = add_agent("m.durand")
    handoff = await operations.take_over(agent, PERSON)
    assert (handoff.reason, handoff.status, handoff.assigned_agent_id) == ("agent", "prise", agent)
    assert handoff.channel == "sms"  # the channel the person last wrote from
    assert "Motif : un conseiller a pris la main." in handoff.summary
    assert "Personne : je ne m'en sors pas avec le formulaire" in handoff.summary
    assert rasa.events == [("+33612345678", "pause")]
    again = await operations.take_over(agent, PERSON)  # a double click
    assert again.id == handoff.id


async def test_take_over_of_a_waiting_handoff_claims_it(wired: FakeTwilioApi) -> None:
    handoff_id = waiting()
    agent = add_agent("m.durand")
    assert (await operations.take_over(agent, PERSON)).id == handoff_id
    other = add_agent("a.martin")
    with pytest.raises(AlreadyClaimed, match="Un autre conseiller s'occupe déjà"):
        await operations.take_over(other, PERSON)
    supervisor = add_agent("chef", role="supervisor")
    with pytest.raises(AlreadyClaimed, match=r"Déjà prise par M\.Durand"):
        await operations.take_over(supervisor, PERSON)


async def test_take_over_with_rasa_down_keeps_the_claim_and_warns(
    wired: FakeTwilioApi, rasa: FakeRasa
) -> None:
    rasa.down = True
    agent = add_agent("m.durand")
    with pytest.raises(RasaUnavailable) as warned:
        await operations.take_over(agent, PERSON)
    assert "n'a pas pu être mis en pause" in warned.value.message_fr
    assert isinstance(warned.value.result, Handoff)
    assert status_of(warned.value.result.id) == "prise"  # committed before the warning


async def test_hand_back_resumes_then_tells_the_person(
    wired: FakeTwilioApi, rasa: FakeRasa
) -> None:
    agent = add_agent("m.durand")
    handoff_id = claimed(agent)
    notice = await operations.hand_back(agent, handoff_id)
    assert notice is not None and notice.text == HAND_BACK and notice.delivery == "sent"
    assert rasa.events == [("+33612345678", "resume")]
    assert [m["Body"] for m in wired.messages] == [
        "C'est de nouveau l'assistant Senior Plus qui vous répond. Écrivez \"menu\" pour voir ce "
        'que je peux faire, ou "conseiller" pour reparler à quelqu\'un.'
    ]
    assert status_of(handoff_id) == "rendue"
    assert await operations.hand_back(agent, handoff_id) is None  # twice changes nothing
    assert len(wired.messages) == 1
    with pytest.raises(HandoffError, match="terminée"):
        await operations.send_reply(agent, handoff_id, "encore un mot")


async def test_hand_back_with_rasa_down_changes_nothing(
    wired: FakeTwilioApi, rasa: FakeRasa
) -> None:
    agent = add_agent("m.durand")
    handoff_id = claimed(agent)
    rasa.down = True
    with pytest.raises(RasaUnavailable, match="la conversation reste à vous"):
        await operations.hand_back(agent, handoff_id)
    with pytest.raises(RasaUnavailable):
        await operations.close(agent, handoff_id)
    assert status_of(handoff_id) == "prise" and wired.messages == []


async def test_close_resumes_without_a_message(wired: FakeTwilioApi, rasa: FakeRasa) -> None:
    agent = add_agent("m.durand")
    handoff_id = claimed(agent)
    await operations.close(agent, handoff_id)
    assert status_of(handoff_id) == "close"
    assert rasa.events == [("+33612345678", "resume")] and wired.messages == []
    await operations.close(agent, handoff_id)
    assert len(rasa.events) == 1


# The transcript.
async def test_lines_merge_the_tracker_and_the_replies_in_time_order(
    wired: FakeTwilioApi, history: TranscriptStore
) -> None:
    start = datetime.now(timezone.utc) - timedelta(minutes=10)
    say(history, PERSON, start, "<script>alert('x')</script> & <b>aidez-moi</b>", "Je transmets.")
    agent = add_agent("m.durand")
    handoff_id = claimed(agent)
    await operations.send_reply(agent, handoff_id, "Bonjour <i>madame</i>")
    say(history, PERSON, datetime.now(timezone.utc) + timedelta(seconds=5), "merci", "")
    with session_scope() as session:
        lines = operations.conversation_lines(session, PERSON, history)
        assert [(line.speaker, line.text) for line in lines] == [
            ("personne", "<script>alert('x')</script> & <b>aidez-moi</b>"),  # unchanged text
            ("assistant", "Je transmets."),
            ("conseiller", "Bonjour <i>madame</i>"),
            ("personne", "merci"),
        ]
        reply = lines[2]
        assert (reply.agent_name, reply.delivery, reply.channel) == ("M.Durand", "sent", "sms")
        assert lines[0].channel == "sms"
        newer = operations.conversation_lines(session, PERSON, history, since=lines[2].at)
        assert [line.text for line in newer] == ["merci"]
        assert operations.conversation_lines(session, "+33600000000", history) == []
        without_store = operations.conversation_lines(session, PERSON, None)
        assert [line.speaker for line in without_store] == ["conseiller"]


# Two agents at once.
def race(agents: list[int], conversation: str) -> list[str]:
    """Every agent steps in on ``conversation`` at the same moment (a barrier, one thread each)."""
    barrier = threading.Barrier(len(agents))
    outcomes: list[str] = []
    lock = threading.Lock()

    def attempt(agent_id: int) -> None:
        barrier.wait()
        try:
            asyncio.run(operations.take_over(agent_id, conversation))
            outcome = "won"
        except AlreadyClaimed:
            outcome = "refused"
        with lock:
            outcomes.append(outcome)

    threads = [threading.Thread(target=attempt, args=(a,)) for a in agents]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    return outcomes


def test_race_agents_stepping_in_at_once_one_wins(
    wired: FakeTwilioApi, rasa: FakeRasa, capsys: pytest.CaptureFixture[str]
) -> None:
    agents = [add_agent(f"agent{n}") for n in range(RACE_AGENTS)]
    wins = refused = 0
    for round_ in range(RACE_ROUNDS):
        conversation = f"+3361234{round_:04d}"
        if round_ % 2:  # half the rounds: the person had asked for someone (a waiting handoff)
            waiting(conversation)
        outcomes = race(agents, conversation)
        assert sorted(outcomes) == ["refused"] * (RACE_AGENTS - 1) + ["won"], outcomes
        wins, refused = wins + 1, refused + outcomes.count("refused")
        with session_scope() as session:
            rows = session.scalars(
                select(Handoff).where(Handoff.conversation_id == conversation)
            ).all()
            assert len(rows) == 1 and rows[0].status == "prise"
    with capsys.disabled():
        print(
            f"\nclaim race: {RACE_ROUNDS} rounds x {RACE_AGENTS} agents: {wins} winners, "
            f"{refused} AlreadyClaimed, 1 handoff per conversation"
        )


# A reply written during quiet hours goes when they end.
async def test_a_reply_held_by_quiet_hours_is_sent_at_eight_by_the_scheduler(
    wired: FakeTwilioApi, monkeypatch: pytest.MonkeyPatch
) -> None:
    night = datetime(2026, 11, 23, 22, 30, tzinfo=PARIS)
    settings = vendor_settings(wired)

    def at(clock: datetime) -> Callable[[str, str | None], operations.Sender]:
        return lambda address, channel: sender_for(
            address, channel, settings=settings, clock=lambda: clock
        )

    monkeypatch.setattr(operations, "sender_factory", at(night))
    agent = add_agent("m.durand")
    handoff_id = claimed(agent)
    reply = await operations.send_reply(agent, handoff_id, "Je vous rappelle demain matin.")
    assert reply.delivery == "deferred" and wired.messages == []
    morning = datetime(2026, 11, 24, 8, 0, tzinfo=PARIS)
    replies = DeferredReplies(senders=at(morning))
    assert await replies.tick(morning - timedelta(minutes=1)) == 0  # not before 8:00
    assert await replies.tick(morning) == 1
    assert await replies.tick(morning + timedelta(minutes=5)) == 0  # never twice
    (message,) = wired.messages
    assert message["Body"] == "Je vous rappelle demain matin."
    with session_scope() as session:
        sent = session.get(HandoffReply, reply.id)
        assert sent is not None and (sent.delivery, sent.reason_fr) == ("sent", None)
        job = session.scalar(select(ScheduledJob).where(ScheduledJob.kind == "reponse_differee"))
        assert job is not None and job.status == "fait"
