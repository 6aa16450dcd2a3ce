"""Safety net of a paused conversation: emergency words still get the emergency numbers.

While a person of the team holds a conversation, Rasa keeps what the person
writes but the assistant says nothing (``ConversationPaused``). If that person
writes words of danger ("je suis tombée", "au secours") and the agent is not
there yet, the channel itself answers with the emergency numbers, word for word
the domain's ``utter_emergency`` (tests/bot/test_paused_channels.py checks it).

Only when the assistant said nothing this turn: an unpaused conversation gets
the emergency rule's own answer. The words are the NLU component's narrow
patterns plus broader ones: a wrong alarm here costs one message to someone
already waiting for a person, a missed one could cost much more.
"""

from __future__ import annotations

import re

from bot.components.emergency_words import simplify, sounds_like_emergency

# bot/domain/_core.yml, utter_emergency.
EMERGENCY = (
    "Si une vie est en danger, appelez tout de suite le 15 (SAMU, urgence médicale) "
    "ou le 112 (toutes urgences). En cas de violence, le 17 (police)."
)
FORWARDED = "Votre message est aussi transmis à l'équipe de Senior Plus."

_BROADER = re.compile(
    r"\b(?:"
    r"au secours|a l aide|aidez moi|aider moi|help"
    r"|(?:suis|est|sont|vient de|viens de|a fait une|fait une) (?:tombe|tombee|tomber|chute)"
    r"|urgence|samu|pompiers|ambulance"
    r"|malaise|perdu connaissance|se reveille pas|fumee|sent le gaz|fuite de gaz"
    r")\b"
)


def is_emergency(text: str) -> bool:
    """Words of danger, read broadly (the NLU's patterns, and calls for help, falls…)."""
    return sounds_like_emergency(text) or bool(_BROADER.search(simplify(text)))


def safety_answer(text: str, answered: bool) -> list[str]:
    """What the channel says itself: the emergency numbers when the assistant was silent.

    Args:
        text: what the person wrote.
        answered: whether the assistant said anything this turn (not when paused).
    """
    if answered or not is_emergency(text):
        return []
    return [EMERGENCY, FORWARDED]
