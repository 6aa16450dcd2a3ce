"""Booking actions on a seeded, migrated database: three slots, one booked, cancelled, moved."""

from __future__ import annotations

from datetime import date
from typing import Any

from rasa_sdk import Tracker
from rasa_sdk.executor import CollectingDispatcher

from actions.appointments import (
    ActionBookAppointment,
    ActionCancelAppointment,
    ActionRescheduleAppointment,
)
from devtools.seeds.booking import seed
from seniorplus.db import session_scope
from tests.unit.trackers import message_tracker, slots_of

PERSON = "+33677777777"
NEAR_ANCENIS = {"journey": "apa_domicile", "journey_step": 1, "commune": "Ancenis-Saint-Géréon"}


def said(dispatcher: CollectingDispatcher) -> str:
    return " ".join(str(m.get("text")) for m in dispatcher.messages)


def as_person(intent: str, slots: dict[str, Any], entities: list[Any] | None = None,
              text: str = "x", sender: str = PERSON) -> Tracker:  # fmt: skip
    tracker = message_tracker(intent, slots, entities, text=text)
    tracker.sender_id = sender
    return tracker


def seeded() -> None:
    with session_scope() as session:
        seed(session, date.today())


async def propose(slots: dict[str, Any], text: str = "je voudrais un rendez-vous") -> Any:
    dispatcher = CollectingDispatcher()
    events = await ActionBookAppointment().run(
        dispatcher, as_person("book_appointment", slots, text=text), {}
    )
    return dispatcher, slots_of(events)


async def test_three_slots_then_the_second_one_booked_once(database_url: str) -> None:
    seeded()
    dispatcher, slots = await propose(NEAR_ANCENIS)
    offered = slots["offered_slots"]
    assert len(offered) == 3
    titles = [b["title"] for b in dispatcher.messages[-1]["buttons"]]
    assert "Plutôt par téléphone" in titles and "Lequel vous convient" in said(dispatcher)
    state = {**NEAR_ANCENIS, "offered_slots": offered}
    booked = CollectingDispatcher()
    events = await ActionBookAppointment().run(
        booked, as_person("book_appointment", state, [{"entity": "choice", "value": "2"}]), {}
    )
    assert said(booked).startswith("C'est noté : rendez-vous") and "RDV-" in said(booked)
    assert slots_of(events)["offered_slots"] == []
    # a double tap on the same choice: the same appointment, not a second one
    again = CollectingDispatcher()
    await ActionBookAppointment().run(
        again, as_person("book_appointment", state, [{"entity": "choice", "value": "2"}]), {}
    )
    assert said(again) == said(booked)


async def test_a_booking_asked_before_any_aid_says_who_it_is_with(database_url: str) -> None:
    seeded()
    cold, slots = await propose({}, "je voudrais quelqu'un pour m'aider, je suis seule")
    assert cold.messages[0]["text"].startswith("Un médiateur de Senior Plus peut faire le point")
    assert len(slots["offered_slots"]) == 3
    during, _ = await propose(NEAR_ANCENIS)  # during a journey: the slots at once
    assert not said(during).startswith("Un médiateur")


async def test_the_slot_taken_by_someone_else_offers_another(database_url: str) -> None:
    seeded()
    _, slots = await propose(NEAR_ANCENIS)
    state = {**NEAR_ANCENIS, "offered_slots": slots["offered_slots"]}
    first = [{"entity": "choice", "value": "1"}]
    await ActionBookAppointment().run(
        CollectingDispatcher(), as_person("book_appointment", state, first), {}
    )
    late = CollectingDispatcher()
    events = await ActionBookAppointment().run(
        late, as_person("book_appointment", state, first, sender="+33688888888"), {}
    )
    assert "RDV-" not in said(late)
    assert len(slots_of(events)["offered_slots"]) >= 1  # alternatives, by number again


async def test_impossible_dates_are_explained_and_slots_still_offered(database_url: str) -> None:
    seeded()
    dispatcher, slots = await propose(NEAR_ANCENIS, "le 31 février")
    assert "février" in said(dispatcher) and len(slots["offered_slots"]) == 3
    sunday, _ = await propose(NEAR_ANCENIS, "dimanche")
    assert "dimanche" in said(sunday).lower() and "fermés" in said(sunday)


async def test_cancel_then_move_only_ones_own(database_url: str) -> None:
    seeded()
    _, slots = await propose(NEAR_ANCENIS)
    state = {**NEAR_ANCENIS, "offered_slots": slots["offered_slots"]}
    booked = CollectingDispatcher()
    await ActionBookAppointment().run(
        booked, as_person("book_appointment", state, [{"entity": "choice", "value": "1"}]), {}
    )
    reference = next(w.strip(".") for w in said(booked).split() if w.startswith("RDV-"))
    # someone else cannot cancel it, and is told nothing about it
    stranger = CollectingDispatcher()
    await ActionCancelAppointment().run(
        stranger, as_person("cancel_appointment", {}, text=f"annuler {reference}",
                            sender="+33699999999"), {}
    )  # fmt: skip
    assert "annulé" not in said(stranger)
    # moving: new slots, then the new one booked and the old one freed
    moving = CollectingDispatcher()
    events = await ActionRescheduleAppointment().run(
        moving, as_person("reschedule_appointment", NEAR_ANCENIS), {}
    )
    assert slots_of(events)["rescheduling"] == reference
    state = {**NEAR_ANCENIS, **slots_of(events)}
    moved = CollectingDispatcher()
    await ActionBookAppointment().run(
        moved, as_person("book_appointment", state, [{"entity": "choice", "value": "3"}]), {}
    )
    assert said(moved).startswith("C'est déplacé")
    new_reference = next(w.strip(".") for w in said(moved).split() if w.startswith("RDV-"))
    cancelled = CollectingDispatcher()
    await ActionCancelAppointment().run(
        cancelled,
        as_person("cancel_appointment", {}, [{"entity": "choice", "value": new_reference}]),
        {},
    )
    assert said(cancelled).startswith("C'est annulé")
    nothing = CollectingDispatcher()
    await ActionCancelAppointment().run(nothing, as_person("cancel_appointment", {}), {})
    assert "pas de rendez-vous à venir" in said(nothing)


async def test_without_a_commune_phone_slots_and_no_offer_of_the_phone_again(
    database_url: str,
) -> None:
    seeded()
    dispatcher, slots = await propose({"journey": "apa_domicile", "journey_step": 1})
    titles = [b["title"] for b in dispatcher.messages[-1]["buttons"]]
    assert len(slots["offered_slots"]) == 3
    assert all(key.endswith(".telephone") for key in slots["offered_slots"])
    assert "Plutôt par téléphone" not in titles
