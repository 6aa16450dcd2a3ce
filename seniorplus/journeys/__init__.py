"""Step-by-step journeys (parcours): content in data/journeys, schema in docs/journeys.md."""

from seniorplus.journeys.schema import (
    CONTRACT_INTENTS,
    DEFAULT_DIRECTORY,
    Amount,
    Contact,
    Document,
    Journey,
    JourneyError,
    Question,
    Step,
    load_all,
    load_journey,
)

__all__ = [
    "CONTRACT_INTENTS",
    "DEFAULT_DIRECTORY",
    "Amount",
    "Contact",
    "Document",
    "Journey",
    "JourneyError",
    "Question",
    "Step",
    "load_all",
    "load_journey",
]
