"""Turns are read from Rasa events the way Rasa's tracker applies them."""

from __future__ import annotations

from typing import Any

from seniorplus.dialogue.labels import clarification_buttons
from seniorplus.dialogue.turns import (
    effective_events,
    fallback_streak,
    has_words,
    last_bot_turn,
    pending_buttons,
    pending_message,
    replayable,
)


def user(text: str, intent: str) -> dict[str, Any]:
    return {"event": "user", "text": text, "parse_data": {"intent": {"name": intent}}}


def action(name: str) -> dict[str, Any]:
    return {"event": "action", "name": name}


def bot(text: str, **data: Any) -> dict[str, Any]:
    return {"event": "bot", "text": text, "data": data}


MENU = [{"title": "APA", "payload": "/ask_apa"}]


def test_repeat_finds_the_previous_answer_not_the_repeat_itself() -> None:
    events = [
        action("action_listen"), user("c'est quoi l'apa", "ask_apa"),
        action("utter_apa"), bot("L'APA est…"),
        action("utter_apa_how"), bot("La demande…", buttons=MENU),
        action("action_listen"), user("répétez", "repeat"), action("action_repeat"),
        bot("L'APA est…"), bot("La demande…", buttons=MENU),
        action("action_listen"), user("encore", "repeat"),
    ]  # fmt: skip
    assert [m["text"] for m in last_bot_turn(events)] == ["L'APA est…", "La demande…"]
    assert replayable(last_bot_turn(events)[1]) == {"text": "La demande…", "buttons": MENU}


def test_nothing_to_repeat_at_the_start() -> None:
    assert last_bot_turn([action("action_listen"), user("répétez", "repeat")]) == []


def test_pending_buttons_are_those_of_the_last_answer_only() -> None:
    events = [
        user("bonjour", "greet"), bot("Menu", buttons=MENU),
        action("action_listen"), user("2", "inform"),
    ]  # fmt: skip
    assert pending_buttons(events) == MENU
    later = [*events, bot("Réponse sans choix"), action("action_listen"), user("3", "inform")]
    assert pending_buttons(later) == []


def test_the_pending_message_is_the_last_one_with_choices_of_the_last_answer() -> None:
    question = bot("C'est pour vous ou pour un proche ?", buttons=MENU)
    events = [user("l'apa", "ask_apa"), bot("L'APA paie…"), question, bot("Autre chose."),
              action("action_listen"), user("et le délai ?", "ask_apa")]  # fmt: skip
    assert pending_message(events) == question
    assert pending_message([user("bonjour", "greet")]) is None


def test_rewind_removes_the_replayed_message() -> None:
    events = [user("2", "inform"), action("action_resolve_reply"), {"event": "rewind"},
              action("action_listen"), user("2", "ask_nursing_home")]  # fmt: skip
    assert [e["event"] for e in effective_events(events)] == ["action", "user"]


def test_restart_forgets_everything_before() -> None:
    events = [user("a", "greet"), bot("b"), {"event": "restart"}, user("c", "help")]
    assert effective_events(events) == [user("c", "help")]


def test_fallback_streak_counts_consecutive_misunderstandings() -> None:
    events = [
        user("bonjour", "greet"), action("action_greet"),
        user("blorp", "nlu_fallback"), action("action_fallback"),
        user("zzz", "nlu_fallback"),
    ]  # fmt: skip
    assert fallback_streak(events) == 1
    understood = [*events, action("action_fallback"), user("aide", "help"), action("utter_help"),
                  user("xx", "nlu_fallback")]  # fmt: skip
    assert fallback_streak(understood) == 0


def test_clarification_offers_likely_topics_then_menu_and_person() -> None:
    ranking = [
        {"name": "nlu_fallback", "confidence": 0.45},
        {"name": "ask_apa", "confidence": 0.3},
        {"name": "greet", "confidence": 0.2},
        {"name": "ask_cost", "confidence": 0.2},
        {"name": "ask_nursing_home", "confidence": 0.09},
    ]
    titles = [b["title"] for b in clarification_buttons(ranking)]
    assert titles == [
        "L'aide à l'autonomie (APA)",
        "Les montants",
        "Le menu",
        "Parler à une personne",
    ]
    assert [b["title"] for b in clarification_buttons([])] == ["Le menu", "Parler à une personne"]


def test_a_message_without_words_is_no_misunderstanding() -> None:
    def fallback_turn(text: str) -> list[dict[str, object]]:
        return [
            {"event": "user", "text": text, "parse_data": {"intent": {"name": "nlu_fallback"}}},
            {"event": "action", "name": "action_fallback"},
            {"event": "bot", "text": "Pardon, je n'ai pas bien compris."},
            {"event": "action", "name": "action_listen"},
        ]

    now = [{"event": "user", "text": "?", "parse_data": {}}]
    assert fallback_streak([*fallback_turn(""), *fallback_turn("😀"), *now]) == 0
    assert fallback_streak([*fallback_turn("le truc"), *fallback_turn("😀 "), *now]) == 1
    assert not has_words("😀 !") and has_words("2") and has_words("é")
