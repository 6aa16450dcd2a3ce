"""The plain-French summary an agent reads first when a conversation is handed over (pure).

Built from what the assistant already holds: the Rasa tracker's events (plain
dicts, as rasa_sdk gives them), the slots, the person's open cases
(:func:`seniorplus.cases.case_summary` dicts) and upcoming appointments
(already described in French). One short line per fact, only what is known,
then the last messages::

    Un proche, pour sa mère.
    Canal : SMS.
    Démarche : L'APA à domicile, étape 3 sur 8 (Remplir le formulaire).
    Dossier SP-2026-000123 (L'APA à domicile) : ouvert ; il manque : RIB, … (+2).
    Commune : Clisson (44190).
    GIR approximatif (estimé par l'assistant) : 1-2.
    Rendez-vous : mardi 1 décembre à 9 h 45, France Services Clisson, …
    Motif : a demandé une personne.
    Derniers messages :
    Personne : …
    Assistant : …
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from rendering.channels import Labels
from seniorplus.dialogue.speaker import RELATIVES, Speaker
from seniorplus.dialogue.turns import Event, effective_events
from seniorplus.journeys.schema import Journey

MAX_CHARS = 1500
MESSAGE_CHARS = 200
LAST_MESSAGES = 6
MISSING_SHOWN = 3
CASES_SHOWN = 2

REASONS_FR: Mapping[str, str] = {
    "demande": "a demandé une personne",
    "incomprehension": "2 incompréhensions de suite",
    "urgence": "mots d'urgence (numéros d'urgence donnés)",
    "appel": "appel téléphonique",
    "agent": "un conseiller a pris la main",
}
CHANNELS_FR: Mapping[str, str] = Labels(lambda channel: channel.said_to_agent, aliases=True)
# "sa mère", "son père": the relationship slot's values (data/nlu/_lookups.yml).
_FEMININE = frozenset({"mère", "fille", "sœur", "grand-mère", "belle-mère", "tante", "épouse"})
_VOWELS = "aeéèêiouy"  # "son épouse"

Message = tuple[str, str]  # ("Personne" | "Assistant" | "Conseiller", text)


def shorten(text: str, limit: int = MESSAGE_CHARS) -> str:
    """One line (whitespace collapsed), cut at ``limit`` characters with "…"."""
    line = " ".join(text.split())
    return line if len(line) <= limit else line[: limit - 1].rstrip() + "…"


def who_line(slots: Mapping[str, Any]) -> str | None:
    """ "La personne elle-même.", "Un proche, pour sa mère.", or None when not asked."""
    speaker = Speaker.from_slots(slots.get("for_whom"), slots.get("relationship"))
    if not speaker.known:
        return None
    if not speaker.is_relative:
        return "La personne âgée elle-même."
    relation = speaker.relationship
    if not relation:
        return "Un proche, pour une personne âgée."
    if relation not in RELATIVES:  # a word the lookups do not know: quoted, not guessed
        return f"Un proche, pour une personne âgée (« {shorten(relation, 30)} »)."
    feminine = relation in _FEMININE and relation[0] not in _VOWELS
    return f"Un proche, pour {'sa' if feminine else 'son'} {relation}."


def journey_line(slots: Mapping[str, Any], catalogue: Mapping[str, Journey]) -> str | None:
    """ "Démarche : L'APA à domicile, étape 3 sur 8 (Remplir le formulaire)."."""
    journey = catalogue.get(str(slots.get("journey") or ""))
    if journey is None:
        return None
    try:
        index = int(slots.get("journey_step"))  # type: ignore[arg-type]
    except (TypeError, ValueError):
        index = -1
    if 0 <= index < len(journey.steps):
        step = journey.steps[index]
        return (
            f"Démarche : {journey.title}, étape {index + 1} sur {len(journey.steps)} "
            f"({step.title})."
        )
    return f"Démarche : {journey.title} (étapes pas encore commencées)."


def case_line(case: Mapping[str, Any]) -> str:
    """ "Dossier SP-… (L'APA à domicile) : ouvert ; il manque : RIB, … (+2)."."""
    line = f"Dossier {case.get('reference')} ({case.get('journey_title')}) : "
    line += str(case.get("status_label") or case.get("status") or "état inconnu")
    missing = [str(d.get("label")) for d in case.get("missing_documents") or []]
    if missing:
        shown = ", ".join(missing[:MISSING_SHOWN])
        more = f" (+{len(missing) - MISSING_SHOWN})" if len(missing) > MISSING_SHOWN else ""
        line += f" ; il manque : {shown}{more}"
    elif case.get("missing_documents") is not None:
        line += " ; aucun papier ne manque"
    return shorten(line + ".", 250)


def place_line(slots: Mapping[str, Any]) -> str | None:
    commune = str(slots.get("commune") or "").strip()
    postcode = str(slots.get("postcode") or "").strip()
    if commune and postcode:
        return f"Commune : {shorten(commune, 60)} ({shorten(postcode, 10)})."
    if commune or postcode:
        return f"Commune : {shorten(commune or postcode, 60)}."
    return None


def gir_line(slots: Mapping[str, Any]) -> str | None:
    band = str(slots.get("gir_band") or "").strip()
    if not band:
        return None
    return f"GIR approximatif (estimé par l'assistant, à vérifier) : {shorten(band, 10)}."


def facts(
    slots: Mapping[str, Any],
    *,
    reason: str,
    channel: str | None,
    cases: Sequence[Mapping[str, Any]] = (),
    appointments: Sequence[str] = (),
    catalogue: Mapping[str, Journey] | None = None,
) -> list[str]:
    """The summary's lines before the messages, each only when known."""
    if catalogue is None:
        from seniorplus.cases.cases import journeys

        catalogue = journeys()
    lines = [
        who_line(slots),
        f"Canal : {CHANNELS_FR.get(channel or '', channel or 'inconnu')}." if channel else None,
        journey_line(slots, catalogue),
        *(case_line(case) for case in cases[:CASES_SHOWN]),
        f"Et {len(cases) - CASES_SHOWN} autre(s) dossier(s) ouvert(s)."
        if len(cases) > CASES_SHOWN
        else None,
        place_line(slots),
        gir_line(slots),
        f"Rendez-vous : {shorten(appointments[0], 180)}." if appointments else None,
        f"Et {len(appointments) - 1} autre(s) rendez-vous." if len(appointments) > 1 else None,
        f"Motif : {REASONS_FR.get(reason, reason)}.",
    ]
    return [line for line in lines if line]


def _button_title(text: str, earlier: Sequence[Event]) -> str | None:
    """The title of the button whose payload the person sent ("/request_human")."""
    for event in reversed(earlier):
        for button in (event.get("data") or {}).get("buttons") or []:
            if str(button.get("payload", "")) == text:
                return str(button.get("title", "")) or None
    return None


def recent_messages(events: Sequence[Event], count: int = LAST_MESSAGES) -> list[Message]:
    """The last ``count`` messages with words, oldest first; a tapped button by its title."""
    messages: list[Message] = []
    bots: list[Event] = []
    for event in effective_events(list(events)):
        text = event.get("text")
        if not isinstance(text, str) or not text.strip():
            if event.get("event") == "bot":
                bots.append(event)
            continue
        if event.get("event") == "user":
            if text.startswith("/"):
                title = _button_title(text, bots)
                text = f"« {title} » (choix)" if title else f"(choix {text[1:40]})"
            messages.append(("Personne", text))
        elif event.get("event") == "bot":
            bots.append(event)
            messages.append(("Assistant", text))
    return messages[-count:] if count > 0 else []


def format_summary(
    lines: Sequence[str], messages: Sequence[Message], max_chars: int = MAX_CHARS
) -> str:
    """The facts, then as many of the latest messages as fit in ``max_chars``."""
    head = "\n".join(lines)
    shown = [f"{who} : {shorten(text)}" for who, text in messages]
    while shown:
        text = head + "\nDerniers messages :\n" + "\n".join(shown)
        if len(text) <= max_chars:
            return text
        shown.pop(0)  # the oldest goes first
    return head if len(head) <= max_chars else head[: max_chars - 1] + "…"


def build_summary(
    events: Sequence[Event],
    slots: Mapping[str, Any],
    *,
    reason: str,
    channel: str | None,
    cases: Sequence[Mapping[str, Any]] = (),
    appointments: Sequence[str] = (),
    catalogue: Mapping[str, Journey] | None = None,
    max_chars: int = MAX_CHARS,
) -> str:
    """The summary of a conversation handed to a person (see the module docstring)."""
    lines = facts(
        slots,
        reason=reason,
        channel=channel,
        cases=cases,
        appointments=appointments,
        catalogue=catalogue,
    )
    return format_summary(lines, recent_messages(events), max_chars)
