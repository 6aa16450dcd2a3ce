"""No sentence escapes the SMS report and the plain-language test (devtools/wording.py).

A French sentence for a person lives in a home of wording, and each home's sentences are in
the collection both read; a French literal elsewhere fails, unless it is said why it is not
sent to a person (`NOT_SENT`: words a person writes, errors for developers, the console's).
"""

from __future__ import annotations

import re
from collections import Counter
from pathlib import Path

import pytest

from channels import wording as channel_wording
from devtools import wording
from devtools.wording_scan import HOLE, french_literals


def test_no_french_sentence_lives_outside_its_homes() -> None:
    homes = wording.home_files()
    escaped = [
        f"{literal.path}:{literal.line} ({literal.owner}) {literal.text[:60]!r}"
        for path in wording.scanned_files()
        if path not in homes
        for literal in french_literals(wording.ROOT / path, wording.ROOT)
        if not wording.not_sent(literal)
    ]
    assert escaped == [], "move these sentences to a home (docs/wording.md), or say why not"


@pytest.mark.parametrize("home", wording.HOMES, ids=lambda home: home.name)
def test_every_sentence_of_a_home_is_in_the_collection(home: wording.Home) -> None:
    missing = [
        f"{literal.path}:{literal.line} ({literal.owner}) {literal.text[:60]!r}"
        for literal in wording.unshown(home, wording.collect())
    ]
    assert missing == [], "add a sample that says them (devtools/wording_samples.py)"


def test_every_home_gives_messages_to_the_collection() -> None:
    collected = Counter(sample.home for sample in wording.collect())
    assert {home.name for home in wording.HOMES} == set(collected)
    assert all(collected[home.name] > 0 for home in wording.HOMES)
    assert sum(collected.values()) > 3000


def test_the_homes_and_the_exceptions_name_real_places() -> None:
    for path in wording.home_files():
        assert (wording.ROOT / path).is_file(), path
    for key in wording.NOT_SENT:
        path, _, owner = key.partition("::")
        assert (wording.ROOT / path).is_file(), key
        literals = french_literals(wording.ROOT / path, wording.ROOT)
        assert literals, f"{key}: no French literal left, remove it from NOT_SENT"
        if owner:
            assert any(literal.owner == owner for literal in literals), key


def test_templates_are_filled_for_measuring() -> None:
    texts = [sample.text or "" for sample in wording.collect()]
    assert not [t for t in texts if re.search(r"\{\w*\}", t) or HOLE in t]
    said = dict(channel_wording.every_text())
    assert "1600 premiers caractères" in said["SMS_TOO_LONG"]
    assert "Senior Plus au 02 40 99 10 00." in said["TELEGRAM_CALL_US"]


def test_the_scan_finds_a_sentence_and_leaves_the_rest(tmp_path: Path) -> None:
    source = tmp_path / "module.py"
    source.write_text(
        '"""Un module qui parle français dans sa documentation."""\n'
        "import logging, re\n"
        "logger = logging.getLogger(__name__)\n"
        'WORDS = re.compile(r"\\b(?:je ne sais pas|pas sur)\\b")\n'
        'KEY = "conversation_paused"\n'
        "def answer(when: str) -> str:\n"
        '    logger.info("Réponse envoyée à %s", when)\n'
        '    return f"Un conseiller vous rappellera {when}, à ce numéro."\n'
        'NOTICE = "Votre rendez-vous est noté."\n'
        'LOG = "Action call refused for %s"\n',
        encoding="utf-8",
    )
    found = french_literals(source, tmp_path)
    assert [(f.owner, f.text) for f in found] == [
        ("answer", f"Un conseiller vous rappellera {HOLE}, à ce numéro."),
        ("NOTICE", "Votre rendez-vous est noté."),
    ]
    assert found[0].found_in("Un conseiller vous rappellera demain à 9 h, à ce numéro.")
    assert not found[0].found_in("Un conseiller vous rappellera\x01demain, à ce numéro.")


def test_the_plain_language_test_reads_each_answer_as_one_message() -> None:
    parts = [
        wording.Sample("a (1/2)", "Le GIR 4 : aide chaque jour."),
        wording.Sample("a (2/2)", "GIR : le niveau de besoin d'aide."),
        wording.Sample("b", "Bonjour."),
        wording.Sample("c", "La source (APA).", quoted=True),
    ]
    assert wording.conversations(parts) == [
        [("a", "Le GIR 4 : aide chaque jour.\nGIR : le niveau de besoin d'aide.")],
        [("b", "Bonjour.")],
    ]
