""" "Qu'est-ce que vous savez sur moi ?", "supprimez mes données": see, then erase after a yes.

Thin: `seniorplus.data_rights` gathers and erases, `seniorplus.dialogue.data_request`
words it. An erasure needs the "Oui" of the message just before; a "yes" out of
the blue (or a typed payload) only asks the question again.
"""

from __future__ import annotations

from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.events import AllSlotsReset, EventType
from rasa_sdk.executor import CollectingDispatcher

from actions.cases import guarded, person_of
from actions.journeys import send
from seniorplus.cases.contacts import find_contact
from seniorplus.data_rights import DataRightsSettings, collect, erase_person, summary_text
from seniorplus.data_rights.erasure import erasure_plan
from seniorplus.data_rights.transcripts import default_store
from seniorplus.db import session_scope
from seniorplus.dialogue import data_request as say
from seniorplus.dialogue.turns import pending_buttons
from seniorplus.journeys.walkthrough import Reply
from seniorplus.models import utcnow

Domain = dict[str, Any]


def _summary(conversation_id: str) -> list[Reply]:
    settings = DataRightsSettings.from_env()
    with session_scope() as session:
        contact = find_contact(session, conversation_id)
        if contact is None:
            return say.NOTHING_KNOWN
        data = collect(session, contact)
        store = default_store()
        history = store.first_and_last(data.conversation_ids) if store else None
        text = summary_text(data, history, settings.conversation_retention_days, utcnow())
        return say.summary(text)


def _plan(conversation_id: str) -> list[Reply]:
    with session_scope() as session:
        contact = find_contact(session, conversation_id)
        if contact is None:
            return say.ask_confirmation([], [])
        plan = erasure_plan(collect(session, contact), utcnow())
        return say.ask_confirmation(plan.cases_to_close, plan.appointments_to_cancel)


def _erase(tracker: Tracker) -> list[Reply]:
    settings = DataRightsSettings.from_env()
    with session_scope() as session:
        me = person_of(session, tracker)  # nothing else on file: the history alone goes
        report = erase_person(
            session, me, actor=me.actor, now=utcnow(), history_delay_s=settings.erasure_delay_s
        )
        return say.erased(report.cases_closed, report.appointments_cancelled)


class ActionMyData(Action):
    """See what we know about the person, or erase it after a confirmation."""

    def name(self) -> str:
        return "action_my_data"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: Domain
    ) -> list[EventType]:
        message = tracker.latest_message
        request = say.wanted(str(message.get("text") or ""), message.get("entities") or [])
        pending = say.confirmation_pending(pending_buttons(tracker.events))
        if request == "effacer" and pending:  # "oui, effacez tout" after the question
            request = "effacer_confirme"
        if request == "effacer_confirme" and not pending:  # a "yes" to nothing asks first
            request = "effacer"
        if request is None:
            dispatcher.utter_message(response="utter_my_data_choose")
            return []
        if request == "garder":
            dispatcher.utter_message(response="utter_my_data_kept")
            dispatcher.utter_message(response="utter_main_menu")
            return []
        sender = tracker.sender_id
        work = {
            "voir": lambda: _summary(sender),
            "effacer": lambda: _plan(sender),
            "effacer_confirme": lambda: _erase(tracker),
        }[request]
        replies = await guarded(dispatcher, tracker, work)
        if replies is None:
            return []
        send(dispatcher, replies)
        return [AllSlotsReset()] if request == "effacer_confirme" else []
