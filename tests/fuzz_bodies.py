"""Malformed and hostile request bodies, from a seeded generator (standard library only).

Used by tests/bot/channels/test_fuzz_channels.py (REST, SMS, voice, Telegram webhooks) and
tests/unit/actions/test_fuzz_action_server.py (the action server). The same seed gives the
same bodies, so a failure is replayed by its seed and index. ``FUZZ_BODIES`` sets
how many (a short run in the suite, a long one with ``make fuzz``).
"""

from __future__ import annotations

import json
import os
import random
import string
import zlib
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any

SEED = int(os.environ.get("FUZZ_SEED") or 20261206)

# Strings that broke something somewhere once: NUL, control and direction marks, emoji,
# very long text, markup, template and SQL fragments, paths, numbers as text, ids of others.
HOSTILE_TEXT = [
    "",
    " ",
    "\x00",
    "\x00\x01\x02\x1b[31m",
    "\r\n\r\nX-Injected: 1",
    "\u202eevil\u202c",
    "\u200b\u200d\ufeff",
    "😀" * 2000,
    "👵🏼🙏🏽" * 700,
    "é" * 5000,
    "a" * 9000,
    "<Response><Dial>+33600000000</Dial></Response>",
    "<script>alert(1)</script>",
    "{{7*7}}${7*7}",
    "' OR 1=1; DROP TABLE handoffs; --",
    "../../../../etc/passwd",
    "9" * 400,
    "-1",
    "NaN",
    "1e999",
    "+33612345678",
    "tg111111111",
    "rest:+33612345678",
    "%00%ff%fe",
    "STOP",
    "/start@SeniorPlusBot payload",
    "/greet",
    '/report_emergency{"danger_now": "oui"}',
    "au secours il ne respire plus",
]
JSON_ONLY_TEXT = ["\ud800", "\udfff\ud800x"]  # lone surrogates: fine in JSON, not in forms
CONTENT_TYPES = [
    "application/json",
    "application/json; charset=utf-8",
    "application/x-www-form-urlencoded",
    "text/plain",
    "multipart/form-data; boundary=x",
    "application/xml",
    "",
    "application/json; charset=latin-1",
]


@dataclass
class Body:
    """One request: what is sent and how."""

    path: str
    content: bytes
    content_type: str
    query: str = ""
    headers: dict[str, str] = field(default_factory=dict)


def hostile_value(rng: random.Random, json_ok: bool = True, depth: int = 0) -> Any:
    """A value of a random type, often one a parser does not expect."""
    pick = rng.randrange(12)
    if pick < 4:
        pool = HOSTILE_TEXT + (JSON_ONLY_TEXT if json_ok else [])
        return rng.choice(pool)
    if pick == 4:
        return rng.choice([0, -1, 2**63, -(2**70), 10**400 if json_ok else 1])
    if pick == 5:
        return rng.choice([True, False, None])
    if pick == 6:
        return rng.choice([1.5, -0.0, 1e308])
    if pick == 7 and depth < 3:
        return [hostile_value(rng, json_ok, depth + 1) for _ in range(rng.randrange(4))]
    if pick == 8 and depth < 3:
        return {
            random_key(rng): hostile_value(rng, json_ok, depth + 1) for _ in range(rng.randrange(4))
        }
    return "".join(rng.choice(string.printable) for _ in range(rng.randrange(1, 60)))


def random_key(rng: random.Random) -> str:
    return rng.choice(["", "a", "__proto__", "constructor", "é", "x" * 300, "id", "text"])


def mutate(rng: random.Random, value: Any, json_ok: bool = True) -> Any:
    """A copy of a JSON-like value with a few fields dropped, replaced or added, at any depth."""
    if isinstance(value, dict):
        copy = dict(value)
        for _ in range(rng.randrange(1, 4)):
            if not copy or rng.random() < 0.2:
                copy[random_key(rng)] = hostile_value(rng, json_ok)
                continue
            key = rng.choice(list(copy))
            action = rng.randrange(4)
            if action == 0:
                del copy[key]
            elif action == 1:
                copy[key] = hostile_value(rng, json_ok)
            else:  # go deeper
                copy[key] = mutate(rng, copy[key], json_ok)
        return copy
    if isinstance(value, list):
        return [mutate(rng, v, json_ok) for v in value] or [hostile_value(rng, json_ok)]
    return hostile_value(rng, json_ok) if rng.random() < 0.7 else value


def nested(rng: random.Random) -> bytes:
    depth = rng.choice([50, 900, 1_100, 5_000, 100_000])
    opener, closer = rng.choice([(b"[", b"]"), (b'{"a":', b"}")])
    tail = closer * depth if rng.random() < 0.7 else b""
    return opener * depth + b"1" + tail


def garbage(rng: random.Random) -> bytes:
    pick = rng.randrange(6)
    if pick == 0:
        return rng.randbytes(rng.randrange(0, 3000))
    if pick == 1:
        return nested(rng)
    if pick == 2:
        return zlib.compress(b" " * rng.choice([10, 10_000_000]))  # deflate where none is expected
    if pick == 3:
        return b"\xff\xfe" + "café".encode("utf-16-le")
    if pick == 4:
        return b"a=" + b"&a=" * rng.randrange(1, 500)
    return json.dumps(hostile_value(rng)).encode()


def json_body(rng: random.Random, path: str, base: dict[str, Any]) -> Body:
    """A JSON endpoint's body: mostly mutated valid payloads, some garbage."""
    if rng.random() < 0.25:
        content = garbage(rng)
    else:
        payload = mutate(rng, base)
        try:
            content = json.dumps(payload, ensure_ascii=rng.random() < 0.5).encode(
                "utf-8", "surrogatepass"
            )
        except (ValueError, OverflowError):
            content = b"{}"
    content_type = "application/json" if rng.random() < 0.8 else rng.choice(CONTENT_TYPES)
    return Body(path, content, content_type)


def form_pairs(rng: random.Random, base: dict[str, str]) -> list[tuple[str, str]]:
    """A Twilio form with fields dropped, replaced, repeated or added."""
    mutated = mutate(rng, base, json_ok=False)
    pairs: list[tuple[str, str]] = []
    for key, value in mutated.items():
        pairs.append((key, value if isinstance(value, str) else json.dumps(value)))
    if pairs and rng.random() < 0.05:  # a repeated field
        pairs.append((rng.choice(pairs)[0], str(hostile_value(rng, json_ok=False))))
    if rng.random() < 0.05:
        pairs += [(f"f{n}", "x") for n in range(rng.randrange(90, 130))]
    return pairs


def bodies(
    count: int, makers: list[Callable[[random.Random], Body]], seed: int = SEED
) -> Iterator[tuple[int, Body]]:
    """``count`` bodies, spread over ``makers`` (one per endpoint), with their index."""
    rng = random.Random(seed)
    for index in range(count):
        yield index, makers[index % len(makers)](rng)


def count_from_env(default: int) -> int:
    return int(os.environ.get("FUZZ_BODIES") or default)
