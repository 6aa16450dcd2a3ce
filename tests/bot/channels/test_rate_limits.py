"""Rate limits: told once then quiet, shared through Redis, open when Redis is down."""

from __future__ import annotations

import asyncio
import uuid

import pytest
import redis

from bot.settings import bot_settings
from channels.rate_limits import Limits, Verdict, storage_url
from tests.support import REDIS_TEST_URL, redis_client

REDIS_URL = REDIS_TEST_URL
PHONE = "+33612345678"


def verdicts(limits: Limits, sender: str, count: int, text: str = "bonjour") -> list[Verdict]:
    async def run() -> list[Verdict]:
        return [await limits.check("sms", sender, "203.0.113.7", text) for _ in range(count)]

    return asyncio.run(run())


@pytest.fixture
def red() -> redis.Redis:
    client: redis.Redis = redis_client()
    return client


@pytest.fixture(params=["memory://", REDIS_URL])
def storage(request: pytest.FixtureRequest) -> str:
    """The same tests on both storages (Redis: real, skipped or required like the others)."""
    if request.param != "memory://":
        redis_client()
    return str(request.param)


def test_allowed_then_told_once_then_quiet(storage: str) -> None:
    sender = f"+3361{uuid.uuid4().int % 10**7:07d}"
    limits = Limits(per_sender="2/minute", per_address="100/minute", storage=storage)
    assert verdicts(limits, sender, 5) == [
        Verdict.ALLOW,
        Verdict.ALLOW,
        Verdict.REFUSE_WITH_NOTICE,
        Verdict.REFUSE_QUIETLY,
        Verdict.REFUSE_QUIETLY,
    ]


def test_the_address_limit_holds_many_senders_back(storage: str) -> None:
    limits = Limits(per_sender="100/minute", per_address="3/minute", storage=storage)
    address = f"198.51.100.{uuid.uuid4().int % 250}"
    results = [
        asyncio.run(limits.check("sms", f"+3361{uuid.uuid4().int % 10**7:07d}", address))
        for _ in range(5)
    ]
    assert results[:3] == [Verdict.ALLOW] * 3 and Verdict.ALLOW not in results[3:]


def test_danger_always_passes(storage: str) -> None:
    sender = f"+3361{uuid.uuid4().int % 10**7:07d}"
    limits = Limits(per_sender="1/minute", per_address="100/minute", storage=storage)
    verdicts(limits, sender, 3)
    assert verdicts(limits, sender, 3, "il ne respire plus, venez vite") == [Verdict.ALLOW] * 3


def test_processes_share_their_counts_through_redis(red: redis.Redis) -> None:
    sender = f"+3361{uuid.uuid4().int % 10**7:07d}"
    first = Limits(per_sender="3/minute", per_address="100/minute", storage=REDIS_URL)
    second = Limits(per_sender="3/minute", per_address="100/minute", storage=REDIS_URL)
    assert verdicts(first, sender, 2) == [Verdict.ALLOW] * 2
    assert verdicts(second, sender, 2) == [Verdict.ALLOW, Verdict.REFUSE_WITH_NOTICE]
    keys = b" ".join(red.keys("*"))
    assert sender.encode() not in keys and b"203.0.113.7" not in keys  # hashed, never in clear


def test_a_redis_outage_lets_messages_through() -> None:
    limits = Limits(per_sender="1/minute", per_address="1/minute", storage="redis://127.0.0.1:1")
    assert verdicts(limits, PHONE, 3) == [Verdict.ALLOW] * 3


def test_the_setting_chooses_the_storage(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in ("RATE_LIMIT_STORAGE_URL", "REDIS_URL"):
        monkeypatch.delenv(name, raising=False)
    assert storage_url() == "memory://"
    monkeypatch.setenv("REDIS_URL", REDIS_URL)
    bot_settings.cache_clear()
    assert storage_url() == REDIS_URL
    monkeypatch.setenv("RATE_LIMIT_STORAGE_URL", "memory://")
    bot_settings.cache_clear()
    assert storage_url() == "memory://"
