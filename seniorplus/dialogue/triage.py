"""Triage: from a few plain answers to 1-3 journeys in priority order (pure).

Mirrors the routing of the Cerfa 16301 questionnaire (brief §1, §17): daily
body care needing help points to the APA (Département, roughly GIR 1-4); lighter
needs to the caisse de retraite (roughly GIR 5-6). The assistant never says a
person is eligible and never sets a GIR: it gives a rough band in plain words
(§2) and the body that decides.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from enum import Enum

from seniorplus.dialogue.amounts import number_in

MIN_AGE, MAX_AGE = 18, 120


class Need(Enum):
    """How much help the person needs, in the words of the question asked."""

    CONSTANT = "constant"  # help all the time, or for almost everything
    DAILY_CARE = "daily_care"  # help every day to wash, dress, get up or eat
    OCCASIONAL = "occasional"  # housework, shopping, a hand now and then
    UNKNOWN = "unknown"


class Home(Enum):
    AT_HOME = "at_home"
    IN_ESTABLISHMENT = "in_establishment"
    WANTS_ESTABLISHMENT = "wants_establishment"


@dataclass(frozen=True)
class Answers:
    age: int | None
    need: Need
    home: Home = Home.AT_HOME
    caregiver: bool = False  # a relative is speaking
    falls: bool = False
    cannot_manage_money: bool = False


@dataclass(frozen=True)
class Recommendation:
    journey: str
    reason: str


GIR_BANDS = {
    Need.CONSTANT: ("1-2", "Besoin d'aide tout le temps ou pour presque tout : "
                           "c'est souvent un GIR 1 ou 2, le niveau de besoin d'aide le plus fort."),
    Need.DAILY_CARE: ("3-4", "Besoin d'aide chaque jour pour le corps : c'est souvent un GIR 3 "
                             "ou 4, le niveau de besoin d'aide moyen."),
    Need.OCCASIONAL: ("5-6", "Besoin d'un coup de main de temps en temps : c'est souvent un "
                             "GIR 5 ou 6, le niveau de besoin d'aide léger."),
}  # fmt: skip


def parse_age(text: str) -> int | None:
    """An age from "82 ans", "j'ai 79", "quatre-vingt-sept ans"; None if absent or impossible."""
    value = number_in(text)
    if value is None or value != value.to_integral_value():
        return None
    age = int(value)
    return age if MIN_AGE <= age <= MAX_AGE else None


def parse_postcode(text: str) -> str | None:
    """A French postcode (metropolitan or overseas), or None."""
    match = re.search(r"\b(\d{2})\s?(\d{3})\b", text)
    if not match:
        return None
    code = match.group(1) + match.group(2)
    department = int(code[:2])
    valid = 1 <= department <= 95 or (code.startswith("97") and code[2] in "123456")
    return code if valid else None


def in_loire_atlantique(postcode: str) -> bool:
    return postcode.startswith("44")


def gir_band(need: Need) -> tuple[str, str] | None:
    """A rough band and its plain-words meaning; None when the need is not known."""
    return GIR_BANDS.get(need)


def recommend(answers: Answers) -> list[Recommendation]:
    """Up to three journeys, most useful first, each with a one-line reason."""
    found: list[Recommendation] = []

    def add(journey: str, reason: str) -> None:
        if journey not in {r.journey for r in found}:
            found.append(Recommendation(journey, reason))

    old_enough = answers.age is None or answers.age >= 60
    heavy = answers.need in (Need.CONSTANT, Need.DAILY_CARE)
    if not old_enough:
        add(
            "carte_mobilite",
            "Avant 60 ans, c'est la maison départementale des personnes handicapées (MDPH).",
        )
    if answers.home is Home.IN_ESTABLISHMENT:
        if old_enough:
            add(
                "apa_etablissement",
                "L'APA (allocation personnalisée d'autonomie) paie une partie du prix de la "
                "dépendance.",
            )
        add("ehpad", "Des aides existent si les revenus ne suffisent pas à payer.")
    elif answers.home is Home.WANTS_ESTABLISHMENT:
        add("ehpad", "Un seul dossier sert pour plusieurs maisons de retraite.")
        if old_enough and heavy:
            add(
                "apa_etablissement",
                "L'APA (allocation personnalisée d'autonomie) aide à payer en maison de retraite.",
            )
    elif old_enough and (heavy or answers.need is Need.UNKNOWN):
        add(
            "apa_domicile",
            "L'APA (allocation personnalisée d'autonomie) du Département aide quand il faut de "
            "l'aide chaque jour.",
        )
    elif old_enough:
        add("caisse_retraite", "La caisse de retraite aide quand le besoin est léger.")
    if answers.cannot_manage_money:
        add(
            "protection_juridique",
            "Un juge peut protéger une personne qui ne gère plus son argent.",
        )
    if answers.falls and answers.home is Home.AT_HOME:
        add("amenagement_logement", "Adapter le logement évite de nouvelles chutes.")
    if answers.home is Home.AT_HOME:
        add("services_domicile", "Téléassistance, repas, aide à domicile : pour rester chez soi.")
    if answers.caregiver:
        add("droits_aidant", "Vous aidez un proche : vous avez aussi des droits.")
    return found[:3]
