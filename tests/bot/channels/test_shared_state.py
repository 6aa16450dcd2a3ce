"""State the channels keep between requests: the same tests in memory and in real Redis,
then two replicas of the phone and Telegram channels sharing it through Redis."""

from __future__ import annotations

import asyncio
import time
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
import redis

from bot.settings import bot_settings
from channels.shared_state import MemoryState, RedisState, SharedState, shared_state
from channels.store import ChannelStore
from channels.telegram import TelegramInput
from channels.telegram_output import KeyboardMemory
from channels.voice import GENERIC_QUESTION, HINT, LastQuestions, VoiceInput
from devtools.fakes.telegram import FakeTelegramApi
from policies.hours import OpeningHours
from tests.bot import telegram_payloads as tg
from tests.bot.channels.test_telegram_channel import SECRET, TOKEN, FakeAgent, post, running
from tests.bot.channels.test_voice_channel import MONDAY_10H, PATH, said, twiml
from tests.bot.twilio_payloads import (
    AUTH_TOKEN,
    OPENING_HOURS,
    PUBLIC_BASE_URL,
    TEAM_PHONE,
    ChannelClient,
    FakeAssistant,
    call_params,
    migrated_database,
    new_sid,
)
from tests.support import REDIS_TEST_URL, redis_client

PHONE = "+33612345678"
CHAT = 123456789


@pytest.fixture
def namespace() -> Iterator[str]:
    name = f"test-{uuid.uuid4().hex[:8]}"
    yield name
    client = redis.Redis.from_url(REDIS_TEST_URL)
    try:
        keys = list(client.scan_iter(f"seniorplus:state:{name}:*"))
        if keys:
            client.delete(*keys)
    except redis.RedisError:
        pass


@pytest.fixture(params=["memory", "redis"])
def state(request: pytest.FixtureRequest, namespace: str) -> SharedState:
    if request.param == "memory":
        return MemoryState()
    redis_client()  # skip, or fail when REQUIRE_SERVICES=1
    return RedisState(REDIS_TEST_URL, namespace)


def test_values_are_kept_replaced_and_forgotten(state: SharedState) -> None:
    async def scenario() -> list[str | None]:
        seen = [await state.get(PHONE)]
        await state.put(PHONE, "Quel âge a votre mère ?", 60)
        seen.append(await state.get(PHONE))
        await state.put(PHONE, "Et son code postal ?", 60)
        seen.append(await state.get(PHONE))
        await state.delete(PHONE)
        seen.append(await state.get(PHONE))
        return seen

    assert asyncio.run(scenario()) == [
        None,
        "Quel âge a votre mère ?",
        "Et son code postal ?",
        None,
    ]


def test_values_expire(state: SharedState) -> None:
    async def scenario() -> tuple[str | None, str | None]:
        await state.put("court", "bientôt oublié", 0.2)
        kept = await state.get("court")
        await asyncio.sleep(0.4)
        return kept, await state.get("court")

    assert asyncio.run(scenario()) == ("bientôt oublié", None)


def test_memory_is_bounded() -> None:
    memory = MemoryState(size=2)

    async def scenario() -> list[str | None]:
        for key in ("a", "b", "c"):
            await memory.put(key, key, 60)
        return [await memory.get(key) for key in ("a", "b", "c")]

    assert asyncio.run(scenario()) == [None, "b", "c"]


def test_redis_keys_hide_the_phone_number(namespace: str) -> None:
    client = redis_client()
    asyncio.run(RedisState(REDIS_TEST_URL, namespace).put(PHONE, "x", 60))
    keys = list(client.scan_iter(f"seniorplus:state:{namespace}:*"))
    assert len(keys) == 1 and PHONE.encode() not in keys[0]


def test_redis_down_reads_as_missing_and_never_raises() -> None:
    down = RedisState("redis://127.0.0.1:1/0", "down")

    async def scenario() -> str | None:
        await down.put(PHONE, "x", 60)
        await down.delete(PHONE)
        return await down.get(PHONE)

    started = time.monotonic()
    assert asyncio.run(scenario()) is None
    assert time.monotonic() - started < 10


def test_the_setting_chooses_the_store(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("REDIS_URL", raising=False)
    assert isinstance(shared_state("x"), MemoryState)
    monkeypatch.setenv("REDIS_URL", REDIS_TEST_URL)
    bot_settings.cache_clear()
    assert isinstance(shared_state("x"), RedisState)


# Two replicas of a channel, one behind the other (a proxy sends each request anywhere).
def voice_replica(url: str, questions: LastQuestions) -> ChannelClient:
    channel = VoiceInput(
        AUTH_TOKEN,
        PUBLIC_BASE_URL,
        TEAM_PHONE,
        OpeningHours.parse(OPENING_HOURS),
        store=ChannelStore(url),
        clock=lambda: MONDAY_10H,
    )
    channel.questions = questions
    return ChannelClient(channel, FakeAssistant())


@pytest.mark.parametrize("shared", [True, False])
def test_a_silence_on_another_replica_repeats_the_same_question(
    tmp_path: Path, namespace: str, shared: bool
) -> None:
    if shared:
        redis_client()
    url = migrated_database(tmp_path)

    def questions() -> LastQuestions:
        return LastQuestions(RedisState(REDIS_TEST_URL, namespace) if shared else MemoryState())

    first, second = voice_replica(url, questions()), voice_replica(url, questions())
    sid = new_sid("CA")
    question = said(twiml(first.post(PATH, call_params(sid, PHONE)))).removesuffix(" " + HINT)
    again = said(twiml(second.post(f"{PATH}?silence=1", call_params(sid, PHONE))))
    if shared:
        assert again == f"Je n'ai rien entendu. Je répète. {question} {HINT}"
    else:  # what each process's own memory gave: the other replica never heard it
        assert GENERIC_QUESTION in again and question not in again


@pytest.mark.parametrize("shared", [True, False])
def test_a_title_tapped_on_another_replica_goes_back_as_its_payload(
    tmp_path: Path, namespace: str, shared: bool
) -> None:
    if shared:
        redis_client()
    url = migrated_database(tmp_path)
    agent = FakeAgent()

    def replica(api: FakeTelegramApi) -> TelegramInput:
        channel = TelegramInput(TOKEN, SECRET, api.url, store=ChannelStore(url))
        state = RedisState(REDIS_TEST_URL, namespace) if shared else MemoryState()
        channel.keyboards = KeyboardMemory(state)
        return channel

    async def scenario(api: FakeTelegramApi) -> None:
        first, second = replica(api), replica(api)
        async with running(first, agent) as to_first, running(second, agent) as to_second:
            await post(to_first, tg.text_update(CHAT, "/start"))
            await first.wait_idle(timeout=10)
            await post(to_second, tg.text_update(CHAT, "Aide à domicile (APA)"))
            await second.wait_idle(timeout=10)

    with FakeTelegramApi(TOKEN) as api:
        asyncio.run(scenario(api))
    tapped = '/ask_apa{"journey": "apa_domicile"}' if shared else "Aide à domicile (APA)"
    assert [m.text for m in agent.received] == ["/greet", tapped]
