"""The open-loop load of `make bench` (scripts/bench_load.py), against in-process fake bots."""

from __future__ import annotations

import asyncio
import math
import random
import socket
import statistics
import sys
from pathlib import Path

from aiohttp import web

from tests.support import local_http

ROOT = Path(__file__).resolve().parents[3]
sys.path.insert(0, str(ROOT / "scripts"))

from bench_load import (  # noqa: E402
    OpenLoop,
    Sample,
    SendMessage,
    Window,
    capacity,
    long_conversations,
    passes,
    percentile,
    poisson,
    rest_sender,
    run_steps,
    summarize,
    turn_brackets,
)

REPLY = [{"recipient_id": "x", "text": "Bonjour"}]


def test_percentile_is_the_nearest_rank() -> None:
    values = [float(v) for v in range(100, 0, -1)]  # order does not matter
    assert percentile(values, 0.50) == 50.0
    assert percentile(values, 0.95) == 95.0
    assert percentile(values, 0.99) == 99.0
    assert percentile([7.0], 0.99) == 7.0
    assert math.isnan(percentile([], 0.5))


def test_poisson_draws_have_the_mean_and_the_variance_of_a_poisson_law() -> None:
    rng = random.Random(3)
    for mean in (0.4, 4.0, 75.0):  # 75 goes through the split for large means
        draws = [poisson(rng, mean) for _ in range(4000)]
        assert abs(statistics.fmean(draws) - mean) < 0.06 * mean + 0.02
        assert abs(statistics.pvariance(draws) - mean) < 0.15 * mean + 0.05


def test_a_step_counts_the_messages_sent_in_its_window_and_the_unanswered_as_waiting() -> None:
    samples = [
        Sample(sent=9.0, turn=1, done=9.1, ok=True),  # before the window
        Sample(sent=10.0, turn=1, done=10.2, ok=True),
        Sample(sent=11.0, turn=2, done=11.4, ok=True),
        Sample(sent=12.0, turn=3, done=12.1, ok=False),  # an error (HTTP 500, empty reply)
        Sample(sent=19.0, turn=1, done=None),  # still waiting at 25.0: 6 s so far
        Sample(sent=20.0, turn=1, done=20.1, ok=True),  # after the window
    ]
    window = Window(target=3, start=10.0, end=20.0, mean_active=2.5, cpu_s={"rasa": 0.3})
    step = summarize(window, samples, now=25.0)
    assert (step["messages"], step["errors"], step["unanswered"]) == (4, 1, 1)
    assert step["p99_ms"] == 6000.0  # the unanswered message makes the step look worse
    assert step["p50_ms"] == 200.0
    assert step["rate_msg_s"] == 0.4
    assert step["cpu_ms_per_msg"] == {"rasa": 100.0}  # 0.3 s over 3 messages answered in it


def test_capacity_is_the_largest_step_that_held() -> None:
    def step(target: int, p95: float, errors: int = 0) -> dict[str, object]:
        return {"target": target, "p95_ms": p95, "messages": 100, "errors": errors,
                "unanswered": 0}  # fmt: skip

    steps = [step(100, 300), step(200, 900), step(300, 1000), step(400, 1001)]
    assert capacity(steps, 1000, 0.01) == 300
    assert capacity([step(100, 300), step(200, 400, errors=2)], 1000, 0.01) == 100
    assert capacity([step(100, 1500)], 1000, 0.01) == 0


def fake_bot(service_s: float, log: list[dict[str, str]] | None = None) -> SendMessage:
    """A bot that answers one message at a time, each taking `service_s` (a single core)."""
    busy = asyncio.Lock()

    async def send(sender: str, text: str) -> bool:
        async with busy:
            await asyncio.sleep(service_s)
        if log is not None:
            log.append({"sender": sender, "message": text})
        return True

    return send


def test_the_open_loop_holds_the_number_of_simultaneous_conversations() -> None:
    sent: list[dict[str, str]] = []
    scripts = [["bonjour", "2", "merci"], ["bonjour", "c'est quoi l'apa", "au revoir", "oui"]]

    async def run() -> list[dict[str, object]]:
        load = OpenLoop(fake_bot(0.001, sent), scripts, think_s=0.3)
        return await run_steps(load, [10, 30], 1.0, 2.0, lambda: {"rasa": 0.0})

    steps = asyncio.run(run())
    assert [s["target"] for s in steps] == [10, 30]
    for s in steps:
        assert abs(float(s["mean_active"]) - int(s["target"])) < 0.25 * int(s["target"])
        assert s["errors"] == 0 and s["unanswered"] == 0
    # Each conversation sends its script in order, from its own sender.
    by_sender: dict[str, list[str]] = {}
    for message in sent:
        by_sender.setdefault(message["sender"], []).append(message["message"])
    assert len(by_sender) > 30
    for texts in by_sender.values():
        assert any(script[: len(texts)] == texts for script in scripts)


def test_the_ramp_stops_at_the_first_step_over_the_limit() -> None:
    async def run() -> list[dict[str, object]]:
        # 10 ms per message: 100 messages/s at most. 5 conversations thinking 0.5 s send
        # about 8 per second; 100 send about 170 per second, and the queue grows.
        load = OpenLoop(fake_bot(0.010), [["a"] * 6], think_s=0.5)
        return await run_steps(load, [5, 100, 400], 1.0, 2.0, lambda: {"rasa": 0.0},
                               p95_limit_ms=600)  # fmt: skip

    steps = asyncio.run(run())
    assert [s["target"] for s in steps] == [5, 100]  # 400 never ran
    assert float(steps[0]["p95_ms"]) < 600 < float(steps[1]["p95_ms"])
    assert capacity(steps, 600, 0.01) == 5


def test_long_conversations_measure_each_turn_alone_and_compare_first_and_last() -> None:
    cpu = {"rasa": 0.0}
    turns_seen: dict[str, int] = {}

    async def send(sender: str, text: str) -> bool:
        turns_seen[sender] = turns_seen.get(sender, 0) + 1
        cpu["rasa"] += turns_seen[sender] / 1000  # a turn costs 1 ms per turn of history
        await asyncio.sleep(0.005 * turns_seen[sender])
        return True

    async def run() -> dict[str, object]:
        costs = await long_conversations(
            send, ["bonjour", "oui"], ["a", "b"], 20, lambda: dict(cpu)
        )
        assert len(costs) == 40 and all(c.ok for c in costs)
        return turn_brackets(costs, range(1, 6), range(16, 21))

    result = asyncio.run(run())
    first, last = result["first"], result["last"]
    assert isinstance(first, dict) and isinstance(last, dict)
    assert first["turns"] == "1-5" and last["turns"] == "16-20"
    assert first["messages"] == last["messages"] == 10
    assert first["cpu_ms_per_msg"] == {"rasa": 3.0}  # mean of turns 1..5
    assert last["cpu_ms_per_msg"] == {"rasa": 18.0}  # mean of turns 16..20
    assert float(str(result["latency_ratio"])) > 2  # 90 ms against 15 ms, plus overheads
    assert turns_seen == {"a": 20, "b": 20}


def test_a_message_still_in_flight_fails_a_step_only_once_the_step_is_over() -> None:
    step = {"target": 4, "p95_ms": 300.0, "messages": 20, "errors": 0, "unanswered": 1}
    assert passes(step, 1000, 0.01, in_flight=True)  # just measured: may still be answered
    assert not passes(step, 1000, 0.01)  # never answered


def test_a_message_counts_as_answered_only_for_a_non_empty_reply_of_the_rest_channel() -> None:
    """rest_sender against a real HTTP server on loopback, shaped as Rasa's REST channel."""
    received: list[dict[str, str]] = []

    async def webhook(request: web.Request) -> web.Response:
        body = await request.json()
        received.append(body)
        if body["message"] == "panne":
            return web.Response(status=500, text="Internal Server Error")
        if body["message"] == "lent":
            await asyncio.sleep(2)
        return web.json_response([] if body["message"] == "silence" else REPLY)

    async def run() -> tuple[list[bool], bool]:
        path = "/webhooks/rest/webhook"
        async with local_http(path, webhook) as url, rest_sender(url, timeout_s=0.5) as send:
            answers = [await send("mme-b", t) for t in ("bonjour", "silence", "panne", "lent")]
        with socket.socket() as free:  # a port nobody listens on
            free.bind(("127.0.0.1", 0))
            closed = free.getsockname()[1]
        async with rest_sender(f"http://127.0.0.1:{closed}/webhooks/rest/webhook", 1) as send:
            refused = await send("mme-b", "bonjour")
        return answers, refused

    answers, refused = asyncio.run(run())
    assert answers == [True, False, False, False]  # answered, empty, HTTP 500, timed out
    assert refused is False
    assert received[0] == {"sender": "mme-b", "message": "bonjour"}
