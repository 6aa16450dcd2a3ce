"""The channel catalogue, and one content in three renderings picked by the person's channel.

`CATALOGUE` is the one list of channels: name (the ``input_channel`` Rasa records and the
value the app stores), other names Rasa may record for it (``aliases``), kind (text or
voice), French labels and capabilities. Every list of channels in the code is read from it
through live views (`names`, `labels`), so that a channel added with `register` is seen
everywhere at once: the actions, outbound, the console, data rights, the safety lines and
the renderers. Any channel outside the catalogue ("cmdline", "socketio"…) gets the message
unchanged. Adding a channel: docs/architecture.md, "Ajouter un canal".
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping, Sequence, Set
from dataclasses import dataclass
from typing import Literal

from rendering.message import Message, clean_buttons
from rendering.sms import render_sms
from rendering.telegram import TelegramMessage, render_telegram
from rendering.voice import VoicePrompt, render_voice

Rendered = str | VoicePrompt | list[TelegramMessage] | Message
Renderer = Callable[[str | None, Sequence[Mapping[str, str]]], Rendered]


@dataclass(frozen=True)
class Channel:
    """One way a person reaches the assistant."""

    name: str
    kind: Literal["text", "voice"]
    label: str  # a title or a column of the console: "Téléphone"
    said_to_person: str  # inside a sentence to the person: "votre numéro (téléphone)"
    said_to_agent: str  # inside the handoff summary for an agent: "Canal : téléphone."
    aliases: tuple[str, ...] = ()  # other input_channel names Rasa records for it
    renderer: Renderer | None = None  # None: the message is sent unchanged
    person: bool = True  # False: a channel for tests and tools (REST), not for people
    forgeable_number: bool = False  # the sender's number can be forged: a code before data
    quiet_hours: bool = False  # no message from 20 h to 8 h (Paris)

    @property
    def all_names(self) -> tuple[str, ...]:
        return (self.name, *self.aliases)

    @property
    def webhook_path(self) -> str:
        """Where Rasa serves this channel's connector (``url_prefix`` is its name)."""
        return f"/webhooks/{self.name}/webhook"


_CHANNELS: dict[str, Channel] = {}


def register(channel: Channel) -> Channel:
    """Add ``channel`` to the catalogue (a name already there is refused)."""
    taken = {name for known in _CHANNELS.values() for name in known.all_names}
    if taken & set(channel.all_names):
        raise ValueError(f"channel name already in the catalogue: {channel.name}")
    _CHANNELS[channel.name] = channel
    return channel


def unregister(name: str) -> None:
    """Take a channel out of the catalogue (tests that add their own)."""
    _CHANNELS.pop(name, None)


def channels() -> tuple[Channel, ...]:
    """The catalogue, in its order."""
    return tuple(_CHANNELS.values())


def channel_named(name: str | None) -> Channel | None:
    """The channel of ``name`` or of one of its aliases (case and spaces ignored)."""
    wanted = (name or "").strip().lower()
    return next((c for c in _CHANNELS.values() if wanted in c.all_names), None)


def catalogue_entry(name: str) -> Channel:
    """The catalogue's entry of a connector: its name and capabilities (``channels/<name>.py``).

    Raises LookupError when the channel is not in the catalogue: a connector without its entry
    stops Rasa at start-up instead of recording an unknown ``input_channel``.
    """
    found = _CHANNELS.get(name)
    if found is None:
        raise LookupError(f"channel {name!r} is not in the catalogue (rendering/channels.py)")
    return found


class Names(Set[str]):
    """A live set of channel names: those of the catalogue's channels that ``keep`` keeps."""

    def __init__(self, keep: Callable[[Channel], bool], *, aliases: bool = True) -> None:
        self._keep = keep
        self._aliases = aliases

    def _names(self) -> list[str]:
        chosen = [c for c in _CHANNELS.values() if self._keep(c)]
        return [n for c in chosen for n in (c.all_names if self._aliases else (c.name,))]

    def __contains__(self, name: object) -> bool:
        return name in self._names()

    def __iter__(self) -> Iterator[str]:
        return iter(self._names())

    def __len__(self) -> int:
        return len(self._names())

    def __repr__(self) -> str:
        return f"Names({self._names()!r})"


class Labels(Mapping[str, str]):
    """A live mapping channel name → one of its French labels."""

    def __init__(self, which: Callable[[Channel], str | None], *, aliases: bool = False) -> None:
        self._which = which
        self._aliases = aliases

    def _items(self) -> dict[str, str]:
        found: dict[str, str] = {}
        for channel in _CHANNELS.values():
            value = self._which(channel)
            if value is not None:
                for name in channel.all_names if self._aliases else (channel.name,):
                    found[name] = value
        return found

    def __getitem__(self, name: str) -> str:
        return self._items()[name]

    def __iter__(self) -> Iterator[str]:
        return iter(self._items())

    def __len__(self) -> int:
        return len(self._items())


class _Renderers(Mapping[str, Renderer]):
    def _items(self) -> dict[str, Renderer]:
        return {name: c.renderer for c in _CHANNELS.values() if c.renderer for name in c.all_names}

    def __getitem__(self, name: str) -> Renderer:
        return self._items()[name]

    def __iter__(self) -> Iterator[str]:
        return iter(self._items())

    def __len__(self) -> int:
        return len(self._items())


RENDERERS: Mapping[str, Renderer] = _Renderers()

SMS = register(
    Channel(
        "sms",
        "text",
        "SMS",
        "SMS",
        "SMS",
        aliases=("twilio",),
        renderer=render_sms,
        forgeable_number=True,
        quiet_hours=True,
    )
)
VOICE = register(
    Channel(
        "voice",
        "voice",
        "Téléphone",
        "téléphone",
        "téléphone",
        aliases=("twilio_voice",),
        renderer=render_voice,
        forgeable_number=True,
        quiet_hours=True,
    )
)
TELEGRAM = register(
    Channel(
        "telegram",
        "text",
        "Telegram",
        "Telegram",
        "Telegram",
        renderer=render_telegram,
    )
)
REST = register(Channel(
    "rest", "text", "Web", "site", "messagerie web (test)", person=False,
))  # fmt: skip
CATALOGUE = channels()  # as shipped; `channels()` also has those added since


def render_for_channel(
    channel: str | None, text: str | None, buttons: Sequence[Mapping[str, object]] | None = None
) -> Rendered:
    """SMS text, VoicePrompt or Telegram messages; a Message unchanged for other channels."""
    cleaned = clean_buttons(buttons)
    renderer = RENDERERS.get((channel or "").strip().lower())
    if renderer is None:
        return Message(text, cleaned)
    return renderer(text, cleaned)
