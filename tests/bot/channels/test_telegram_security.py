"""Telegram doors: hostile updates, retries after a crash or a success, flooding chats."""

from __future__ import annotations

import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from channels.rate_limits import SLOW_DOWN, Limits
from channels.store import ChannelStore, Claim
from channels.telegram import TelegramInput
from devtools.fakes.telegram import FakeTelegramApi
from tests.bot import telegram_payloads as tg
from tests.bot.channels.test_telegram_channel import (
    CHAT,
    SECRET,
    TOKEN,
    FakeAgent,
    post,
    run,
    texts,
)
from tests.bot.twilio_payloads import migrated_database


@pytest.fixture
def store(tmp_path: Path) -> ChannelStore:
    return ChannelStore(migrated_database(tmp_path))


@pytest.fixture
def api() -> Iterator[FakeTelegramApi]:
    with FakeTelegramApi(TOKEN) as fake:
        yield fake


def channel_for(
    api: FakeTelegramApi,
    store: ChannelStore,
    *,
    per_sender: str = "50/minute",
    per_address: str = "1000/minute",
    lease_s: float = 120,
) -> TelegramInput:
    limits = Limits(per_sender=per_sender, per_address=per_address, storage="memory://")
    return TelegramInput(TOKEN, SECRET, api.url, store=store, limits=limits, lease_s=lease_s)


def statuses_of(channel: TelegramInput, agent: FakeAgent, bodies: list[object]) -> list[int]:
    statuses: list[int] = []

    async def scenario(client: httpx.AsyncClient) -> None:
        for body in bodies:
            statuses.append((await post(client, body)).status_code)

    run(channel, agent, scenario)
    return statuses


def without(message: dict[str, object], *keys: str, **replaced: object) -> dict[str, object]:
    kept = {k: v for k, v in message.items() if k not in keys}
    return {**kept, **replaced}


def test_incomplete_updates_are_acknowledged_and_ignored(
    api: FakeTelegramApi, store: ChannelStore
) -> None:
    message = tg.text_update(CHAT, "Bonjour")["message"]
    bodies: list[object] = [
        tg.update(message=without(message, "chat")),
        tg.update(message=without(message, chat=None)),
        tg.update(message=without(message, chat={"id": None, "type": "private"})),
        tg.update(message=without(message, chat={"id": "abc", "type": "private"})),
        tg.update(message=without(message, chat={"id": True, "type": "private"})),
        tg.update(message=without(message, chat={"id": CHAT})),  # no type
        tg.update(message={"text": "sans chat ni date"}),
        tg.update(message=without(message, "date", "message_id")),
        tg.update(message=without(message, text=5)),
        tg.update(message=without(message, text={"a": 1})),
        tg.update(message=without(message, **{"from": {"id": "x", "is_bot": False}})),
    ]
    agent = FakeAgent()
    assert statuses_of(channel_for(api, store), agent, bodies) == [200] * len(bodies)
    assert agent.received == [] and api.calls == []


@pytest.mark.parametrize("depth", [2_000, 200_000])
def test_deeply_nested_updates_are_a_400(
    api: FakeTelegramApi, store: ChannelStore, depth: int
) -> None:
    bodies: list[object] = [
        b"[" * depth + b"]" * depth,
        b'{"update_id": 1, "message": ' + b'{"a": ' * depth + b"1" + b"}" * (depth + 1),
    ]
    agent = FakeAgent()
    assert statuses_of(channel_for(api, store), agent, bodies) == [400, 400]
    assert agent.received == []


def test_a_long_message_with_emoji_is_answered(api: FakeTelegramApi, store: ChannelStore) -> None:
    text = ("Bonjour 👵🏼🙏 ma mère a besoin d'aide. " * 200)[:5000]
    agent = FakeAgent()
    assert statuses_of(channel_for(api, store), agent, [tg.text_update(CHAT, text)]) == [200]
    assert [m.text for m in agent.received] == [text.strip()]
    assert texts(api) == ["Bien reçu."]


def test_a_retry_after_success_gets_no_second_turn(
    api: FakeTelegramApi, store: ChannelStore
) -> None:
    update = tg.text_update(CHAT, "Bonjour")
    agent = FakeAgent()
    assert statuses_of(channel_for(api, store), agent, [update, update]) == [200, 200]
    assert len(agent.received) == 1 and texts(api) == ["Bien reçu."]


def test_a_retry_after_a_crash_mid_turn_is_processed(
    api: FakeTelegramApi, store: ChannelStore
) -> None:
    update = tg.text_update(CHAT, "Bonjour")
    # The first delivery took the receipt, then the process died before answering.
    assert store.claim_receipt("telegram", str(update["update_id"]), 120) is Claim.NEW
    time.sleep(1.1)
    agent = FakeAgent()
    channel = channel_for(api, store, lease_s=1.0)
    assert statuses_of(channel, agent, [update, update]) == [200, 200]
    assert len(agent.received) == 1 and texts(api) == ["Bien reçu."]


def test_a_retry_waits_for_a_dead_turns_lease_then_answers(
    api: FakeTelegramApi, store: ChannelStore
) -> None:
    """kill -9 of a Rasa replica mid-turn, Telegram retries at once: the retry waits for the
    lease instead of leaving the person without an answer (as scripts/scale_test.py provokes)."""
    update = tg.text_update(CHAT, "Bonjour")
    assert store.claim_receipt("telegram", str(update["update_id"]), 120) is Claim.NEW
    agent = FakeAgent()
    channel = channel_for(api, store, lease_s=1.5)
    assert statuses_of(channel, agent, [update]) == [200]
    assert len(agent.received) == 1 and texts(api) == ["Bien reçu."]


def test_a_flooding_chat_gets_one_notice_and_danger_still_passes(
    api: FakeTelegramApi, store: ChannelStore
) -> None:
    danger = "Au secours, mon mari ne respire plus"
    bodies: list[object] = [tg.text_update(CHAT, f"pub {n}") for n in range(5)]
    bodies.append(tg.text_update(CHAT, danger))
    agent = FakeAgent()
    assert statuses_of(channel_for(api, store, per_sender="2/minute"), agent, bodies) == [200] * 6
    assert [m.text for m in agent.received] == ["pub 0", "pub 1", danger]
    assert texts(api).count(SLOW_DOWN) == 1


def test_many_chats_through_telegrams_address_are_each_counted_alone(
    api: FakeTelegramApi, store: ChannelStore
) -> None:
    # Every update comes from Telegram's servers: the address would count them all together.
    bodies: list[object] = [tg.text_update(CHAT + n, "Bonjour") for n in range(4)]
    bodies.append(tg.text_update(CHAT, "encore"))
    agent = FakeAgent()
    channel = channel_for(api, store, per_sender="1/minute", per_address="1/minute")
    assert statuses_of(channel, agent, bodies) == [200] * 5
    assert [m.text for m in agent.received] == ["Bonjour"] * 4
    assert texts(api).count(SLOW_DOWN) == 1  # the first chat's second message
