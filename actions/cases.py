"""Case actions: open a case for the journey in progress, say where cases stand, tick papers.

Thin: the work is done by `seniorplus.cases` (service layer) in a worker thread,
and the words by `seniorplus.dialogue.case_replies`. A database that goes away
for a moment gets a French apology; what the person said stays in the conversation.
"""

from __future__ import annotations

import re
from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.events import EventType, SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions.common import current, guarded, latest_text, person_of, send, speaker_of
from actions.facts import known
from actions.journey_state import journey_named, journey_read, progress, start_steps
from actions.questions import bank_answer
from policies.questions import normalise
from seniorplus.cases import (
    case_by_reference,
    case_summary,
    cases_of_contact,
    find_case_reference,
    link_caregiver,
    mark_document,
    open_case,
)
from seniorplus.cases.models import Contact
from seniorplus.db import session_scope
from seniorplus.dialogue import asks
from seniorplus.dialogue import case_replies as say
from seniorplus.dialogue import speaker as who
from seniorplus.dialogue.speaker import Speaker
from seniorplus.journeys import Journey
from seniorplus.journeys import walkthrough as walk

Domain = dict[str, Any]
# "j'ai l'avis d'imposition", "voilà le RIB", "la carte d'identité c'est bon"
HAVING = re.compile(r"\b(j ai|jai|voila|voici|c est bon|recu|retrouve|trouve|on a|nous avons)\b")


def _open(tracker: Tracker, journey_id: str, speaker: Speaker) -> tuple[dict[str, Any], bool]:
    with session_scope() as session:
        me = person_of(session, tracker)
        target = me
        if speaker.is_relative:
            link = link_caregiver(session, me, None, speaker.relationship or "proche")
            target = session.get(Contact, link.senior_id) or me
        case, created = open_case(session, me, target, journey_id, me.actor)
        return case_summary(case), created


def _status(tracker: Tracker, text: str) -> list[dict[str, Any]] | None:
    """Summaries of the person's open cases; None when a typed reference is not theirs."""
    with session_scope() as session:
        me = person_of(session, tracker)
        reference = find_case_reference(text)
        if reference is not None:
            case = case_by_reference(session, reference, me)
            return None if case is None else [case_summary(case)]
        return [case_summary(c) for c in cases_of_contact(session, me, include_closed=False)]


def _tick(tracker: Tracker, text: str, journey_id: str | None) -> tuple[list[str], dict[str, Any]]:
    """Papers the sentence names, ticked in the person's open case (journey in progress first)."""
    with session_scope() as session:
        me = person_of(session, tracker)
        cases = cases_of_contact(session, me, include_closed=False)
        cases.sort(key=lambda c: c.journey != journey_id)  # stable: newest first otherwise
        for case in cases:
            marked = mark_document(session, case, text, "recu", me.actor)
            if marked:
                return [m.label for m in marked], case_summary(case)
        return [], {}


class ActionOpenCase(Action):
    """ "Je veux faire la demande": a case for the journey in progress (never two).

    "Comment on fait la demande ?" read as the same intent asks how: step 1 of the journey;
    the case is opened when the person says they want to apply.
    """

    def name(self) -> str:
        return "action_open_case"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: Domain
    ) -> list[EventType]:
        journey, _ = current(tracker)
        events: list[EventType] = []
        text = latest_text(tracker)
        named = journey_named(text, tracker)
        if named is not None and (journey is None or named.intent != journey.intent):
            journey = named  # "je veux faire la demande d'APA" with no journey, or another one
            events = progress(tracker, journey, walk.NOT_STARTED)
        if journey is None:
            journey = journey_read(tracker)  # no word names it: the topic the NLU read
            events = progress(tracker, journey, walk.NOT_STARTED) if journey else []
        if journey is None:
            send(dispatcher, say.which_journey())
            dispatcher.utter_message(response="utter_main_menu")
            return []
        if asks.aspect(text) == asks.STEPS and not asks.wants_to_apply(text):
            # "comment on fait la demande ?" asks how: the steps, not yet a case
            return [*events, *start_steps(dispatcher, tracker, journey)]
        return [*events, *await open_case_for(dispatcher, tracker, journey)]


async def open_case_for(
    dispatcher: CollectingDispatcher, tracker: Tracker, journey: Journey
) -> list[EventType]:
    """The case of `journey` for the person spoken of (named in the message, or known)."""
    events: list[EventType] = []
    speaker = speaker_of(tracker)
    heard = known(tracker).facts
    if not speaker.known and heard.relationship:  # "… pour ma mère"
        speaker = Speaker(who.RELATIVE, heard.relationship)
        events += [SlotSet("for_whom", who.RELATIVE), SlotSet("relationship", heard.relationship)]
    result = await guarded(dispatcher, tracker, lambda: _open(tracker, journey.id, speaker))
    if result is None:
        return events
    summary, created = result
    send(dispatcher, say.opened(summary, created, speaker.relative))
    return [*events, SlotSet("case_reference", summary["reference"])]


class ActionCaseStatus(Action):
    """ "Où en est mon dossier ?": status, missing papers and next step of each open case."""

    def name(self) -> str:
        return "action_case_status"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: Domain
    ) -> list[EventType]:
        text = latest_text(tracker)
        found = await guarded(dispatcher, tracker, lambda: _status(tracker, text) or None)
        if dispatcher.messages:  # refused or database trouble: already answered
            return []
        if found is None and not find_case_reference(text):
            # "on a envoyé le dossier d'APA en juillet et toujours rien": a file sent to the
            # Département, not opened here; what the bank says of that wait answers it.
            journey = journey_named(text, tracker) or current(tracker)[0]
            answer = bank_answer(text, journey.intent, journey) if journey is not None else None
            if answer is not None:
                send(dispatcher, answer[0])
                return []
        send(dispatcher, say.not_found() if found is None and find_case_reference(text) else
             say.status(found or []))  # fmt: skip
        return []


async def tick_papers(dispatcher: CollectingDispatcher, tracker: Tracker) -> bool:
    """ "J'ai l'avis d'imposition": ticked in the open case. False when nothing was ticked."""
    text = latest_text(tracker)
    if not HAVING.search(normalise(text)):
        return False
    journey, _ = current(tracker)
    result = await guarded(
        dispatcher, tracker, lambda: _tick(tracker, text, journey.id if journey else None)
    )
    if dispatcher.messages:  # a refusal ("vous me dites que ce papier manque") or an outage
        return True
    labels, summary = result or ([], {})
    if not labels:
        return False
    send(dispatcher, say.papers_noted(labels, summary))
    return True
