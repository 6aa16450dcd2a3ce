"""Who may book, cancel or move (seniorplus/booking/rules.py): every path, without a database.

The rule reads the objects it is given: transient model instances here, never stored. Who
helps which senior comes as ``cares_for``. The entrances that call it (actions, API,
console) are tested in test_actions_appointments.py, test_api_appointments.py and
test_console_cases.py.
"""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

import pytest

from seniorplus.booking.models import Appointment
from seniorplus.booking.rules import (
    ALLOWED,
    CANCELLED,
    CASE_CLOSED,
    CASE_NOT_THEIRS,
    ERASED,
    HELD_CANCEL,
    HELD_MOVE,
    NOT_THEIRS,
    Decision,
    Why,
    may_book,
    may_cancel,
    may_change,
    may_move,
)
from seniorplus.cases.models import Case, Contact

NOW = datetime(2026, 12, 7, 10, 0, tzinfo=timezone.utc)
SENIOR, DAUGHTER, STRANGER = 1, 2, 3


def person(contact_id: int, *, erased: bool = False) -> Contact:
    return Contact(id=contact_id, erased_at=NOW if erased else None)


def case(*, for_id: int = SENIOR, opened_by_id: int = SENIOR, status: str = "ouvert") -> Case:
    return Case(
        reference="SP-2026-000123",
        journey="apa_domicile",
        status=status,
        for_id=for_id,
        opened_by_id=opened_by_id,
    )


def appointment(
    *,
    contact_id: int = SENIOR,
    booked_by: str = "contact:1",
    status: str = "reserve",
    starts_in: timedelta = timedelta(days=2),
) -> Appointment:
    return Appointment(
        reference="RDV-7KQ4MX",
        contact_id=contact_id,
        booked_by=booked_by,
        status=status,
        starts_at=NOW + starts_in,
        ends_at=NOW + starts_in + timedelta(minutes=45),
    )


def daughter_of_senior(senior_id: int) -> bool:
    return senior_id == SENIOR


def refused(why: Why, reason: str) -> Decision:
    return Decision(False, why, reason)


# --- book ---------------------------------------------------------------------------------


def test_a_person_may_book_without_a_case() -> None:
    assert may_book(person(SENIOR)) == ALLOWED
    assert may_book(person(SENIOR))


def test_nobody_books_for_a_person_whose_data_was_erased() -> None:
    decision = may_book(person(SENIOR, erased=True), case())
    assert decision == refused("erased", ERASED)
    assert not decision


@pytest.mark.parametrize(
    ("who", "the_case"),
    [
        (SENIOR, case()),  # the senior the case is for
        (DAUGHTER, case(opened_by_id=DAUGHTER)),  # the one who opened it
        (DAUGHTER, case()),  # a caregiver of the senior (cares_for)
    ],
)
def test_a_case_is_theirs_three_ways(who: int, the_case: Case) -> None:
    assert may_book(person(who), the_case, cares_for=daughter_of_senior) == ALLOWED


def test_someone_else_s_case_is_refused_as_not_found() -> None:
    decision = may_book(person(STRANGER), case(), cares_for=lambda senior: senior == 99)
    assert decision == refused("case_not_theirs", CASE_NOT_THEIRS)
    # A caregiver link is not assumed: without it, the daughter is a stranger too.
    assert may_book(person(DAUGHTER), case()).why == "case_not_theirs"


def test_a_case_of_another_journey_is_refused_when_a_journey_is_named() -> None:
    decision = may_book(person(SENIOR), case(), journey="apa_etablissement")
    assert decision.why == "other_journey"
    assert decision.reason_fr == (
        "Le dossier SP-2026-000123 porte sur la démarche « apa_domicile »."
    )
    assert may_book(person(SENIOR), case(), journey="apa_domicile") == ALLOWED


def test_a_closed_case_takes_no_more_appointments() -> None:
    assert may_book(person(SENIOR), case(status="clos")) == refused("case_closed", CASE_CLOSED)
    for status in ("ouvert", "en_cours", "en_attente", "complet"):
        assert may_book(person(SENIOR), case(status=status)) == ALLOWED


def test_the_refusals_come_in_order_erased_theirs_journey_closed() -> None:
    closed_elsewhere = case(for_id=STRANGER, opened_by_id=STRANGER, status="clos")
    assert may_book(person(SENIOR, erased=True), closed_elsewhere).why == "erased"
    assert may_book(person(SENIOR), closed_elsewhere, journey="x").why == "case_not_theirs"
    assert may_book(person(SENIOR), case(status="clos"), journey="x").why == "other_journey"


# --- cancel -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("who", "rdv"),
    [
        (SENIOR, appointment()),  # for them
        (DAUGHTER, appointment(booked_by="contact:2")),  # booked by them
        (DAUGHTER, appointment(booked_by="agent:camille")),  # for a senior they help
    ],
)
def test_an_appointment_is_theirs_three_ways(who: int, rdv: Appointment) -> None:
    assert may_cancel(person(who), rdv, NOW, cares_for=daughter_of_senior) == ALLOWED
    assert may_move(person(who), rdv, NOW, cares_for=daughter_of_senior) == ALLOWED


def test_someone_else_s_appointment_is_not_found() -> None:
    rdv = appointment()
    assert may_cancel(person(STRANGER), rdv, NOW) == refused("not_theirs", NOT_THEIRS)
    assert may_move(person(STRANGER), rdv, NOW) == refused("not_theirs", NOT_THEIRS)


def test_cancelling_a_cancelled_appointment_is_allowed_and_changes_nothing() -> None:
    assert may_cancel(person(SENIOR), appointment(status="annule"), NOW) == ALLOWED


@pytest.mark.parametrize(
    "rdv",
    [
        appointment(status="effectue"),
        appointment(starts_in=timedelta(0)),  # starting now
        appointment(starts_in=-timedelta(hours=1)),
    ],
)
def test_an_appointment_held_is_neither_cancelled_nor_moved(rdv: Appointment) -> None:
    assert may_cancel(person(SENIOR), rdv, NOW) == refused("held", HELD_CANCEL)
    assert may_move(person(SENIOR), rdv, NOW) == refused("held", HELD_MOVE)
    assert not may_change(rdv, NOW)


def test_a_cancelled_appointment_is_not_moved() -> None:
    decision = may_move(person(SENIOR), appointment(status="annule"), NOW)
    assert decision == refused("cancelled", CANCELLED)


def test_an_erased_person_s_appointment_is_not_moved() -> None:
    rdv = appointment(booked_by="agent:camille")
    owner = person(SENIOR, erased=True)
    assert may_move(owner, rdv, NOW, owner=owner) == refused("erased", ERASED)
    assert may_move(person(SENIOR), rdv, NOW, owner=person(SENIOR)) == ALLOWED


def test_the_console_offers_changes_only_for_reserved_appointments_to_come() -> None:
    assert may_change(appointment(), NOW)
    assert not may_change(appointment(status="annule"), NOW)
    assert not may_change(appointment(starts_in=timedelta(seconds=-1)), NOW)
