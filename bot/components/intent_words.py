"""NLU component: two intents the words must say, or the model's next reading is taken.

Some intents start something the person did not ask for when the model reads them on the
strength of a few characters:

- ``goodbye`` ends the conversation ("Au revoir…"). "à domicile", the answer to "Où vit votre
  mère ?", looks like "à demain" to the character n-grams. A goodbye says a word of parting
  (revoir, bientôt, bonne journée, à demain, je vous laisse, c'est tout…); without one, the
  message is not a goodbye.
- ``book_appointment`` proposes three time slots. A person who asks how to pay for the help
  that comes home ("une aide pour payer l'auxiliaire qui passe chez elle ?") names someone
  who comes, as a request for a mediator's visit does ("quelqu'un peut passer chez moi ?").
  A message that speaks of paying (payer, financer, rembourser, prise en charge, combien…)
  and says no word of a meeting (rendez-vous, créneau, rappeler, conseiller, médiateur,
  permanence, visite…) is a money question, not a booking.

Then the model's next intent is taken, when it considered it at all (``NEXT_AT_LEAST``), else
``nlu_fallback`` (the dialogue asks again, or takes the message as the answer it waits for).
In config.yml after the entity extractors and before the fallback, which then weighs the
intent chosen here. Every training example of these intents says its words (tests).
"""

from __future__ import annotations

import re

from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.nlu.classifiers.classifier import IntentClassifier
from rasa.shared.nlu.constants import INTENT, INTENT_RANKING_KEY, TEXT
from rasa.shared.nlu.training_data.message import Message

from bot.components.stateless import Stateless
from safety.text import plain

GOODBYE, BOOKING, FALLBACK = "goodbye", "book_appointment", "nlu_fallback"
NEXT_AT_LEAST = 0.2
PARTING = re.compile(
    r"\b(au revoir|aurevoir|au revoire|o revoir|arvoir|revoyure|bientot|prochaine|a plus|"
    r"plus tard|a tte|a toute|ciao|tchao|bye|salut|bonne|bne|bon (week end|weekend)|demain|"
    r"lundi|mardi|mercredi|jeudi|vendredi|samedi|dimanche|raccroch\w*|quitte|laisse\w*|"
    r"fini|c est tout|ca sera tout|arrete|reparle|reviendrai|portez vous bien|"
    r"prenez soin|fin de la conversation|y aller)\b"
)
PAYING = re.compile(
    r"\b(payer|paie|paye|payent|payera|financ\w*|prise en charge|prend en charge|"
    r"rembours\w*|combien|cout\w*|tarif\w*|prix|frais)\b"
)
MEETING = re.compile(
    r"\b(rendez vous|rdv|creneau\w*|rencontr\w*|entretien|rappel\w*|appel\w*|telephon\w*|"
    r"conseill\w*|mediat\w*|permanence|reserv\w*|dispo\w*|visite|recu|recue|voir quelqu un)\b"
)


def says_parting(text: str) -> bool:
    return "+" in text or bool(PARTING.search(plain(text)))


def asks_about_paying(text: str) -> bool:
    """Words of paying and none of a meeting."""
    words = plain(text)
    return bool(PAYING.search(words)) and not MEETING.search(words)


def fits_its_words(intent: str | None, text: str) -> bool:
    """Whether the words allow the intent the model read (any other intent: yes)."""
    if intent == GOODBYE:
        return says_parting(text)
    if intent == BOOKING:
        return not asks_about_paying(text)
    return True


@DefaultV1Recipe.register(DefaultV1Recipe.ComponentType.INTENT_CLASSIFIER, is_trainable=False)
class IntentNeedsItsWords(Stateless, IntentClassifier):
    """A goodbye without a word of parting, a money question read as a booking: the model's
    next intent (or the fallback)."""

    @classmethod
    def required_components(cls) -> list[type]:
        return [IntentClassifier]

    def process(self, messages: list[Message]) -> list[Message]:
        for message in messages:
            self._read(message)
        return messages

    @staticmethod
    def _read(message: Message) -> None:
        name = (message.get(INTENT) or {}).get("name")
        if fits_its_words(name, message.get(TEXT) or ""):
            return
        ranking = [dict(r) for r in message.get(INTENT_RANKING_KEY) or []]
        read = [r for r in ranking if r.get("name") == name]
        others = [r for r in ranking if r.get("name") not in (name, FALLBACK)]
        best = float(others[0].get("confidence") or 0.0) if others else 0.0
        if best >= NEXT_AT_LEAST:
            chosen = dict(others[0])
            rest = others[1:]
        else:
            chosen = {"name": FALLBACK, "confidence": best}
            rest = others
        message.set(INTENT, chosen, add_to_output=True)
        first = [chosen] if chosen["name"] == FALLBACK else [others[0]]
        message.set(INTENT_RANKING_KEY, [*first, *read, *rest], add_to_output=True)
