"""« Mes données » end to end: see what is known, erase after yes, history gone, a fresh start."""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import timedelta

import pytest
from sqlalchemy import select

from seniorplus.data_rights import DataRightsSettings
from seniorplus.data_rights.jobs import apply_result, run_data_job
from seniorplus.db import reset_engine, session_scope
from seniorplus.history.transcripts import TranscriptStore
from seniorplus.jobs.models import ScheduledJob
from seniorplus.settings import get_settings
from tests.conversations.conftest import Assistant, buttons, joined

pytestmark = pytest.mark.conversation


def run_history_job(assistant: Assistant, sender: str) -> dict[str, object]:
    """Run the deferred history erasure as the scheduler would, once the conversation is quiet."""
    store = TranscriptStore(f"sqlite:///{assistant.app_database.parent / 'tracker.db'}")
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("DATABASE_URL", f"sqlite:///{assistant.app_database}")
        get_settings.cache_clear()
        reset_engine()
        with session_scope() as session:
            jobs = session.scalars(
                select(ScheduledJob).where(ScheduledJob.kind == "effacement_historique")
            )
            (job,) = [j for j in jobs if sender in j.payload_data.get("conversation_ids", [])]
            later = job.run_at + timedelta(minutes=5)
            result = run_data_job(session, job, later, DataRightsSettings(), store)
            apply_result(job, result, later)
            note = job.payload_data
        reset_engine()
        get_settings.cache_clear()
    assert store.read([sender]) == []
    store.dispose()
    return note


def test_a_daughter_sees_her_data_then_erases_it(
    assistant: Assistant, new_sender: Callable[[], str]
) -> None:
    daughter = new_sender()
    assistant.say(daughter, "bonjour")
    assistant.say(daughter, "ma mère a besoin de l'APA pour rester chez elle")
    opened = joined(assistant.say(daughter, "je veux faire la demande"))
    reference = re.search(r"SP-\d{4}-\d{6}", opened)
    assert reference
    known = assistant.say(daughter, "qu'est ce que vous avez comme infos sur moi ?")
    assert "Voici ce que je sais sur vous" in joined(known)
    assert reference.group() in joined(known) and "votre mère" in joined(known)
    question = assistant.say(daughter, "je veux que vous supprimiez toutes mes données")
    assert "Voulez-vous vraiment tout effacer" in joined(question)
    assert reference.group() in joined(question) and buttons(question) == ["Oui", "Non"]
    done = joined(assistant.say(daughter, "oui"))
    assert done.startswith("C'est fait") and reference.group() in done
    assert "Je ne garde rien" in joined(assistant.say(daughter, "que savez-vous de moi"))
    note = run_history_job(assistant, daughter)
    assert int(str(note["evenements_effaces"])) > 20
    fresh = joined(assistant.say(daughter, "bonjour"))
    assert "je suis Senior Plus" in fresh  # a first contact again: nothing remembered


def test_no_keeps_everything(assistant: Assistant, new_sender: Callable[[], str]) -> None:
    person = new_sender()
    assistant.say(person, "bonjour")
    assistant.say(person, "effacez mes données s'il vous plaît")
    kept = joined(assistant.say(person, "non"))
    assert "je n'efface rien" in kept
    still = joined(assistant.say(person, "qu'est-ce que vous savez sur moi"))
    assert "Je ne garde rien sur vous en dehors de cette conversation" in still
