"""Benchmark: a scripted French conversation through the REST channel.

Starts its own Rasa and action servers (embedded defaults, fresh SQLite files,
ports 5205/5255), then for 1, 10 and 50 concurrent senders prints per-turn
latency p50/p95, throughput and each process's resident memory. Every request
goes to 127.0.0.1 only; the number of messages is bounded. `make bench`.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import json
import platform
import statistics
import subprocess
import tempfile
import time
import uuid
from pathlib import Path

import httpx
import psutil
from services import ROOT, UNLIMITED, child_env, services, start, stop, wait_until_up

CONVERSATION = [
    "bonjour",
    "2",
    "vous pouvez répéter ?",
    "c'est quoi l'apa exactement",
    "il faut quels papiers",
    "je voudrais un rendez-vous avec quelqu'un",
    "mon pere ne peut plus se laver seul",
    "merci au revoir",
]


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(share * (len(ordered) - 1)))]


async def sender_loop(
    client: httpx.AsyncClient, url: str, rounds: int, latencies: list[float]
) -> int:
    errors = 0
    for _ in range(rounds):
        sender = f"bench-{uuid.uuid4().hex[:10]}"
        for text in CONVERSATION:
            started = time.perf_counter()
            response = await client.post(url, json={"sender": sender, "message": text})
            latencies.append((time.perf_counter() - started) * 1000)
            if response.status_code != 200 or not response.json():
                errors += 1
    return errors


async def run_level(url: str, senders: int, rounds: int) -> dict[str, float]:
    latencies: list[float] = []
    limits = httpx.Limits(max_connections=senders + 5)
    async with httpx.AsyncClient(timeout=120.0, limits=limits) as client:
        started = time.perf_counter()
        errors = sum(
            await asyncio.gather(
                *(sender_loop(client, url, rounds, latencies) for _ in range(senders))
            )
        )
        elapsed = time.perf_counter() - started
    return {
        "senders": senders,
        "messages": len(latencies),
        "errors": errors,
        "p50_ms": round(statistics.median(latencies), 1),
        "p95_ms": round(percentile(latencies, 0.95), 1),
        "max_ms": round(max(latencies), 1),
        "throughput_msg_s": round(len(latencies) / elapsed, 1),
    }


def rss_mb(pid: int) -> float:
    process = psutil.Process(pid)
    total = process.memory_info().rss
    for child in process.children(recursive=True):
        with contextlib.suppress(psutil.NoSuchProcess):
            total += child.memory_info().rss
    return round(total / 2**20, 1)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument(
        "--rounds",
        type=int,
        nargs=3,
        default=[10, 4, 2],
        help="conversations per sender at 1, 10 and 50 senders",
    )
    parser.add_argument("--out", type=Path, default=ROOT / "results" / "bench.json")
    parser.add_argument("--model", default="models/current.tar.gz")
    args = parser.parse_args()  # fmt: skip

    work = Path(tempfile.mkdtemp(prefix="senior-plus-bench-"))
    env = child_env(
        RASA_PORT="5205", ACTIONS_PORT="5255", WEB_PORT="8200",
        DATABASE_URL=f"sqlite:///{work / 'app.db'}",
        TRACKER_STORE_URL=f"sqlite:///{work / 'tracker.db'}",
        APP_ENV="test", **UNLIMITED,
    )  # fmt: skip
    alembic = str(ROOT / ".venv-app" / "bin" / "alembic")
    subprocess.run([alembic, "upgrade", "head"], cwd=ROOT, env=env, check=True, capture_output=True)
    log = (work / "services.log").open("wb")
    processes = []
    try:
        for service in services(env, model=args.model)[:2]:
            process = start(service, env, stdout=log.fileno())
            processes.append(process)
            wait_until_up(service, process, timeout=240)
        url = f"http://127.0.0.1:{env['RASA_PORT']}/webhooks/rest/webhook"
        asyncio.run(run_level(url, 2, 1))  # warm-up: first TensorFlow calls are slow
        results = [
            asyncio.run(run_level(url, n, r)) for n, r in zip((1, 10, 50), args.rounds, strict=True)
        ]
        memory = {
            name: rss_mb(p.pid) for name, p in zip(("actions", "rasa"), processes, strict=True)
        }
    finally:
        stop(processes)
        log.close()

    memory_gb = round(psutil.virtual_memory().total / 2**30)
    machine = f"{platform.node()} · {psutil.cpu_count()} cœurs · {memory_gb} Go"
    print(f"Machine : {machine} · Python {platform.python_version()}")
    print(f"Conversation de {len(CONVERSATION)} tours, canal REST, stockage SQLite embarqué\n")
    print("| expéditeurs | messages | erreurs | p50 (ms) | p95 (ms) | max (ms) | débit (msg/s) |")
    print("|---:|---:|---:|---:|---:|---:|---:|")
    for r in results:
        print(f"| {r['senders']} | {r['messages']} | {r['errors']} | {r['p50_ms']} | {r['p95_ms']} "
              f"| {r['max_ms']} | {r['throughput_msg_s']} |")  # fmt: skip
    print(f"\nMémoire résidente : Rasa {memory['rasa']} Mo, actions {memory['actions']} Mo")
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(
        json.dumps({"machine": machine, "levels": results, "rss_mb": memory}, indent=2)
    )


if __name__ == "__main__":
    main()
