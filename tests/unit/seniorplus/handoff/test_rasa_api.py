"""Pause and resume through Rasa's HTTP API, against a fake Rasa (httpx.MockTransport).

The fake answers like rasa/server.py's ``append_events`` (Rasa 3.6): token in the
query string (401 otherwise), the event as a JSON object, the tracker state back.
"""

from __future__ import annotations

import json
import logging

import httpx
import pytest

from seniorplus.handoff.rasa_api import RasaClient, RasaUnavailable
from seniorplus.settings import get_settings

TOKEN = "rasa-token-for-tests"
PHONE = "+33612345678"


class FakeRasa:
    """Records the requests; answers 200 with a small tracker state, or what it is told."""

    def __init__(self, status: int = 200, error: Exception | None = None) -> None:
        self.requests: list[httpx.Request] = []
        self.status = status
        self.error = error

    def __call__(self, request: httpx.Request) -> httpx.Response:
        self.requests.append(request)
        if self.error is not None:
            raise self.error
        if request.url.params.get("token") != TOKEN:
            return httpx.Response(401, json={"status": "failure", "reason": "NotAuthenticated"})
        if self.status != 200:
            return httpx.Response(self.status, json={"status": "failure"})
        sender = request.url.path.split("/")[2]
        return httpx.Response(200, json={"sender_id": sender, "paused": True, "events": None})

    def client(self, token: str | None = TOKEN) -> RasaClient:
        return RasaClient("http://rasa:5005/", token, transport=httpx.MockTransport(self))


async def test_pause_posts_the_event_to_the_conversation_with_the_token() -> None:
    rasa = FakeRasa()
    await rasa.client().pause(PHONE)
    (request,) = rasa.requests
    assert request.method == "POST"
    assert request.url.raw_path.decode().startswith("/conversations/+33612345678/tracker/events?")
    assert dict(request.url.params) == {"token": TOKEN, "include_events": "NONE"}
    assert json.loads(request.content) == {"event": "pause"}


async def test_resume_and_an_id_with_a_slash() -> None:
    rasa = FakeRasa()
    await rasa.client().resume("tg/42")
    assert "/conversations/tg%2F42/tracker/events" in rasa.requests[0].url.raw_path.decode()
    assert json.loads(rasa.requests[0].content) == {"event": "resume"}


@pytest.mark.parametrize("status", [400, 404, 500, 503])
async def test_a_refusal_is_rasa_unavailable(status: int) -> None:
    with pytest.raises(RasaUnavailable) as refused:
        await FakeRasa(status).client().pause(PHONE)
    assert refused.value.message_fr.startswith("L'assistant ne répond pas")


async def test_a_wrong_token_is_rasa_unavailable() -> None:
    with pytest.raises(RasaUnavailable):
        await FakeRasa().client(token="wrong").pause(PHONE)


@pytest.mark.parametrize(
    "error",
    [httpx.ConnectError("refused"), httpx.ReadTimeout("slow"), httpx.RemoteProtocolError("x")],
)
async def test_network_errors_are_rasa_unavailable_and_logged_masked(
    error: Exception, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.WARNING)
    with pytest.raises(RasaUnavailable):
        await FakeRasa(error=error).client().resume(PHONE)
    assert PHONE not in caplog.text and "+336******78" in caplog.text


async def test_settings_give_the_url_and_token(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("RASA_URL", "http://127.0.0.1:5999")
    monkeypatch.setenv("RASA_TOKEN", TOKEN)
    get_settings.cache_clear()
    client = RasaClient()
    assert client.events_url("+331") == "http://127.0.0.1:5999/conversations/+331/tracker/events"
    rasa = FakeRasa()
    await RasaClient(transport=httpx.MockTransport(rasa)).pause("c1")
    assert rasa.requests[0].url.params["token"] == TOKEN


async def test_a_real_unreachable_port_is_rasa_unavailable() -> None:
    with pytest.raises(RasaUnavailable):
        await RasaClient("http://127.0.0.1:9", TOKEN, timeout=2).pause(PHONE)
