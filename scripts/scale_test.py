"""Scale test (`make scale-test`): the production topology on loopback, faults, nothing lost.

HAProxy (the real deploy/haproxy/haproxy.cfg) in front of 2 Rasa, 2 action servers and
2 web processes, with the scheduler and the event consumer, on PostgreSQL (strict SQL
tracker store), a private Redis (atomic lock store, shared state) and RabbitMQ (Pika
broker). People talk over signed SMS, phone and Telegram webhooks while one Rasa replica
is killed with SIGKILL (and restarted), Redis is restarted and PostgreSQL is unreachable
for 10 s. Then the counts of scripts/scale/checks.py and a pg_dump/pg_restore round trip.
Exit code 0 when every must-be-zero count is zero. docs/deployment.md, "Montée en charge".

    python scripts/scale_test.py                 # 200 conversations (about 6 min)
    python scripts/scale_test.py --smoke         # 30 conversations, the same faults
"""

from __future__ import annotations

import argparse
import asyncio
import os
import re
import signal
import sys
import time
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path

from scale import checks
from scale.backup import round_trip
from scale.people import People
from scale.stack import ROOT, SUPERVISOR, Ports, Stack, port_in_use, postgres_admin
from scale.vendor import FakeApis, Vendor


@dataclass(frozen=True)
class Plan:
    """How many people, how their arrivals spread, and when each fault happens (seconds)."""

    conversations: int
    spread_s: float
    kill_rasa_at: float
    restart_rasa_at: float
    restart_redis_at: float
    redis_down_s: float
    cut_postgres_at: float
    postgres_down_s: float = 10.0


FULL = Plan(
    200,
    240,
    kill_rasa_at=40,
    restart_rasa_at=70,
    restart_redis_at=130,
    redis_down_s=5,
    cut_postgres_at=190,
)
SMOKE = Plan(
    30,
    80,
    kill_rasa_at=15,
    restart_rasa_at=35,
    restart_redis_at=45,
    redis_down_s=5,
    cut_postgres_at=65,
)


class Clock:
    def __init__(self) -> None:
        self.start = time.monotonic()

    def now(self) -> float:
        return time.monotonic() - self.start

    def say(self, text: str) -> None:
        print(f"[{self.now():6.1f} s] {text}", flush=True)

    async def at(self, moment: float) -> None:
        await asyncio.sleep(max(0.0, moment - self.now()))


async def faults(stack: Stack, plan: Plan, clock: Clock, timeline: list[str]) -> None:
    """Kill -9 a Rasa replica (restarted later), restart Redis, cut PostgreSQL for 10 s."""

    def note(text: str) -> None:
        timeline.append(f"{clock.now():6.1f} s  {text}")
        clock.say(text)

    async def step(moment: float, text: str, action: Callable[[], object]) -> None:
        await clock.at(moment)
        await asyncio.to_thread(action)
        note(text)

    async def rasa_back() -> None:
        await clock.at(plan.restart_rasa_at)
        for _ in range(5):  # as compose's "restart" or Kubernetes would
            service = await asyncio.to_thread(stack.restart_rasa, 1)
            note("rasa-1 relancé (chargement du modèle)")
            try:
                await asyncio.to_thread(stack.wait, service, 600)
            except RuntimeError:  # e.g. Redis was down while it started: it stops, loudly
                note("rasa-1 s'arrête au démarrage (voir rasa-1.log) : relancé")
                await asyncio.sleep(2)
                continue
            note("rasa-1 de nouveau prêt")
            return
        note("rasa-1 n'a pas pu redémarrer")

    async def kill() -> None:
        await clock.at(plan.kill_rasa_at)
        busy = await asyncio.to_thread(stack.kill_rasa, 1)
        note(f"rasa-1 tué (kill -9) avec {busy} webhook(s) en cours")

    async def redis() -> None:
        await step(plan.restart_redis_at, "Redis arrêté", stack.stop_redis)
        await step(plan.restart_redis_at + plan.redis_down_s, "Redis relancé", stack.start_redis)

    async def postgres() -> None:
        await step(plan.cut_postgres_at, "PostgreSQL injoignable", stack.cut_postgres)
        await step(
            plan.cut_postgres_at + plan.postgres_down_s,
            "PostgreSQL de retour",
            stack.restore_postgres,
        )

    await asyncio.gather(
        kill(),
        rasa_back(),
        redis(),
        postgres(),
    )


async def converse(stack: Stack, apis: FakeApis, plan: Plan, timeline: list[str]) -> People:
    s = stack.secrets
    vendor = Vendor(stack.public_url, s.twilio_token, s.telegram_secret)
    people = People(vendor, apis, s.twilio_sid, seed=os.getpid())
    clock = Clock()
    everyone = people.create(plan.conversations)
    step = plan.spread_s / max(1, len(everyone))
    clock.say(f"{len(everyone)} conversations sur {plan.spread_s:.0f} s, pannes en parallèle")
    done = Counter[str]()

    async def one(n: int) -> None:
        await people.play(everyone[n], n * step + people.random.uniform(0, step))
        done["fin"] += 1
        if done["fin"] % 25 == 0:
            clock.say(f"{done['fin']} conversations terminées")

    try:
        await asyncio.gather(
            faults(stack, plan, clock, timeline), *(one(n) for n in range(len(everyone)))
        )
    finally:
        await vendor.close()
    clock.say("toutes les conversations sont terminées")
    return people


def replicas_used(haproxy_log: Path) -> Counter[str]:
    """Requests per server of the public backends, from HAProxy's own log."""
    text = haproxy_log.read_text(errors="replace")
    return Counter(re.findall(r" public~? (rasa/rasa\d+|web/web\d+) ", text))


def wait_for(check: Callable[[], int], timeout: float) -> int:
    """Call ``check`` until it gives 0 or time runs out; its last value."""
    deadline = time.monotonic() + timeout
    while (left := check()) and time.monotonic() < deadline:
        time.sleep(2)
    return left


def run(plan: Plan, ports: Ports, model: Path) -> int:
    started = time.monotonic()
    stamp = datetime.now(timezone.utc).strftime("%Y%m%d-%H%M%S")
    work = ROOT / "var" / "scale" / stamp
    work.mkdir(parents=True)
    busy = [p for p in ports.all(2) if port_in_use(p)]
    if busy:
        print(f"Ports déjà pris : {busy}. Choisissez une autre base (--port-base).")
        return 2
    if not model.exists():
        print(f"Pas de modèle entraîné ({model}) : lancez d'abord « make model ».")
        return 2
    stack = Stack(work, ports, model.resolve())
    s = stack.secrets
    apis = FakeApis(
        ports.vendor, s.telegram_bot, s.twilio_sid, s.twilio_token, (stack.cert, stack.key)
    )
    timeline: list[str] = []
    counts = checks.Counts()
    try:
        apis.start()
        print(f"Démarrage de la topologie (journaux : {work.relative_to(ROOT)}/)…", flush=True)
        stack.start_all()
        ready_s = time.monotonic() - started
        print(f"Tout est prêt en {ready_s:.0f} s.", flush=True)
        people = asyncio.run(converse(stack, apis, plan, timeline)).people
        talk_s = time.monotonic() - started - ready_s
        load = os.getloadavg()

        in_console = checks.console_queue(stack.public_url, SUPERVISOR, s.console_password)
        app_url = stack.db_url(stack.app_db, direct=True)
        tracker_url = stack.db_url(stack.tracker_db, direct=True)
        unsynced = wait_for(
            lambda: checks.check_events(people, checks.read_tracker(tracker_url), app_url), 90
        )
        stack.stop_writers()
        tracker = checks.read_tracker(tracker_url)
        for sent in checks.lost_messages(people, tracker):
            print(
                f"Répondu mais non enregistré : {sent.channel} {sent.conversation} tour "
                f"{sent.turn}, réponses {[r[:40] for r in sent.replies]}"
            )
        for conversation, consumer, stored in checks.event_miscounts(people, tracker, app_url):
            print(
                f"Consommateur d'événements : {conversation} compte {consumer} messages, "
                f"l'historique en garde {stored}."
            )
        checks.check_messages(people, tracker, counts)
        checks.check_order(people, tracker, counts)
        checks.check_bookings(people, app_url, counts)
        checks.check_handoffs(people, app_url, in_console, counts)
        counts.add(
            "conversations que le consommateur d'événements a mal comptées",
            unsynced,
            must_be_zero=True,
        )

        trips = []
        with postgres_admin() as admin:
            for name in (stack.app_db, stack.tracker_db):
                admin.execute(f'CREATE DATABASE "{name}_restore"')
                stack.databases.append(f"{name}_restore")
        for name in (stack.app_db, stack.tracker_db):
            trips.append(
                round_trip(
                    stack.db_url(name, direct=True),
                    stack.db_url(f"{name}_restore", direct=True),
                    work / f"{name}.dump",
                )
            )
        for trip in trips:
            counts.add(f"sauvegarde {trip.database} : tables", trip.tables)
            counts.add(f"sauvegarde {trip.database} : lignes", trip.rows)
            counts.add(
                f"sauvegarde {trip.database} : tables différentes après restauration",
                len(trip.differing),
                must_be_zero=True,
            )

        used = replicas_used(work / "haproxy.log")
        total_s = time.monotonic() - started
        print("\n=== Test de montée en charge : résultats ===")
        print(
            f"Durée : {total_s:.0f} s (démarrage {ready_s:.0f} s, conversations {talk_s:.0f} s) ;"
            f" charge moyenne {load[0]:.1f} / {load[1]:.1f} / {load[2]:.1f} (1, 5, 15 min)"
        )
        print(
            "Requêtes par réplique (journal de HAProxy) : "
            + ", ".join(f"{k} {v}" for k, v in sorted(used.items()))
        )
        print("Pannes :")
        for line in timeline:
            print(f"  {line}")
        width = max(len(name) for name in counts.values)
        for name, value in counts.values.items():
            mark = "  ✗" if name in counts.failures else ""
            print(f"  {name:<{width}}  {value:>6}{mark}")
        if counts.failures:
            print(
                f"ÉCHEC : {len(counts.failures)} critère(s) non tenu(s) : "
                + " ; ".join(counts.failures)
            )
            return 1
        print("RÉUSSI : aucun message perdu ni doublé, aucune passation perdue, aucun silence.")
        return 0
    finally:
        apis.stop()
        stack.close()


def interrupted(*_: object) -> None:
    raise KeyboardInterrupt


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="scale_test.py", description=__doc__.splitlines()[0])
    parser.add_argument("--smoke", action="store_true", help="30 conversations, mêmes pannes")
    parser.add_argument("--conversations", type=int, help="nombre de conversations")
    parser.add_argument("--port-base", type=int, default=17000, help="premier port (17000)")
    parser.add_argument(
        "--model", type=Path, default=ROOT / "models" / "current.tar.gz", help="modèle de Rasa"
    )
    args = parser.parse_args(argv)
    plan = SMOKE if args.smoke else FULL
    if args.conversations:
        plan = Plan(**{**plan.__dict__, "conversations": args.conversations})
    # SIGTERM as Ctrl-C: the finally blocks stop every process we started.
    signal.signal(signal.SIGTERM, interrupted)
    try:
        return run(plan, Ports(args.port_base), args.model)
    except KeyboardInterrupt:
        print("Interrompu : processus arrêtés, bases supprimées.")
        return 130


if __name__ == "__main__":
    sys.exit(main())
