"""What becomes of a job after a send attempt: pure mapping of a `Delivery` to a job update.

| delivery | job |
|---|---|
| sent | ``fait`` (``done_at``) |
| callback (landline: a callback request was recorded) | ``fait`` |
| deferred (quiet hours) | ``en_attente`` until ``not_before``; the attempt is given back |
| refused (STOP) | ``annule``, never retried |
| failed, retryable | ``en_attente`` after 5 min, 15 min, 1 h, 3 h; ``echec`` at the 5th |
| failed, final | ``echec`` with the sender's reason |
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from seniorplus.outbound.base import Delivery

BACKOFF = (
    timedelta(minutes=5),
    timedelta(minutes=15),
    timedelta(hours=1),
    timedelta(hours=3),
)
MAX_ATTEMPTS = len(BACKOFF) + 1
DEFER_FALLBACK = timedelta(minutes=5)  # a deferral without a date (should not happen)
REASON_UNKNOWN = "Échec de l'envoi, raison inconnue."


@dataclass(frozen=True)
class JobUpdate:
    """New values of a claimed job; ``None`` leaves ``run_at`` or ``attempts`` as they are."""

    status: str
    run_at: datetime | None = None
    done_at: datetime | None = None
    last_error: str | None = None
    attempts: int | None = None


def retry_delay(attempts: int) -> timedelta:
    """Wait before the next try after ``attempts`` failed ones (1 → 5 min, 2 → 15 min …)."""
    return BACKOFF[min(max(attempts, 1), len(BACKOFF)) - 1]


def after_failure(
    reason: str, attempts: int, now: datetime, not_before: datetime | None = None
) -> JobUpdate:
    """A retryable failure: try again later, or give up after `MAX_ATTEMPTS`."""
    if attempts >= MAX_ATTEMPTS:
        return JobUpdate("echec", last_error=f"{reason} ({attempts} essais)")
    run_at = now + retry_delay(attempts)
    if not_before is not None and not_before > run_at:
        run_at = not_before
    return JobUpdate("en_attente", run_at=run_at, last_error=reason)


def after_delivery(delivery: Delivery, attempts: int, now: datetime) -> JobUpdate:
    """The job's new state after ``delivery``; ``attempts`` counts this one."""
    reason = delivery.reason_fr
    if delivery.status == "sent":
        return JobUpdate("fait", done_at=now)
    if delivery.status == "callback":
        return JobUpdate("fait", done_at=now, last_error=reason)
    if delivery.status == "deferred":
        run_at = delivery.not_before or now + DEFER_FALLBACK
        return JobUpdate(
            "en_attente", run_at=run_at, last_error=reason, attempts=max(attempts - 1, 0)
        )
    if delivery.status == "refused":
        return JobUpdate("annule", last_error=reason)
    if delivery.retryable:
        return after_failure(reason or REASON_UNKNOWN, attempts, now, delivery.not_before)
    return JobUpdate("echec", last_error=reason or REASON_UNKNOWN)
