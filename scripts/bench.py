"""Capacity benchmark (`make bench`): open-loop conversations, ramped until p95 exceeds 1 s.

Starts its own Senior Plus (Rasa + action server; fresh SQLite files, or with `--replicas 2
--database postgres`, what `make bench` passes, replicas behind HAProxy on fresh PostgreSQL
databases and the Redis lock store, as deployed) and a stock Rasa 3.6
bot (rasa init's moodbot in French, spaCy + DIET: scripts/bench_stock.py, trained into a
cache the first time), all on 127.0.0.1. For each bot in turn:

1. warm-up: every conversation script once (each turn must get an answer);
2. open loop (scripts/bench_load.py): conversations arrive as a Poisson process and send
   their French script with a think time between turns (exponential, mean 20 s, unless
   --think-fixed); the number of simultaneous conversations rises step by step until a
   step's p95 exceeds 1 s. Per step: p50/p95/p99, CPU milliseconds per message of each
   process, resident memory, the load average of the machine;
3. long conversations: a few conversations of 200 turns, one message at a time: latency and
   CPU per message at turns 1-10 against turns 191-200, which send the same ten messages.

Prints the largest number of simultaneous conversations at p95 <= 1 s for both bots and
their ratio, and writes everything to results/bench.json. `--smoke` runs the same in under
three minutes (once the stock model is cached) to prove the script works.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import dataclasses
import json
import math
import os
import platform
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import uuid
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

import httpx
import psutil
import yaml
from bench_load import (
    OpenLoop,
    capacity,
    long_conversations,
    rest_sender,
    run_steps,
    turn_brackets,
)
from bench_stock import STOCK_SCRIPT, start_stock, stock_model, stock_service
from services import (
    ROOT,
    UNLIMITED,
    Service,
    child_env,
    services,
    shifted_port,
    start,
    stop,
    wait_until_up,
)

SCRIPTS = ROOT / "scripts" / "bench_conversations.yml"
PG_HOST = "127.0.0.1:5432"  # the machine's PostgreSQL (trust on loopback), --database postgres
P95_LIMIT_MS = 1000.0
MAX_ERROR_SHARE = 0.01
CORE_SHARE = 0.7  # the share of a core a process may use before its queue grows (estimate)


@dataclass
class Plan:
    steps: list[int]
    think_s: float
    settle_s: float
    window_s: float
    long_senders: int
    long_turns: int
    bracket: int  # turns 1..bracket against the last `bracket` turns


FULL = Plan(
    steps=[25, 50, 100, 200, 400, 600, 800, 1000, 1250, 1500, 2000],
    think_s=20.0, settle_s=20.0, window_s=60.0, long_senders=3, long_turns=200, bracket=10,
)  # fmt: skip
SMOKE = Plan(
    steps=[4, 8], think_s=2.0, settle_s=3.0, window_s=10.0, long_senders=2, long_turns=20,
    bracket=5,
)  # fmt: skip


@dataclass
class Bot:
    """One bot under test: its processes by role (the Rasa replicas under one name) and scripts."""

    name: str
    url: str
    processes: dict[str, list[psutil.Process]]
    scripts: dict[str, list[str]]
    api: str  # Rasa's HTTP API (the trackers)
    token: str = ""
    profiled: list[psutil.Process] = field(default_factory=list)
    # Our REST channel keeps its conversations under "rest:<sender>" (channels/rest.py,
    # NAMESPACE); Rasa's own REST channel under the sender itself.
    conversation_prefix: str = ""
    # The machine's PostgreSQL and Redis when the bot uses them (--database postgres): their
    # CPU per message is measured with the rest, to see where the two cores go.
    stores: dict[str, psutil.Process] = field(default_factory=dict)


def profiled(service: Service, directory: Path) -> Service:
    """The same service run under scripts/bench_profile.py (`python -m module …` only)."""
    python, flag, *rest = service.command
    assert flag == "-m", service.command
    wrapper = str(ROOT / "scripts" / "bench_profile.py")
    prefix = str(directory.resolve() / service.name)
    return Service(service.name, [python, wrapper, prefix, flag, *rest], service.health_url)


def conversation_scripts() -> dict[str, list[str]]:
    data = yaml.safe_load(SCRIPTS.read_text(encoding="utf-8"))
    return {name: [str(turn) for turn in turns] for name, turns in data["conversations"].items()}


def cpu_seconds(process: psutil.Process, children: bool = True) -> float:
    """User + system CPU of a process (and of its children), in seconds."""
    total = 0.0
    for each in [process, *(process.children(recursive=True) if children else [])]:
        with contextlib.suppress(psutil.NoSuchProcess):
            times = each.cpu_times()
            total += times.user + times.system
    return total


def machine_stores() -> dict[str, psutil.Process]:
    """The machine's PostgreSQL server (its first process, the postmaster) and Redis."""
    found: dict[str, psutil.Process] = {}
    for process in psutil.process_iter(["name", "ppid"]):
        with contextlib.suppress(psutil.Error):
            name = process.info["name"]
            if name == "redis-server":
                found["redis"] = process
            elif name == "postgres" and psutil.Process(process.info["ppid"]).name() != "postgres":
                found["postgresql"] = process
    return found


def server_cpu_seconds(server: psutil.Process) -> float:
    """CPU of a server that forks a process per connection (PostgreSQL): its own, its live
    children's, and its ended children's (counted by the kernel once the server reaps them)."""
    with contextlib.suppress(psutil.NoSuchProcess):
        times = server.cpu_times()
        ended = times.children_user + times.children_system
        return cpu_seconds(server) + ended
    return 0.0


def rss_mb(process: psutil.Process) -> float:
    total = 0
    for each in [process, *process.children(recursive=True)]:
        with contextlib.suppress(psutil.NoSuchProcess):
            total += each.memory_info().rss
    return round(total / 2**20, 1)


def role_cpu(processes: Sequence[psutil.Process]) -> float:
    """CPU seconds of one role: all its replicas together (divided by all the messages)."""
    return sum(cpu_seconds(process) for process in processes)


def role_rss_mb(processes: Sequence[psutil.Process]) -> float:
    """Resident memory of one role, per replica: the largest replica (the target is per replica)."""
    return max(rss_mb(process) for process in processes)


def load_average() -> str:
    return " ".join(f"{value:.2f}" for value in os.getloadavg())


async def warm_up(bot: Bot) -> list[str]:
    """Every script once: the first TensorFlow calls are slow; a silent turn is reported."""
    silent = []
    async with rest_sender(bot.url, timeout_s=120.0) as send_message:
        for name, script in bot.scripts.items():
            sender = f"bench-warmup-{uuid.uuid4().hex[:12]}"
            for turn, text in enumerate(script, start=1):
                if not await send_message(sender, text):
                    silent.append(f"{name} tour {turn}")
    return silent


async def ramp(bot: Bot, plan: Plan, think_fixed: bool) -> list[dict[str, Any]]:
    bench = psutil.Process()  # the load itself: its children are the bots, not counted

    def cpu() -> dict[str, float]:
        spent = {name: role_cpu(replicas) for name, replicas in bot.processes.items()}
        stores = {name: server_cpu_seconds(server) for name, server in bot.stores.items()}
        return {**spent, **stores, "banc": cpu_seconds(bench, children=False)}

    def probe() -> dict[str, Any]:
        memory = {name: role_rss_mb(replicas) for name, replicas in bot.processes.items()}
        return {"rss_mb": memory, "load_average": load_average()}

    def show(step: dict[str, Any]) -> None:
        cpu_ms = ", ".join(f"{k} {v}" for k, v in step["cpu_ms_per_msg"].items())
        print(
            f"  {step['target']:>5} conversations (ouvertes en moyenne {step['mean_active']}) : "
            f"{step['messages']} messages, p50 {step['p50_ms']} ms, p95 {step['p95_ms']} ms, "
            f"p99 {step['p99_ms']} ms, erreurs {step['errors']}, en cours {step['unanswered']}, "
            f"CPU ms/message {cpu_ms}, charge {step['load_average']}",
            flush=True,
        )

    async with rest_sender(bot.url, timeout_s=30.0) as send_message:
        load = OpenLoop(
            send_message, list(bot.scripts.values()), think_s=plan.think_s,
            think_fixed=think_fixed, sender_prefix=f"bench-{bot.name}",
        )  # fmt: skip
        return await run_steps(
            load, plan.steps, plan.settle_s, plan.window_s, cpu, P95_LIMIT_MS,
            MAX_ERROR_SHARE, on_step=show, probe=probe,
        )  # fmt: skip


def settle(bot: Bot, idle_share: float = 0.1, timeout_s: float = 180.0) -> float:
    """Wait until the bot's processes are idle (under a tenth of a core over 2 s): a saturated
    step leaves messages queued in the servers after the load stops, and the long
    conversations would be measured against that backlog. Returns the seconds waited."""
    started = time.monotonic()
    while time.monotonic() - started < timeout_s:
        before = sum(role_cpu(replicas) for replicas in bot.processes.values())
        time.sleep(2.0)
        if sum(role_cpu(replicas) for replicas in bot.processes.values()) - before < 2 * idle_share:
            break
    return time.monotonic() - started


async def long_run(bot: Bot, plan: Plan) -> dict[str, Any]:
    def cpu() -> dict[str, float]:
        return {name: role_cpu(replicas) for name, replicas in bot.processes.items()}

    last = plan.long_turns
    switch_on, write = {1, last - plan.bracket + 1}, {plan.bracket + 1, last + 1}

    def profile(turn: int) -> None:
        """Profiled processes (--profile) record the first and the last turns."""
        for process in bot.profiled:
            if turn in write:
                process.send_signal(signal.SIGUSR1)
            if turn in switch_on:
                process.send_signal(signal.SIGUSR2)

    messages = turn_messages([t for script in bot.scripts.values() for t in script], plan)
    names = [f"bench-long-{bot.name}-{uuid.uuid4().hex[:12]}" for _ in range(plan.long_senders)]
    async with rest_sender(bot.url, timeout_s=60.0) as send_message:
        costs = await long_conversations(
            send_message, messages, names, last, cpu, before_round=profile
        )
    result = turn_brackets(
        costs, range(1, plan.bracket + 1), range(last - plan.bracket + 1, last + 1)
    )
    result["senders"] = plan.long_senders
    result["events"], result["paused"] = tracker_sizes(bot, names)
    return result


def turn_messages(cycle: Sequence[str], plan: Plan) -> list[str]:
    """The message of each turn of a long conversation: the scripts one after the other,
    the last ``bracket`` turns sending the first ``bracket`` messages again, so that the
    first and the last turns compare the same messages at both ends of the conversation."""
    last = plan.long_turns
    messages = [cycle[(turn - 1) % len(cycle)] for turn in range(1, last + 1)]
    if last >= 2 * plan.bracket:
        messages[last - plan.bracket :] = messages[: plan.bracket]
    return messages


def tracker_sizes(bot: Bot, senders: Sequence[str]) -> tuple[list[int], int]:
    """Events stored per conversation, and how many conversations ended paused (handed over)."""
    counts, paused = [], 0
    for sender in senders:
        response = httpx.get(
            f"{bot.api}/conversations/{bot.conversation_prefix}{sender}/tracker",
            params={"token": bot.token, "include_events": "ALL"},
            timeout=60.0,
        )
        tracker = response.json() if response.status_code == 200 else {}
        counts.append(len(tracker.get("events") or []))
        paused += bool(tracker.get("paused"))
    return counts, paused


def measure(bot: Bot, plan: Plan, think_fixed: bool) -> dict[str, Any]:
    print(f"\n== {bot.name} ==", flush=True)
    silent = asyncio.run(warm_up(bot))
    for turn in silent:
        print(f"  ! tour sans réponse au préchauffage : {turn}")
    print(f"  Charge de la machine au départ : {load_average()}", flush=True)
    steps = asyncio.run(ramp(bot, plan, think_fixed))
    waited = settle(bot)
    print(
        f"  Conversations longues ({plan.long_senders} × {plan.long_turns} tours), après "
        f"{waited:.0f} s d'attente que les serveurs finissent le dernier palier…",
        flush=True,
    )
    long = asyncio.run(long_run(bot, plan))
    long["load_average"] = load_average()
    return {
        "silent_warmup_turns": silent,
        "steps": steps,
        "capacity": capacity(steps, P95_LIMIT_MS, MAX_ERROR_SHARE),
        "estimate": cpu_estimate(steps, list(bot.scripts.values()), plan.think_s),
        "long": long,
        "rss_mb": {name: role_rss_mb(replicas) for name, replicas in bot.processes.items()},
    }


def cpu_estimate(
    steps: Sequence[dict[str, Any]], scripts: Sequence[Sequence[str]], think_s: float
) -> dict[str, Any]:
    """Conversations one busy core of each process would hold, from the CPU per message.

    A conversation sends its mean number of turns over (turns - 1) think times. A replica of
    Rasa runs Python on one core (one event loop, TensorFlow on one thread): at 70 % of that
    core, its queue stays short. This figure does not depend on what else runs on the
    machine, unlike the measured capacity when the machine is shared.
    """
    turns = sum(len(script) for script in scripts) / len(scripts)
    per_conversation = turns / ((turns - 1) * think_s)  # messages per second
    messages = sum(int(s["messages"]) for s in steps)
    estimate: dict[str, Any] = {"msg_s_per_conversation": round(per_conversation, 4)}
    for name in steps[0]["cpu_ms_per_msg"] if steps else []:
        if name == "banc":
            continue
        cpu_ms = sum(float(s["cpu_ms_per_msg"][name]) * int(s["messages"]) for s in steps)
        cpu_ms /= max(1, messages)
        estimate[name] = {
            "cpu_ms_per_msg": round(cpu_ms, 1),
            "conversations_per_core": round(CORE_SHARE / (per_conversation * cpu_ms / 1000)),
        }
    return estimate


def report(results: dict[str, Any], plan: Plan, think_fixed: bool) -> None:
    think = f"fixe, {plan.think_s:g} s" if think_fixed else f"exponentielle, {plan.think_s:g} s"
    print(f"\nMachine : {results['machine']} · {results['date']}")
    replicas = results.get("replicas", 1)
    if replicas > 1:
        print(f"Senior Plus : {replicas} répliques de Rasa derrière HAProxy (CPU par message : "
              "toutes ensemble ; mémoire : la plus grosse)")  # fmt: skip
    print(f"Arrivées de Poisson, réflexion {think}, paliers de {plan.window_s:g} s mesurés "
          f"après {plan.settle_s:g} s d'installation ; limite p95 {P95_LIMIT_MS:g} ms")  # fmt: skip
    for name, bot in results["bots"].items():
        print(f"\n### {name}\n")
        names = list(bot["steps"][0]["cpu_ms_per_msg"]) if bot["steps"] else []
        print("| conversations | ouvertes | messages | msg/s | erreurs | p50 | p95 | p99 | "
              + " | ".join(f"CPU {n} (ms/msg)" for n in names) + " | charge |")  # fmt: skip
        print("|---:" * (8 + len(names)) + "|---|")
        for s in bot["steps"]:
            cpu = " | ".join(str(s["cpu_ms_per_msg"][n]) for n in names)
            print(f"| {s['target']} | {s['mean_active']} | {s['messages']} | {s['rate_msg_s']} | "
                  f"{s['errors'] + s['unanswered']} | {s['p50_ms']} | {s['p95_ms']} | "
                  f"{s['p99_ms']} | {cpu} | {s['load_average']} |")  # fmt: skip
        memory = ", ".join(f"{k} {v} Mo" for k, v in bot["rss_mb"].items())
        print(f"\nCapacité à p95 <= {P95_LIMIT_MS:g} ms : **{bot['capacity']} conversations "
              f"simultanées** ; mémoire résidente : {memory}")  # fmt: skip
        estimate = bot["estimate"]
        held = ", ".join(
            f"{name} {e['conversations_per_core']} ({e['cpu_ms_per_msg']} ms/message)"
            for name, e in estimate.items() if isinstance(e, dict)
        )  # fmt: skip
        print(f"Estimation par le CPU, conversations par cœur occupé à {CORE_SHARE:.0%} : {held} "
              f"({estimate['msg_s_per_conversation']} message/s par conversation)")  # fmt: skip
        long = bot["long"]
        for key in ("first", "last"):
            b = long[key]
            cpu = ", ".join(f"{k} {v}" for k, v in b["cpu_ms_per_msg"].items())
            print(f"Tours {b['turns']} ({b['messages']} messages, {b['errors']} erreurs) : p50 "
                  f"{b['p50_ms']} ms, moyenne {b['mean_ms']} ms, CPU ms/message {cpu}")  # fmt: skip
        print(f"Derniers tours / premiers (latence moyenne) : ×{long['latency_ratio']} ; "
              f"événements par conversation {long['events']}, en pause {long['paused']}, "
              f"charge {long['load_average']}")  # fmt: skip
    bots = results["bots"]
    if "senior-plus" in bots and "rasa-stock" in bots:
        ours, stock = bots["senior-plus"]["capacity"], bots["rasa-stock"]["capacity"]
        ratio = f"×{ours / stock:.2f}" if stock else "référence à 0"
        print(f"\nSenior Plus {ours} / Rasa d'origine {stock} conversations simultanées : {ratio}")
    if "senior-plus" in bots:
        print("\nObjectifs de l'issue 14 (machine de 2 cœurs) :")
        for target, met in targets(bots["senior-plus"]):
            print(f"  {'atteint    ' if met else 'non atteint'}  {target}")


def targets(bot: dict[str, Any]) -> list[tuple[str, bool]]:
    """The issue's targets, each with whether this run met it."""
    held = [s for s in bot["steps"] if s["target"] == bot["capacity"]]
    top = held[0] if held else None
    cpu = bot["estimate"].get("rasa", {}).get("cpu_ms_per_msg", math.inf)
    long = bot["long"]
    first, last = long["first"]["mean_ms"], long["last"]["mean_ms"]
    return [
        (f"au moins 1 000 conversations simultanées à p95 <= 1 s ({bot['capacity']})",
         bot["capacity"] >= 1000),
        ("p99 <= 2 × p95 au plus grand palier tenu"
         + (f" ({top['p99_ms']} / {top['p95_ms']} ms)" if top else ""),
         bool(top) and top["p99_ms"] <= 2 * top["p95_ms"]),
        (f"au plus 20 ms de CPU de Rasa par message ({cpu})", cpu <= 20),
        (f"Rasa au plus 1,2 Go par réplique ({bot['rss_mb']['rasa']} Mo)",
         bot["rss_mb"]["rasa"] <= 1.2 * 1024),
        (f"tour 200 à 20 % du tour 1 près ({first} → {last} ms)", last <= 1.2 * first),
    ]  # fmt: skip


def balancer_config(port: str, replicas: Sequence[str]) -> str:
    """HAProxy in front of the Rasa replicas, balanced as deploy/haproxy/haproxy.cfg's backend
    rasa (fewest requests in progress, health checked), without its TLS, routing and logs."""
    servers = "\n".join(
        f"    server rasa{n} 127.0.0.1:{replica} check inter 2s"
        for n, replica in enumerate(replicas, start=1)
    )
    return f"""global
    maxconn 8192

defaults
    mode http
    timeout connect 5s
    timeout client 60s
    timeout server 60s

frontend bench
    bind 127.0.0.1:{port}
    default_backend rasa

backend rasa
    balance leastconn
    option httpchk GET /
    http-check expect status 200
{servers}
"""


def balancer(port: str, replicas: Sequence[str], work: Path) -> Service:
    haproxy = shutil.which("haproxy")
    if haproxy is None:
        sys.exit("--replicas demande HAProxy (paquet Debian haproxy, installé par make scale-test)")
    config = work / "haproxy.cfg"
    config.write_text(balancer_config(port, replicas), encoding="utf-8")
    return Service("haproxy", [haproxy, "-db", "-f", str(config)], f"http://127.0.0.1:{port}/")


def rasa_replicas(env: dict[str, str], model: str, ports: Sequence[str]) -> list[Service]:
    """One Rasa service per port, named rasa1, rasa2… (the same command as `make run`'s)."""
    replicas = []
    for n, port in enumerate(ports, start=1):
        found = services({**env, "RASA_PORT": port}, model=model)
        rasa = next(service for service in found if service.name == "rasa")
        replicas.append(dataclasses.replace(rasa, name=f"rasa{n}"))
    return replicas


def postgres_stores(prefix: str) -> dict[str, str]:
    """Two fresh databases on the local PostgreSQL, and Redis for the lock store."""
    import psycopg

    with psycopg.connect(f"postgresql://postgres@{PG_HOST}/postgres", autocommit=True) as admin:
        for suffix in ("app", "tracker"):
            admin.execute(f'CREATE DATABASE "{prefix}_{suffix}"')
    return {
        "DATABASE_URL": f"postgresql://postgres@{PG_HOST}/{prefix}_app",
        "TRACKER_STORE_URL": f"postgresql://postgres@{PG_HOST}/{prefix}_tracker",
        "LOCK_STORE_TYPE": "bot.stores.redis_lock_store.AtomicRedisLockStore",
        "LOCK_STORE_HOST": "127.0.0.1", "LOCK_STORE_PORT": "6379",
    }  # fmt: skip


def drop_databases(stores: dict[str, str]) -> None:
    import psycopg

    with psycopg.connect(f"postgresql://postgres@{PG_HOST}/postgres", autocommit=True) as admin:
        for key in ("DATABASE_URL", "TRACKER_STORE_URL"):
            name = stores[key].rsplit("/", 1)[1]
            admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--smoke", action="store_true", help="a short run that proves the script")
    parser.add_argument("--steps", type=int, nargs="+", help="simultaneous conversations per step")
    parser.add_argument("--think", type=float, help="mean think time between turns (s)")
    parser.add_argument("--think-fixed", action="store_true", help="a fixed think time")
    parser.add_argument("--window", type=float, help="measured seconds per step")
    parser.add_argument("--long-turns", type=int, help="turns of the long conversations")
    parser.add_argument("--only", choices=["senior-plus", "rasa-stock"], help="one bot only")
    parser.add_argument("--port", type=int, default=int(shifted_port(5205)), help="first port")
    parser.add_argument("--model", default="models/current.tar.gz")
    parser.add_argument(
        "--replicas", type=int, default=1, help="Senior Plus's Rasa replicas; more than one run "
        "behind HAProxy (balanced as deployed), sharing the action server and the stores",
    )  # fmt: skip
    parser.add_argument("--out", type=Path)
    parser.add_argument(
        "--database", choices=["sqlite", "postgres"], default="sqlite",
        help="sqlite: fresh files (the embedded default); postgres: fresh databases on the "
        "local PostgreSQL and the atomic Redis lock store on the local Redis (production's)",
    )  # fmt: skip
    parser.add_argument(
        "--profile", type=Path, help="cProfile Senior Plus's processes over the long "
        "conversations' first and last turns into this directory (scripts/bench_profile.py)",
    )  # fmt: skip
    args = parser.parse_args()
    base = SMOKE if args.smoke else FULL
    plan = Plan(
        steps=args.steps or base.steps, think_s=args.think or base.think_s,
        settle_s=base.settle_s, window_s=args.window or base.window_s,
        long_senders=base.long_senders, long_turns=args.long_turns or base.long_turns,
        bracket=base.bracket,
    )  # fmt: skip
    out = args.out or ROOT / "results" / ("bench-smoke.json" if args.smoke else "bench.json")
    wanted = [args.only] if args.only else ["senior-plus", "rasa-stock"]

    work = Path(tempfile.mkdtemp(prefix="senior-plus-bench-"))
    ports = {name: str(args.port + i) for i, name in enumerate(("rasa", "actions", "stock", "web"))}
    # With replicas, "rasa" is HAProxy's port and the replicas listen from the fifth port on.
    replica_ports = [str(args.port + 4 + n) for n in range(args.replicas)]
    if args.replicas > 1 and args.database != "postgres":
        sys.exit("--replicas demande --database postgres : des répliques partagent leurs stores")
    stores = (
        postgres_stores(f"bench_{uuid.uuid4().hex[:8]}")
        if args.database == "postgres"
        else {"DATABASE_URL": f"sqlite:///{work / 'app.db'}",
              "TRACKER_STORE_URL": f"sqlite:///{work / 'tracker.db'}",
              "LOCK_STORE_TYPE": "in_memory"}
    )  # fmt: skip
    env = child_env(
        RASA_PORT=ports["rasa"], ACTIONS_PORT=ports["actions"], WEB_PORT=ports["web"],
        RASA_TOKEN=uuid.uuid4().hex, APP_ENV="test",  # the REST channel is on in tests only
        BENCH_STOCK_TRACKER_DB=str(work / "stock-tracker.db"), **stores, **UNLIMITED,
    )  # fmt: skip
    log_path = work / "services.log"
    print(f"Banc de mesure : journaux dans {log_path}", flush=True)
    to_start: list[Service] = []
    if "rasa-stock" in wanted:
        started = time.monotonic()
        model, trained = stock_model(log_path)
        if trained:
            print(f"Rasa d'origine entraîné en {time.monotonic() - started:.0f} s : {model}")
        to_start.append(stock_service(model, ports["stock"]))
    if "senior-plus" in wanted:
        app = ROOT / ".venv-app" / "bin"
        seed = ["python", "-m", "devtools.seeds.booking"]
        if args.database == "postgres":
            seed.append("--force-dev-postgres")  # a database of its own, dropped at the end
        for command in (["alembic", "upgrade", "head"], seed):
            subprocess.run([str(app / command[0]), *command[1:]], cwd=ROOT, env=env, check=True,
                           capture_output=True)  # fmt: skip
        ours = services(env, model=args.model)[:2]
        if args.replicas > 1:
            ours = ours[:1] + rasa_replicas(env, args.model, replica_ports)
        if args.profile:
            args.profile.mkdir(parents=True, exist_ok=True)
            ours = [profiled(service, args.profile) for service in ours]
        if args.replicas > 1:
            ours.append(balancer(ports["rasa"], replica_ports, work))
        to_start = ours + to_start

    log = log_path.open("ab")
    processes: dict[str, subprocess.Popen[bytes]] = {}
    results: dict[str, Any] = {"bots": {}}
    try:
        started = time.monotonic()
        for service in to_start:  # all at once: the models load in parallel
            if service.name == "stock":
                processes[service.name] = start_stock(service, env, work, log.fileno())
            else:
                processes[service.name] = start(service, env, stdout=log.fileno())
        for service in to_start:
            wait_until_up(service, processes[service.name], timeout=600)
        print(f"Services prêts en {time.monotonic() - started:.0f} s", flush=True)
        ps = {name: psutil.Process(p.pid) for name, p in processes.items()}
        bots = []
        if "senior-plus" in wanted:
            rasa = f"http://127.0.0.1:{ports['rasa']}"
            roles = {
                "rasa": [p for name, p in ps.items() if name.startswith("rasa")],
                "actions": [ps["actions"]],
                **({"haproxy": [ps["haproxy"]]} if "haproxy" in ps else {}),
            }
            bots.append(Bot(
                "senior-plus", f"{rasa}/webhooks/rest/webhook", roles, conversation_scripts(),
                rasa, env["RASA_TOKEN"], [*roles["rasa"], ps["actions"]] if args.profile else [],
                conversation_prefix="rest:",
                stores=machine_stores() if args.database == "postgres" else {},
            ))  # fmt: skip
        if "rasa-stock" in wanted:
            stock = f"http://127.0.0.1:{ports['stock']}"
            bots.append(Bot(
                "rasa-stock", f"{stock}/webhooks/rest/webhook", {"rasa": [ps["stock"]]},
                {"moodbot": STOCK_SCRIPT}, stock,
            ))  # fmt: skip
        for bot in bots:
            results["bots"][bot.name] = measure(bot, plan, args.think_fixed)
    except BaseException:
        log.flush()
        print(log_path.read_text(errors="replace")[-3000:], file=sys.stderr)
        raise
    finally:
        stop(list(processes.values()))
        log.close()
        if args.database == "postgres":
            drop_databases(stores)

    memory_gb = round(psutil.virtual_memory().total / 2**30)
    results["machine"] = (
        f"{platform.node()} · {psutil.cpu_count()} cœurs · {memory_gb} Go · "
        f"Python {platform.python_version()}"
    )
    results["date"] = datetime.now(timezone.utc).strftime("%Y-%m-%d %H:%M UTC")
    results["plan"] = {**plan.__dict__, "think_fixed": args.think_fixed}
    results["replicas"] = args.replicas
    report(results, plan, args.think_fixed)
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(results, indent=2, ensure_ascii=False), encoding="utf-8")
    print(f"\nRésultats : {out}")
    if any(
        math.isnan(s["p95_ms"]) or s["messages"] == 0
        for bot in results["bots"].values()
        for s in bot["steps"]
    ):
        sys.exit("Un palier n'a envoyé aucun message : le banc ne mesure rien.")


if __name__ == "__main__":
    main()
