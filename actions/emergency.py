"""action_emergency: the right lines for the danger said, the team told, and never silence.

Chosen by the rule for ``report_emergency`` (danger now, or "Oui, en ce moment"),
by bot/components/danger_policy.py for words of danger that do not say whether
it is now, and by the rule for the "Non" button of that question.

- Danger now: the lines of its kind (safety/lines.py: 15/112, 3114, 17 and 3919,
  3977, 114 by SMS), then an urgent handoff at the head of the agents' queue. The
  assistant is NOT paused: it keeps answering until an agent takes the
  conversation (the console pauses it then). The person is told honestly when
  someone will read (opening hours).
- Unclear: one question, "Est-ce en ce moment ?" (Oui / Non), after the line of
  its kind; the message is kept (slot ``danger_pending``).
- "Non": thanks, and the kept message is heard again as what it asked, so the
  person gets the answer to their question.
- The model's doubt alone (no word of danger) about a short answer to the assistant's own
  question ("Où vit votre père ?" → "il vit chez lui"; a fact given during an estimate):
  heard as that answer at once, without the question. Words of danger, a long message, or
  no question waiting keep the question.
"""

from __future__ import annotations

import asyncio
import logging
import re
from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.events import ActionExecuted, EventType, SlotSet, UserUtteranceReverted, UserUttered
from rasa_sdk.executor import CollectingDispatcher
from sqlalchemy.exc import SQLAlchemyError

from actions.handoff import open_handoff, opening_hours
from actions.questions import answers_question_waiting
from observability.mask import mask_identifier
from policies.questions import normalise
from rendering.channels import Names
from safety import Danger, Level, Reading, read_danger
from safety.lines import (
    NOT_NOW,
    THANKS_NOT_NOW,
    YES_NOW,
    alarm_lines,
    question,
    question_lines,
)
from seniorplus.cases import CaseError
from seniorplus.handoff.messages import TEAM_ALREADY_TOLD, TEAM_NOT_TOLD, handoff_notice
from seniorplus.handoff.service import HandoffError
from seniorplus.models import utcnow

logger = logging.getLogger(__name__)
Domain = dict[str, Any]

EMERGENCY_INTENT = "report_emergency"
NOT_NOW_INTENT = "danger_not_now"
PENDING_SLOT = "danger_pending"
VOICE_CHANNELS = Names(lambda channel: channel.kind == "voice")
# An answer to the assistant's own question ("il vit chez lui", "seule", "à domicile"), with
# no word of danger, is heard as that answer even when the model doubts (see run).
SHORT_ANSWER_WORDS = 12


def reading_of(tracker: Tracker) -> Reading:
    """The danger reading of the latest message (from the NLU, or read again)."""
    message = tracker.latest_message or {}
    kept = Reading.from_dict(message.get("danger"))
    return kept if kept is not None else read_danger(str(message.get("text") or ""))


def said_now(tracker: Tracker) -> bool:
    """The person answered "Oui, en ce moment" to the question."""
    entities = (tracker.latest_message or {}).get("entities") or []
    return any(e.get("entity") == "danger_now" and e.get("value") == "oui" for e in entities)


_NOT_NOW = re.compile(
    r"^(?:non|nan|no|pas du tout)\b|\bpas (?:urgent|une urgence|d urgence|en ce moment"
    r"|maintenant|grave|tout de suite)\b|\bce n est pas (?:pour )?maintenant\b"
)


def says_not_now(text: str) -> bool:
    """ "non", "non c'est pas urgent", "pas en ce moment": the answer "Non" to "Est-ce en ce
    moment ?" in the person's words (the caller checks that no word says danger)."""
    return bool(_NOT_NOW.search(normalise(text)))


def pending(tracker: Tracker) -> dict[str, Any] | None:
    value = tracker.get_slot(PENDING_SLOT)
    return value if isinstance(value, dict) else None


def heard_by_the_model_alone(tracker: Tracker, reading: Reading) -> bool:
    """A doubt of the model about a short message whose words say nothing of danger."""
    text = str((tracker.latest_message or {}).get("text") or "")
    return (
        not reading.dangers
        and len(text.split()) <= SHORT_ANSWER_WORDS
        and read_danger(text).level is Level.NONE
    )


def question_buttons(reading: Reading) -> list[dict[str, str]]:
    dangers = ",".join(d.value for d in reading.dangers) or Danger.GENERAL.value
    return [
        {"title": YES_NOW, "payload": f'/{EMERGENCY_INTENT}{{"danger_now": "oui"}}'},
        {"title": NOT_NOW, "payload": f'/{NOT_NOW_INTENT}{{"danger_kinds": "{dangers}"}}'},
    ]


def kept_message(tracker: Tracker, reading: Reading) -> dict[str, Any]:
    """What to keep of an unclear message: its words, what it asked, and its reading."""
    message = tracker.latest_message or {}
    intent = (message.get("intent") or {}).get("name")
    if intent in (EMERGENCY_INTENT, None):
        ranking = message.get("intent_ranking") or []
        intent = next(
            (r.get("name") for r in ranking if r.get("name") not in (EMERGENCY_INTENT, None)),
            "nlu_fallback",
        )
    others = [
        {"name": r.get("name"), "confidence": r.get("confidence")}
        for r in message.get("intent_ranking") or []
        if r.get("name") not in (EMERGENCY_INTENT, "nlu_fallback", None)
    ]
    return {
        "text": str(message.get("text") or ""),
        "intent": intent,
        "ranking": others[:3],  # the topics to offer if what was asked stays unclear
        "entities": list(message.get("entities") or []),
        "danger": reading.as_dict(),
    }


class ActionEmergency(Action):
    """Lines for the danger, the team told without pausing; or the question; or its "Non"."""

    def name(self) -> str:
        return "action_emergency"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: Domain
    ) -> list[EventType]:
        intent = (tracker.latest_message.get("intent") or {}).get("name")
        kept = pending(tracker)
        if intent == NOT_NOW_INTENT:
            dispatcher.utter_message(text=THANKS_NOT_NOW)
            return [SlotSet(PENDING_SLOT, None), *hear_again(tracker, kept)]
        reading = reading_of(tracker)
        if (
            kept is not None
            and heard_by_the_model_alone(tracker, reading)
            and says_not_now(str(tracker.latest_message.get("text") or ""))
        ):  # "non c'est pas urgent": the model hears "urgent", the words say no
            dispatcher.utter_message(text=THANKS_NOT_NOW)
            return [SlotSet(PENDING_SLOT, None), *hear_again(tracker, kept)]
        if said_now(tracker) and kept is not None:
            before = Reading.from_dict(kept.get("danger")) or Reading()
            reading = Reading(Level.DANGER, before.dangers, before.cannot_call, True)
        elif said_now(tracker):
            reading = Reading(Level.DANGER, reading.dangers, reading.cannot_call, True)
        if reading.level is not Level.DANGER:
            if heard_by_the_model_alone(tracker, reading) and answers_question_waiting(tracker):
                return hear_again(tracker, kept_message(tracker, reading))
            return self.ask(dispatcher, tracker, reading)
        return await self.alarm(dispatcher, tracker, reading)

    @staticmethod
    def ask(
        dispatcher: CollectingDispatcher, tracker: Tracker, reading: Reading
    ) -> list[EventType]:
        """Words of danger, but is it now? One question, after the line of its kind."""
        for line in question_lines(reading, tracker.get_latest_input_channel()):
            dispatcher.utter_message(text=line)
        dispatcher.utter_message(text=question(reading), buttons=question_buttons(reading))
        return [SlotSet(PENDING_SLOT, kept_message(tracker, reading))]

    @staticmethod
    async def alarm(
        dispatcher: CollectingDispatcher, tracker: Tracker, reading: Reading
    ) -> list[EventType]:
        channel = tracker.get_latest_input_channel()
        for line in alarm_lines(reading, channel):
            dispatcher.utter_message(text=line)
        try:
            handoff_id, created = await asyncio.to_thread(open_handoff, tracker, "urgence", channel)
        except (SQLAlchemyError, CaseError, HandoffError):
            logger.exception(
                "Urgent handoff of %s not recorded", mask_identifier(tracker.sender_id)
            )
            if channel not in VOICE_CHANNELS:
                dispatcher.utter_message(text=TEAM_NOT_TOLD)
            return [SlotSet(PENDING_SLOT, None)]
        logger.warning(
            "Urgent handoff %s (%s) for %s",
            handoff_id,
            ",".join(d.value for d in reading.dangers) or "general",
            mask_identifier(tracker.sender_id),
        )
        if channel not in VOICE_CHANNELS:
            if created:
                notice = handoff_notice("urgence", utcnow(), opening_hours(), emergency_given=True)
                for text in notice:
                    dispatcher.utter_message(text=text)
            else:
                dispatcher.utter_message(text=TEAM_ALREADY_TOLD)
        return [SlotSet(PENDING_SLOT, None)]  # never paused: the assistant keeps answering


def hear_again(tracker: Tracker, kept: dict[str, Any] | None) -> list[EventType]:
    """Hear the kept message again as what it asked (the danger question is settled)."""
    if not kept or not kept.get("text"):
        return []
    intent = str(kept.get("intent") or "nlu_fallback")
    ranking = [{"name": intent, "confidence": 1.0}]
    if intent == "nlu_fallback":  # "Vous parlez de l'un de ces sujets ?" offers the likeliest
        ranking += [r for r in kept.get("ranking") or [] if isinstance(r, dict)]
    parse_data = {
        "text": kept["text"],
        "intent": {"name": intent, "confidence": 1.0},
        "intent_ranking": ranking,
        "entities": kept.get("entities") or [],
        "danger_checked": True,
    }
    return [
        UserUtteranceReverted(),
        ActionExecuted("action_listen"),
        UserUttered(kept["text"], parse_data, input_channel=tracker.get_latest_input_channel()),
    ]
