"""Actions of the step-by-step journeys: offer, next, previous, papers, amounts.

Progress lives in two slots kept with the conversation (carried over sessions):
`journey` (id) and `journey_step` (index of the step last shown, -1 before).
"""

from __future__ import annotations

from abc import ABCMeta, abstractmethod
from decimal import Decimal
from functools import lru_cache
from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.events import EventType, SlotSet
from rasa_sdk.executor import CollectingDispatcher

from seniorplus.dialogue import apa_estimate as estimate
from seniorplus.dialogue.amounts import parse_monthly_amount
from seniorplus.journeys import Journey, load_all
from seniorplus.journeys import walkthrough as walk

Domain = dict[str, Any]
# The relationship entity's values (data/nlu/_lookups.yml) that read well after "votre".
RELATIVES = {"mère", "père", "mari", "épouse", "fils", "fille", "frère", "sœur", "grand-mère",
             "grand-père", "beau-père", "belle-mère", "oncle", "tante", "conjoint"}  # fmt: skip
ESTIMATED_JOURNEY = "apa_domicile"  # the APA estimate exists for the APA at home only


@lru_cache(maxsize=1)
def journeys() -> dict[str, Journey]:
    """All journeys, read and validated once per process."""
    return load_all()


def send(dispatcher: CollectingDispatcher, replies: list[walk.Reply]) -> None:
    for reply in replies:
        dispatcher.utter_message(text=reply.text, buttons=list(reply.buttons))


def current(tracker: Tracker) -> tuple[Journey | None, int]:
    """The journey in progress and the index of the step last shown."""
    journey = journeys().get(str(tracker.get_slot("journey") or ""))
    if journey is None:
        return None, walk.NOT_STARTED
    try:
        index = int(tracker.get_slot("journey_step"))
    except (TypeError, ValueError):
        index = walk.NOT_STARTED
    return journey, walk.clamp(journey, index)


def progress(journey: Journey, index: int) -> list[EventType]:
    return [
        SlotSet("journey", journey.id),
        SlotSet("journey_step", index),
        SlotSet("journey_resume_pending", False),
    ]


class ActionOfferJourney(Action):
    """A question about an aid: what it is, then the steps, papers and amounts on offer."""

    def name(self) -> str:
        return "action_offer_journey"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: Domain
    ) -> list[EventType]:
        intent = (tracker.latest_message.get("intent") or {}).get("name") or ""
        candidates = walk.journeys_for_intent(journeys(), intent)
        asked = next(tracker.get_latest_entity_values("journey"), None)
        chosen = journeys().get(str(asked)) if asked else None
        if chosen is None or chosen.intent != intent:
            if not candidates:
                dispatcher.utter_message(response="utter_main_menu")
                return []
            chosen = candidates[0]
        others = [j for j in candidates if j.id != chosen.id]
        relative = tracker.get_slot("relationship")
        send(dispatcher, walk.overview(chosen, others, relative if relative in RELATIVES else None))
        return progress(chosen, walk.NOT_STARTED)


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
    """The next step (or, right after a resume offer, the step where the person stopped)."""

    def name(self) -> str:
        return "action_journey_next"

    def act(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, journey: Journey, index: int
    ) -> list[EventType]:
        if tracker.get_slot("journey_resume_pending") and index >= 0:
            send(dispatcher, walk.step(journey, index))
            return progress(journey, index)
        if index + 1 >= len(journey.steps):
            send(dispatcher, walk.after_last_step(journey))
            return progress(journey, index)
        send(dispatcher, walk.step(journey, index + 1))
        return progress(journey, index + 1)


class ActionJourneyPrevious(JourneyAction):
    """The step before the one last shown."""

    def name(self) -> str:
        return "action_journey_previous"

    def act(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, journey: Journey, index: int
    ) -> list[EventType]:
        if index <= 0:
            send(dispatcher, walk.before_first_step(journey))
            return progress(journey, 0)
        send(dispatcher, walk.step(journey, index - 1))
        return progress(journey, index - 1)


class ActionJourneyDocuments(JourneyAction):
    """The papers of the current step, of the whole journey, or the usual ones."""

    without_journey = ("utter_documents",)

    def name(self) -> str:
        return "action_journey_documents"

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
        if journey.id == ESTIMATED_JOURNEY:
            estimate_events = continue_estimate(dispatcher, tracker)
            if estimate_events is not None:
                return estimate_events
        send(dispatcher, walk.amounts(journey))
        if journey.id == ESTIMATED_JOURNEY:
            offer = {"title": "Faire une estimation", "payload": estimate.START_PAYLOAD}
            send(dispatcher, [walk.Reply("Voulez-vous une estimation pour votre cas ?",
                                         (offer, walk.MENU))])  # fmt: skip
        return []


def continue_estimate(dispatcher: CollectingDispatcher, tracker: Tracker) -> list[EventType] | None:
    """The next move of the APA estimate exchange, or None when it is not under way."""
    band = next(tracker.get_latest_entity_values("gir_band"), None)
    if band in estimate.BANDS:
        send(dispatcher, estimate.income_question())
        return [SlotSet("gir_band", band), SlotSet("estimate_stage", "income")]
    if next(tracker.get_latest_entity_values("income"), None) == "inconnu":
        return give_estimate(dispatcher, tracker, None)
    if next(tracker.get_latest_entity_values("estimate"), None) == "apa":
        send(dispatcher, estimate.gir_question())
        return [SlotSet("estimate_stage", "gir")]
    if tracker.get_slot("estimate_stage") == "income":
        return answer_income(dispatcher, tracker)
    return None


def answer_income(dispatcher: CollectingDispatcher, tracker: Tracker) -> list[EventType]:
    """The person gave (or tried to give) an income: the estimate, or the question again."""
    text = str(tracker.latest_message.get("text") or "")
    amounts = [str(v) for v in tracker.get_latest_entity_values("amount")]
    income = next(
        (a for a in (parse_monthly_amount(t) for t in [*amounts, text]) if a is not None), None
    )
    if income is None:
        send(dispatcher, estimate.income_not_understood())
        return []
    return give_estimate(dispatcher, tracker, income)


def give_estimate(
    dispatcher: CollectingDispatcher, tracker: Tracker, income: Decimal | None
) -> list[EventType]:
    band = str(tracker.get_slot("gir_band") or "1-4")
    send(dispatcher, estimate.result(band, income, estimate.estimate_year()))
    return [SlotSet("estimate_stage", None)]
