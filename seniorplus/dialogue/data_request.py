"""What the assistant says about a person's data: see, erase, confirm (pure).

One intent (``delete_my_data``) covers "supprimez mes données" and "qu'est-ce
que vous savez sur moi": :func:`wanted` reads which one from the words, and the
buttons carry it as the ``data_request`` entity.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Mapping
from typing import Literal

from policies.codes import NEW_CODE_PAYLOAD
from policies.questions import normalise
from seniorplus.dialogue.labels import HUMAN_BUTTON
from seniorplus.journeys.walkthrough import MENU, Reply

Request = Literal["voir", "effacer", "effacer_confirme", "garder", "nouveau_code"]
REQUESTS: frozenset[str] = frozenset(
    {"voir", "effacer", "effacer_confirme", "garder", "nouveau_code"}
)
INTENT = "delete_my_data"
ENTITY = "data_request"

_ERASE = re.compile(
    r"\b(supprim\w*|effac\w*|efface|oubli\w*|retir\w*|detrui\w*|enlev\w*|vire\w*|"
    r"desinscri\w*|desabonn\w*|droit a l oubli)\b"
)
_SEE = re.compile(
    r"\b(savez|connaissez|sait|voir|consulter|copie|acces|infos?|informations?|"
    r"qu avez vous|que gardez|gardez vous|montrez|sur moi|de moi)\b"
)


def button(title: str, request: Request) -> dict[str, str]:
    """A choice that says what the person wants, whatever the model makes of the title."""
    return {"title": title, "payload": f"/{INTENT}{json.dumps({ENTITY: request})}"}


SEE_BUTTON = button("Voir ce que vous savez sur moi", "voir")
ERASE_BUTTON = button("Effacer mes données", "effacer")
YES_BUTTON = button("Oui", "effacer_confirme")
NO_BUTTON = button("Non", "garder")
NEW_CODE_BUTTON = {"title": "Recevoir un nouveau code", "payload": NEW_CODE_PAYLOAD}
CANCEL_BUTTON = button("Annuler", "garder")
CODE_MARKER = {"expects": "code", "digits": 6}
"""Added (as ``custom``) to a message waiting for a code: the phone then takes 6 keys."""


def wanted(text: str, entities: Iterable[Mapping[str, object]]) -> Request | None:
    """What the person asks: from a button's entity, else their words; None if unclear."""
    for entity in entities:
        value = entity.get("value")
        if entity.get("entity") == ENTITY and isinstance(value, str) and value in REQUESTS:
            return value  # type: ignore[return-value]
    words = normalise(text)
    if _ERASE.search(words):  # erasing always asks first, so it may win
        return "effacer"
    if _SEE.search(words):
        return "voir"
    return None


def confirmation_pending(buttons: Iterable[Mapping[str, object]]) -> bool:
    """Whether the assistant's last message asked to confirm an erasure."""
    return any(b.get("payload") == YES_BUTTON["payload"] for b in buttons)


# One-time code by SMS before showing or erasing (seniorplus/data_rights/identity.py).

CODE_SMS = (
    "Senior Plus : votre code est {code}. Il est valable 10 minutes. "
    "Ne le donnez à personne. Si vous n'avez rien demandé, ignorez ce message."
)


def code_sent(phone_end: str, by_voice: bool) -> list[Reply]:
    """The code is on its way: where, how to give it, for how long."""
    how = "Dites les 6 chiffres, ou tapez-les sur le clavier." if by_voice else "Écrivez-le ici."
    return [
        Reply(
            "Pour protéger vos données, je vous envoie un code à 6 chiffres par SMS "
            f"au numéro qui finit par {phone_end}. {how} Il est valable 10 minutes.",
            (NEW_CODE_BUTTON, CANCEL_BUTTON),
        )
    ]


def code_wrong(tries_left: int) -> list[Reply]:
    tries = "encore 1 essai" if tries_left == 1 else f"encore {tries_left} essais"
    return [
        Reply(
            f"Ce code ne correspond pas. Regardez le SMS et réessayez ({tries}).",
            (NEW_CODE_BUTTON, CANCEL_BUTTON),
        )
    ]


CODE_CANCELLED = [Reply("D'accord : je ne montre rien et je n'efface rien.")]
CODE_EXPIRED = [
    Reply(
        "Ce code n'est plus valable. Voulez-vous un nouveau code ?",
        (NEW_CODE_BUTTON, CANCEL_BUTTON),
    )
]
CODE_NO_TRIES_LEFT = [
    Reply(
        "Trop d'essais pour ce code. Voulez-vous un nouveau code ?",
        (NEW_CODE_BUTTON, CANCEL_BUTTON),
    )
]
CODE_UNREADABLE = [
    Reply(
        "Je n'ai pas trouvé les 6 chiffres du code. Écrivez-les à la suite, par exemple 123456.",
        (NEW_CODE_BUTTON, CANCEL_BUTTON),
    )
]
TOO_MANY_CODES = [
    Reply(
        "Je vous ai déjà envoyé 3 codes cette heure-ci. Réessayez dans une heure, "
        "ou parlez à une personne de l'équipe : elle vérifiera qui vous êtes.",
        (HUMAN_BUTTON, MENU),
    )
]
NO_SMS_TO_THIS_NUMBER = [
    Reply(
        "Ce numéro ne reçoit pas les SMS : je ne peux pas vous envoyer de code, et sans code "
        "je ne montre ni n'efface vos données. Une personne de l'équipe peut vérifier "
        "qui vous êtes et vous aider.",
        (HUMAN_BUTTON, MENU),
    )
]
NO_SMS_AFTER_STOP = [
    Reply(
        "Vous avez demandé l'arrêt des SMS : je ne peux pas vous envoyer de code. "
        "Une personne de l'équipe peut vérifier qui vous êtes et vous aider.",
        (HUMAN_BUTTON, MENU),
    )
]
CODE_NOT_SENT = [
    Reply(
        "Je n'arrive pas à envoyer le SMS pour le moment. Rien n'est perdu : "
        "réessayez dans quelques minutes.",
        (NEW_CODE_BUTTON, MENU),
    )
]


def _listed(what: str, references: list[str]) -> str:
    return f"{what} {', '.join(references)}" if references else ""


def ask_confirmation(cases: list[str], appointments: list[str]) -> list[Reply]:
    """Say exactly what will go and what stays, then ask yes or no."""
    lines = ["J'effacerai votre numéro, votre nom et l'historique de nos messages."]
    if appointments:
        lines.append(f"{_listed('Votre rendez-vous', appointments)} sera annulé.")
    if cases:
        lines.append(
            f"{_listed('Votre dossier', cases)} sera clos. Sa trace est gardée sans "
            "vos coordonnées, comme la loi le demande."
        )
    lines.append("Voulez-vous vraiment tout effacer ?")
    return [Reply("\n".join(lines), (YES_BUTTON, NO_BUTTON))]


def erased(cases: list[str], appointments: list[str]) -> list[Reply]:
    """The erasure is done: what was done, and that a new message starts afresh."""
    lines = [
        "C'est fait : vos coordonnées sont effacées. Nos messages le seront d'ici quelques minutes."
    ]
    if appointments:
        lines.append(f"{_listed('Rendez-vous annulé :', appointments)}.")
    if cases:
        lines.append(f"{_listed('Dossier clos et gardé sans vos coordonnées :', cases)}.")
    lines.append(
        "Si vous m'écrivez à nouveau, je ne saurai plus rien de vous. Prenez soin de vous."
    )
    return [Reply("\n".join(lines))]


def summary(text: str) -> list[Reply]:
    """The summary, then the ways to erase or go back to the menu."""
    return [Reply(text, (ERASE_BUTTON, MENU))]


NOTHING_KNOWN = [
    Reply(
        "Je ne garde rien sur vous en dehors de cette conversation : pas de dossier, "
        "pas de rendez-vous.",
        (ERASE_BUTTON, MENU),
    )
]
