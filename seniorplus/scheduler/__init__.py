"""Sends the appointment notices that bookings leave in ``scheduled_jobs``.

Confirmation at once, reminder the day before, cancellation notice; each on
the person's own channel (`seniorplus.outbound`), each job claimed by one
worker only (`claim`), re-read before sending (`outgoing`), its text written
by `messages`. Runs inside the web app (`lifespan`) or as
``python -m seniorplus.scheduler [--once]``. See docs/booking.md,
"Rappels et confirmations (planificateur)".
"""

from seniorplus.scheduler.runner import Scheduler, TickReport, run_forever

__all__ = ["Scheduler", "TickReport", "run_forever"]
