"""Emergency words must be caught; ordinary decline must not be taken for an emergency."""

import pytest

from bot.components.emergency_words import sounds_like_emergency


@pytest.mark.parametrize(
    "text",
    [
        "je veux mourir je n'en peux plus",
        "JE VAIS EN FINIR",
        "ma mere est par terre elle arrive pas a se relever",
        "mon père ne respire plus",
        "il a mal à la poitrine depuis une heure",
        "l'aide à domicile la frappe",
        "je crois qu'on maltraite mon père à l'ehpad",
        "ça sent l'odeur de gaz dans la cuisine",
        "maman a disparu depuis ce matin",
        "mon neveu me menace quand je refuse de signer",
        "la voisine lui vole son argent depuis des mois",
    ],
)
def test_danger_words_are_emergencies(text: str) -> None:
    assert sounds_like_emergency(text)


@pytest.mark.parametrize(
    "text",
    [
        "mon père est tombé deux fois le mois dernier",
        "elle ne peut plus faire sa toilette seule",
        "je voudrais annuler mon rendez-vous",
        "c'est quoi l'apa",
        "il oublie ses médicaments",
        "bonjour",
        "on nous a parlé d'une menace de hausse des tarifs de l'ehpad",
        "qui gère son argent quand elle ne peut plus le faire ?",
    ],
)
def test_ordinary_messages_are_not(text: str) -> None:
    assert not sounds_like_emergency(text)
