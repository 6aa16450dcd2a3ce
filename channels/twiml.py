"""TwiML documents for the SMS and phone channels, built as XML trees (pure, stdlib only).

Text and attributes are escaped by ElementTree; characters XML 1.0 forbids are
dropped first, so no bot text can break a document Twilio has to read.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from collections.abc import Iterable
from dataclasses import dataclass

XML_DECLARATION = '<?xml version="1.0" encoding="UTF-8"?>'
SAY_MAX_CHARS = 4000  # Twilio reads at most 4,096 characters in one <Say>
_NOT_XML = re.compile(r"[^\t\n\r\x20-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")
_SENTENCE_END = re.compile(r"[.!?](?=\s)")


def xml_text(text: str) -> str:
    """`text` without the characters an XML 1.0 document cannot hold."""
    return _NOT_XML.sub("", text)


def _document(root: ET.Element) -> str:
    return XML_DECLARATION + ET.tostring(root, encoding="unicode")


def messages_response(texts: Iterable[str]) -> str:
    """`<Response>` with one `<Message>` per text, in order (no text: an empty response)."""
    root = ET.Element("Response")
    for text in texts:
        ET.SubElement(root, "Message").text = xml_text(text)
    return _document(root)


def empty_response() -> str:
    return _document(ET.Element("Response"))


def clip_speech(text: str, limit: int = SAY_MAX_CHARS) -> str:
    """At most `limit` characters, cut after a sentence when the text is longer."""
    if len(text) <= limit:
        return text
    ends = [m.end() for m in _SENTENCE_END.finditer(text, 0, limit)]
    return text[: ends[-1]] if ends else text[:limit]


@dataclass(frozen=True)
class Voice:
    """How `<Say>` speaks: French, a French voice, a calm pace (SSML `<prosody>`)."""

    language: str = "fr-FR"
    name: str = "Polly.Lea"
    rate: str = "90%"


@dataclass(frozen=True)
class GatherSettings:
    """Speech and keypad, one key at a time (6 for a one-time code); every key (even #) counts."""

    action: str
    timeout: int = 6
    language: str = "fr-FR"
    num_digits: int = 1


class VoiceResponse:
    """A `<Response>` for a call, verb after verb."""

    def __init__(self, voice: Voice | None = None) -> None:
        self.voice = voice or Voice()
        self.root = ET.Element("Response")

    def _say(self, parent: ET.Element, text: str) -> None:
        say = ET.SubElement(
            parent, "Say", {"language": self.voice.language, "voice": self.voice.name}
        )
        prosody = ET.SubElement(say, "prosody", {"rate": self.voice.rate})
        prosody.text = clip_speech(xml_text(text))

    def say(self, text: str) -> VoiceResponse:
        if text.strip():
            self._say(self.root, text)
        return self

    def gather(self, text: str, settings: GatherSettings) -> VoiceResponse:
        """Ask a question: the caller may speak or press one key while it is being said."""
        gather = ET.SubElement(
            self.root,
            "Gather",
            {
                "input": "dtmf speech",
                "language": settings.language,
                "speechTimeout": "auto",
                "timeout": str(settings.timeout),
                "numDigits": str(settings.num_digits),
                "finishOnKey": "",  # "#" is a key like the others, not "end of input"
                "action": settings.action,
                "method": "POST",
            },
        )
        if text.strip():
            self._say(gather, text)
        return self

    def redirect(self, url: str) -> VoiceResponse:
        ET.SubElement(self.root, "Redirect", {"method": "POST"}).text = url
        return self

    def dial(self, number: str, action: str, timeout: int = 25) -> VoiceResponse:
        attributes = {"action": action, "method": "POST", "timeout": str(timeout)}
        ET.SubElement(self.root, "Dial", attributes).text = number
        return self

    def hangup(self) -> VoiceResponse:
        ET.SubElement(self.root, "Hangup")
        return self

    def to_xml(self) -> str:
        return _document(self.root)
