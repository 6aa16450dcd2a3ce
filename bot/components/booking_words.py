"""NLU component: a question about paying is not a request for an appointment.

A person who asks how to pay for the help that comes home ("une aide pour payer l'auxiliaire
qui passe chez elle ?") names someone who comes, as a request for a mediator's visit does
("quelqu'un peut passer chez moi ?"). The model then hesitates between ``book_appointment`` and
the aid asked about, and a close call for the appointment answers a money question with three
time slots. So when the model puts ``book_appointment`` first, the message speaks of paying
(payer, financer, rembourser, prise en charge, combien, coût…) and says no word of a meeting
(rendez-vous, créneau, rappeler, conseiller, médiateur, permanence, visite…), the model's next
intent is taken, when it considered it at all (``NEXT_AT_LEAST``). Any word of a meeting keeps
the appointment ("un rendez-vous pour savoir qui paie ?").

In config.yml after the entity extractors and before the fallback, which then weighs the
intent chosen here.
"""

from __future__ import annotations

import re
from typing import Any

from rasa.engine.graph import ExecutionContext, GraphComponent
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.nlu.classifiers.classifier import IntentClassifier
from rasa.shared.nlu.constants import INTENT, INTENT_RANKING_KEY, TEXT
from rasa.shared.nlu.training_data.message import Message

from safety.text import plain

BOOKING_INTENT = "book_appointment"
FALLBACK_INTENT = "nlu_fallback"
NEXT_AT_LEAST = 0.2
PAYING = re.compile(
    r"\b(payer|paie|paye|payent|payera|financ\w*|prise en charge|prend en charge|"
    r"rembours\w*|combien|cout\w*|tarif\w*|prix|frais)\b"
)
MEETING = re.compile(
    r"\b(rendez vous|rdv|creneau\w*|rencontr\w*|entretien|rappel\w*|appel\w*|telephon\w*|"
    r"conseill\w*|mediat\w*|permanence|reserv\w*|dispo\w*|visite|recu|recue|voir quelqu un)\b"
)


def asks_about_paying(text: str) -> bool:
    """Words of paying and none of a meeting."""
    words = plain(text)
    return bool(PAYING.search(words)) and not MEETING.search(words)


@DefaultV1Recipe.register(DefaultV1Recipe.ComponentType.INTENT_CLASSIFIER, is_trainable=False)
class BookingNeedsItsWords(GraphComponent, IntentClassifier):
    """Gives a money question read as ``book_appointment`` the model's next intent."""

    @classmethod
    def required_components(cls) -> list[type]:
        return [IntentClassifier]

    @classmethod
    def create(
        cls,
        config: dict[str, Any],
        model_storage: ModelStorage,
        resource: Resource,
        execution_context: ExecutionContext,
    ) -> BookingNeedsItsWords:
        return cls()

    def process(self, messages: list[Message]) -> list[Message]:
        for message in messages:
            self._read(message)
        return messages

    @staticmethod
    def _read(message: Message) -> None:
        intent = message.get(INTENT) or {}
        if intent.get("name") != BOOKING_INTENT or not asks_about_paying(message.get(TEXT) or ""):
            return
        ranking = [dict(r) for r in message.get(INTENT_RANKING_KEY) or []]
        booking = [r for r in ranking if r.get("name") == BOOKING_INTENT]
        others = [r for r in ranking if r.get("name") not in (BOOKING_INTENT, FALLBACK_INTENT)]
        if not others or float(others[0].get("confidence") or 0.0) < NEXT_AT_LEAST:
            return
        message.set(INTENT, dict(others[0]), add_to_output=True)
        message.set(INTENT_RANKING_KEY, [others[0], *booking, *others[1:]], add_to_output=True)
