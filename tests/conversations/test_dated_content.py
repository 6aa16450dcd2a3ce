"""Figures and dated texts follow the conversation's day (frozen clock of the action server).

On 31 December 2026 the APA amounts are 2026's and current; on 1 January 2027, with no
2027 value recorded, the same amounts are said with their year and where to check, the
estimate warns that its scale is last year's, and the CMI texts say the old cards ended.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator

import pytest

from tests.conversations.conftest import FROZEN_DAY, Assistant, buttons, texts

pytestmark = pytest.mark.conversation


@pytest.fixture
def day(assistant: Assistant) -> Iterator[Callable[[str], None]]:
    yield assistant.set_day
    assistant.set_day(FROZEN_DAY)


def amounts_said(assistant: Assistant, person: str) -> str:
    offer = assistant.say(
        person, "comment obtenir l'allocation personnalisée d'autonomie à la maison"
    )
    if "pour vous-même ou pour un proche ?" in " ".join(texts(offer)):
        offer = assistant.say(person, "c'est pour moi")
    return " ".join(texts(assistant.say(person, str(buttons(offer).index("Combien ?") + 1))))


def test_apa_amounts_switch_on_the_first_of_january(
    assistant: Assistant, new_sender: Callable[[], str], day: Callable[[str], None]
) -> None:
    day("2026-12-31")
    before = amounts_said(assistant, new_sender())
    assert "Plan d'aide maximal en GIR 1 : 2 080,33 euros par mois (2026)." in before
    assert "à vérifier" not in before.split("GIR 1")[1].split("\n")[0]

    day("2027-01-01")
    after = amounts_said(assistant, new_sender())
    assert (
        "Plan d'aide maximal en GIR 1 : 2 080,33 euros par mois en 2026. Montant 2026, "
        "revalorisé chaque année au 1er janvier : à vérifier sur loire-atlantique.fr/apa."
    ) in after
    assert "(2026)." not in after.split("GIR 1")[1].split("\n")[0]


def test_the_estimate_warns_when_its_scale_is_last_years(
    assistant: Assistant, new_sender: Callable[[], str], day: Callable[[str], None]
) -> None:
    day("2027-01-02")
    person = new_sender()
    amounts_said(assistant, person)
    assistant.say(person, '/ask_cost{"estimate": "apa"}')
    assistant.say(person, '/ask_cost{"gir_band": "3-4"}')
    assistant.say(person, '/ask_cost{"home": "seul"}')
    result = " ".join(texts(assistant.say(person, "1200 euros")))
    assert "le barème 2027 de l'allocation personnalisée d'autonomie" in result
    assert "Avec 1 200 euros par mois, seul" in result
    assert "selon notre estimation pour 2026" in result


def test_cmi_texts_switch_with_the_day(
    assistant: Assistant, new_sender: Callable[[], str], day: Callable[[str], None]
) -> None:
    for today, expected in (
        ("2026-12-31", "au plus tard le 31 décembre 2026"),
        ("2027-01-01", "Depuis le 1er janvier 2027, les anciennes cartes papier"),
    ):
        day(today)
        person = new_sender()
        offer = assistant.say(person, "comment avoir la carte de stationnement pour handicapé")
        if "pour vous-même ou pour un proche ?" in " ".join(texts(offer)):
            offer = assistant.say(person, "c'est pour moi")
        first = " ".join(
            texts(assistant.say(person, str(buttons(offer).index("Voir les étapes") + 1)))
        )
        assert expected in first, today


def test_the_ehpad_estimate_is_offered_and_given(
    assistant: Assistant, new_sender: Callable[[], str]
) -> None:
    person = new_sender()
    offer = assistant.say(person, "comment trouver une place en maison de retraite pour mon mari")
    if "pour vous-même ou pour un proche ?" in " ".join(texts(offer)):
        offer = assistant.say(person, "c'est pour mon mari")
    cost = assistant.say(person, str(buttons(offer).index("Combien ?") + 1))
    assert "Faire une estimation" in buttons(cost)
    assistant.say(person, '/ask_cost{"estimate": "ehpad"}')
    result = " ".join(texts(assistant.say(person, "1400 euros")))
    assert "il manquerait environ 531 à 1 508 euros par mois" in result
    assert "obligation alimentaire" in result
