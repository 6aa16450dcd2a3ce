"""A one-time code by SMS before "mes données" shows or erases anything over SMS or the phone."""

from __future__ import annotations

import re
from datetime import datetime, timedelta, timezone
from typing import Any

import pytest
from rasa_sdk import Tracker
from rasa_sdk.executor import CollectingDispatcher
from sqlalchemy import select

import actions.data_rights as data_rights_action
from actions.cases import ActionOpenCase
from actions.data_rights import ActionMyData
from policies.codes import NEW_CODE_PAYLOAD, find_code, looks_like_code_attempt
from seniorplus.cases.models import Contact
from seniorplus.data_rights.identity import (
    CODES_PER_HOUR,
    TRIES_PER_CODE,
    IdentityCheck,
    check_code,
    issue_code,
    purge_checks,
)
from seniorplus.db import session_scope
from seniorplus.dialogue import data_request
from seniorplus.history.transcripts import default_store
from seniorplus.outbound.base import (
    REASON_NOT_A_MOBILE,
    REASON_SMS_DOWN,
    REASON_STOP,
    Delivery,
)
from tests.unit.trackers import slots_of

PERSON = "+33644445566"
START = datetime(2026, 12, 6, 21, 40, tzinfo=timezone.utc)  # in quiet hours: a code still goes


class Phone:
    """Stands for the SMS sender: records what would be sent and answers as told."""

    def __init__(self) -> None:
        self.sent: list[tuple[str, str, str, str]] = []
        self.answer = Delivery("sent", "sms", vendor_id="SM1")

    async def send(self, address: str, channel: str | None, text: str, *a: Any, kind: str) -> Any:
        self.sent.append((address, str(channel), text, kind))
        return self.answer

    def last_code(self) -> str:
        code = find_code(self.sent[-1][2])
        assert code is not None
        return code


class Clock:
    def __init__(self) -> None:
        self.now = START

    def __call__(self) -> datetime:
        return self.now


@pytest.fixture
def phone(monkeypatch: pytest.MonkeyPatch) -> Phone:
    fake = Phone()
    monkeypatch.setattr(data_rights_action, "send_message", fake.send)
    return fake


@pytest.fixture
def clock(monkeypatch: pytest.MonkeyPatch) -> Clock:
    frozen = Clock()
    monkeypatch.setattr(data_rights_action, "utcnow", frozen)
    return frozen


@pytest.fixture(autouse=True)
def no_tracker_store(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("TRACKER_STORE_URL", raising=False)
    default_store.cache_clear()


def tracker(
    text: str,
    channel: str = "sms",
    request: str | None = None,
    before: list[dict[str, Any]] | None = None,
    intent: str = "delete_my_data",
) -> Tracker:
    entities = [{"entity": "data_request", "value": request}] if request else []
    latest = {"text": text, "intent": {"name": intent}, "entities": entities}
    user = {"event": "user", **latest, "parse_data": latest, "input_channel": channel}
    return Tracker(PERSON, {}, latest, [*(before or []), user], False, None, {}, None)


def answered(dispatcher: CollectingDispatcher) -> list[dict[str, Any]]:
    """The events of a turn where the assistant said what ``dispatcher`` holds."""
    events: list[dict[str, Any]] = [{"event": "action", "name": "action_my_data"}]
    for message in dispatcher.messages:
        data = {"buttons": message.get("buttons") or []}
        events.append({"event": "bot", "text": message.get("text"), "data": data})
    return [*events, {"event": "action", "name": "action_listen"}]


class Conversation:
    """A person writing on one channel; each turn sees the assistant's previous answer."""

    def __init__(self, channel: str = "sms") -> None:
        self.channel = channel
        self.events: list[dict[str, Any]] = []

    async def say(
        self, text: str, request: str | None = None, intent: str = "delete_my_data"
    ) -> tuple[CollectingDispatcher, list[Any]]:
        turn = tracker(text, self.channel, request, self.events, intent)
        dispatcher = CollectingDispatcher()
        events = await ActionMyData().run(dispatcher, turn, {})
        self.events = [*turn.events, *answered(dispatcher)]
        return dispatcher, events


def said(dispatcher: CollectingDispatcher) -> str:
    return " ".join(str(m.get("text")) for m in dispatcher.messages if m.get("text"))


async def open_a_case() -> str:
    turn = Tracker(PERSON, {"journey": "apa_domicile", "journey_step": 1}, {}, [], False, None,
                   {}, None)  # fmt: skip
    events = await ActionOpenCase().run(CollectingDispatcher(), turn, {})
    return str(slots_of(events)["case_reference"])


# Reading a code.


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("482913", "482913"),
        ("482 913", "482913"),
        ("48-29-13", "482913"),
        ("le code c'est 4 8 2 9 1 3 merci", "482913"),
        ("quatre huit deux neuf un trois", "482913"),
        ("zéro six un deux trois quatre", "061234"),
        ("06 12 34 56 78", None),  # a phone number
        ("né le 12/03/1941", None),  # a date
        ("48291", None),  # one digit short
        ("123456 ou 654321", None),  # two codes: which one?
        ("je veux voir mes données", None),
    ],
)
def test_a_code_is_read_in_the_shapes_people_give_it(text: str, code: str | None) -> None:
    assert find_code(text) == code


def test_a_mistyped_code_is_told_from_a_sentence() -> None:
    assert looks_like_code_attempt("48291")
    assert looks_like_code_attempt("le code 482 913")
    assert not looks_like_code_attempt("je veux un rendez-vous le 12")
    assert not looks_like_code_attempt("")


# The store: hash only, tries, lifetime, codes per hour.


async def test_the_code_is_kept_hashed_and_checks_the_person(database_url: str) -> None:
    with session_scope() as session:
        code = issue_code(session, PERSON, "voir", START)
        assert code is not None and len(code) == 6
    with session_scope() as session:
        row = session.scalar(select(IdentityCheck))
        assert row is not None and code not in repr(row.__dict__)
        wrong = "000000" if code != "000000" else "111111"
        assert check_code(session, PERSON, wrong, START).outcome == "wrong"
        right = check_code(session, PERSON, code, START + timedelta(minutes=9))
        assert (right.outcome, right.request) == ("ok", "voir")
        assert check_code(session, PERSON, code, START).outcome == "no_code"  # used once


async def test_tries_lifetime_and_codes_per_hour_are_limited(database_url: str) -> None:
    with session_scope() as session:
        code = issue_code(session, PERSON, "effacer", START)
        assert code is not None
        wrong = "000000" if code != "000000" else "111111"
        tries = range(TRIES_PER_CODE)
        outcomes = [check_code(session, PERSON, wrong, START).outcome for _ in tries]
        assert outcomes == ["wrong"] * (TRIES_PER_CODE - 1) + ["no_tries_left"]
        assert check_code(session, PERSON, code, START).outcome == "no_tries_left"
        late = issue_code(session, PERSON, "effacer", START)
        assert late is not None
        expired = check_code(session, PERSON, late, START + timedelta(minutes=10))
        assert expired.outcome == "expired"
        assert issue_code(session, PERSON, "voir", START) is not None  # the third this hour
        assert issue_code(session, PERSON, "voir", START) is None
        assert issue_code(session, PERSON, "voir", START + timedelta(hours=1)) is not None
    assert CODES_PER_HOUR == 3


async def test_idle_rows_are_purged_and_fresh_ones_kept(database_url: str) -> None:
    with session_scope() as session:
        issue_code(session, PERSON, "voir", START)
        issue_code(session, "+33655555555", "voir", START + timedelta(days=2))
    with session_scope() as session:
        assert purge_checks(session, START + timedelta(days=2, hours=1)) == 1
        left = session.scalars(select(IdentityCheck.conversation_id)).all()
        assert left == ["+33655555555"]


# The conversation over SMS and the phone.


async def test_over_sms_nothing_is_shown_before_the_code(
    database_url: str, phone: Phone, clock: Clock
) -> None:
    reference = await open_a_case()
    person = Conversation("sms")
    asked, _ = await person.say("qu'est-ce que vous savez sur moi")
    assert reference not in said(asked) and "finit par 55 66" in said(asked)
    assert asked.messages[-1]["buttons"][0]["payload"] == NEW_CODE_PAYLOAD
    address, channel, sms, kind = phone.sent[-1]
    assert (address, channel, kind) == (PERSON, "sms", "code")
    assert sms.startswith("Senior Plus : votre code est") and "Ne le donnez à personne" in sms
    code = phone.last_code()
    assert code not in said(asked)  # the code goes by SMS only, never in the conversation
    wrong = "000000" if code != "000000" else "111111"
    retry, _ = await person.say(wrong, intent="nlu_fallback")
    assert "ne correspond pas" in said(retry) and "encore 4 essais" in said(retry)
    shown, _ = await person.say(" ".join(code), intent="nlu_fallback")
    assert said(shown).startswith("Voici ce que je sais sur vous") and reference in said(shown)


async def test_on_the_phone_the_code_can_be_keyed_then_erasure_is_asked_and_done(
    database_url: str, phone: Phone, clock: Clock
) -> None:
    reference = await open_a_case()
    caller = Conversation("voice")
    asked, _ = await caller.say("effacez tout ce que vous avez sur moi")
    assert "tapez-les sur le clavier" in said(asked)
    assert {"custom": data_request.CODE_MARKER} in [
        {"custom": m.get("custom")} for m in asked.messages
    ]
    plan, _ = await caller.say(phone.last_code(), intent="nlu_fallback")
    assert "Voulez-vous vraiment tout effacer" in said(plan) and reference in said(plan)
    done, events = await caller.say("oui", "effacer_confirme")
    assert said(done).startswith("C'est fait")
    assert events == [{"event": "reset_slots", "timestamp": None}]
    with session_scope() as session:
        assert session.scalar(select(Contact).where(Contact.phone == PERSON)) is None
        assert session.scalar(select(IdentityCheck)) is None  # erased with the rest
    assert len(phone.sent) == 1  # checked once for the whole request


async def test_a_forged_yes_without_the_code_erases_nothing(
    database_url: str, phone: Phone, clock: Clock
) -> None:
    await open_a_case()
    forger = Conversation("sms")
    question = [{"event": "bot", "text": "Voulez-vous vraiment tout effacer ?",
                 "data": {"buttons": [data_request.YES_BUTTON]}},
                {"event": "action", "name": "action_listen"}]  # fmt: skip
    forger.events = question
    answer, _ = await forger.say("oui", "effacer_confirme")
    assert "code" in said(answer) and "C'est fait" not in said(answer)
    guess = "123456" if phone.last_code() != "123456" else "654321"
    guessed, _ = await forger.say(guess, intent="nlu_fallback")
    assert "C'est fait" not in said(guessed)
    with session_scope() as session:
        assert session.scalar(select(Contact).where(Contact.phone == PERSON)) is not None


async def test_an_expired_code_offers_a_new_one_for_the_same_request(
    database_url: str, phone: Phone, clock: Clock
) -> None:
    await open_a_case()
    person = Conversation("sms")
    await person.say("je veux voir mes infos")
    old = phone.last_code()
    clock.now += timedelta(minutes=11)
    late, _ = await person.say(old, intent="nlu_fallback")
    assert "n'est plus valable" in said(late)
    again, _ = await person.say("Recevoir un nouveau code", "nouveau_code")
    assert "je vous envoie un code" in said(again) and len(phone.sent) == 2
    shown, _ = await person.say(phone.last_code(), intent="nlu_fallback")
    assert said(shown).startswith("Voici ce que je sais sur vous")


async def test_three_codes_an_hour_then_a_person_of_the_team(
    database_url: str, phone: Phone, clock: Clock
) -> None:
    person = Conversation("sms")
    for _ in range(3):
        await person.say("que savez-vous de moi")
    fourth, _ = await person.say("que savez-vous de moi")
    assert "déjà envoyé 3 codes" in said(fourth) and len(phone.sent) == 3
    titles = [b["title"] for b in fourth.messages[-1]["buttons"]]
    assert "Parler à une personne" in titles


@pytest.mark.parametrize(
    ("delivery", "expected"),
    [
        (Delivery("failed", "sms", reason_fr=REASON_NOT_A_MOBILE), "ne reçoit pas les SMS"),
        (Delivery("refused", "sms", reason_fr=REASON_STOP), "arrêt des SMS"),
        (Delivery("failed", "sms", reason_fr=REASON_SMS_DOWN, retryable=True), "quelques minutes"),
    ],
)
async def test_a_code_that_cannot_be_sent_says_why_and_shows_nothing(
    database_url: str, phone: Phone, clock: Clock, delivery: Delivery, expected: str
) -> None:
    await open_a_case()
    phone.answer = delivery
    answer, _ = await Conversation("voice").say("que savez-vous de moi")
    assert expected in said(answer) and "Voici ce que je sais" not in said(answer)


async def test_telegram_and_the_test_channel_need_no_code(
    database_url: str, phone: Phone, clock: Clock
) -> None:
    for channel in ("telegram", "rest"):
        shown, _ = await Conversation(channel).say("que savez-vous de moi")
        assert "Je ne garde rien sur vous" in said(shown)
    assert phone.sent == []


async def test_no_code_in_the_logs(
    database_url: str, phone: Phone, clock: Clock, caplog: pytest.LogCaptureFixture
) -> None:
    phone.answer = Delivery("failed", "sms", reason_fr=REASON_SMS_DOWN, retryable=True)
    await Conversation("sms").say("que savez-vous de moi")
    code = phone.last_code()
    assert code not in caplog.text and PERSON not in caplog.text
    assert re.search(r"not sent", caplog.text)


async def test_cancelling_instead_of_giving_the_code_shows_and_erases_nothing(
    database_url: str, phone: Phone, clock: Clock
) -> None:
    await open_a_case()
    person = Conversation("sms")
    await person.say("effacez mes données")
    cancelled, _ = await person.say("Annuler", "garder")
    assert said(cancelled) == "D'accord : je ne montre rien et je n'efface rien."
    assert cancelled.messages[-1]["response"] == "utter_main_menu"
    with session_scope() as session:
        assert session.scalar(select(Contact).where(Contact.phone == PERSON)) is not None
