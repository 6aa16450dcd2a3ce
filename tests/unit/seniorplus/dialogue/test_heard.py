"""Facts heard once: read from every message in order, kept, corrected, never re-read."""

from __future__ import annotations

from decimal import Decimal

from seniorplus.dialogue.heard import Said, heard, person_messages, person_texts


def test_every_message_is_read_and_the_latest_correction_wins() -> None:
    texts = ["bonjour, ma mère a soixante dix huit ans", "elle vit seule à Clisson",
             "non, elle a 87 ans, pas 78"]  # fmt: skip
    found = heard(None, texts)
    facts = found.facts
    assert (facts.age, facts.household, facts.relationship) == (87, "seul", "mère")
    assert found.read == 3


def test_an_answer_kept_is_changed_only_by_later_messages() -> None:
    first = heard(None, ["mon père a 80 ans"]).with_answer(household="couple")
    triage = first.stored_in({"age": 80})
    assert triage["age"] == 80 and triage["facts_read"] == 1
    later = heard(triage, ["mon père a 80 ans", "il touche neuf cent vingt euros par mois"])
    assert later.facts.household == "couple" and later.facts.income == Decimal(920)
    again = heard(later.stored_in(triage), ["mon père a 80 ans", "x", "il est veuf depuis mars"])
    assert again.facts.household == "seul"


def test_a_shorter_history_reads_nothing_again() -> None:
    kept = {"facts": {"age": 90}, "facts_read": 5}
    assert heard(kept, ["elle a 70 ans"]).facts.age == 90


def test_button_payloads_are_not_the_person_s_words() -> None:
    events = [{"event": "user", "text": '/ask_cost{"gir_band": "1-2"}'},
              {"event": "bot", "text": "ma mère a 90 ans"},
              {"event": "user", "text": "GIR 2"}]  # fmt: skip
    assert person_texts(events) == ["GIR 2"]
    assert person_texts([], "ma mère") == ["ma mère"]


def test_a_window_of_the_latest_turns_reads_only_what_came_after_the_last_read() -> None:
    """A long conversation shows a turn only its latest messages (bot/stores/window.py):
    what is unread is told by time, not by how many messages the turn sees."""
    first = heard(None, [Said("ma mère a 78 ans", at=100.0), Said("elle vit seule", at=110.0)])
    kept = first.stored_in(None)
    assert kept["facts_read_at"] == 110.0
    window = [Said("elle vit seule", at=110.0), Said("non, elle a 87 ans", at=250.0)]
    later = heard(kept, window)  # two messages seen, the second one new
    assert (later.facts.age, later.facts.household) == (87, "seul")
    assert later.fresh.age == 87 and later.read_at == 250.0
    again = heard(later.stored_in(kept), [Said("non, elle a 87 ans", at=250.0)])
    assert again.fresh == type(again.fresh)() and again.facts.age == 87


def test_messages_come_with_their_time() -> None:
    events = [{"event": "user", "text": "mon père a 80 ans", "timestamp": 12.5},
              {"event": "user", "text": "/affirm", "timestamp": 13.0}]  # fmt: skip
    assert person_messages(events) == [Said("mon père a 80 ans", 12.5)]
