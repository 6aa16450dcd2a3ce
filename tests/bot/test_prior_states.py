"""bot/prior_states.py gives the states Rasa's own loop gives, at every point of a conversation."""

from __future__ import annotations

import itertools
from typing import Any

import pytest
from rasa.shared.core.domain import Domain
from rasa.shared.core.events import (
    ActionReverted,
    UserUtteranceReverted,
    UserUttered,
    deserialise_events,
)
from rasa.shared.core.trackers import DialogueStateTracker

from bot import prior_states
from bot.rasa_patches import _original_states_for_tracker_history as rasas_states
from tests.bot.rewinding_histories import DOMAIN, history

OPTIONS: list[dict[str, Any]] = [
    {},
    {"omit_unset_slots": True},
    {"ignore_rule_only_turns": True, "rule_only_data": {"slots": ["rule_only"], "loops": []}},
]


def reloaded(tracker: DialogueStateTracker) -> DialogueStateTracker:
    """The same conversation read back from a tracker store: new event objects."""
    again = deserialise_events([e.as_dict() for e in tracker.events])
    return DialogueStateTracker.from_events(tracker.sender_id, again, DOMAIN.slots)


@pytest.fixture(autouse=True)
def _no_runs() -> None:
    prior_states.forget()


@pytest.mark.parametrize("options", OPTIONS)
def test_a_growing_conversation_gets_rasas_states_at_every_event(options: dict[str, Any]) -> None:
    tracker = DialogueStateTracker("s", DOMAIN.slots)
    for event in history():
        tracker.update(event)
        ours = prior_states.states_for_tracker_history(DOMAIN, tracker, **options)
        assert ours == rasas_states(DOMAIN, tracker, **options), event
        if len(tracker.events) % 9 == 0:  # read back from the store now and then
            tracker = reloaded(tracker)


def test_calls_in_any_order_and_for_several_conversations_get_rasas_states() -> None:
    events = history()
    cuts = [90, 10, 11, 150, 149, len(events), 3, 60, 61, 62]
    for cut, options, sender in itertools.product(cuts, OPTIONS, ("a", "b")):
        tracker = DialogueStateTracker.from_events(sender, events[:cut], DOMAIN.slots)
        ours = prior_states.states_for_tracker_history(DOMAIN, tracker, **options)
        assert ours == rasas_states(DOMAIN, tracker, **options), (cut, options, sender)


def test_a_run_goes_on_and_starts_again_only_after_a_rewind(monkeypatch: Any) -> None:
    starts: list[str] = []
    original = prior_states._start

    def counted(domain: Domain, tracker: DialogueStateTracker) -> prior_states.Run:
        starts.append(tracker.sender_id)
        return original(domain, tracker)

    monkeypatch.setattr(prior_states, "_start", counted)
    tracker = DialogueStateTracker("s", DOMAIN.slots)
    for event in history()[:40]:
        if isinstance(event, UserUtteranceReverted | ActionReverted):
            break
        tracker.update(event)
        prior_states.states_for_tracker_history(DOMAIN, tracker)
        tracker = reloaded(tracker)  # every turn from the store: still the same run
    assert starts == ["s"]
    tracker.update(UserUttered("répéter", {"name": "repeat"}))
    prior_states.states_for_tracker_history(DOMAIN, tracker)
    tracker.update(UserUtteranceReverted())
    assert prior_states.states_for_tracker_history(DOMAIN, tracker) == rasas_states(DOMAIN, tracker)
    assert starts == ["s", "s"]  # the rewound message was read: read again from the start


def test_each_call_gets_states_it_may_edit() -> None:
    tracker = DialogueStateTracker.from_events("s", history()[:30], DOMAIN.slots)
    first = prior_states.states_for_tracker_history(DOMAIN, tracker)
    for state in first:
        for part in state.values():
            part.clear()
    assert prior_states.states_for_tracker_history(DOMAIN, tracker) == rasas_states(DOMAIN, tracker)


def test_runs_are_kept_for_a_bounded_number_of_conversations(monkeypatch: Any) -> None:
    monkeypatch.setattr(prior_states, "RUNS_KEPT", 3)
    for sender in "abcdef":
        tracker = DialogueStateTracker.from_events(sender, history()[:12], DOMAIN.slots)
        prior_states.states_for_tracker_history(DOMAIN, tracker)
    assert len(prior_states._runs) == 3
