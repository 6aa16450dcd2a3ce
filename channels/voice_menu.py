"""The phone's keypad menus: listen first, then a few choices at a time (issue 12, point 8).

- **The opening** (the ``/greet`` turn): the domain's first-time welcome is a long
  written sentence, and its menu says "Répondez par un numéro". On the phone the
  caller hears a short hello, then is asked to say in a few words what brings them;
  the keys come after, as a second way (texts below, chosen by response name, the
  ``utter_action`` Rasa gives each message). The other messages of the turn (privacy
  notice, "ravi de vous retrouver", the offer to resume a journey) are said as written.
- **Pages** (rendering/voice_pages.py): at most four choices at a time, nine for the
  others. The menu of the last question, and the page the caller is on, are kept for
  the call in the shared state (Redis in production, memory in dev), so another Rasa
  process can read the key pressed; a key is sent to the assistant as the button's
  payload, as a tapped Telegram button is.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from typing import Any

from channels import wording
from channels.shared_state import SharedState, shared_state
from channels.twilio_webhook import normalise_words
from rendering.voice_pages import MORE_KEY, VoiceMenu

OPENING = wording.VOICE_OPENING
LISTEN_FIRST = wording.VOICE_LISTEN_FIRST
# What the phone says instead of these responses on the /greet turn.
OPENING_TEXTS: Mapping[str, str] = {
    "utter_welcome_first_time": OPENING,
    "utter_main_menu": LISTEN_FIRST,
}
GREET = "/greet"

_KEY_WORDS = {
    "un": "1", "une": "1", "1": "1", "deux": "2", "2": "2", "trois": "3", "3": "3",
    "quatre": "4", "4": "4", "neuf": MORE_KEY, "9": MORE_KEY,
}  # fmt: skip
_FILLERS = frozenset({"le", "la", "l", "touche", "numero", "tapez", "tape", "je", "choix", "euh"})
_SPACES = re.compile(r"\s+")


def opening(messages: Iterable[Mapping[str, Any]]) -> list[dict[str, Any]]:
    """The /greet turn as the phone says it: the short hello and the invitation to speak."""
    said: list[dict[str, Any]] = []
    for message in messages:
        text = OPENING_TEXTS.get(str(message.get("response") or ""))
        said.append({**message, "text": text} if text else dict(message))
    return said


def spoken_key(speech: str) -> str | None:
    """The key a caller said instead of pressing it ("deux", "la touche neuf"), if any."""
    words = [w for w in _SPACES.split(normalise_words(speech)) if w and w not in _FILLERS]
    return _KEY_WORDS.get(words[0]) if len(words) == 1 else None


class CallMenus:
    """The choices of each call's last question and the page said (channels/shared_state.py).

    Lost (restart without Redis, Redis down): a key is sent to the assistant as the
    number it is, which the dialogue maps to its own list (right on the first page).
    """

    TTL_S = 4 * 3600.0  # longer than any call

    def __init__(self, state: SharedState | None = None) -> None:
        self.state = state or shared_state("voice_menu")

    async def keep(self, call_sid: str, menu: VoiceMenu | None) -> None:
        if menu is None:
            await self.state.delete(call_sid)
        else:
            await self.state.put(call_sid, menu.to_json(), self.TTL_S)

    async def get(self, call_sid: str) -> VoiceMenu | None:
        value = await self.state.get(call_sid)
        return VoiceMenu.from_json(value) if value is not None else None

    async def forget(self, call_sid: str) -> None:
        await self.state.delete(call_sid)
