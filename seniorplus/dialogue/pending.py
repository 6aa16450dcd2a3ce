"""The question the assistant waits an answer to, and a message that asks its own (pure).

While the assistant waits ("c'est pour vous-même ou pour un proche ?", the triage's "où vit
votre mère ?", the estimate's "vivez-vous seul ou en couple ?"), the person may ask a
question instead ("et qui décide combien je touche ?"). That question gets its answer (the
question bank, in the actions), and the question waiting is not lost: what the message
says answers it, or it is asked again, briefly (:func:`asked_again`). An answer to the
question waiting ("pour ma mère", "moi", "à domicile", "seule", "1 200 euros") stays an
answer (:func:`answers_waiting`).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from policies.questions import normalise
from seniorplus.dialogue import apa_estimate
from seniorplus.dialogue import speaker as who
from seniorplus.dialogue import triage_questions as triage
from seniorplus.dialogue.amounts import parse_monthly_amount
from seniorplus.dialogue.asks import asks_outright
from seniorplus.dialogue.facts import Facts, read_facts
from seniorplus.dialogue.triage import parse_age, parse_postcode
from seniorplus.journeys.walkthrough import Reply
from seniorplus.places import locate, named_in

SPEAKER, TRIAGE, ESTIMATE = "speaker", "triage", "estimate"
AGAIN = "Pour reprendre ma question : "
# Entities of the model (or of a button's payload) that answer an estimate's question.
_ESTIMATE_ENTITIES = {"gir": ("gir_band",), "household": ("home",)}
_INCOME_ENTITIES = ("income", "amount")
# Entities of the model that are facts of the person's situation, whatever the question.
FACT_ENTITIES = frozenset({"age", "postcode", "commune", "relationship", "amount"})
# A message that gives an answer or a fact must ask in words, and say more than a few of
# them, to be a question of its own; else a question mark and a few words are enough.
ANSWER_AND_QUESTION_WORDS, QUESTION_WORDS = 6, 4


@dataclass(frozen=True)
class Waiting:
    """What the assistant asked and waits an answer to: who the help is for (`SPEAKER`), a
    question of the triage (`TRIAGE`, its stage) or of an estimate (`ESTIMATE`, its stage)."""

    kind: str
    stage: str | None = None


def waiting(
    triage_stage: Any,
    estimate_stage: Any,
    speaker_known: bool,
    offered: Sequence[Mapping[str, Any]],
    offered_text: str = "",
) -> Waiting | None:
    """The question waiting, from the slots that keep the triage's and the estimates' and
    from the choices just offered (the who-is-it-for question has no slot of its own).

    The who-is-it-for question already asked again (:func:`asked_again`) and left aside a
    second time waits no more: it is not asked a third time.
    """
    if triage_stage:
        return Waiting(TRIAGE, str(triage_stage))
    if estimate_stage:
        return Waiting(ESTIMATE, str(estimate_stage))
    if speaker_known or offered_text.startswith(AGAIN):
        return None
    return Waiting(SPEAKER) if who.is_speaker_question([dict(b) for b in offered]) else None


def answers_waiting(waiting: Waiting, text: str, entities: Sequence[Mapping[str, Any]]) -> bool:
    """Whether the message gives the answer waited for ("pour ma mère", "moi", "à domicile",
    "87 ans", "seule", "1 200 euros"), whether it also asks something or not."""
    named = {str(e.get("entity")) for e in entities if e.get("value")}
    facts = read_facts(text)
    stage = waiting.stage or ""
    if waiting.kind == SPEAKER or stage == "for_whom":
        return who.from_reply(text, [dict(e) for e in entities]) is not None
    if waiting.kind == TRIAGE:
        if triage.dont_know(text) or triage.read_choice(stage, text):
            return True
        if stage == "age":
            return parse_age(text) is not None
        if stage == "postcode":
            # "Clisson", "elle vit à Rezé"; not a long message (it may tell of a danger)
            named_place = locate(text) or (len(text.split()) <= 6 and named_in(text))
            return parse_postcode(text) is not None or "commune" in named or bool(named_place)
        return stage in triage.from_facts(facts)
    if stage in _ESTIMATE_ENTITIES:
        if named & set(_ESTIMATE_ENTITIES[stage]):
            return True
        if stage == "gir":  # "GIR 3", "elle ne peut plus se laver seule"
            return facts.gir is not None or facts.need is not None
        return apa_estimate.read_household(text) is not None
    return bool(
        named & set(_INCOME_ENTITIES)
        or facts.income is not None
        or parse_monthly_amount(text) is not None
    )


def answers_or_tells(waiting: Waiting, text: str, entities: Sequence[Mapping[str, Any]]) -> bool:
    """The message answers the question waiting, or tells a fact while it waits ("il vit seul
    oui" to the estimate's question, "il vit à Clisson" to "Où vit votre père ?")."""
    return (
        answers_waiting(waiting, text, entities)
        or read_facts(text) != Facts()
        or any(e.get("entity") in FACT_ENTITIES and e.get("value") for e in entities)
    )


def asks_aside(waiting: Waiting, text: str, entities: Sequence[Mapping[str, Any]]) -> bool:
    """Whether the message asks a question of its own instead of (only) answering the one
    waiting: "et qui décide combien je touche ?" does; "pour ma mère", "moi", "à domicile ?",
    "elle a 87 ans ?" answer; "elle a 87 ans, est-ce que l'APA est reprise sur l'héritage ?"
    does both (its question is answered, its fact kept).

    During an estimate, a message that gives its figures ("seule, ça ferait combien ?") is
    the estimate's: the estimate is the answer to its "combien".
    """
    if not text.strip() or text.startswith("/"):
        return False
    answered = answers_waiting(waiting, text, entities)
    told = read_facts(text) != Facts()
    if waiting.kind == ESTIMATE and (answered or told):
        return False
    words = len(normalise(text).split())
    if answered or told:
        return asks_outright(text) and words >= ANSWER_AND_QUESTION_WORDS
    return asks_outright(text) or ("?" in text and words >= QUESTION_WORDS)


def asked_again(question: Reply) -> Reply:
    """The question waiting, asked again in short after the answer to another question:
    "Pour reprendre ma question : c'est pour vous-même ou pour un proche ?", its choices kept.

    Only its sentence that asks is kept, without what leads to it ("Pour bien vous guider :",
    "Dernière question :") or the help after it ("Écrivez par exemple : 1200 euros.").
    """
    text = question.text
    end = text.find("?")
    if end >= 0:
        start = max(text.rfind(". ", 0, end), text.rfind(" : ", 0, end))
        if start >= 0:
            start += 3 if text[start : start + 3] == " : " else 2
        text = text[max(start, 0) : end + 1]
    if len(text) > 1 and not text[1].isupper():  # "Quel âge…" → "quel âge…", not "APA…"
        text = text[0].lower() + text[1:]
    return Reply(f"{AGAIN}{text}", question.buttons)
