"""The drop-off page: supervisors and administrators only, figures from the consumer's rows."""

from __future__ import annotations

import json
import re

import pytest

from seniorplus.db import session_scope
from seniorplus.events.parse import parse_event
from seniorplus.events.store import apply_events
from seniorplus.models import utcnow
from seniorplus.settings import get_settings
from tests.unit.console_helpers import add_agent, client, fresh_throttle, signed_in

pytestmark = pytest.mark.usefixtures("database_url", "fresh_throttle")
_ = fresh_throttle


def reached(sender: str, progress: dict[str, int], timestamp: float) -> None:
    """The consumer's rows after Rasa published ``journey_progress`` for this conversation."""
    event = {
        "sender_id": sender,
        "event": "slot",
        "timestamp": timestamp,
        "name": "journey_progress",
        "value": progress,
    }
    with session_scope() as session:
        apply_events(session, [parse_event(json.dumps(event).encode())], utcnow())


@pytest.fixture
def team() -> None:
    for login, role in (("camille", "agent"), ("sophie", "supervisor"), ("admin", "admin")):
        add_agent(login, role)


def cells(html: str, step_title: str) -> list[str]:
    row = re.search(rf"<th scope=\"row\">[^<]*{re.escape(step_title)}</th>(.*?)</tr>", html, re.S)
    assert row is not None, step_title
    return re.findall(r"<td>(.*?)</td>", row.group(1))


def test_only_supervisors_and_administrators_see_it(team: None) -> None:
    assert client().get("/console/parcours", follow_redirects=False).status_code == 303
    assert signed_in("camille").get("/console/parcours").status_code == 403
    for login in ("sophie", "admin"):
        answer = signed_in(login).get("/console/parcours")
        assert answer.status_code == 200 and "Parcours" in answer.text


def test_the_page_shows_where_conversations_stopped(
    team: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("EVENT_BROKER_TYPE", "pika")
    get_settings.cache_clear()
    long_ago = utcnow().timestamp() - 3 * 86400
    reached("+33600000001", {"apa_domicile": 1}, long_ago)
    reached("+33600000002", {"apa_domicile": -1}, long_ago)
    reached("+33600000002", {"apa_domicile": 0}, long_ago + 60)  # went on, same conversation
    reached("+33600000003", {"apa_domicile": -1, "ehpad": 0}, utcnow().timestamp())
    html = signed_in("sophie").get("/console/parcours").text
    assert "3 conversation(s) ont ouvert cette démarche" in html
    assert cells(html, "Aperçu") == ["3", "0", "1", "33 %"]  # 1 of 3 saw no step
    first_step = cells(html, "Prendre le formulaire")  # reached by 2: one left there, one went on
    assert first_step == ["2", "1", "0", "50 %"]
    assert "+336" not in html and "est désactivé (EVENT_BROKER_TYPE)" not in html


def test_with_the_broker_off_the_page_says_the_figures_are_not_kept_up(team: None) -> None:
    html = signed_in("admin").get("/console/parcours").text
    assert "est désactivé (EVENT_BROKER_TYPE)" in html
    assert "Aucune conversation n'a encore ouvert cette démarche." in html
