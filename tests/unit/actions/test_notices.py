"""The greeting records the privacy notice in the app database, and survives its absence."""

from __future__ import annotations

import pytest

from actions.notices import remember_notice_shown
from seniorplus.db import session_scope
from seniorplus.privacy import notice_already_shown
from seniorplus.settings import get_settings


async def test_notice_is_recorded_once(database_url: str) -> None:
    await remember_notice_shown("+33612345678", "rest")
    await remember_notice_shown("+33612345678", "rest")
    with session_scope() as session:
        assert notice_already_shown(
            session, "+33612345678", get_settings().data_rights.privacy_notice_version
        )


async def test_database_down_does_not_break_the_greeting(
    monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    monkeypatch.setenv("DATABASE_URL", "postgresql://nobody@127.0.0.1:1/none")
    get_settings.cache_clear()
    await remember_notice_shown("+33612345678", "rest")  # must not raise
    assert "+33612345678" not in caplog.text
