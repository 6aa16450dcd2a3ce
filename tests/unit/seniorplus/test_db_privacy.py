"""Engine, session scope and the privacy-notice service on SQLite and PostgreSQL."""

from __future__ import annotations

import threading
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest
from sqlalchemy import func, select, text

from seniorplus import db
from seniorplus.db import get_engine, make_engine, reset_engine, session_scope
from seniorplus.models import PrivacyNoticeShown
from seniorplus.privacy import notice_already_shown, record_notice_shown

PHONE = "+33612345678"


def _count(conversation_id: str | None = None) -> int:
    query = select(func.count()).select_from(PrivacyNoticeShown)
    if conversation_id is not None:
        query = query.where(PrivacyNoticeShown.conversation_id == conversation_id)
    with session_scope() as session:
        return session.scalar(query) or 0


def test_engine_is_lazy_and_reset(sqlite_url: str, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("DATABASE_URL", sqlite_url)
    assert db._engine is None
    engine = get_engine()
    assert get_engine() is engine
    reset_engine()
    assert db._engine is None
    assert get_engine() is not engine


def test_sqlite_engine_creates_directory_and_enforces_foreign_keys(tmp_path: Path) -> None:
    target = tmp_path / "nested" / "var" / "app.db"
    engine = make_engine(f"sqlite:///{target}")
    try:
        assert target.parent.is_dir()
        with engine.connect() as connection:
            assert connection.execute(text("PRAGMA foreign_keys")).scalar_one() == 1
    finally:
        engine.dispose()


def test_in_memory_sqlite_is_shared_across_connections() -> None:
    engine = make_engine("sqlite://")
    try:
        with engine.begin() as connection:
            connection.execute(text("CREATE TABLE t (x INTEGER)"))
        with engine.connect() as connection:
            assert connection.execute(text("SELECT count(*) FROM t")).scalar_one() == 0
    finally:
        engine.dispose()


def test_plain_postgresql_url_uses_psycopg3() -> None:
    engine = make_engine("postgresql://u@127.0.0.1:1/d")
    assert engine.dialect.driver == "psycopg"
    engine.dispose()


def test_session_scope_commits_and_rolls_back(database_url: str) -> None:
    with session_scope() as session:
        record_notice_shown(session, "kept", "sms", "v1")
    with pytest.raises(RuntimeError), session_scope() as session:
        record_notice_shown(session, "discarded", "sms", "v1")
        raise RuntimeError("boom")
    with session_scope() as session:
        assert notice_already_shown(session, "kept", "v1")
        assert not notice_already_shown(session, "discarded", "v1")


def test_record_is_idempotent(database_url: str) -> None:
    with session_scope() as session:
        assert not notice_already_shown(session, PHONE, "2026-11")
        assert record_notice_shown(session, PHONE, "sms", "2026-11") is True
    with session_scope() as session:
        assert notice_already_shown(session, PHONE, "2026-11")
        assert record_notice_shown(session, PHONE, "voice", "2026-11") is False
    assert _count(PHONE) == 1


def test_versions_and_conversations_are_independent(database_url: str) -> None:
    with session_scope() as session:
        assert record_notice_shown(session, PHONE, "sms", "2026-11")
        assert record_notice_shown(session, PHONE, "sms", "2027-01")
        assert record_notice_shown(session, "987654321", "telegram", "2026-11")
    with session_scope() as session:
        assert not notice_already_shown(session, "987654321", "2027-01")
    assert _count() == 3


def test_duplicate_keeps_the_callers_transaction(database_url: str) -> None:
    """The unique violation is rolled back to the SAVEPOINT only."""
    with session_scope() as session:
        assert record_notice_shown(session, PHONE, "sms", "2026-11")
        assert record_notice_shown(session, "other-sender", "telegram", "2026-11")
        assert record_notice_shown(session, PHONE, "sms", "2026-11") is False
        assert record_notice_shown(session, "third-sender", "telegram", "2026-11")
    assert _count() == 3


def test_shown_at_is_aware_utc(database_url: str) -> None:
    before = datetime.now(timezone.utc)
    with session_scope() as session:
        record_notice_shown(session, PHONE, "sms", "2026-11")
    with session_scope() as session:
        row = session.scalars(select(PrivacyNoticeShown)).one()
        assert row.shown_at.tzinfo is not None
        assert row.shown_at.utcoffset() == timedelta(0)
        assert before - timedelta(seconds=5) <= row.shown_at <= datetime.now(timezone.utc)


def test_naive_datetime_is_refused(database_url: str) -> None:
    with pytest.raises(Exception, match="naive datetime"), session_scope() as session:
        session.add(
            PrivacyNoticeShown(
                conversation_id=PHONE,
                channel="sms",
                notice_version="2026-11",
                shown_at=datetime(2026, 11, 21, 12, 0),
            )
        )
        session.flush()


@pytest.mark.parametrize(
    ("conversation_id", "channel", "version"),
    [("", "sms", "v1"), ("x" * 129, "sms", "v1"), (PHONE, "", "v1"), (PHONE, "sms", "v" * 17)],
)
def test_invalid_values_are_refused(
    database_url: str, conversation_id: str, channel: str, version: str
) -> None:
    with pytest.raises(ValueError), session_scope() as session:
        record_notice_shown(session, conversation_id, channel, version)


def test_concurrent_records_make_exactly_one_row(database_url: str) -> None:
    workers = 8
    barrier = threading.Barrier(workers)
    results: list[bool] = []
    errors: list[BaseException] = []
    lock = threading.Lock()

    def worker() -> None:
        try:
            barrier.wait(timeout=10)
            with session_scope() as session:
                recorded = record_notice_shown(session, PHONE, "sms", "2026-11")
            with lock:
                results.append(recorded)
        except BaseException as exc:
            with lock:
                errors.append(exc)

    threads = [threading.Thread(target=worker) for _ in range(workers)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)

    assert errors == []
    assert sorted(results) == [False] * (workers - 1) + [True]
    assert _count(PHONE) == 1
