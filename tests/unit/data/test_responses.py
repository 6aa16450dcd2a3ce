"""Every reply of the assistant fits a text message and speaks politely."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
import yaml

DOMAIN = Path(__file__).resolve().parents[3] / "bot" / "domain"
GSM_SEGMENT = 153  # characters per part of a long GSM-7 text message


def responses() -> list[tuple[str, dict[str, Any]]]:
    """Every variant with words; a channel's marker without text (`custom` only) is left out."""
    found = []
    for path in sorted(DOMAIN.glob("*.yml")):
        for name, variants in (yaml.safe_load(path.read_text()) or {}).get("responses", {}).items():
            found.extend((name, v) for v in variants if "custom" not in v or "text" in v)
    return found


def test_the_phone_marker_for_a_person_has_no_words_of_its_own() -> None:
    everything = [
        variant
        for path in sorted(DOMAIN.glob("*.yml"))
        for variant in (yaml.safe_load(path.read_text()) or {})
        .get("responses", {})
        .get("utter_human_contact", [])
    ]
    assert {"channel": "voice", "custom": {"handoff": "human"}} in everything
    assert any(v.get("text") for v in everything if "channel" not in v)


def as_sms(variant: dict[str, Any]) -> str:
    """The text with its choices numbered, as the SMS channel sends it."""
    lines = [variant.get("text", "")]
    lines += [f"{n}. {b['title']}" for n, b in enumerate(variant.get("buttons", []), start=1)]
    return "\n".join(lines)


def test_there_are_responses() -> None:
    assert len(responses()) > 20


@pytest.mark.parametrize(("name", "variant"), responses(), ids=[n for n, _ in responses()])
def test_reply_fits_three_text_message_parts(name: str, variant: dict[str, Any]) -> None:
    assert variant.get("text"), f"{name} has no text"
    assert len(as_sms(variant)) <= 3 * GSM_SEGMENT, name


@pytest.mark.parametrize(("name", "variant"), responses(), ids=[n for n, _ in responses()])
def test_reply_says_vous_never_tu(name: str, variant: dict[str, Any]) -> None:
    words = set(re.findall(r"[a-zà-ÿ']+", variant["text"].lower()))
    assert not words & {"tu", "toi", "ton", "ta", "tes", "t'"}, name


def test_menu_offers_a_person() -> None:
    menu = dict(responses())["utter_main_menu"]
    assert menu["buttons"][-1]["payload"] == "/request_human"
