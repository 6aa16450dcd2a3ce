"""What the assistant says when a person books, cancels or moves an appointment (pure).

The slots, the dates ("mardi 24 novembre à 14 h 30, à l'espace …") and the refusals come
from `seniorplus.booking`; `actions/appointments.py` sends these replies.
"""

from __future__ import annotations

from collections.abc import Sequence

from seniorplus.journeys.walkthrough import MENU, Reply

PHONE_CHOICE = "telephone"
PHONE = {"title": "Plutôt par téléphone", "payload": '/book_appointment{"choice": "telephone"}'}
NO_UPCOMING = "Je n'ai pas de rendez-vous à venir à votre nom."
WHICH_TO_CANCEL = "Quel rendez-vous voulez-vous annuler ?"
BUTTON_CHARS = 60  # Telegram shows about this much of a button's title


def proposal(message: str, buttons: Sequence[dict[str, str]], by_phone: bool) -> Reply:
    """The free slots offered, one button each, and "plutôt par téléphone" under slots on site."""
    extra = (PHONE,) if by_phone else ()
    return Reply(f"{message}\nLequel vous convient ?", (*buttons, *extra, MENU))


def booked(described: str, reference: str, moved: bool) -> Reply:
    """The appointment noted (or moved): when and where, its reference, the reminder."""
    verb = "déplacé" if moved else "noté"
    return Reply(
        f"C'est {verb} : rendez-vous {described}. Référence : {reference}. "
        "Je vous enverrai un rappel la veille. Pour annuler, dites : annuler mon rendez-vous.",
        (MENU,),
    )


def cancelled(described: str) -> Reply:
    return Reply(f"C'est annulé : le rendez-vous {described}.", (MENU,))


def who_you_will_meet() -> Reply:
    """Before the slots of a booking asked before any aid was talked about ("je voudrais
    quelqu'un pour m'aider"): who the appointment is with, and what for."""
    return Reply(
        "Un médiateur de Senior Plus peut faire le point avec vous, de vive voix, et vous "
        "guider dans les démarches."
    )


def no_upcoming() -> Reply:
    return Reply(NO_UPCOMING, (MENU,))


def which_to_cancel(upcoming: Sequence[tuple[str, str]]) -> Reply:
    """One button per appointment to come (reference, described), the first three."""
    buttons = tuple(
        {
            "title": f"Annuler : {described}"[:BUTTON_CHARS],
            "payload": f'/cancel_appointment{{"choice": "{reference}"}}',
        }
        for reference, described in upcoming[:3]
    )
    return Reply(WHICH_TO_CANCEL, (*buttons, MENU))


def moving(described: str) -> Reply:
    """Before the new slots: the appointment that will be moved."""
    return Reply(f"Votre rendez-vous : {described}. Voici d'autres créneaux.")
