"""Privacy notice bookkeeping: show the notice once per conversation and version.

Functions take a session; the caller owns the transaction.
"""

from __future__ import annotations

from sqlalchemy import exists, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from seniorplus.models import PrivacyNoticeShown


def _check_length(name: str, value: str, max_length: int) -> None:
    if not value or len(value) > max_length:
        raise ValueError(f"{name} must be 1 to {max_length} characters long")


def notice_already_shown(session: Session, conversation_id: str, version: str) -> bool:
    """Whether notice ``version`` was already shown in this conversation."""
    query = select(
        exists().where(
            PrivacyNoticeShown.conversation_id == conversation_id,
            PrivacyNoticeShown.notice_version == version,
        )
    )
    return bool(session.scalar(query))


def record_notice_shown(session: Session, conversation_id: str, channel: str, version: str) -> bool:
    """Record that notice ``version`` was shown; idempotent.

    The insert runs in a SAVEPOINT, so a concurrent insert of the same row
    (unique violation) leaves the caller's transaction usable.

    Returns:
        True if this call recorded it, False if it was already recorded.
    """
    _check_length("conversation_id", conversation_id, 128)
    _check_length("channel", channel, 32)
    _check_length("version", version, 16)
    try:
        with session.begin_nested():
            session.add(
                PrivacyNoticeShown(
                    conversation_id=conversation_id, channel=channel, notice_version=version
                )
            )
    except IntegrityError:
        if notice_already_shown(session, conversation_id, version):
            return False
        raise
    return True
