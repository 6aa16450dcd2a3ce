"""Web app operations: liveness, readiness that fails without its services, metrics, request ids."""

from __future__ import annotations

from datetime import timedelta

import pytest
from fastapi.testclient import TestClient

from seniorplus.db import reset_engine, session_scope
from seniorplus.handoff.models import Handoff
from seniorplus.jobs.models import ScheduledJob
from seniorplus.models import utcnow
from seniorplus.settings import get_settings
from seniorplus.web.app import create_app

UNREACHABLE_DB = "postgresql://nobody:hunter2-secret@127.0.0.1:1/none"


def client() -> TestClient:
    return TestClient(create_app(), raise_server_exceptions=False)


def test_liveness_needs_nothing(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("DATABASE_URL", UNREACHABLE_DB)
    get_settings.cache_clear()
    reset_engine()
    answer = client().get("/health/live")
    assert (answer.status_code, answer.json()) == (200, {"status": "ok"})


def test_ready_when_the_database_answers(database_url: str) -> None:
    monkeypatch_free = client().get("/health/ready")
    assert (monkeypatch_free.status_code, monkeypatch_free.json()) == (200, {"status": "ok"})


def test_not_ready_when_the_database_is_down(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("DATABASE_URL", UNREACHABLE_DB)
    get_settings.cache_clear()
    reset_engine()
    answer = client().get("/health/ready")
    assert answer.status_code == 503
    assert answer.json() == {"status": "unavailable", "missing": ["database"]}
    assert "hunter2" not in answer.text and "127.0.0.1" not in answer.text
    # The status page (and the proxy's check) still answers, and says it.
    assert client().get("/health").json()["database"] is False


def test_not_ready_when_redis_is_set_but_down(
    database_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("REDIS_URL", "redis://127.0.0.1:1/0")
    get_settings.cache_clear()
    answer = client().get("/health/ready")
    assert (answer.status_code, answer.json()["missing"]) == (503, ["redis"])


def test_metrics_count_handoffs_waiting_and_late_jobs(database_url: str) -> None:
    now = utcnow()
    with session_scope() as session:
        session.add_all(
            [
                Handoff(conversation_id="a", channel="sms", reason="demande"),
                Handoff(conversation_id="b", channel="sms", reason="demande"),
                Handoff(conversation_id="c", channel="sms", reason="demande", status="close"),
                ScheduledJob(kind="rappel_veille", key="k1", run_at=now - timedelta(hours=1)),
                ScheduledJob(kind="rappel_veille", key="k2", run_at=now + timedelta(hours=1)),
                ScheduledJob(
                    kind="rappel_veille", key="k3", run_at=now - timedelta(hours=1), status="fait"
                ),
            ]
        )
    answer = client().get("/metrics")
    assert answer.status_code == 200
    assert answer.headers["content-type"].startswith("text/plain")
    assert "seniorplus_handoffs_waiting 2.0" in answer.text
    assert "seniorplus_scheduled_jobs_late 1.0" in answer.text


def test_metrics_without_the_database_still_answer(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("DATABASE_URL", UNREACHABLE_DB)
    get_settings.cache_clear()
    reset_engine()
    first = client().get("/metrics")
    assert first.status_code == 200
    assert "seniorplus_handoffs_waiting" not in first.text
    # The error counter may be written out before the gauges fail in the same scrape:
    # the failure shows, at the latest, in the next one.
    answer = client().get("/metrics")
    assert answer.status_code == 200
    assert "seniorplus_handoffs_waiting" not in answer.text
    assert 'seniorplus_web_errors_total{kind="metrics_database"}' in answer.text


def test_each_answer_carries_a_request_id() -> None:
    given = client().get("/health/live", headers={"X-Request-Id": "haproxy-0a1b2c3d"})
    assert given.headers["x-request-id"] == "haproxy-0a1b2c3d"
    made = client().get("/health/live", headers={"X-Request-Id": "+33612345678"})
    assert made.headers["x-request-id"] != "+33612345678"
    assert len(made.headers["x-request-id"]) == 32
