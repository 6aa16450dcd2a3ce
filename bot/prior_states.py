"""A conversation's dialogue states, computed once per event instead of once per prediction.

Rasa's policies read a conversation as the list of its states, one before each action
(``Domain.states_for_tracker_history``): every prediction rebuilds the whole list, event by
event, from the start of the session. The memoization policy and the rule policy each ask for
it, two or three predictions per message: at turn 200 of a conversation this was the largest
part of a turn (docs/performance.md, "coût plat").

The states before an event depend only on the events before it. So the loop of Rasa's
``states_for_tracker_history`` is kept here, paused after the last event it has read (a
``Run``), one per conversation and kind of call; the next call goes on from there when the
conversation's applied events (``applied_events``: rewound events left out) start with the
ones already read, and starts again from the first event otherwise (a rewind, an erased
conversation, another replica's events are simply read). Events are compared by class,
timestamp, text, action and slot name: the events of a conversation loaded again from the
tracker store compare equal to the ones read before.

Each call gets its own copy of the states (the policies edit them in place). Installed by
``bot/rasa_patches.py`` (patch 7); tests/bot/test_prior_states.py compares it with Rasa's
loop at every point of conversations with rewinds, pauses and new sessions.
"""

from __future__ import annotations

from collections import OrderedDict, deque
from dataclasses import dataclass, field
from typing import Any

from rasa.shared.core.constants import PREVIOUS_ACTION
from rasa.shared.core.domain import Domain
from rasa.shared.core.events import ActionExecuted, Event
from rasa.shared.core.trackers import DialogueStateTracker

RUNS_KEPT = 256  # conversations whose run is kept (least recently used first out)
State = dict[str, Any]


@dataclass
class Run:
    """Rasa's loop over a conversation's prior trackers, paused after ``len(keys)`` events."""

    domain: Domain
    prior: DialogueStateTracker  # the conversation after those events
    keys: list[tuple[Any, ...]] = field(default_factory=list)
    states: list[State] = field(default_factory=list)
    last_ml_action: dict[str, Any] | None = None
    turn_was_hidden: bool = False


_runs: OrderedDict[tuple[Any, ...], Run] = OrderedDict()


def event_key(event: Event) -> tuple[Any, ...]:
    return (
        type(event),
        event.timestamp,
        getattr(event, "text", None),
        getattr(event, "action_name", None),
        getattr(event, "key", None),
    )


def frozen(value: Any) -> Any:
    if isinstance(value, dict):
        return tuple(sorted((k, frozen(v)) for k, v in value.items()))
    if isinstance(value, list | tuple | set | frozenset):
        return tuple(frozen(v) for v in value)
    return value


def fresh(states: list[State]) -> list[State]:
    """Copies the policies may edit: each state and its parts."""
    return [{k: dict(v) if isinstance(v, dict) else v for k, v in s.items()} for s in states]


def _step(
    run: Run,
    prior: DialogueStateTracker,
    hide_rule_turn: bool,
    omit_unset_slots: bool,
    ignore_rule_only_turns: bool,
    rule_only_data: dict[str, Any] | None,
) -> None:
    """The body of Rasa's loop in ``Domain.states_for_tracker_history``, for one prior tracker."""
    domain = run.domain
    if ignore_rule_only_turns:
        if not run.turn_was_hidden:
            run.last_ml_action = domain._get_prev_action_sub_state(prior)
        if not prior.followup_action and prior.latest_action_name != prior.active_loop_name:
            run.turn_was_hidden = hide_rule_turn
        if run.turn_was_hidden:
            return
    state = domain.get_active_state(prior, omit_unset_slots=omit_unset_slots)
    if ignore_rule_only_turns:
        domain._remove_rule_only_features(state, rule_only_data)
        if run.states:
            domain._substitute_rule_only_user_input(state, run.states[-1])
        if run.last_ml_action:
            state[PREVIOUS_ACTION] = run.last_ml_action
    run.states.append(domain._clean_state(state))


def _start(domain: Domain, tracker: DialogueStateTracker) -> Run:
    prior = tracker.init_copy()
    prior.events = deque(maxlen=1)  # the state is in its fields; no event is read back
    return Run(domain, prior)


def states_for_tracker_history(
    domain: Domain,
    tracker: DialogueStateTracker,
    omit_unset_slots: bool = False,
    ignore_rule_only_turns: bool = False,
    rule_only_data: dict[str, Any] | None = None,
) -> list[State]:
    """What Rasa's ``Domain.states_for_tracker_history`` returns, from the paused run."""
    applied = tracker.applied_events()
    keys = [event_key(e) for e in applied]
    options = (omit_unset_slots, ignore_rule_only_turns, frozen(rule_only_data))
    name = (id(domain), tracker.sender_id, tracker.is_rule_tracker, *options)
    run = _runs.get(name)
    seen = len(run.keys) if run is not None else 0
    if run is None or run.domain is not domain or run.keys != keys[:seen]:
        run, seen = _start(domain, tracker), 0
        _runs[name] = run
    _runs.move_to_end(name)
    while len(_runs) > RUNS_KEPT:
        _runs.popitem(last=False)
    for event, key in zip(applied[seen:], keys[seen:], strict=True):
        if isinstance(event, ActionExecuted):
            _step(run, run.prior, event.hide_rule_turn, *options[:2], rule_only_data)
        run.prior.update(event)
        run.keys.append(key)
    # Rasa's last prior tracker (after every event): its state ends the list, not kept.
    last = Run(domain, run.prior, [], run.states[:], run.last_ml_action, run.turn_was_hidden)
    _step(last, run.prior, False, *options[:2], rule_only_data)
    return fresh(last.states)


def forget() -> None:
    """Drop every paused run (tests)."""
    _runs.clear()
