"""What the assistant says about a person's case: opened, where it stands, papers ticked (pure).

Works on `seniorplus.cases.case_summary` dicts, so it can be tested without a database.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from seniorplus.journeys.walkthrough import MENU, Reply

STATUS_BUTTON = {"title": "Où en est mon dossier ?", "payload": "/check_case_status"}
ADVISER_BUTTON = {"title": "Rencontrer un conseiller", "payload": "/book_appointment"}
SHOWN_PAPERS = 3  # the first missing papers named in one message; the rest on request
DB_TROUBLE = (
    "Je n'arrive pas à joindre les dossiers pour le moment. Réessayez dans quelques "
    "minutes : rien de ce que vous m'avez dit n'est perdu."
)


def _papers(summary: Mapping[str, Any]) -> str:
    missing = [str(d["label"]) for d in summary["missing_documents"]]
    if not missing:
        return "Tous les papiers sont notés comme reçus."
    shown = "\n".join(f"- {label}" for label in missing[:SHOWN_PAPERS])
    more = len(missing) - SHOWN_PAPERS
    rest = f"\nEt {more} autre{'s' if more > 1 else ''}." if more > 0 else ""
    return f"Il manque encore :\n{shown}{rest}"


def opened(summary: Mapping[str, Any], created: bool, relative: str | None) -> list[Reply]:
    """The case just opened (or found already open): reference, papers, what to say next."""
    whose = f"de {relative}" if relative else "Senior Plus"
    title = summary["journey_title"]
    if created:
        first = (
            f"C'est fait : j'ai ouvert le dossier {whose} pour {title}. "
            f"Sa référence : {summary['reference']}. Un conseiller peut le suivre avec vous."
        )
    else:
        first = f"Un dossier {whose} pour {title} est déjà ouvert : {summary['reference']}."
    hint = "Quand vous avez un papier, dites-le moi, par exemple : j'ai le RIB."
    return [
        Reply(first),
        Reply(f"{_papers(summary)}\n{hint}", (ADVISER_BUTTON, STATUS_BUTTON, MENU)),
    ]


def status(summaries: Sequence[Mapping[str, Any]]) -> list[Reply]:
    """Where each open case stands, most recent first."""
    if not summaries:
        return [
            Reply(
                "Je ne trouve pas de dossier ouvert à votre nom. Pour en ouvrir un, choisissez "
                "une démarche puis dites : je veux faire la demande.",
                (MENU,),
            )
        ]
    replies = []
    for summary in summaries[:3]:
        step = summary.get("next_step")
        next_line = f"\nProchaine étape : {step['title']}." if step else ""
        replies.append(
            Reply(
                f"Dossier {summary['reference']}, {summary['journey_title']} : "
                f"{summary['status_label']}.\n{_papers(summary)}{next_line}"
            )
        )
    last = replies[-1]
    return [*replies[:-1], Reply(last.text, (ADVISER_BUTTON, MENU))]


def not_found() -> list[Reply]:
    """An unknown reference, or someone else's: the same answer, which reveals nothing."""
    return [
        Reply(
            "Je ne trouve pas de dossier à cette référence parmi les vôtres. Vérifiez les "
            "chiffres, par exemple SP-2026-000123.",
            (STATUS_BUTTON, MENU),
        )
    ]


def papers_noted(labels: Sequence[str], summary: Mapping[str, Any]) -> list[Reply]:
    """Papers just ticked off, then what is still missing."""
    if len(labels) == 1:
        noted = f"C'est noté : {labels[0][0].lower()}{labels[0][1:]}."
    else:
        noted = "C'est noté : " + " ; ".join(label[0].lower() + label[1:] for label in labels) + "."
    return [Reply(f"{noted}\n{_papers(summary)}", (STATUS_BUTTON, MENU))]


def which_journey() -> list[Reply]:
    return [Reply("Pour quelle démarche voulez-vous ouvrir un dossier ?")]
