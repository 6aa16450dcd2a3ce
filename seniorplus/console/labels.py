"""French wording of the console (pure): reasons, channels, durations, Paris times."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime, timedelta

from policies.hours import PARIS
from rendering.channels import Labels

REASON_LABELS = {
    "demande": "A demandé à parler à quelqu'un",
    "incomprehension": "L'assistant n'a pas compris deux fois de suite",
    "urgence": "URGENT : mots de danger (numéros déjà donnés ; l'assistant répond encore)",
    "agent": "Un conseiller est intervenu",
    "appel": "Appel téléphonique : à rappeler",
    "incident": "Incident : message que l'assistant n'a pas pu traiter",
}
URGENT_REASONS = frozenset({"urgence"})
CHANNEL_LABELS = Labels(lambda channel: channel.label)
STATUS_LABELS = {
    "en_attente": "en attente",
    "prise": "prise en charge",
    "rendue": "rendue à l'assistant",
    "close": "close",
}
DELIVERY_LABELS = {
    "sent": "Envoyé",
    "deferred": "Envoi différé (heures calmes)",
    "refused": "Non envoyé",
    "failed": "Échec de l'envoi",
    "callback": "À rappeler par téléphone",
}
SPEAKER_LABELS = {"personne": "La personne", "assistant": "L'assistant", "conseiller": "Conseiller"}
ROLE_LABELS = {"agent": "conseiller", "supervisor": "superviseur", "admin": "administrateur"}
CALLBACK_REASONS = {
    "out_of_hours": "A demandé quelqu'un en dehors des heures d'ouverture",
    "silence": "N'a rien dit pendant l'appel",
    "no_answer": "La ligne de l'équipe n'a pas répondu",
    "technical_error": "L'appel a été coupé par une erreur technique",
    "conversation_paused": "A rappelé pendant qu'un conseiller tenait la conversation",
}
MONTHS_SHORT = (
    "janv.",
    "févr.",
    "mars",
    "avr.",
    "mai",
    "juin",
    "juil.",
    "août",
    "sept.",
    "oct.",
    "nov.",
    "déc.",
)
WEEKDAYS = ("lundi", "mardi", "mercredi", "jeudi", "vendredi", "samedi", "dimanche")
SUMMARY_LINE_CHARS = 160


def label(mapping: Mapping[str, str], key: str | None) -> str:
    """The French label of ``key``, or the key itself when unknown."""
    if key is None:
        return "—"
    return mapping.get(key, key)


def clock(at: datetime) -> str:
    """ "9 h 05" (Paris)."""
    local = at.astimezone(PARIS)
    return f"{local.hour} h {local.minute:02d}"


def moment(at: datetime, now: datetime) -> str:
    """ "aujourd'hui à 9 h 05", "hier à 17 h 30", "le 3 déc. à 9 h 05" (Paris)."""
    local, today = at.astimezone(PARIS), now.astimezone(PARIS).date()
    if local.date() == today:
        day = "aujourd'hui"
    elif local.date() == today - timedelta(days=1):
        day = "hier"
    elif local.date() == today + timedelta(days=1):
        day = "demain"
    else:
        day = f"le {local.day} {MONTHS_SHORT[local.month - 1]}"
        if local.year != today.year:
            day += f" {local.year}"
    return f"{day} à {clock(at)}"


def duration(delta: timedelta) -> str:
    """ "moins d'une minute", "12 min", "1 h 05", "3 jours"."""
    minutes = max(0, int(delta.total_seconds() // 60))
    if minutes < 1:
        return "moins d'une minute"
    if minutes < 60:
        return f"{minutes} min"
    hours, rest = divmod(minutes, 60)
    if hours < 48:
        return f"{hours} h {rest:02d}"
    return f"{hours // 24} jours"


def waiting_since(since: datetime, now: datetime) -> str:
    """ "depuis 12 min"."""
    return f"depuis {duration(now - since)}"


def first_line(summary: str, limit: int = SUMMARY_LINE_CHARS) -> str:
    """The first non-empty line of a summary, cut at ``limit`` characters."""
    for line in summary.splitlines():
        line = line.strip()
        if line:
            return line if len(line) <= limit else line[: limit - 1].rstrip() + "…"
    return "(pas de résumé)"


def paris_input(at: datetime) -> str:
    """A value for ``<input type="datetime-local">`` (Paris wall clock)."""
    return at.astimezone(PARIS).strftime("%Y-%m-%dT%H:%M")
