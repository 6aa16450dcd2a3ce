"""Openings at the same moment, on SQLite and PostgreSQL: one case per person and journey,
distinct references, one contact per conversation. Threads, one session each."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from typing import Any, TypeVar

import pytest
from sqlalchemy import func, select

from seniorplus.cases import cases as cases_module
from seniorplus.cases import contact_for_conversation, open_case
from seniorplus.cases.models import Case, CaseDocument, CaseEvent, Contact
from seniorplus.db import session_scope

pytestmark = pytest.mark.usefixtures("database_url")
T = TypeVar("T")


def _race(count: int, work: Callable[[int], T]) -> list[T]:
    """Run ``work(i)`` in ``count`` threads released together."""
    barrier = threading.Barrier(count)

    def run(index: int) -> T:
        barrier.wait(timeout=30)
        return work(index)

    with ThreadPoolExecutor(max_workers=count) as pool:
        return list(pool.map(run, range(count)))


def _people(count: int) -> list[int]:
    with session_scope() as session:
        return [
            contact_for_conversation(session, f"+336000000{index:02d}", "sms").id
            for index in range(count)
        ]


def _open_for(contact_id: int) -> tuple[int, str, bool]:
    with session_scope() as session:
        person = session.get(Contact, contact_id)
        assert person is not None
        case, created = open_case(session, person, person, "apa_domicile", person.actor)
        return case.id, case.reference, created


def _count(model: type[object]) -> int:
    with session_scope() as session:
        return session.scalar(select(func.count()).select_from(model)) or 0


def test_same_person_same_journey_at_once_gives_one_case() -> None:
    [person] = _people(1)
    results = _race(8, lambda _: _open_for(person))
    assert len({case_id for case_id, _, _ in results}) == 1
    assert sum(created for _, _, created in results) == 1
    assert _count(Case) == 1
    assert _count(CaseEvent) == 1
    assert _count(CaseDocument) == 6  # the APA checklist, once


def test_an_opening_waiting_on_another_gets_the_other_case(
    database_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """B starts while A's case is written but not committed: B must end with A's case
    (on PostgreSQL through the unique violation and the re-read; SQLite makes B wait
    at BEGIN IMMEDIATE, so B simply finds A's case)."""
    [person] = _people(1)
    lookups: list[int] = []
    original = cases_module._open_case_of

    def counted(*args: Any) -> Case | None:
        lookups.append(threading.get_ident())
        return original(*args)

    monkeypatch.setattr(cases_module, "_open_case_of", counted)
    with session_scope() as session:
        contact = session.get(Contact, person)
        assert contact is not None
        first, created = open_case(session, contact, contact, "apa_domicile", contact.actor)
        assert created
        with ThreadPoolExecutor(max_workers=1) as pool:
            second = pool.submit(_open_for, person)
            time.sleep(0.5)  # B is now blocked behind A's locks
            assert not second.done()
            session.commit()
            case_id, reference, created_again = second.result(timeout=30)
    assert (case_id, reference, created_again) == (first.id, first.reference, False)
    assert _count(Case) == 1
    lookups_of_b = len([ident for ident in lookups if ident != threading.get_ident()])
    assert lookups_of_b == (2 if database_url.startswith("postgresql") else 1)


def test_twenty_people_at_once_get_twenty_distinct_references() -> None:
    people = _people(20)
    results = _race(20, lambda index: _open_for(people[index]))
    references = sorted(reference for _, reference, _ in results)
    assert all(created for _, _, created in results)
    assert len(set(references)) == 20
    # The counter gives every number once, without gaps.
    assert [int(reference[-6:]) for reference in references] == list(range(1, 21))


def test_same_conversation_at_once_gives_one_contact() -> None:
    def arrive(_: int) -> int:
        with session_scope() as session:
            return contact_for_conversation(session, "+33611112222", "sms").id

    ids = _race(8, arrive)
    assert len(set(ids)) == 1
    assert _count(Contact) == 1
