"""Rate limits of the channels: per sender and per client address (``limits``).

Memory in dev and tests; Redis when ``REDIS_URL`` is set (production), so that
every Rasa process counts together (``RATE_LIMIT_STORAGE_URL``, a ``limits`` storage
URI, overrides it). A refused message does not reach the
assistant (no turn, no handoff); the sender gets one calm French answer per
``notice`` window, then nothing until the window ends. Words of danger are never
refused: ``Limits.check`` lets them through whatever the counts say.

Who is counted: the vendors' webhooks (SMS, voice, Telegram) by sender only, the phone
number, the call or the chat. Their requests come from Twilio's or Telegram's servers,
through our proxy: an address would count every person together. The per-address limit is
for clients that are the person (the REST channel): the client's address is read behind
the reverse proxy from ``X-Forwarded-For`` only when the request comes from a proxy of
``TRUSTED_PROXIES`` (``observability/client.py``); an IPv6 client is counted by its /64, the
block one subscriber holds.

If the store fails (Redis down), messages pass: a limit must never silence a
person because of our own outage.
"""

from __future__ import annotations

import asyncio
import hashlib
import ipaddress
import logging
from enum import Enum

from limits import RateLimitItem, parse_many
from limits.storage import Storage, storage_from_string
from limits.strategies import FixedWindowRateLimiter

from bot.settings import bot_settings
from channels import wording
from observability.client import parse_ip
from safety import Level, read_danger

logger = logging.getLogger(__name__)

SLOW_DOWN = wording.SLOW_DOWN
SLOW_DOWN_VOICE = wording.SLOW_DOWN_VOICE

DEFAULT_PER_SENDER = "20/minute;200/hour"
DEFAULT_PER_ADDRESS = "120/minute"
DEFAULT_NOTICE = "1/10minute"
URGENT_LEVELS = (Level.DANGER, Level.UNCLEAR)
IPV6_PREFIX = 64  # an IPv6 subscriber holds a whole /64: one address for the limit


class Verdict(str, Enum):
    ALLOW = "allow"
    REFUSE_WITH_NOTICE = "refuse_with_notice"  # the first refusal in the window: say why
    REFUSE_QUIETLY = "refuse_quietly"  # already told: nothing more


def _key(value: str) -> str:
    """A short hash: no phone number or chat id in Redis keys."""
    return hashlib.sha256(value.encode("utf-8", "replace")).hexdigest()[:24]


def address_bucket(address: str) -> str:
    """What the per-address limit counts: the address itself, or its /64 for IPv6."""
    ip = parse_ip(address)
    if isinstance(ip, ipaddress.IPv6Address):
        return str(ipaddress.IPv6Network((int(ip), IPV6_PREFIX), strict=False))
    return address


def storage_url() -> str:
    """``RATE_LIMIT_STORAGE_URL``, else ``REDIS_URL`` (production), else memory."""
    settings = bot_settings()
    return settings.rate_limit_storage_url or settings.redis_url or "memory://"


class Limits:
    """Fixed windows per sender and per client address (when given), one notice per window."""

    def __init__(
        self,
        *,
        per_sender: str | None = None,
        per_address: str | None = None,
        notice: str = DEFAULT_NOTICE,
        storage: str | None = None,
    ) -> None:
        settings = bot_settings()
        self.per_sender: list[RateLimitItem] = parse_many(
            per_sender or settings.rate_limit_per_sender or DEFAULT_PER_SENDER
        )
        self.per_address: list[RateLimitItem] = parse_many(
            per_address or settings.rate_limit_per_address or DEFAULT_PER_ADDRESS
        )
        self.notice: list[RateLimitItem] = parse_many(notice)
        self.storage: Storage = storage_from_string(storage or storage_url())
        self.limiter = FixedWindowRateLimiter(self.storage)
        self.in_memory = "memory" in (self.storage.STORAGE_SCHEME or [])

    def _hit_all(self, items: list[RateLimitItem], *identifiers: str) -> bool:
        ok = True
        for item in items:  # every window counts the hit, even after one is full
            ok = self.limiter.hit(item, *identifiers) and ok
        return ok

    def decide(self, channel: str, sender: str | None, address: str | None) -> Verdict:
        """Count one message; blocking (Redis), see ``check`` for async callers."""
        try:
            ok = True
            if address:
                bucket = _key(address_bucket(address))
                ok = self._hit_all(self.per_address, channel, "address", bucket) and ok
            if sender:
                ok = self._hit_all(self.per_sender, channel, "sender", _key(sender)) and ok
            if ok:
                return Verdict.ALLOW
            who = _key(sender or address or "")
            if self._hit_all(self.notice, channel, "notice", who):
                return Verdict.REFUSE_WITH_NOTICE
            return Verdict.REFUSE_QUIETLY
        except Exception:  # the store is down: let the message through
            logger.warning("Rate limit store unavailable; message allowed", exc_info=False)
            return Verdict.ALLOW

    async def check(
        self, channel: str, sender: str | None, address: str | None, text: str = ""
    ) -> Verdict:
        """The verdict for one message; danger words always pass (they are counted, too)."""
        if self.in_memory:
            verdict = self.decide(channel, sender, address)
        else:
            verdict = await asyncio.to_thread(self.decide, channel, sender, address)
        if verdict is not Verdict.ALLOW and text and read_danger(text).level in URGENT_LEVELS:
            logger.info("Rate limit of %s passed over: words of danger", channel)
            return Verdict.ALLOW
        if verdict is not Verdict.ALLOW:
            logger.info("Rate limit of %s reached (%s)", channel, verdict.value)
        return verdict

    def reset(self) -> None:
        self.storage.reset()  # type: ignore[no-untyped-call]
