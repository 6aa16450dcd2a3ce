"""CPU of one Rasa turn, in one process, without HTTP nor concurrency (`make bench-turn`).

The capacity benchmark (scripts/bench.py) measures the CPU per message under load, where the
machine's other work moves the figure by a millisecond or two from one run to the next. To
compare two versions of the code, this runs Rasa inside a worker process
(scripts/bench_turn_worker.py, bot environment) with its real action server, PostgreSQL and the
Redis lock store (fresh databases), sends the benchmark's conversations one message at a time,
and prints the worker's CPU per message; several runs, alternated with the other version
(A, B, B, A), tell a change from noise (docs/performance.md).
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import uuid

from bench import drop_databases, postgres_stores
from services import (
    APP_BIN,
    BOT_BIN,
    ROOT,
    UNLIMITED,
    child_env,
    services,
    shifted_port,
    start,
    stop,
    wait_until_up,
)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=3, help="worker runs, one after the other")
    parser.add_argument("--rounds", type=int, default=6, help="times each conversation is sent")
    args = parser.parse_args()
    stores = postgres_stores(f"bench_turn_{uuid.uuid4().hex[:8]}")
    env = child_env(
        RASA_PORT=shifted_port(5295), ACTIONS_PORT=shifted_port(5296),
        WEB_PORT=shifted_port(5297), RASA_TOKEN=uuid.uuid4().hex, APP_ENV="test",
        **stores, **UNLIMITED,
    )  # fmt: skip
    actions = next(service for service in services(env) if service.name == "actions")
    process = None
    try:
        seed = ["python", "-m", "devtools.seeds.booking", "--force-dev-postgres"]
        for command in (["alembic", "upgrade", "head"], seed):
            subprocess.run([str(APP_BIN / command[0]), *command[1:]], cwd=ROOT, env=env,
                           check=True, capture_output=True)  # fmt: skip
        process = start(actions, env, stdout=subprocess.DEVNULL)
        wait_until_up(actions, process, timeout=120)
        worker = [str(BOT_BIN / "python"), str(ROOT / "scripts" / "bench_turn_worker.py")]
        figures = []
        for run in range(1, args.runs + 1):
            done = subprocess.run([*worker, str(args.rounds)], cwd=ROOT, env=env,
                                  capture_output=True, text=True)  # fmt: skip
            lines = [line for line in done.stdout.splitlines() if line.startswith("{")]
            if done.returncode != 0 or not lines:
                sys.exit(f"Le processus de mesure a échoué :\n{done.stderr[-3000:]}")
            figure = json.loads(lines[-1])
            figures.append(figure["cpu_ms_per_msg"])
            print(f"  exécution {run} : {figure['messages']} messages, "
                  f"{figure['cpu_ms_per_msg']} ms de CPU par message "
                  f"({figure['wall_ms_per_msg']} ms de temps écoulé), "
                  f"{figure['silent']} tours sans réponse ; ramasse-miettes "
                  f"{sum(figure['gc_ms_per_msg']):.2f} ms par message (générations 0/1/2 : "
                  f"{figure['gc_collections']} passages, {figure['objects']} objets)",
                  flush=True)  # fmt: skip
        median = sorted(figures)[len(figures) // 2]
        print(f"CPU de Rasa par message, dans un seul processus : médiane {median} ms "
              f"(de {min(figures)} à {max(figures)})")  # fmt: skip
    finally:
        if process is not None:
            stop([process])
        drop_databases(stores)


if __name__ == "__main__":
    main()
