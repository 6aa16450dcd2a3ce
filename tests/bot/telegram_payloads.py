"""Telegram Bot API Update objects as Telegram sends them to a webhook (field names and
shapes of https://core.telegram.org/bots/api#update), for the channel tests."""

from __future__ import annotations

import itertools
import time
from typing import Any

BOT_ID = 1000000000
_updates = itertools.count(735_000_001)
_messages = itertools.count(1)


def next_update_id() -> int:
    return next(_updates)


def user(user_id: int, first_name: str = "Jeanne") -> dict[str, Any]:
    return {
        "id": user_id,
        "is_bot": False,
        "first_name": first_name,
        "last_name": "Martin",
        "language_code": "fr",
    }


def private_chat(chat_id: int, first_name: str = "Jeanne") -> dict[str, Any]:
    return {"id": chat_id, "first_name": first_name, "last_name": "Martin", "type": "private"}


def group_chat(chat_id: int = -4000000001) -> dict[str, Any]:
    return {
        "id": chat_id,
        "title": "Famille Martin",
        "type": "group",
        "all_members_are_administrators": True,
    }


def message(chat_id: int, *, chat: dict[str, Any] | None = None, **content: Any) -> dict[str, Any]:
    """A Message from the person whose user id is the private chat id."""
    sender = chat_id if chat_id > 0 else 111111111
    return {
        "message_id": next(_messages),
        "from": user(sender),
        "chat": chat or private_chat(chat_id),
        "date": int(time.time()),
        **content,
    }


def update(update_id: int | None = None, **fields: Any) -> dict[str, Any]:
    return {"update_id": next_update_id() if update_id is None else update_id, **fields}


def text_update(chat_id: int, text: str, update_id: int | None = None) -> dict[str, Any]:
    content: dict[str, Any] = {"text": text}
    if text.startswith("/"):
        command = text.split()[0]
        content["entities"] = [{"offset": 0, "length": len(command), "type": "bot_command"}]
    return update(update_id, message=message(chat_id, **content))


def _file(unique: str, size: int) -> dict[str, Any]:
    return {
        "file_id": f"AwACAgQAAxkBAAI{unique}AAEtWAAB",
        "file_unique_id": f"AgAD{unique}",
        "file_size": size,
    }


def voice_update(chat_id: int) -> dict[str, Any]:
    voice = {"duration": 4, "mime_type": "audio/ogg", **_file("voix", 15734)}
    return update(message=message(chat_id, voice=voice))


def audio_update(chat_id: int) -> dict[str, Any]:
    audio = {
        "duration": 31,
        "file_name": "message.m4a",
        "mime_type": "audio/mp4",
        **_file("audi", 250113),
    }
    return update(message=message(chat_id, audio=audio))


def photo_update(chat_id: int, caption: str | None = None) -> dict[str, Any]:
    sizes = [
        {"width": 67, "height": 90, **_file("pho1", 1342)},
        {"width": 240, "height": 320, **_file("pho2", 17254)},
        {"width": 960, "height": 1280, **_file("pho3", 112870)},
    ]
    content: dict[str, Any] = {"photo": sizes}
    if caption is not None:
        content["caption"] = caption
    return update(message=message(chat_id, **content))


def sticker_update(chat_id: int) -> dict[str, Any]:
    sticker = {
        "width": 512,
        "height": 512,
        "emoji": "👍",
        "set_name": "HotCherry",
        "is_animated": True,
        "is_video": False,
        "type": "regular",
        "thumbnail": {"width": 128, "height": 128, **_file("thum", 5416)},
        **_file("stik", 28870),
    }
    return update(message=message(chat_id, sticker=sticker))


def document_update(chat_id: int) -> dict[str, Any]:
    document = {
        "file_name": "avis_imposition_2025.pdf",
        "mime_type": "application/pdf",
        **_file("docu", 183422),
    }
    return update(message=message(chat_id, document=document))


def video_update(chat_id: int) -> dict[str, Any]:
    video = {
        "duration": 12,
        "width": 720,
        "height": 1280,
        "mime_type": "video/mp4",
        **_file("vide", 2_104_233),
    }
    return update(message=message(chat_id, video=video))


def location_update(chat_id: int) -> dict[str, Any]:
    location = {"latitude": 47.218371, "longitude": -1.553621}
    return update(message=message(chat_id, location=location))


def contact_update(chat_id: int, phone_number: str, contact_user_id: int | None) -> dict[str, Any]:
    """A shared contact; the « share my number » button sends the sender's own user id."""
    contact: dict[str, Any] = {
        "phone_number": phone_number,
        "first_name": "Jeanne",
        "last_name": "Martin",
    }
    if contact_user_id is not None:
        contact["user_id"] = contact_user_id
    return update(message=message(chat_id, contact=contact))


def edited_message_update(chat_id: int, text: str) -> dict[str, Any]:
    edited = message(chat_id, text=text)
    edited["edit_date"] = edited["date"] + 30
    return update(edited_message=edited)


def my_chat_member_update(chat_id: int) -> dict[str, Any]:
    """The person blocked the bot."""
    bot = {"id": BOT_ID, "is_bot": True, "first_name": "Senior Plus", "username": "SeniorPlusBot"}
    return update(
        my_chat_member={
            "chat": private_chat(chat_id),
            "from": user(chat_id),
            "date": int(time.time()),
            "old_chat_member": {"user": bot, "status": "member"},
            "new_chat_member": {"user": bot, "status": "kicked", "until_date": 0},
        }
    )


def callback_query_update(chat_id: int) -> dict[str, Any]:
    return update(
        callback_query={
            "id": "4382bfdwdsb323b2d9",
            "from": user(chat_id),
            "chat_instance": "-8751274429185476613",
            "data": "/greet",
            "message": message(chat_id, text="Bonjour"),
        }
    )


def channel_post_update() -> dict[str, Any]:
    channel = {"id": -1001234567890, "title": "Actualités", "type": "channel"}
    return update(
        channel_post={
            "message_id": next(_messages),
            "sender_chat": channel,
            "chat": channel,
            "date": int(time.time()),
            "text": "Nouvelles du mois",
        }
    )


def group_text_update(text: str, chat_id: int = -4000000001) -> dict[str, Any]:
    content: dict[str, Any] = {"text": text}
    if text.startswith("/"):
        command = text.split()[0]
        content["entities"] = [{"offset": 0, "length": len(command), "type": "bot_command"}]
    return update(message=message(chat_id, chat=group_chat(chat_id), **content))


def new_members_update(chat_id: int = -4000000001) -> dict[str, Any]:
    """A service message: no text, no media."""
    return update(
        message=message(
            chat_id, chat=group_chat(chat_id), new_chat_members=[user(222222222, "Paul")]
        )
    )
