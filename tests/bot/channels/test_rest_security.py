"""REST channel doors: off outside dev and tests, its own namespace, rate limits, hostile bodies."""

from __future__ import annotations

import json
import logging
from pathlib import Path

import pytest

from channels.rate_limits import SLOW_DOWN, Limits
from channels.rest import OFF, SeniorRestInput
from channels.store import ChannelStore
from tests.bot.twilio_payloads import ChannelClient, FakeAssistant, Posted, migrated_database

PATH = "/webhooks/rest/webhook"
DANGER = "Mon mari est tombé, il ne respire plus, venez vite"


@pytest.fixture
def assistant() -> FakeAssistant:
    return FakeAssistant()


def client_for(
    assistant: FakeAssistant, tmp_path: Path, *, enabled: bool = True, per_sender: str = "50/minute"
) -> ChannelClient:
    channel = SeniorRestInput(
        store=ChannelStore(migrated_database(tmp_path)),
        enabled=enabled,
        limits=Limits(per_sender=per_sender, per_address="1000/minute", storage="memory://"),
    )
    return ChannelClient(channel, assistant)


def post(client: ChannelClient, payload: object | bytes) -> Posted:
    raw = payload if isinstance(payload, bytes) else json.dumps(payload).encode()
    return client.post(PATH, {}, signature=None, content_type="application/json", raw=raw)


@pytest.mark.parametrize(("app_env", "enabled"), [
    ("dev", True), ("test", True), ("TEST", True), ("production", False), ("staging", False),
    ("", False), (None, False),
])  # fmt: skip
def test_on_only_in_dev_and_tests(
    monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture, app_env: str | None,
    enabled: bool,
) -> None:  # fmt: skip
    if app_env is None:
        monkeypatch.delenv("APP_ENV", raising=False)
    else:
        monkeypatch.setenv("APP_ENV", app_env)
    with caplog.at_level(logging.WARNING, logger="channels.rest"):
        channel = SeniorRestInput.from_credentials(None)
    assert channel.enabled is enabled
    assert ("REST channel off" in caplog.text) is not enabled


def test_off_answers_404_and_nothing_reaches_the_assistant(
    assistant: FakeAssistant, tmp_path: Path
) -> None:
    client = client_for(assistant, tmp_path, enabled=False)
    refused = post(client, {"sender": "+33612345678", "message": "mes données"})
    assert refused.status == 404 and json.loads(refused.text) == {"error": OFF}
    assert assistant.received == []


@pytest.mark.parametrize(
    ("sender", "conversation"),
    [
        ("+33612345678", "rest:+33612345678"),  # never the SMS or phone conversation
        ("tg111111111", "rest:tg111111111"),  # never the Telegram chat
        ("rest:essai", "rest:essai"),  # already in the namespace: kept as is
        ("essai", "rest:essai"),
    ],
)
def test_a_rest_sender_lives_in_its_own_namespace(
    assistant: FakeAssistant, tmp_path: Path, sender: str, conversation: str
) -> None:
    answered = post(client_for(assistant, tmp_path), {"sender": sender, "message": "bonjour"})
    assert answered.status == 200
    [received] = assistant.received
    assert received.sender_id == conversation
    assert {m["recipient_id"] for m in json.loads(answered.text)} == {conversation}


def test_a_flooding_sender_gets_one_calm_answer_and_no_turn(
    assistant: FakeAssistant, tmp_path: Path
) -> None:
    client = client_for(assistant, tmp_path, per_sender="3/minute")
    statuses = [post(client, {"sender": "flot", "message": f"bla {n}"}) for n in range(8)]
    assert [p.status for p in statuses] == [200, 200, 200] + [429] * 5
    assert json.loads(statuses[3].text) == [{"recipient_id": "rest:flot", "text": SLOW_DOWN}]
    assert all(json.loads(p.text) == [] for p in statuses[4:])  # told once, then quiet
    assert len(assistant.received) == 3
    # another sender is not held back by this one
    assert post(client, {"sender": "autre", "message": "bonjour"}).status == 200


def test_words_of_danger_are_never_rate_limited(assistant: FakeAssistant, tmp_path: Path) -> None:
    client = client_for(assistant, tmp_path, per_sender="1/minute")
    assert post(client, {"sender": "flot", "message": "bonjour"}).status == 200
    assert post(client, {"sender": "flot", "message": "encore"}).status == 429
    for _ in range(3):
        assert post(client, {"sender": "flot", "message": DANGER}).status == 200
    assert [r.text for r in assistant.received] == ["bonjour"] + [DANGER] * 3


@pytest.mark.parametrize("depth", [1_000, 100_000])
def test_deeply_nested_json_is_a_400_not_a_500(
    assistant: FakeAssistant, tmp_path: Path, depth: int
) -> None:
    client = client_for(assistant, tmp_path)
    for raw in (b"[" * depth + b"]" * depth, b'{"sender": "a", "message": ' + b"[" * depth):
        refused = post(client, raw)
        assert refused.status == 400, refused.text
        assert "JSON" in json.loads(refused.text)["error"]
    deep = b'{"sender": "a", "message": "x", "metadata": ' + b'{"x": ' * 500 + b"{}"
    accepted = post(client, deep + b"}" * 501)
    assert accepted.status == 200  # read, but such metadata is not passed on
    assert assistant.received[0].metadata is None


def test_long_messages_and_emoji_pass(assistant: FakeAssistant, tmp_path: Path) -> None:
    client = client_for(assistant, tmp_path)
    text = ("Ma mère 👵🏼 a besoin d'aide 🙏 " * 200)[:5000]
    assert post(client, {"sender": "a", "message": text}).status == 200
    assert assistant.received[0].text == text.strip()
