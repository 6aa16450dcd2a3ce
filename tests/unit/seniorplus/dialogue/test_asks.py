"""What a message about a topic asks: the application opened, the steps, or something else."""

from __future__ import annotations

import pytest

from seniorplus.dialogue.asks import (
    APPLY,
    STEPS,
    asks_amount,
    asks_beyond_amount,
    asks_how_to_apply,
    asks_outright,
    aspect,
    is_question,
    question_part,
)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("je souhaiterais deposer une demande d'allocation pour mon pere", APPLY),
        (
            "Bonjour, nous voulons demander l'APA pour maman, vous nous aidez à faire le dossier ?",
            APPLY,
        ),
        ("on commence le dossier de curatelle", APPLY),
        ("par où on commence pour mettre papa sous tutelle", STEPS),
        ("c'est quoi la marche à suivre pour la carte de stationnement", STEPS),
        ("comment on fait pour monter un dossier d'entrée en maison de retraite", STEPS),
        ("est-ce que l'apa est reprise sur l'héritage", None),
        ("combien ça coûte une maison de retraite", None),
        ("comment on fait pour payer l'ehpad quand la retraite ne suffit pas", None),
        ("comment demander une curatelle pour mon frère", STEPS),
        ("ma mère a fait la demande il y a deux mois", None),
    ],
)
def test_the_aspect_asked(text: str, expected: str | None) -> None:
    assert aspect(text) == expected


@pytest.mark.parametrize(
    "text",
    [
        "et qui c'est qui décide combien je touche ?",
        "l'APA est-elle reprise sur la maison",
        "a-t-elle droit à l'apa",
        "est-ce que je dois avancer l'argent des travaux",
        "peut-on changer de curateur",
        "ou faut il envoyer le dossier",
        "il a droit à quoi exactement",
    ],
)
def test_words_that_ask_are_read_whatever_the_punctuation(text: str) -> None:
    assert asks_outright(text)


@pytest.mark.parametrize(
    "text",
    [
        "à domicile ?",
        "pour ma mère ?",
        "ma mère, qui vit seule, a du mal",  # "qui" that tells, not asks
        "à domicile ou en ehpad",
        "elle a 87 ans ?",
        "il y a une aide ?",
        "mes enfants, quelque chose ?",  # "quelque" is not "quel"
    ],
)
def test_an_answer_with_a_question_mark_does_not_ask_in_words(text: str) -> None:
    assert not asks_outright(text)


@pytest.mark.parametrize(
    ("text", "beyond"),
    [
        ("et qui c'est qui décide combien je touche ?", True),
        ("quand est-ce que l'apa commence à être payée ?", True),
        ("combien ça coûte ?", False),
        ("combien je vais toucher ?", False),
        ("l'ajpa c'est combien par jour ?", False),
        ("quel est le prix", False),
        ("combien de temps ça prend ?", True),  # how long, not how much
        ("et en combien de jours on a la réponse", True),
    ],
)
def test_a_question_beyond_the_amount(text: str, beyond: bool) -> None:
    assert asks_beyond_amount(text) is beyond


def test_a_delay_is_not_an_amount() -> None:
    assert not asks_amount("combien de temps ça prend ?")
    assert not asks_amount("il faut attendre combien de mois")
    assert asks_amount("combien de temps et combien d'argent ?")  # both asked
    assert asks_amount("combien il pourrait toucher")


@pytest.mark.parametrize(
    ("text", "applying"),
    [
        (
            "Mon père a 84 ans, il est tombé deux fois cet hiver et ne peut plus faire ses "
            "courses ni le ménage. Ma sœur habite loin. Comment fait-on la demande d'APA ?",
            True,
        ),
        (
            "bonjour ma mere vit seule a reze elle oublie ses medicaments et mange mal on "
            "voudrait savoir les etapes pour la curatelle",
            True,
        ),
        (
            "Depuis son AVC mon mari ne marche presque plus, je le lave seule et je n'en peux "
            "plus, je ne sais plus comment faire.",
            False,  # a sigh, no application named
        ),
        (
            "Comment on fait la demande ? Ma mère a 90 ans et on a tout essayé, elle refuse "
            "l'aide à domicile, elle dit qu'elle se débrouille, qui peut lui parler ?",
            False,  # the request, at the end, is another one
        ),
    ],
)
def test_a_story_that_ends_asking_how_to_apply(text: str, applying: bool) -> None:
    assert asks_how_to_apply(text) is applying


def test_a_long_message_is_asked_by_its_last_sentence() -> None:
    story = (
        "Ma tante a 91 ans et vit encore chez elle à Vertou. Les voisins passent tous les "
        "jours. Elle ne veut pas quitter sa maison. Qui paie la personne qui vient l'aider ?"
    )
    assert question_part(story) == "Qui paie la personne qui vient l'aider ?"
    flat = " ".join(["mot"] * 20 + ["est ce que c'est repris sur l'héritage"])
    assert question_part(flat) == " ".join(flat.split()[-15:])
    assert question_part("c'est repris sur l'héritage ?") is None


@pytest.mark.parametrize(
    ("text", "asking"),
    [
        # "est-ce que" without a question mark: the most frequent way of asking
        ("est ce que je peux prendre un congé pour ma mère et est-ce que je serai payée", True),
        ("Est-ce que l'APA paie le portage des repas", True),
        ("puis-je avoir l'allocation journalière", True),
        ("ai-je droit à quelque chose en tant qu'aidante", True),
        ("je suis épuisée", False),  # tells
        ("ma belle-fille est venue ce matin", False),
    ],
)
def test_a_question_without_a_question_mark(text: str, asking: bool) -> None:
    assert is_question(text) is asking
