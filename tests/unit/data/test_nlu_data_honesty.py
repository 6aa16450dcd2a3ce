"""Held-out sets stay held out: none of their messages, once normalised, is in the training data,
in another held-out set, or twice in its own set (case, accents, punctuation and entity
annotations ignored)."""

from __future__ import annotations

import re
import unicodedata
from collections import Counter
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[3]
# data/second_reader: examples only the second reader learns from (same shape, another key).
TRAINING = sorted(
    [*(ROOT / "data" / "nlu").glob("*.yml"), *(ROOT / "data" / "second_reader").glob("*.yml")]
)
HELD_OUT = sorted((ROOT / "tests" / "nlu").glob("*.yml"))
SAFETY = sorted(ROOT.glob("tests/safety*/*.yml"))
ANNOTATION = re.compile(r"\[([^\]]*)\](?:\([^)]*\)|\{[^}]*\})")


def normalised(text: str) -> str:
    text = ANNOTATION.sub(r"\1", text)
    text = unicodedata.normalize("NFKD", text.lower())
    text = "".join(c for c in text if not unicodedata.combining(c))
    return " ".join(re.sub(r"[^a-z0-9]+", " ", text).split())


def examples(path: Path) -> list[str]:
    data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    if "messages" in data:  # the safety sets
        return [str(m["text"]) for m in data["messages"]]
    found = []
    for block in data.get("nlu", data.get("second_reader", [])):
        if "intent" in block:
            found += [line.strip()[2:] for line in block["examples"].splitlines()
                      if line.strip().startswith("- ")]  # fmt: skip
    return found


def test_the_sets_are_there() -> None:
    assert len(HELD_OUT) >= 3 and len(SAFETY) == 6
    assert sum(len(examples(p)) for p in TRAINING) > 1000


@pytest.mark.parametrize("path", [*HELD_OUT, *SAFETY], ids=lambda p: p.name)
def test_no_held_out_message_is_a_training_example(path: Path) -> None:
    training = {normalised(t) for p in TRAINING for t in examples(p)}
    copied = [t for t in examples(path) if normalised(t) in training]
    assert copied == []


def test_no_message_is_in_two_held_out_sets_or_twice_in_one() -> None:
    counts = Counter(normalised(t) for p in [*HELD_OUT, *SAFETY] for t in examples(p))
    assert [text for text, n in counts.items() if n > 1] == []


def test_the_normalisation_sees_through_case_accents_and_annotations() -> None:
    assert normalised("Ma [mère](relationship) est TOMBÉE !") == normalised("ma mere est tombee")
