"""Actions of the step-by-step journeys: offer, next, previous, papers, amounts.

Progress lives in two slots kept with the conversation (carried over sessions):
`journey` (id) and `journey_step` (index of the step last shown, -1 before).
"""

from __future__ import annotations

from abc import ABCMeta, abstractmethod
from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.events import EventType, SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions.cases import open_case_for, tick_papers
from actions.common import current, journeys, latest_text, near_line, send, speaker_of
from actions.estimates import (
    EHPAD_JOURNEY,
    ESTIMATED_JOURNEY,
    amounts_and_offer,
    continue_ehpad_estimate,
    continue_estimate,
    estimate_at_once,
)
from actions.facts import known
from actions.journey_state import (
    asked_definition,
    journey_advised,
    journey_named,
    progress,
    saved_steps,
    start_steps,
    way_back,
)
from actions.questions import bank_answer, nearest_questions, surest
from actions.triage import (
    answer_aside,
    answer_pending,
    ask_next,
    new_situation,
    previous_question,
)
from seniorplus.clock import conversation_day
from seniorplus.dialogue import asks, triage_questions
from seniorplus.dialogue import speaker as who
from seniorplus.dialogue.facts import tells_a_situation
from seniorplus.dialogue.heard import person_texts
from seniorplus.dialogue.labels import also_about
from seniorplus.dialogue.replies import resolve_reply
from seniorplus.dialogue.speaker import Speaker
from seniorplus.dialogue.turns import pending_buttons
from seniorplus.journeys import Journey
from seniorplus.journeys import walkthrough as walk
from seniorplus.questions.answers import answered, maybe_asked
from seniorplus.questions.bank import Question, load_bank

Domain = dict[str, Any]
# Amount questions of the bank that the amounts list and its estimate answer better.
ESTIMATED = frozenset(
    {"apa_montant_max", "apa_reste_a_payer", "apa_petit_montant", "ehpad_prix", "ehpad_ash_reste"}
)


class ActionOfferJourney(Action):
    """A question about an aid: what it is, then the steps, papers and amounts on offer.

    The first time, it also asks who the help is for, to word what follows.
    A word asked about on the way ("c'est quoi le GIR ?") is explained instead.
    """

    def name(self) -> str:
        return "action_offer_journey"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: Domain
    ) -> list[EventType]:
        pending = answer_pending(dispatcher, tracker)
        if pending is not None:  # "en ehpad" answers "où vit votre mère ?"
            return pending
        in_progress, index = current(tracker)
        word = asked_definition(tracker)
        if word and in_progress is not None and index >= 0:
            send(dispatcher, walk.definition(in_progress, index, *word))
            return []
        intent = (tracker.latest_message.get("intent") or {}).get("name") or ""
        candidates = walk.journeys_for_intent(journeys(), intent)
        asked = next(tracker.get_latest_entity_values("journey"), None)
        chosen = journeys().get(str(asked)) if asked else None
        heard = known(tracker)
        if chosen is None or chosen.intent != intent:
            if not candidates:
                dispatcher.utter_message(response="utter_main_menu")
                return []
            chosen = candidates[0]
            if heard.facts.residence == "etablissement":  # "elle est en ehpad depuis mars"
                chosen = next((j for j in candidates if j.id == "apa_etablissement"), chosen)
        if word and word[0] not in chosen.overview:
            send(dispatcher, [walk.Reply(f"{word[0]} : {word[1]}.")])
        others = [j for j in candidates if j.id != chosen.id]
        speaker, named = speaker_of(tracker), []
        confirmed = tracker.get_slot("for_whom") in (who.SELF, who.RELATIVE)
        if (
            not confirmed
            and not heard.facts.relationship
            and chosen.id != walk.CAREGIVER_JOURNEY
            and who.speaks_of_self(person_texts(tracker.events, latest_text(tracker)))
        ):  # "j'ai 84 ans, je vis seule depuis que mon mari est parti": she asks for herself
            speaker = Speaker(who.SELF)
            named = [SlotSet("for_whom", who.SELF), SlotSet("relationship", None)]
        elif not speaker.known and heard.facts.relationship:  # "pour ma belle-mère": no question
            speaker = Speaker(who.RELATIVE, heard.facts.relationship)
            named = [SlotSet("for_whom", who.RELATIVE),
                     SlotSet("relationship", heard.facts.relationship)]  # fmt: skip
        saved = saved_steps(tracker).get(chosen.id, walk.NOT_STARTED)
        picked = picked_question(tracker, chosen)
        if picked is not None:  # the "see also" button of a close call
            send(dispatcher, answered(picked, chosen, conversation_day(), saved))
            return [*progress(tracker, chosen, saved, resume_pending=saved >= 0), *named]
        if not word:  # a question inside the message: answered at once
            asked = await answer_at_once(dispatcher, tracker, chosen, intent, saved)
            if asked is not None:
                opened = progress(tracker, chosen, saved, resume_pending=saved >= 0)
                reset = [SlotSet("triage_stage", None), SlotSet("estimate_stage", None)]
                return [*opened, *named, *reset, *asked]
        replies = walk.overview(chosen, others, speaker.relative, saved)
        back = way_back(tracker, leaving_for=chosen)
        events = [*progress(tracker, chosen, saved, resume_pending=saved >= 0), *named,
                  SlotSet("triage_stage", None), SlotSet("estimate_stage", None)]  # fmt: skip
        if not speaker.known and not tracker.get_slot("speaker_asked"):
            send(dispatcher, replies[:-1])
            send(dispatcher, [who.question()])
            return [*events, SlotSet("speaker_asked", True)]
        menu = replies[-1]
        menu = walk.Reply(menu.text, (*menu.buttons[:-1], *back, walk.MENU))
        if not word:  # a question the bank is not sure of: its nearest questions offered
            menu = maybe_asked(menu, chosen, nearest_questions(tracker, intent, chosen))
        send(dispatcher, [*replies[:-1], *with_other_topic([menu], tracker, chosen)])
        return events


async def answer_at_once(
    dispatcher: CollectingDispatcher, tracker: Tracker, journey: Journey, intent: str, saved: int
) -> list[EventType] | None:
    """ "Je voudrais faire la demande" opens the case, "quelles étapes ?" starts step 1, a
    question of the bank (confident match) gets its answer; None: the overview answers."""
    text = latest_text(tracker)
    if not text or text.startswith("/"):  # a button: the person chose the topic itself
        return None
    offered = pending_buttons(tracker.events)
    if resolve_reply(text, None, [], offered) is not None:  # "le 2", a title typed in full
        return None
    wanted = asks.aspect(text)
    if journey.id == ESTIMATED_JOURNEY and asks.asks_amount(text):
        estimated = estimate_at_once(dispatcher, tracker)  # "il est GIR 2, combien d'APA ?"
        if estimated is not None:
            return estimated
    if wanted == asks.APPLY:
        return await open_case_for(dispatcher, tracker, journey)
    if wanted == asks.STEPS:  # step 1 (or the step where the person stopped)
        return start_steps(dispatcher, tracker, journey)
    found = bank_answer(text, intent, journey, saved)
    if found is None:
        return None
    replies, where = found
    send_answer(dispatcher, tracker, replies, where)
    if where.id != journey.id:  # "elle entre en EHPAD, garde-t-elle l'APA ?": that journey
        return progress(tracker, where, saved_steps(tracker).get(where.id, walk.NOT_STARTED))
    return []


def picked_question(tracker: Tracker, journey: Journey) -> Question | None:
    """The question a "see also" button names (its ``choice`` entity), if it is the journey's."""
    picked = next(tracker.get_latest_entity_values("choice"), None)
    if not picked:
        return None
    return next((q for q in load_bank() if q.id == picked and q.journey == journey.id), None)


def send_answer(
    dispatcher: CollectingDispatcher, tracker: Tracker, replies: list[walk.Reply], where: Journey
) -> None:
    """A bank answer, with the way back to the journey left and the other topic named."""
    send(dispatcher, with_way_back(with_other_topic(replies, tracker, where), tracker, where))


def with_way_back(
    replies: list[walk.Reply], tracker: Tracker, answered_journey: Journey
) -> list[walk.Reply]:
    """The replies, the last one with "Reprendre : …" for the journey in progress, if the
    answer is about another one (before "Le menu")."""
    back = way_back(tracker, leaving_for=answered_journey)
    if not replies or not back:
        return replies
    last = replies[-1]
    kept = [b for b in last.buttons if b != walk.MENU]
    menu = [walk.MENU] if walk.MENU in last.buttons else []
    return [*replies[:-1], walk.Reply(last.text, (*kept, *back, *menu))]


def with_other_topic(
    replies: list[walk.Reply], tracker: Tracker, answered_journey: Journey
) -> list[walk.Reply]:
    """The replies, the last one offering the other topic the message asks about ("la
    curatelle de ma mère… et pour l'EHPAD, comment payer ?": the EHPAD answered, the
    protection offered), before its "Le menu" button."""
    text = latest_text(tracker)
    if not replies or text.startswith("/"):
        return replies
    topic = asks.other_topic(text, answered_journey.intent)
    other = walk.journeys_for_intent(journeys(), topic)[0] if topic else None
    if other is None:
        return replies
    button = {"title": other.title, "payload": f'/{other.intent}{{"journey": "{other.id}"}}'}
    last = replies[-1]
    kept = [b for b in last.buttons if b != walk.MENU]
    menu = [walk.MENU] if walk.MENU in last.buttons else []
    line = also_about(other.title)
    return [*replies[:-1], walk.Reply(f"{last.text} {line}", (*kept, button, *menu))]


class ActionSetSpeaker(Action):
    """The answer to "c'est pour vous-même ou pour un proche ?": kept, then on with the journey."""

    def name(self) -> str:
        return "action_set_speaker"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: Domain
    ) -> list[EventType]:
        given = {
            e.get("entity"): e.get("value") for e in tracker.latest_message.get("entities") or []
        }
        speaker = Speaker.from_slots(given.get("for_whom"), given.get("relationship"))
        if not speaker.known:
            speaker = Speaker(who.RELATIVE)
        events: list[EventType] = [
            SlotSet("for_whom", speaker.for_whom),
            SlotSet("relationship", speaker.relationship),
            SlotSet("speaker_asked", True),
        ]
        journey, index = current(tracker)
        if journey is None:
            send(dispatcher, [walk.Reply(who.acknowledgement(speaker))])
            dispatcher.utter_message(response="utter_main_menu")
            return events
        others = [j for j in walk.journeys_for_intent(journeys(), journey.intent) if j != journey]
        menu = walk.overview(journey, others, speaker.relative, index)[-1]
        send(dispatcher, [walk.Reply(who.acknowledgement(speaker)), menu])
        return events


class JourneyAction(Action, metaclass=ABCMeta):
    """Acts on the journey in progress; without one, gives `without_journey` responses.

    A question of the person's own while a question of the assistant waits ("et qui décide
    combien je touche ?", read as ask_cost after "pour vous-même ou pour un proche ?") is
    answered first, and the question waiting kept (`answer_aside`).
    """

    without_journey: tuple[str, ...] = ("utter_no_current_step", "utter_main_menu")
    # A question naming another topic than the journey in progress ("et l'AJPA, ça paie
    # combien ?" during the APA) is answered for that topic.
    follows_named_topic = False
    # The intent asks one aspect (the papers, the amounts): a close call of the bank ("peut-on
    # s'inscrire dans plusieurs EHPAD ?" for "quels documents pour le dossier de l'EHPAD ?")
    # answers no better than that aspect; only a sure question does.
    asks_an_aspect = False
    # The aspect the action gives ("cost", "documents"): asked during the triage's questions,
    # before any aid is found, it is said to come after them, and the question goes on.
    aspect: str | None = None

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: Domain
    ) -> list[EventType]:
        aside = answer_aside(dispatcher, tracker)
        if aside is not None:
            return aside
        return await self.answer(dispatcher, tracker)

    async def answer(self, dispatcher: CollectingDispatcher, tracker: Tracker) -> list[EventType]:
        """What the action says, no question of the person's own being asked aside."""
        journey, index = current(tracker)
        text = latest_text(tracker)
        named = journey_named(text, tracker) if not text.startswith("/") else None
        if named is None and journey is None:  # right after the triage's plan: its first aid
            named = journey_advised(tracker)
        elsewhere = (
            self.follows_named_topic
            and named is not None
            and journey is not None
            and named.intent != journey.intent
        )
        if named is not None and (journey is None or elsewhere):
            # "combien coûte un ehpad ?": that journey's answer
            saved = saved_steps(tracker).get(named.id, walk.NOT_STARTED)
            found = bank_answer(text, named.intent, named, saved, not self.asks_an_aspect)
            if found is not None:
                replies, where = found
                send_answer(dispatcher, tracker, replies, where)
                return progress(tracker, where, saved)
            return [*progress(tracker, named, saved), *self.act(dispatcher, tracker, named, saved)]
        if journey is None:
            return self.without_a_journey(dispatcher, tracker)
        return self.act(dispatcher, tracker, journey, index)

    def without_a_journey(
        self, dispatcher: CollectingDispatcher, tracker: Tracker
    ) -> list[EventType]:
        """No aid found yet: during the triage, its question waiting goes on ("ça coûterait
        combien ?" while asked how much help is needed); else the topics to choose from."""
        stage = tracker.get_slot("triage_stage")
        if stage:
            send(dispatcher, triage_questions.aspect_later(self.aspect))
            answers = dict(tracker.get_slot("triage") or {})
            return ask_next(dispatcher, tracker, answers, again=str(stage))
        if self.aspect and tells_a_situation(latest_text(tracker)):
            # "ma femme a eu un AVC… combien on aurait d'aide avec nos 2 100 euros ?": the
            # aid is found by the triage, with the facts told, then its amounts
            return new_situation(dispatcher, tracker, self.aspect)
        for response in self.without_journey:
            dispatcher.utter_message(response=response)
        return []

    @abstractmethod
    def act(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, journey: Journey, index: int
    ) -> list[EventType]:
        """What to say and which progress to keep, for the journey in progress."""


class ActionJourneyNext(JourneyAction):
    """The next step; or the step where the person stopped, after a resume offer or a
    "Reprendre" button (whose payload names the journey)."""

    def name(self) -> str:
        return "action_journey_next"

    async def answer(self, dispatcher: CollectingDispatcher, tracker: Tracker) -> list[EventType]:
        named = journeys().get(str(next(tracker.get_latest_entity_values("journey"), "")))
        if named is None:
            return await super().answer(dispatcher, tracker)
        saved = saved_steps(tracker).get(named.id, walk.NOT_STARTED)
        index = max(saved, 0)
        relative = speaker_of(tracker).relative
        if saved == walk.NOT_STARTED:
            send(dispatcher, walk.eligibility(named))
        send(dispatcher, walk.step(named, index, relative))
        return progress(tracker, named, index)

    def act(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, journey: Journey, index: int
    ) -> list[EventType]:
        relative = speaker_of(tracker).relative
        if tracker.get_slot("journey_resume_pending") and index >= 0:
            send(dispatcher, walk.step(journey, index, relative))
            return progress(tracker, journey, index)
        if index + 1 >= len(journey.steps):
            send(dispatcher, walk.after_last_step(journey, relative, near_line(tracker)))
            return progress(tracker, journey, index)
        if index == walk.NOT_STARTED:  # who it is for, before the first step
            send(dispatcher, walk.eligibility(journey))
        send(dispatcher, walk.step(journey, index + 1, relative))
        return progress(tracker, journey, index + 1)


class ActionJourneyPrevious(JourneyAction):
    """The step before the one last shown (in the triage: the question before)."""

    def name(self) -> str:
        return "action_journey_previous"

    async def answer(self, dispatcher: CollectingDispatcher, tracker: Tracker) -> list[EventType]:
        if tracker.get_slot("triage_stage"):
            return previous_question(dispatcher, tracker)
        return await super().answer(dispatcher, tracker)

    def act(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, journey: Journey, index: int
    ) -> list[EventType]:
        relative = speaker_of(tracker).relative
        if index <= 0:
            send(dispatcher, walk.before_first_step(journey, relative))
            return progress(tracker, journey, 0)
        send(dispatcher, walk.step(journey, index - 1, relative))
        return progress(tracker, journey, index - 1)


class ActionJourneyDocuments(JourneyAction):
    """The papers of the current step, of the whole journey, or the usual ones."""

    without_journey = ("utter_documents",)
    follows_named_topic = True
    asks_an_aspect = True
    aspect = "documents"

    def name(self) -> str:
        return "action_journey_documents"

    async def answer(self, dispatcher: CollectingDispatcher, tracker: Tracker) -> list[EventType]:
        if await tick_papers(dispatcher, tracker):  # "j'ai l'avis d'imposition"
            return []
        return await super().answer(dispatcher, tracker)

    def act(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, journey: Journey, index: int
    ) -> list[EventType]:
        send(dispatcher, walk.documents(journey, index))
        return []


class ActionJourneyCost(JourneyAction):
    """The amounts of the journey in progress; for the APA at home, an estimate."""

    without_journey = ("utter_cost", "utter_main_menu")
    follows_named_topic = True
    asks_an_aspect = True
    aspect = "cost"

    def name(self) -> str:
        return "action_journey_cost"

    async def answer(self, dispatcher: CollectingDispatcher, tracker: Tracker) -> list[EventType]:
        if not tracker.get_slot("estimate_stage"):
            at_once = estimate_at_once(dispatcher, tracker)
            if at_once is not None:  # "il est en GIR 3 et touche 1 300 €, combien d'APA ?"
                return at_once
            asked = self._precise_question(dispatcher, tracker)
            if asked is not None:  # "et qui décide combien je touche ?"
                return asked
        return await super().answer(dispatcher, tracker)

    @staticmethod
    def _precise_question(
        dispatcher: CollectingDispatcher, tracker: Tracker
    ) -> list[EventType] | None:
        """A question of the bank asked in words during a journey ("qui décide combien je
        touche ?", "l'AJPA, c'est combien par jour ?") gets its answer, not the amounts list;
        an amount where an estimate exists keeps the amounts and the estimate's offer."""
        journey, index = current(tracker)
        text = latest_text(tracker)
        if journey is None or text.startswith("/") or not asks.asks_beyond_amount(text):
            return None
        found = surest(text, journey.intent, journey)
        if found is None:
            return None
        match, where = found
        if where.id in (ESTIMATED_JOURNEY, EHPAD_JOURNEY) and match.question.id in ESTIMATED:
            return None
        at = index if where.id == journey.id else walk.NOT_STARTED
        replies = answered(match.question, where, conversation_day(), at, text)
        send_answer(dispatcher, tracker, replies, where)
        return progress(tracker, where, at) if where.id != journey.id else []

    def act(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, journey: Journey, index: int
    ) -> list[EventType]:
        if journey.id == EHPAD_JOURNEY:
            ehpad_events = continue_ehpad_estimate(dispatcher, tracker)
            if ehpad_events is not None:
                return ehpad_events
        if journey.id == ESTIMATED_JOURNEY:
            estimate_events = continue_estimate(dispatcher, tracker)
            if estimate_events is not None:
                return estimate_events
        send(dispatcher, amounts_and_offer(journey, index, speaker_of(tracker).relative))
        return []
