"""Templates of the console: one Jinja2 environment (autoescape on, strict), French filters."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import jinja2
from fastapi.responses import HTMLResponse

from seniorplus.console import labels
from seniorplus.console.sessions import SignedIn
from seniorplus.models import utcnow

TEMPLATES_DIR = Path(__file__).parent / "templates"
BASE = "/console"

# Success notices after a redirect: ``?fait=<code>`` (never free text in a URL).
NOTICES = {
    "prise": "Vous avez pris la conversation : vous pouvez répondre.",
    "rendue": "La conversation est rendue à l'assistant.",
    "close": "La conversation est close.",
    "reattribuee": "La conversation est réattribuée.",
    "piece": "La liste des pièces est à jour.",
    "statut": "Le statut du dossier est changé.",
    "rdv": "Le rendez-vous est réservé.",
    "deplace": "Le rendez-vous est déplacé.",
    "annule": "Le rendez-vous est annulé.",
    "rappele": "Le rappel est noté comme fait.",
    "compte": "Le compte est enregistré.",
    "mot_de_passe": "Le mot de passe est changé ; les sessions de ce compte sont fermées.",
    "creneau": "Le calendrier est à jour.",
    "absence": "L'absence est enregistrée.",
    "deconnecte": "Vous êtes déconnecté.",
}

environment = jinja2.Environment(
    loader=jinja2.FileSystemLoader(TEMPLATES_DIR),
    autoescape=True,
    undefined=jinja2.StrictUndefined,
    trim_blocks=True,
    lstrip_blocks=True,
)
environment.globals.update(
    base=BASE,
    reason_label=lambda key: labels.label(labels.REASON_LABELS, key),
    channel_label=lambda key: labels.label(labels.CHANNEL_LABELS, key),
    status_label=lambda key: labels.label(labels.STATUS_LABELS, key),
    delivery_label=lambda key: labels.label(labels.DELIVERY_LABELS, key),
    role_label=lambda key: labels.label(labels.ROLE_LABELS, key),
    weekday_label=lambda day: labels.WEEKDAYS[day],
)
environment.filters.update(
    moment=lambda at: labels.moment(at, utcnow()) if at is not None else "—",
    waiting=lambda at: labels.waiting_since(at, utcnow()),
    first_line=labels.first_line,
    clock=labels.clock,
)


def page(
    name: str,
    me: SignedIn | None,
    *,
    status_code: int = 200,
    title: str,
    notice: str | None = None,
    error: str | None = None,
    **context: Any,
) -> HTMLResponse:
    """Render ``name`` with the navigation of ``me`` and an optional notice or error."""
    context.setdefault("nav", "")
    html = environment.get_template(name).render(
        me=me,
        csrf=me.csrf_token if me is not None else "",
        title=title,
        notice=notice,
        error=error,
        **context,
    )
    return HTMLResponse(html, status_code=status_code)


def notice_of(code: str | None) -> str | None:
    """The French notice of a ``?fait=`` code (unknown codes show nothing)."""
    return NOTICES.get(code or "")
