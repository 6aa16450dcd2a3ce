"""The triage as a short exchange: a few questions, then a plan (pure).

Answers are kept in a plain dict (the dialogue stores it in slots):
for_whom ("self" | "relative"), age (int | None), home, need, postcode.
Choice questions are buttons whose payload carries the answer as an entity of
`report_autonomy_loss`; age and postcode are typed (or skipped). Facts already heard
(:mod:`seniorplus.dialogue.facts`) answer their question in advance; a typed answer to
a choice question is read too ("chez elle", "en ehpad", "je sais pas").
"""

from __future__ import annotations

import json
from typing import Any

from policies.questions import normalise
from seniorplus.dialogue.facts import Facts
from seniorplus.dialogue.triage import Answers, Home, Need, gir_band, recommend
from seniorplus.journeys import Journey
from seniorplus.journeys.walkthrough import MENU, Reply

STAGES = ("for_whom", "age", "home", "need", "postcode")
SKIPPED = "inconnu"
_HOME_FROM_FACT = {"domicile": Home.AT_HOME.value, "etablissement": Home.IN_ESTABLISHMENT.value}
_NEED_FROM_GIR = {1: Need.CONSTANT, 2: Need.CONSTANT, 3: Need.DAILY_CARE, 4: Need.DAILY_CARE,
                  5: Need.OCCASIONAL, 6: Need.OCCASIONAL}  # fmt: skip
_DONT_KNOW = ("je sais pas", "je ne sais pas", "sais pas", "j sais pas", "aucune idee",
              "je ne sais plus", "je sais plus", "on ne sait pas", "on sait pas", "ne sait pas",
              "pas sur", "pas sure", "aucune id", "chai pas", "jsais pas", "jsp")  # fmt: skip
_HOME_WORDS = (
    ("veut entrer", Home.WANTS_ESTABLISHMENT), ("voudrait entrer", Home.WANTS_ESTABLISHMENT),
    ("cherche une place", Home.WANTS_ESTABLISHMENT), ("ehpad", Home.IN_ESTABLISHMENT),
    ("maison de retraite", Home.IN_ESTABLISHMENT), ("etablissement", Home.IN_ESTABLISHMENT),
    ("residence autonomie", Home.IN_ESTABLISHMENT), ("foyer", Home.IN_ESTABLISHMENT),
    ("domicile", Home.AT_HOME), ("chez elle", Home.AT_HOME), ("chez lui", Home.AT_HOME),
    ("chez moi", Home.AT_HOME), ("chez eux", Home.AT_HOME), ("maison", Home.AT_HOME),
    ("appartement", Home.AT_HOME), ("chez nous", Home.AT_HOME),
)  # fmt: skip
_NEED_WORDS = (
    ("tout le temps", Need.CONSTANT), ("pour tout", Need.CONSTANT), ("alite", Need.CONSTANT),
    ("jour et nuit", Need.CONSTANT), ("en permanence", Need.CONSTANT),
    ("toilette", Need.DAILY_CARE), ("chaque jour", Need.DAILY_CARE),
    ("tous les jours", Need.DAILY_CARE), ("habiller", Need.DAILY_CARE),
    ("laver", Need.DAILY_CARE), ("douche", Need.DAILY_CARE), ("se lever", Need.DAILY_CARE),
    ("coucher", Need.DAILY_CARE), ("chaque matin", Need.DAILY_CARE),
    ("tous les matins", Need.DAILY_CARE), ("chaque soir", Need.DAILY_CARE),
    ("tous les soirs", Need.DAILY_CARE),
    ("parfois", Need.OCCASIONAL), ("coup de main", Need.OCCASIONAL),
    ("menage", Need.OCCASIONAL), ("courses", Need.OCCASIONAL), ("un peu", Need.OCCASIONAL),
)  # fmt: skip


def dont_know(text: str) -> bool:
    """ "je sais pas", "aucune idée": the person cannot say; the questions go on."""
    plain = normalise(text)
    return any(plain == w or plain.startswith(w + " ") or f" {w}" in plain for w in _DONT_KNOW)


def read_choice(stage: str, text: str) -> str | None:
    """A typed answer to the home or need question, as the button's value, or None."""
    plain = f" {normalise(text)} "
    words = _HOME_WORDS if stage == "home" else _NEED_WORDS if stage == "need" else ()
    return next((value.value for word, value in words if f" {word} " in plain), None)


def from_facts(facts: Facts) -> dict[str, Any]:
    """The answers that facts heard give in advance."""
    answers: dict[str, Any] = {}
    if facts.relationship:
        answers["for_whom"] = "relative"
    if facts.age is not None:
        answers["age"] = facts.age
    if facts.residence in _HOME_FROM_FACT:
        answers["home"] = _HOME_FROM_FACT[facts.residence]
    if facts.gir in _NEED_FROM_GIR:
        answers["need"] = _NEED_FROM_GIR[facts.gir].value
    elif facts.need is not None:  # "elle ne peut plus se laver seule"
        answers["need"] = Need(facts.need).value
    return answers


def button(title: str, **entities: str) -> dict[str, str]:
    return {"title": title, "payload": f"/report_autonomy_loss{json.dumps(entities)}"}


HOME_BUTTONS = (
    button("À domicile", home=Home.AT_HOME.value),
    button("En maison de retraite", home=Home.IN_ESTABLISHMENT.value),
    button("Veut y entrer", home=Home.WANTS_ESTABLISHMENT.value),
    button("Je ne sais pas", skip="home"),
)


def next_stage(answers: dict[str, Any]) -> str | None:
    """The first question without an answer (a commune heard answers the postcode)."""
    done = {*answers, *(("postcode",) if answers.get("commune") else ())}
    return next((stage for stage in STAGES if stage not in done), None)


def question(stage: str, for_self: bool, relative: str | None) -> list[Reply]:
    """The question of `stage`, said to the senior ("vous") or about their relative.

    `relative` is how the caregiver calls the senior ("votre mère", "votre proche").
    """
    who = relative or "la personne"
    if stage == "for_whom":
        text = "Je vais vous orienter en quelques questions. C'est pour vous ou pour un proche ?"
        choices = (
            button("Pour moi", for_whom="self"),
            button("Pour un proche", for_whom="relative"),
        )
        return [Reply(text, choices)]
    if stage == "age":
        text = "Quel âge avez-vous ?" if for_self else f"Quel âge a {who} ?"
        return [Reply(text, (button("Je ne sais pas", skip="age"),))]
    if stage == "home":
        text = "Où vivez-vous ?" if for_self else f"Où vit {who} ?"
        return [Reply(text, HOME_BUTTONS)]
    if stage == "need":
        return [Reply("Quelle phrase décrit le mieux le besoin d'aide ?", (
            button("Aide tout le temps", need=Need.CONSTANT.value),
            button("Aide chaque jour pour la toilette", need=Need.DAILY_CARE.value),
            button("Un coup de main parfois", need=Need.OCCASIONAL.value),
            button("Je ne sais pas", need=Need.UNKNOWN.value),
        ))]  # fmt: skip
    where = "vivez-vous" if for_self else f"vit {who}"
    text = f"Dernière question : dans quelle commune {where} ? Le nom ou le code postal suffit."
    return [Reply(text, (button("Je ne sais pas", skip="postcode"),))]


def ask_again_plainly(
    stage: str, for_self: bool, relative: str | None, kept: str, verb: str = "noté"
) -> list[Reply]:
    """Another answer than the one asked ("à Clisson" for "où vit-elle ?"): kept ("noté",
    or "corrigé"), and the question asked again in other words."""
    [asked] = question(stage, for_self, relative)
    if stage == "home":
        who = "vous vivez" if for_self else f"{relative or 'la personne'} vit"
        return [Reply(f"C'est {verb} : {kept}. Et {who} à domicile, ou en maison de retraite ?",
                      asked.buttons)]  # fmt: skip
    return [Reply(f"C'est {verb} : {kept}. {asked.text}", asked.buttons)]


FIRST_QUESTION = "C'est la première question."
# An aspect asked before the triage has found the aid ("ça coûterait combien ?"): it depends on
# the aid, given once the questions have found it; the question waiting goes on.
_ASPECT_LATER = {
    "cost": "Les montants dépendent de l'aide qui conviendra : je vous les donne dès que nous "
    "l'aurons trouvée, dans une ou deux questions.",
    "documents": "Les papiers dépendent de l'aide qui conviendra : je vous les donne dès que "
    "nous l'aurons trouvée, dans une ou deux questions.",
}


def aspect_later(aspect: str | None) -> list[Reply]:
    """What an aspect asked during the triage depends on (nothing for another aspect)."""
    return [Reply(_ASPECT_LATER[aspect])] if aspect in _ASPECT_LATER else []


def noted(parts: list[str]) -> list[Reply]:
    """ "J'ai noté : votre mère, 87 ans, seule, à domicile, Clisson." (facts heard, place)."""
    return [Reply(f"J'ai noté : {', '.join(p for p in parts if p)}.")]


def corrected_age(age: object) -> list[Reply]:
    """ "non, elle a 87 ans, pas 78": the newer age said back."""
    return [Reply(f"C'est corrigé : {age} ans.")]


def impossible(stage: str, value: str) -> list[Reply]:
    """A number that cannot be an age: said kindly, and asked again."""
    text = f"{value} ans, cela ne semble pas possible. Pouvez-vous vérifier l'âge ?"
    return [Reply(f"{text} Écrivez seulement le nombre, par exemple : 82.",
                  (button("Je ne sais pas", skip=stage),))]  # fmt: skip


def not_understood(stage: str, for_self: bool = False, relative: str | None = None) -> list[Reply]:
    if stage in ("for_whom", "home", "need"):
        [asked] = question(stage, for_self, relative)
        return [Reply(f"Je n'ai pas bien compris. {asked.text}", asked.buttons)]
    if stage == "age":
        text = "Je n'ai pas compris l'âge. Écrivez seulement le nombre, par exemple : 82."
    else:
        text = (
            "Je n'ai pas reconnu cette commune. Écrivez son nom ou son code postal, "
            "par exemple : Clisson, ou 44190."
        )
    return [Reply(text, (button("Je ne sais pas", skip=stage),))]


def as_answers(answers: dict[str, Any]) -> Answers:
    """The stored answers as the triage's rules read them (unknown or skipped: the default)."""
    home = answers.get("home")
    need = answers.get("need")
    return Answers(
        age=answers.get("age") if isinstance(answers.get("age"), int) else None,
        need=Need(need) if need in {n.value for n in Need} else Need.UNKNOWN,
        home=Home(home) if home in {h.value for h in Home} else Home.AT_HOME,
        caregiver=answers.get("for_whom") == "relative",
    )


def first_advised(answers: dict[str, Any]) -> str | None:
    """The journey the plan advises first, once every question has an answer; else None."""
    if not answers or next_stage(answers) is not None:
        return None
    found = recommend(as_answers(answers))
    return found[0].journey if found else None


def plan(answers: dict[str, Any], journeys: dict[str, Journey]) -> list[Reply]:
    """The rough help level in plain words, then 1-3 journeys to open, most useful first."""
    triage = as_answers(answers)
    replies = []
    band = gir_band(triage.need)
    if band:
        replies.append(
            Reply(f"{band[1]} Seul le Département, ou la caisse, le décide après une visite.")
        )
    postcode = answers.get("postcode")
    if isinstance(postcode, str) and not postcode.startswith("44"):
        elsewhere = (
            "Je connais surtout la Loire-Atlantique. Les démarches sont les mêmes partout, "
            "mais les contacts changent selon le département."
        )
        replies.append(Reply(elsewhere))
    found = recommend(triage)
    lines = ["Je vous conseille, dans cet ordre :"]
    lines += [f"{n}. {journeys[r.journey].title} : {r.reason}" for n, r in enumerate(found, 1)]
    choices = tuple(
        {"title": journeys[r.journey].title,
         "payload": f'/{journeys[r.journey].intent}{{"journey": "{r.journey}"}}'}
        for r in found
    )  # fmt: skip
    replies.append(Reply("\n".join(lines), (*choices, MENU)))
    return replies
