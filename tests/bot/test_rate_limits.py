"""Rate limits: told once then quiet, shared through Redis, open when Redis is down."""

from __future__ import annotations

import asyncio
import os
import uuid

import pytest
import redis

from channels.rate_limits import Limits, Verdict

REDIS_URL = "redis://127.0.0.1:6379/15"
PHONE = "+33612345678"


def verdicts(limits: Limits, sender: str, count: int, text: str = "bonjour") -> list[Verdict]:
    async def run() -> list[Verdict]:
        return [await limits.check("sms", sender, "203.0.113.7", text) for _ in range(count)]

    return asyncio.run(run())


@pytest.fixture
def redis_client() -> redis.Redis:
    client = redis.Redis.from_url(REDIS_URL)
    try:
        client.ping()
    except redis.exceptions.ConnectionError:
        if os.environ.get("REQUIRE_SERVICES") == "1":
            pytest.fail("Redis is not running on 127.0.0.1:6379")
        pytest.skip("Redis is not running on 127.0.0.1:6379")
    return client


def test_allowed_then_told_once_then_quiet() -> None:
    limits = Limits(per_sender="2/minute", per_address="100/minute", storage="memory://")
    assert verdicts(limits, PHONE, 5) == [
        Verdict.ALLOW,
        Verdict.ALLOW,
        Verdict.REFUSE_WITH_NOTICE,
        Verdict.REFUSE_QUIETLY,
        Verdict.REFUSE_QUIETLY,
    ]


def test_the_address_limit_holds_many_senders_back() -> None:
    limits = Limits(per_sender="100/minute", per_address="3/minute", storage="memory://")
    results = [verdicts(limits, f"+3361234567{n}", 1)[0] for n in range(5)]
    assert results[:3] == [Verdict.ALLOW] * 3 and Verdict.ALLOW not in results[3:]


def test_danger_always_passes() -> None:
    limits = Limits(per_sender="1/minute", per_address="100/minute", storage="memory://")
    verdicts(limits, PHONE, 3)
    assert verdicts(limits, PHONE, 3, "il ne respire plus, venez vite") == [Verdict.ALLOW] * 3


def test_processes_share_their_counts_through_redis(redis_client: redis.Redis) -> None:
    sender = f"+3361{uuid.uuid4().int % 10**7:07d}"
    first = Limits(per_sender="3/minute", per_address="100/minute", storage=REDIS_URL)
    second = Limits(per_sender="3/minute", per_address="100/minute", storage=REDIS_URL)
    assert verdicts(first, sender, 2) == [Verdict.ALLOW] * 2
    assert verdicts(second, sender, 2) == [Verdict.ALLOW, Verdict.REFUSE_WITH_NOTICE]
    keys = b" ".join(redis_client.keys("*"))
    assert sender.encode() not in keys and b"203.0.113.7" not in keys  # hashed, never in clear


def test_a_redis_outage_lets_messages_through() -> None:
    limits = Limits(per_sender="1/minute", per_address="1/minute", storage="redis://127.0.0.1:1")
    assert verdicts(limits, PHONE, 3) == [Verdict.ALLOW] * 3
