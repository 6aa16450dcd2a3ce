"""Where the person is in the journeys: the step kept, the journey their words name.

Read by the journey, case, triage, estimate and conversation actions alike; it leans
only on `actions.common` and `actions.facts`, so that those feature modules never
need one another to know where the conversation stands.
"""

from __future__ import annotations

from rasa_sdk import Tracker
from rasa_sdk.events import EventType, SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions.common import current, journeys, latest_text, send, speaker_of
from actions.facts import known
from policies.questions import normalise
from seniorplus.dialogue import asks, definitions, triage_questions
from seniorplus.dialogue.speaker import Speaker
from seniorplus.journeys import Journey
from seniorplus.journeys import walkthrough as walk


def saved_steps(tracker: Tracker) -> dict[str, int]:
    """The step last shown in each journey the person has walked (kept across sessions)."""
    saved = tracker.get_slot("journey_progress")
    if not isinstance(saved, dict):
        return {}
    return {str(k): v for k, v in saved.items() if isinstance(v, int) and str(k) in journeys()}


def progress(
    tracker: Tracker, journey: Journey, index: int, resume_pending: bool = False
) -> list[EventType]:
    """Keep where the person is, in this journey and in the list of journeys walked."""
    steps = saved_steps(tracker)
    if index >= 0 or journey.id not in steps:
        steps[journey.id] = index
    return [
        SlotSet("journey", journey.id),
        SlotSet("journey_step", index),
        SlotSet("journey_resume_pending", resume_pending),
        SlotSet("journey_progress", steps),
    ]


def start_steps(
    dispatcher: CollectingDispatcher,
    tracker: Tracker,
    journey: Journey,
    speaker: Speaker | None = None,
) -> list[EventType]:
    """ "Comment on fait la demande ?", "quelles étapes ?": step 1 of `journey` (who may ask
    first), or the step where the person stopped; for `speaker` when this very message told
    who the help is for (the slots are not set yet), else the conversation's."""
    saved = saved_steps(tracker).get(journey.id, walk.NOT_STARTED)
    relative = (speaker or speaker_of(tracker)).relative
    if saved == walk.NOT_STARTED:
        send(dispatcher, walk.eligibility(journey))
    send(dispatcher, walk.step(journey, max(saved, 0), relative))
    return progress(tracker, journey, max(saved, 0))


def asked_definition(tracker: Tracker) -> tuple[str, str] | None:
    """(acronym, meaning) when the message asks what a word means."""
    journey, _ = current(tracker)
    words = definitions.glossary(journeys().values(), first=journey)
    acronym = definitions.asked_acronym(latest_text(tracker), words)
    return (acronym, words[acronym]) if acronym else None


def way_back(tracker: Tracker, leaving_for: Journey | None) -> list[walk.Button]:
    """A button back to the step of the journey in progress, when the talk moves elsewhere."""
    journey, index = current(tracker)
    if journey is None or index < 0 or (leaving_for and leaving_for.id == journey.id):
        return []
    return [
        {
            "title": f"Reprendre : {journey.title}",
            "payload": walk.resume_button(journey, index)["payload"],
        }
    ]


def journey_named(text: str, tracker: Tracker) -> Journey | None:
    """The journey the message names by its words (the APA in an EHPAD when the person
    lives in one), or None."""
    topic = asks.named_topic(text)
    candidates = walk.journeys_for_intent(journeys(), topic) if topic else []
    return _for_residence(candidates, text, tracker)


def journey_advised(tracker: Tracker) -> Journey | None:
    """The journey the triage's plan advised first, once its questions are answered and no
    journey was chosen since ("combien on paierait alors ?" right after the plan)."""
    if tracker.get_slot("triage_stage"):
        return None
    first = triage_questions.first_advised(dict(tracker.get_slot("triage") or {}))
    return journeys().get(first) if first else None


TOPIC_READ_AT_LEAST = 0.3  # a topic the NLU read this surely, next to the request itself


def journey_read(tracker: Tracker) -> Journey | None:
    """The journey of the topic the NLU read next to the request, when no word names it:
    "on voudrait la carte pour se garer, comment on fait la demande" is read as
    start_application, then ask_mobility_card."""
    text = latest_text(tracker)
    for entry in tracker.latest_message.get("intent_ranking") or []:
        if float(entry.get("confidence") or 0.0) < TOPIC_READ_AT_LEAST:
            break
        candidates = walk.journeys_for_intent(journeys(), str(entry.get("name") or ""))
        if candidates:
            return _for_residence(candidates, text, tracker)
    return None


def _for_residence(candidates: list[Journey], text: str, tracker: Tracker) -> Journey | None:
    if not candidates:
        return None
    if known(tracker).facts.residence == "etablissement" or "ehpad" in normalise(text):
        return next((j for j in candidates if j.id == "apa_etablissement"), candidates[0])
    return candidates[0]
