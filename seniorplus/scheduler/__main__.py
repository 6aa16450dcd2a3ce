"""``python -m seniorplus.scheduler [--once]``: send the due appointment notices.

``--once``: one tick, a summary line, exit (cron, operations, tests). Without
it: tick every ``SCHEDULER_INTERVAL_S`` seconds until SIGINT or SIGTERM.
Exit code 1 when the database cannot be reached for the one tick.
"""

from __future__ import annotations

import argparse
import asyncio
import signal
import sys

from seniorplus.logsetup import configure_logging
from seniorplus.scheduler.runner import Scheduler, run_forever
from seniorplus.settings import get_settings


async def _loop(interval_s: float) -> None:
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for signum in (signal.SIGINT, signal.SIGTERM):
        loop.add_signal_handler(signum, stop.set)
    await run_forever(Scheduler(), interval_s, stop)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m seniorplus.scheduler",
        description="Envoie les confirmations, rappels et avis d'annulation de rendez-vous.",
    )
    parser.add_argument("--once", action="store_true", help="un seul passage, puis arrêt")
    args = parser.parse_args(argv)
    configure_logging("scheduler")  # JSON lines in production (docs/deployment.md)
    if not args.once:
        asyncio.run(_loop(get_settings().scheduler.interval_s))
        return 0
    try:
        report = asyncio.run(Scheduler().tick())
    except Exception as exc:  # the database is unreachable: say so, without a stack trace
        print(f"Planificateur : passage impossible ({type(exc).__name__}).", file=sys.stderr)
        return 1
    print(f"Planificateur : {report.claimed} tâche(s) traitée(s) : {report.summary()}.")
    return 0


if __name__ == "__main__":
    sys.exit(main())
