"""Triage action: a described situation leads, in a few questions, to a plan.

Answers are kept in the `triage` slot (a dict) and the question waiting for a
typed answer in `triage_stage` ("age" or "postcode"); choice answers come back
as entities of `report_autonomy_loss` from the buttons.
"""

from __future__ import annotations

from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.events import EventType, SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions.journeys import RELATIVES, journeys, send
from seniorplus.dialogue import triage_questions as triage
from seniorplus.triage import parse_age, parse_postcode

Domain = dict[str, Any]
CHOICE_ENTITIES = ("for_whom", "home", "need", "skip")


def relative_of(tracker: Tracker) -> str | None:
    relative = tracker.get_slot("relationship")
    return relative if relative in RELATIVES else None


def ask_next(
    dispatcher: CollectingDispatcher, tracker: Tracker, answers: dict[str, Any]
) -> list[EventType]:
    stage = triage.next_stage(answers)
    if stage is None:
        send(dispatcher, triage.plan(answers, journeys()))
    else:
        for_self = answers.get("for_whom") == "self"
        send(dispatcher, triage.question(stage, for_self, relative_of(tracker)))
    return [SlotSet("triage", answers), SlotSet("triage_stage", stage)]


class ActionTriage(Action):
    """A new situation starts the questions; a choice button answers the current one."""

    def name(self) -> str:
        return "action_triage"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: Domain
    ) -> list[EventType]:
        chosen = {
            e["entity"]: e["value"]
            for e in tracker.latest_message.get("entities") or []
            if e.get("entity") in CHOICE_ENTITIES
        }
        if not chosen:
            dispatcher.utter_message(response="utter_autonomy_loss")
            answers: dict[str, Any] = {"for_whom": "relative"} if relative_of(tracker) else {}
            return ask_next(dispatcher, tracker, answers)
        answers = dict(tracker.get_slot("triage") or {})
        if "skip" in chosen:
            answers[str(chosen.pop("skip"))] = triage.SKIPPED
        answers.update(chosen)
        return ask_next(dispatcher, tracker, answers)


def answer_triage(dispatcher: CollectingDispatcher, tracker: Tracker) -> list[EventType]:
    """A typed age or postcode: next question, or the same one again, kindly."""
    stage = tracker.get_slot("triage_stage")
    text = str(tracker.latest_message.get("text") or "")
    value = parse_age(text) if stage == "age" else parse_postcode(text)
    if value is None:
        send(dispatcher, triage.not_understood(str(stage)))
        return []
    answers = dict(tracker.get_slot("triage") or {})
    answers[str(stage)] = value
    return ask_next(dispatcher, tracker, answers)
