"""A REST conversation id (rest:<sender>) never becomes a phone number or a Telegram chat."""

from __future__ import annotations

import pytest

from seniorplus.cases.contacts import contact_for_conversation
from seniorplus.db import session_scope
from seniorplus.outbound.routing import sender_for

DISGUISED = ["rest:+33612345678", "rest:tg111111111", "rest:33612345678"]


@pytest.mark.parametrize("conversation_id", DISGUISED)
@pytest.mark.parametrize("channel", ["sms", "voice", "telegram", None])
def test_no_message_can_leave_for_a_rest_conversation(
    conversation_id: str, channel: str | None
) -> None:
    sender = sender_for(conversation_id, channel)
    assert type(sender).__name__ == "NoChannelSender"


@pytest.mark.usefixtures("database_url")
@pytest.mark.parametrize("conversation_id", DISGUISED)
def test_a_rest_contact_has_no_phone_and_no_chat(conversation_id: str) -> None:
    with session_scope() as session:
        phone_owner = contact_for_conversation(session, "+33612345678", "sms")
        contact = contact_for_conversation(session, conversation_id, "rest")
        assert contact.id != phone_owner.id  # never the person of that number
        assert contact.phone is None and contact.telegram_chat_id is None
