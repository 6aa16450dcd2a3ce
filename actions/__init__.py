"""Rasa custom actions: thin adapters over seniorplus (rasa_sdk only, never rasa)."""

from seniorplus.clock import frozen_day

# A frozen clock (SENIORPLUS_FROZEN_NOW) is refused when APP_ENV=production: fail at start,
# not at a person's first question.
frozen_day()
