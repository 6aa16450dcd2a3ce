"""action_emergency on a migrated database: the lines of the danger's kind, an urgent handoff
that never pauses the assistant, the question for unclear words, and its "Non"."""

from __future__ import annotations

from datetime import datetime
from typing import Any

import pytest
from rasa_sdk import Tracker
from rasa_sdk.events import ConversationPaused
from rasa_sdk.executor import CollectingDispatcher
from sqlalchemy import select

from actions import emergency as action_module
from actions.emergency import ActionEmergency
from policies.hours import PARIS
from safety import Danger, read_danger
from safety.lines import (
    ALARM,
    HANG_UP,
    QUESTION,
    RELAY,
    RELAY_FIRST,
    THANKS_NOT_NOW,
    UNKNOWN_QUESTION,
)
from seniorplus.db import session_scope
from seniorplus.handoff.messages import TEAM_ALREADY_TOLD, TEAM_NOT_TOLD, URGENT_OPEN
from seniorplus.handoff.models import Handoff
from seniorplus.settings import get_settings

PERSON = "+33611223344"
MONDAY_10H = datetime(2026, 11, 30, 10, 0, tzinfo=PARIS)
SATURDAY_10H = datetime(2026, 12, 5, 10, 0, tzinfo=PARIS)
FALL = "ma mère est par terre, elle ne peut pas se relever"


def said(
    text: str,
    intent: str = "report_emergency",
    channel: str = "sms",
    entities: list[dict[str, Any]] | None = None,
    slots: dict[str, Any] | None = None,
    danger: dict[str, Any] | None = None,
) -> Tracker:
    parse = {
        "text": text,
        "intent": {"name": intent},
        "intent_ranking": [{"name": intent}, {"name": "ask_apa"}],
        "entities": entities or [],
        "danger": danger or read_danger(text).as_dict(),
    }
    event = {"event": "user", "text": text, "parse_data": parse, "input_channel": channel}
    return Tracker(PERSON, slots or {}, parse, [event], False, None, {}, None)


async def run(t: Tracker) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    dispatcher = CollectingDispatcher()
    events = await ActionEmergency().run(dispatcher, t, {})
    return dispatcher.messages, events


def texts(messages: list[dict[str, Any]]) -> list[str]:
    return [str(m.get("text")) for m in messages]


def handoffs() -> list[Handoff]:
    with session_scope() as session:
        return list(session.scalars(select(Handoff).order_by(Handoff.id)))


@pytest.fixture(autouse=True)
def monday_10h(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(action_module, "utcnow", lambda: MONDAY_10H)
    monkeypatch.delenv("TEAM_OPENING_HOURS", raising=False)


async def test_danger_gets_its_lines_an_urgent_handoff_and_no_pause(database_url: str) -> None:
    messages, events = await run(said(FALL))
    assert texts(messages) == [ALARM[Danger.MEDICAL], RELAY, URGENT_OPEN]
    assert not any(isinstance(e, dict) and e.get("event") == "pause" for e in events)
    assert ConversationPaused() not in events
    (handoff,) = handoffs()
    assert (handoff.reason, handoff.status, handoff.conversation_id) == (
        "urgence", "en_attente", PERSON,
    )  # fmt: skip


async def test_the_same_danger_twice_gives_the_lines_again_and_one_handoff(
    database_url: str,
) -> None:
    await run(said(FALL))
    messages, _ = await run(said(FALL))
    assert texts(messages) == [ALARM[Danger.MEDICAL], RELAY, TEAM_ALREADY_TOLD]
    assert len(handoffs()) == 1


async def test_out_of_hours_says_honestly_when_someone_will_read(
    database_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(action_module, "utcnow", lambda: SATURDAY_10H)
    messages, _ = await run(said("mon mari m'a encore frappée, j'ai peur"))
    assert texts(messages)[:2] == [ALARM[Danger.VIOLENCE_COUPLE], RELAY]
    assert "lundi à partir de 9 h" in texts(messages)[2]
    assert "je reste là" in texts(messages)[2]


async def test_someone_who_cannot_call_reads_the_114_first(database_url: str) -> None:
    messages, _ = await run(said("je suis sourde et mon fils me frappe"))
    assert texts(messages)[0] == RELAY_FIRST


async def test_on_the_phone_the_lines_and_no_sms_number(database_url: str) -> None:
    messages, _ = await run(said(FALL, channel="voice"))
    assert texts(messages) == [ALARM[Danger.MEDICAL], HANG_UP]
    assert handoffs()[0].channel == "voice"


async def test_unclear_words_get_the_question_and_the_message_is_kept(database_url: str) -> None:
    messages, events = await run(said("ma mère est tombée, a-t-elle droit à l'APA ?", "ask_apa"))
    assert texts(messages) == [QUESTION[Danger.MEDICAL]]
    assert [b["title"] for b in messages[0]["buttons"]] == ["Oui, en ce moment", "Non"]
    kept = events[0]["value"]
    assert kept["text"] == "ma mère est tombée, a-t-elle droit à l'APA ?"
    assert kept["intent"] == "ask_apa" and kept["danger"]["level"] == "unclear"
    assert handoffs() == []


async def test_yes_now_raises_the_alarm_for_the_kept_words(database_url: str) -> None:
    kept = {"text": "ma mère est tombée", "intent": "ask_apa", "entities": [],
            "danger": read_danger("ma mère est tombée").as_dict()}  # fmt: skip
    yes = said("oui", entities=[{"entity": "danger_now", "value": "oui"}],
               slots={"danger_pending": kept})  # fmt: skip
    messages, events = await run(yes)
    assert texts(messages)[:2] == [ALARM[Danger.MEDICAL], RELAY]
    assert handoffs()[0].reason == "urgence"
    assert events[-1] == {"event": "slot", "timestamp": None, "name": "danger_pending",
                          "value": None}  # fmt: skip


async def test_not_now_hears_the_kept_message_again_as_what_it_asked(database_url: str) -> None:
    kept = {"text": "mon père a fait un malaise, droit à l'APA ?", "intent": "ask_apa",
            "entities": [{"entity": "relationship", "value": "père"}]}  # fmt: skip
    messages, events = await run(said("non", "danger_not_now", slots={"danger_pending": kept}))
    assert texts(messages) == [THANKS_NOT_NOW]
    kinds = [e["event"] for e in events]
    assert kinds == ["slot", "rewind", "action", "user"]
    replayed = events[-1]
    assert replayed["text"] == kept["text"]
    assert replayed["parse_data"]["intent"]["name"] == "ask_apa"
    assert replayed["parse_data"]["entities"] == kept["entities"]
    assert replayed["parse_data"]["danger_checked"] is True
    assert handoffs() == []


@pytest.mark.parametrize("answer", ["non c'est pas urgent", "non ce n'est pas une urgence",
                                    "pas en ce moment", "Non, pas maintenant"])  # fmt: skip
async def test_no_in_the_person_s_words_is_no_when_only_the_model_hears_danger(
    database_url: str, answer: str
) -> None:
    """The model reads "urgent" as danger; no word says it: the question is not asked twice."""
    kept = {"text": "pour la curatelle de mon frère comment on s'y prend",
            "intent": "ask_legal_protection", "entities": []}  # fmt: skip
    unclear = {"level": "unclear", "dangers": []}
    asked = said(answer, "nlu_fallback", danger=unclear, slots={"danger_pending": kept})
    messages, events = await run(asked)
    assert texts(messages) == [THANKS_NOT_NOW]
    assert events[-1]["parse_data"]["intent"]["name"] == "ask_legal_protection"
    assert handoffs() == []


async def test_no_with_words_of_danger_is_not_taken_for_no(database_url: str) -> None:
    kept = {"text": "ma mère est tombée", "intent": "report_autonomy_loss", "entities": []}
    danger = {"level": "danger", "dangers": ["health"], "now": True}
    answer = "non elle ne respire plus"
    messages, _ = await run(said(answer, danger=danger, slots={"danger_pending": kept}))
    assert THANKS_NOT_NOW not in texts(messages)
    assert any("15" in t for t in texts(messages))


async def test_not_now_on_an_unclear_question_offers_the_likeliest_topics(
    database_url: str,
) -> None:
    text = "depuis l'été elle oublie tout, hier on l'a trouvée dehors en chemise de nuit"
    ask = said(text, "nlu_fallback", danger={"level": "unclear", "dangers": ["missing"]})
    ask.latest_message["intent_ranking"] = [
        {"name": "nlu_fallback", "confidence": 0.45},
        {"name": "report_autonomy_loss", "confidence": 0.28},
        {"name": "ask_home_services", "confidence": 0.2},
    ]
    _, events = await run(ask)
    kept = events[-1]["value"]
    assert [r["name"] for r in kept["ranking"]] == ["report_autonomy_loss", "ask_home_services"]
    _, events = await run(said("non", "danger_not_now", slots={"danger_pending": kept}))
    replayed = events[-1]["parse_data"]
    assert replayed["intent"]["name"] == "nlu_fallback"
    assert [r["name"] for r in replayed["intent_ranking"]] == [
        "nlu_fallback", "report_autonomy_loss", "ask_home_services"
    ]  # fmt: skip


async def test_the_model_alone_heard_danger_every_line_is_given_with_the_question(
    database_url: str,
) -> None:
    messages, _ = await run(said("c'est très grave ce qui arrive à ma mère"))
    assert texts(messages) == [UNKNOWN_QUESTION]
    for number in ("15", "112", "17", "3114", "3977"):
        assert number in UNKNOWN_QUESTION


async def test_a_database_outage_still_gives_the_lines(
    monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    monkeypatch.setenv("DATABASE_URL", "postgresql://nobody@127.0.0.1:1/none")
    get_settings.cache_clear()
    messages, _ = await run(said(FALL))
    assert texts(messages) == [ALARM[Danger.MEDICAL], RELAY, TEAM_NOT_TOLD]
    assert PERSON not in caplog.text


async def test_someone_who_cannot_call_reads_the_114_before_the_question(database_url: str) -> None:
    messages, _ = await run(said("je suis sourde, ma mère est tombée", "ask_apa"))
    assert texts(messages) == [RELAY_FIRST, QUESTION[Danger.MEDICAL]]


async def test_a_question_about_two_kinds_gives_both_numbers(database_url: str) -> None:
    both = {"level": "unclear", "dangers": ["violence", "medical"]}
    messages, _ = await run(said("il va mal, il est violent", "ask_apa", danger=both))
    assert "17" in texts(messages)[0] and "15" in texts(messages)[0]


def answering(text: str, stage: str | None, danger: dict[str, Any] | None = None) -> Tracker:
    """``text`` said after the triage asked where the relative lives (``stage`` waiting)."""
    doubt = {"level": "unclear", "dangers": [], "cannot_call": False, "now": False}
    t = said(text, "nlu_fallback", slots={"triage_stage": stage}, danger=danger or doubt)
    question = {"event": "bot", "text": "Où vit votre père ?", "data": {"buttons": [
        {"title": "À domicile", "payload": "/inform{\"home\": \"domicile\"}"},
        {"title": "En établissement", "payload": "/inform{\"home\": \"etablissement\"}"},
    ]}}  # fmt: skip
    t.events = [{"event": "action", "name": "action_listen"}, question, *t.events]
    return t


@pytest.mark.parametrize(
    "text", ["il vit chez lui", "chez lui à Rezé", "il vit seul oui", "Clisson"]
)
async def test_the_models_doubt_about_an_answer_to_its_question_is_not_asked(
    text: str, database_url: str
) -> None:
    t = answering(text, "home")
    if text == "Clisson":  # the town, said instead of home or establishment: a fact all the same
        t.latest_message["entities"] = [{"entity": "commune", "value": "Clisson"}]
    messages, events = await run(t)
    assert messages == []  # no lines, no "Est-ce une urgence ?": the answer, heard again
    assert [e["event"] for e in events] == ["rewind", "action", "user"]
    assert events[-1]["text"] == text
    assert events[-1]["parse_data"]["danger_checked"] is True


async def test_words_of_danger_or_no_question_waiting_keep_the_question(database_url: str) -> None:
    danger = read_danger("il vit chez lui, il est tombé et ne répond plus").as_dict()
    messages, _ = await run(answering("il vit chez lui, il est tombé et ne répond plus", "home",
                                      danger))  # fmt: skip
    assert messages and "15" in " ".join(texts(messages))
    messages, _ = await run(answering("il vit chez lui", None))  # nothing asked: the doubt stays
    assert texts(messages) == [UNKNOWN_QUESTION]
    long = "il vit chez lui " + "et " * 12 + "voilà"
    messages, _ = await run(answering(long, "home"))
    assert texts(messages) == [UNKNOWN_QUESTION]
