"""Bad input gets a French answer or a 4xx, never a 500, and the conversation goes on."""

from __future__ import annotations

from collections.abc import Callable

import httpx
import pytest

from tests.conversations.conftest import Assistant, buttons, texts

pytestmark = pytest.mark.conversation


@pytest.mark.parametrize(
    "message",
    ["", "   ", "😀😀🙏", "\x00\x01\x02ÿþ\x7f", "a" * 5000, "je voudrais de l'aide " * 220, None],
    ids=["empty", "blank", "emoji", "binary", "5000-a", "5000-words", "null"],
)
def test_odd_messages_get_a_french_answer(
    assistant: Assistant, new_sender: Callable[[], str], message: object
) -> None:
    person = new_sender()
    response = assistant.send(person, message)
    assert response.status_code == 200
    reply = response.json()
    assert reply and all(m.get("text") for m in reply)
    assert len(buttons(assistant.say(person, "bonjour"))) == 9  # the conversation goes on


@pytest.mark.parametrize(
    ("body", "status"),
    [
        (b"not json at all", 400),
        (b"[1, 2, 3]", 400),
        (b'{"message": "bonjour"}', 400),
        (b'{"sender": "", "message": "bonjour"}', 400),
        (b'{"sender": "x", "message": 42}', 400),
        (b'{"sender": "<script>", "message": "bonjour"}', 400),
        (b'{"sender": "x", "message": "' + b"a" * 9000 + b'"}', 413),
        (b"\xff\xfe\x00garbage", 400),
    ],
)
def test_malformed_requests_get_a_4xx_in_french(
    assistant: Assistant, body: bytes, status: int
) -> None:
    response = assistant.client.post(
        f"{assistant.rasa_url}/webhooks/rest/webhook",
        content=body,
        headers={"Content-Type": "application/json"},
    )
    assert response.status_code == status
    assert response.json()["error"]


def test_parse_api_needs_the_token(assistant: Assistant) -> None:
    url = f"{assistant.rasa_url}/model/parse"
    assert httpx.post(url, json={"text": "bonjour"}).status_code == 401
    ok = httpx.post(url, params={"token": assistant.token}, json={"text": "bonjour madame"})
    assert ok.status_code == 200
    assert ok.json()["intent"]["name"] == "greet"


def test_nothing_said_is_lost(assistant: Assistant, new_sender: Callable[[], str]) -> None:
    person = new_sender()
    for message in ("", "😀", "bonjour", "2"):
        assistant.send(person, message)
    tracker = httpx.get(
        f"{assistant.rasa_url}/conversations/{person}/tracker", params={"token": assistant.token}
    ).json()
    said = [e.get("text") for e in tracker["events"] if e["event"] == "user"]
    # "2" is kept as typed, then replayed as the chosen topic (see action_resolve_reply).
    assert said == ["", "😀", "bonjour", "2", "2"]
    assert "EHPAD" in " ".join(texts([e for e in tracker["events"] if e["event"] == "bot"][-3:]))
