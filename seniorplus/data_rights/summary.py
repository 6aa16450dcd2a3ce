""" "Qu'est-ce que vous savez sur moi ?": a short plain-French list (pure)."""

from __future__ import annotations

from datetime import datetime

from policies.hours import PARIS
from rendering.channels import Labels
from seniorplus.booking.dates import say_day, say_slot
from seniorplus.cases.cases import CLOSED, STATUS_LABELS, journeys
from seniorplus.cases.documents import missing_documents
from seniorplus.data_rights.inventory import PersonData
from seniorplus.dialogue.speaker import Speaker

CHANNEL_NAMES = Labels(lambda channel: channel.said_to_person)
MAX_CASES = 3


def _paris_day(at: datetime, now: datetime) -> str:
    return say_day(at.astimezone(PARIS).date(), now.astimezone(PARIS).date())


def phone_end(phone: str) -> str:
    """The last four digits, as said back to a person: "55 66" (never the whole number)."""
    end = phone[-4:]
    return f"{end[:2]} {end[2:]}"


def _identity(data: PersonData) -> str:
    contact = data.contact
    channel = CHANNEL_NAMES.get(contact.preferred_channel or "", "")
    if contact.phone:
        how = f" ({channel})" if channel else ""
        return f"votre numéro, qui finit par {phone_end(contact.phone)}{how}"
    if contact.telegram_chat_id:
        return "votre compte Telegram"
    return "le fil de cette conversation"


def _relatives(data: PersonData) -> list[str]:
    lines = []
    for link, senior in data.relatives:
        who = Speaker("relative", link.relationship).relative or "votre proche"
        name = f" ({senior.display_name})" if senior.display_name else ""
        lines.append(f"vous agissez pour {who}{name}")
    return lines


def _cases(data: PersonData) -> list[str]:
    catalogue = journeys()
    lines = []
    for case in [c for c in data.cases if c.status != CLOSED][:MAX_CASES]:
        journey = catalogue.get(case.journey)
        title = journey.title if journey else case.journey
        missing = len(missing_documents(case))
        papers = f", {missing} papier{'s' if missing > 1 else ''} à fournir" if missing else ""
        lines.append(f"dossier {case.reference}, {title} : {STATUS_LABELS[case.status]}{papers}")
    closed = sum(1 for c in data.cases if c.status == CLOSED)
    if closed:
        lines.append(f"{closed} dossier{'s' if closed > 1 else ''} clos")
    return lines


def _appointments(data: PersonData, now: datetime) -> list[str]:
    return [
        f"rendez-vous le {say_slot(a.starts_at, now)} ({a.reference})"
        for a in data.appointments
        if a.status == "reserve" and a.starts_at > now
    ]


def summary_text(
    data: PersonData,
    history: tuple[datetime, datetime] | None,
    retention_days: int,
    now: datetime,
) -> str:
    """What we know about the person, one item per line, then how to erase it.

    ``history`` is when the conversation began and last moved (tracker store).
    """
    items = [_identity(data), *_relatives(data), *_cases(data), *_appointments(data, now)]
    if data.opt_outs:
        items.append("vous avez demandé à ne plus recevoir de messages (STOP)")
    if history is not None:
        months = max(1, round(retention_days / 30))
        items.append(f"nos messages depuis le {_paris_day(history[0], now)}, gardés {months} mois")
    lines = "\n".join(f"- {item} ;" for item in items[:-1]) + f"\n- {items[-1]}."
    return f"Voici ce que je sais sur vous :\n{lines}\nRien d'autre."
