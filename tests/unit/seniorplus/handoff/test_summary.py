"""The summary an agent reads first: only what is known, short lines, the last messages."""

from __future__ import annotations

from typing import Any

import pytest

from seniorplus.cases.cases import journeys
from seniorplus.handoff.reasons import emergency_given, handoff_reason
from seniorplus.handoff.summary import (
    MAX_CHARS,
    build_summary,
    case_line,
    recent_messages,
    who_line,
)

MENU = [{"title": "Parler à une personne", "payload": "/request_human"}]
CASE = {
    "reference": "SP-2026-000123",
    "journey": "apa_domicile",
    "journey_title": "L'APA à domicile",
    "status": "ouvert",
    "status_label": "ouvert",
    "missing_documents": [
        {"id": "formulaire", "label": "le formulaire de demande"},
        {"id": "identite", "label": "une pièce d'identité"},
        {"id": "rib", "label": "un RIB"},
        {"id": "impots", "label": "le dernier avis d'imposition"},
        {"id": "domicile", "label": "un justificatif de domicile"},
    ],
}


def user(text: str, intent: str = "inform", **extra: Any) -> dict[str, Any]:
    return {"event": "user", "text": text, "parse_data": {"intent": {"name": intent}}, **extra}


def bot(text: str, **extra: Any) -> dict[str, Any]:
    return {"event": "bot", "text": text, **extra}


def conversation() -> list[dict[str, Any]]:
    return [
        user("bonjour", "greet"),
        {"event": "action", "name": "action_greet"},
        bot("Que puis-je faire pour vous ?", data={"buttons": MENU}),
        user("ma mère ne peut plus faire sa toilette seule", "ask_apa"),
        bot("L'APA à domicile aide à payer une aide à la maison."),
        user("et pour le dossier ?", "ask_documents"),
        bot("Il faut un RIB et le dernier avis d'imposition."),
        user("/request_human", "request_human"),
    ]


@pytest.mark.parametrize(
    ("slots", "line"),
    [
        ({"for_whom": "relative", "relationship": "mère"}, "Un proche, pour sa mère."),
        ({"for_whom": "relative", "relationship": "père"}, "Un proche, pour son père."),
        ({"for_whom": "relative", "relationship": "épouse"}, "Un proche, pour son épouse."),
        ({"relationship": "grand-mère"}, "Un proche, pour sa grand-mère."),
        ({"for_whom": "relative"}, "Un proche, pour une personne âgée."),
        ({"for_whom": "relative", "relationship": "voisin"},
         "Un proche, pour une personne âgée (« voisin »)."),
        ({"for_whom": "self"}, "La personne âgée elle-même."),
        ({}, None),
    ],
)  # fmt: skip
def test_who_speaks_and_for_whom_without_inventing(slots: dict[str, Any], line: str) -> None:
    assert who_line(slots) == line


def test_a_full_summary_has_one_short_line_per_known_fact() -> None:
    slots = {
        "for_whom": "relative",
        "relationship": "mère",
        "journey": "apa_domicile",
        "journey_step": 2,
        "commune": "Clisson",
        "postcode": "44190",
        "gir_band": "1-2",
    }
    summary = build_summary(
        conversation(),
        slots,
        reason="demande",
        channel="sms",
        cases=[CASE],
        appointments=["mardi 1 décembre à 9 h 45, France Services Clisson, 2 rue X, Clisson"],
    )
    step = journeys()["apa_domicile"].steps[2].title
    lines = summary.splitlines()
    assert lines[:9] == [
        "Un proche, pour sa mère.",
        "Canal : SMS.",
        f"Démarche : L'APA à domicile, étape 3 sur 8 ({step}).",
        "Dossier SP-2026-000123 (L'APA à domicile) : ouvert ; il manque : le formulaire de "
        "demande, une pièce d'identité, un RIB (+2).",
        "Commune : Clisson (44190).",
        "GIR approximatif (estimé par l'assistant, à vérifier) : 1-2.",
        "Rendez-vous : mardi 1 décembre à 9 h 45, France Services Clisson, 2 rue X, Clisson.",
        "Motif : a demandé une personne.",
        "Derniers messages :",
    ]
    assert lines[9:] == [
        "Assistant : Que puis-je faire pour vous ?",
        "Personne : ma mère ne peut plus faire sa toilette seule",
        "Assistant : L'APA à domicile aide à payer une aide à la maison.",
        "Personne : et pour le dossier ?",
        "Assistant : Il faut un RIB et le dernier avis d'imposition.",
        "Personne : « Parler à une personne » (choix)",  # the button's title, not its payload
    ]  # the last 6: "bonjour" is older
    assert len(summary) <= MAX_CHARS


def test_nothing_known_gives_only_the_channel_and_the_reason() -> None:
    summary = build_summary([], {}, reason="incomprehension", channel="telegram", catalogue={})
    assert summary == "Canal : Telegram.\nMotif : 2 incompréhensions de suite."


def test_a_journey_not_started_and_a_complete_case() -> None:
    summary = build_summary(
        [],
        {"journey": "ehpad", "journey_step": -1},
        reason="urgence",
        channel="voice",
        cases=[{**CASE, "missing_documents": [], "status_label": "complet"}],
    )
    assert "Démarche : Entrer en maison de retraite (étapes pas encore commencées)." in summary
    assert "ouvert" not in summary and "complet ; aucun papier ne manque." in summary
    assert "Canal : téléphone." in summary and "Motif : mots d'urgence" in summary


def test_long_messages_are_cut_and_the_whole_stays_under_the_limit() -> None:
    long = "Je vous écris parce que " + "ma situation est compliquée " * 40
    events = [user(long), bot(long), user(long), bot(long), user(long), bot(long), user(long)]
    summary = build_summary(events, {}, reason="demande", channel="sms", catalogue={})
    assert len(summary) <= MAX_CHARS
    message_lines = summary.split("Derniers messages :\n")[1].splitlines()
    assert all(len(line.split(" : ", 1)[1]) <= 200 for line in message_lines)
    assert all(line.endswith("…") for line in message_lines)
    assert message_lines[-1].startswith("Personne : Je vous écris")  # the newest is kept


def test_rewound_messages_and_html_are_read_as_the_tracker_does() -> None:
    events = [user("<b>oups</b>"), {"event": "rewind"}, user("<script>x</script>"), bot("Bien.")]
    assert recent_messages(events) == [("Personne", "<script>x</script>"), ("Assistant", "Bien.")]


def test_more_than_two_cases_are_counted() -> None:
    other = {**CASE, "reference": "SP-2026-000124"}
    summary = build_summary(
        [], {}, reason="demande", channel="sms", cases=[CASE, other, other], catalogue={}
    )
    assert summary.count("Dossier SP-") == 2 and "Et 1 autre(s) dossier(s) ouvert(s)." in summary


def test_case_line_says_every_paper_when_three_or_fewer() -> None:
    three = {**CASE, "missing_documents": CASE["missing_documents"][:3]}
    assert case_line(three).endswith("une pièce d'identité, un RIB.")


@pytest.mark.parametrize(
    ("intent", "channel", "actions", "reason"),
    [
        ("request_human", "sms", [], "demande"),
        ("report_emergency", "sms", ["utter_emergency"], "urgence"),
        ("report_emergency", "voice", [], "urgence"),  # emergency words come first
        ("request_human", "voice", [], "appel"),
        ("nlu_fallback", "telegram", ["action_fallback"], "incomprehension"),
        ("ask_apa", "rest", ["action_fallback"], "incomprehension"),
        ("affirm", "rest", [], "demande"),
    ],
)
def test_the_reason_of_a_handoff(
    intent: str, channel: str, actions: list[str], reason: str
) -> None:
    events = [user("x", intent), *({"event": "action", "name": a} for a in actions)]
    assert handoff_reason(intent, channel, events) == reason


def test_emergency_numbers_given_in_this_turn_only() -> None:
    given = bot("Si une vie…", metadata={"utter_action": "utter_emergency"})
    assert emergency_given([user("au secours", "report_emergency"), given])
    assert not emergency_given([given, user("au secours", "report_emergency")])
