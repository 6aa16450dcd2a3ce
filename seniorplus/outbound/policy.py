"""May we send now? STOP and quiet hours, as a pure function.

- A person who sent STOP gets nothing more on that channel: refused.
- SMS and phone: nothing between 20:00 and 08:00 (Europe/Paris), whatever the
  kind: deferred to 08:00.
- Telegram: a reply to the person's own message goes at once (they are using
  their phone and asked); a reminder waits for the end of quiet hours like an SMS.
- A one-time code (kind ``code``) goes at once on any channel: the person asked
  for it this very minute and is waiting for it. STOP still refuses it.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Literal

from policies.hours import in_quiet_hours, quiet_hours_end
from rendering.channels import Names
from seniorplus.outbound.base import REASON_QUIET, REASON_STOP, REASON_STOP_TELEGRAM, Kind

QUIET_CHANNELS = Names(lambda channel: channel.quiet_hours, aliases=False)  # always quiet at night


@dataclass(frozen=True)
class Verdict:
    """``send`` now, ``defer`` until ``not_before``, or ``refuse`` (STOP)."""

    decision: Literal["send", "defer", "refuse"]
    not_before: datetime | None = None
    reason_fr: str | None = None


SEND = Verdict("send")


def subject_to_quiet_hours(channel: str, kind: Kind) -> bool:
    """SMS and calls always, except a code the person is waiting for; Telegram for reminders."""
    if kind == "code":
        return False
    return channel in QUIET_CHANNELS or kind == "reminder"


def decide(channel: str, *, kind: Kind, opted_out: bool, at: datetime) -> Verdict:
    """The verdict for one message on ``channel`` at ``at`` (timezone-aware).

    Raises:
        ValueError: ``at`` is naive.
    """
    if at.tzinfo is None or at.utcoffset() is None:
        raise ValueError("naive datetime refused: pass a timezone-aware value")
    if opted_out:
        reason = REASON_STOP_TELEGRAM if channel == "telegram" else REASON_STOP
        return Verdict("refuse", reason_fr=reason)
    if subject_to_quiet_hours(channel, kind) and in_quiet_hours(at):
        return Verdict("defer", not_before=quiet_hours_end(at), reason_fr=REASON_QUIET)
    return SEND
