"""Phone rendering: text for a French TTS voice, keypad choices."""

from __future__ import annotations

import re

import pytest

from rendering.sites import UNKNOWN_SITE, spoken_site
from rendering.voice import VoicePrompt, render_voice, speak


@pytest.mark.parametrize(
    ("written", "spoken"),
    [
        # amounts
        ("2 080,33 euros", "Deux mille quatre-vingts euros et trente-trois centimes."),
        ("2080,33 €", "Deux mille quatre-vingts euros et trente-trois centimes."),
        (
            "1 955,60 euros par mois",
            "Mille neuf cent cinquante-cinq euros et soixante centimes par mois.",
        ),
        ("1 216 euros", "Mille deux cent seize euros."),
        ("1 euro", "Un euro."),
        ("0,50 €", "Cinquante centimes."),
        ("1 000 000 €", "Un million d'euros."),
        (
            "de 1 216 à 1 878 euros",
            "De mille deux cent seize à mille huit cent soixante-dix-huit euros.",
        ),
        # percentages
        ("90 %", "Quatre-vingt-dix pour cent."),
        ("90%", "Quatre-vingt-dix pour cent."),
        ("4,5 %", "Quatre virgule cinq pour cent."),
        # phone numbers
        (
            "02 40 96 12 51",
            "Zéro deux, quarante, quatre-vingt-seize, douze, cinquante et un.",
        ),
        (
            "0240961251",
            "Zéro deux, quarante, quatre-vingt-seize, douze, cinquante et un.",
        ),
        (
            "02.49.77.41.40",
            "Zéro deux, quarante-neuf, soixante-dix-sept, quarante et un, quarante.",
        ),
        ("0 808 800 700", "Zéro, huit cent huit, huit cents, sept cents."),
        (
            "+33 2 40 96 12 51",
            "Plus trente-trois, deux, quarante, quatre-vingt-seize, douze, cinquante et un.",
        ),
        # service numbers, years, postcodes, steps
        ("le 3977", "Le trois, neuf, sept, sept."),  # a service number, digit by digit
        ("le 15 ou le 112", "Le quinze ou le un, un, deux."),
        ("en 2026", "En deux mille vingt-six."),
        ("44000 Nantes", "Quarante-quatre mille Nantes."),
        ("Étape 2 sur 6", "Étape deux sur six."),
        # ordinals
        ("le 1er janvier", "Le premier janvier."),
        ("la 1re fois", "La première fois."),
        ("la 2e étape", "La deuxième étape."),
        ("le 3ème mois", "Le troisième mois."),
        ("le 21e jour", "Le vingt et unième jour."),
        # times
        ("à 14h30", "À quatorze heures trente."),
        ("à 9 h 05", "À neuf heures cinq."),
        ("à 21h", "À vingt et une heures."),
        ("à 1h", "À une heure."),
        ("24h/24 et 7j/7", "Vingt-quatre heures sur vingt-quatre et sept jours sur sept."),
        # dates
        ("le 12/03/2026", "Le douze mars deux mille vingt-six."),
        ("le 1/8/2026", "Le premier août deux mille vingt-six."),
        ("le 2026-03-12", "Le douze mars deux mille vingt-six."),
        # references
        (
            "Dossier SP-2026-000123",
            "Dossier S P, deux zéro deux six, zéro zéro zéro, un deux trois.",
        ),
        # ranges and decimals
        ("de 60-70 ans", "De soixante à soixante-dix ans."),
        ("n° 3", "Numéro trois."),
    ],
)
def test_numbers_are_said_the_way_their_form_says(written: str, spoken: str) -> None:
    assert speak(written) == spoken


@pytest.mark.parametrize(
    ("written", "spoken"),
    [
        ("La liste est sur loire-atlantique.fr/bienvieillir.",
         "La liste est sur le site du Département de Loire-Atlantique."),
        ("Voir loire-atlantique.fr/apa", "Voir le site du Département de Loire-Atlantique."),
        ("Sur service-public.fr", "Sur le site Service Public."),
        ("Sur https://www.service-public.fr/particuliers/vosdroits/F10009 !",
         "Sur le site Service Public !"),
        ("Sur pour-les-personnes-agees.gouv.fr",
         "Sur le portail national pour les personnes âgées."),
        ("CAF (caf.fr), ou MSA", "Caf, le site de la caf, ou M S A."),
        ("Sur monprojet.anah.gouv.fr.", "Sur le site de l'ana."),
        ("Sur https://example.org/x", f"Sur {UNKNOWN_SITE}."),
    ],
)  # fmt: skip
def test_addresses_become_site_names(written: str, spoken: str) -> None:
    assert speak(written) == spoken


def test_every_content_domain_has_a_name() -> None:
    for host in ("loire-atlantique.fr", "service-public.fr", "pour-les-personnes-agees.gouv.fr",
                 "caf.fr", "ameli.fr", "monparcourshandicap.gouv.fr", "viatrajectoire.fr",
                 "maprimeadapt.gouv.fr", "monprojet.anah.gouv.fr", "impots.gouv.fr",
                 "justice.fr", "carsat-pl.fr", "ecorenove-carene.fr", "www.caf.fr"):  # fmt: skip
        assert spoken_site(host) != UNKNOWN_SITE, host
    assert spoken_site("github.com") == UNKNOWN_SITE


@pytest.mark.parametrize(
    ("written", "spoken"),
    [
        ("L'APA et le GIR", "L'A P A et le guir."),
        ("un EHPAD, le CCAS, le CLIC", "Un é-pade, le C C A S, le clic."),
        ("la CAF, la CARSAT, un RIB", "La caf, la carsate, un rib."),
        ("MDPH, CMI, ASH, AJPA, PCH, ARDH", "M D P H, C M I, A S H, A J P A, P C H, A R D H."),
        ("le CESU et l'Anah", "Le césu et l'ana."),
        ("MaPrimeAdapt' et France Rénov'", "Ma Prime Adapte et France Rénove."),
        ("APAISER", "APAISER."),
    ],
)
def test_acronyms_are_written_for_the_voice(written: str, spoken: str) -> None:
    assert speak(written) == spoken


@pytest.mark.parametrize(
    ("written", "spoken"),
    [
        ("Écrivez : menu.", "Dites : menu."),
        ("À tout moment, écrivez : menu.", "À tout moment, dites : menu."),
        ("Répondez par un numéro.", "Dites ou tapez un numéro."),
        ("Répondez par un numéro ou en quelques mots.",
         "Dites ou tapez un numéro, ou répondez en quelques mots."),
        ("Vous pouvez m'écrire à tout moment.", "Vous pouvez me rappeler à tout moment."),
    ],
)  # fmt: skip
def test_text_instructions_become_spoken_ones(written: str, spoken: str) -> None:
    assert speak(written) == spoken


def test_symbols_are_dropped_and_lines_become_sentences() -> None:
    written = (
        "Pour l'étape 3, il faut :\n- Une pièce d'identité\n- Un RIB (au nom de la personne)\n"
        "• Le Cerfa 16301 → mairie *vite* #1 😀"
    )
    assert speak(written) == (
        "Pour l'étape trois, il faut : Une pièce d'identité. Un rib, au nom de la personne. "
        "Le cerfa seize mille trois cent un mairie vite un."
    )


def test_typographic_quotes_and_dashes_are_not_read() -> None:
    assert speak("Le « plan d’aide » – proposé") == "Le plan d'aide, proposé."


def test_numbered_lines_lose_their_number() -> None:
    written = "Je vous conseille, dans cet ordre :\n1. L'APA à domicile : aide.\n2. Les services."
    assert speak(written) == (
        "Je vous conseille, dans cet ordre : L'A P A à domicile : aide. Les services."
    )


def test_choices_are_said_after_the_text_with_their_key() -> None:
    prompt = render_voice(
        "Que voulez-vous savoir ?",
        [
            {"title": "Voir les étapes", "payload": "/next_step"},
            {"title": "Quels papiers ?", "payload": "/ask_documents"},
            {"title": "L'aide à l'autonomie (APA)", "payload": "/ask_apa"},
        ],
    )
    assert prompt == VoicePrompt(
        "Que voulez-vous savoir ? Pour voir les étapes, tapez un. "
        "Pour quels papiers, tapez deux. Pour l'aide à l'autonomie, A P A, tapez trois.",
        (("1", "/next_step"), ("2", "/ask_documents"), ("3", "/ask_apa")),
    )
    assert prompt.payload_for("2") == "/ask_documents"
    assert prompt.payload_for("4") is None


def test_at_most_nine_keys_are_offered() -> None:
    buttons = [{"title": f"Choix {n}", "payload": f"/c{n}"} for n in range(1, 12)]
    prompt = render_voice("Menu.", buttons)
    assert [digit for digit, _ in prompt.choices] == list("123456789")
    assert prompt.text.endswith("Pour choix neuf, tapez neuf.")


def test_buttons_without_text() -> None:
    prompt = render_voice(None, [{"title": "Oui", "payload": "/affirm"}])
    assert prompt == VoicePrompt("Pour oui, tapez un.", (("1", "/affirm"),))
    assert render_voice(None) == VoicePrompt("")


def test_real_content_leaves_no_digit_nor_symbol() -> None:
    written = (
        "Par exemple, le point d'information seniors (CLIC) du pays d'Ancenis : 02 40 96 12 51. "
        "Unité personnes âgées du Département à Saint-Nazaire : 02 49 77 41 40. "
        "Numéros à vérifier sur loire-atlantique.fr."
    )
    spoken = speak(written)
    assert spoken == (
        "Par exemple, le point d'information seniors, clic, du pays d'Ancenis : zéro deux, "
        "quarante, quatre-vingt-seize, douze, cinquante et un. Unité personnes âgées du "
        "Département à Saint-Nazaire : zéro deux, quarante-neuf, soixante-dix-sept, quarante "
        "et un, quarante. Numéros à vérifier sur le site du Département de Loire-Atlantique."
    )
    assert not re.search(r"[\d/()*#•→%€]", spoken)


def test_a_title_starting_with_pour_is_not_said_twice() -> None:
    prompt = render_voice("C'est pour qui ?", [{"title": "Pour moi-même", "payload": "/x"}])
    assert prompt.text.endswith("Pour moi-même, tapez un.")
