"""What the person is told when a person takes over, and when the assistant is back (pure).

Plain text for every channel (``rendering`` adapts it: GSM-7 for SMS, HTML for
Telegram); each text fits in two SMS parts. When the team will answer comes from
the team's opening hours (``TEAM_OPENING_HOURS``, Europe/Paris, the same setting
the phone channel uses to transfer a caller): in hours, "en général dans
l'heure"; less than an hour before closing, "dès que possible, sinon demain…";
closed, the real next opening ("demain", "lundi") and the emergency numbers.

On the phone none of these is said: the phone channel transfers the caller, or
records a callback, and says so itself (channels/voice.py).
"""

from __future__ import annotations

from datetime import datetime, timedelta

from policies.hours import DAY_NAMES, PARIS, OpeningHours, say_time
from safety import Danger
from safety.lines import ALARM

DEFAULT_TEAM_HOURS = "lun-ven 09:00-12:30 13:30-17:00"  # scripts/env.sh's default
ANSWER_WITHIN = timedelta(hours=1)  # "en général dans l'heure" only when the team stays that long

# The general emergency line (safety/lines.py), for an urgent handoff opened without it.
EMERGENCY = ALARM[Danger.GENERAL]
IN_HOURS = (
    "Je transmets votre demande à un conseiller de l'équipe. Il vous répond ici, en général "
    "dans l'heure (l'équipe est là {hours}). Vos messages lui sont transmis."
)
CLOSING_SOON = (
    "Je transmets votre demande à un conseiller de l'équipe. Il vous répond ici dès que "
    "possible, sinon {when}. Vos messages lui sont transmis."
)
CLOSED = (
    "L'équipe est fermée en ce moment. Un conseiller vous répondra ici {when}. Vos messages "
    "lui sont transmis. En cas d'urgence : 15 (SAMU) ou 112."
)
# After the emergency lines: the team is told too, and the assistant goes on answering.
URGENT_OPEN = (
    "J'ai aussi prévenu un conseiller de l'équipe : il vous écrira ici dès que possible. "
    "En attendant, je reste là : vous pouvez continuer à m'écrire."
)
URGENT_CLOSED = (
    "J'ai aussi prévenu l'équipe de Senior Plus, fermée en ce moment : un conseiller lira vos "
    "messages {when}. En attendant, je reste là : vous pouvez continuer à m'écrire."
)
TEAM_ALREADY_TOLD = (
    "L'équipe de Senior Plus est déjà prévenue. Je reste là : vous pouvez continuer à m'écrire."
)
TEAM_NOT_TOLD = (
    "Je n'ai pas pu prévenir l'équipe pour le moment : appelez le numéro ci-dessus sans attendre."
)
HAND_BACK = (
    "C'est de nouveau l'assistant Senior Plus qui vous répond. Écrivez « menu » pour voir ce "
    "que je peux faire, ou « conseiller » pour reparler à quelqu'un."
)


def team_hours(spec: str | None) -> OpeningHours:
    """The team's opening hours from ``TEAM_OPENING_HOURS`` (the default when unset).

    Raises:
        policies.hours.HoursError: the setting cannot be read.
    """
    return OpeningHours.parse(spec.strip() if spec and spec.strip() else DEFAULT_TEAM_HOURS)


def say_opening(at: datetime, now: datetime) -> str:
    """ "aujourd'hui à partir de 13 h 30", "demain…", "lundi…", "lundi prochain…" (Paris)."""
    local, today = at.astimezone(PARIS), now.astimezone(PARIS).date()
    days = (local.date() - today).days
    if days <= 0:
        day = "aujourd'hui"
    elif days == 1:
        day = "demain"
    elif days < 7:
        day = DAY_NAMES[local.weekday()]
    else:
        day = f"{DAY_NAMES[local.weekday()]} prochain"
    return f"{day} à partir de {say_time(local.time())}"


def closing_time(hours: OpeningHours, now: datetime) -> datetime | None:
    """When the current opening span ends (Paris), or None when the team is not there."""
    local = now.astimezone(PARIS)
    for start, end in hours.week[local.weekday()]:
        if start <= local.time() < end:
            return datetime.combine(local.date(), end, tzinfo=PARIS)
    return None


def handoff_notice(
    reason: str, now: datetime, hours: OpeningHours, *, emergency_given: bool = False
) -> list[str]:
    """What the person reads when their conversation goes to the team.

    Args:
        reason: the handoff's reason ("demande", "incomprehension", "urgence"…).
        now: timezone-aware.
        hours: the team's opening hours.
        emergency_given: the emergency answer was just sent in this turn (the
            numbers are then not repeated word for word).
    """
    closes = closing_time(hours, now)
    if reason == "urgence":
        before = [] if emergency_given else [EMERGENCY]
        if closes is not None:
            return [*before, URGENT_OPEN]
        when = say_opening(hours.next_opening(now), now)
        return [*before, URGENT_CLOSED.format(when=when)]
    if closes is None:
        return [CLOSED.format(when=say_opening(hours.next_opening(now), now))]
    if closes - now.astimezone(PARIS) < ANSWER_WITHIN:
        return [CLOSING_SOON.format(when=say_opening(hours.next_opening(closes), now))]
    return [IN_HOURS.format(hours=hours.describe())]


def hand_back_notice() -> str:
    """What the person reads when the assistant answers again."""
    return HAND_BACK
