"""Actions with a hand-built Tracker and a fresh dispatcher: exact events and messages."""

from __future__ import annotations

from typing import Any

import pytest
from rasa_sdk import Tracker
from rasa_sdk.events import FollowupAction
from rasa_sdk.executor import CollectingDispatcher

from actions import conversation
from actions.conversation import ActionFallback, ActionGreet, ActionRepeat, ActionResolveReply

MENU = [{"title": "APA", "payload": "/ask_apa"}, {"title": "EHPAD", "payload": "/ask_nursing_home"}]


def tracker(events: list[dict[str, Any]], slots: dict[str, Any] | None = None) -> Tracker:
    latest = next((e for e in reversed(events) if e["event"] == "user"), {})
    parse = latest.get("parse_data", {})
    return Tracker(
        sender_id="+33612345678",
        slots=slots or {},
        latest_message={"text": latest.get("text"), **parse},
        events=events,
        paused=False,
        followup_action=None,
        active_loop={},
        latest_action_name=None,
    )


def user(text: str, intent: str, **parse: Any) -> dict[str, Any]:
    return {"event": "user", "text": text, "input_channel": "rest",
            "parse_data": {"intent": {"name": intent}, "entities": [], **parse}}  # fmt: skip


async def test_greet_first_time_shows_notice_and_records_it(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    recorded: list[tuple[str, str | None]] = []

    async def remember(conversation_id: str, channel: str | None) -> None:
        recorded.append((conversation_id, channel))

    monkeypatch.setattr(conversation, "remember_notice_shown", remember)
    dispatcher = CollectingDispatcher()
    events = await ActionGreet().run(dispatcher, tracker([user("bonjour", "greet")]), {})
    assert [m["response"] for m in dispatcher.messages] == [
        "utter_welcome_first_time", "utter_privacy_notice", "utter_main_menu"
    ]  # fmt: skip
    assert events == [
        {"event": "slot", "timestamp": None, "name": "privacy_notice_shown", "value": True}
    ]
    assert recorded == [("+33612345678", "rest")]


async def test_greet_again_skips_the_notice() -> None:
    dispatcher = CollectingDispatcher()
    t = tracker([user("bonjour", "greet")], {"privacy_notice_shown": True})
    assert await ActionGreet().run(dispatcher, t, {}) == []
    assert [m["response"] for m in dispatcher.messages] == ["utter_welcome_back", "utter_main_menu"]


async def test_repeat_replays_text_and_buttons() -> None:
    events = [user("bonjour", "greet"), {"event": "bot", "text": "Menu", "data": {"buttons": MENU}},
              user("répétez", "repeat")]  # fmt: skip
    dispatcher = CollectingDispatcher()
    await ActionRepeat().run(dispatcher, tracker(events), {})
    assert [(m["text"], m["buttons"]) for m in dispatcher.messages] == [("Menu", MENU)]


async def test_fallback_first_offers_choices_then_a_person() -> None:
    ranking = [{"name": "nlu_fallback", "confidence": 0.45}, {"name": "ask_apa", "confidence": 0.4}]
    first = [user("blorp", "nlu_fallback", intent_ranking=ranking)]
    dispatcher = CollectingDispatcher()
    await ActionFallback().run(dispatcher, tracker(first), {})
    assert dispatcher.messages[0]["response"] == "utter_fallback_rephrase"
    assert [b["payload"] for b in dispatcher.messages[0]["buttons"]] == [
        "/ask_apa",
        "/help",
        "/request_human",
    ]

    second = [*first, {"event": "action", "name": "action_fallback"}, user("zzz", "nlu_fallback")]
    dispatcher = CollectingDispatcher()
    events = await ActionFallback().run(dispatcher, tracker(second), {})
    assert [m["response"] for m in dispatcher.messages] == ["utter_fallback_human"]
    assert events == [FollowupAction("action_handoff")]  # a person of the team takes over


async def test_number_is_replayed_as_the_chosen_intent_keeping_the_text() -> None:
    events = [user("bonjour", "greet"), {"event": "bot", "text": "Menu", "data": {"buttons": MENU}},
              user("le deux", "inform")]  # fmt: skip
    dispatcher = CollectingDispatcher()
    result = await ActionResolveReply().run(dispatcher, tracker(events), {})
    assert [e["event"] for e in result] == ["rewind", "action", "user"]
    assert result[1]["name"] == "action_listen"
    assert result[2]["text"] == "le deux"
    assert result[2]["parse_data"]["intent"] == {"name": "ask_nursing_home", "confidence": 1.0}
    assert dispatcher.messages == []


@pytest.mark.parametrize(
    ("text", "intent", "entities", "responses"),
    [
        (
            "4",
            "inform",
            [{"entity": "choice", "value": "4"}],
            ["utter_choice_unknown", "utter_main_menu"],
        ),
        (
            "82 ans",
            "inform",
            [{"entity": "age", "value": "82 ans"}],
            ["utter_noted", "utter_main_menu"],
        ),
        ("oui", "affirm", [], ["utter_affirm_no_question", "utter_main_menu"]),
        ("non", "deny", [], ["utter_deny_no_question"]),
    ],
)
async def test_replies_without_a_matching_choice(
    text: str, intent: str, entities: list[dict[str, Any]], responses: list[str]
) -> None:
    events = [user("bonjour", "greet"), {"event": "bot", "text": "Menu", "data": {"buttons": MENU}},
              user(text, intent, entities=entities)]  # fmt: skip
    dispatcher = CollectingDispatcher()
    assert await ActionResolveReply().run(dispatcher, tracker(events), {}) == []
    assert [m["response"] for m in dispatcher.messages] == responses


async def test_greeting_back_offers_to_resume_a_journey() -> None:
    dispatcher = CollectingDispatcher()
    slots = {"privacy_notice_shown": True, "journey": "apa_domicile", "journey_step": 2}
    events = await ActionGreet().run(dispatcher, tracker([user("bonjour", "greet")], slots), {})
    assert "à l'étape 3 sur" in dispatcher.messages[1]["text"]
    assert events == [
        {"event": "slot", "timestamp": None, "name": "journey_resume_pending", "value": True}
    ]


async def test_a_yes_button_is_not_replayed_as_yes_again() -> None:
    yes_no = [{"title": "Oui", "payload": "/affirm"}, {"title": "Non", "payload": "/deny"}]
    events = [user("x", "greet"), {"event": "bot", "text": "?", "data": {"buttons": yes_no}},
              user("oui", "affirm")]  # fmt: skip
    dispatcher = CollectingDispatcher()
    assert await ActionResolveReply().run(dispatcher, tracker(events), {}) == []
