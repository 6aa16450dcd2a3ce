"""One content, three renderings: SMS, phone voice and Telegram (standard library only).

Imported by both environments (the Rasa bot and the app): no third-party import.
See docs/rendering.md.
"""

from rendering.channels import RENDERERS, Rendered, render_for_channel
from rendering.gsm import SmsInfo, is_gsm7, sms_segments
from rendering.message import Button, Message
from rendering.numbers_fr import number_to_words, ordinal_to_words
from rendering.sms import render_sms, to_gsm7
from rendering.telegram import TelegramMessage, render_telegram
from rendering.voice import VoicePrompt, render_voice, speak

__all__ = [
    "RENDERERS",
    "Button",
    "Message",
    "Rendered",
    "SmsInfo",
    "TelegramMessage",
    "VoicePrompt",
    "is_gsm7",
    "number_to_words",
    "ordinal_to_words",
    "render_for_channel",
    "render_sms",
    "render_telegram",
    "render_voice",
    "sms_segments",
    "speak",
    "to_gsm7",
]
