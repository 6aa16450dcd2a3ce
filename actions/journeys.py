"""Actions of the step-by-step journeys: offer, next, previous, papers, amounts.

Progress lives in two slots kept with the conversation (carried over sessions):
`journey` (id) and `journey_step` (index of the step last shown, -1 before).
"""

from __future__ import annotations

from abc import ABCMeta, abstractmethod
from decimal import Decimal
from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.events import EventType, SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions.cases import tick_papers
from actions.common import current, journeys, near_line, send, speaker_of
from actions.triage import previous_question
from seniorplus.clock import conversation_day
from seniorplus.dialogue import apa_estimate as estimate
from seniorplus.dialogue import definitions, ehpad_estimate
from seniorplus.dialogue import speaker as who
from seniorplus.dialogue.amounts import parse_monthly_amount
from seniorplus.dialogue.speaker import Speaker
from seniorplus.journeys import Journey
from seniorplus.journeys import walkthrough as walk

Domain = dict[str, Any]
ESTIMATED_JOURNEY = "apa_domicile"  # the APA estimate exists for the APA at home only
EHPAD_JOURNEY = "ehpad"  # and the cost estimate for a place in an EHPAD


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


def asked_definition(tracker: Tracker) -> tuple[str, str] | None:
    """(acronym, meaning) when the message asks what a word means."""
    journey, _ = current(tracker)
    words = definitions.glossary(journeys().values(), first=journey)
    acronym = definitions.asked_acronym(str(tracker.latest_message.get("text") or ""), words)
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


class ActionOfferJourney(Action):
    """A question about an aid: what it is, then the steps, papers and amounts on offer.

    The first time, it also asks who the help is for, to word what follows.
    A word asked about on the way ("c'est quoi le GIR ?") is explained instead.
    """

    def name(self) -> str:
        return "action_offer_journey"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: Domain
    ) -> list[EventType]:
        in_progress, index = current(tracker)
        word = asked_definition(tracker)
        if word and in_progress is not None and index >= 0:
            send(dispatcher, walk.definition(in_progress, index, *word))
            return []
        intent = (tracker.latest_message.get("intent") or {}).get("name") or ""
        candidates = walk.journeys_for_intent(journeys(), intent)
        asked = next(tracker.get_latest_entity_values("journey"), None)
        chosen = journeys().get(str(asked)) if asked else None
        if chosen is None or chosen.intent != intent:
            if not candidates:
                dispatcher.utter_message(response="utter_main_menu")
                return []
            chosen = candidates[0]
        if word and word[0] not in chosen.overview:
            send(dispatcher, [walk.Reply(f"{word[0]} : {word[1]}.")])
        others = [j for j in candidates if j.id != chosen.id]
        speaker = speaker_of(tracker)
        saved = saved_steps(tracker).get(chosen.id, walk.NOT_STARTED)
        replies = walk.overview(chosen, others, speaker.relative, saved)
        back = way_back(tracker, leaving_for=chosen)
        events = [*progress(tracker, chosen, saved, resume_pending=saved >= 0),
                  SlotSet("triage_stage", None), SlotSet("estimate_stage", None)]  # fmt: skip
        if not speaker.known and not tracker.get_slot("speaker_asked"):
            send(dispatcher, replies[:-1])
            send(dispatcher, [who.question()])
            return [*events, SlotSet("speaker_asked", True)]
        menu = replies[-1]
        send(
            dispatcher,
            [*replies[:-1], walk.Reply(menu.text, (*menu.buttons[:-1], *back, walk.MENU))],
        )
        return events


class ActionSetSpeaker(Action):
    """The answer to "c'est pour vous-même ou pour un proche ?": kept, then on with the journey."""

    def name(self) -> str:
        return "action_set_speaker"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: Domain
    ) -> list[EventType]:
        given = {
            e.get("entity"): e.get("value") for e in tracker.latest_message.get("entities") or []
        }
        speaker = Speaker.from_slots(given.get("for_whom"), given.get("relationship"))
        if not speaker.known:
            speaker = Speaker(who.RELATIVE)
        events: list[EventType] = [
            SlotSet("for_whom", speaker.for_whom),
            SlotSet("relationship", speaker.relationship),
            SlotSet("speaker_asked", True),
        ]
        journey, index = current(tracker)
        if journey is None:
            send(dispatcher, [walk.Reply(who.acknowledgement(speaker))])
            dispatcher.utter_message(response="utter_main_menu")
            return events
        others = [j for j in walk.journeys_for_intent(journeys(), journey.intent) if j != journey]
        menu = walk.overview(journey, others, speaker.relative, index)[-1]
        send(dispatcher, [walk.Reply(who.acknowledgement(speaker)), menu])
        return events


class JourneyAction(Action, metaclass=ABCMeta):
    """Acts on the journey in progress; without one, gives `without_journey` responses."""

    without_journey: tuple[str, ...] = ("utter_no_current_step", "utter_main_menu")

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: Domain
    ) -> list[EventType]:
        journey, index = current(tracker)
        if journey is None:
            for response in self.without_journey:
                dispatcher.utter_message(response=response)
            return []
        return self.act(dispatcher, tracker, journey, index)

    @abstractmethod
    def act(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, journey: Journey, index: int
    ) -> list[EventType]:
        """What to say and which progress to keep, for the journey in progress."""


class ActionJourneyNext(JourneyAction):
    """The next step; or the step where the person stopped, after a resume offer or a
    "Reprendre" button (whose payload names the journey)."""

    def name(self) -> str:
        return "action_journey_next"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: Domain
    ) -> list[EventType]:
        named = journeys().get(str(next(tracker.get_latest_entity_values("journey"), "")))
        if named is None:
            return await super().run(dispatcher, tracker, domain)
        saved = saved_steps(tracker).get(named.id, walk.NOT_STARTED)
        index = max(saved, 0)
        relative = speaker_of(tracker).relative
        if saved == walk.NOT_STARTED:
            send(dispatcher, walk.eligibility(named, relative))
        send(dispatcher, walk.step(named, index, relative))
        return progress(tracker, named, index)

    def act(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, journey: Journey, index: int
    ) -> list[EventType]:
        relative = speaker_of(tracker).relative
        if tracker.get_slot("journey_resume_pending") and index >= 0:
            send(dispatcher, walk.step(journey, index, relative))
            return progress(tracker, journey, index)
        if index + 1 >= len(journey.steps):
            send(dispatcher, walk.after_last_step(journey, relative, near_line(tracker)))
            return progress(tracker, journey, index)
        if index == walk.NOT_STARTED:  # who it is for, before the first step
            send(dispatcher, walk.eligibility(journey, relative))
        send(dispatcher, walk.step(journey, index + 1, relative))
        return progress(tracker, journey, index + 1)


class ActionJourneyPrevious(JourneyAction):
    """The step before the one last shown (in the triage: the question before)."""

    def name(self) -> str:
        return "action_journey_previous"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: Domain
    ) -> list[EventType]:
        if tracker.get_slot("triage_stage"):
            return previous_question(dispatcher, tracker)
        return await super().run(dispatcher, tracker, domain)

    def act(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, journey: Journey, index: int
    ) -> list[EventType]:
        relative = speaker_of(tracker).relative
        if index <= 0:
            send(dispatcher, walk.before_first_step(journey, relative))
            return progress(tracker, journey, 0)
        send(dispatcher, walk.step(journey, index - 1, relative))
        return progress(tracker, journey, index - 1)


class ActionJourneyDocuments(JourneyAction):
    """The papers of the current step, of the whole journey, or the usual ones."""

    without_journey = ("utter_documents",)

    def name(self) -> str:
        return "action_journey_documents"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: Domain
    ) -> list[EventType]:
        if await tick_papers(dispatcher, tracker):  # "j'ai l'avis d'imposition"
            return []
        return await super().run(dispatcher, tracker, domain)

    def act(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, journey: Journey, index: int
    ) -> list[EventType]:
        send(dispatcher, walk.documents(journey, index))
        return []


class ActionJourneyCost(JourneyAction):
    """The amounts of the journey in progress; for the APA at home, an estimate."""

    without_journey = ("utter_cost", "utter_main_menu")

    def name(self) -> str:
        return "action_journey_cost"

    def act(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, journey: Journey, index: int
    ) -> list[EventType]:
        if journey.id == EHPAD_JOURNEY:
            ehpad_events = continue_ehpad_estimate(dispatcher, tracker)
            if ehpad_events is not None:
                return ehpad_events
        if journey.id == ESTIMATED_JOURNEY:
            estimate_events = continue_estimate(dispatcher, tracker)
            if estimate_events is not None:
                return estimate_events
        send(dispatcher, walk.amounts(journey, index))
        start = {
            ESTIMATED_JOURNEY: estimate.START_PAYLOAD,
            EHPAD_JOURNEY: ehpad_estimate.START_PAYLOAD,
        }
        if journey.id in start:
            offer = {"title": "Faire une estimation", "payload": start[journey.id]}
            whom = speaker_of(tracker).relative or "votre cas"
            send(dispatcher, [walk.Reply(f"Voulez-vous une estimation pour {whom} ?",
                                         (offer, walk.MENU))])  # fmt: skip
        return []


def continue_ehpad_estimate(
    dispatcher: CollectingDispatcher, tracker: Tracker
) -> list[EventType] | None:
    """The next move of the EHPAD cost estimate, or None when it is not under way."""
    if next(tracker.get_latest_entity_values("estimate"), None) == ehpad_estimate.KIND:
        send(dispatcher, ehpad_estimate.income_question(speaker_of(tracker)))
        return [SlotSet("estimate_stage", ehpad_estimate.STAGE)]
    if tracker.get_slot("estimate_stage") != ehpad_estimate.STAGE:
        return None
    if next(tracker.get_latest_entity_values("income"), None) == "inconnu":
        income = None
    else:
        income = read_income(tracker)
        if income is None:
            send(dispatcher, ehpad_estimate.income_not_understood())
            return []
    send(dispatcher, ehpad_estimate.result(income, conversation_day()))
    return [SlotSet("estimate_stage", None)]


def read_income(tracker: Tracker) -> Decimal | None:
    """A monthly income from the message's amount entities or its text."""
    text = str(tracker.latest_message.get("text") or "")
    amounts = [str(v) for v in tracker.get_latest_entity_values("amount")]
    return next(
        (a for a in (parse_monthly_amount(t) for t in [*amounts, text]) if a is not None), None
    )


def continue_estimate(dispatcher: CollectingDispatcher, tracker: Tracker) -> list[EventType] | None:
    """The next move of the APA estimate exchange, or None when it is not under way."""
    band = next(tracker.get_latest_entity_values("gir_band"), None)
    if band in estimate.BANDS:
        send(dispatcher, estimate.income_question(speaker_of(tracker)))
        return [SlotSet("gir_band", band), SlotSet("estimate_stage", "income")]
    if next(tracker.get_latest_entity_values("income"), None) == "inconnu":
        return give_estimate(dispatcher, tracker, None)
    if next(tracker.get_latest_entity_values("estimate"), None) == "apa":
        send(dispatcher, estimate.gir_question(speaker_of(tracker)))
        return [SlotSet("estimate_stage", "gir")]
    if tracker.get_slot("estimate_stage") == "income":
        return answer_income(dispatcher, tracker)
    return None


def answer_income(dispatcher: CollectingDispatcher, tracker: Tracker) -> list[EventType]:
    """The person gave (or tried to give) an income: the estimate, or the question again."""
    income = read_income(tracker)
    if income is None:
        send(dispatcher, estimate.income_not_understood())
        return []
    return give_estimate(dispatcher, tracker, income)


def give_estimate(
    dispatcher: CollectingDispatcher, tracker: Tracker, income: Decimal | None
) -> list[EventType]:
    band = str(tracker.get_slot("gir_band") or "1-4")
    today = conversation_day()
    send(dispatcher, estimate.result(band, income, estimate.estimate_year(today), today))
    return [SlotSet("estimate_stage", None)]
