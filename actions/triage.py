"""Triage action: a described situation leads, in a few questions, to a plan.

Answers are kept in the `triage` slot (a dict, with the facts heard: actions/facts.py)
and the question waiting for an answer in `triage_stage`; choice answers come back
as entities of `report_autonomy_loss` from the buttons, or are typed ("chez elle").
A fact given in any message answers its question in advance, and a later message
corrects it ("non, elle a 87 ans, pas 78"); another fact than the one asked (the town
for "où vit-elle ?") is kept and the question asked again in other words.
"""

from __future__ import annotations

from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.events import EventType, SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions.common import current, journeys, latest_text, send, speaker_of
from actions.estimates import amounts_and_offer, band_pending, household_pending, waiting_question
from actions.facts import known
from actions.journey_state import journey_named, progress, saved_steps, start_steps
from actions.questions import question_aside
from seniorplus.clock import conversation_day
from seniorplus.dialogue import asks, pending
from seniorplus.dialogue import speaker as who
from seniorplus.dialogue import triage_questions as triage
from seniorplus.dialogue.amounts import number_in
from seniorplus.dialogue.facts import gone_relatives, read_facts, say_back
from seniorplus.dialogue.heard import Heard, person_texts
from seniorplus.dialogue.speaker import Speaker
from seniorplus.dialogue.triage import Need, parse_age, parse_postcode
from seniorplus.journeys import Journey
from seniorplus.journeys import walkthrough as walk
from seniorplus.journeys.walkthrough import NOT_STARTED, Reply
from seniorplus.places import locate, named_in, postcode_in
from seniorplus.questions.answers import answered, answered_in_passing, bank_index

Domain = dict[str, Any]
CHOICE_ENTITIES = ("for_whom", "home", "need", "skip")
ASKED = "asked"  # in the triage's answers: the aspect asked before the aid was found
# A town named with a topic ("et l'APA à Nantes ?") opens the topic; alone, it is kept.
TOPIC_INTENTS = frozenset({"ask_apa", "ask_retirement_fund_help", "ask_nursing_home",
                           "ask_home_adaptation", "ask_caregiver_support", "ask_legal_protection",
                           "ask_mobility_card", "ask_home_services"})  # fmt: skip


def ask_next(
    dispatcher: CollectingDispatcher,
    tracker: Tracker,
    answers: dict[str, Any],
    speaker: Speaker | None = None,
    heard: Heard | None = None,
    fill: bool = True,
    again: str | None = None,
) -> list[EventType]:
    """The next question, or the plan once every question has an answer.

    Facts heard answer their questions: old ones only where nothing was answered,
    those of the newest messages over the answers (a correction wins). The question of
    stage `again`, still without an answer, is asked again in short (a question of the
    person's own was answered in between).
    """
    heard = heard or known(tracker)
    speaker = speaker or speaker_of(tracker)
    fresh = {k: v for k, v in triage.from_facts(heard.fresh).items() if k != "for_whom"}
    corrected = {k: v for k, v in fresh.items() if k in answers and answers[k] != v}
    older = triage.from_facts(heard.facts) if fill else {}  # not when going back a question
    answers = {**older, **answers, **fresh}
    if corrected.get("age"):
        send(dispatcher, triage.corrected_age(corrected["age"]))
    stage = triage.next_stage(answers)
    if stage is None:
        send(dispatcher, triage.plan(answers, journeys()))
        first = journeys().get(triage.first_advised(answers) or "")
        promised = answers.pop(ASKED, None)  # the amounts or the papers asked before
        if promised == "cost" and first is not None:
            send(dispatcher, amounts_and_offer(first, NOT_STARTED, speaker.relative))
        elif promised == "documents" and first is not None:
            send(dispatcher, walk.documents(first, NOT_STARTED))
    else:
        for_self = answers.get("for_whom") == who.SELF
        asked = triage.question(stage, for_self, speaker.relative)
        send(dispatcher, [pending.asked_again(q) for q in asked] if stage == again else asked)
    return [SlotSet("triage", heard.stored_in(answers)), SlotSet("triage_stage", stage)]


def answer_in_story(dispatcher: CollectingDispatcher, tracker: Tracker) -> None:
    """An account that ends with a question about an aid it names: that answer first (the
    question bank, when sure), then the questions of the triage."""
    text = latest_text(tracker)
    journey = journey_named(text, tracker)
    if journey is None:
        return
    match = bank_index().best(text, journey.intent, journey.id)
    if match is not None:
        send(dispatcher, answered_in_passing(match.question, journey, conversation_day(), text))


def known_place(tracker: Tracker) -> dict[str, str]:
    """The commune or postcode already given: the latest message's (:func:`place_given`),
    else the slots filled from earlier messages' entities."""
    given = place_given(tracker)
    commune = given.get("commune") or tracker.get_slot("commune")
    kept = tracker.get_slot("postcode")  # filled from the latest entity too, when there is one
    postcode = parse_postcode(str(kept)) if kept else given.get("postcode")
    place = {"postcode": postcode} if postcode else {}
    return {**place, "commune": str(commune)} if commune else place


def place_given(tracker: Tracker) -> dict[str, str]:
    """The commune or postcode the latest message gives ("à Clisson", "44190"), not one given
    earlier: that one is already kept, and saying it back again would repeat the question."""
    commune = next(tracker.get_latest_entity_values("commune"), None) or commune_in(tracker)
    postcode = next(tracker.get_latest_entity_values("postcode"), None)
    postcode = postcode or postcode_in(latest_text(tracker))
    postcode = parse_postcode(str(postcode)) if postcode else None
    place = {"postcode": postcode} if postcode else {}
    return {**place, "commune": str(commune)} if commune else place


def commune_in(tracker: Tracker) -> str | None:
    """A commune of the table the latest message names, when the model saw no entity
    ("elle vit seule à St Nazaire depuis…", or the name alone: "clisson")."""
    text = latest_text(tracker)
    place = named_in(text) or (locate(text) if len(text.split()) <= 6 else None)
    return place.name if place else None


def place_kept(tracker: Tracker, place: dict[str, str]) -> list[EventType]:
    """The ``commune`` slot, for a commune read in the words rather than by the model (the
    booking and the nearest France services look for it there)."""
    commune = place.get("commune")
    return [SlotSet("commune", commune)] if commune and not tracker.get_slot("commune") else []


def said_place(place: dict[str, str]) -> str:
    """The place as it is written ("st nazaire" → "Saint-Nazaire"), else as it was typed."""
    commune = place.get("commune")
    found = locate(commune) if commune else None
    return found.name if found else commune or place.get("postcode") or ""


def heard_line(heard: Heard, speaker: Speaker, place: dict[str, str]) -> list[Reply]:
    """ "J'ai noté : votre mère, 87 ans, seule, à domicile, Clisson." when facts were given."""
    where = said_place(place)
    if not say_back(heard.facts) and not where:
        return []
    said = say_back(heard.facts, speaker.relative)
    return triage.noted([said, where or ""])


def remember(speaker: Speaker) -> list[EventType]:
    return [
        SlotSet("for_whom", speaker.for_whom),
        SlotSet("relationship", speaker.relationship),
        SlotSet("speaker_asked", True),
    ]


class ActionTriage(Action):
    """A new situation starts the questions; a choice button answers the current one."""

    def name(self) -> str:
        return "action_triage"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: Domain
    ) -> list[EventType]:
        chosen = {
            e["entity"]: e["value"]
            for e in tracker.latest_message.get("entities") or []
            if e.get("entity") in CHOICE_ENTITIES
        }
        speaker = speaker_of(tracker)
        if not chosen:
            aside = answer_aside(dispatcher, tracker)  # "… et qui décide du montant ?"
            if aside is not None:
                return aside
            corrected = correct_speaker(dispatcher, tracker)
            if corrected is not None:
                return corrected
        waited = answer_waiting(dispatcher, tracker) if not chosen else None
        if waited is not None:  # "elle a besoin d'aide pour la toilette", "elle vit seule"
            return waited
        if not chosen:  # a new situation: the questions start, the facts given answer some
            return new_situation(dispatcher, tracker)
        answers = dict(tracker.get_slot("triage") or {})
        if "skip" in chosen:
            answers[str(chosen.pop("skip"))] = triage.SKIPPED
        answers.update(chosen)
        events: list[EventType] = []
        if chosen.get("for_whom") in (who.SELF, who.RELATIVE):
            speaker = Speaker.from_slots(chosen["for_whom"], tracker.get_slot("relationship"))
            events = remember(speaker)
        return [*events, *ask_next(dispatcher, tracker, answers, speaker)]


def situation_speaker(tracker: Tracker, heard: Heard) -> Speaker:
    """Who a new situation is about: the relative named (not one said to be gone), or the
    senior telling their own life, or who the conversation already knows."""
    speaker = speaker_of(tracker)
    named = next(tracker.get_latest_entity_values("relationship"), None)
    text = latest_text(tracker)
    if named in gone_relatives(text):
        named = None  # "je vis seule depuis que mon mari est parti": the widow herself
        if tracker.get_slot("for_whom") is None:  # the slot took the name: not a relative
            speaker = Speaker()
    relationship = named or heard.facts.relationship
    if relationship:  # "ma mère ne s'en sort plus"
        return Speaker(who.RELATIVE, str(relationship))
    if not speaker.known and who.tells_own_life(person_texts(tracker.events, text)):
        return Speaker(who.SELF)  # "j'ai 86 ans, je vis seule…": for herself
    return speaker


def new_situation(
    dispatcher: CollectingDispatcher, tracker: Tracker, aspect: str | None = None
) -> list[EventType]:
    """A situation told: a kind word, the answer to what it asks when sure, the facts heard
    said back, then the triage's questions those facts do not answer. `aspect`: the amounts
    or the papers asked before any aid is found, said to come once it is."""
    heard, text = known(tracker), latest_text(tracker)
    speaker = situation_speaker(tracker, heard)
    dispatcher.utter_message(response="utter_autonomy_loss")
    applying = journey_named(text, tracker) if asks.asks_how_to_apply(text) else None
    if applying is not None:  # "… comment on fait la demande d'APA ?": step 1
        return steps_after_story(dispatcher, tracker, applying, speaker, heard)
    if aspect is not None:  # said to come once the aid is found, and kept till then
        send(dispatcher, triage.aspect_later(aspect))
    else:
        answer_in_story(dispatcher, tracker)  # "… est-ce que c'est récupérable ?"
    place = known_place(tracker)
    send(dispatcher, heard_line(heard, speaker, place))
    fresh: dict[str, Any] = {"for_whom": speaker.for_whom} if speaker.known else {}
    fresh.update(place)
    if aspect is not None:
        fresh[ASKED] = aspect
    kept = remember(speaker) if speaker.known else []
    kept += place_kept(tracker, place)
    return [*kept, *ask_next(dispatcher, tracker, fresh, speaker, heard)]


def steps_after_story(
    dispatcher: CollectingDispatcher,
    tracker: Tracker,
    journey: Journey,
    speaker: Speaker,
    heard: Heard,
) -> list[EventType]:
    """A story that ends asking how to apply for an aid it names: the facts heard said back
    and kept, then step 1 of that journey, instead of the triage's questions."""
    place = known_place(tracker)
    send(dispatcher, heard_line(heard, speaker, place))
    kept = [*(remember(speaker) if speaker.known else []), *place_kept(tracker, place)]
    answers = {**triage.from_facts(heard.facts), **place}
    if speaker.known:
        answers["for_whom"] = speaker.for_whom
    stored = SlotSet("triage", heard.stored_in(answers))
    return [*kept, stored, *start_steps(dispatcher, tracker, journey, speaker)]


def correct_speaker(dispatcher: CollectingDispatcher, tracker: Tracker) -> list[EventType] | None:
    """ "Non, c'est pour ma mère" during the questions: the same questions, for her.

    None when no triage is under way or the message names nobody; whatever intent
    the model saw ("pardon" reads like a request to repeat), a named person wins.
    """
    if not tracker.get_slot("triage_stage"):
        return None
    text = latest_text(tracker)
    changed = who.from_reply(text, tracker.latest_message.get("entities") or [])
    if changed is None:
        return None
    answers = {**(tracker.get_slot("triage") or {}), "for_whom": changed.for_whom}
    send(dispatcher, [Reply(who.acknowledgement(changed))])
    return [*remember(changed), *ask_next(dispatcher, tracker, answers, changed)]


def answers_pending(tracker: Tracker) -> bool:
    """True when a short message, whatever the intent the model saw, answers the question
    waiting ("chez elle", "je sais pas", "87 ans")."""
    stage = str(tracker.get_slot("triage_stage") or "")
    text = latest_text(tracker)
    intent = (tracker.latest_message.get("intent") or {}).get("name")
    if not stage or len(text.split()) > 12:
        return False
    # Another question's answer counts too ("un coup de main parfois" while asked who it is
    # for), unless the message asks about a topic ("je voudrais savoir pour l'EHPAD").
    return bool(
        triage.dont_know(text)
        or triage.read_choice(stage, text)
        or other_choices(stage, text, intent)
        or (intent not in TOPIC_INTENTS and place_given(tracker).get("commune"))
        or {k for k in triage.from_facts(read_facts(text)) if k != "for_whom"}  # "non, 87 ans"
        or (stage == "age" and parse_age(text))
        or (stage == "postcode" and parse_postcode(text))
    )


def other_choices(stage: str, text: str, intent: str | None) -> dict[str, str]:
    """Answers a short message gives to the triage's other choice questions (where the person
    lives, the help needed) while the question of `stage` waits; none when the message asks
    about a topic in words ("je voudrais savoir pour la maison de retraite"). A model that
    reads a topic in an answer that names none ("juste un coup de main de temps en temps",
    read as the services at home) does not stop it."""
    if intent in TOPIC_INTENTS and (asks.named_topic(text) or asks.asks_outright(text)):
        return {}
    found = {other: triage.read_choice(other, text) for other in ("home", "need") if other != stage}
    return {other: value for other, value in found.items() if value}


def answer_triage(dispatcher: CollectingDispatcher, tracker: Tracker) -> list[EventType]:
    """A typed answer: next question, or the same one again, kindly, keeping any fact given."""
    stage = str(tracker.get_slot("triage_stage"))
    text = latest_text(tracker)
    answers = dict(tracker.get_slot("triage") or {})
    changed = who.from_reply(text, tracker.latest_message.get("entities") or [])
    value = typed_answer(stage, text)
    heard = known(tracker)
    events: list[EventType] = []
    if changed is not None:  # "c'est pour mon père, en fait": the questions follow
        answers["for_whom"] = changed.for_whom
        events = remember(changed)
        if value is None:
            send(dispatcher, [Reply(who.acknowledgement(changed))])
    if value is not None:
        answers[stage] = value
        return [*events, *ask_next(dispatcher, tracker, answers, changed, heard)]
    if changed is not None:
        return [*events, *ask_next(dispatcher, tracker, answers, changed, heard)]
    place = place_given(tracker)
    if stage == "postcode" and place.get("commune"):  # "Clisson", "elle vit à Rezé"
        answers.update(place)
        events += place_kept(tracker, place)
        return [*events, *ask_next(dispatcher, tracker, answers, changed, heard)]
    if stage == "postcode":
        place = {}
    facts = {k: v for k, v in triage.from_facts(heard.fresh).items() if k != "for_whom"}
    others = other_choices(stage, text, (tracker.latest_message.get("intent") or {}).get("name"))
    facts.update(others)
    verb = "corrigé" if any(answers.get(k, v) != v for k, v in facts.items()) else "noté"
    if facts and stage not in facts:  # another fact than the one asked: kept, asked again
        answers.update(facts)
    if place or (facts and stage not in facts):
        answers.update(place)
        events += place_kept(tracker, place)
        said = text.strip().rstrip(".!") if others else say_back(heard.fresh)  # their words
        kept = said_place(place) or said
        speaker = speaker_of(tracker)
        for_self = answers.get("for_whom") == who.SELF
        again = triage.ask_again_plainly(stage, for_self, speaker.relative, kept, verb)
        send(dispatcher, again)
        return [*events, SlotSet("triage", heard.stored_in(answers))]
    if facts:  # the fact asked, said in a sentence ("elle a eu 87 ans en mars")
        return ask_next(dispatcher, tracker, answers, None, heard)
    number = number_in(text)
    if stage == "age" and number is not None:
        send(dispatcher, triage.impossible(stage, str(number)))
        return []
    speaker = speaker_of(tracker)
    for_self = answers.get("for_whom") == who.SELF
    send(dispatcher, triage.not_understood(stage, for_self, speaker.relative))
    return []


def answer_aside(dispatcher: CollectingDispatcher, tracker: Tracker) -> list[EventType] | None:
    """A question of the person's own while a question of the assistant waits, whatever the
    intent the model saw ("et qui décide combien je touche ?" after "c'est pour vous-même ou
    pour un proche ?", or during the triage's or an estimate's questions): the bank's answer
    and its source, then the question waiting. What the conversation tells answers it ("j'ai
    84 ans … je touche": for herself; "elle a 87 ans": the age); else it is asked again, in
    short. None when the message answers the question waiting, or asks nothing the bank
    surely answers (the action goes on as before)."""
    aside = question_aside(tracker)
    if aside is None:
        return None
    text = latest_text(tracker)
    day = conversation_day()
    saved = saved_steps(tracker).get(aside.journey.id, NOT_STARTED)
    in_progress, _ = current(tracker)
    moved = in_progress is None or in_progress.id != aside.journey.id  # the aid now talked about
    opened = progress(tracker, aside.journey, saved) if moved else []
    kind, stage = aside.waiting.kind, aside.waiting.stage
    if kind == pending.SPEAKER and aside.speaker is not None:  # told by the question itself
        send(dispatcher, answered(aside.question, aside.journey, day, saved, text))
        return [*opened, *remember(aside.speaker)]
    send(dispatcher, answered_in_passing(aside.question, aside.journey, day, text))
    if kind == pending.SPEAKER:
        send(dispatcher, [pending.asked_again(who.question())])
        return opened
    if kind == pending.TRIAGE:
        answers = dict(tracker.get_slot("triage") or {})
        speaker, kept = None, []
        if aside.speaker is not None and "for_whom" not in answers:
            speaker, kept = aside.speaker, remember(aside.speaker)
            answers["for_whom"] = speaker.for_whom
        return [*opened, *kept, *ask_next(dispatcher, tracker, answers, speaker, again=stage)]
    send(dispatcher, [pending.asked_again(q) for q in waiting_question(tracker, str(stage))])
    return opened


def answer_pending(dispatcher: CollectingDispatcher, tracker: Tracker) -> list[EventType] | None:
    """A question of the person's own asked aside (:func:`answer_aside`), or the answer to
    the triage or estimate question waiting, when a short message gives it, whatever the
    intent the model saw; None otherwise."""
    aside = answer_aside(dispatcher, tracker)
    return aside if aside is not None else answer_waiting(dispatcher, tracker)


def answer_waiting(dispatcher: CollectingDispatcher, tracker: Tracker) -> list[EventType] | None:
    """The answer to the triage or estimate question waiting, when a short message gives
    it, whatever the intent the model saw; None otherwise."""
    if tracker.get_slot("triage_stage") and answers_pending(tracker):
        return answer_triage(dispatcher, tracker)
    band = band_pending(dispatcher, tracker)
    return band if band is not None else household_pending(dispatcher, tracker)


def typed_answer(stage: str, text: str) -> Any:
    """The answer a typed message gives to the question of `stage`, or None."""
    if triage.dont_know(text):
        return Need.UNKNOWN.value if stage == "need" else triage.SKIPPED
    if stage == "age":
        return parse_age(text)
    if stage == "postcode":
        return parse_postcode(text)
    return triage.read_choice(stage, text)


def previous_question(dispatcher: CollectingDispatcher, tracker: Tracker) -> list[EventType]:
    """ "Je me suis trompé", "revenir en arrière": the question before, asked again."""
    answers = dict(tracker.get_slot("triage") or {})
    stage = tracker.get_slot("triage_stage")
    asked = triage.STAGES[: triage.STAGES.index(stage)] if stage in triage.STAGES else ()
    before = [s for s in asked if s in answers]
    if not before:
        send(dispatcher, [Reply(triage.FIRST_QUESTION)])
        return ask_next(dispatcher, tracker, answers)
    answers.pop(before[-1])
    return ask_next(dispatcher, tracker, answers, fill=False)
