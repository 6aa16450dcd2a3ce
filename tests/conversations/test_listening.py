"""Issue 12: people write in their own words; the assistant keeps the facts they give and
answers the question they ask. Nobody here types a menu number."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from tests.conversations.conftest import Assistant, Reply, buttons, joined

pytestmark = pytest.mark.conversation


def to_the_estimate(assistant: Assistant, person: str, reply: Reply) -> Reply:
    """The estimate's first question, whether the first message started it or the APA's
    page was shown first (the model may read such a message as ask_apa or ask_cost)."""
    if any(w in joined(reply) for w in ("seul ou en couple", "quelle phrase", "selon notre")):
        return reply
    if "Combien ?" in buttons(reply):
        reply = assistant.say(person, "Combien ?")
    if "Faire une estimation" in buttons(reply):
        reply = assistant.say(person, "Faire une estimation")
    return reply


def test_a_couple_s_income_said_in_words_is_used_and_said_back(
    assistant: Assistant, new_sender: Callable[[], str]
) -> None:
    wife = new_sender()
    first = assistant.say(
        wife,
        "bonjour mon mari est classé gir deux et nous avons à nous deux deux mille cent "
        "euros de retraite par mois, combien d'apa il pourrait toucher",
    )
    answer = to_the_estimate(assistant, wife, first)
    said = joined(answer)  # GIR, income and "à nous deux" given: nothing is asked again
    assert "seul ou en couple" not in said and "quelle phrase" not in said
    assert "Avec 2 100 euros par mois, en couple : selon notre estimation" in said
    assert "GIR 2 " in said


def test_a_yearly_income_and_i_dont_know_for_the_household(
    assistant: Assistant, new_sender: Callable[[], str]
) -> None:
    son = new_sender()
    first = assistant.say(
        son, "mon pere a besoin d'aide tous les jours, ça couterait combien l'apa"
    )
    band = to_the_estimate(assistant, son, first)
    if "quelle phrase" in joined(band):
        band = assistant.say(son, "Aide chaque jour pour la toilette")
    assert "seul ou en couple" in joined(band)
    income = assistant.say(son, "je sais pas trop")
    assert "revenus" in joined(income)
    answer = assistant.say(son, "il a dix huit mille euros par an")
    said = joined(answer)
    assert (
        "Avec 18 000 euros par an (1 500 euros par mois), calculé pour une personne seule" in said
    )


def test_a_correction_and_a_town_given_for_another_question_are_kept(
    assistant: Assistant, new_sender: Callable[[], str]
) -> None:
    daughter = new_sender()
    first = assistant.say(
        daughter, "ma mère a 78 ans et elle n'arrive plus à se laver seule depuis sa chute"
    )
    assert "votre mère, 78 ans" in joined(first) and "Quel âge" not in joined(first)
    assert "Où vit votre mère ?" in joined(first)
    corrected = assistant.say(daughter, "non pardon elle a 87 ans pas 78")
    assert "87 ans" in joined(corrected) and "78" not in joined(corrected)
    town = assistant.say(daughter, "elle habite à Clisson")
    assert "Clisson" in joined(town) and "à domicile, ou en maison de retraite ?" in joined(town)
    assert "Que puis-je faire" not in joined(town)  # not the main menu
    # "elle n'arrive plus à se laver seule" said the help needed: not asked again
    plan = assistant.say(daughter, "à domicile")
    assert "quelle phrase" not in joined(plan).lower()
    assert "Je vous conseille" in joined(plan)  # the town answered the postcode question
    assert "code postal" not in joined(plan)


def test_a_question_at_the_end_of_a_long_message_is_answered(
    assistant: Assistant, new_sender: Callable[[], str]
) -> None:
    daughter = new_sender()
    reply = assistant.say(
        daughter,
        "Bonsoir. Mon père a 86 ans, il vit seul dans sa maison à Ancenis depuis la mort de "
        "maman. Il a de plus en plus de mal à s'habiller et à faire sa toilette. Une "
        "voisine nous a parlé de l'APA. Mais mon frère a peur que le Département reprenne "
        "tout sur la maison de papa à son décès, est-ce que c'est vrai ?",
    )
    said = joined(reply)
    assert "jamais reprise sur l'héritage" in said or "jamais récupérée" in said
    assert "Source : " in said and "(2026)" in said
    # read as a situation: after the answer, the facts kept and the next missing one asked
    assert "votre père, 86 ans" in said or "Voir les étapes" in buttons(reply)


def test_i_want_to_apply_opens_the_case_for_the_person_named(
    assistant: Assistant, new_sender: Callable[[], str]
) -> None:
    son = new_sender()
    reply = assistant.say(
        son, "bonjour je voudrais lancer la demande de carte de stationnement pour mon papa"
    )
    said = joined(reply)
    assert "SP-2026-" in said and "votre père" in said


def test_the_steps_asked_start_at_step_one(
    assistant: Assistant, new_sender: Callable[[], str]
) -> None:
    niece = new_sender()
    reply = assistant.say(niece, "par où on commence pour mettre ma tante sous curatelle ?")
    assert "Étape 1 sur" in joined(reply)


def test_an_impossible_income_is_refused_kindly(
    assistant: Assistant, new_sender: Callable[[], str]
) -> None:
    person = new_sender()
    assistant.say(person, "c'est quoi l'apa")
    assistant.say(person, "pour moi")
    assistant.say(person, '/ask_cost{"estimate": "apa"}')
    assistant.say(person, '/ask_cost{"gir_band": "1-2"}')
    assistant.say(person, "je vis seule")
    refused = assistant.say(person, "j'ai 250000 euros par mois")
    assert "cela semble beaucoup" in joined(refused)
    answer = assistant.say(person, "mille deux cent vingt euros")
    assert "Avec 1 220 euros par mois, seul(e) :" in joined(answer)
