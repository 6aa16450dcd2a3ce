"""The drop-off figures as the console shows them: rows read here, figures in :mod:`.stats`."""

from __future__ import annotations

import functools
from datetime import datetime

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from seniorplus.events.models import ConversationActivity, JourneyProgress
from seniorplus.events.stats import JourneyFigures, JourneyOutline, Reached, journey_figures
from seniorplus.journeys import load_all
from seniorplus.models import UTCDateTime


@functools.lru_cache(maxsize=1)
def outlines() -> dict[str, JourneyOutline]:
    """Every journey of data/journeys: id, title, step titles (read once per process)."""
    return {
        journey.id: JourneyOutline(journey.id, journey.title, [s.title for s in journey.steps])
        for journey in load_all().values()
    }


def reached_rows(session: Session) -> list[Reached]:
    """Each conversation's furthest step in each journey, and when the conversation last moved."""
    moved = func.coalesce(
        ConversationActivity.last_at, JourneyProgress.reached_at, type_=UTCDateTime()
    )
    query = select(JourneyProgress.journey, JourneyProgress.furthest_step, moved).outerjoin(
        ConversationActivity,
        ConversationActivity.conversation_id == JourneyProgress.conversation_id,
    )
    return [Reached(journey, step, at) for journey, step, at in session.execute(query).all()]


def journey_report(session: Session, now: datetime) -> list[JourneyFigures]:
    return journey_figures(reached_rows(session), outlines(), now)
