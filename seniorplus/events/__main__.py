"""``python -m seniorplus.events [--drain SECONDS]``: write Rasa's events for the console.

Reads the EVENT_BROKER_* variables (.env.example). Without ``--drain``: runs until
SIGINT or SIGTERM (a deployment's long-lived process; several may run side by side).
``--drain S``: stops once no event came for S seconds (catch-up, tests). Exit code 2
when the broker is off or its settings are incomplete.
"""

from __future__ import annotations

import argparse
import asyncio
import logging
import signal
import sys

from seniorplus.errors import ConfigurationError
from seniorplus.events.consumer import Consumer, Counts
from seniorplus.events.settings import ConsumerSettings
from seniorplus.logsetup import configure_logging


async def _run(settings: ConsumerSettings, drain_s: float | None) -> Counts:
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for signum in (signal.SIGINT, signal.SIGTERM):
        loop.add_signal_handler(signum, stop.set)
    return await Consumer(settings).run(stop, idle_exit_s=drain_s)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m seniorplus.events",
        description="Lit les événements de Rasa (RabbitMQ) pour la console et les statistiques.",
    )
    parser.add_argument(
        "--drain", type=float, metavar="S", help="s'arrêter après S secondes sans événement"
    )
    args = parser.parse_args(argv)
    configure_logging("events")  # JSON lines in production (docs/deployment.md)
    logging.getLogger("aiormq").setLevel(logging.WARNING)
    logging.getLogger("aio_pika").setLevel(logging.WARNING)
    try:
        settings = ConsumerSettings.from_env()
    except ConfigurationError as error:
        print(f"Événements : {error}", file=sys.stderr)
        return 2
    counts = asyncio.run(_run(settings, args.drain))
    print(f"Événements : {counts.line()}.")
    return 0


if __name__ == "__main__":
    sys.exit(main())
