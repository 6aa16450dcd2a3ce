"""Danger read from words, and the lines each danger calls for (standard library only).

Imported by both environments: the bot (NLU component, dialogue policy, channels'
safety nets) and the app (the emergency action). See docs/safety.md.
"""

from safety.classes import NUMBERS, SMS_RELAY, Danger, Level
from safety.reading import Reading, read_danger

__all__ = ["NUMBERS", "SMS_RELAY", "Danger", "Level", "Reading", "read_danger"]
