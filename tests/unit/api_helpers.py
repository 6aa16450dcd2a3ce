"""Shared by the tests of the JSON API (tests/unit/seniorplus/web/test_api_*.py):
tokens, clients, test data."""

from __future__ import annotations

import hashlib
import itertools
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, time, timedelta

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlalchemy.orm import Session

from seniorplus.booking.models import Appointment
from seniorplus.settings import get_settings
from seniorplus.web.api import Authenticator, create_api
from seniorplus.web.app import create_app
from tests.unit.agenda_builders import (
    EVERY_DAY,
    WEEKDAYS,
    add_clisson_site,
    add_mediator,
    add_openings,
    add_site,
)

EVAL_TOKEN = "jeton-eval-7Qm2x9LpR4vT8nW1sK6dY3hB0cF5gJ"
CONSOLE_TOKEN = "jeton-console-Z8r3Kq1Mv7Nw2Xp5Lt9Hb4Jd6Fs0Gc"


def sha256(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


API_TOKENS = f"eval:{sha256(EVAL_TOKEN)}, console:{sha256(CONSOLE_TOKEN)}"
UNAUTHORIZED = {"erreur": "Authentification requise : jeton absent ou invalide."}


def bearer(token: str = EVAL_TOKEN) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


def configure_tokens(monkeypatch: pytest.MonkeyPatch, value: str = API_TOKENS) -> None:
    """Point the settings at these ``API_TOKENS`` (never the developer's)."""
    monkeypatch.setenv("API_TOKENS", value)
    get_settings.cache_clear()


def app_client(token: str | None = EVAL_TOKEN) -> TestClient:
    """The whole web app (API mounted at /api, no dev simulator), authenticated with ``token``."""
    client = TestClient(create_app(), raise_server_exceptions=False)
    if token is not None:
        client.headers.update(bearer(token))
    return client


def api_client(authenticators: Sequence[Authenticator]) -> TestClient:
    """The API alone at /api, with other ways to authenticate (agent sessions to come)."""
    app = FastAPI()
    app.mount("/api", create_api(authenticators=authenticators))
    return TestClient(app, raise_server_exceptions=False)


@dataclass(frozen=True)
class Agenda:
    clisson: int  # site with coordinates
    nantes: int  # site found by its postcode
    anne: int  # Clisson, apa_domicile: on site every day 9:00-12:00, by phone 14:00-16:00
    bruno: int  # Nantes, ehpad and apa_domicile: on site Monday-Friday 9:00-12:00


def build_agenda(session: Session) -> Agenda:
    """Two sites, two mediators (fixed test data, not the demo seed)."""
    clisson = add_clisson_site(session)
    nantes = add_site(
        session,
        "CLIC Nantes (test)",
        "Nantes",
        "44000",
        "2 rue de test",
        kind="CLIC",
        phone="+33240000001",
    )
    anne = add_mediator(
        session, clisson, "Anne Test", modes="sur_place,telephone", journeys=["apa_domicile"]
    )
    bruno = add_mediator(
        session, nantes, "Bruno Test", phone="+33240000002", journeys=["ehpad", "apa_domicile"]
    )
    add_openings(session, anne, EVERY_DAY, time(9, 0), time(12, 0))
    add_openings(
        session, anne, EVERY_DAY, time(14, 0), time(16, 0), slot_minutes=30, modes="telephone"
    )
    add_openings(session, bruno, WEEKDAYS, time(9, 0), time(12, 0))
    return Agenda(clisson.id, nantes.id, anne.id, bruno.id)


_references = (f"RDV-TST{n:03d}" for n in itertools.count(1))


def add_appointment(
    session: Session,
    mediator_id: int,
    contact_id: int,
    starts_at: datetime,
    *,
    minutes: int = 45,
    mode: str = "sur_place",
    status: str = "reserve",
    case_id: int | None = None,
) -> str:
    """Insert an appointment as it is stored (no booking rules); its reference."""
    reference = next(_references)
    session.add(
        Appointment(
            reference=reference,
            mediator_id=mediator_id,
            contact_id=contact_id,
            case_id=case_id,
            starts_at=starts_at,
            ends_at=starts_at + timedelta(minutes=minutes),
            mode=mode,
            status=status,
            booked_by=f"contact:{contact_id}",
        )
    )
    session.flush()
    return reference
