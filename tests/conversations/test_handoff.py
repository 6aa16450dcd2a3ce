"""A person asks for someone: summary queued, the bot pauses, messages kept, a hand-back resumes it.

The agent's side runs in-process on the assistant's own database and Rasa server
(seniorplus.handoff.operations), the way the console calls it.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Iterator

import pytest
from sqlalchemy import select

from seniorplus.db import reset_engine, session_scope
from seniorplus.handoff import operations
from seniorplus.handoff.models import Handoff
from seniorplus.handoff.service import claim
from seniorplus.history.transcripts import TranscriptStore
from seniorplus.settings import get_settings
from seniorplus.staff.models import Agent
from tests.conversations.conftest import Assistant, buttons, texts

pytestmark = pytest.mark.conversation


@pytest.fixture
def agent_side(assistant: Assistant, monkeypatch: pytest.MonkeyPatch) -> Iterator[TranscriptStore]:
    """The app's settings pointed at the running assistant's database and Rasa server."""
    monkeypatch.setenv("DATABASE_URL", f"sqlite:///{assistant.app_database}")
    monkeypatch.setenv("RASA_URL", assistant.rasa_url)
    monkeypatch.setenv("RASA_TOKEN", assistant.token)
    get_settings.cache_clear()
    reset_engine()
    store = TranscriptStore(f"sqlite:///{assistant.app_database.parent / 'tracker.db'}")
    monkeypatch.setattr(operations, "store_factory", lambda: store)
    yield store
    store.dispose()
    reset_engine()
    get_settings.cache_clear()


def test_a_person_is_taken_over_then_handed_back(
    assistant: Assistant, new_sender: Callable[[], str], agent_side: TranscriptStore
) -> None:
    person = new_sender()  # rest:…: no SMS can ever go to it
    assistant.say(person, "bonjour")
    assistant.say(person, "ma mère a besoin de l'APA pour rester chez elle")
    told = " ".join(texts(assistant.say(person, "je veux parler à un vrai conseiller")))
    assert "conseiller" in told and "Vos messages lui sont transmis" in told
    # paused, waiting for an agent: the message is kept for them and acknowledged, not met by
    # silence
    waiting = texts(assistant.say(person, "vous êtes là ? <b>allo</b>"))
    assert len(waiting) == 1 and "transmis à l'équipe" in waiting[0]
    with session_scope() as session:
        handoff = session.scalar(select(Handoff).where(Handoff.conversation_id == person))
        assert handoff is not None and handoff.status == "en_attente"
        assert "pour sa mère" in handoff.summary and "a demandé une personne" in handoff.summary
        agent = Agent(login="camille", display_name="Camille", password_hash="x", role="agent")
        session.add(agent)
        session.flush()
        claim(session, agent, handoff.id)
        agent_id, handoff_id = agent.id, handoff.id
    # taken by an agent: they answer it themselves, the assistant adds nothing
    assert assistant.send(person, "vous êtes là ? <b>allo</b>").json() == []
    with session_scope() as session:
        lines = operations.conversation_lines(session, person, agent_side)
    assert lines[-1].speaker == "personne" and lines[-1].text == "vous êtes là ? <b>allo</b>"
    notice = asyncio.run(operations.hand_back(agent_id, handoff_id))
    # no SMS vendor in this test (failed), or quiet hours (deferred): the console says which
    assert notice is not None and notice.delivery in ("failed", "deferred")
    back = assistant.say(person, "bonjour")
    assert len(buttons(back)) == 9  # the assistant answers again, with the menu
