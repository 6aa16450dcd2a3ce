"""action_handoff on a migrated database (SQLite, PostgreSQL): the handoff and its summary,
what the person is told, the pause; the phone's transfer marker; an outage never pauses."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

import pytest
from rasa_sdk import Tracker
from rasa_sdk.events import ActionExecuted, ConversationPaused
from rasa_sdk.executor import CollectingDispatcher
from sqlalchemy import select

from actions import handoff as action_module
from actions.appointments import ActionBookAppointment
from actions.cases import ActionOpenCase
from actions.handoff import ActionHandoff
from devtools.seeds.booking import seed
from policies.hours import PARIS
from seniorplus.db import session_scope
from seniorplus.handoff.messages import CLOSED, EMERGENCY, URGENT_OPEN, handoff_notice, team_hours
from seniorplus.handoff.models import Handoff
from seniorplus.models import utcnow
from seniorplus.settings import get_settings

PERSON = "+33611223344"
MONDAY_10H = datetime(2026, 11, 30, 10, 0, tzinfo=PARIS)
SATURDAY_10H = datetime(2026, 12, 5, 10, 0, tzinfo=PARIS)
APA = {"journey": "apa_domicile", "journey_step": 2, "commune": "Ancenis-Saint-Géréon"}
MENU = [{"title": "Parler à une personne", "payload": "/request_human"}]
PAUSED = [ConversationPaused(), ActionExecuted("action_listen")]  # rules match after a resume


def user(text: str, intent: str, channel: str = "sms") -> dict[str, Any]:
    parse = {"text": text, "intent": {"name": intent}, "entities": []}
    return {"event": "user", "text": text, "parse_data": parse, "input_channel": channel}


def tracker(
    events: list[dict[str, Any]], slots: dict[str, Any] | None = None, sender: str = PERSON
) -> Tracker:
    latest = next(e for e in reversed(events) if e["event"] == "user")
    return Tracker(
        sender_id=sender,
        slots=slots or {},
        latest_message=latest["parse_data"],
        events=events,
        paused=False,
        followup_action=None,
        active_loop={},
        latest_action_name=None,
    )


def asked_for_someone(channel: str = "sms") -> list[dict[str, Any]]:
    return [
        user("bonjour", "greet", channel),
        {"event": "bot", "text": "Que puis-je faire pour vous ?", "data": {"buttons": MENU}},
        user("/request_human", "request_human", channel),
    ]


@pytest.fixture(autouse=True)
def monday_10h(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(action_module, "utcnow", lambda: MONDAY_10H)
    monkeypatch.delenv("TEAM_OPENING_HOURS", raising=False)
    get_settings.cache_clear()


async def hand_over(t: Tracker) -> tuple[CollectingDispatcher, list[dict[str, Any]]]:
    dispatcher = CollectingDispatcher()
    return dispatcher, await ActionHandoff().run(dispatcher, t, {})


def handoffs() -> list[Handoff]:
    with session_scope() as session:
        return list(session.scalars(select(Handoff).order_by(Handoff.id)))


async def test_a_request_opens_a_handoff_tells_the_person_and_pauses(database_url: str) -> None:
    dispatcher, events = await hand_over(tracker(asked_for_someone(), {"for_whom": "self"}))
    assert events == PAUSED
    assert [m["text"] for m in dispatcher.messages] == handoff_notice(
        "demande", MONDAY_10H, team_hours(None)
    )
    (handoff,) = handoffs()
    assert (handoff.conversation_id, handoff.channel, handoff.reason, handoff.status) == (
        PERSON, "sms", "demande", "en_attente"
    )  # fmt: skip
    assert handoff.contact_id is not None
    assert handoff.summary.splitlines()[:3] == [
        "La personne âgée elle-même.",
        "Canal : SMS.",
        "Motif : a demandé une personne.",
    ]
    assert handoff.summary.endswith("Personne : « Parler à une personne » (choix)")
    _, again = await hand_over(tracker(asked_for_someone(), {"for_whom": "self"}))
    assert again == PAUSED and len(handoffs()) == 1  # one open per conversation


async def test_the_summary_has_the_case_and_the_appointment(
    database_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(action_module, "utcnow", utcnow)  # the booking's own clock
    with session_scope() as session:
        seed(session, date.today())
    sender = tracker(asked_for_someone(), APA)
    await ActionOpenCase().run(CollectingDispatcher(), sender, {})
    proposed = CollectingDispatcher()
    booking = tracker([user("je voudrais un rendez-vous", "book_appointment")], APA)
    events = await ActionBookAppointment().run(proposed, booking, {})
    offered = next(e["value"] for e in events if e.get("name") == "offered_slots")
    choice = user("1", "book_appointment")
    choice["parse_data"]["entities"] = [{"entity": "choice", "value": "1"}]
    await ActionBookAppointment().run(
        CollectingDispatcher(), tracker([choice], {**APA, "offered_slots": offered}), {}
    )
    await hand_over(sender)
    (handoff,) = handoffs()
    assert "Démarche : L'APA à domicile, étape 3 sur 8" in handoff.summary
    assert "Dossier SP-" in handoff.summary and "il manque : " in handoff.summary
    assert "Commune : Ancenis-Saint-Géréon." in handoff.summary
    assert "\nRendez-vous : " in handoff.summary
    assert len(handoff.summary) <= 1500


async def test_out_of_hours_the_person_is_told_when(
    database_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(action_module, "utcnow", lambda: SATURDAY_10H)
    dispatcher, events = await hand_over(tracker(asked_for_someone("telegram"), sender="tg42"))
    assert [m["text"] for m in dispatcher.messages] == [CLOSED.format(when="lundi à partir de 9 h")]
    assert events == PAUSED and handoffs()[0].channel == "telegram"


async def test_team_hours_come_from_the_setting(
    database_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(action_module, "utcnow", lambda: SATURDAY_10H)
    monkeypatch.setenv("TEAM_OPENING_HOURS", "lun-dim 08:00-20:00")
    get_settings.cache_clear()
    dispatcher, _ = await hand_over(tracker(asked_for_someone()))
    assert "en général dans l'heure" in dispatcher.messages[0]["text"]
    monkeypatch.setenv("TEAM_OPENING_HOURS", "n'importe quoi")  # unreadable: the default hours
    get_settings.cache_clear()
    dispatcher, _ = await hand_over(tracker(asked_for_someone()))
    assert dispatcher.messages[0]["text"].startswith("L'équipe est fermée en ce moment.")


async def test_after_the_emergency_answer_the_numbers_are_not_repeated(database_url: str) -> None:
    events = [
        user("au secours ma mère est tombée", "report_emergency"),
        {"event": "action", "name": "utter_emergency"},
        {"event": "bot", "text": EMERGENCY, "metadata": {"utter_action": "utter_emergency"}},
    ]
    dispatcher, paused = await hand_over(tracker(events))
    assert [m["text"] for m in dispatcher.messages] == [URGENT_OPEN]
    assert paused == PAUSED and handoffs()[0].reason == "urgence"


async def test_the_second_misunderstanding_is_the_reason(database_url: str) -> None:
    events = [
        user("blorp", "nlu_fallback"),
        {"event": "action", "name": "action_fallback"},
        user("zzz", "nlu_fallback"),
        {"event": "action", "name": "action_fallback"},
        {"event": "bot", "text": "Je ne comprends toujours pas, excusez-moi."},
    ]
    await hand_over(tracker(events))
    assert handoffs()[0].reason == "incomprehension"
    assert "Motif : 2 incompréhensions de suite." in handoffs()[0].summary


async def test_on_the_phone_the_transfer_marker_and_a_callback_summary(database_url: str) -> None:
    dispatcher, events = await hand_over(tracker(asked_for_someone("voice")))
    assert [m.get("response") for m in dispatcher.messages] == ["utter_human_contact"]
    assert events == PAUSED
    (handoff,) = handoffs()
    assert (handoff.channel, handoff.reason) == ("voice", "appel")
    assert "Canal : téléphone." in handoff.summary


async def test_a_database_outage_gives_the_contacts_and_does_not_pause(
    monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    monkeypatch.setenv("DATABASE_URL", "postgresql://nobody@127.0.0.1:1/none")
    get_settings.cache_clear()
    dispatcher, events = await hand_over(tracker(asked_for_someone()))
    assert [m.get("response") for m in dispatcher.messages] == [
        "utter_human_contact",
        "utter_human_contact_example",
        None,  # the nearest place we can source, or the national list
    ]
    assert dispatcher.messages[2]["text"].startswith("Près de chez vous : ")
    assert events == []  # the assistant keeps answering
    assert PERSON not in caplog.text
