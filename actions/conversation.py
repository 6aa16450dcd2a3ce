"""Actions of the core conversation: greeting, repeat, fallback, numbered replies."""

from __future__ import annotations

import logging
from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.events import (
    ActionExecuted,
    EventType,
    FollowupAction,
    SlotSet,
    UserUtteranceReverted,
    UserUttered,
)
from rasa_sdk.executor import CollectingDispatcher

from actions.cases import tick_papers
from actions.common import current, latest_text, send
from actions.estimates import (
    answer_band,
    answer_household,
    answer_income,
    continue_ehpad_estimate,
)
from actions.facts import known
from actions.journey_state import asked_definition
from actions.notices import remember_notice_shown
from actions.triage import (
    answer_aside,
    answer_pending,
    answer_triage,
    answer_waiting,
    correct_speaker,
)
from observability.mask import mask_identifier
from seniorplus.cases import find_case_reference
from seniorplus.dialogue import ehpad_estimate
from seniorplus.dialogue import speaker as who
from seniorplus.dialogue.labels import clarification_buttons
from seniorplus.dialogue.replies import payload_entities, payload_intent, resolve_reply
from seniorplus.dialogue.turns import (
    fallback_streak,
    has_words,
    last_bot_turn,
    pending_buttons,
    replayable,
)
from seniorplus.journeys import walkthrough as walk

logger = logging.getLogger(__name__)

Domain = dict[str, Any]
REPLY_INTENTS = {"affirm", "deny", "inform"}


class ActionGreet(Action):
    """Hello; on first contact, who we are and the one-line privacy notice."""

    def name(self) -> str:
        return "action_greet"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: Domain
    ) -> list[EventType]:
        if tracker.get_slot("privacy_notice_shown"):
            dispatcher.utter_message(response="utter_welcome_back")
            journey, index = current(tracker)
            if journey is not None and index >= 0:
                send(dispatcher, walk.resume_offer(journey, index))
                return [SlotSet("journey_resume_pending", True)]
            dispatcher.utter_message(response="utter_main_menu")
            return []
        dispatcher.utter_message(response="utter_welcome_first_time")
        dispatcher.utter_message(response="utter_privacy_notice")
        dispatcher.utter_message(response="utter_main_menu")
        await remember_notice_shown(tracker.sender_id, tracker.get_latest_input_channel())
        return [SlotSet("privacy_notice_shown", True)]


class ActionRepeat(Action):
    """Say the previous answer again, word for word, with its choices."""

    def name(self) -> str:
        return "action_repeat"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: Domain
    ) -> list[EventType]:
        aside = answer_aside(dispatcher, tracker)  # "pardon, et qui décide du montant ?"
        if aside is not None:
            return aside
        corrected = correct_speaker(dispatcher, tracker)  # "non pardon, c'est pour ma mère"
        if corrected is not None:
            return corrected
        waited = answer_waiting(dispatcher, tracker)  # "pardon, elle a 87 ans, pas 78"
        if waited is not None:
            return waited
        messages = last_bot_turn(tracker.events)
        if not messages:
            dispatcher.utter_message(response="utter_nothing_to_repeat")
            dispatcher.utter_message(response="utter_main_menu")
            return []
        for message in messages:
            dispatcher.utter_message(**replayable(message))
        return []


class ActionFallback(Action):
    """Not understood: first offer likely topics, then, the second time, a person (handoff)."""

    def name(self) -> str:
        return "action_fallback"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: Domain
    ) -> list[EventType]:
        message = tracker.latest_message
        text = str(message.get("text") or "")
        button = resolve_reply(
            text, None, message.get("entities") or [], pending_buttons(tracker.events)
        )
        if button is not None:  # a choice typed as its title ("voir les étapes")
            payload = str(button.get("payload", ""))
            return replay(tracker, payload_intent(payload) or "help", payload_entities(payload))
        pending = answer_pending(dispatcher, tracker)  # "chez elle", "seule": the question asked
        if pending is not None:
            return pending
        if fallback_streak(tracker.events) == 0 or not has_words(text):  # "😀": asked again
            ranking = tracker.latest_message.get("intent_ranking") or []
            dispatcher.utter_message(
                response="utter_fallback_rephrase", buttons=clarification_buttons(ranking)
            )
            return []
        logger.info("Second misunderstanding in a row for %s", mask_identifier(tracker.sender_id))
        dispatcher.utter_message(response="utter_fallback_human")
        return [FollowupAction("action_handoff")]  # a person of the team takes over


class ActionExplainWord(Action):
    """The meaning of a word asked about, then the way back to the step in progress.

    Chosen by bot/components/explain_policy.py whatever the intent the model saw.
    """

    def name(self) -> str:
        return "action_explain_word"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: Domain
    ) -> list[EventType]:
        word = asked_definition(tracker)
        if word is None:
            dispatcher.utter_message(response="utter_main_menu")
            return []
        journey, index = current(tracker)
        send(dispatcher, walk.definition(journey, index, *word))
        return []


def replay(tracker: Tracker, intent: str, entities: list[dict[str, Any]]) -> list[EventType]:
    """Take back the latest message and hear it again as `intent`, with the person's own words."""
    text = latest_text(tracker)
    parse_data = {
        "text": text,
        "intent": {"name": intent, "confidence": 1.0},
        "intent_ranking": [{"name": intent, "confidence": 1.0}],
        "entities": entities,
    }
    return [
        UserUtteranceReverted(),
        ActionExecuted("action_listen"),
        UserUttered(text, parse_data, input_channel=tracker.get_latest_input_channel()),
    ]


class ActionResolveReply(Action):
    """A number, "oui" or "non" answers the choice offered just before.

    The reply is replayed as the chosen option, keeping the user's own words,
    so the rest of the dialogue sees what the person meant.
    """

    def name(self) -> str:
        return "action_resolve_reply"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: Domain
    ) -> list[EventType]:
        message = tracker.latest_message
        text = str(message.get("text") or "")
        intent = (message.get("intent") or {}).get("name")
        entities = message.get("entities") or []
        buttons = pending_buttons(tracker.events)
        button = resolve_reply(text, intent, entities, buttons)
        payload = str(button.get("payload", "")) if button else ""
        chosen = payload_intent(payload)
        if chosen and chosen not in REPLY_INTENTS:  # a yes/no button must not loop back here
            return replay(tracker, chosen, payload_entities(payload))
        if intent == "inform" and any(
            str(b.get("payload", "")).startswith("/book_appointment") for b in buttons
        ):  # "mardi matin" after slots were offered: other slots, that day
            return replay(tracker, "book_appointment", [])
        aside = answer_aside(dispatcher, tracker)  # a question of one's own, not an answer
        if aside is not None:
            return aside
        answer = who.from_reply(text, entities) if who.is_speaker_question(buttons) else None
        if answer is not None:  # "c'est pour ma maman" answers "pour vous ou pour un proche ?"
            given = {"for_whom": answer.for_whom, "relationship": answer.relationship}
            speaker_entities = [{"entity": k, "value": v} for k, v in given.items() if v]
            return replay(tracker, who.SET_SPEAKER, speaker_entities)
        if tracker.get_slot("triage_stage"):  # even "non, pour ma mère", "à Clisson"
            return answer_triage(dispatcher, tracker)
        if tracker.get_slot("estimate_stage") == "gir":  # "pour la toilette", "seule"
            return answer_band(dispatcher, tracker)
        if tracker.get_slot("estimate_stage") == "household":  # "seule", "non, avec mon mari"
            return answer_household(dispatcher, tracker, known(tracker), None)
        if intent == "inform" and tracker.get_slot("estimate_stage") == "income":
            return answer_income(dispatcher, tracker)
        if intent == "inform" and tracker.get_slot("estimate_stage") == ehpad_estimate.STAGE:
            return continue_ehpad_estimate(dispatcher, tracker) or []
        if intent == "inform" and find_case_reference(text):  # "SP-2026-000123", said alone
            return replay(tracker, "check_case_status", [])
        if intent == "inform" and any(e.get("entity") == "choice" for e in entities):
            dispatcher.utter_message(response="utter_choice_unknown")
            dispatcher.utter_message(response="utter_main_menu")
        elif intent == "inform" and await tick_papers(dispatcher, tracker):
            pass  # "voilà, j'ai le RIB": ticked in the person's case
        elif intent == "inform":
            dispatcher.utter_message(response="utter_noted")
            dispatcher.utter_message(response="utter_main_menu")
        elif intent == "affirm":
            dispatcher.utter_message(response="utter_affirm_no_question")
            dispatcher.utter_message(response="utter_main_menu")
        else:
            dispatcher.utter_message(response="utter_deny_no_question")
        return []
