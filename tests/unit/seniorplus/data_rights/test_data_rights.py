"""Data rights on SQLite and PostgreSQL: erase, history erasure job, retention purge, export."""

from __future__ import annotations

import json
from datetime import date, datetime, timedelta, timezone
from typing import Any

import pytest
from sqlalchemy import func, select

from devtools.seeds.booking import seed
from seniorplus.booking.models import Appointment
from seniorplus.booking.service import book, propose_slots
from seniorplus.cases import contact_for_conversation, link_caregiver, open_case
from seniorplus.cases.audit import SYSTEM
from seniorplus.cases.models import CaregiverLink, Case, CaseEvent, Contact
from seniorplus.data_rights import DataRightsSettings, collect, erase_person, export_person
from seniorplus.data_rights.jobs import apply_result, ensure_daily_purge, run_data_job
from seniorplus.data_rights.retention import purge_expired
from seniorplus.db import session_scope
from seniorplus.handoff.models import Handoff
from seniorplus.handoff.service import request_handoff
from seniorplus.history.transcripts import TranscriptStore
from seniorplus.jobs.models import ScheduledJob
from seniorplus.models import (
    Call,
    CallbackRequest,
    ChannelIdentity,
    ChannelOptOut,
    PrivacyNoticeShown,
)
from tests.unit.data_rights_helpers import say, tracker_store, window, windows

DAUGHTER = "+33612345678"
NEIGHBOUR = "+33698765432"
NOW = datetime.now(timezone.utc)
SETTINGS = DataRightsSettings(erasure_delay_s=120)


def daughter_with_everything(session: Any) -> dict[str, Any]:
    """A daughter who opened her mother's APA case, booked a meeting, called, sent STOP."""
    seed(session, date.today())
    me = contact_for_conversation(session, DAUGHTER, "sms")
    me.display_name = "Claire Martin"
    link = link_caregiver(session, me, "Jeanne Martin", "mère")
    mother = session.get(Contact, link.senior_id)
    case, _ = open_case(session, me, mother, "apa_domicile", me.actor)
    proposal = propose_slots(session, "apa_domicile", "Clisson")
    appointment = book(session, me, proposal.choices[0].slot, case=case, now=NOW)
    session.add_all(
        [
            Call(call_sid="CA" + "1" * 32, phone=DAUGHTER),
            CallbackRequest(phone=DAUGHTER, reason="out_of_hours"),
            ChannelIdentity(channel="telegram", address="555001", phone=DAUGHTER),
            ChannelOptOut(channel="sms", address=DAUGHTER),
            PrivacyNoticeShown(conversation_id=DAUGHTER, channel="sms", notice_version="1"),
        ]
    )
    request_handoff(session, DAUGHTER, "sms", "demande", "Une fille pour sa mère", contact_id=me.id)
    session.flush()
    return {"me": me, "mother": mother, "case": case, "appointment": appointment}


@pytest.fixture
def tracker_url(database_url: str) -> str:
    """Rasa's tracker store: its own SQLite file (as in dev), or the same PostgreSQL database."""
    if database_url.startswith("sqlite:///"):
        return database_url.replace("app.db", "tracker.db")
    return database_url


def count(session: Any, model: Any) -> int:
    return int(session.scalar(select(func.count()).select_from(model)))


def test_erasure_forgets_the_person_and_keeps_the_case_without_coordinates(
    database_url: str,
) -> None:
    with session_scope() as session:
        built = daughter_with_everything(session)
        ids = {k: v.id for k, v in built.items()}
        report = erase_person(
            session, built["me"], actor=built["me"].actor, now=NOW, history_delay_s=120
        )
    assert report.cases_closed == [built["case"].reference]
    assert report.appointments_cancelled == [built["appointment"].reference]
    assert report.relatives_erased == 1
    with session_scope() as session:
        me = session.get(Contact, ids["me"])
        assert me is not None and me.erased_at is not None
        assert (me.phone, me.conversation_id, me.display_name, me.telegram_chat_id) == (None,) * 4
        mother = session.get(Contact, ids["mother"])
        assert mother is not None and mother.display_name is None and mother.erased_at
        case = session.get(Case, ids["case"])
        assert case is not None and case.status == "clos" and case.documents
        actions = [
            e.action for e in session.scalars(select(CaseEvent).where(CaseEvent.case_id == case.id))
        ]
        assert actions[-1] == "effacement"
        appointment = session.get(Appointment, ids["appointment"])
        assert appointment is not None and appointment.status == "annule"
        for model in (
            Call,
            CallbackRequest,
            ChannelIdentity,
            PrivacyNoticeShown,
            CaregiverLink,
            Handoff,
        ):
            assert count(session, model) == 0, model
        assert count(session, ChannelOptOut) == 1  # a STOP is still honoured
        jobs = {j.key: j for j in session.scalars(select(ScheduledJob))}
        appointment_jobs = [j for k, j in jobs.items() if ":appointment:" in k]
        assert appointment_jobs and all(j.status == "annule" for j in appointment_jobs)
        (history,) = [j for j in jobs.values() if j.kind == "effacement_historique"]
        assert history.payload_data["conversation_ids"] == [DAUGHTER, "tg555001"]
        assert history.run_at == NOW + timedelta(seconds=120)
        # the freed slot can be booked by someone else
        neighbour = contact_for_conversation(session, NEIGHBOUR, "sms")
        freed = propose_slots(session, "apa_domicile", "Clisson").choices[0].slot
        theirs = book(session, neighbour, freed, now=NOW)
        assert (theirs.mediator_id, theirs.starts_at) == (
            appointment.mediator_id,
            appointment.starts_at,
        )
        # erasing twice changes nothing more
        again = erase_person(session, me, actor=SYSTEM, now=NOW, history_delay_s=120)
        assert again.already_erased and not again.cases_closed
        # a new message from the same phone starts a new, empty person
        fresh = contact_for_conversation(session, DAUGHTER, "sms")
        assert fresh.id != ids["me"] and collect(session, fresh).cases == []


def test_a_senior_who_wrote_to_us_is_not_erased_with_the_caregiver(database_url: str) -> None:
    with session_scope() as session:
        mother = contact_for_conversation(session, NEIGHBOUR, "sms")
        me = contact_for_conversation(session, DAUGHTER, "sms")
        link_caregiver(session, me, mother, "mère")
        report = erase_person(session, me, actor=me.actor, now=NOW, history_delay_s=60)
        assert report.relatives_erased == 0
        assert mother.phone == NEIGHBOUR and mother.erased_at is None


def test_the_history_job_waits_for_a_quiet_conversation_then_deletes_it(
    tracker_url: str,
) -> None:
    with tracker_store(tracker_url) as store:
        say(store, DAUGHTER, NOW - timedelta(minutes=5), "supprimez mes donnees", "Vraiment ?")
        say(store, NEIGHBOUR, NOW - timedelta(minutes=5), "bonjour", "Bonjour")
        with session_scope() as session:
            me = contact_for_conversation(session, DAUGHTER, "sms")
            erase_person(session, me, actor=me.actor, now=NOW, history_delay_s=120)
            job = session.scalar(
                select(ScheduledJob).where(ScheduledJob.kind == "effacement_historique")
            )
            assert job is not None
            say(store, DAUGHTER, NOW + timedelta(seconds=100), "merci", "Au revoir")
            early = run_data_job(session, job, NOW + timedelta(seconds=120), SETTINGS, store)
            assert not early.done and early.retry_at == NOW + timedelta(seconds=240)
            later = NOW + timedelta(seconds=240)
            result = run_data_job(session, job, later, SETTINGS, store)
            apply_result(job, result, later)
            assert job.status == "fait" and DAUGHTER not in job.payload
            assert json.loads(job.payload) == {"conversations": 1, "evenements_effaces": 6}
        assert store.read([DAUGHTER]) == []
        assert [line.text for line in store.read([NEIGHBOUR])] == ["bonjour", "Bonjour"]


def test_retention_purges_old_history_and_anonymises_long_inactive_people(
    tracker_url: str,
) -> None:
    settings = DataRightsSettings(conversation_retention_days=180, case_retention_days=730)
    long_ago = NOW - timedelta(days=800)
    with tracker_store(tracker_url) as store:
        say(store, NEIGHBOUR, NOW - timedelta(days=200), "vieux message", "vieille réponse")
        say(store, NEIGHBOUR, NOW - timedelta(days=2), "message récent", "réponse récente")
        with session_scope() as session:
            old = contact_for_conversation(session, "+33600000001", "sms")
            old.created_at = long_ago
            kept = contact_for_conversation(session, "+33600000002", "sms")
            kept.created_at = long_ago
            mother = contact_for_conversation(session, "+33600000003", "sms")
            link_caregiver(session, kept, mother, "mère")
            open_case(session, kept, mother, "apa_domicile", kept.actor)  # still open: kept
            session.add(Call(call_sid="CA" + "2" * 32, phone="+33600000001", started_at=long_ago))
            session.flush()
            report = purge_expired(session, store, settings, NOW)
            assert report.history_events == 3 and report.calls == 1
            assert report.contacts_anonymised == 1
            assert old.erased_at is not None and old.phone is None
            assert kept.erased_at is None and kept.phone == "+33600000002"
        assert [line.text for line in store.read([NEIGHBOUR])] == [
            "message récent",
            "réponse récente",
        ]


def test_the_daily_purge_is_written_once_a_day_at_half_past_three(database_url: str) -> None:
    evening = datetime(2026, 11, 22, 21, 0, tzinfo=timezone.utc)  # 22:00 in Paris
    with session_scope() as session:
        first = ensure_daily_purge(session, evening)
        second = ensure_daily_purge(session, evening + timedelta(minutes=30))
        assert first.id == second.id and first.key == "purge:2026-11-23"
        assert first.run_at == datetime(2026, 11, 23, 2, 30, tzinfo=timezone.utc)


def test_the_export_has_everything_and_the_conversation(tracker_url: str) -> None:
    with tracker_store(tracker_url) as store:
        say(store, DAUGHTER, NOW - timedelta(hours=1), "ma mère ne peut plus se laver", "Je vois.")
        with session_scope() as session:
            built = daughter_with_everything(session)
            data = collect(session, built["me"])
            exported = export_person(session, data, store.read(data.conversation_ids))
    assert exported["person"]["phone"] == DAUGHTER
    assert exported["acts_for"][0]["relationship"] == "mère"
    assert exported["cases"][0]["reference"] == built["case"].reference
    assert exported["cases"][0]["history"][0]["action"] == "ouverture"
    assert exported["appointments"][0]["status"] == "reserve"
    assert exported["opt_outs"] == [{"channel": "sms", "since": exported["opt_outs"][0]["since"]}]
    assert [m["text"] for m in exported["conversation"]] == [
        "ma mère ne peut plus se laver",
        "Je vois.",
    ]
    json.dumps(exported)  # serialisable as is


@pytest.mark.parametrize("name", ["CONVERSATION_RETENTION_DAYS", "CASE_RETENTION_DAYS"])
def test_retention_settings_refuse_nonsense(name: str) -> None:
    from seniorplus.errors import ConfigurationError

    for bad in ("0", "-3", "six mois"):
        with pytest.raises(ConfigurationError):
            DataRightsSettings.from_env({name: bad})
    assert DataRightsSettings.from_env({}).conversation_retention_days == 180


def test_before_rasa_created_its_table_the_history_is_simply_empty(sqlite_url: str) -> None:
    store = TranscriptStore(sqlite_url)
    try:
        assert not store.exists()
        assert store.read([DAUGHTER]) == [] and store.first_and_last([DAUGHTER]) is None
        assert store.delete([DAUGHTER]) == 0 and store.delete_before(NOW) == 0
    finally:
        store.dispose()


def test_a_conversation_s_window_goes_with_its_history(tracker_url: str) -> None:
    """The bot keeps, per long conversation, the slot values where a turn starts reading
    (bot/stores/window.py): an erasure and the retention purge delete them with the events."""
    someone = "+33600000009"
    with tracker_store(tracker_url) as store:
        for sender, days in ((DAUGHTER, 1), (NEIGHBOUR, 200), (someone, 2)):
            say(store, sender, NOW - timedelta(days=days), "bonjour", "Bonjour")
            window(store, sender, NOW - timedelta(days=1))
        assert store.delete([DAUGHTER]) == 3
        assert windows(store) == sorted([NEIGHBOUR, someone])
        assert store.delete_before(NOW - timedelta(days=180)) == 3  # the neighbour's old turn
        assert windows(store) == [someone]
