"""The requests the vendors send, built for the channel simulator (pure, no I/O).

Twilio's form webhooks and their ``X-Twilio-Signature``, what a Messaging TwiML answer
says, and Telegram's Update objects, with the exact field names the vendors use.
"""

from __future__ import annotations

import re
import secrets
import threading
import time
from typing import Any, Literal

from devtools.fakes import twilio
from devtools.fakes.telegram import BOT_USER
from devtools.simulator_voice import country_of, parse_twiml
from rendering.gsm import sms_segments

twilio_signature = twilio.signature  # X-Twilio-Signature, as the tests compute it


def messages_from_twiml(document: str) -> list[str]:
    """The texts of the ``<Message>`` elements of a Messaging TwiML answer, in order."""
    verbs = parse_twiml(document) if document.strip() else []
    texts = []
    for verb in verbs:
        if verb.tag != "Message":
            continue
        body = verb.find("Body")
        source = body if body is not None else verb
        texts.append("".join(t for t in [source.text or ""] + [c.tail or "" for c in source]))
    return texts


def new_sid(prefix: str) -> str:
    return prefix + secrets.token_hex(16)


def sms_form(
    account_sid: str, service_number: str, phone: str, text: str, sid: str
) -> dict[str, str]:
    """The fields of Twilio's incoming-message webhook for one SMS from ``phone``."""
    country = country_of(phone)
    return {
        "ToCountry": country_of(service_number),
        "ToState": "",
        "SmsMessageSid": sid,
        "NumMedia": "0",
        "ToCity": "",
        "FromZip": "",
        "SmsSid": sid,
        "FromState": "",
        "SmsStatus": "received",
        "FromCity": "",
        "Body": text,
        "FromCountry": country,
        "To": service_number,
        "ToZip": "",
        "NumSegments": str(sms_segments(text).segments),
        "MessageSid": sid,
        "AccountSid": account_sid,
        "From": phone,
        "ApiVersion": "2010-04-01",
    }


# --- Telegram: updates with the secret header ----------------------------------------------

TelegramKind = Literal["text", "photo", "voice", "sticker", "document", "contact", "callback"]
_update_ids = iter(range(int(time.time()) % 100_000_000 * 10, 10**12))
_update_lock = threading.Lock()


def next_update_id() -> int:
    with _update_lock:
        return next(_update_ids)


def telegram_user(chat_id: int) -> dict[str, Any]:
    return {
        "id": chat_id,
        "is_bot": False,
        "first_name": "Simone",
        "last_name": "Martin",
        "language_code": "fr",
    }


def _file(kind: str, size: int) -> dict[str, Any]:
    unique = secrets.token_hex(8)
    return {"file_id": f"{kind}-{unique}-simulateur", "file_unique_id": unique, "file_size": size}


def telegram_update(
    chat_id: int, message_id: int, kind: TelegramKind, text: str = "", phone: str = ""
) -> tuple[dict[str, Any], str]:
    """A Bot API Update as Telegram posts it to a webhook, and what the page shows of it."""
    user = telegram_user(chat_id)
    chat = {"id": chat_id, "first_name": "Simone", "last_name": "Martin", "type": "private"}
    date = int(time.time())
    if kind == "callback":
        query = {
            "id": str(secrets.randbits(63)),
            "from": user,
            "message": {
                "message_id": message_id,
                "from": BOT_USER,
                "chat": chat,
                "date": date,
                "text": "",
            },
            "chat_instance": str(secrets.randbits(63)),
            "data": text,
        }
        return {"update_id": next_update_id(), "callback_query": query}, f"(bouton) {text}"
    message: dict[str, Any] = {"message_id": message_id, "from": user, "chat": chat, "date": date}
    if kind == "text":
        message["text"] = text
        command = re.match(r"/[A-Za-z0-9_]+", text)
        if command:
            message["entities"] = [{"offset": 0, "length": command.end(), "type": "bot_command"}]
        shown = text
    elif kind == "photo":
        message["photo"] = [
            {**_file("photo", size), "width": width, "height": height}
            for size, width, height in ((1_280, 90, 68), (18_433, 320, 240), (84_210, 1280, 960))
        ]
        shown = "📷 Photo"
    elif kind == "voice":
        message["voice"] = {**_file("voice", 12_800), "duration": 4, "mime_type": "audio/ogg"}
        shown = "🎤 Message vocal (4 s)"
    elif kind == "sticker":
        message["sticker"] = {
            **_file("sticker", 23_504),
            "width": 512,
            "height": 512,
            "emoji": "👍",
            "set_name": "SimulateurSeniorPlus",
            "is_animated": False,
            "is_video": False,
            "type": "regular",
        }
        shown = "Autocollant 👍"
    elif kind == "document":
        message["document"] = {
            **_file("document", 152_004),
            "file_name": "avis-imposition.pdf",
            "mime_type": "application/pdf",
        }
        shown = "📎 Document : avis-imposition.pdf"
    else:  # contact: the person shares their own number (KeyboardButton request_contact)
        message["contact"] = {
            "phone_number": phone,
            "first_name": "Simone",
            "last_name": "Martin",
            "user_id": chat_id,
        }
        shown = f"☎ Numéro partagé : {phone}"
    return {"update_id": next_update_id(), "message": message}, shown
