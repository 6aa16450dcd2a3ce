"""Migration 0003 on SQLite and PostgreSQL: tables, down and up, and the constraints that
carry the concurrency rules (one open case per person and journey, no double booking)."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import datetime, time, timedelta, timezone

import pytest
from alembic import command
from alembic.config import Config
from sqlalchemy import Engine, inspect
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from seniorplus.booking.models import Appointment, Mediator, MediatorAvailability, Site
from seniorplus.cases.models import Case, Contact
from seniorplus.db import make_engine
from seniorplus.jobs.models import ScheduledJob

TABLES_0003 = {
    "contacts",
    "caregiver_links",
    "case_counters",
    "cases",
    "case_documents",
    "case_events",
    "sites",
    "mediators",
    "mediator_skills",
    "mediator_availabilities",
    "mediator_absences",
    "appointments",
    "scheduled_jobs",
}
AT = datetime(2026, 12, 1, 9, 0, tzinfo=timezone.utc)


@pytest.fixture
def engine(database_url: str) -> Iterator[Engine]:
    engine = make_engine(database_url, pooled=False)
    yield engine
    engine.dispose()


def _tables(url: str) -> set[str]:
    engine = make_engine(url, pooled=False)
    try:
        return set(inspect(engine).get_table_names())
    finally:
        engine.dispose()


@pytest.mark.parametrize(
    "backend", ["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)]
)
def test_0003_up_down_up(
    request: pytest.FixtureRequest, backend: str, make_alembic_config: Callable[..., Config]
) -> None:
    url: str = request.getfixturevalue(f"{backend}_url")
    cfg = make_alembic_config(url)
    command.upgrade(cfg, "0003")
    assert _tables(url) >= TABLES_0003
    command.downgrade(cfg, "0002")
    tables = _tables(url)
    assert not TABLES_0003 & tables
    assert {"privacy_notices", "channel_opt_outs", "callback_requests"} <= tables
    command.upgrade(cfg, "head")
    assert _tables(url) >= TABLES_0003


def test_partial_unique_indexes_exist(engine: Engine) -> None:
    inspector = inspect(engine)
    cases = {index["name"]: index for index in inspector.get_indexes("cases")}
    assert cases["uq_cases_open_per_journey"]["unique"]
    assert cases["uq_cases_open_per_journey"]["column_names"] == ["for_id", "journey"]
    slots = {index["name"]: index for index in inspector.get_indexes("appointments")}
    assert slots["uq_appointments_reserved_slot"]["unique"]


def _contact(session: Session, conversation_id: str) -> Contact:
    contact = Contact(conversation_id=conversation_id, preferred_channel="rest")
    session.add(contact)
    session.flush()
    return contact


def _case(contact: Contact, reference: str, status: str = "ouvert") -> Case:
    return Case(
        reference=reference,
        journey="apa_domicile",
        status=status,
        opened_by_id=contact.id,
        for_id=contact.id,
    )


def test_database_refuses_a_second_open_case_of_a_journey(engine: Engine) -> None:
    with Session(engine) as session:
        person = _contact(session, "p1")
        session.add(_case(person, "SP-2026-000001"))
        session.commit()
        session.add(_case(person, "SP-2026-000002"))
        with pytest.raises(IntegrityError):
            session.commit()
        session.rollback()
        # A closed case does not count: the journey can start again.
        session.add(_case(person, "SP-2026-000003", status="clos"))
        session.commit()
        first = session.query(Case).filter_by(reference="SP-2026-000001").one()
        first.status = "clos"
        session.commit()
        session.add(_case(person, "SP-2026-000004"))
        session.commit()


def test_database_refuses_a_double_booking(engine: Engine) -> None:
    with Session(engine) as session:
        person = _contact(session, "p1")
        site = Site(
            name="France Services",
            kind="France Services",
            commune="Nantes",
            postcode="44000",
            address="1 rue de la Paix",
        )
        mediator = Mediator(name="Claire Martin", site=site, modes="sur_place,telephone")
        session.add_all([site, mediator])
        session.flush()

        def booking(reference: str, status: str = "reserve") -> Appointment:
            return Appointment(
                reference=reference,
                mediator_id=mediator.id,
                contact_id=person.id,
                starts_at=AT,
                ends_at=AT + timedelta(minutes=45),
                mode="sur_place",
                status=status,
                booked_by=person.actor,
            )

        session.add(booking("RDV-AAAAAA"))
        session.commit()
        session.add(booking("RDV-BBBBBB"))
        with pytest.raises(IntegrityError):
            session.commit()
        session.rollback()
        session.add(booking("RDV-CCCCCC", status="annule"))  # cancelled ones do not count
        session.commit()
        assert mediator.mode_list == ("sur_place", "telephone")


@pytest.mark.parametrize(
    "bad",
    [
        lambda c: Contact(conversation_id="x", preferred_channel="fax"),
        lambda c: _case(c, "SP-2026-000009", status="perdu"),
        lambda c: ScheduledJob(kind="rappel_veille", key="k", run_at=AT, status="peut-etre"),
    ],
)
def test_check_constraints_refuse_unknown_values(
    engine: Engine, bad: Callable[[Contact], object]
) -> None:
    with Session(engine) as session:
        person = _contact(session, "p1")
        session.commit()
        session.add(bad(person))
        with pytest.raises(IntegrityError):
            session.commit()


def test_availability_checks(engine: Engine) -> None:
    with Session(engine) as session:
        site = Site(name="CLIC", kind="CLIC", commune="Rezé", postcode="44400", address="2 rue")
        mediator = Mediator(name="Paul", site=site)
        session.add_all([site, mediator])
        session.commit()
        session.add(
            MediatorAvailability(
                mediator_id=mediator.id, weekday=7, start_time=time(9), end_time=time(12)
            )
        )
        with pytest.raises(IntegrityError):
            session.commit()
        session.rollback()
        session.add(
            MediatorAvailability(
                mediator_id=mediator.id, weekday=1, start_time=time(12), end_time=time(9)
            )
        )
        with pytest.raises(IntegrityError):
            session.commit()
