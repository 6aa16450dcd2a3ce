"""Issue 12, point 6: people ask in their own words and get the answer within two turns.

Seniors and caregivers, SMS spelling, long messages written at night, voice-transcript
style (no punctuation, "euh"), across the journeys. Nobody types a menu number or a
button title. The messages are written for these tests, not taken from the training
data: the last test checks that none of them, normalised, is a training example.

Scenarios the assistant does not answer yet are kept out of this file and listed in the
branch's report (a finding each), rather than weakened until they pass.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import pytest

from tests.conversations.conftest import Assistant, Reply, texts

pytestmark = pytest.mark.conversation

NOT_UNDERSTOOD = "je n'ai pas bien compris"
DANGER_QUESTION = "Est-ce une urgence en ce moment ?"
NOT_NOW = "non c'est pas urgent"


@dataclass(frozen=True)
class Scenario:
    """What the person writes (one or two messages) and what the last answer must say."""

    who: str
    messages: tuple[str, ...]
    says: tuple[str, ...]
    never: tuple[str, ...] = ()  # what a wrong reading would say


SCENARIOS = [
    Scenario(
        "daughter, SMS spelling, APA at home",
        (
            "slt ma mere 84 ans a du mal a se laver toute seule, on peut avoir une aide pour "
            "payer quelqu un qui vient chez elle ?",
        ),
        ("Pour votre mère", "L'APA paie tout ou partie de l'aide à domicile"),
    ),
    Scenario(
        "son, how long the APA takes",
        ("combien de temps ça prend pour avoir la réponse du département pour l'apa de mon père",),
        ("2 mois au plus après le dossier complet", "Source : "),
    ),
    Scenario(
        "long night message, the delay asked last",
        (
            "Bonsoir, il est tard mais je n'arrive pas à dormir. Ma mère a 87 ans, elle vit "
            "seule à Nantes dans son appartement. Elle a du mal à se lever et à s'habiller, "
            "l'infirmière passe le matin mais ça ne suffit plus. Combien de temps faut il pour "
            "avoir une réponse pour l'APA ?",
        ),
        ("2 mois au plus après le dossier complet",),
    ),
    Scenario(
        "voice transcript, husband after a fall, how to apply",
        (
            "oui bonjour euh c'est pour mon mari il est tombé la semaine dernière et euh il "
            "peut plus trop sortir de la maison je voulais savoir pour l'apa comment on fait "
            "la demande",
        ),
        ("Étape 1 sur", "Cerfa 16301"),
    ),
    Scenario(
        "daughter, the situation first, the papers for the APA asked last",
        (
            "ma mère a 80 ans elle vit à Rezé et a besoin d'aide pour s'habiller le matin, "
            "c'est quoi les papiers à fournir pour l'apa",
        ),
        ("Une pièce d'identité", "Le dernier avis d'impôt"),
    ),
    Scenario(
        "father's choice of the home help paid by the APA",
        ("est ce que mon père peut choisir lui même l'aide à domicile avec l'apa",),
        ("Vous choisissez", "Source : "),
    ),
    Scenario(
        "daughter-in-law, the price of a nursing home",
        (
            "bonsoir, quel est le prix d'une maison de retraite en loire atlantique pour ma "
            "belle mère",
        ),
        ("euros par jour", "Source : "),
    ),
    Scenario(
        "voice transcript, the monthly cost of a nursing home",
        (
            "alors voilà c'est pour ma maman elle a quatre vingt dix ans et elle voudrait "
            "aller en maison de retraite combien ça coûte par mois",
        ),
        ("euros par jour", "ASH"),
    ),
    Scenario(
        "son, the papers for the nursing home's file",
        ("on a trouvé un ehpad pour papa, quels documents faut il pour le dossier d'inscription",),
        ("Une pièce d'identité", "Le livret de famille"),
    ),
    Scenario(
        "retired man, the pension fund and housework",
        (
            "je suis retraité du privé, j'ai 72 ans, ma caisse de retraite peut m'aider pour "
            "le ménage ?",
        ),
        ("retraités de 55 ans et plus", "Source : "),
    ),
    Scenario(
        "how much the pension fund pays at home",
        ("la caisse de retraite ça peut payer combien pour aider à la maison",),
        ("80 heures par an",),
    ),
    Scenario(
        "daughter, back home after hospital",
        (
            "ma mère sort de l'hôpital la semaine prochaine, sa caisse de retraite peut elle "
            "payer une aide ménagère quelques semaines ?",
        ),
        ("L'ARDH", "3 mois"),
    ),
    Scenario(
        "a senior afraid of falling: not now, then the shower answered",
        (
            "je voudrais remplacer ma baignoire par une douche parce que j'ai peur de tomber, "
            "il y a des aides ?",
            "non",
        ),
        ("MaPrimeAdapt'", "douche accessible"),
    ),
    Scenario(
        "a stairlift for the parents",
        ("on voudrait installer un monte escalier chez mes parents qui peut financer",),
        ("MaPrimeAdapt'",),
    ),
    Scenario(
        "husband caring for his wife, days of leave",
        ("je m'occupe de ma femme malade, j'ai droit à combien de jours de congé",),
        ("En principe 3 mois", "AJPA"),
    ),
    Scenario(
        "brother who no longer manages his money",
        (
            "mon frère ne gère plus du tout ses papiers ni son argent, comment faire pour le "
            "protéger",
        ),
        ("Étape 1 sur", "juge"),
    ),
    Scenario(
        "guardianship or curatorship, the difference",
        ("c'est quoi la différence entre tutelle et curatelle",),
        ("En curatelle", "En tutelle"),
    ),
    Scenario(
        "mother who walks badly, the parking card",
        (
            "ma maman a du mal à marcher, comment avoir la carte pour se garer sur les places "
            "handicapées",
        ),
        ("CMI", "se garer"),
    ),
    Scenario(
        "voice transcript, husband of a woman with Parkinson's, where to ask for the card",
        (
            "Bonjour madame euh voilà j'appelle pour ma femme elle a quatre vingt trois ans "
            "elle a la maladie de parkinson et on voudrait une carte pour se garer devant la "
            "pharmacie c'est où qu'on la demande",
            # not sure of the question, the assistant offers the nearest two: he picks one
            "euh la première",
        ),
        ("MDPH", "Département"),
    ),
    Scenario(
        "a senior living alone, meals delivered",
        ("j ai 88 ans je vis seul et je voudrais des repas livrés a la maison",),
        ("repas livrés",),
    ),
    Scenario(
        "shopping and ironing at home twice a week",
        (
            "je cherche quelqu'un pour faire les courses et le repassage chez moi deux fois par "
            "semaine",
        ),
        ("aide à domicile",),
    ),
    # The classes found by trying the assistant in one's own words (issue 12, December 6th).
    Scenario(
        "son about to take leave asks what the daily allowance pays",
        (
            "je vais poser des jours pour accompagner mon père à ses séances, l'allocation "
            "journalière du proche aidant ça fait combien par jour ?",
        ),
        ("demi-journée", "Source : "),
    ),
    Scenario(
        "daughter asks about the tax credit for the cleaning lady",
        (
            "je paie une dame pour le ménage et les courses de ma mère, on peut en récupérer "
            "une partie sur les impôts ?",
        ),
        ("50 %", "Source : "),
    ),
    Scenario(
        "who decides the amount of the APA",
        ("qui est-ce qui décide du montant de l'apa de ma mère au bout du compte ?",),
        ("président du Département",),
    ),
    # Issue 12, "answer the question asked": a question of one's own while the assistant
    # waits for an answer (who the help is for, a question of the triage).
    Scenario(
        "senior asks who decides while asked who the help is for",
        (
            "j'ai 84 ans, j'ai du mal pour faire ma toilette, c'est quoi l'apa",
            "et qui c'est qui décide combien je touche ?",
        ),
        ("président du Département", "Source : "),
        ("Les montants :", "pour vous-même ou pour un proche"),
    ),
    Scenario(
        "daughter asks about taxes while asked where her mother lives",
        (
            "ma mère a 87 ans elle n'arrive plus à faire sa toilette seule",
            "avant de vous répondre, l'apa faut il la déclarer aux impôts ?",
        ),
        ("n'est pas imposable", "Pour reprendre ma question : où vit votre mère ?"),
    ),
    Scenario(
        "husband and caregiver who must be operated, who looks after his wife",
        (
            "Je m'occupe seul de ma femme, elle a la maladie d'Alzheimer depuis cinq ans et "
            "nous vivons à Blain. Le chirurgien veut m'opérer de la hanche en janvier et je "
            "serai absent au moins dix jours. Qui va s'occuper d'elle pendant ce temps ?",
        ),
        ("séjour temporaire",),
    ),
    Scenario(
        "SMS without punctuation, the alarm pendant and a fall",
        (
            "bjr ma mere a le bip du departement autour du cou mais si elle tombe dans les "
            "pommes et quelle peut pas appuyer est ce que ca appelle tout seul",
        ),
        ("détecteur de chute",),
    ),
    Scenario(
        "son's long message, no answer from the Département for months",
        (
            "Bonjour, nous avons envoyé le dossier d'APA de mon père en juillet, complet, avec "
            "l'avis d'impôt et tout ce qu'on nous demandait. Depuis, plus rien : ni visite ni "
            "courrier, et il a besoin d'aide tous les matins. On a droit à quelque chose en "
            "attendant la décision ?",
        ),
        ("APA provisoire",),
    ),
    Scenario(
        "sister worried about a brother who spends everything, how to go about a curatorship",
        (
            # A model may hear a possible financial abuse (no word of danger says it): the
            # abuse line and "Est-ce une urgence en ce moment ?" then come first, and the
            # sister answers it (see NOT_NOW below).
            "bonjour mon frère a 72 ans il vit seul à Savenay, il signe n'importe quel contrat "
            "au téléphone et il a des dettes partout, pour la curatelle comment on s'y prend",
        ),
        ("Étape 1 sur",),
        ("C'est fait : j'ai ouvert le dossier",),
    ),
    Scenario(
        "wife of a man who can no longer walk far, how to ask for the parking card",
        (
            "mon mari ne peut plus marcher plus de cent mètres depuis son opération, on "
            "voudrait la carte pour se garer près des magasins, comment on fait la demande",
        ),
        ("Étape 1 sur",),
        ("C'est fait : j'ai ouvert le dossier",),
    ),
    Scenario(
        "son, how much APA for a father who can no longer wash or dress alone",
        (
            # (not "se lever": "il ne peut plus se lever" may be a fall now, and is asked first)
            "mon papa ne peut plus faire sa toilette ni s'habiller sans aide, il aurait droit à "
            "combien d'apa à peu près",
        ),
        ("seul ou en couple",),  # the help was said: the estimate asks what is missing
        ("Quelle phrase", "quelle phrase"),
    ),
    Scenario(
        "daughter's letter with every fact, the APA amount asked last",
        (
            "Bonjour, mon père a 89 ans, il est veuf et vit seul à Carquefou. Il n'arrive plus "
            "à faire sa toilette seul, une aide-soignante passe le matin. Avec sa retraite de "
            "1 400 € par mois, combien pourrait-il toucher d'APA ?",
        ),
        ("Avec 1 400 euros par mois, seul", "GIR 3"),
        ("seul ou en couple", "Quelle phrase"),
    ),
    Scenario(
        "widower who names his town in lower case, light help: no question about where",
        (
            "bonjour je suis veuf depuis l'an dernier j'ai 81 ans et je vis seul aux sorinieres, "
            "je n'arrive plus a porter les courses ni a faire le gros menage, qui peut m'aider",
            "juste un coup de main de temps en temps",
        ),
        ("Je vous conseille",),
        ("Dernière question", "code postal"),
    ),
]


@pytest.mark.parametrize("scenario", SCENARIOS, ids=[s.who for s in SCENARIOS])
def test_the_question_asked_in_one_s_own_words_is_answered_within_two_turns(
    assistant: Assistant, new_sender: Callable[[], str], scenario: Scenario
) -> None:
    assert 1 <= len(scenario.messages) <= 2
    person = new_sender()
    reply: Reply = []
    turns = 0
    for message in scenario.messages:
        assert not message.strip().isdigit()  # nobody types a menu number
        reply = assistant.say(person, message)
        turns += 1
        if DANGER_QUESTION in " ".join(texts(reply)) and len(scenario.messages) == 1:
            # the model heard a possible danger in a calm account: asked first, with the
            # lines; the person says no, and the answer must come then (second turn)
            reply = assistant.say(person, NOT_NOW)
            turns += 1
    assert turns <= 2
    said = " ".join(texts(reply))
    for expected in scenario.says:
        assert expected in said, f"{scenario.who}: {expected!r} not in {said!r}"
    for wrong in scenario.never:
        assert wrong not in said, f"{scenario.who}: {wrong!r} in {said!r}"
    assert NOT_UNDERSTOOD not in said


def test_no_scenario_message_is_a_training_example() -> None:
    from tests.unit.data.test_nlu_data_honesty import TRAINING, examples, normalised

    training = {normalised(text) for path in TRAINING for text in examples(path)}
    messages = [m for s in SCENARIOS for m in s.messages if len(m.split()) > 1]
    assert [m for m in messages if normalised(m) in training] == []
    assert len({s.who for s in SCENARIOS}) == len(SCENARIOS) >= 15
