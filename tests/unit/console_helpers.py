"""Shared by the console tests (tests/unit/seniorplus/console/test_*.py): accounts,
logged-in clients, handoffs, a tracker store, fake vendor and Rasa transports."""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path

import httpx
import pytest
from fastapi.testclient import TestClient
from sqlalchemy import create_engine, select

from seniorplus.console.accounts import create_account
from seniorplus.console.routes import auth as auth_routes
from seniorplus.console.throttle import LOGINS
from seniorplus.db import session_scope
from seniorplus.handoff import operations
from seniorplus.handoff.models import Handoff
from seniorplus.handoff.rasa_api import RasaClient
from seniorplus.handoff.service import request_handoff
from seniorplus.history.transcripts import EVENTS, TranscriptStore
from seniorplus.outbound import sender_for
from seniorplus.settings import OutboundSettings
from seniorplus.staff.models import Agent, AuditEntry
from seniorplus.web.app import create_app

PASSWORD = "un mot de passe solide 42"
ORIGIN = "http://testserver"
_CSRF_FIELD = re.compile(r'name="csrf" value="([^"]+)"')
_CSRF_META = re.compile(r'<meta name="csrf-token" content="([^"]+)">')
TWILIO_SID = "AC" + "1" * 32
TWILIO_TOKEN = "jeton-twilio-de-test"
NOON = datetime(2026, 11, 24, 11, 0, tzinfo=timezone.utc)  # a Tuesday, 12:00 in Paris


def add_agent(login: str, role: str = "agent", name: str | None = None) -> int:
    """A console account with `PASSWORD`; its id."""
    with session_scope() as session:
        agent = create_account(session, login, name or login.capitalize(), role, PASSWORD)
        return agent.id


def client() -> TestClient:
    """The whole web app (console at /console, API at /api), no simulator."""
    return TestClient(create_app(), raise_server_exceptions=False)


def login_csrf(browser: TestClient) -> str:
    page = browser.get("/console/login")
    found = _CSRF_FIELD.search(page.text)
    assert found, page.text
    return found.group(1)


def log_in(browser: TestClient, login: str, password: str = PASSWORD) -> httpx.Response:
    """Fill the login form as a browser would (token from the page, Origin header)."""
    token = login_csrf(browser)
    return browser.post(
        "/console/login",
        data={"csrf": token, "login": login, "password": password, "next": "/console/"},
        headers={"Origin": ORIGIN},
        follow_redirects=False,
    )


def signed_in(login: str) -> TestClient:
    browser = client()
    response = log_in(browser, login)
    assert response.status_code == 303, response.text
    return browser


def csrf_of(browser: TestClient, path: str = "/console/") -> str:
    """The session's CSRF token, read from a page."""
    page = browser.get(path)
    found = _CSRF_META.search(page.text)
    assert found, page.text
    return found.group(1)


def post(browser: TestClient, path: str, data: dict[str, str] | None = None) -> httpx.Response:
    """A console form POST with the session's token, as the page sends it."""
    fields = {"csrf": csrf_of(browser), **(data or {})}
    return browser.post(path, data=fields, headers={"Origin": ORIGIN}, follow_redirects=False)


def add_handoff(
    conversation_id: str = "+33612345678",
    *,
    channel: str = "sms",
    reason: str = "demande",
    summary: str = "Marcel, pour lui-même.\nAPA à domicile, étape 2.",
    contact_id: int | None = None,
) -> int:
    with session_scope() as session:
        handoff, _ = request_handoff(
            session, conversation_id, channel, reason, summary, contact_id=contact_id
        )
        return handoff.id


def handoff_status(handoff_id: int) -> tuple[str, int | None]:
    with session_scope() as session:
        handoff = session.get(Handoff, handoff_id)
        assert handoff is not None
        return handoff.status, handoff.assigned_agent_id


def audit_actions(login: str | None = None) -> list[str]:
    """The audit log's actions, oldest first (of ``login``'s account if given)."""
    with session_scope() as session:
        query = select(AuditEntry).order_by(AuditEntry.id)
        if login is not None:
            query = query.join(Agent, Agent.id == AuditEntry.agent_id).where(Agent.login == login)
        return [entry.action for entry in session.scalars(query)]


def audit_details() -> list[dict[str, object]]:
    with session_scope() as session:
        entries = session.scalars(select(AuditEntry).order_by(AuditEntry.id))
        return [json.loads(entry.detail) for entry in entries]


@pytest.fixture(autouse=True)
def fresh_throttle(monkeypatch: pytest.MonkeyPatch) -> Iterator[list[float]]:
    """Login delays forgotten, and recorded instead of waited: the list of delays."""
    delays: list[float] = []

    async def record(seconds: float) -> None:
        delays.append(seconds)

    monkeypatch.setattr(auth_routes, "wait", record)
    LOGINS.clear()
    yield delays
    LOGINS.clear()


# --- tracker store, Twilio and Rasa fakes ----------------------------------------------


@dataclass
class Tracker:
    """A Rasa-like ``events`` table in its own SQLite file."""

    store: TranscriptStore
    url: str
    next_ts: float = 1_790_000_000.0

    def say(self, sender: str, speaker: str, text: str, channel: str | None = "twilio") -> float:
        self.next_ts += 1.5
        data: dict[str, object] = {"event": speaker, "text": text, "timestamp": self.next_ts}
        if speaker == "user":
            data["input_channel"] = channel
        with create_engine(self.url).begin() as connection:
            connection.execute(
                EVENTS.insert().values(
                    sender_id=sender, type_name=speaker, timestamp=self.next_ts,
                    data=json.dumps(data),
                )
            )  # fmt: skip
        return self.next_ts


@pytest.fixture
def tracker(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Tracker]:
    url = f"sqlite:///{tmp_path / 'tracker.db'}"
    engine = create_engine(url)
    EVENTS.metadata.create_all(engine)
    engine.dispose()
    store = TranscriptStore(url)
    monkeypatch.setattr(operations, "store_factory", lambda: store)
    yield Tracker(store, url)
    store.dispose()


@dataclass
class FakeVendors:
    """What Twilio and Rasa were asked (httpx MockTransport, real clients)."""

    sms: list[dict[str, str]] = field(default_factory=list)
    rasa: list[tuple[str, str]] = field(default_factory=list)
    rasa_down: bool = False

    def twilio(self, request: httpx.Request) -> httpx.Response:
        form = dict(httpx.QueryParams(request.content.decode()))
        self.sms.append(form)
        body = {
            "sid": "SM" + "a" * 32, "status": "queued", "to": form.get("To"),
            "from": form.get("From"), "body": form.get("Body"), "error_code": None,
        }  # fmt: skip
        return httpx.Response(201, json=body)

    def rasa_api(self, request: httpx.Request) -> httpx.Response:
        if self.rasa_down:
            return httpx.Response(503, json={"status": "failure"})
        event = json.loads(request.content)["event"]
        self.rasa.append((request.url.path, event))
        return httpx.Response(200, json={"events": None})


@pytest.fixture
def vendors(monkeypatch: pytest.MonkeyPatch) -> FakeVendors:
    fake = FakeVendors()
    settings = OutboundSettings(
        app_env="test", twilio_account_sid=TWILIO_SID, twilio_auth_token=TWILIO_TOKEN,
        twilio_sms_number="+33757000000", twilio_api_url="https://twilio.test",
    )  # fmt: skip

    def sender(address: str, channel: str | None) -> object:
        transport = httpx.MockTransport(fake.twilio)
        return sender_for(
            address, channel, settings=settings,
            client=httpx.AsyncClient(transport=transport), clock=lambda: NOON,
        )  # fmt: skip

    def rasa() -> RasaClient:
        return RasaClient("http://rasa.test", "jeton", transport=httpx.MockTransport(fake.rasa_api))

    monkeypatch.setattr(operations, "sender_factory", sender)
    monkeypatch.setattr(operations, "rasa_factory", rasa)
    return fake


MakeAgent = Callable[..., int]
