"""The channel catalogue (rendering/channels.py) is the one list of channels.

A test-only channel, "pigeon", proves the recipe of docs/architecture.md ("Ajouter un
canal"): one catalogue entry (and, for a real channel, its connector in channels/), and
the actions, outbound, the console, data rights, the handoff summary, the safety lines
and the renderers all know it, with no other change. Its connector would take its name
from `catalogue_entry` (tests/bot/channels/test_connectors.py builds one).
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence

import pytest
from rasa_sdk import Tracker

from actions.common import channel_of
from actions.data_rights import CODE_CHANNELS
from rendering import render_for_channel
from rendering.channels import (
    CATALOGUE,
    Channel,
    Names,
    catalogue_entry,
    channel_named,
    channels,
    register,
    unregister,
)
from safety.lines import VOICE_CHANNELS
from seniorplus.cases.models import CHANNELS
from seniorplus.console import labels
from seniorplus.data_rights.summary import CHANNEL_NAMES
from seniorplus.handoff.summary import CHANNELS_FR
from seniorplus.outbound.policy import subject_to_quiet_hours


def render_pigeon(text: str | None, buttons: Sequence[Mapping[str, str]]) -> str:
    """A message as a pigeon carries it: short, choices by their title."""
    choices = " / ".join(button["title"] for button in buttons)
    return f"{text or ''} [{choices}]" if choices else (text or "")


PIGEON = Channel(
    "pigeon",
    "text",
    "Pigeon",
    "pigeon voyageur",
    "pigeon voyageur (test)",
    aliases=("pigeon_voyageur",),
    renderer=render_pigeon,
    forgeable_number=True,
    quiet_hours=True,
)


@pytest.fixture
def pigeon() -> Iterator[Channel]:
    register(PIGEON)
    yield PIGEON
    unregister(PIGEON.name)


def tracker_on(channel: str) -> Tracker:
    return Tracker(
        sender_id="s1",
        slots={},
        latest_message={"text": "x", "intent": {"name": "greet"}, "entities": []},
        events=[{"event": "user", "text": "x", "input_channel": channel}],
        paused=False,
        followup_action=None,
        active_loop={},
        latest_action_name=None,
    )


def test_the_catalogue_as_shipped() -> None:
    assert [(c.name, c.kind, c.aliases) for c in CATALOGUE] == [
        ("sms", "text", ("twilio",)),
        ("voice", "voice", ("twilio_voice",)),
        ("telegram", "text", ()),
        ("rest", "text", ()),
    ]
    assert channels() == CATALOGUE
    assert tuple(CHANNELS) == ("sms", "voice", "telegram", "rest")  # contacts' CHECK (0003)
    assert channel_named(" Twilio_Voice ") is channel_named("voice")
    assert channel_named("cmdline") is None


def test_a_name_is_taken_once() -> None:
    with pytest.raises(ValueError, match="already"):
        register(Channel("sms2", "text", "SMS", "SMS", "SMS", aliases=("twilio",)))
    assert channel_named("sms2") is None


def test_a_new_channel_is_one_catalogue_entry(pigeon: Channel) -> None:
    buttons = [{"title": "Oui", "payload": "/affirm"}, {"title": "Non", "payload": "/deny"}]
    assert render_for_channel("pigeon_voyageur", "Bonjour", buttons) == "Bonjour [Oui / Non]"
    assert channel_of(tracker_on("pigeon")) == "pigeon"  # actions: a person's channel
    assert "pigeon" in CODE_CHANNELS  # "mes données" asks for a code first
    assert subject_to_quiet_hours("pigeon", "reply")  # outbound: never at night
    assert labels.label(labels.CHANNEL_LABELS, "pigeon") == "Pigeon"  # console
    assert CHANNEL_NAMES["pigeon"] == "pigeon voyageur"  # data rights, to the person
    assert CHANNELS_FR["pigeon_voyageur"] == "pigeon voyageur (test)"  # handoff summary
    assert "pigeon" not in VOICE_CHANNELS  # a text channel: the 114 is given by SMS
    assert "pigeon" in CHANNELS
    assert catalogue_entry("pigeon") is pigeon  # what its connector reads: name, capabilities
    assert pigeon.webhook_path == "/webhooks/pigeon/webhook"


def test_a_channel_taken_out_is_gone_everywhere() -> None:
    register(PIGEON)
    unregister(PIGEON.name)
    assert channel_of(tracker_on("pigeon")) == "rest"
    assert "pigeon" not in CHANNELS and "pigeon" not in CHANNEL_NAMES
    assert labels.label(labels.CHANNEL_LABELS, "pigeon") == "pigeon"
    assert not subject_to_quiet_hours("pigeon", "reply")
    with pytest.raises(LookupError, match="not in the catalogue"):
        catalogue_entry("pigeon")


def test_names_is_a_live_view(pigeon: Channel) -> None:
    voice = Names(lambda channel: channel.kind == "voice")
    assert sorted(voice) == ["twilio_voice", "voice"] and len(voice) == 2
    assert "pigeon_voyageur" in Names(lambda channel: channel.quiet_hours)
