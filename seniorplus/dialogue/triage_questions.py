"""The triage as a short exchange: a few questions, then a plan (pure).

Answers are kept in a plain dict (the dialogue stores it in slots):
for_whom ("self" | "relative"), age (int | None), home, need, postcode.
Choice questions are buttons whose payload carries the answer as an entity of
`report_autonomy_loss`; age and postcode are typed (or skipped).
"""

from __future__ import annotations

import json
from typing import Any

from seniorplus.dialogue.triage import Answers, Home, Need, gir_band, recommend
from seniorplus.journeys import Journey
from seniorplus.journeys.walkthrough import MENU, Reply

STAGES = ("for_whom", "age", "home", "need", "postcode")
SKIPPED = "inconnu"


def button(title: str, **entities: str) -> dict[str, str]:
    return {"title": title, "payload": f"/report_autonomy_loss{json.dumps(entities)}"}


def next_stage(answers: dict[str, Any]) -> str | None:
    return next((stage for stage in STAGES if stage not in answers), None)


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
        return [Reply(text, (
            button("À la maison", home=Home.AT_HOME.value),
            button("En maison de retraite", home=Home.IN_ESTABLISHMENT.value),
            button("Veut y entrer", home=Home.WANTS_ESTABLISHMENT.value),
        ))]  # fmt: skip
    if stage == "need":
        return [Reply("Quelle phrase décrit le mieux le besoin d'aide ?", (
            button("Aide tout le temps", need=Need.CONSTANT.value),
            button("Aide chaque jour pour la toilette", need=Need.DAILY_CARE.value),
            button("Un coup de main parfois", need=Need.OCCASIONAL.value),
            button("Je ne sais pas", need=Need.UNKNOWN.value),
        ))]  # fmt: skip
    text = "Dernière question : quel est le code postal ?"
    return [Reply(text, (button("Je ne sais pas", skip="postcode"),))]


def not_understood(stage: str) -> list[Reply]:
    if stage == "age":
        text = "Je n'ai pas compris l'âge. Écrivez seulement le nombre, par exemple : 82."
    else:
        text = "Je n'ai pas reconnu ce code postal. Il a 5 chiffres, par exemple : 44000."
    return [Reply(text, (button("Je ne sais pas", skip=stage),))]


def plan(answers: dict[str, Any], journeys: dict[str, Journey]) -> list[Reply]:
    """The rough help level in plain words, then 1-3 journeys to open, most useful first."""
    triage = Answers(
        age=answers.get("age") if isinstance(answers.get("age"), int) else None,
        need=Need(answers.get("need", Need.UNKNOWN.value)),
        home=Home(answers.get("home", Home.AT_HOME.value)),
        caregiver=answers.get("for_whom") == "relative",
    )
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
