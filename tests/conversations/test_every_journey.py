"""Each of the nine journeys can be reached in words and walked through the REST channel."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

import pytest

from seniorplus.journeys.today import journeys_on
from tests.conversations.conftest import FROZEN_DAY, Assistant, buttons, texts

pytestmark = pytest.mark.conversation
JOURNEYS = journeys_on(date.fromisoformat(FROZEN_DAY))  # as said on the frozen day

# (journey, how a person asks, or which button of the APA offer leads there)
ASKED = [
    ("apa_domicile", "comment obtenir l'allocation personnalisée d'autonomie à la maison", None),
    ("apa_etablissement", "c'est quoi l'APA", "L'APA en maison de retraite"),
    ("caisse_retraite", "est-ce que ma caisse de retraite peut m'aider pour le ménage", None),
    ("ehpad", "comment trouver une place en maison de retraite pour mon mari", None),
    ("amenagement_logement", "des aides pour installer un monte-escalier chez moi ?", None),
    ("carte_mobilite", "comment avoir la carte de stationnement pour handicapé", None),
    ("services_domicile", "je voudrais le portage des repas à domicile", None),
    ("droits_aidant", "je m'occupe de mon père, ai-je droit à un congé ?", None),
    ("protection_juridique", "comment faire pour mettre mon oncle sous tutelle", None),
]


def test_the_list_covers_every_journey() -> None:
    assert {journey for journey, _, _ in ASKED} == set(JOURNEYS)


@pytest.mark.parametrize(("journey_id", "message", "button"), ASKED, ids=[a[0] for a in ASKED])
def test_journey_is_reached_and_walked(
    assistant: Assistant,
    new_sender: Callable[[], str],
    journey_id: str,
    message: str,
    button: str | None,
) -> None:
    journey = JOURNEYS[journey_id]
    person = new_sender()
    offer = assistant.say(person, message)
    if "Source : " in " ".join(texts(offer)):  # the question asked answered first (issue 12)
        offer = assistant.say(person, "Tout sur cette aide")
    started = "Étape 1 sur" in " ".join(texts(offer))  # "comment faire ?": step 1 at once
    if button is None and not started:
        assert journey.overview[:40] in " ".join(texts(offer))
    if "pour vous-même ou pour un proche ?" in " ".join(texts(offer)):  # asked once, first time
        offer = assistant.say(person, "c'est pour moi")
        assert "noté" in " ".join(texts(offer))
    if button is not None:
        offer = assistant.say(person, str(buttons(offer).index(button) + 1))
        assert journey.overview[:40] in " ".join(texts(offer))
    if started:
        first = texts(offer)
    else:
        steps = buttons(offer).index("Voir les étapes") + 1
        first = texts(assistant.say(person, str(steps)))
    # Who it is for, before the steps.
    assert first[0].startswith(f"Les conditions à remplir :\n- {journey.eligibility[0]}")
    total = len(journey.steps)
    said = [" ".join(first)]
    for _ in range(1, total):
        said.append(" ".join(texts(assistant.say(person, "étape suivante"))))
    for index, (step, text) in enumerate(zip(journey.steps, said, strict=True)):
        assert f"Étape {index + 1} sur {total} : {step.title}" in text
        # Each step's pitfalls and contact come with it, and only with it.
        for pitfall in journey.step_pitfalls(step):
            assert pitfall[1:40] in text, (step.id, pitfall)
            assert not any(pitfall[1:40] in other for other in said[:index]), pitfall
        if step.contact_line:
            assert step.contact_line in text
    end = " ".join(texts(assistant.say(person, "étape suivante")))
    assert "dernière étape" in end
    for pitfall in journey.closing_pitfalls:
        assert f"À retenir : {pitfall}"[:60] in end
    assert "Près de chez vous : " in end
