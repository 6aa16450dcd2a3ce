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

from actions.common import journeys, send, speaker_of
from seniorplus.dialogue import speaker as who
from seniorplus.dialogue import triage_questions as triage
from seniorplus.dialogue.speaker import Speaker
from seniorplus.dialogue.triage import parse_age, parse_postcode
from seniorplus.journeys.walkthrough import Reply

Domain = dict[str, Any]
CHOICE_ENTITIES = ("for_whom", "home", "need", "skip")


def ask_next(
    dispatcher: CollectingDispatcher,
    tracker: Tracker,
    answers: dict[str, Any],
    speaker: Speaker | None = None,
) -> list[EventType]:
    """The next question, or the plan once every question has an answer."""
    stage = triage.next_stage(answers)
    speaker = speaker or speaker_of(tracker)
    if stage is None:
        send(dispatcher, triage.plan(answers, journeys()))
    else:
        for_self = answers.get("for_whom") == who.SELF
        send(dispatcher, triage.question(stage, for_self, speaker.relative))
    return [SlotSet("triage", answers), SlotSet("triage_stage", stage)]


def remember(speaker: Speaker) -> list[EventType]:
    return [
        SlotSet("for_whom", speaker.for_whom),
        SlotSet("relationship", speaker.relationship),
        SlotSet("speaker_asked", True),
    ]


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
        speaker = speaker_of(tracker)
        named = next(tracker.get_latest_entity_values("relationship"), None)
        if not chosen:
            corrected = correct_speaker(dispatcher, tracker)
            if corrected is not None:
                return corrected
        if not chosen and named:  # "ma mère ne s'en sort plus": the questions are about her
            changed = Speaker(who.RELATIVE, str(named))
            dispatcher.utter_message(response="utter_autonomy_loss")
            fresh: dict[str, Any] = {"for_whom": who.RELATIVE}
            return [*remember(changed), *ask_next(dispatcher, tracker, fresh, changed)]
        if not chosen:
            dispatcher.utter_message(response="utter_autonomy_loss")
            fresh = {"for_whom": speaker.for_whom} if speaker.known else {}
            return ask_next(dispatcher, tracker, fresh)
        answers = dict(tracker.get_slot("triage") or {})
        if "skip" in chosen:
            answers[str(chosen.pop("skip"))] = triage.SKIPPED
        answers.update(chosen)
        events: list[EventType] = []
        if chosen.get("for_whom") in (who.SELF, who.RELATIVE):
            speaker = Speaker.from_slots(chosen["for_whom"], tracker.get_slot("relationship"))
            events = remember(speaker)
        return [*events, *ask_next(dispatcher, tracker, answers, speaker)]


def correct_speaker(dispatcher: CollectingDispatcher, tracker: Tracker) -> list[EventType] | None:
    """ "Non, c'est pour ma mère" during the questions: the same questions, for her.

    None when no triage is under way or the message names nobody; whatever intent
    the model saw ("pardon" reads like a request to repeat), a named person wins.
    """
    if not tracker.get_slot("triage_stage"):
        return None
    text = str(tracker.latest_message.get("text") or "")
    changed = who.from_reply(text, tracker.latest_message.get("entities") or [])
    if changed is None:
        return None
    answers = {**(tracker.get_slot("triage") or {}), "for_whom": changed.for_whom}
    send(dispatcher, [Reply(who.acknowledgement(changed))])
    return [*remember(changed), *ask_next(dispatcher, tracker, answers, changed)]


def answer_triage(dispatcher: CollectingDispatcher, tracker: Tracker) -> list[EventType]:
    """A typed age or postcode: next question, or the same one again, kindly."""
    stage = tracker.get_slot("triage_stage")
    text = str(tracker.latest_message.get("text") or "")
    value = parse_age(text) if stage == "age" else parse_postcode(text)
    answers = dict(tracker.get_slot("triage") or {})
    changed = who.from_reply(text, tracker.latest_message.get("entities") or [])
    if value is None and changed is None:
        send(dispatcher, triage.not_understood(str(stage)))
        return []
    events: list[EventType] = []
    if changed is not None:  # "c'est pour mon père, en fait": the questions follow
        answers["for_whom"] = changed.for_whom
        events = remember(changed)
        if value is None:
            send(dispatcher, [Reply(who.acknowledgement(changed))])
    if value is not None:
        answers[str(stage)] = value
    return [*events, *ask_next(dispatcher, tracker, answers, changed)]


def previous_question(dispatcher: CollectingDispatcher, tracker: Tracker) -> list[EventType]:
    """ "Je me suis trompé", "revenir en arrière": the question before, asked again."""
    answers = dict(tracker.get_slot("triage") or {})
    stage = tracker.get_slot("triage_stage")
    asked = triage.STAGES[: triage.STAGES.index(stage)] if stage in triage.STAGES else ()
    before = [s for s in asked if s in answers]
    if not before:
        send(dispatcher, [Reply("C'est la première question.")])
        return ask_next(dispatcher, tracker, answers)
    answers.pop(before[-1])
    return ask_next(dispatcher, tracker, answers)
