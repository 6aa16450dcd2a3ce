"""Record, in the app database, that a person was shown the privacy notice."""

from __future__ import annotations

import asyncio
import logging

from sqlalchemy.exc import SQLAlchemyError

from observability.mask import mask_identifier
from seniorplus.db import session_scope
from seniorplus.privacy import record_notice_shown
from seniorplus.settings import get_settings

logger = logging.getLogger(__name__)


def _record(conversation_id: str, channel: str) -> None:
    with session_scope() as session:
        record_notice_shown(
            session, conversation_id, channel, get_settings().data_rights.privacy_notice_version
        )


async def remember_notice_shown(conversation_id: str, channel: str | None) -> None:
    """Best effort: a database hiccup must not stop the greeting reaching the person."""
    try:
        await asyncio.to_thread(_record, conversation_id, channel or "unknown")
    except SQLAlchemyError:
        logger.exception(
            "Could not record the privacy notice for %s", mask_identifier(conversation_id)
        )
