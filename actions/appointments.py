"""Meeting a mediator: three free slots, one confirmed, cancelled or moved.

Thin: `seniorplus.booking.service` does the work (the database refuses a double
booking) and `seniorplus.booking.rules` says who may book, cancel or move (also the
case an appointment is about); these actions turn it into short messages with numbered
choices. The
slots offered are kept in `offered_slots`; a choice comes back as the `choice`
entity of a button (`/book_appointment{"choice": "2"}`), or as a typed number.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.events import EventType, SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions.common import current, guarded, latest_text, person_of, send
from seniorplus.booking.dates import DateProblem, read_when
from seniorplus.booking.rules import may_book
from seniorplus.booking.service import (
    Proposal,
    ProposedSlot,
    SlotUnavailable,
    book,
    cancel,
    cares_for,
    describe_appointment,
    propose_slots,
    reschedule,
    upcoming_appointments,
)
from seniorplus.cases import cases_of_contact, parse_appointment_reference
from seniorplus.db import session_scope
from seniorplus.dialogue import appointment_replies as say
from seniorplus.dialogue.appointment_replies import PHONE_CHOICE
from seniorplus.journeys.walkthrough import MENU, Reply
from seniorplus.models import utcnow

Domain = dict[str, Any]
DEFAULT_JOURNEY = "apa_domicile"  # the most asked-for help when nothing says otherwise


def choice_buttons(choices: Sequence[ProposedSlot]) -> tuple[dict[str, str], ...]:
    return tuple(
        {"title": c.label, "payload": f'/book_appointment{{"choice": "{n}"}}'}
        for n, c in enumerate(choices, start=1)
    )


def entity(tracker: Tracker, name: str) -> str | None:
    value = next(tracker.get_latest_entity_values(name), None)
    return str(value) if value is not None else None


class ActionBookAppointment(Action):
    """Propose the next three slots (near the person, for the journey), then book the one chosen."""

    def name(self) -> str:
        return "action_book_appointment"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: Domain
    ) -> list[EventType]:
        offered = tracker.get_slot("offered_slots") or []
        picked = entity(tracker, "choice")
        if picked and picked.isdigit() and 1 <= int(picked) <= len(offered):
            return await self.confirm(dispatcher, tracker, str(offered[int(picked) - 1]))
        return await self.propose(dispatcher, tracker)

    async def propose(self, dispatcher: CollectingDispatcher, tracker: Tracker) -> list[EventType]:
        journey, _ = current(tracker)
        journey_id = journey.id if journey else DEFAULT_JOURNEY
        where = tracker.get_slot("commune") or tracker.get_slot("postcode")
        where = where or (tracker.get_slot("triage") or {}).get("postcode")
        text = latest_text(tracker)
        now = utcnow()
        asked = read_when(text, now)
        wanted = None if isinstance(asked, DateProblem) else asked
        if isinstance(asked, DateProblem) and asked.kind != "unreadable":
            send(dispatcher, [Reply(asked.message)])  # "le 31 février", a Sunday, 3 a.m.
        mode = "telephone" if entity(tracker, "choice") == PHONE_CHOICE else None

        def work() -> Proposal:
            with session_scope() as session:
                return propose_slots(session, journey_id, where, wanted=wanted, mode=mode, now=now)

        proposal = await guarded(dispatcher, tracker, work)
        if proposal is None:
            return []
        if not proposal.choices:
            send(dispatcher, [Reply(proposal.message, (MENU,))])
            return [SlotSet("offered_slots", [])]
        if journey is None and not tracker.get_slot("rescheduling"):
            send(dispatcher, [say.who_you_will_meet()])  # "je voudrais quelqu'un pour m'aider"
        on_site = any(not c.slot.key.endswith(".telephone") for c in proposal.choices)
        buttons = choice_buttons(proposal.choices)  # no "plutôt par téléphone" under phone slots
        send(dispatcher, [say.proposal(proposal.message, buttons, by_phone=on_site)])
        return [SlotSet("offered_slots", [c.slot.key for c in proposal.choices])]

    async def confirm(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, key: str
    ) -> list[EventType]:
        moving = tracker.get_slot("rescheduling")
        journey, _ = current(tracker)
        now = utcnow()

        journey_id = journey.id if journey else None

        def work() -> tuple[str, str] | SlotUnavailable:
            with session_scope() as session:
                me = person_of(session, tracker)
                try:
                    if moving:
                        appointment = reschedule(session, me, str(moving), key, actor=me.actor,
                                                 now=now)  # fmt: skip
                    else:
                        helps = cares_for(session, me)
                        cases = [c for c in cases_of_contact(session, me, include_closed=False)
                                 if may_book(me, c, cares_for=helps,
                                             journey=journey_id)]  # fmt: skip
                        appointment = book(session, me, key, case=cases[0] if cases else None,
                                           booked_by=me.actor, journey=journey_id,
                                           now=now)  # fmt: skip
                except SlotUnavailable as gone:  # taken a moment ago, or no longer possible
                    return gone
                session.flush()
                return appointment.reference, describe_appointment(session, appointment, now)

        result = await guarded(dispatcher, tracker, work)
        if isinstance(result, SlotUnavailable):
            others = result.alternatives
            send(dispatcher, [Reply(result.message_fr, (*choice_buttons(others), MENU))])
            return [SlotSet("offered_slots", [c.slot.key for c in others])]
        if result is None:
            return [SlotSet("offered_slots", [])]
        reference, described = result
        send(dispatcher, [say.booked(described, reference, moved=bool(moving))])
        return [SlotSet("offered_slots", []), SlotSet("rescheduling", None)]


def _upcoming(tracker: Tracker) -> list[tuple[str, str]]:
    now = utcnow()
    with session_scope() as session:
        me = person_of(session, tracker)
        return [
            (a.reference, describe_appointment(session, a, now))
            for a in upcoming_appointments(session, me, now)
        ]


class ActionCancelAppointment(Action):
    """Cancel one's own appointment, after saying which one; nothing about anybody else's."""

    def name(self) -> str:
        return "action_cancel_appointment"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: Domain
    ) -> list[EventType]:
        text = latest_text(tracker)
        reference = entity(tracker, "choice") or parse_appointment_reference(text)
        if reference and reference.startswith("RDV-"):

            def work() -> str:
                with session_scope() as session:
                    me = person_of(session, tracker)
                    done = cancel(session, me, reference, actor=me.actor)
                    return describe_appointment(session, done, utcnow())

            described = await guarded(dispatcher, tracker, work)
            if described is not None:
                send(dispatcher, [say.cancelled(described)])
            return []
        upcoming = await guarded(dispatcher, tracker, lambda: _upcoming(tracker))
        if upcoming is None:
            return []
        if not upcoming:
            send(dispatcher, [say.no_upcoming()])
            return []
        send(dispatcher, [say.which_to_cancel(upcoming)])
        return []


class ActionRescheduleAppointment(Action):
    """Move one's appointment: new slots are offered; the old one is freed only once the new is
    taken."""

    def name(self) -> str:
        return "action_reschedule_appointment"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: Domain
    ) -> list[EventType]:
        upcoming = await guarded(dispatcher, tracker, lambda: _upcoming(tracker))
        if upcoming is None:
            return []
        if not upcoming:
            send(dispatcher, [say.no_upcoming()])
            return []
        reference, described = upcoming[0]
        send(dispatcher, [say.moving(described)])
        events = await ActionBookAppointment().propose(dispatcher, tracker)
        return [SlotSet("rescheduling", reference), *events]
