"""No personal data in any log line, error paths included (issue 13, point 6).

Every engine hides its bound parameters; a failing database (constraint, missing
table, unreachable server) is logged and raised without the phone number or the
name that the statement carried, even with SQLAlchemy's own logging at DEBUG.
"""

from __future__ import annotations

import logging

import pytest
from sqlalchemy import text
from sqlalchemy.exc import DBAPIError, IntegrityError

from seniorplus.cases.models import Contact
from seniorplus.db import get_engine, make_engine, session_scope
from seniorplus.history.transcripts import TranscriptStore
from tests.unit.api_helpers import app_client, configure_tokens

PHONE = "+33687654321"
NAME = "Madeleine Ferrandière"
logger = logging.getLogger("tests.logs_privacy")


def _assert_private(*texts: str) -> None:
    for blob in texts:
        assert PHONE not in blob and "687654321" not in blob
        assert NAME not in blob


def test_every_engine_hides_its_parameters(sqlite_url: str) -> None:
    assert make_engine(sqlite_url).hide_parameters
    assert make_engine("postgresql://nobody@127.0.0.1:1/none").hide_parameters
    assert TranscriptStore(sqlite_url).engine.hide_parameters


def test_a_constraint_violation_logs_no_personal_data(
    database_url: str, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)  # SQLAlchemy's statement log too
    with session_scope() as session:
        session.add(Contact(phone=PHONE, display_name=NAME))
    with pytest.raises(IntegrityError) as caught, session_scope() as session:
        session.add(Contact(phone=PHONE, display_name=NAME))
    logger.exception("database failed", exc_info=caught.value)  # as a server would log it
    assert "contacts" in caplog.text  # the failure itself is logged…
    _assert_private(str(caught.value), repr(caught.value), caplog.text)  # …without the values


def test_a_missing_table_logs_no_personal_data(
    database_url: str, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    with pytest.raises(DBAPIError) as caught, get_engine().begin() as connection:
        connection.execute(
            text("INSERT INTO table_absente (phone, name) VALUES (:phone, :name)"),
            {"phone": PHONE, "name": NAME},
        )
    logger.exception("database failed", exc_info=caught.value)
    assert "table_absente" in caplog.text
    _assert_private(str(caught.value), caplog.text)


def test_an_unreachable_database_through_the_api_logs_no_personal_data(
    monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    monkeypatch.setenv("DATABASE_URL", "postgresql://nobody@127.0.0.1:1/none")
    configure_tokens(monkeypatch)
    caplog.set_level(logging.DEBUG)
    response = app_client().get("/api/cases", params={"phone": PHONE})
    assert response.status_code == 500
    assert response.json() == {"erreur": response.json()["erreur"]}
    _assert_private(response.text, caplog.text)
    assert any(r.levelno >= logging.ERROR for r in caplog.records)


def test_a_failing_query_through_the_api_logs_no_personal_data(
    database_url: str, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    configure_tokens(monkeypatch)
    with get_engine().begin() as connection:
        cascade = " CASCADE" if database_url.startswith("postgres") else ""
        connection.execute(text(f"DROP TABLE contacts{cascade}"))
    caplog.set_level(logging.DEBUG)
    response = app_client().get("/api/cases", params={"phone": PHONE})
    assert response.status_code == 500
    _assert_private(response.text, caplog.text)
    assert "OperationalError" in caplog.text or "ProgrammingError" in caplog.text
