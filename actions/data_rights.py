""" "Qu'est-ce que vous savez sur moi ?", "supprimez mes données": see, then erase after a yes.

Thin: `seniorplus.data_rights` gathers and erases, `seniorplus.dialogue.data_request`
words it. An erasure needs the "Oui" of the message just before; a "yes" out of
the blue (or a typed payload) only asks the question again.

Over SMS and the phone, a caller ID can be forged: nothing is shown or erased
before the person gives the one-time code sent by SMS to the number
(`seniorplus.data_rights.identity`). Telegram vouches for its chat ids, and the
REST channel (development and tests) has no phone to send a code to.
"""

from __future__ import annotations

import logging
from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.events import AllSlotsReset, EventType
from rasa_sdk.executor import CollectingDispatcher

from actions.common import channel_of, guarded, person_of, send
from observability.mask import mask_identifier
from policies.codes import code_awaited, find_code, looks_like_code_attempt
from rendering.channels import Names
from seniorplus.cases.contacts import find_contact
from seniorplus.data_rights import collect, erase_person, summary_text
from seniorplus.data_rights.erasure import erasure_plan
from seniorplus.data_rights.identity import (
    check_code,
    is_checked,
    issue_code,
    waiting_request,
)
from seniorplus.data_rights.summary import phone_end
from seniorplus.db import session_scope
from seniorplus.dialogue import data_request as say
from seniorplus.dialogue.turns import pending_buttons
from seniorplus.history.transcripts import default_store
from seniorplus.journeys.walkthrough import Reply
from seniorplus.models import utcnow
from seniorplus.outbound import send_message
from seniorplus.settings import get_settings

logger = logging.getLogger(__name__)
Domain = dict[str, Any]
CODE_CHANNELS = Names(lambda channel: channel.forgeable_number, aliases=False)


def _summary(conversation_id: str) -> list[Reply]:
    settings = get_settings().data_rights
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
    settings = get_settings().data_rights
    with session_scope() as session:
        me = person_of(session, tracker)  # nothing else on file: the history alone goes
        report = erase_person(
            session, me, actor=me.actor, now=utcnow(), history_delay_s=settings.erasure_delay_s
        )
        return say.erased(report.cases_closed, report.appointments_cancelled)


def _checked(conversation_id: str) -> bool:
    with session_scope() as session:
        return is_checked(session, conversation_id, utcnow())


def _new_code(conversation_id: str, request: str) -> str:
    """The new code, or "" when three were sent this hour."""
    with session_scope() as session:
        return issue_code(session, conversation_id, request, utcnow()) or ""


def _waiting(conversation_id: str) -> str | None:
    with session_scope() as session:
        return waiting_request(session, conversation_id, utcnow())


def _check(conversation_id: str, code: str) -> Any:
    with session_scope() as session:
        return check_code(session, conversation_id, code, utcnow())


async def _send_code(
    dispatcher: CollectingDispatcher, tracker: Tracker, request: str
) -> list[Reply] | None:
    """Issue a code for ``request`` and send it by SMS to the conversation's number."""
    phone = tracker.sender_id
    code = await guarded(dispatcher, tracker, lambda: _new_code(phone, request))
    if code is None:  # the database is away: guarded() said so
        return None
    if not code:
        return say.TOO_MANY_CODES
    delivery = await send_message(phone, "sms", say.CODE_SMS.format(code=code), kind="code")
    if delivery.status == "sent":
        return say.code_sent(phone_end(phone), channel_of(tracker) == "voice")
    logger.warning("One-time code to %s not sent: %s", mask_identifier(phone), delivery.status)
    if delivery.status == "refused":
        return say.NO_SMS_AFTER_STOP
    if delivery.retryable:
        return say.CODE_NOT_SENT
    return say.NO_SMS_TO_THIS_NUMBER


class ActionMyData(Action):
    """See what we know about the person, or erase it after a confirmation."""

    def name(self) -> str:
        return "action_my_data"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: Domain
    ) -> list[EventType]:
        message = tracker.latest_message
        text = str(message.get("text") or "")
        request = say.wanted(text, message.get("entities") or [])
        buttons = pending_buttons(tracker.events)
        needs_code = channel_of(tracker) in CODE_CHANNELS
        if needs_code and code_awaited(buttons) and request is None:
            return await self._code_given(dispatcher, tracker, text)
        if request == "nouveau_code":
            waiting = await guarded(dispatcher, tracker, lambda: _waiting(tracker.sender_id))
            request = waiting or ("voir" if needs_code else None)
        pending = say.confirmation_pending(buttons)
        if request == "effacer" and pending:  # "oui, effacez tout" after the question
            request = "effacer_confirme"
        if request == "effacer_confirme" and not pending:  # a "yes" to nothing asks first
            request = "effacer"
        if request is None:
            dispatcher.utter_message(response="utter_my_data_choose")
            return []
        if request == "garder":
            if code_awaited(buttons):  # "Annuler" instead of giving the code
                send(dispatcher, say.CODE_CANCELLED)
            else:
                dispatcher.utter_message(response="utter_my_data_kept")
            dispatcher.utter_message(response="utter_main_menu")
            return []
        if needs_code:
            checked = await guarded(dispatcher, tracker, lambda: _checked(tracker.sender_id))
            if checked is None:
                return []
            if not checked:
                asked = "effacer" if request == "effacer_confirme" else request
                replies = await _send_code(dispatcher, tracker, asked)
                return self._say(dispatcher, tracker, replies)
        return await self._do(dispatcher, tracker, request)

    async def _code_given(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, text: str
    ) -> list[EventType]:
        code = find_code(text)
        if code is None:
            unreadable = say.CODE_UNREADABLE if looks_like_code_attempt(text) else None
            if unreadable is None:
                dispatcher.utter_message(response="utter_my_data_choose")
                return []
            return self._say(dispatcher, tracker, unreadable)
        result = await guarded(dispatcher, tracker, lambda: _check(tracker.sender_id, code))
        if result is None:
            return []
        if result.outcome == "ok" and result.request:
            return await self._do(dispatcher, tracker, result.request)
        replies = {
            "wrong": say.code_wrong(result.tries_left),
            "expired": say.CODE_EXPIRED,
            "no_tries_left": say.CODE_NO_TRIES_LEFT,
        }.get(result.outcome, say.CODE_EXPIRED)
        return self._say(dispatcher, tracker, replies)

    async def _do(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, request: str
    ) -> list[EventType]:
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

    @staticmethod
    def _say(
        dispatcher: CollectingDispatcher, tracker: Tracker, replies: list[Reply] | None
    ) -> list[EventType]:
        """Send ``replies``; on the phone, a code awaited lets the caller key 6 digits."""
        if replies:
            send(dispatcher, replies)
            awaits_code = code_awaited(replies[-1].buttons)
            if awaits_code and channel_of(tracker) == "voice":
                dispatcher.utter_message(json_message=say.CODE_MARKER)
        return []
