"""Drop-off per journey step (supervisors and administrators), from the event consumer."""

from __future__ import annotations

from fastapi import APIRouter
from fastapi.responses import HTMLResponse

from seniorplus.console.deps import Supervisor
from seniorplus.console.render import page
from seniorplus.db import session_scope
from seniorplus.events.reports import journey_report
from seniorplus.events.settings import broker_enabled
from seniorplus.events.stats import QUIET_AFTER
from seniorplus.models import utcnow

router = APIRouter()

BROKER_OFF = (
    "Le courtier d'événements est désactivé (EVENT_BROKER_TYPE) : ces chiffres ne sont pas "
    "mis à jour."
)


@router.get("/parcours", response_class=HTMLResponse)
def journeys(me: Supervisor) -> HTMLResponse:
    with session_scope() as session:
        figures = journey_report(session, utcnow())
    return page(
        "journeys.html",
        me,
        title="Parcours : où les conversations s'arrêtent",
        nav="parcours",
        figures=figures,
        quiet_hours=int(QUIET_AFTER.total_seconds() // 3600),
        warning=None if broker_enabled() else BROKER_OFF,
    )
