"""Login delays counted in memory (dev, tests) or in Redis (production): the same tests on
both, then two web processes counting together through real Redis."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from datetime import datetime, timedelta, timezone

import pytest
import redis

from seniorplus.console.attempts import AttemptLog, Attempts
from seniorplus.console.throttle import LoginThrottle, account_key, attempt_log_from_env
from seniorplus.console.throttle_redis import RedisAttempts
from seniorplus.settings import get_settings
from tests.support import REDIS_TEST_URL, redis_client

NOW = datetime(2026, 12, 6, 9, 0, tzinfo=timezone.utc)
WINDOW = timedelta(minutes=15)


@pytest.fixture
def prefix() -> Iterator[str]:
    name = f"test-login-{uuid.uuid4().hex[:8]}"
    yield name
    try:
        client = redis.Redis.from_url(REDIS_TEST_URL)
        keys = list(client.scan_iter(f"{name}:*"))
        if keys:
            client.delete(*keys)
    except redis.RedisError:
        pass


@pytest.fixture(params=["memory", "redis"])
def log(request: pytest.FixtureRequest, prefix: str) -> AttemptLog:
    if request.param == "memory":
        return Attempts()
    redis_client()  # skip, or fail when REQUIRE_SERVICES=1
    return RedisAttempts(REDIS_TEST_URL, key_prefix=prefix)


def test_attempts_count_within_the_window_only(log: AttemptLog) -> None:
    assert [log.add("compte:alice", NOW + timedelta(minutes=m), WINDOW) for m in (0, 5, 10)] == [
        0,
        1,
        2,
    ]
    assert log.count("compte:alice", NOW + timedelta(minutes=10), WINDOW) == 3
    assert log.count("compte:alice", NOW + timedelta(minutes=16), WINDOW) == 2  # the first left
    assert log.count("compte:bob", NOW, WINDOW) == 0
    log.forget("compte:alice")
    assert log.count("compte:alice", NOW + timedelta(minutes=10), WINDOW) == 0


def test_the_delays_grow_the_same_way(log: AttemptLog) -> None:
    throttle = LoginThrottle(log)
    delays = [
        throttle.begin("alice", "203.0.113.9", NOW, window=WINDOW, free=3, cap_s=10)
        for _ in range(8)
    ]
    assert delays == [0, 0, 0, 1, 2, 4, 8, 10]
    assert throttle.address_blocked("203.0.113.9", NOW, limit=7, window=WINDOW)
    throttle.succeeded("alice")
    assert throttle.begin("alice", "198.51.100.1", NOW, window=WINDOW, free=3, cap_s=10) == 0


def test_two_web_processes_count_together(prefix: str) -> None:
    redis_client()
    first = LoginThrottle(RedisAttempts(REDIS_TEST_URL, key_prefix=prefix))
    second = LoginThrottle(RedisAttempts(REDIS_TEST_URL, key_prefix=prefix))
    for throttle in (first, second, first, second):
        throttle.begin("alice", "203.0.113.9", NOW, window=WINDOW, free=3, cap_s=10)
    assert second.begin("alice", "203.0.113.9", NOW, window=WINDOW, free=3, cap_s=10) == 2
    keys = b" ".join(redis.Redis.from_url(REDIS_TEST_URL).scan_iter(f"{prefix}:*"))
    assert b"alice" not in keys and b"203.0.113.9" not in keys  # hashed


def test_redis_down_falls_back_to_this_process(caplog: pytest.LogCaptureFixture) -> None:
    throttle = LoginThrottle(RedisAttempts("redis://127.0.0.1:1/0"))
    delays = [
        throttle.begin("alice", "203.0.113.9", NOW, window=WINDOW, free=1, cap_s=10)
        for _ in range(3)
    ]
    assert delays == [0, 1, 2]
    assert "Redis injoignable" in caplog.text and "alice" not in caplog.text


def test_the_setting_chooses_the_store(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("REDIS_URL", raising=False)
    get_settings.cache_clear()
    assert isinstance(attempt_log_from_env(), Attempts)
    monkeypatch.setenv("REDIS_URL", REDIS_TEST_URL)
    get_settings.cache_clear()
    assert isinstance(attempt_log_from_env(), RedisAttempts)
    assert account_key(" Alice ") == "compte:alice"
