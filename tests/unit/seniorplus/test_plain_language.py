"""Plain language over every text the assistant sends: short sentences, acronyms explained.

Target (docs/performance.md): 15 words per sentence on average, no acronym left
unexplained where a person first meets it.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from pathlib import Path

import yaml

from safety import lines as safety_lines
from seniorplus.dialogue import apa_estimate, ehpad_estimate, triage_questions
from seniorplus.dialogue.speaker import Speaker
from seniorplus.journeys import walkthrough as walk
from seniorplus.journeys.today import journeys_on
from seniorplus.plain_language import report
from seniorplus.questions import load_bank
from seniorplus.questions.answers import answered

DOMAIN = Path(__file__).resolve().parents[3] / "bot" / "domain"
DAYS = (date(2026, 12, 5), date(2027, 1, 5))  # before and after the dated texts switch
JOURNEYS = journeys_on(DAYS[0])
GLOSSARY = {k: v for j in JOURNEYS.values() for k, v in j.acronyms.items()}


def joined(replies: list[walk.Reply]) -> str:
    return "\n".join(r.text for r in replies)


def conversations() -> list[list[tuple[str, str]]]:
    """Each response on its own, and each journey read from overview to last step."""
    found = []
    for path in sorted(DOMAIN.glob("*.yml")):
        for name, variants in (yaml.safe_load(path.read_text()) or {}).get("responses", {}).items():
            found += [[(name, v["text"])] for v in variants if "text" in v]
    for day in DAYS:
        for journey in journeys_on(day).values():
            walkthrough = [(f"{journey.id}:overview", joined(walk.overview(journey, [])))]
            walkthrough.append((f"{journey.id}:eligibility", joined(walk.eligibility(journey))))
            walkthrough += [
                (f"{journey.id}:step {i + 1}", joined(walk.step(journey, i)))
                for i in range(len(journey.steps))
            ]
            walkthrough.append((f"{journey.id}:end", joined(walk.after_last_step(journey))))
            walkthrough.append((f"{journey.id}:amounts", joined(walk.amounts(journey))))
            found.append(walkthrough)
        for income in (None, Decimal(800), Decimal(1400)):
            found.append([("ehpad estimate", joined(ehpad_estimate.result(income, day)))])
    found.append([("apa notice", joined(apa_estimate.stale_notice(2026, DAYS[1])))])
    for speaker in (Speaker("self"), Speaker("relative", "mère"), Speaker("relative")):
        found.append([("apa household", joined(apa_estimate.household_question(speaker)))])
    for stage in ("age", "home", "need", "for_whom"):
        again = triage_questions.ask_again_plainly(stage, False, "votre père", "Clisson")
        found.append([(f"triage again {stage}", joined(again))])
    found.append([("triage impossible", joined(triage_questions.impossible("age", "150")))])
    for question in load_bank():
        journey = journeys_on(DAYS[0])[question.journey]
        answer = answered(question, journey, DAYS[0])[0]  # the source line is a citation
        found.append([(f"bank {question.id}", answer.text)])
    found += [[("safety", text)] for text in safety_lines.every_text()]
    return found


def test_sentences_are_short_on_average() -> None:
    result = report(conversations(), GLOSSARY)
    print(f"\n{result.sentences} phrases, {result.average_words:.1f} mots en moyenne")
    assert result.sentences > 300
    assert result.average_words <= 15


def test_no_acronym_is_left_unexplained() -> None:
    assert report(conversations(), GLOSSARY).unexplained == []


def test_the_check_finds_an_unexplained_acronym() -> None:
    texts = [[("a", "Demandez l'ARDH tout de suite.")], [("b", "Le CCAS (à la mairie) aide.")]]
    assert report(texts, {}).unexplained == [("a", "ARDH")]
    glossary = {"ARDH": "l'aide au retour à domicile après hospitalisation"}
    explained = [[("a", "Demandez l'aide au retour à domicile après hospitalisation (ARDH).")]]
    assert report(explained, glossary).unexplained == []
