"""The estimates as short exchanges: APA at home (help needed, alone or as a couple,
income) and the cost of an EHPAD. Facts already heard are used, not asked again.
"""

from __future__ import annotations

from dataclasses import replace
from decimal import Decimal

from rasa_sdk import Tracker
from rasa_sdk.events import EventType, SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions.common import journeys, latest_text, send, speaker_of
from actions.facts import keep, known
from actions.journey_state import progress
from policies.questions import normalise
from seniorplus.clock import conversation_day
from seniorplus.dialogue import apa_estimate as estimate
from seniorplus.dialogue import ehpad_estimate
from seniorplus.dialogue import speaker as who
from seniorplus.dialogue.amounts import number_in, parse_monthly_amount
from seniorplus.dialogue.facts import MAX_MONTHLY, Facts, say_back
from seniorplus.dialogue.heard import Heard
from seniorplus.dialogue.speaker import Speaker
from seniorplus.journeys import Journey
from seniorplus.journeys import walkthrough as walk
from seniorplus.journeys.walkthrough import Reply

ESTIMATED_JOURNEY = "apa_domicile"
EHPAD_JOURNEY = "ehpad"  # and the cost estimate for a place in an EHPAD
SKIPPED_KEY = "facts_skipped"  # in the ``triage`` slot: facts answered "je ne sais pas"


def continue_ehpad_estimate(
    dispatcher: CollectingDispatcher, tracker: Tracker
) -> list[EventType] | None:
    """The next move of the EHPAD cost estimate, or None when it is not under way."""
    if next(tracker.get_latest_entity_values("estimate"), None) == ehpad_estimate.KIND:
        send(dispatcher, ehpad_estimate.income_question(speaker_of(tracker)))
        return [SlotSet("estimate_stage", ehpad_estimate.STAGE)]
    if tracker.get_slot("estimate_stage") != ehpad_estimate.STAGE:
        return None
    if next(tracker.get_latest_entity_values("income"), None) == "inconnu":
        income = None
    else:
        income = read_income(tracker)
        if income is None:
            send(dispatcher, ehpad_estimate.income_not_understood())
            return []
    send(dispatcher, ehpad_estimate.result(income, conversation_day()))
    return [SlotSet("estimate_stage", None)]


def read_income(tracker: Tracker) -> Decimal | None:
    """A monthly income from the message's text, else its amount entities (the model may
    take "mille deux cent" out of "mille deux cent vingt euros")."""
    text = latest_text(tracker)
    amounts = [str(v) for v in tracker.get_latest_entity_values("amount")]
    return next(
        (a for a in (parse_monthly_amount(t) for t in [text, *amounts]) if a is not None), None
    )


def estimate_at_once(dispatcher: CollectingDispatcher, tracker: Tracker) -> list[EventType] | None:
    """A question about the APA's amount with a GIR or an income in it, outside the APA
    at home: that journey is opened and the estimate starts from what was said."""
    text = normalise(latest_text(tracker))
    heard = known(tracker)
    fresh = heard.fresh
    if fresh.gir is None and fresh.need is None and fresh.income is None:
        return None
    if " apa " not in f" {text} " and "allocation" not in text and fresh.gir is None:
        return None
    if heard.facts.residence == "etablissement":
        return None  # the estimate is for the APA at home; the amounts of the journey instead
    journey = journeys()[ESTIMATED_JOURNEY]
    opened = progress(tracker, journey, -1)
    return [*opened, *ask_or_estimate(dispatcher, tracker, heard, band_of(heard), [])]


def estimate_speaker(tracker: Tracker, heard: Heard) -> Speaker:
    """Who the estimate is for: the slots, else the relative named ("mon mari est en GIR 2…")."""
    speaker = speaker_of(tracker)
    if not speaker.known and heard.facts.relationship:
        speaker = Speaker(who.RELATIVE, heard.facts.relationship)
    return speaker


def band_of(heard: Heard) -> str | None:
    """The GIR band heard ("il est en GIR 3"), when the APA can be estimated for it; else the
    band of the help said in words ("elle ne peut plus se laver seule": 3-4)."""
    gir = heard.facts.gir
    if gir is not None:
        return str(gir) if str(gir) in estimate.BANDS else None
    return estimate.band_of_need(heard.facts.need)


def skipped(tracker: Tracker) -> list[str]:
    value = (tracker.get_slot("triage") or {}).get(SKIPPED_KEY)
    return [str(v) for v in value] if isinstance(value, list) else []


def continue_estimate(dispatcher: CollectingDispatcher, tracker: Tracker) -> list[EventType] | None:
    """The next move of the APA estimate exchange, or None when it is not under way."""
    heard = known(tracker)
    band = next(tracker.get_latest_entity_values("gir_band"), None)
    if band in estimate.BANDS:
        return ask_or_estimate(dispatcher, tracker, heard, str(band))
    household = next(tracker.get_latest_entity_values("home"), None)
    if household in (estimate.ALONE, estimate.COUPLE, estimate.NOT_KNOWN):
        return answer_household(dispatcher, tracker, heard, str(household))
    if next(tracker.get_latest_entity_values("income"), None) == "inconnu":
        return give_estimate(dispatcher, tracker, heard, None)
    if next(tracker.get_latest_entity_values("estimate"), None) == "apa":
        return ask_or_estimate(dispatcher, tracker, heard, band_of(heard), [])
    stage = tracker.get_slot("estimate_stage")
    if stage == "income":
        return answer_income(dispatcher, tracker)
    if stage == "household":
        return answer_household(dispatcher, tracker, heard, None)
    return None


def waiting_question(tracker: Tracker, stage: str) -> list[Reply]:
    """The question of the estimate under way at `stage`, as it was asked (to be asked again
    after a question of the person's own); none for an unknown stage."""
    heard = known(tracker)
    speaker = estimate_speaker(tracker, heard)
    if stage == "gir":
        return estimate.gir_question(speaker)
    if stage == "household":
        return estimate.household_question(speaker)
    if stage == "income":
        return estimate.income_question(speaker, heard.facts.household == estimate.COUPLE)
    if stage == ehpad_estimate.STAGE:
        return ehpad_estimate.income_question(speaker)
    return []


def ask_or_estimate(
    dispatcher: CollectingDispatcher,
    tracker: Tracker,
    heard: Heard,
    band: str | None,
    skip: list[str] | None = None,
) -> list[EventType]:
    """The first question whose answer is not known yet; the estimate once all are."""
    skip = skipped(tracker) if skip is None else skip
    speaker = estimate_speaker(tracker, heard)
    kept = [keep(tracker, heard, {**(tracker.get_slot("triage") or {}), SKIPPED_KEY: skip})]
    if band is None:
        send(dispatcher, estimate.gir_question(speaker))
        return [*kept, SlotSet("estimate_stage", "gir")]
    events: list[EventType] = [SlotSet("gir_band", band), *kept]
    if heard.facts.household is None and "household" not in skip:
        send(dispatcher, estimate.household_question(speaker))
        return [*events, SlotSet("estimate_stage", "household")]
    if heard.facts.income is None:
        couple = heard.facts.household == estimate.COUPLE
        send(dispatcher, estimate.income_question(speaker, couple))
        return [*events, SlotSet("estimate_stage", "income")]
    return [*events, *give_estimate(dispatcher, tracker, heard, heard.facts.income, band)]


def answer_household(
    dispatcher: CollectingDispatcher, tracker: Tracker, heard: Heard, household: str | None
) -> list[EventType]:
    """Alone, as a couple, or not known (the estimate then says it counts one person)."""
    text = latest_text(tracker)
    household = household or estimate.read_household(text)
    if household is None:
        send(dispatcher, estimate.household_not_understood(speaker_of(tracker)))
        return []
    band = str(tracker.get_slot("gir_band") or "1-4")
    if household == estimate.NOT_KNOWN:
        return ask_or_estimate(dispatcher, tracker, heard, band, [*skipped(tracker), "household"])
    return ask_or_estimate(dispatcher, tracker, heard.with_answer(household=household), band)


def answer_band(
    dispatcher: CollectingDispatcher, tracker: Tracker, heard: Heard | None = None
) -> list[EventType]:
    """A typed answer to "quelle phrase décrit le mieux le besoin d'aide ?": the help in the
    person's words ("pour la toilette", "juste le ménage"), a GIR, or another fact ("seule",
    "1 200 euros"), kept and said back before the question is asked again."""
    heard = heard or known(tracker)
    text = latest_text(tracker)
    speaker = estimate_speaker(tracker, heard)
    band = band_of(heard) if heard.fresh.gir is not None else estimate.read_band(text)
    if band == estimate.LIGHT:
        send(dispatcher, estimate.light_need(speaker))
        return [keep(tracker, heard), SlotSet("estimate_stage", None)]
    if band is not None:
        return ask_or_estimate(dispatcher, tracker, heard, band)
    fresh = heard.fresh
    household = estimate.read_household(text) if len(text.split()) <= 4 else None
    if fresh.household is None and household in (estimate.ALONE, estimate.COUPLE):
        fresh = replace(fresh, household=household)  # "seule", "avec mon mari"
        heard = heard.with_answer(household=household)
    fresh = replace(fresh, relationship=None)
    kept = say_back(fresh, speaker.relative) if fresh != Facts() else None
    send(dispatcher, estimate.band_not_understood(speaker, kept))
    return [keep(tracker, heard)]


def band_pending(dispatcher: CollectingDispatcher, tracker: Tracker) -> list[EventType] | None:
    """ "Elle a besoin d'aide pour la toilette", "il est en GIR 3": the answer to the help
    question of the estimate, whatever the intent the model saw (a short message only)."""
    text = latest_text(tracker)
    if tracker.get_slot("estimate_stage") != "gir" or len(text.split()) > 12:
        return None
    heard = known(tracker)
    if estimate.read_band(text) is None and heard.fresh.gir is None:
        return None
    return answer_band(dispatcher, tracker, heard)


def household_pending(dispatcher: CollectingDispatcher, tracker: Tracker) -> list[EventType] | None:
    """ "Elle vit seule", "avec mon mari": the answer to "seul ou en couple ?" whatever the
    intent the model saw (a short message only); None when it is not one."""
    text = latest_text(tracker)
    if tracker.get_slot("estimate_stage") != "household" or len(text.split()) > 8:
        return None
    if estimate.read_household(text) is None:
        return None
    return answer_household(dispatcher, tracker, known(tracker), None)


def answer_income(dispatcher: CollectingDispatcher, tracker: Tracker) -> list[EventType]:
    """The person gave (or tried to give) an income: the estimate, or the question again."""
    heard = known(tracker)
    text = latest_text(tracker)
    income = read_income(tracker)
    said = number_in(text)
    if income is None and said is not None and said > MAX_MONTHLY:
        income = said  # "500 000 euros": understood, and refused below
    if income is None:
        send(dispatcher, estimate.income_not_understood())
        return []
    if income > MAX_MONTHLY:
        send(dispatcher, estimate.income_impossible(income))
        return []
    yearly = income_said_yearly(text)
    heard = heard.with_answer(income=income, income_yearly=yearly)
    return [keep(tracker, heard), *give_estimate(dispatcher, tracker, heard, income)]


def income_said_yearly(text: str) -> bool:
    return any(w in normalise(text) for w in ("par an", "l an", "annuel", "par annee"))


def give_estimate(
    dispatcher: CollectingDispatcher,
    tracker: Tracker,
    heard: Heard,
    income: Decimal | None,
    band: str | None = None,
) -> list[EventType]:
    band = band or str(tracker.get_slot("gir_band") or "1-4")
    today = conversation_day()
    household = heard.facts.household
    relative = speaker_of(tracker).relative
    said = None
    if income is not None:
        said = estimate.situation(income, heard.facts.income_yearly, household, relative)
    couple = household == estimate.COUPLE
    year = estimate.estimate_year(today)
    send(dispatcher, estimate.result(band, income, year, today, couple, said, relative))
    return [SlotSet("estimate_stage", None)]


def amounts_and_offer(journey: Journey, index: int, relative: str | None) -> list[Reply]:
    """The journey's amounts of the day, then, for the APA at home or an EHPAD, the offer of
    an estimate for this person."""
    replies = walk.amounts(journey, index)
    start = {ESTIMATED_JOURNEY: estimate.START_PAYLOAD, EHPAD_JOURNEY: ehpad_estimate.START_PAYLOAD}
    if journey.id in start:
        replies.append(estimate.estimate_offer(start[journey.id], relative))
    return replies
