"""Fuzz: thousands of malformed and hostile bodies at every public webhook of the bot: no 5xx.

REST, SMS, voice (webhook and status) and Telegram are registered on one Sanic app the
way ``rasa run`` does, with a fake assistant, the migrated app database and a fake Bot
API. Twilio bodies are mostly signed (so they reach the parsing behind the signature),
Telegram bodies mostly carry the secret. ``FUZZ_BODIES`` sets the count (``make fuzz``).
"""

from __future__ import annotations

import asyncio
import collections
import random
import types
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

import httpx
from rasa.core.channels.channel import register
from sanic import Sanic
from sanic.asgi import Lifespan

from channels.rate_limits import Limits
from channels.rest import SeniorRestInput
from channels.sms import SmsInput
from channels.store import ChannelStore
from channels.telegram import SECRET_HEADER, TelegramInput
from channels.voice import VoiceInput
from devtools.fakes.telegram import FakeTelegramApi
from policies.hours import OpeningHours
from tests.bot import telegram_payloads as tg
from tests.bot.twilio_payloads import (
    AUTH_TOKEN,
    OPENING_HOURS,
    PUBLIC_BASE_URL,
    TEAM_PHONE,
    FakeAssistant,
    call_params,
    gather_params,
    migrated_database,
    new_sid,
    sms_params,
    status_params,
    twilio_signature,
)
from tests.fuzz_bodies import Body, bodies, count_from_env, form_pairs, garbage, json_body

TOKEN = "1000000000:AAfuzz-token_for-the-fake"
SECRET = "fuzz_secret-0123456789"
CI_BODIES = 5000
VOICE_QUERIES = ["", "silence=1", "silence=2", "silence=9", "silence=x", "after=dial",
                 "step=0123456789ab", "step=../..", "step=", "silence=1&silence=2"]  # fmt: skip


class Agent:
    def __init__(self, assistant: FakeAssistant) -> None:
        self.assistant = assistant

    async def handle_message(self, message: Any) -> None:
        await self.assistant(message)


def twilio_body(rng: random.Random, path: str, params: dict[str, str], query: str = "") -> Body:
    if rng.random() < 0.15:
        return Body(path, garbage(rng), "application/x-www-form-urlencoded", query)
    pairs = form_pairs(rng, params)
    full = PUBLIC_BASE_URL + path + (f"?{query}" if query else "")
    headers = {}
    roll = rng.random()
    if roll < 0.75:
        headers["X-Twilio-Signature"] = twilio_signature(full, dict(pairs))
    elif roll < 0.9:
        headers["X-Twilio-Signature"] = rng.choice(["", "Zm9yZ2Vk", "%C3%A9", "x" * 5000])
    content_type = "application/x-www-form-urlencoded" if rng.random() < 0.9 else "text/plain"
    return Body(path, urlencode(pairs).encode(), content_type, query, headers)


def rest(rng: random.Random) -> Body:
    base = {"sender": "fuzz", "message": "bonjour", "metadata": {"a": 1}}
    return json_body(rng, "/webhooks/rest/webhook", base)


def sms(rng: random.Random) -> Body:
    return twilio_body(rng, "/webhooks/sms/webhook", sms_params("Bonjour"))


def voice(rng: random.Random) -> Body:
    call = new_sid("CA")
    params = rng.choice([call_params(call), gather_params(call, digits=rng.choice("0123*#9")),
                         gather_params(call, speech="je voudrais l'APA")])  # fmt: skip
    return twilio_body(rng, "/webhooks/voice/webhook", params, rng.choice(VOICE_QUERIES))


def voice_status(rng: random.Random) -> Body:
    params = status_params(new_sid("CA"), "+33612345678", rng.choice(["completed", "busy", "x"]))
    return twilio_body(rng, "/webhooks/voice/status", params)


def telegram(rng: random.Random) -> Body:
    base = rng.choice([tg.text_update(111, "Bonjour"), tg.photo_update(111, "légende"),
                       tg.contact_update(111, "33612345678", 111), tg.group_text_update("/start"),
                       tg.voice_update(111), tg.callback_query_update(111)])  # fmt: skip
    body = json_body(rng, "/webhooks/telegram/webhook", base)
    if rng.random() < 0.9:
        body.headers[SECRET_HEADER] = SECRET if rng.random() < 0.9 else "faux"
    return body


Statuses = collections.Counter[tuple[str, int]]


async def fuzz(tmp_path: Path, count: int) -> tuple[Statuses, list[Any]]:
    store = ChannelStore(migrated_database(tmp_path))
    limits = Limits(per_sender="100000/minute", per_address="100000/minute", storage="memory://")
    statuses: Statuses = collections.Counter()
    loop_errors: list[Any] = []
    asyncio.get_running_loop().set_exception_handler(lambda _, context: loop_errors.append(context))
    with FakeTelegramApi(TOKEN) as api:
        hours = OpeningHours.parse(OPENING_HOURS)
        telegram_channel = TelegramInput(TOKEN, SECRET, api.url, store=store, limits=limits,
                                         answer_within=2.0)  # fmt: skip
        channels = [
            SeniorRestInput(store=store, limits=limits),
            SmsInput(AUTH_TOKEN, PUBLIC_BASE_URL, store=store, limits=limits),
            VoiceInput(AUTH_TOKEN, PUBLIC_BASE_URL, TEAM_PHONE, hours, store=store, limits=limits),
            telegram_channel,
        ]
        Sanic.test_mode = True
        app = Sanic(f"fuzz_{random.randrange(10**9)}")
        app.ctx.agent = Agent(FakeAssistant())
        register(channels, app, route="/webhooks/")
        app.asgi = True
        lifespan = Lifespan(types.SimpleNamespace(sanic_app=app))  # type: ignore[arg-type]
        await lifespan.startup()
        transport = httpx.ASGITransport(app=app)  # type: ignore[arg-type]
        makers = [rest, sms, voice, voice_status, telegram]
        async with httpx.AsyncClient(transport=transport, base_url="http://rasa") as client:
            for index, body in bodies(count, makers):
                url = body.path + (f"?{body.query}" if body.query else "")
                headers = {"content-type": body.content_type, **body.headers}
                answer = await client.post(url, content=body.content, headers=headers)
                statuses[(body.path.removeprefix("/webhooks/"), answer.status_code)] += 1
                if answer.status_code >= 500:
                    print(f"seed index {index}: {answer.status_code} on {url}")
        await telegram_channel.wait_idle(timeout=30)
        await lifespan.shutdown()
    return statuses, loop_errors


def report(statuses: collections.Counter[tuple[str, int]]) -> str:
    lines = [
        f"  {endpoint:<18} {status}: {n}" for (endpoint, status), n in sorted(statuses.items())
    ]
    return "\n".join(lines)


def test_no_hostile_body_gets_a_5xx(tmp_path: Path) -> None:
    count = count_from_env(CI_BODIES)
    statuses, loop_errors = asyncio.run(fuzz(tmp_path, count))
    total = sum(statuses.values())
    server_errors = sum(n for (_, status), n in statuses.items() if status >= 500)
    print(f"\nFuzz des canaux : {total} corps, {server_errors} réponses 5xx\n{report(statuses)}")
    assert total == count
    assert server_errors == 0
    assert loop_errors == []  # no background task (Telegram turns) died with an exception
    assert len({endpoint for endpoint, _ in statuses}) == 5  # every endpoint was reached
