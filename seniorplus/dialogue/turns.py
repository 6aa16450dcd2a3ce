"""Read a conversation's history as turns: one user message and the bot's answers.

Works on the plain event dicts that Rasa sends to the action server, after
applying rewinds and restarts the way Rasa's own tracker does.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

Event = dict[str, Any]

# Keys of a bot message that carry content the user saw.
BOT_CONTENT_KEYS = ("buttons", "image", "custom", "attachment", "elements", "quick_replies")


@dataclass
class Turn:
    """One user message (None before the first one) and what followed it."""

    user: Event | None
    actions: list[str] = field(default_factory=list)
    bot_messages: list[Event] = field(default_factory=list)

    @property
    def intent(self) -> str | None:
        if self.user is None:
            return None
        name = (self.user.get("parse_data") or {}).get("intent", {}).get("name")
        return str(name) if name else None


def effective_events(events: list[Event]) -> list[Event]:
    """Apply rewinds ("rewind") and restarts the way Rasa's tracker does."""
    applied: list[Event] = []
    for event in events:
        kind = event.get("event")
        if kind == "rewind":
            while applied and applied[-1].get("event") != "user":
                applied.pop()
            if applied:
                applied.pop()
        elif kind == "restart":
            applied = []
        else:
            applied.append(event)
    return applied


def split_turns(events: list[Event]) -> list[Turn]:
    """Group the effective events into turns, oldest first."""
    turns = [Turn(user=None)]
    for event in effective_events(events):
        kind = event.get("event")
        if kind == "user":
            turns.append(Turn(user=event))
        elif kind == "action" and event.get("name") not in (None, "action_listen"):
            turns[-1].actions.append(str(event["name"]))
        elif kind == "bot":
            turns[-1].bot_messages.append(event)
    return turns


def previous_turns(events: list[Event]) -> list[Turn]:
    """Turns before the user message being answered now."""
    turns = split_turns(events)
    return turns[:-1] if turns and turns[-1].user is not None else turns


def last_bot_turn(events: list[Event], skip_intents: tuple[str, ...] = ("repeat",)) -> list[Event]:
    """Bot messages of the latest earlier turn worth repeating (not itself a repeat)."""
    for turn in reversed(previous_turns(events)):
        if turn.bot_messages and turn.intent not in skip_intents:
            return turn.bot_messages
    return []


def pending_message(events: list[Event]) -> Event | None:
    """The bot's last message with choices in its last answer, if the user is replying to it."""
    earlier = previous_turns(events)
    if not earlier:
        return None
    for message in reversed(earlier[-1].bot_messages):
        if (message.get("data") or {}).get("buttons"):
            return message
    return None


def pending_buttons(events: list[Event]) -> list[dict[str, Any]]:
    """Buttons of the bot's last answer, if the user is replying to a choice."""
    message = pending_message(events)
    if message is None:
        return []
    return [dict(button) for button in (message.get("data") or {}).get("buttons") or []]


def has_words(text: str) -> bool:
    """A message with at least one letter or digit (not empty, not only emoji or signs)."""
    return any(character.isalnum() for character in text)


def fallback_streak(events: list[Event], fallback_action: str = "action_fallback") -> int:
    """How many turns in a row, just before this one, the assistant did not understand.

    A message without words (empty, a smiley) was not misunderstood: it is not counted, and
    does not break the streak either."""
    streak = 0
    for turn in reversed(previous_turns(events)):
        if fallback_action not in turn.actions:
            break
        if turn.user is not None and not has_words(str(turn.user.get("text") or "")):
            continue
        streak += 1
    return streak


def replayable(message: Event) -> dict[str, Any]:
    """The parts of a stored bot message needed to send it again."""
    data = message.get("data") or {}
    content: dict[str, Any] = {"text": message.get("text")}
    for key in BOT_CONTENT_KEYS:
        if data.get(key):
            content[key] = data[key]
    return content
