"""Triage actions with a hand-built Tracker."""

from __future__ import annotations

from typing import Any

from rasa_sdk import Tracker
from rasa_sdk.executor import CollectingDispatcher

from actions.conversation import ActionResolveReply
from actions.triage import ActionTriage
from tests.unit.trackers import answers_of, message_tracker, slots_of


def tracker(
    intent: str, text: str, slots: dict[str, Any], entities: list[dict[str, Any]]
) -> Tracker:
    return message_tracker(intent, slots, entities, text)


async def test_a_daughter_describing_her_mother_is_asked_the_age_first() -> None:
    dispatcher = CollectingDispatcher()
    t = tracker("report_autonomy_loss", "ma mère ne s'en sort plus", {"relationship": "mère"}, [])
    events = await ActionTriage().run(dispatcher, t, {})
    assert answers_of(slots_of(events)["triage"]) == {"for_whom": "relative"}
    assert slots_of(events)["triage_stage"] == "age"
    assert dispatcher.messages[0]["response"] == "utter_autonomy_loss"
    assert dispatcher.messages[1]["text"] == "Quel âge a votre mère ?"


async def test_an_impossible_age_is_asked_again_then_accepted() -> None:
    waiting = {"relationship": "mère", "triage": {"for_whom": "relative"}, "triage_stage": "age"}
    dispatcher = CollectingDispatcher()
    events = await ActionResolveReply().run(
        dispatcher, tracker("inform", "150 ans", waiting, []), {}
    )
    assert events == [] and "150 ans, cela ne semble pas possible" in dispatcher.messages[0]["text"]
    dispatcher = CollectingDispatcher()
    events = await ActionResolveReply().run(
        dispatcher, tracker("inform", "87 ans", waiting, []), {}
    )
    assert answers_of(slots_of(events)["triage"]) == {"for_whom": "relative", "age": 87}
    assert dispatcher.messages[0]["text"] == "Où vit votre mère ?"


async def test_buttons_and_skips_fill_the_answers() -> None:
    answers = {"for_whom": "relative", "age": 87}
    dispatcher = CollectingDispatcher()
    home = [{"entity": "home", "value": "at_home"}]
    t = tracker("report_autonomy_loss", "1", {"triage": answers, "triage_stage": "home"}, home)
    events = await ActionTriage().run(dispatcher, t, {})
    assert slots_of(events)["triage_stage"] == "need"
    dispatcher = CollectingDispatcher()
    answers = {**answers, "home": "at_home", "need": "daily_care"}
    skip = [{"entity": "skip", "value": "postcode"}]
    t = tracker("report_autonomy_loss", "3", {"triage": answers, "triage_stage": "postcode"}, skip)
    events = await ActionTriage().run(dispatcher, t, {})
    assert slots_of(events)["triage_stage"] is None
    assert "L'APA à domicile" in dispatcher.messages[-1]["text"]
