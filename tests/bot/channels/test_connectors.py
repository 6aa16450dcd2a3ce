"""Each connector in channels/ takes its name from the channel catalogue (rendering/channels.py).

Adding a channel is one connector file, one catalogue entry and its tests
(docs/architecture.md, "Ajouter un canal"): the connectors Rasa loads from
bot/credentials.yml, and the output channels they answer with, are named by their entry.
"""

from __future__ import annotations

import importlib
import inspect
from pathlib import Path

import pytest
import yaml
from rasa.core.channels.channel import InputChannel, OutputChannel

from rendering.channels import CATALOGUE, Channel, catalogue_entry, register, unregister

ROOT = Path(__file__).resolve().parents[3]
CONNECTOR_MODULES = ("channels.rest", "channels.sms", "channels.voice", "channels.telegram")


def declared_connectors() -> list[type[InputChannel]]:
    """The input channels of bot/credentials.yml, imported as Rasa imports them."""
    credentials = yaml.safe_load((ROOT / "bot" / "credentials.yml").read_text(encoding="utf-8"))
    found = []
    for dotted in credentials:
        module, _, name = dotted.rpartition(".")
        found.append(getattr(importlib.import_module(module), name))
    return found


def test_every_declared_connector_is_a_catalogue_entry() -> None:
    connectors = declared_connectors()
    assert sorted(c.name() for c in connectors) == sorted(c.name for c in CATALOGUE)
    for connector in connectors:
        module = importlib.import_module(connector.__module__)
        assert module.ENTRY is catalogue_entry(connector.name())


def test_output_channels_answer_under_their_connector_s_name() -> None:
    """A response variant for a channel ("channel: sms" in the domain) needs the same name."""
    outputs = [
        cls
        for module in (*CONNECTOR_MODULES, "channels.telegram_output")
        for _, cls in inspect.getmembers(importlib.import_module(module), inspect.isclass)
        if issubclass(cls, OutputChannel) and cls.__module__.startswith("channels.")
    ]
    assert {cls.name() for cls in outputs} == {"sms", "voice", "telegram"}
    assert all(catalogue_entry(cls.name()) for cls in outputs)


def test_the_voice_webhook_is_where_rasa_serves_the_connector() -> None:
    voice = importlib.import_module("channels.voice")
    assert voice.WEBHOOK_PATH == "/webhooks/voice/webhook" == voice.ENTRY.webhook_path


def test_a_connector_without_its_entry_stops_at_import() -> None:
    """The test-only "pigeon" connector: its name exists once its catalogue entry does."""
    with pytest.raises(LookupError, match="pigeon"):
        catalogue_entry("pigeon")
    entry = register(Channel("pigeon", "text", "Pigeon", "pigeon voyageur", "pigeon (test)"))
    try:

        class PigeonInput(InputChannel):
            ENTRY = catalogue_entry("pigeon")

            @classmethod
            def name(cls) -> str:
                return cls.ENTRY.name

        assert PigeonInput.name() == "pigeon" and PigeonInput.ENTRY is entry
        assert entry.webhook_path == "/webhooks/pigeon/webhook"
        assert PigeonInput().url_prefix() == "pigeon"  # Rasa serves it at that path
    finally:
        unregister("pigeon")
