"""Booking over the database, on SQLite and PostgreSQL: proposals, booking, double tap,
someone else's slot or appointment, cancel, reschedule, scheduled jobs."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta, timezone
from zoneinfo import ZoneInfo

import pytest
from alembic import command
from alembic.config import Config
from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from seniorplus.booking import service
from seniorplus.booking.dates import WantedTime, read_when
from seniorplus.booking.models import (
    Appointment,
    Mediator,
    MediatorAbsence,
    MediatorAvailability,
    MediatorSkill,
    Site,
)
from seniorplus.booking.service import (
    AppointmentNotFound,
    BookingError,
    SlotTaken,
    SlotUnavailable,
    book,
    cancel,
    propose_slots,
    reschedule,
)
from seniorplus.booking.slots import Slot
from seniorplus.cases import contact_for_conversation, link_caregiver, open_case
from seniorplus.cases.models import CaseEvent, Contact
from seniorplus.db import session_scope
from seniorplus.jobs.models import ScheduledJob
from tests.unit.agenda_builders import (
    WEEKDAYS,
    add_clisson_site,
    add_mediator,
    add_openings,
    add_site,
)

PARIS = ZoneInfo("Europe/Paris")
UTC = timezone.utc
NOW = datetime(2026, 11, 30, 10, 0, tzinfo=PARIS)  # a Monday
TUESDAY, WEDNESDAY, THURSDAY = date(2026, 12, 1), date(2026, 12, 2), date(2026, 12, 3)
ALICE, BOB, CAROL = "+33611111111", "+33622222222", "+33633333333"


def at(day: date, hour: int, minute: int = 0) -> datetime:
    return datetime.combine(day, time(hour, minute), tzinfo=PARIS)


@dataclass(frozen=True)
class Agenda:
    clisson: int
    nantes: int
    m_clisson: int  # apa_domicile; away on Tuesday 1 December; phone on Tuesday afternoon
    m_nantes: int  # apa_domicile, protection_juridique; 9:00-10:30 on weekdays
    m_ehpad: int  # ehpad only, Nantes


def build_agenda(session: Session) -> Agenda:
    """Two sites, three mediators (fixed test data, not the demo seed)."""
    clisson = add_clisson_site(session)
    nantes = add_site(session, "France Services Nantes (test)", "Nantes", "44000", "2 rue de test")
    m_clisson = add_mediator(
        session,
        clisson,
        "Médiatrice Clisson",
        modes="sur_place,telephone",
        journeys=["apa_domicile"],
    )
    m_nantes = add_mediator(
        session, nantes, "Médiateur Nantes", journeys=["apa_domicile", "protection_juridique"]
    )
    m_ehpad = add_mediator(session, nantes, "Médiatrice EHPAD", journeys=["ehpad"])
    session.add(
        MediatorAbsence(
            mediator_id=m_clisson.id,
            starts_at=at(TUESDAY, 0),
            ends_at=at(WEDNESDAY, 0),
            reason="formation",
        )
    )
    add_openings(session, m_clisson, [1], time(14, 0), time(15, 30), modes="telephone")
    add_openings(session, m_clisson, WEEKDAYS, time(9, 0), time(12, 0))
    add_openings(session, m_nantes, WEEKDAYS, time(9, 0), time(10, 30))
    add_openings(session, m_ehpad, WEEKDAYS, time(14, 0), time(17, 0))
    return Agenda(clisson.id, nantes.id, m_clisson.id, m_nantes.id, m_ehpad.id)


def person(session: Session, phone: str) -> Contact:
    return contact_for_conversation(session, phone, "sms")


def slot_at(agenda: Agenda, start: datetime, mediator: str = "m_clisson") -> Slot:
    mediator_id = getattr(agenda, mediator)
    site = agenda.clisson if mediator == "m_clisson" else agenda.nantes
    utc = start.astimezone(UTC)
    return Slot(utc, utc + timedelta(minutes=45), mediator_id, site, "sur_place")


def count(model: type[object], *where: object) -> int:
    with session_scope() as session:
        query = select(func.count()).select_from(model)
        for clause in where:
            query = query.where(clause)  # type: ignore[arg-type]
        return session.scalar(query) or 0


def jobs() -> dict[str, tuple[str, str, datetime]]:
    with session_scope() as session:
        return {j.key: (j.kind, j.status, j.run_at) for j in session.scalars(select(ScheduledJob))}


@pytest.fixture
def agenda(database_url: str) -> Agenda:
    with session_scope() as session:
        return build_agenda(session)


# --- proposals ------------------------------------------------------------------------


def test_proposals_respect_skills_absences_bookings_and_nearest_site(agenda: Agenda) -> None:
    with session_scope() as session:
        bob = person(session, BOB)
        book(session, bob, slot_at(agenda, at(WEDNESDAY, 9, 45)), now=NOW)
    with session_scope() as session:
        proposal = propose_slots(session, "apa_domicile", "Clisson", now=NOW)
    # Tuesday is an absence, Wednesday 9:45 is Bob's: the nearest site, Clisson.
    assert [c.slot.starts_at for c in proposal.choices] == [
        at(WEDNESDAY, 9),
        at(WEDNESDAY, 10, 30),
        at(WEDNESDAY, 11, 15),
    ]
    assert {c.site_name for c in proposal.choices} == {"France Services Clisson (test)"}
    assert proposal.choices[0].label == (
        "mercredi 2 décembre à 9 h, France Services Clisson (test)"
    )
    assert proposal.reason == "ok" and proposal.place is not None
    with session_scope() as session:
        nantes = propose_slots(session, "apa_domicile", "44400", now=NOW)  # Rezé
        legal = propose_slots(session, "protection_juridique", "Clisson", now=NOW)
        ehpad = propose_slots(session, "ehpad", "Nantes", now=NOW)
    assert [c.slot.starts_at for c in nantes.choices][:2] == [at(TUESDAY, 9), at(TUESDAY, 9, 45)]
    assert {c.slot.mediator_id for c in legal.choices} == {agenda.m_nantes}
    assert {c.slot.mediator_id for c in ehpad.choices} == {agenda.m_ehpad}


def test_unknown_commune_gets_phone_slots_with_an_explanation(agenda: Agenda) -> None:
    with session_scope() as session:
        proposal = propose_slots(session, "apa_domicile", "Paris", now=NOW)
    assert proposal.reason == "unknown_place"
    assert proposal.message.startswith("Je ne connais pas cette commune.")
    assert {c.slot.mode for c in proposal.choices} == {"telephone"}
    assert proposal.choices[0].label == "mardi 8 décembre à 14 h, par téléphone"


def test_a_wish_that_cannot_be_met_is_said(agenda: Agenda) -> None:
    wish = read_when("jeudi après-midi", NOW)
    assert isinstance(wish, WantedTime)
    with session_scope() as session:
        proposal = propose_slots(session, "apa_domicile", "Clisson", wanted=wish, now=NOW)
    assert not proposal.matched
    assert proposal.message.startswith("Il n'y a plus de place jeudi 3 décembre après-midi.")
    # The nearest free slots from the day asked: that Thursday morning.
    assert proposal.choices[0].slot.starts_at == at(THURSDAY, 9)


# --- booking --------------------------------------------------------------------------


def test_book_writes_the_appointment_and_two_jobs(agenda: Agenda) -> None:
    with session_scope() as session:
        alice = person(session, ALICE)
        appointment = book(session, alice, slot_at(agenda, at(WEDNESDAY, 9)), now=NOW)
        reference, appointment_id = appointment.reference, appointment.id
        assert appointment.status == "reserve" and appointment.booked_by == alice.actor
        assert service.describe_appointment(session, appointment, NOW) == (
            "mercredi 2 décembre à 9 h, France Services Clisson (test), 1 rue de test, "
            "44190 Clisson"
        )
    assert reference.startswith("RDV-") and len(reference) == 10
    assert jobs() == {
        f"confirmation:appointment:{appointment_id}": ("confirmation", "en_attente", NOW),
        f"rappel:appointment:{appointment_id}": ("rappel_veille", "en_attente", at(TUESDAY, 10)),
    }


def test_double_tap_returns_the_same_appointment(agenda: Agenda) -> None:
    slot = slot_at(agenda, at(WEDNESDAY, 9))
    with session_scope() as session:
        first = book(session, person(session, ALICE), slot, now=NOW)
    with session_scope() as session:
        again = book(session, person(session, ALICE), slot.key, now=NOW)  # the button's key
    assert again.id == first.id
    assert count(Appointment) == 1
    assert len(jobs()) == 2


def test_someone_else_gets_slot_taken_with_an_alternative(agenda: Agenda) -> None:
    slot = slot_at(agenda, at(WEDNESDAY, 9))
    with session_scope() as session:
        book(session, person(session, ALICE), slot, journey="apa_domicile", now=NOW)
    with session_scope() as session, pytest.raises(SlotTaken) as taken:
        book(session, person(session, BOB), slot, journey="apa_domicile", now=NOW)
    assert taken.value.message_fr == "Ce rendez-vous vient d'être pris par quelqu'un d'autre."
    alternative = taken.value.alternative
    assert alternative is not None
    assert alternative.slot.starts_at == at(WEDNESDAY, 9, 45)
    assert alternative.slot.site_id == agenda.clisson
    assert count(Appointment) == 1
    assert count(Contact) == 2  # Bob's contact was committed, nothing of his booking


def test_a_slot_outside_the_calendar_is_refused(agenda: Agenda) -> None:
    bad = [
        at(WEDNESDAY, 9, 10),  # not on the grid
        at(TUESDAY, 9),  # the mediator is away
        at(date(2026, 12, 6), 9),  # a Sunday
        at(date(2026, 12, 25), 9),  # Christmas
        at(date(2026, 11, 30), 11, 15),  # today: before the notice
        at(date(2026, 11, 27), 9),  # the past
    ]
    for start in bad:
        with session_scope() as session, pytest.raises(SlotUnavailable) as refused:
            book(session, person(session, ALICE), slot_at(agenda, start), now=NOW)
        assert not isinstance(refused.value, SlotTaken)
        assert refused.value.message_fr == "Ce rendez-vous n'est plus proposé."
        assert refused.value.alternatives
    with session_scope() as session, pytest.raises(BookingError):
        book(session, person(session, ALICE), "not-a-slot", now=NOW)
    with session_scope() as session, pytest.raises(SlotUnavailable):  # no phone on Wednesday
        book(
            session, person(session, ALICE), slot_at(agenda, at(WEDNESDAY, 9)), "telephone", now=NOW
        )
    assert count(Appointment) == 0
    assert jobs() == {}


def test_booked_the_day_before_has_no_reminder(agenda: Agenda) -> None:
    late = datetime(2026, 11, 30, 15, 0, tzinfo=PARIS)
    with session_scope() as session:
        appointment = book(
            session, person(session, ALICE), slot_at(agenda, at(TUESDAY, 9), "m_nantes"), now=late
        )
        appointment_id = appointment.id
    assert list(jobs()) == [f"confirmation:appointment:{appointment_id}"]


def test_job_keys_are_unique_in_the_database(agenda: Agenda) -> None:
    with session_scope() as session:
        appointment = book(
            session, person(session, ALICE), slot_at(agenda, at(WEDNESDAY, 9)), now=NOW
        )
        key = f"rappel:appointment:{appointment.id}"
    with pytest.raises(IntegrityError), session_scope() as session:
        session.add(ScheduledJob(kind="rappel_veille", key=key, run_at=NOW, payload="{}"))
        session.flush()
    assert count(ScheduledJob) == 2


def test_booking_for_a_case_records_it_in_the_history(agenda: Agenda) -> None:
    with session_scope() as session:
        alice = person(session, ALICE)
        case, _ = open_case(session, alice, alice, "apa_domicile", alice.actor)
        appointment = book(session, alice, slot_at(agenda, at(WEDNESDAY, 9)), case=case, now=NOW)
        assert appointment.case_id == case.id
        case_id = case.id
        reference = appointment.reference
    with session_scope() as session:
        events = list(
            session.scalars(
                select(CaseEvent).where(CaseEvent.case_id == case_id, CaseEvent.action == "rdv")
            )
        )
    assert [e.details for e in events] == [{"reference": reference, "etat": "reserve"}]


def test_someone_elses_case_is_refused(agenda: Agenda) -> None:
    with session_scope() as session:
        alice = person(session, ALICE)
        case, _ = open_case(session, alice, alice, "apa_domicile", alice.actor)
        bob = person(session, BOB)
        with pytest.raises(BookingError, match="Je ne trouve pas ce dossier"):
            book(session, bob, slot_at(agenda, at(WEDNESDAY, 9)), case=case, now=NOW)
    assert count(Appointment) == 0


# --- cancel ---------------------------------------------------------------------------


def test_cancel_frees_the_slot_and_cancels_the_jobs(agenda: Agenda) -> None:
    slot = slot_at(agenda, at(WEDNESDAY, 9))
    with session_scope() as session:
        appointment = book(session, person(session, ALICE), slot, now=NOW)
        reference, appointment_id = appointment.reference, appointment.id
    typed = reference.lower().replace("-", " ")[:6] + " " + reference[6:].lower()  # "rdv 7k qm4x"
    with session_scope() as session:
        cancelled = cancel(session, person(session, ALICE), typed, now=NOW)
        assert cancelled.status == "annule" and cancelled.cancelled_at == NOW
    assert jobs() == {
        f"confirmation:appointment:{appointment_id}": ("confirmation", "annule", NOW),
        f"rappel:appointment:{appointment_id}": ("rappel_veille", "annule", at(TUESDAY, 10)),
        f"annulation:appointment:{appointment_id}": ("confirmation", "en_attente", NOW),
    }
    with session_scope() as session:
        proposal = propose_slots(session, "apa_domicile", "Clisson", now=NOW)
        assert proposal.choices[0].slot.starts_at == at(WEDNESDAY, 9)
        bob_appointment = book(session, person(session, BOB), slot, now=NOW)
        assert bob_appointment.status == "reserve"
    with session_scope() as session:  # cancelling again: nothing more
        again = cancel(session, person(session, ALICE), reference, now=NOW)
        assert again.status == "annule"
    assert count(ScheduledJob) == 3 + 2
    assert count(Appointment, Appointment.status == "reserve") == 1


def test_someone_elses_appointment_is_not_revealed(agenda: Agenda) -> None:
    with session_scope() as session:
        reference = book(
            session, person(session, ALICE), slot_at(agenda, at(WEDNESDAY, 9)), now=NOW
        ).reference
    with session_scope() as session, pytest.raises(AppointmentNotFound) as not_hers:
        cancel(session, person(session, BOB), reference, now=NOW)
    with session_scope() as session, pytest.raises(AppointmentNotFound) as unknown:
        cancel(session, person(session, BOB), "RDV-ZZZZZZ", now=NOW)
    with session_scope() as session, pytest.raises(AppointmentNotFound) as garbage:
        cancel(session, person(session, BOB), "mon rendez-vous", now=NOW)
    assert not_hers.value.message_fr == unknown.value.message_fr == garbage.value.message_fr
    assert reference not in not_hers.value.message_fr
    with session_scope() as session, pytest.raises(AppointmentNotFound):
        reschedule(
            session, person(session, BOB), reference, slot_at(agenda, at(THURSDAY, 9)), now=NOW
        )
    assert count(Appointment, Appointment.status == "reserve") == 1


def test_a_caregiver_may_cancel_for_the_senior(agenda: Agenda) -> None:
    with session_scope() as session:
        mother, daughter = person(session, ALICE), person(session, CAROL)
        link_caregiver(session, daughter, mother, "fille")
        reference = book(session, mother, slot_at(agenda, at(WEDNESDAY, 9)), now=NOW).reference
    with session_scope() as session:
        assert cancel(session, person(session, CAROL), reference, now=NOW).status == "annule"


def test_a_past_appointment_cannot_be_cancelled(agenda: Agenda) -> None:
    with session_scope() as session:
        reference = book(
            session, person(session, ALICE), slot_at(agenda, at(WEDNESDAY, 9)), now=NOW
        ).reference
    after = at(WEDNESDAY, 11)
    with session_scope() as session, pytest.raises(BookingError, match="déjà eu lieu"):
        cancel(session, person(session, ALICE), reference, now=after)


# --- reschedule -----------------------------------------------------------------------


def test_reschedule_moves_the_appointment(agenda: Agenda) -> None:
    with session_scope() as session:
        old = book(session, person(session, ALICE), slot_at(agenda, at(WEDNESDAY, 9)), now=NOW)
        old_reference, old_id = old.reference, old.id
    target = slot_at(agenda, at(THURSDAY, 10, 30))
    with session_scope() as session:
        new = reschedule(session, person(session, ALICE), old_reference, target, now=NOW)
        new_id, new_reference = new.id, new.reference
        assert new.starts_at == at(THURSDAY, 10, 30) and new.status == "reserve"
    assert new_reference != old_reference
    with session_scope() as session:
        assert session.get(Appointment, old_id).status == "annule"  # type: ignore[union-attr]
        payload = session.scalar(
            select(ScheduledJob.payload).where(
                ScheduledJob.key == f"confirmation:appointment:{new_id}"
            )
        )
    assert payload is not None and f'"replaces": "{old_reference}"' in payload
    assert jobs()[f"rappel:appointment:{old_id}"][1] == "annule"
    assert jobs()[f"rappel:appointment:{new_id}"] == (
        "rappel_veille",
        "en_attente",
        at(WEDNESDAY, 10),
    )
    assert f"annulation:appointment:{old_id}" not in jobs()  # the move's confirmation says it
    with session_scope() as session:  # a double tap of the move
        again = reschedule(session, person(session, ALICE), old_reference, target.key, now=NOW)
        assert again.id == new_id
    assert count(Appointment) == 2


def test_reschedule_to_a_taken_slot_keeps_the_old_one(agenda: Agenda) -> None:
    taken = slot_at(agenda, at(THURSDAY, 9))
    with session_scope() as session:
        old = book(session, person(session, ALICE), slot_at(agenda, at(WEDNESDAY, 9)), now=NOW)
        old_reference, old_id = old.reference, old.id
        book(session, person(session, BOB), taken, now=NOW)
    with session_scope() as session, pytest.raises(SlotTaken) as refused:
        reschedule(session, person(session, ALICE), old_reference, taken, now=NOW)
    assert refused.value.alternative is not None
    with session_scope() as session:
        kept = session.get(Appointment, old_id)
        assert kept is not None and kept.status == "reserve" and kept.cancelled_at is None
    assert jobs()[f"rappel:appointment:{old_id}"][1] == "en_attente"
    assert count(Appointment) == 2
    with session_scope() as session, pytest.raises(SlotUnavailable):  # a Sunday
        reschedule(
            session,
            person(session, ALICE),
            old_reference,
            slot_at(agenda, at(date(2026, 12, 6), 9)),
            now=NOW,
        )
    with session_scope() as session:
        assert session.get(Appointment, old_id).status == "reserve"  # type: ignore[union-attr]


def test_upcoming_appointments(agenda: Agenda) -> None:
    with session_scope() as session:
        alice = person(session, ALICE)
        second = book(session, alice, slot_at(agenda, at(THURSDAY, 9)), now=NOW)
        first = book(session, alice, slot_at(agenda, at(WEDNESDAY, 9)), now=NOW)
        assert service.upcoming_appointments(session, alice, NOW) == [first, second]
        assert service.upcoming_appointments(session, person(session, BOB), NOW) == []


# --- demo data ------------------------------------------------------------------------


def test_seed_is_idempotent_and_usable(database_url: str) -> None:
    from devtools.seeds.booking import seed

    with session_scope() as session:
        first = seed(session, date(2026, 11, 30))
    with session_scope() as session:
        second = seed(session, date(2026, 12, 15))
    assert (first.sites, first.mediators, first.absences) == (7, 8, 3)
    assert first.skills == count(MediatorSkill) and first.openings == count(MediatorAvailability)
    assert vars(second) == {"sites": 0, "mediators": 0, "skills": 0, "openings": 0, "absences": 0}
    assert count(Site) == 7 and count(Mediator) == 8 and count(MediatorAbsence) == 3
    with session_scope() as session:
        for town, commune in [
            ("Clisson", "Clisson"),
            ("44150", "Ancenis-Saint-Géréon"),
            ("Pornic", "Pornic"),
            ("Le Croisic", "Saint-Nazaire"),
        ]:
            proposal = propose_slots(session, "apa_domicile", town, now=NOW)
            assert len(proposal.choices) == 3
            assert {c.site_commune for c in proposal.choices} == {commune}


def test_seed_data_is_consistent() -> None:
    from devtools.seeds.booking import MEDIATORS, SITES
    from seniorplus.journeys import load_all

    journeys = set(load_all())
    assert 6 <= len(MEDIATORS) <= 8
    assert all(set(m.skills) <= journeys for m in MEDIATORS)
    for journey in journeys:  # every journey has someone on site and someone by phone
        able = [m for m in MEDIATORS if journey in m.skills]
        assert able, journey
        assert any("telephone" in modes for m in able for _, _, modes in m.week), journey
    names = {s.name for s in SITES}
    assert {m.site for m in MEDIATORS} == names  # no empty site
    for site in SITES:
        sourced = site.address != "Adresse fictive (démo)"
        assert sourced != site.name.endswith("(démo)"), site.name
    assert all(m.name.endswith("(démo)") for m in MEDIATORS)


def test_seed_command_refuses_production_and_postgres(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    from devtools.seeds.booking import SeedRefused, check_target, main
    from seniorplus.settings import Settings, get_settings

    with pytest.raises(SeedRefused, match="production"):
        check_target(Settings.from_env({"RASA_TOKEN": "a-real-secret"}), force_dev_postgres=True)
    postgres = Settings.from_env({"APP_ENV": "dev", "DATABASE_URL": "postgresql://u@localhost/d"})
    with pytest.raises(SeedRefused, match="--force-dev-postgres"):
        check_target(postgres)
    check_target(postgres, force_dev_postgres=True)
    check_target(Settings.from_env({"APP_ENV": "dev", "DATABASE_URL": "sqlite:///x.db"}))
    monkeypatch.setenv("APP_ENV", "production")
    monkeypatch.setenv("RASA_TOKEN", "a-real-looking-token-for-this-test-0123456789")
    get_settings.cache_clear()
    assert main([]) == 2
    assert "APP_ENV=production" in capsys.readouterr().err


def test_seed_command_on_the_embedded_database(
    sqlite_url: str,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    make_alembic_config: Callable[..., Config],
) -> None:
    from devtools.seeds.booking import main
    from seniorplus.db import reset_engine
    from seniorplus.settings import get_settings

    monkeypatch.setenv("DATABASE_URL", sqlite_url)
    get_settings.cache_clear()
    reset_engine()
    assert main([]) == 1  # not migrated yet
    assert "make migrate" in capsys.readouterr().out
    command.upgrade(make_alembic_config(sqlite_url), "head")
    reset_engine()
    assert main([]) == 0
    assert "7 site(s), 8 conseiller(s)" in capsys.readouterr().out
    assert main([]) == 0
    assert "0 site(s), 0 conseiller(s), 0 compétence(s)" in capsys.readouterr().out


def test_reschedule_to_a_phone_slot_takes_its_mode(agenda: Agenda) -> None:
    with session_scope() as session:
        old = book(session, person(session, ALICE), slot_at(agenda, at(WEDNESDAY, 9)), now=NOW)
        old_reference = old.reference
        phone = propose_slots(session, "apa_domicile", None, now=NOW)
    assert phone.message == "Je vous propose un rendez-vous par téléphone :"
    with session_scope() as session:
        new = reschedule(
            session, person(session, ALICE), old_reference, phone.choices[0].slot.key, now=NOW
        )
        assert (new.mode, new.starts_at) == ("telephone", at(date(2026, 12, 8), 14))
        assert service.describe_appointment(session, new, NOW) == (
            "mardi 8 décembre à 14 h, par téléphone : Médiatrice Clisson vous appellera"
        )
