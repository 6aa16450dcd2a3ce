"""A commune named in a free message: read from the communes table, never guessed."""

from __future__ import annotations

import pytest

from seniorplus.places import locate, named_in, postcode_in


@pytest.mark.parametrize(
    ("text", "commune"),
    [
        ("bonjour ma maman vit seule a st nazaire depuis deux ans", "Saint-Nazaire"),
        ("Mon oncle, 90 ans, habite Saint Herblain et ne se lave plus seul.", "Saint-Herblain"),
        ("on est du côté de Rezé", "Rezé"),
        ("mes parents habitent près de Blain", "Blain"),
        ("il est au Pellerin depuis sa retraite", "Le Pellerin"),
        ("elle a une maison aux Sorinières", "Les Sorinières"),
        ("ils sont à la baule l'hiver aussi", "La Baule-Escoublac"),  # the short name
        ("elle habite montoir", "Montoir-de-Bretagne"),
        ("on vit a machecoul", "Machecoul-Saint-Même"),  # the former commune's name
        # two communes: the one the person lives in
        ("née à Nantes, elle vit à Clisson depuis son mariage", "Clisson"),
        ("je suis sa fille, à Nantes ; mon père habite à Vertou", "Vertou"),
    ],
)
def test_a_commune_named_in_a_sentence_is_read(text: str, commune: str) -> None:
    place = named_in(text)
    assert place is not None and place.name == commune


@pytest.mark.parametrize(
    "text",
    [
        "on range ses affaires dans le cellier",  # a room, not Le Cellier
        "il dépérit à petit feu",  # not Petit-Mars
        "au nord de la Loire",
        "elle est à domicile, seule",
        "à Nantes ou à Clisson, je ne sais plus",  # two, neither where one lives: asked
        "il vit à Angers",  # outside the table: the model's entity, or the question
        "",
    ],
)
def test_no_commune_is_guessed(text: str) -> None:
    assert named_in(text) is None


def test_a_name_alone_or_after_a_word_of_place_is_located() -> None:
    assert locate("clisson") == named_in("à Clisson")
    assert locate("la baule") == named_in("à la Baule")


@pytest.mark.parametrize(
    ("text", "postcode"),
    [
        ("elle habite au 3 rue des Lilas, 44300 Nantes, au deuxième étage", "44300"),
        ("code postal 44190", "44190"),
        ("ses revenus : 44000 euros par an", None),  # money, not a place
        ("44000€ de retraite par an", None),
        ("chez moi c'est 44190, chez elle 44230", None),  # two: asked
        ("dossier 1441900", None),
    ],
)
def test_a_postcode_in_a_sentence_is_read_and_an_amount_is_not(
    text: str, postcode: str | None
) -> None:
    assert postcode_in(text) == postcode
