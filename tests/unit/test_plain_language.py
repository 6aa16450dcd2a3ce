"""Plain language over every text the assistant sends: short sentences, acronyms explained.

Target (docs/performance.md): 15 words per sentence on average, no acronym left
unexplained where a person first meets it.
"""

from __future__ import annotations

from pathlib import Path

import yaml

from safety import lines as safety_lines
from seniorplus.journeys import load_all
from seniorplus.journeys import walkthrough as walk
from seniorplus.plain_language import report

DOMAIN = Path(__file__).resolve().parents[2] / "bot" / "domain"
JOURNEYS = load_all()
GLOSSARY = {k: v for j in JOURNEYS.values() for k, v in j.acronyms.items()}


def joined(replies: list[walk.Reply]) -> str:
    return "\n".join(r.text for r in replies)


def conversations() -> list[list[tuple[str, str]]]:
    """Each response on its own, and each journey read from overview to last step."""
    found = []
    for path in sorted(DOMAIN.glob("*.yml")):
        for name, variants in (yaml.safe_load(path.read_text()) or {}).get("responses", {}).items():
            found += [[(name, v["text"])] for v in variants if "text" in v]
    for journey in JOURNEYS.values():
        walkthrough = [(f"{journey.id}:overview", joined(walk.overview(journey, [])))]
        walkthrough += [
            (f"{journey.id}:step {i + 1}", joined(walk.step(journey, i)))
            for i in range(len(journey.steps))
        ]
        found.append(walkthrough)
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
