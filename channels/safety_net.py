"""Every channel's safety net: whatever happened in the turn, danger gets its lines.

The assistant gives the lines of a danger itself (actions/emergency.py). The
channel checks, after each turn, that the person has read them, and adds them
when not, the way each failure calls for:

- a person of the team holds the conversation (the assistant is silent): the
  lines, and "Votre message est aussi transmis à l'équipe"; the open handoff
  becomes urgent;
- the conversation waits for a person of the team who has not taken it yet
  (a handoff asked for, the team closed): "Votre message est transmis à
  l'équipe…", so that no message meets silence;
- the assistant answered nothing although it is not paused (a custom action or
  the action server failed; the message is stored): the lines if any, then "je
  n'arrive pas à vous répondre… votre message est bien enregistré", and the
  team is told, with the message;
- the turn raised (the model, the tracker store or the lock failed: the message
  was NOT stored): the lines if any, then "il n'a pas été enregistré, renvoyez-le",
  and the team gets the message itself, so nothing is lost;
- the turn is too slow for the vendor's webhook: the lines if any, then "si vous
  n'avez pas de réponse dans une minute, renvoyez votre message".

The words are read by the same reader as the NLU (``safety.read_danger``), on
the raw text: a model or a database that fails never hides a danger. Unclear
danger gets the lines too here: a failing turn cannot ask "Est-ce en ce moment ?".

How the turn went is read from the output channel (``turn_paused``,
``turn_failed``), which bot/rasa_patches.py marks.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Iterable

from channels.store import ChannelStore
from safety import NUMBERS, Level, Reading, read_danger
from safety.lines import FORWARDED, NO_ANSWER, NOT_STORED, TOO_SLOW, WAITING, alarm_lines

logger = logging.getLogger(__name__)

INCIDENT_NOTE = "Message que l'assistant n'a pas pu traiter ({why}) :\n« {text} »"
URGENT_NOTE = "Mots d'urgence, numéros donnés par le canal ({why}) :\n« {text} »"
WHY = {
    "paused": "conversation en pause",
    "silent": "aucune réponse de l'assistant",
    "error": "erreur, message non enregistré",
    "slow": "réponse trop lente",
}


def turn_state(output_channel: object) -> tuple[bool, bool]:
    """(paused, failed) of the turn just handled with this output channel."""
    return (
        bool(getattr(output_channel, "turn_paused", False)),
        bool(getattr(output_channel, "turn_failed", False)),
    )


def is_danger(reading: Reading) -> bool:
    return reading.level in (Level.DANGER, Level.UNCLEAR)


def has_read(said: Iterable[str], needed: Iterable[str]) -> bool:
    """Whether every needed number ("15|112": either) appears in what was said."""
    text = " ".join(said)
    return all(
        any(re.search(rf"(?<!\d){n}(?!\d)", text) for n in alternatives.split("|"))
        for alternatives in needed
    )


def _needed(reading: Reading) -> list[str]:
    """The numbers of the danger's kinds (the 114 is the assistant's to add: the net only makes
    sure that a failing turn never leaves a danger without its line)."""
    if not reading.dangers:  # the question of no known kind gives every line
        return ["15|112", "17|112", "3114", "3977"]
    return [n for d in reading.dangers for n in NUMBERS[d]]


def after_turn(
    text: str,
    said: list[str],
    channel: str,
    *,
    paused: bool,
    failed: bool = False,
    held: bool = True,
) -> tuple[list[str], str | None]:
    """What the channel adds after a turn that returned, and why the team must be told.

    ``held``: a person of the team has taken the paused conversation (they answer
    it themselves); when not, the paused conversation is only waiting for them.

    Returns:
        The texts to add after the assistant's, and the reason to alert the team
        ("paused", "silent") or None.
    """
    reading = read_danger(text)
    danger = is_danger(reading)
    if paused:
        if not danger:
            return ([] if held or said else [WAITING]), None
        return [*alarm_lines(reading, channel), FORWARDED], "paused"
    extra = []
    if danger and not has_read(said, _needed(reading)):
        extra = alarm_lines(reading, channel)
    if not said:
        return [*extra, NO_ANSWER], "silent"
    if failed:
        logger.warning("A custom action failed during a turn on %s", channel)
    return extra, None


def failed_turn(text: str, channel: str, *, why: str = "error") -> list[str]:
    """What the person reads when the turn raised (not stored) or was too slow."""
    reading = read_danger(text)
    lines = alarm_lines(reading, channel) if is_danger(reading) else []
    return [*lines, TOO_SLOW if why == "slow" else NOT_STORED]


def alert_team(
    store: ChannelStore, conversation_id: str, channel: str, text: str, why: str
) -> None:
    """Tell the team (an urgent or incident handoff holding the words); never raises."""
    danger = is_danger(read_danger(text))
    template = URGENT_NOTE if danger else INCIDENT_NOTE
    note = template.format(why=WHY.get(why, why), text=text[:1500])
    try:
        store.alert_team(conversation_id, channel, "urgence" if danger else "incident", note)
    except Exception:  # the database is out of reach too: the log is the last witness
        logger.exception("The team could not be told of a %s turn on %s", why, channel)
