"""Phone rendering: a text for a French text-to-speech voice (Twilio <Say>) and keypad choices.

No address, no symbol, no digit is left: sites get their name, numbers their
words, acronyms a spelling the voice reads well, text instructions become
spoken ones ("Écrivez" → "Dites"), lines become sentences. Choices come after
the text, outcome first: "Pour le menu, tapez trois." (domain brief §16).
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass

from rendering.lexicon import pronounce, speak_instructions
from rendering.links import EMAIL_RE, find_links
from rendering.message import Button
from rendering.numbers_fr import number_to_words
from rendering.sites import spoken_site
from rendering.spoken_numbers import speak_numbers
from rendering.typography import plain_typography, tidy_spaces

KEYPAD_DIGITS = "123456789"  # 0, * and # stay free for the IVR (person, repeat, confirm)


@dataclass(frozen=True)
class VoicePrompt:
    """What to say, and the keys offered: (digit, payload) in order."""

    text: str
    choices: tuple[tuple[str, str], ...] = ()

    def payload_for(self, digit: str) -> str | None:
        """The payload of the key pressed, or None for a key not offered."""
        return next((payload for key, payload in self.choices if key == digit), None)


_LIST_MARKER_RE = re.compile(r"^[ \t]*(?:[-*•·▪◦‣→>]+|\d{1,2}[.)])[ \t]+", re.MULTILINE)
_SYMBOL_WORDS = {"&": " et ", "+": " plus ", "€": " euros ", "%": " pour cent ", "@": " arobase "}
_SYMBOLS_TO_SPACE = re.compile(r"[/\\*#=_|~^<>\[\]{}\"§•·→←⇒▪◦‣°]")
_DASH_BETWEEN_WORDS = re.compile(r"\s+-+\s+|\s+-+$|^-+\s+", re.MULTILINE)
_SENTENCE_END = (".", "!", "?", ":", ";", ",")


def _email(match: re.Match[str]) -> str:
    local = match.group(0).split("@", 1)[0]
    return f"{local} arobase {match.group(1).replace('.', ' point ')}"


def _sites(text: str) -> str:
    """Each web address replaced by the spoken name of its site."""
    spoken, last = [], 0
    for link in find_links(text):
        spoken += [text[last : link.start], spoken_site(link.host)]
        last = link.end
    return "".join([*spoken, text[last:]])


def _speakable(char: str) -> bool:
    """Letters, digits, spaces and the punctuation a voice turns into pauses."""
    category = unicodedata.category(char)
    return category[0] in "LNZ" or char in ".,;:!?'-()\n"


def _symbols(text: str) -> str:
    for symbol, words in _SYMBOL_WORDS.items():
        text = text.replace(symbol, words)
    text = _SYMBOLS_TO_SPACE.sub(" ", text)
    text = _DASH_BETWEEN_WORDS.sub(", ", text)
    text = text.replace("(", ", ").replace(")", ", ")
    return "".join(char if _speakable(char) else " " for char in text)


def _sentences(text: str) -> str:
    """One line, one sentence: a full stop where a line ends without punctuation."""
    lines = [line.strip(" ,") for line in tidy_spaces(text).split("\n")]
    return " ".join(line if line.endswith(_SENTENCE_END) else f"{line}." for line in lines if line)


def _tidy_punctuation(text: str) -> str:
    text = re.sub(r"\s+(?=[,.])", "", text)  # "mot ," → "mot,"
    text = re.sub(r",(?:\s*,)+", ",", text)  # ", ," → ","
    text = re.sub(r",\s*(?=[!?;:])", " ", text)  # ", :" → " :"
    text = re.sub(r",(?=\.)", "", text)  # ",." → "."
    text = re.sub(r"([.!?;:])(?:\s*[.,])+", r"\1", text)  # ". ." → ".", ": ," → ":"
    text = re.sub(r"^[\s,;:.!?]+", "", text)
    text = re.sub(r"([,;:.!?])(?=[^\s,;:.!?'])", r"\1 ", text)  # a space after each sign
    text = re.sub(r"(^|[.!?] )([a-zà-ÿ])", lambda m: m.group(1) + m.group(2).upper(), text)
    return re.sub(r" {2,}", " ", text).strip()


def speak(text: str) -> str:
    """`text` as a French voice should say it."""
    text = plain_typography(text)
    text = EMAIL_RE.sub(_email, text)
    text = _sites(text)
    text = _LIST_MARKER_RE.sub("", text)
    text = speak_numbers(text)
    text = speak_instructions(text)
    text = pronounce(text)
    text = _symbols(text)
    return _tidy_punctuation(_sentences(text))


def choice_title(title: str) -> str:
    """A button title said after "Pour": no end punctuation, lower case first letter."""
    spoken = speak(title).rstrip(".!?:;, ")
    if spoken.lower().startswith("pour "):  # "Pour moi-même": not "pour pour moi-même"
        spoken = spoken[5:]
    if len(spoken) > 1 and spoken[0].isupper() and not spoken[1].isupper():
        spoken = spoken[0].lower() + spoken[1:]
    return spoken


def render_voice(text: str | None, buttons: Sequence[Button] = ()) -> VoicePrompt:
    """The spoken text, then "Pour <choix>, tapez <n>." for up to nine buttons."""
    offered = list(zip(KEYPAD_DIGITS, buttons, strict=False))
    said = [speak(text)] if text else []
    said += [
        f"Pour {choice_title(button['title'])}, tapez {number_to_words(int(digit))}."
        for digit, button in offered
    ]
    choices = tuple((digit, button["payload"]) for digit, button in offered)
    return VoicePrompt(" ".join(part for part in said if part), choices)
