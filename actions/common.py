"""What every action reads or does the same way: the person, the journey in progress, replies.

The feature actions (`journeys`, `cases`, `triage`, `appointments`, `data_rights`, `handoff`,
`conversation`) import these helpers from here and never from one another, so that no action
module leans on a sibling to get at the conversation.
"""

from __future__ import annotations

import asyncio
import logging
from typing import Any

from rasa_sdk import Tracker
from rasa_sdk.executor import CollectingDispatcher
from sqlalchemy.exc import SQLAlchemyError

from observability.mask import mask_identifier
from rendering.channels import Names
from seniorplus.cases import CaseError, contact_for_conversation
from seniorplus.cases.models import Contact
from seniorplus.clock import conversation_day
from seniorplus.dialogue import case_replies as say
from seniorplus.dialogue.speaker import Speaker
from seniorplus.journeys import Journey
from seniorplus.journeys import walkthrough as walk
from seniorplus.journeys.contacts import load_contacts
from seniorplus.journeys.today import journeys_on

logger = logging.getLogger(__name__)
KNOWN_CHANNELS = Names(lambda channel: channel.person, aliases=False)  # not "rest"


def journeys() -> dict[str, Journey]:
    """All journeys as said on the conversation's day (read once, resolved once a day)."""
    return journeys_on(conversation_day())


def near_line(tracker: Tracker) -> str:
    """The nearest France services or CLIC to the person's commune or postcode we know."""
    where = tracker.get_slot("commune") or tracker.get_slot("postcode")
    return load_contacts().near_line(str(where) if where else None)


def send(dispatcher: CollectingDispatcher, replies: list[walk.Reply]) -> None:
    for reply in replies:
        dispatcher.utter_message(text=reply.text, buttons=list(reply.buttons))


def speaker_of(tracker: Tracker) -> Speaker:
    return Speaker.from_slots(tracker.get_slot("for_whom"), tracker.get_slot("relationship"))


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


def channel_of(tracker: Tracker) -> str:
    channel = tracker.get_latest_input_channel()
    return channel if channel in KNOWN_CHANNELS else "rest"


def person_of(session: Any, tracker: Tracker) -> Contact:
    return contact_for_conversation(session, tracker.sender_id, channel_of(tracker))


async def guarded(dispatcher: CollectingDispatcher, tracker: Tracker, work: Any) -> Any:
    """Run database work in a thread; French words for refusals and outages (None then)."""
    try:
        return await asyncio.to_thread(work)
    except CaseError as refused:
        send(dispatcher, [walk.Reply(refused.message_fr)])
    except SQLAlchemyError:
        logger.exception("Case database unavailable for %s", mask_identifier(tracker.sender_id))
        send(dispatcher, [walk.Reply(say.DB_TROUBLE)])
    return None


def latest_text(tracker: Tracker) -> str:
    """What the person wrote last ("" for none)."""
    return str(tracker.latest_message.get("text") or "")
