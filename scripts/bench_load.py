"""The load of `make bench` (scripts/bench.py): open-loop conversations, steps, long conversations.

Open loop: conversations arrive as a Poisson process, whatever the server's answers do; each
one sends its script's turns with a think time between them (exponential by default: a
person's next message is independent of the time already spent reading, so the messages of
all conversations form a Poisson stream of N/think messages per second for N simultaneous
conversations). A step holds a number N of simultaneous conversations: the arrival rate is
N / (expected duration of a conversation) by Little's law, plus, while fewer than N are open,
the missing ones spread over half a think time (still Poisson, at a higher rate). Latencies of
the messages sent in a step's window give its percentiles; a message still unanswered counts
with the time it has waited so far, so that an overloaded step is never made to look better.
"""

from __future__ import annotations

import asyncio
import contextlib
import math
import random
import time
import uuid
from collections.abc import AsyncIterator, Awaitable, Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

import aiohttp

CpuSnapshot = Callable[[], dict[str, float]]  # process name -> CPU seconds (user + system)
# Sends one message as one sender; True when the bot answered it (HTTP 200, a non-empty reply).
SendMessage = Callable[[str, str], Awaitable[bool]]


@contextlib.asynccontextmanager
async def rest_sender(url: str, timeout_s: float) -> AsyncIterator[SendMessage]:
    """Messages posted to Rasa's REST channel over kept-alive connections.

    aiohttp rather than httpx: with hundreds of requests in flight, httpx's pool took up to
    0.7 of a core of the two being measured (docs/performance.md, 2026-12-07); the load
    generator shares the machine with the bot, so its own cost must stay small.
    """
    connector = aiohttp.TCPConnector(limit=0, keepalive_timeout=4)
    timeout = aiohttp.ClientTimeout(total=timeout_s)
    async with aiohttp.ClientSession(connector=connector, timeout=timeout) as session:

        async def send(sender: str, text: str) -> bool:
            try:
                async with session.post(url, json={"sender": sender, "message": text}) as reply:
                    return reply.status == 200 and bool(await reply.json(content_type=None))
            except (aiohttp.ClientError, asyncio.TimeoutError, ValueError):
                return False

        yield send


def percentile(values: Sequence[float], share: float) -> float:
    """Nearest-rank percentile (share in [0, 1]); NaN for no value."""
    if not values:
        return math.nan
    ordered = sorted(values)
    rank = max(1, math.ceil(share * len(ordered)))
    return ordered[rank - 1]


def poisson(rng: random.Random, mean: float) -> int:
    """A Poisson draw (Knuth's method, split for large means)."""
    count = 0
    while mean > 30:  # keeps exp(-mean) far from underflow; a sum of Poissons is Poisson
        count += poisson(rng, 30)
        mean -= 30
    threshold, product, draws = math.exp(-mean), rng.random(), 0
    while product > threshold:
        product *= rng.random()
        draws += 1
    return count + draws


@dataclass
class Sample:
    """One message: when it left, when its answer came, whether it was a good one."""

    sent: float
    turn: int
    done: float | None = None
    ok: bool = False

    def latency_ms(self, now: float) -> float:
        """The answer's latency, or the time waited so far when it has not come yet."""
        return ((self.done if self.done is not None else now) - self.sent) * 1000


@dataclass
class OpenLoop:
    """Conversations arriving as a Poisson process, each one sending its script."""

    send_message: SendMessage
    scripts: Sequence[Sequence[str]]
    think_s: float = 20.0
    think_fixed: bool = False
    seed: int = 20261206
    sender_prefix: str = "bench"
    target: int = 0
    active: int = 0
    started: int = 0
    samples: list[Sample] = field(default_factory=list)
    _tasks: set[asyncio.Task[None]] = field(default_factory=set)
    _stopping: asyncio.Event = field(default_factory=asyncio.Event)

    def __post_init__(self) -> None:
        self.rng = random.Random(self.seed)  # noqa: S311 (a reproducible load, not a secret)
        turns = sum(len(script) for script in self.scripts) / len(self.scripts)
        self.mean_duration_s = max(1.0, (turns - 1) * self.think_s)

    def think(self) -> float:
        return self.think_s if self.think_fixed else self.rng.expovariate(1 / self.think_s)

    def arrival_rate(self) -> float:
        """Conversations per second: Little's law for the target, corrected by the gap to it.

        Missing conversations open over half a think time; conversations in excess slow the
        arrivals down the same way (never below zero), so the number of open ones stays
        close to the target instead of overshooting while the first ones are still open.
        """
        gap = self.target - self.active
        return max(0.0, self.target / self.mean_duration_s + gap / (self.think_s / 2))

    async def send(self, sender: str, text: str, turn: int) -> Sample:
        sample = Sample(sent=time.monotonic(), turn=turn)
        self.samples.append(sample)
        sample.ok = await self.send_message(sender, text)
        sample.done = time.monotonic()
        return sample

    async def conversation(self, script: Sequence[str]) -> None:
        sender = f"{self.sender_prefix}-{uuid.uuid4().hex[:12]}"
        try:
            for turn, text in enumerate(script, start=1):
                await self.send(sender, text, turn)
                if turn < len(script):
                    with contextlib.suppress(asyncio.TimeoutError):
                        await asyncio.wait_for(self._stopping.wait(), timeout=self.think())
                if self._stopping.is_set():
                    return
        finally:
            self.active -= 1

    def open_one(self) -> None:
        self.active += 1
        self.started += 1
        task = asyncio.create_task(self.conversation(self.rng.choice(self.scripts)))
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)

    async def arrivals(self) -> None:
        """Open conversations until cancelled (Poisson counts per tick at the current rate)."""
        tick_s = min(0.25, self.think_s / 8)  # well under the half think time of the correction
        while True:
            for _ in range(poisson(self.rng, self.arrival_rate() * tick_s)):
                self.open_one()
            await asyncio.sleep(tick_s)

    async def close(self, drain_s: float) -> None:
        """Stop every conversation; wait up to `drain_s` for the answers already asked for."""
        self._stopping.set()
        if self._tasks:
            await asyncio.wait(set(self._tasks), timeout=drain_s)
        for task in list(self._tasks):
            task.cancel()
        await asyncio.gather(*self._tasks, return_exceptions=True)


@dataclass
class Window:
    """A step's measured window: its messages, the open conversations, the CPU spent."""

    target: int
    start: float
    end: float
    mean_active: float
    cpu_s: dict[str, float]  # CPU seconds spent by each process during the window
    extra: dict[str, Any] = field(default_factory=dict)


def summarize(window: Window, samples: Sequence[Sample], now: float) -> dict[str, Any]:
    """Percentiles of the messages sent in the window; CPU per message answered in it."""
    sent = [s for s in samples if window.start <= s.sent < window.end]
    answered = [s for s in samples if s.done is not None and window.start <= s.done < window.end]
    latencies = [s.latency_ms(now) for s in sent]
    errors = sum(1 for s in sent if s.done is not None and not s.ok)
    pending = sum(1 for s in sent if s.done is None)
    duration = window.end - window.start
    return {
        "target": window.target,
        "mean_active": round(window.mean_active, 1),
        "messages": len(sent),
        "errors": errors,
        "unanswered": pending,
        "rate_msg_s": round(len(sent) / duration, 2) if duration > 0 else 0.0,
        "p50_ms": round(percentile(latencies, 0.50), 1),
        "p95_ms": round(percentile(latencies, 0.95), 1),
        "p99_ms": round(percentile(latencies, 0.99), 1),
        "cpu_ms_per_msg": {
            name: round(1000 * seconds / len(answered), 1) if answered else math.nan
            for name, seconds in window.cpu_s.items()
        },
        **window.extra,
    }


def passes(
    step: dict[str, Any], p95_limit_ms: float, max_error_share: float, in_flight: bool = False
) -> bool:
    """A step holds when its p95 is within the limit and its errors are rare.

    `in_flight`: the step was just measured, its unanswered messages may still be answered
    (their wait so far is already in the percentiles); afterwards, unanswered is failed.
    """
    messages = max(1, int(step["messages"]))
    failed = int(step["errors"]) + (0 if in_flight else int(step["unanswered"]))
    return bool(step["p95_ms"] <= p95_limit_ms and failed / messages <= max_error_share)


def capacity(steps: Sequence[dict[str, Any]], p95_limit_ms: float, max_error_share: float) -> int:
    """The largest number of simultaneous conversations of a step that held (0 if none)."""
    held = [int(s["target"]) for s in steps if passes(s, p95_limit_ms, max_error_share)]
    return max(held, default=0)


def cpu_delta(before: dict[str, float], after: dict[str, float]) -> dict[str, float]:
    return {name: after[name] - before.get(name, 0.0) for name in after}


async def run_steps(
    load: OpenLoop,
    steps: Sequence[int],
    settle_s: float,
    window_s: float,
    cpu: CpuSnapshot,
    p95_limit_ms: float = 1000.0,
    max_error_share: float = 0.01,
    on_step: Callable[[dict[str, Any]], None] | None = None,
    probe: Callable[[], dict[str, Any]] | None = None,
) -> list[dict[str, Any]]:
    """Raise the number of simultaneous conversations step by step until a step fails.

    Each step settles for `settle_s`, then is measured for `window_s`. The ramp stops after
    the first step whose (provisional) p95 exceeds the limit or whose errors are too many;
    the figures of every step are computed again once its last answers have come.
    """
    windows: list[Window] = []
    arrivals = asyncio.create_task(load.arrivals())
    try:
        for target in steps:
            load.target = target
            await asyncio.sleep(settle_s)
            start, before, active = time.monotonic(), cpu(), []
            while time.monotonic() - start < window_s:
                active.append(load.active)
                await asyncio.sleep(0.5)
            end = time.monotonic()
            window = Window(
                target, start, end, sum(active) / len(active), cpu_delta(before, cpu()),
                probe() if probe else {},
            )  # fmt: skip
            windows.append(window)
            provisional = summarize(window, load.samples, time.monotonic())
            if on_step is not None:
                on_step(provisional)
            if not passes(provisional, p95_limit_ms, max_error_share, in_flight=True):
                break
    finally:
        arrivals.cancel()
        await asyncio.gather(arrivals, return_exceptions=True)
        await load.close(drain_s=settle_s + 10)
    now = time.monotonic()
    return [summarize(window, load.samples, now) for window in windows]


@dataclass
class TurnCost:
    turn: int
    latency_ms: float
    cpu_s: dict[str, float]
    ok: bool


async def long_conversations(
    send_message: SendMessage,
    messages: Sequence[str],
    names: Sequence[str],
    turns: int,
    cpu: CpuSnapshot,
    before_round: Callable[[int], None] | None = None,
) -> list[TurnCost]:
    """One conversation per sender name, `turns` turns each, one message at a time.

    Round t sends turn t of every conversation in turn, so that each message is measured
    alone: its latency is the server's, and the CPU spent between its sending and its
    answer is its own. The conversations cycle through `messages`. `before_round(t)` is
    called before round t, and with turns + 1 at the end (to switch a profiler on and off).
    """
    costs: list[TurnCost] = []
    for turn in range(1, turns + 2):
        if before_round is not None:
            before_round(turn)
        if turn > turns:
            break
        text = messages[(turn - 1) % len(messages)]
        for name in names:
            before, started = cpu(), time.monotonic()
            ok = await send_message(name, text)
            latency = (time.monotonic() - started) * 1000
            costs.append(TurnCost(turn, latency, cpu_delta(before, cpu()), ok))
    return costs


def turn_brackets(costs: Sequence[TurnCost], first: range, last: range) -> dict[str, Any]:
    """Latency and CPU per message over the first and the last turns, and their ratio."""

    def bracket(turns: range) -> dict[str, Any]:
        chosen = [c for c in costs if c.turn in turns]
        names = chosen[0].cpu_s.keys() if chosen else []
        return {
            "turns": f"{turns.start}-{turns.stop - 1}",
            "messages": len(chosen),
            "errors": sum(1 for c in chosen if not c.ok),
            "p50_ms": round(percentile([c.latency_ms for c in chosen], 0.5), 1),
            "mean_ms": round(sum(c.latency_ms for c in chosen) / max(1, len(chosen)), 1),
            "cpu_ms_per_msg": {
                name: round(1000 * sum(c.cpu_s[name] for c in chosen) / len(chosen), 1)
                for name in names
            },
        }

    early, late = bracket(first), bracket(last)
    ratio = late["mean_ms"] / early["mean_ms"] if early["mean_ms"] else math.nan
    return {"first": early, "last": late, "latency_ratio": round(ratio, 2)}
