"""NLU components: a long message is read whole, and its request is read again alone.

People write the situation first and the question last ("Ma mère a 86 ans, elle vit
seule à Rezé, elle est tombée cet hiver… Est-ce qu'on devra rembourser l'APA après son
décès ?"). On the whole message, the intent classifier sees mostly the situation: its
confidence spreads over every topic the story mentions, and the words of the story
(falls, toilette, forgetting) pull it towards ``report_autonomy_loss`` when the person
asked something precise. Measured on the long held-out messages, letters of several
sentences were the shape most often misread (docs/performance.md).

So a long message is read twice, in the same pass of the pipeline:

- ``RequestFocusSplitter``, first in the pipeline, finds the request (``request_part``):
  the last sentence that asks something, with the sentence before it when the question
  alone is too short to name anything ("Comment faire ?"), without the closing courtesy
  ("Merci d'avance"). In a message without punctuation (SMS, a phone transcript), the
  request starts at the last word that opens one ("comment", "combien", "est-ce que",
  "je voudrais"…). When a request is found that is clearly shorter than the message, a
  second message holding it alone is added to the batch, so every featurizer and the
  classifier read it exactly as they read a short message.
- ``RequestFocusMerger``, right after the classifier and the entity extractors, takes
  the second message out and gives the long one the mean of the two intent rankings:
  the topic named in the story still counts, and the question counts as much as the
  whole story. Entities stay those of the whole message (facts are in the story).

Danger is never reweighed: when the whole message's first intent is
``report_emergency``, its reading is kept as it is, and the danger reader
(``emergency.py``) still has the last word on every message.

Rasa's graph passes a list of messages from node to node, and ``/model/parse`` and the
dialogue read only the first one (``rasa.core.processor``); the splitter's extra
message never leaves the pipeline.
"""

from __future__ import annotations

import re
from typing import Any

from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.shared.nlu.constants import INTENT, INTENT_NAME_KEY, INTENT_RANKING_KEY, TEXT
from rasa.shared.nlu.training_data.message import Message

from bot.components.stateless import Stateless

FOCUS_OF_KEY = "request_focus_of"  # on the extra message: the position of its long message
FOCUS_KEY = "request_focus"  # on the long message: the request read alone, for the logs
EMERGENCY_INTENT = "report_emergency"

MIN_WORDS = 20  # shorter messages are read once, as before
MAX_SHARE = 0.6  # a "request" holding more than this share of the words is the message itself
MIN_REQUEST_WORDS = 5  # a shorter question takes the sentence before it ("Comment faire ?")
OPENING_WORDS = 3  # a message asking within its first words is its own request
CHAINED_WORDS = 4  # request words this close belong to one request
RANKING_LENGTH = 10  # as DIETClassifier's ranking_length

_SENTENCE_END = re.compile(r"(?<=[.!?…])\s+|\s*\n+\s*")
# Words that open a request or a question, in the forms people type (no accents, SMS).
_ASKS = (
    r"comment|combien|pourquoi|quel|quels|quelle|quelles|lequel|laquelle|est[- ]ce|est ce"
    r"|qui (?:d[ée]cide|doit|peut|paie|paye|fait|s occupe|contacter|appeler)"
    r"|o[uù] (?:en est|s adresser|faut|trouver|aller|envoyer|d[ée]poser|demander)"
    r"|peut[- ]on|peut[- ]il|peut[- ]elle|puis[- ]je|dois[- ]je|faut[- ]il|faut t il"
    r"|a[- ]t[- ]il|a[- ]t[- ]elle|y a[- ]t[- ]il|on peut|je peux"
    r"|je voudrais|j aimerais|je voulais|jvoudrais|je souhaite|je souhaiterais|je cherche"
    r"|j ai besoin|on a besoin|nous avons besoin|pouvez[- ]vous|vous pouvez|pourriez[- ]vous"
    r"|aidez[- ]moi|aidez[- ]nous|expliquez|dites[- ]moi|ma question|que faire|quoi faire"
    r"|c est quoi|cest quoi|savoir si|savoir comment|savoir combien|ai[- ]je droit"
    r"|a[- ]t[- ]on droit|droit [aà]"
)
_ASK = re.compile(rf"(?:^|\b)(?:{_ASKS})\b", re.IGNORECASE)
_COURTESY = re.compile(
    r"^(?:(?:un )?(?:grand |tout )?merci|je vous remercie|cordialement|bien cordialement"
    r"|bonne (?:journ[ée]e|soir[ée]e|nuit|fin de journ[ée]e)|salutations|bien [àa] vous"
    r"|dans l'attente|dans l attente|d'avance merci|avec mes remerciements|bises)\b",
    re.IGNORECASE,
)


def _words(text: str) -> int:
    """Words as a reader counts them: a lone "?" or ":" is not one."""
    return sum(1 for word in text.split() if any(c.isalnum() for c in word))


def _sentences(text: str) -> list[str]:
    return [s.strip() for s in _SENTENCE_END.split(text) if s and s.strip()]


def _asks(sentence: str) -> bool:
    return "?" in sentence or bool(_ASK.search(sentence.replace("'", " ")))


def request_part(text: str) -> str | None:
    """The request of a long message, or None when it cannot be told from the story.

    None for a short message, for a message whose last part asks nothing, and when the
    part found is most of the message (then the message is its own request).
    """
    total = _words(text)
    if total < MIN_WORDS:
        return None
    sentences = [s for s in _sentences(text) if not _COURTESY.match(s)]
    if not sentences:
        return None
    if len(sentences) > 1:
        # The request closes the message: one of its last two sentences asks something.
        asking = [i for i, s in enumerate(sentences) if _asks(s) and i >= len(sentences) - 2]
        if not asking:
            return None
        last = asking[-1]
        first = last
        while first > 0 and _words(" ".join(sentences[first : last + 1])) < MIN_REQUEST_WORDS:
            first -= 1
        part = " ".join(sentences[first : last + 1])
    else:
        tail = _tail_request(sentences[0])
        if tail is None:
            return None
        part = tail
    if _words(part) > MAX_SHARE * total:
        return None
    return part


def _tail_request(sentence: str) -> str | None:
    """In a message without sentences, the request starts at the last word that opens one.

    Words that open a request one after the other ("je voudrais savoir si on peut")
    start it at the first of them; a message that opens with a question is its own request.
    """
    flat = sentence.replace("'", " ")
    starts = [m.start() for m in _ASK.finditer(flat)]
    if not starts or _words(flat[: starts[0]]) < OPENING_WORDS:
        return None
    chosen = next((s for s in reversed(starts) if _words(flat[s:]) >= MIN_REQUEST_WORDS), None)
    if chosen is None:
        return None
    index = starts.index(chosen)
    while index > 0 and _words(flat[starts[index - 1] : starts[index]]) <= CHAINED_WORDS:
        index -= 1
    return sentence[starts[index] :].strip()


def merged_ranking(whole: list[dict[str, Any]], part: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The mean of two intent rankings, best first (an intent absent from one counts 0)."""
    scores: dict[str, float] = {}
    for ranking in (whole, part):
        for entry in ranking:
            name = entry.get(INTENT_NAME_KEY)
            if name:
                scores[name] = scores.get(name, 0.0) + float(entry.get("confidence") or 0.0) / 2
    ordered = sorted(scores.items(), key=lambda item: item[1], reverse=True)[:RANKING_LENGTH]
    return [{INTENT_NAME_KEY: name, "confidence": score} for name, score in ordered]


def focused(long: dict[str, Any] | None, part: dict[str, Any] | None) -> bool:
    """Whether the request's reading may change the long message's (never for danger)."""
    if not long or not part:
        return False
    return long.get(INTENT_NAME_KEY) != EMERGENCY_INTENT


@DefaultV1Recipe.register(DefaultV1Recipe.ComponentType.INTENT_CLASSIFIER, is_trainable=False)
class RequestFocusSplitter(Stateless):
    """First in the pipeline: adds, for each long message, a message holding its request."""

    def process(self, messages: list[Message]) -> list[Message]:
        extra = []
        for position, message in enumerate(messages):
            part = request_part(message.get(TEXT) or "")
            if part:
                extra.append(Message(data={TEXT: part, FOCUS_OF_KEY: position}))
        return [*messages, *extra]


@DefaultV1Recipe.register(DefaultV1Recipe.ComponentType.INTENT_CLASSIFIER, is_trainable=False)
class RequestFocusMerger(Stateless):
    """After the classifier: each long message gets the mean of its two readings."""

    def process(self, messages: list[Message]) -> list[Message]:
        kept = [m for m in messages if m.get(FOCUS_OF_KEY) is None]
        for extra in messages:
            position = extra.get(FOCUS_OF_KEY)
            if position is None or position >= len(kept):
                continue
            self._merge(kept[position], extra)
        return kept

    @staticmethod
    def _merge(long: Message, extra: Message) -> None:
        whole_intent = long.get(INTENT)
        part_intent = extra.get(INTENT)
        long.set(
            FOCUS_KEY,
            {TEXT: extra.get(TEXT), INTENT_NAME_KEY: (part_intent or {}).get(INTENT_NAME_KEY)},
            add_to_output=True,
        )
        if not focused(whole_intent, part_intent):
            return
        ranking = merged_ranking(
            long.get(INTENT_RANKING_KEY) or [], extra.get(INTENT_RANKING_KEY) or []
        )
        if not ranking:
            return
        long.set(INTENT, dict(ranking[0]), add_to_output=True)
        long.set(INTENT_RANKING_KEY, ranking, add_to_output=True)
