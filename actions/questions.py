"""The question bank read by the actions: the answer to the question a message asks of a
journey, and a question asked aside while a question of the assistant waits for its answer.

Read by the journey, triage and conversation actions alike; it leans only on
`actions.common`, `actions.facts` and `actions.journey_state`.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from rasa_sdk import Tracker

from actions.common import current, journeys, latest_text, speaker_of
from actions.facts import known
from actions.journey_state import asked_definition, journey_named
from seniorplus.clock import conversation_day
from seniorplus.dialogue import asks
from seniorplus.dialogue import speaker as who
from seniorplus.dialogue.heard import person_texts
from seniorplus.dialogue.pending import ESTIMATE, Waiting, answers_or_tells, asks_aside, waiting
from seniorplus.dialogue.replies import resolve_reply
from seniorplus.dialogue.speaker import Speaker
from seniorplus.dialogue.turns import pending_buttons, pending_message
from seniorplus.journeys import Journey
from seniorplus.journeys import walkthrough as walk
from seniorplus.questions.answers import answered, bank_index
from seniorplus.questions.bank import Question
from seniorplus.questions.retrieval import Match


def surest(text: str, intent: str, journey: Journey) -> tuple[Match, Journey] | None:
    """The question of the bank `text` surely asks, in `journey` or in another journey of
    the intent (the APA in an EHPAD asked by someone at home), the surest of them."""
    index = bank_index()
    if not index.asks_something(text, journey.id):  # "l'APA ?": the overview
        return None
    others = [j for j in walk.journeys_for_intent(journeys(), intent) if j.id != journey.id]
    sure = [(m, j) for j in (journey, *others) if (m := index.sure(text, intent, j.id))]
    return max(sure, key=lambda found: found[0].confidence) if sure else None


def bank_answer(
    text: str, intent: str, journey: Journey, saved: int | None = None, close_calls: bool = True
) -> tuple[list[walk.Reply], Journey] | None:
    """The bank's answer to the question `text` asks of `journey` (a close call answers the
    best question and offers the second, unless `close_calls` is False: the papers or the
    amounts asked, which answer better than a close call); else of the intent's other
    journeys (the APA in an EHPAD asked by someone at home); None when no question is
    clearly asked."""
    start = walk.NOT_STARTED if saved is None else saved
    found = surest(text, intent, journey)
    if found is not None:
        match, where = found
        index_there = start if where.id == journey.id else walk.NOT_STARTED
        return answered(match.question, where, conversation_day(), index_there, text), where
    if not close_calls or not asks.is_question(text):  # a story or a wish: the overview
        return None
    close = bank_index().best_or_close(text, intent, journey.id)
    if close is None:
        return None
    match, second = close
    return answered(match.question, journey, conversation_day(), start, text, second), journey


def nearest_questions(tracker: Tracker, intent: str, journey: Journey) -> list[Question]:
    """The two questions of `journey` nearest to the latest message, when it asks one that
    the bank is not sure of (no answer was given); none for a button, a choice typed, or a
    message that tells rather than asks."""
    text = latest_text(tracker)
    if not text or text.startswith("/") or not asks.is_question(text):
        return []
    if resolve_reply(text, None, [], pending_buttons(tracker.events)) is not None:
        return []  # "le 2", a title typed in full: a choice
    return bank_index().nearest(text, intent, journey.id)


@dataclass(frozen=True)
class Aside:
    """A question of the person's own, asked while a question of the assistant waits."""

    waiting: Waiting
    question: Question  # the bank's question it asks, surely
    journey: Journey  # where that question is
    speaker: Speaker | None  # who the help is for, when the conversation tells it


def question_waiting(tracker: Tracker) -> tuple[Waiting, list[dict[str, Any]]] | None:
    """The question the assistant waits an answer to, and the choices it offered with it."""
    message = pending_message(tracker.events) or {}
    offered = list((message.get("data") or {}).get("buttons") or [])
    waits = waiting(
        tracker.get_slot("triage_stage"),
        tracker.get_slot("estimate_stage"),
        speaker_of(tracker).known,
        offered,
        str(message.get("text") or ""),
    )
    return (waits, offered) if waits is not None else None


def answers_question_waiting(tracker: Tracker) -> bool:
    """A choice typed ("le 2"), or the answer or a fact while a question waits
    (:func:`pending.answers_or_tells`)."""
    found = question_waiting(tracker)
    if found is None:
        return False
    waits, offered = found
    text = latest_text(tracker)
    entities = tracker.latest_message.get("entities") or []
    intent = (tracker.latest_message.get("intent") or {}).get("name")
    return resolve_reply(text, intent, entities, offered) is not None or answers_or_tells(
        waits, text, entities
    )


def question_aside(tracker: Tracker) -> Aside | None:
    """ "Et qui décide combien je touche ?" after "c'est pour vous-même ou pour un proche ?",
    or during the triage's or an estimate's questions: the question the message asks instead
    of answering, when the bank surely answers it; None for an answer ("pour ma mère", "moi",
    "à domicile"), a choice typed ("le 2"), a word asked about, or no sure answer."""
    text = latest_text(tracker)
    asked = question_waiting(tracker)
    if asked is None:
        return None
    waits, offered = asked
    entities = tracker.latest_message.get("entities") or []
    intent = (tracker.latest_message.get("intent") or {}).get("name")
    if resolve_reply(text, intent, entities, offered) is not None:  # "le 2", a title typed
        return None
    if not asks_aside(waits, text, entities) or asked_definition(tracker) is not None:
        return None
    found = sure_in_context(text, tracker, str(intent or ""))
    if found is None:
        return None
    match, where = found
    speaker = heard_speaker(tracker, where) if waits.kind != ESTIMATE else None
    return Aside(waits, match.question, where, speaker)


def sure_in_context(text: str, tracker: Tracker, intent: str) -> tuple[Match, Journey] | None:
    """The bank's sure question, in the journey the message names, else the journey in
    progress, else the intent's; with none of them (the triage), in the whole bank."""
    journey = journey_named(text, tracker) or current(tracker)[0]
    if journey is None:
        topical = walk.journeys_for_intent(journeys(), intent)
        journey = topical[0] if topical else None
    if journey is not None:
        return surest(text, journey.intent, journey)
    match = bank_index().sure(text)
    if match is None or match.question.journey not in journeys():
        return None
    return match, journeys()[match.question.journey]


def heard_speaker(tracker: Tracker, journey: Journey) -> Speaker | None:
    """Who the help is for, as the conversation tells it without being asked: a relative
    named ("ma mère"), or the senior speaking of their own situation ("j'ai 84 ans", "combien
    je touche"; not on the caregiver's journey, where "je" is the caregiver); else None."""
    text = latest_text(tracker)
    entities = tracker.latest_message.get("entities") or []
    said = who.from_reply(text, [e for e in entities if e.get("entity") == "relationship"])
    if said is not None and said.relationship:  # "pour ma mère" (not "un proche", asked of)
        return said
    relationship = known(tracker).facts.relationship
    if relationship:
        return Speaker(who.RELATIVE, relationship)
    if journey.id == walk.CAREGIVER_JOURNEY:
        return None
    texts = person_texts(tracker.events, text)
    if (said is not None and not said.is_relative) or who.speaks_of_self(texts):
        return Speaker(who.SELF)
    return None
