"""What a send attempt does to its job (pure): done, waits again, cancelled or failed."""

from __future__ import annotations

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from seniorplus.outbound.base import (
    REASON_CALLBACK,
    REASON_INVALID_NUMBER,
    REASON_QUIET,
    REASON_SMS_DOWN,
    REASON_STOP,
    Delivery,
)
from seniorplus.scheduler.outcome import (
    MAX_ATTEMPTS,
    REASON_UNKNOWN,
    JobUpdate,
    after_delivery,
    retry_delay,
)

PARIS = ZoneInfo("Europe/Paris")
NOW = datetime(2026, 11, 30, 10, 0, tzinfo=PARIS)
DOWN = Delivery("failed", "sms", reason_fr=REASON_SMS_DOWN, retryable=True, error_code=None)


def test_sent_and_callback_are_done() -> None:
    assert after_delivery(Delivery("sent", "sms", vendor_id="SM1"), 1, NOW) == JobUpdate(
        "fait", done_at=NOW
    )
    callback = Delivery("callback", "voice", reason_fr=REASON_CALLBACK)
    assert after_delivery(callback, 1, NOW) == JobUpdate(
        "fait", done_at=NOW, last_error=REASON_CALLBACK
    )


def test_quiet_hours_wait_and_give_the_attempt_back() -> None:
    eight = datetime(2026, 12, 1, 8, 0, tzinfo=PARIS)
    deferred = Delivery("deferred", "sms", not_before=eight, reason_fr=REASON_QUIET)
    assert after_delivery(deferred, 1, NOW) == JobUpdate(
        "en_attente", run_at=eight, last_error=REASON_QUIET, attempts=0
    )


def test_stop_cancels_for_good() -> None:
    assert after_delivery(Delivery("refused", "sms", reason_fr=REASON_STOP), 1, NOW) == JobUpdate(
        "annule", last_error=REASON_STOP
    )


def test_outages_are_retried_with_growing_delays_then_given_up() -> None:
    delays = [after_delivery(DOWN, n, NOW).run_at for n in range(1, MAX_ATTEMPTS)]
    assert [d - NOW for d in delays if d is not None] == [
        timedelta(minutes=5),
        timedelta(minutes=15),
        timedelta(hours=1),
        timedelta(hours=3),
    ]
    assert {after_delivery(DOWN, n, NOW).status for n in range(1, MAX_ATTEMPTS)} == {"en_attente"}
    assert after_delivery(DOWN, MAX_ATTEMPTS, NOW) == JobUpdate(
        "echec", last_error=f"{REASON_SMS_DOWN} (5 essais)"
    )
    assert retry_delay(99) == timedelta(hours=3)


def test_the_vendors_retry_after_is_honoured_when_later() -> None:
    later = NOW + timedelta(minutes=30)
    throttled = Delivery("failed", "sms", not_before=later, reason_fr="x", retryable=True)
    assert after_delivery(throttled, 1, NOW).run_at == later
    sooner = Delivery("failed", "sms", not_before=NOW, reason_fr="x", retryable=True)
    assert after_delivery(sooner, 1, NOW).run_at == NOW + timedelta(minutes=5)


def test_final_failures_fail_at_once() -> None:
    invalid = Delivery("failed", "sms", reason_fr=REASON_INVALID_NUMBER)
    assert after_delivery(invalid, 1, NOW) == JobUpdate("echec", last_error=REASON_INVALID_NUMBER)
    assert after_delivery(Delivery("failed", "sms"), 1, NOW).last_error == REASON_UNKNOWN
