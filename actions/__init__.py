"""Rasa custom actions: thin adapters over seniorplus (rasa_sdk only, never rasa)."""

from seniorplus.clock import frozen_day
from seniorplus.settings import environment

# A frozen clock (SENIORPLUS_FROZEN_NOW) is refused when APP_ENV=production: fail at start,
# not at a person's first question. Only the clock's section here; the action server's
# start checks every other (actions.server.start_problems).
frozen_day(environment())
