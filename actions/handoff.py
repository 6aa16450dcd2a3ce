"""action_handoff: the conversation goes to a person of the team (issue 6).

Chosen by the rules for "je veux parler à quelqu'un" (request_human), after the
emergency answer (report_emergency), and by action_fallback after a second
misunderstanding in a row. It opens (or refreshes) the conversation's handoff
with a plain-French summary for the agent, tells the person when someone will
answer, and pauses the assistant (``ConversationPaused``): Rasa keeps what the
person writes, the agent answers from the console.

On the phone the voice variant of ``utter_human_contact`` carries the marker
that makes channels/voice.py put the caller through to the team (or record a
callback out of hours); the handoff holds the summary the console shows next to
it. If the database is out of reach the person still gets the human contact
answers and the conversation is NOT paused, so the assistant keeps answering.
"""

from __future__ import annotations

import asyncio
import logging
from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.events import ActionExecuted, ConversationPaused, EventType
from rasa_sdk.executor import CollectingDispatcher
from sqlalchemy.exc import SQLAlchemyError

from actions.common import channel_of, near_line, person_of
from observability.mask import mask_identifier
from policies.hours import HoursError, OpeningHours
from seniorplus.booking.service import describe_appointment, upcoming_appointments
from seniorplus.cases import CaseError, case_summary, cases_of_contact
from seniorplus.db import session_scope
from seniorplus.handoff.messages import DEFAULT_TEAM_HOURS, handoff_notice, team_hours
from seniorplus.handoff.reasons import VOICE_CHANNELS, emergency_given, handoff_reason
from seniorplus.handoff.service import HandoffError, request_handoff
from seniorplus.handoff.summary import build_summary
from seniorplus.models import utcnow
from seniorplus.settings import get_settings

logger = logging.getLogger(__name__)
Domain = dict[str, Any]


def opening_hours() -> OpeningHours:
    """The team's hours (TEAM_OPENING_HOURS); the default when the setting is unreadable."""
    try:
        return team_hours(get_settings().handoff.team_opening_hours)
    except HoursError:
        logger.error("TEAM_OPENING_HOURS cannot be read: using %s", DEFAULT_TEAM_HOURS)
        return team_hours(None)


def open_handoff(tracker: Tracker, reason: str, channel: str | None) -> tuple[int, bool]:
    """Open (or refresh) the handoff with its summary; its id and whether it is new."""
    now = utcnow()
    with session_scope() as session:
        me = person_of(session, tracker)
        cases = [case_summary(c) for c in cases_of_contact(session, me, include_closed=False)]
        appointments = [
            describe_appointment(session, a, now) for a in upcoming_appointments(session, me, now)
        ]
        summary = build_summary(
            tracker.events,
            tracker.slots,
            reason=reason,
            channel=channel,
            cases=cases,
            appointments=appointments,
        )
        handoff, created = request_handoff(
            session,
            tracker.sender_id,
            "voice" if channel in VOICE_CHANNELS else channel_of(tracker),
            reason,
            summary,
            contact_id=me.id,
            now=now,
        )
        return handoff.id, created


class ActionHandoff(Action):
    """Hand the conversation to a person, say when they will answer, pause the assistant."""

    def name(self) -> str:
        return "action_handoff"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: Domain
    ) -> list[EventType]:
        channel = tracker.get_latest_input_channel()
        intent = (tracker.latest_message.get("intent") or {}).get("name")
        reason = handoff_reason(intent, channel, tracker.events)
        try:
            handoff_id, created = await asyncio.to_thread(open_handoff, tracker, reason, channel)
        except (SQLAlchemyError, CaseError, HandoffError):
            logger.exception("Handoff of %s not recorded", mask_identifier(tracker.sender_id))
            dispatcher.utter_message(response="utter_human_contact")
            dispatcher.utter_message(response="utter_human_contact_example")  # confirmed only
            dispatcher.utter_message(text=near_line(tracker))  # nearest place we can source
            return []  # not paused: nobody would see the conversation
        logger.info(
            "Handoff %s (%s, %s) for %s",
            handoff_id,
            reason,
            "new" if created else "again",
            mask_identifier(tracker.sender_id),
        )
        if channel in VOICE_CHANNELS:
            # The phone channel transfers the caller or records a callback, and says so.
            dispatcher.utter_message(response="utter_human_contact")
        else:
            given = emergency_given(tracker.events)
            for text in handoff_notice(reason, utcnow(), opening_hours(), emergency_given=given):
                dispatcher.utter_message(text=text)
        return paused()


def paused() -> list[EventType]:
    """Pause, then listen as if the turn had ended normally.

    A pause stops Rasa's prediction loop before it predicts ``action_listen``; without
    it, the first message after the agent hands back would follow ``action_handoff``
    instead of ``action_listen``, and no rule (all start after ``action_listen``) would
    match it.
    """
    return [ConversationPaused(), ActionExecuted("action_listen")]
