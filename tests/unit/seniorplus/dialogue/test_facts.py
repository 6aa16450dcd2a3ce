"""Facts given in passing: read once, from any message, numbers in words included."""

from __future__ import annotations

from decimal import Decimal

import pytest

from seniorplus.dialogue.facts import Facts, read_facts, say_back, tells_a_situation


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Ma mère a quatre-vingt-sept ans, elle vit seule à Clisson avec 1 300 € de retraite",
         Facts("mère", 87, "domicile", "seul", None, Decimal("1300"))),
        ("mon père est en GIR 3 et touche 1 300 € par mois, combien d'APA ?",
         Facts("père", None, None, None, 3, Decimal("1300"))),
        ("mes parents vivent ensemble chez eux, 24 000 euros par an à eux deux",
         Facts(None, None, "domicile", "couple", None, Decimal("2000.00"), True)),
        ("j'ai 58 ans et je m'occupe de ma maman de 84 ans qui vit chez elle",
         Facts("mère", 84, "domicile")),
        ("mon mari est en ehpad depuis deux ans", Facts("mari", None, "etablissement")),
        ("je vis seule à St Nazaire depuis la mort de mon mari",
         Facts(None, None, "domicile", "seul")),
        ("elle vit seule en ehpad, sans visite", Facts(None, None, "etablissement", "seul")),
        ("euh ma belle mère elle a quatre vingt onze ans elle est veuve",
         Facts("belle-mère", 91, None, "seul")),
        ("on vit tous les deux dans notre maison depuis quarante ans",
         Facts(None, None, "domicile", "couple")),
        ("ma tante vit dans sa maison de retraite depuis mars",  # not "dans sa maison"
         Facts("tante", None, "etablissement")),
        ("c'est pour ma femme, on vit à la maison, moi j'ai 84 ans",  # the husband's age
         Facts("épouse", None, "domicile")),
        ("j'ai 91 ans et ma fille habite loin",  # the senior's own age
         Facts("fille", 91)),
    ],
)  # fmt: skip
def test_facts_are_read_wherever_they_are(text: str, expected: Facts) -> None:
    assert read_facts(text) == expected


def test_amounts_in_words_are_read_right() -> None:
    assert read_facts("elle touche neuf cent vingt euros").income == Decimal("920")
    assert read_facts("mille deux cent vingt euros par mois").income == Decimal("1220")
    assert read_facts("elle touche 1.250,50 €").income == Decimal("1250.50")


def test_a_price_is_not_an_income() -> None:
    facts = read_facts("l'ehpad coûte 2 500 € par mois et elle touche 1 100 euros")
    assert facts.income == Decimal("1100")


def test_a_yearly_income_is_said_back_as_said() -> None:
    facts = read_facts("15 000 euros de retraite par an")
    assert facts.income == Decimal("1250.00") and facts.income_yearly
    assert say_back(facts) == "15 000 euros par an, soit 1 250 euros par mois"


def test_a_relative_said_to_be_gone_is_not_the_person_helped() -> None:
    from seniorplus.dialogue.facts import gone_relatives

    assert gone_relatives("je vis seule depuis que mon mari est parti") == {"mari"}
    assert gone_relatives("depuis le décès de ma mère, mon père ne mange plus") == {"mère"}
    assert gone_relatives("mon mari est parti à l'hôpital ce matin") == set()  # only away
    assert gone_relatives("mon père est mort, ma mère est seule") == {"père"}
    assert read_facts("mon père est mort, ma mère est seule").relationship == "mère"


@pytest.mark.parametrize(
    ("text", "need"),
    [
        ("elle a besoin d'aide pour sa toilette tous les matins", "daily_care"),
        ("maman n'arrive plus à s'habiller seule", "daily_care"),
        ("il ne peut plus se lever ni se coucher sans moi", "daily_care"),
        ("l'infirmière passe chaque jour pour la douche", "daily_care"),
        ("je ne peux plus me laver tout seul", "daily_care"),  # the senior speaking
        ("je n'arrive plus à m'habiller le matin", "daily_care"),
        ("papa est alité depuis sa chute", "constant"),
        ("il lui faut quelqu'un jour et nuit", "constant"),
        ("je dois l'aider pour tout, elle ne peut plus rien faire", "constant"),
        ("elle n'a pas besoin d'aide pour se laver, juste pour le ménage", None),
        ("elle fait encore sa toilette seule", None),
        ("l'aide ménagère vient laver le linge le mardi", None),
        ("un coup de main pour les courses de temps en temps", None),  # light: asked, not guessed
        ("merci, vous m'avez aidée", None),
    ],
)  # fmt: skip
def test_the_help_needed_is_read_when_said_plainly(text: str, need: str | None) -> None:
    assert read_facts(text).need == need


def test_the_help_needed_is_kept_and_said_back_unless_a_gir_is_known() -> None:
    facts = read_facts("mon père de 90 ans ne peut plus se laver seul")
    assert Facts.from_slots(facts.as_slots()) == facts
    assert say_back(facts, "votre père") == (
        "votre père, 90 ans, besoin d'aide chaque jour (toilette, habillage)"
    )
    with_gir = facts.merged(read_facts("il est en GIR 2"))
    assert say_back(with_gir, "votre père") == "votre père, 90 ans, GIR 2"


def test_times_are_not_ages() -> None:
    assert read_facts("il y a 60 ans que nous sommes mariés").age is None
    assert read_facts("depuis 3 ans elle ne sort plus").age is None
    assert read_facts("elle a 130 ans").age is None


def test_a_correction_keeps_the_first_number_said() -> None:
    assert read_facts("non, elle a 87 ans, pas 78").age == 87


def test_newer_facts_replace_older_ones_and_the_rest_is_kept() -> None:
    before = read_facts("ma mère a 78 ans et vit seule")
    after = before.merged(read_facts("non elle a 87 ans"))
    assert (after.age, after.household, after.relationship) == (87, "seul", "mère")


def test_facts_survive_the_slot() -> None:
    facts = read_facts("mon père, 91 ans, GIR 2, 24 000 € par an, en couple à la maison")
    assert Facts.from_slots(facts.as_slots()) == facts
    assert Facts.from_slots("nonsense") == Facts()


def test_facts_are_said_back_in_plain_french() -> None:
    facts = read_facts("ma mère a 87 ans, elle vit seule avec 1 300 € par mois")
    said = say_back(facts, "votre mère")
    assert said == "votre mère, 87 ans, seule, à domicile, 1 300 euros par mois"


@pytest.mark.parametrize(
    "text",
    [
        "mon mari et moi on touche 2 100 euros",
        "nous avons 1 900 € de retraite pour nous deux, ma femme est en gir 4",
        "moi et mon épouse on vit à Saint-Herblain",
        "on a nos deux retraites, ça fait 2 400 € par mois",
        "nous avons à nous deux deux mille cent euros de retraite",  # "à nous 2 2100"
    ],
)
def test_a_spouse_named_with_me_means_a_couple(text: str) -> None:
    assert read_facts(text).household == "couple"


def test_a_spouse_alone_is_not_yet_a_couple() -> None:
    assert read_facts("ma femme est en gir 3").household is None


@pytest.mark.parametrize(
    ("text", "relationship"),
    [
        ("j'ai 84 ans, je vis seule depuis que mon mari est parti, le ménage est dur", None),
        ("depuis le décès de ma femme je suis seul à la maison, j'ai 91 ans", None),
        ("mon époux nous a quittés en mars et je ne conduis plus", None),
        ("mon mari est parti à l'hôpital ce matin, il ne marche plus", "mari"),
        ("depuis la mort de mon père, ma mère ne sort plus", "mère"),
    ],
)
def test_a_relative_said_to_be_gone_is_not_the_one_the_help_is_for(
    text: str, relationship: str | None
) -> None:
    assert read_facts(text).relationship == relationship


@pytest.mark.parametrize(
    ("text", "tells"),
    [
        ("mon père a 90 ans et vit seul, combien il toucherait ?", True),
        ("ma mère est en ehpad depuis mars, quels papiers faut-il ?", True),
        ("combien ça coûte pour ma mère ?", False),  # one fact, a short question
        ("quels papiers faut-il fournir pour le dossier complet ?", False),
    ],
)
def test_a_situation_told_is_two_facts_or_more(text: str, tells: bool) -> None:
    assert tells_a_situation(text) is tells
