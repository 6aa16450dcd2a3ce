"""The APA estimate as a short exchange: the help needed, alone or as a couple, the income.

The GIR is never asked as such (only the Département can set it): the person
picks the sentence that fits, in the brief's plain words (§2), or "je ne sais pas".
A GIR, a household or an income already heard (seniorplus/dialogue/heard.py) is not
asked again; the estimate says back what it used ("Avec 1 300 euros par mois, en couple").
A couple's income is the household's: the formula divides it by 1.7 (estimates/apa.py).
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from policies.questions import normalise
from seniorplus.dialogue.facts import FEMININE, euros, read_facts
from seniorplus.dialogue.speaker import SELF, Speaker
from seniorplus.dialogue.triage import Need, gir_band
from seniorplus.dialogue.triage_questions import dont_know, read_choice
from seniorplus.estimates import PARAMETERS_BY_YEAR, estimate_home, scale_on
from seniorplus.estimates.apa import format_euros
from seniorplus.journeys.walkthrough import MENU, Reply

BANDS: dict[str, tuple[int, int]] = {
    "1-2": (1, 2), "3-4": (3, 4), "1-4": (1, 4),
    "1": (1, 1), "2": (2, 2), "3": (3, 3), "4": (4, 4),  # a GIR the person already knows
}  # fmt: skip
ALONE, COUPLE, NOT_KNOWN = "seul", "couple", "inconnu"
_ALONE_WORDS = {"seul", "seule", "seuls", "veuf", "veuve", "celibataire", "divorce", "divorcee"}
_COUPLE_WORDS = {"couple", "deux", "mari", "femme", "epoux", "epouse", "conjoint", "conjointe",
                 "ensemble", "marie", "mariee", "maries", "compagnon", "compagne"}  # fmt: skip
START_PAYLOAD = '/ask_cost{"estimate": "apa"}'
LIGHT = "5-6"  # a light need (triage.GIR_BANDS): no APA, the caisse de retraite instead
RETIREMENT_FUND_BUTTON = {
    "title": "L'aide de la caisse de retraite",
    "payload": '/ask_retirement_fund_help{"journey": "caisse_retraite"}',
}
APA_PAGE = "loire-atlantique.fr/apa"


def estimate_year(today: date) -> int:
    """The latest year with official figures, not after the year of ``today``."""
    return scale_on(today).parameters.year


def stale_notice(year: int, today: date) -> list[Reply]:
    """Said before an estimate made with last year's scale (no new one recorded yet)."""
    if year >= today.year:
        return []
    return [
        Reply(
            f"Attention : le barème {today.year} de l'allocation personnalisée d'autonomie "
            "(APA) n'est pas encore enregistré. "
            f"Voici une estimation avec le barème {year}. Les montants sont revalorisés "
            f"chaque 1er janvier : à vérifier sur {APA_PAGE}."
        )
    ]


def band_button(title: str, band: str) -> dict[str, str]:
    return {"title": title, "payload": f'/ask_cost{{"gir_band": "{band}"}}'}


def gir_question(speaker: Speaker) -> list[Reply]:
    if speaker.for_whom == SELF:
        text = "Pour une estimation, quelle phrase vous décrit le mieux ?"
    else:
        whom = speaker.relative or "la personne"
        text = f"Pour une estimation, quelle phrase décrit le mieux {whom} ?"
    return [
        Reply(
            text,
            (
                band_button("Aide tout le temps", "1-2"),
                band_button("Aide chaque jour pour la toilette", "3-4"),
                band_button("Je ne sais pas", "1-4"),
            ),
        )
    ]  # fmt: skip


def read_band(text: str) -> str | None:
    """The help needed in the person's words, as a band: "pour la toilette chaque matin" is
    "3-4", "il faut l'aider pour tout" "1-2", "juste le ménage" LIGHT, "je sais pas" "1-4";
    None when the words say no help."""
    need = read_choice("need", text)
    band = gir_band(Need(need)) if need is not None else None
    if band is not None:
        return band[0]
    return "1-4" if dont_know(text) else None


def band_of_need(need: str | None) -> str | None:
    """The band of a need heard as a fact (``Facts.need``): "1-2" or "3-4"; None if not said."""
    band = gir_band(Need(need)) if need is not None else None
    return band[0] if band is not None else None


def light_need(speaker: Speaker) -> list[Reply]:
    """A light need ends the estimate: the APA is for GIR 1 to 4; the caisse de retraite helps."""
    whom = "vous" if speaker.for_whom == SELF else (speaker.relative or "la personne")
    return [
        Reply(
            "Un coup de main de temps en temps (ménage, courses) correspond souvent à un "
            "GIR 5 ou 6 (niveau de besoin d'aide léger) : l'allocation personnalisée "
            "d'autonomie (APA) n'est alors pas versée. La caisse de retraite peut aider "
            f"{whom} pour quelques heures d'aide à domicile. Seul le Département décide du "
            "niveau, après une visite.",
            (RETIREMENT_FUND_BUTTON, MENU),
        )
    ]


def band_not_understood(speaker: Speaker, kept: str | None = None) -> list[Reply]:
    """Another answer than the help needed ("seule", "à Rezé"): kept and said back, or not
    understood; the question asked again."""
    [asked] = gir_question(speaker)
    opening = f"C'est noté : {kept}." if kept else "Je n'ai pas bien compris."
    return [Reply(f"{opening} {asked.text}", asked.buttons)]


def household_button(title: str, household: str) -> dict[str, str]:
    """The answer rides on the ``home`` entity (a new one would need a retraining)."""
    return {"title": title, "payload": f'/ask_cost{{"home": "{household}"}}'}


def household_question(speaker: Speaker) -> list[Reply]:
    if speaker.for_whom == SELF:
        text = "Vivez-vous seul ou en couple ?"
    elif speaker.relative and speaker.relative.split()[-1] in FEMININE:
        text = f"{speaker.relative.capitalize()} vit-elle seule ou en couple ?"
    elif speaker.relative and speaker.relative != "votre proche":
        text = f"{speaker.relative.capitalize()} vit-il seul ou en couple ?"
    else:
        text = "La personne vit-elle seule ou en couple ?"
    note = "En couple, les revenus comptés sont ceux des deux."
    return [Reply(f"{text} {note}", (
        household_button("Seul(e)", ALONE),
        household_button("En couple", COUPLE),
        household_button("Je ne sais pas", NOT_KNOWN),
    ))]  # fmt: skip


def read_household(text: str) -> str | None:
    """ "seule", "avec mon mari", "on est deux", "je sais pas": the answer, or None."""
    found = read_facts(text).household
    if found:
        return found
    words = set(normalise(text).split())
    if words & _COUPLE_WORDS:
        return COUPLE
    if words & _ALONE_WORDS:
        return ALONE
    if {"sais", "sait"} & words or "aucune idee" in normalise(text):
        return NOT_KNOWN
    return None


def household_not_understood(speaker: Speaker) -> list[Reply]:
    [question] = household_question(speaker)
    return [Reply(f"Je n'ai pas compris. {question.text.split('?')[0]}?", question.buttons)]


def income_question(speaker: Speaker, couple: bool = False) -> list[Reply]:
    if couple:
        whose = "les revenus du couple" if speaker.for_whom != SELF else "vos revenus à deux"
    elif speaker.for_whom == SELF:
        whose = "vos revenus"
    else:
        whose = f"les revenus de {speaker.relative or 'la personne'}"
    return [
        Reply(
            f"Quels sont {whose} par mois, à peu près ? Retraite et autres revenus. "
            "Écrivez par exemple : 1200 euros.",
            ({"title": "Je ne sais pas", "payload": '/ask_cost{"income": "inconnu"}'},),
        )
    ]


def income_not_understood() -> list[Reply]:
    return [
        Reply(
            "Je n'ai pas compris le montant. Écrivez seulement le chiffre, par exemple : 1200.",
            ({"title": "Je ne sais pas", "payload": '/ask_cost{"income": "inconnu"}'},),
        )
    ]


def situation(income: Decimal, yearly: bool, household: str | None, relative: str | None) -> str:
    """What the estimate used, said back: "Avec 1 300 euros par mois, en couple"."""
    if yearly:
        year_amount = (income * 12).quantize(Decimal(1))  # 2 916,67 x 12 was said 35 000
        said = f"Avec {euros(year_amount)} par an ({euros(income)} par mois)"
    else:
        said = f"Avec {euros(income)} par mois"
    if household == COUPLE:
        return f"{said}, en couple"
    if relative is None:
        alone = "seul(e)"
    else:
        alone = "seule" if relative.split()[-1] in FEMININE else "seul"
    if household == ALONE:
        return f"{said}, {alone}"
    return f"{said}, calculé pour une personne seule"


def income_impossible(amount: Decimal) -> list[Reply]:
    """An amount that cannot be a month's income: said kindly, and asked again."""
    return [
        Reply(
            f"{format_euros(amount)} par mois, cela semble beaucoup. Pouvez-vous vérifier ? "
            "Écrivez le montant par mois, par exemple : 1200.",
            ({"title": "Je ne sais pas", "payload": '/ask_cost{"income": "inconnu"}'},),
        )
    ]


def result(
    band: str,
    income: Decimal | None,
    year: int,
    today: date | None = None,
    couple: bool = False,
    said: str | None = None,
    relative: str | None = None,
) -> list[Reply]:
    """The estimate; without income, the ceilings and the rule instead of a figure.

    ``today`` (the conversation's day) adds a warning when ``year`` is an older scale;
    ``said`` (:func:`situation`) opens the answer with the facts used; ``relative`` ("votre
    père") words what remains to pay as the relative's.
    """
    girs = BANDS.get(band, BANDS["1-4"])
    if income is None:
        ceilings = estimate_home(girs, 0, year)
        threshold = PARAMETERS_BY_YEAR[year].home_zero_threshold
        text = (
            f"Selon notre estimation pour {year}, l'aide peut aller jusqu'à environ "
            f"{format_euros(ceilings.ceiling_low)} à {format_euros(ceilings.ceiling_high)} "
            "par mois. Ce qui reste à payer dépend des revenus : rien sous environ "
            f"{format_euros(threshold)} par mois. C'est le Département qui décide."
        )
    else:
        text = estimate_home(girs, income, year, couple=couple).french_summary(relative)
        if said:
            text = f"{said} : {text[0].lower()}{text[1:]}"
    notice = stale_notice(year, today) if today is not None else []
    return [
        *notice,
        Reply(text, ({"title": "Rencontrer un conseiller", "payload": "/book_appointment"}, MENU)),
    ]


def estimate_offer(start_payload: str, relative: str | None) -> Reply:
    """After the amounts of the APA or EHPAD journey: an estimate for this person?"""
    offer = {"title": "Faire une estimation", "payload": start_payload}
    return Reply(f"Voulez-vous une estimation pour {relative or 'votre cas'} ?", (offer, MENU))
