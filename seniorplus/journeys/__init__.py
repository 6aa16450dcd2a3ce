"""Step-by-step journeys (parcours): content in data/journeys, schema in docs/journeys.md.

Dated figures live in data/figures.yml (:mod:`seniorplus.journeys.figures`), contacts in
data/contacts.yml (:mod:`seniorplus.journeys.contacts`); :mod:`seniorplus.journeys.today`
gives the journeys as they read on a given day (docs/content.md).
"""

from seniorplus.journeys.schema import (
    CONTRACT_INTENTS,
    DEFAULT_DIRECTORY,
    Change,
    Document,
    Journey,
    JourneyError,
    Pitfall,
    Question,
    Step,
    load_all,
    load_journey,
)

__all__ = [
    "CONTRACT_INTENTS",
    "DEFAULT_DIRECTORY",
    "Change",
    "Document",
    "Journey",
    "JourneyError",
    "Pitfall",
    "Question",
    "Step",
    "load_all",
    "load_journey",
]
