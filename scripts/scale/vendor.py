"""Twilio and Telegram as the scale test plays them: signed webhooks, retries, outbound APIs.

Inbound: each webhook is signed as the vendor signs it (``X-Twilio-Signature`` over the
public URL, Telegram's secret-token header) and posted to HAProxy. Like the vendors, a
failed delivery (5xx, connection error, no answer within 15 s) is sent again, the same
request with the same id, after 1, 2, 4, 8 then 16 s.

Outbound: the fake Twilio Messages API and Telegram Bot API of the channel simulator
(``devtools``), served by this process, record what Rasa, the scheduler and the web app
send (Telegram answers arrive there, not in the webhook's response).
"""

from __future__ import annotations

import asyncio
import json
import os
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx
import uvicorn
from fastapi import FastAPI

from devtools import simulator_vendor
from devtools.simulator_payloads import twilio_signature
from devtools.simulator_vendor import Transcripts, get_transcripts, telegram_key

TIMEOUT_S = 15.0  # Twilio waits 15 s for a webhook's answer
BACKOFF_S = (1.0, 2.0, 4.0, 8.0, 16.0)
SECRET_HEADER = "X-Telegram-Bot-Api-Secret-Token"  # noqa: S105  (a header name)


@dataclass
class Delivery:
    """One webhook as the vendor delivered it: every attempt's status, then the last answer."""

    statuses: list[str] = field(default_factory=list)
    status: int = 0  # the last HTTP status, 0 when nothing answered
    body: str = ""
    started: float = 0.0
    ended: float = 0.0

    @property
    def ok(self) -> bool:
        return 200 <= self.status < 300

    @property
    def retried(self) -> bool:
        return len(self.statuses) > 1


class Vendor:
    """Posts signed webhooks to HAProxy, and retries like the vendors do."""

    def __init__(self, public_url: str, twilio_token: str, telegram_secret: str) -> None:
        self.public_url = public_url.rstrip("/")
        self.twilio_token = twilio_token
        self.telegram_secret = telegram_secret
        limits = httpx.Limits(max_connections=400, max_keepalive_connections=50)
        # HAProxy's certificate is made for the run: nothing to verify it against.
        self.client = httpx.AsyncClient(verify=False, timeout=TIMEOUT_S, limits=limits)  # noqa: S501

    async def close(self) -> None:
        await self.client.aclose()

    async def _deliver(self, url: str, content: bytes, headers: dict[str, str]) -> Delivery:
        delivery = Delivery(started=time.monotonic())
        for attempt in range(len(BACKOFF_S) + 1):
            try:
                response = await self.client.post(url, content=content, headers=headers)
            except httpx.TimeoutException:
                delivery.statuses.append("délai")
                delivery.status, delivery.body = 0, ""
            except httpx.TransportError:
                delivery.statuses.append("connexion")
                delivery.status, delivery.body = 0, ""
            else:
                delivery.statuses.append(str(response.status_code))
                delivery.status, delivery.body = response.status_code, response.text
                if response.status_code < 500:
                    break
            if attempt < len(BACKOFF_S):
                await asyncio.sleep(BACKOFF_S[attempt])
        delivery.ended = time.monotonic()
        return delivery

    async def twilio(self, path_and_query: str, form: dict[str, str]) -> Delivery:
        """A Twilio form webhook (SMS or voice), signed over the public URL."""
        url = self.public_url + path_and_query
        signature = twilio_signature(self.twilio_token, url, form)
        headers = {
            "X-Twilio-Signature": signature,
            "Content-Type": "application/x-www-form-urlencoded",
            "User-Agent": "TwilioProxy/1.1",
        }
        body = httpx.QueryParams(form).__str__().encode()
        return await self._deliver(url, body, headers)

    async def telegram(self, update: dict[str, Any]) -> Delivery:
        headers = {SECRET_HEADER: self.telegram_secret, "Content-Type": "application/json"}
        url = self.public_url + "/webhooks/telegram/webhook"
        return await self._deliver(url, json.dumps(update).encode(), headers)


class FakeApis:
    """The fake Twilio Messages API and Telegram Bot API, in a thread of this process."""

    def __init__(
        self, port: int, bot_token: str, twilio_sid: str, twilio_token: str, tls: tuple[Path, Path]
    ) -> None:
        # The simulator's routes read the secrets they check from this process's environment.
        os.environ.update(
            TELEGRAM_BOT_TOKEN=bot_token,
            TWILIO_ACCOUNT_SID=twilio_sid,
            TWILIO_AUTH_TOKEN=twilio_token,
        )
        self.transcripts = Transcripts(max_conversations=100_000, max_entries=2_000)
        app = FastAPI()
        app.include_router(simulator_vendor.router)
        app.dependency_overrides[get_transcripts] = lambda: self.transcripts
        cert, key = tls
        config = uvicorn.Config(
            app, host="127.0.0.1", port=port, log_level="warning",
            ssl_certfile=str(cert), ssl_keyfile=str(key),
        )  # fmt: skip
        self.server = uvicorn.Server(config)
        self.thread = threading.Thread(target=self.server.run, daemon=True)

    def start(self) -> None:
        self.thread.start()
        deadline = time.monotonic() + 20
        while not self.server.started:
            if time.monotonic() > deadline or not self.thread.is_alive():
                raise RuntimeError("Les faux fournisseurs ne démarrent pas")
            time.sleep(0.05)

    def stop(self) -> None:
        self.server.should_exit = True
        self.thread.join(timeout=10)

    def telegram_since(self, chat_id: int, after: int) -> list[dict[str, Any]]:
        """What the bot sent to this chat after sequence number ``after``."""
        return [
            e
            for e in self.transcripts.since(telegram_key(chat_id), after)
            if e.get("direction") == "out"
        ]

    def last_seq(self, chat_id: int) -> int:
        last = self.transcripts.last(telegram_key(chat_id))
        return int(last["seq"]) if last else 0
