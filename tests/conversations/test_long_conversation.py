"""A long conversation: a turn reads only its latest turns (bot/stores/window.py), and loses
nothing the person said at the start, nor a correction made later."""

from __future__ import annotations

import sqlite3
from collections.abc import Callable

import pytest

from tests.conversations.conftest import Assistant, buttons, joined

pytestmark = pytest.mark.conversation

QUESTIONS = [
    "c'est quoi exactement le GIR ?",
    "qui est-ce qui vient chez elle pour évaluer ?",
    "d'accord merci",
    "est-ce qu'on peut avoir quelqu'un pour les repas ?",
    "et la téléassistance, ça marche comment ?",
    "merci",
    "c'est quoi la carte mobilité inclusion ?",
    "et pour adapter sa salle de bain ?",
    "si un jour elle va en maison de retraite ça coûte combien ?",
    "ok merci beaucoup",
    "est-ce que moi j'ai droit à un congé pour m'occuper d'elle ?",
    "d'accord",
    "bon",
]


def window_of(assistant: Assistant, sender: str) -> tuple[int, int] | None:
    """Where the conversation's window starts, and the id of its first stored event."""
    database = sqlite3.connect(assistant.app_database.parent / "tracker.db")
    try:
        first = database.execute(
            "SELECT min(id) FROM events WHERE sender_id = ?", (sender,)
        ).fetchone()
        row = database.execute(
            "SELECT first_event_id FROM conversation_windows WHERE sender_id = ?", (sender,)
        ).fetchone()
    finally:
        database.close()
    return (row[0], first[0]) if row else None


def test_what_was_said_at_the_start_and_a_late_correction_both_count(
    assistant: Assistant, new_sender: Callable[[], str]
) -> None:
    daughter = new_sender()
    first = assistant.say(
        daughter,
        "bonjour, ma mère a 87 ans, elle vit seule à Clisson, elle touche 1 400 euros de "
        "retraite par mois et elle ne peut plus faire sa toilette seule",
    )
    assert "1 400 euros par mois" in joined(first)
    for question in QUESTIONS:  # until turns start reading further on than her first message
        assistant.say(daughter, question)  # every turn gets an answer (say checks it)
        moved = window_of(assistant, daughter)
        if moved is not None and moved[0] > moved[1]:
            break
    else:
        pytest.fail("the window never moved")
    # The first message read through the moved window: fewer messages than before are seen.
    assistant.say(daughter, "ah non pardon je me suis trompée, elle touche 1 600 euros par mois")
    answer = assistant.say(daughter, "combien d'APA pourrait-elle toucher ?")
    if "Faire une estimation" in buttons(answer):
        answer = assistant.say(daughter, "Faire une estimation")
    said = joined(answer)  # seule (first message) and 1 600 euros (late): nothing asked again
    assert "Avec 1 600 euros par mois, seule : selon notre estimation" in said
    assert "GIR 3 ou 4" in said
