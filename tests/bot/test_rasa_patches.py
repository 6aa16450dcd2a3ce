"""Rasa fixes of bot/rasa_patches.py: same results as Rasa's own code."""

import asyncio

import jsonschema
import pytest
from rasa.core.actions.action import RemoteAction
from rasa.shared.core.events import SlotSet
from rasa.shared.core.trackers import DialogueStateTracker, EventVerbosity

from bot import rasa_patches
from bot.rasa_patches import _validate_action_result, apply
from tests.bot.rewinding_histories import DOMAIN, history
from tests.support import local_http

GOOD = {"events": [{"event": "slot", "name": "x", "value": 1}], "responses": [{"text": "Bonjour"}]}
BAD = [
    {"events": "not a list"},
    {"events": [{"event": 3}]},
    {"responses": "x"},
    {"events": [{"event": "slot", "name": "x"}, {"event": "unknown_kind"}]},
    {"events": [{"event": "slot", "name": "x", "timestamp": "hier"}]},
    {"events": [{"event": "user", "text": "bonjour"}, "pas un événement"]},
    {"events": [{"event": "slot", "name": "x"}], "responses": ["pas un objet"]},
]


def test_valid_response_is_accepted() -> None:
    assert _validate_action_result(None, GOOD)  # type: ignore[arg-type]
    jsonschema.validate(GOOD, RemoteAction.action_response_format_spec())


@pytest.mark.parametrize("result", BAD)
def test_invalid_responses_are_refused_like_rasa_does(result: dict) -> None:
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate(result, RemoteAction.action_response_format_spec())
    with pytest.raises(jsonschema.ValidationError):
        _validate_action_result(None, result)  # type: ignore[arg-type]


def test_every_kind_of_event_rasa_accepts_is_accepted() -> None:
    from rasa.shared.utils.schemas.events import EVENT_SCHEMA

    kinds = [b["properties"]["event"]["const"] for b in EVENT_SCHEMA["oneOf"]]
    assert len(kinds) == len(set(kinds)) == 23  # one branch per kind: the check relies on it
    samples = [
        {"event": "user", "text": "bonjour", "parse_data": {"intent": {"name": "greet"}}},
        {"event": "action", "name": "action_listen", "policy": None, "confidence": None},
        {"event": "bot", "text": "Bonjour", "data": {}, "metadata": {}},
        {"event": "slot", "name": "commune", "value": "Clisson", "timestamp": 1.5},
        {"event": "followup", "name": "action_x"},
        {"event": "active_loop", "name": None},
        *({"event": kind} for kind in ("rewind", "undo", "pause", "resume", "reset_slots")),
    ]
    for sample in samples:
        result = {"events": [sample], "responses": []}
        accepted = jsonschema.Draft7Validator(RemoteAction.action_response_format_spec())
        assert accepted.is_valid(result) == _validate_action_result(None, result)  # type: ignore[arg-type]


def test_apply_installs_the_fix() -> None:
    apply()
    assert RemoteAction._validate_action_result is _validate_action_result


def test_sqlite_tracker_store_uses_wal(tmp_path) -> None:  # type: ignore[no-untyped-def]
    from rasa.core.tracker_store import SQLTrackerStore
    from rasa.shared.core.domain import Domain

    apply()
    store = SQLTrackerStore(Domain.empty(), host=f"sqlite:///{tmp_path / 'tracker.db'}")
    with store.engine.connect() as connection:
        assert connection.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
        assert connection.exec_driver_sql("PRAGMA synchronous").scalar() == 1  # NORMAL


def test_event_lookup_returns_the_same_classes() -> None:
    from rasa.shared.core import events
    from rasa.shared.utils.common import all_subclasses

    original = {}
    for cls in all_subclasses(events.Event):
        original.setdefault(cls.type_name, cls)
    apply()
    for name, cls in original.items():
        assert events.Event.resolve_by_type(name) is cls
    assert events.Event.resolve_by_type("topic") is None
    with pytest.raises(ValueError, match="Unknown event name"):
        events.Event.resolve_by_type("no_such_event")
    restored = events.Event.from_parameters(
        {"event": "user", "text": "bonjour", "parse_data": {"intent": {"name": "greet"}}}
    )
    assert isinstance(restored, events.UserUttered)


def test_sqlite_tracker_store_keeps_its_connections(tmp_path) -> None:  # type: ignore[no-untyped-def]
    from rasa.core.tracker_store import SQLTrackerStore
    from rasa.shared.core.domain import Domain
    from rasa.shared.core.events import UserUttered
    from rasa.shared.core.trackers import DialogueStateTracker
    from sqlalchemy.pool import QueuePool

    apply()
    store = SQLTrackerStore(Domain.empty(), host=f"sqlite:///{tmp_path / 'tracker.db'}")
    assert isinstance(store.engine.pool, QueuePool)
    tracker = DialogueStateTracker.from_events("+33612345678", [UserUttered("bonjour")])
    asyncio.run(store.save(tracker))
    restored = asyncio.run(store.retrieve("+33612345678"))
    assert restored is not None
    assert [e.text for e in restored.events if isinstance(e, UserUttered)] == ["bonjour"]


def test_a_copy_is_the_conversation_rasa_would_copy_at_every_point() -> None:
    """One replay instead of one per rewind: the same copy, whatever event it stops at."""
    domain, events = DOMAIN, history()
    apply()
    every = EventVerbosity.ALL
    for cut in range(1, len(events) + 1):
        tracker = DialogueStateTracker.from_events("s", events[:cut], domain.slots)
        tracker.model_id = "m"
        ours, rasas = tracker.copy(), rasa_patches._original_copy(tracker)
        assert list(ours.events) == list(rasas.events)
        assert ours.current_state(every) == rasas.current_state(every), cut
        assert ours.past_states(domain) == rasas.past_states(domain), cut
        for attribute in ("followup_action", "latest_action", "active_loop", "model_id"):
            assert getattr(ours, attribute) == getattr(rasas, attribute), (cut, attribute)
        assert ours.is_paused() == rasas.is_paused()
    ours.update(SlotSet("journey", "changed"))
    assert tracker.get_slot("journey") != "changed"  # a copy, not the same slots


def test_applied_events_are_rasa_s_at_every_point_with_rewinds_and_loops() -> None:
    from rasa.shared.core.events import ActionExecuted, ActiveLoop, UserUttered

    loop = [ActionExecuted("action_listen"), UserUttered("je veux un rendez-vous")]
    for _ in range(3):  # a form asks, the person answers: Rasa keeps only the form's first run
        loop += [ActionExecuted("form_rdv"), ActiveLoop("form_rdv"), SlotSet("journey", "x")]
        loop += [ActionExecuted("action_listen"), UserUttered("mardi")]
    loop += [ActionExecuted("form_rdv"), ActiveLoop(None), ActionExecuted("action_listen")]
    for events in (history(), loop + history(), history() + loop):
        for end in range(len(events) + 1):
            tracker = DialogueStateTracker("fenetre", DOMAIN.slots)
            tracker.events.extend(events[:end])
            ours = rasa_patches._applied_events(tracker)
            assert ours == rasa_patches._original_applied_events(tracker), end


def test_the_action_server_receives_the_same_conversation_encoded_by_ujson() -> None:
    """Patch 12: the request Rasa sends with each action, read back by a local server."""
    import json

    from aiohttp import web
    from rasa.utils.endpoints import EndpointConfig

    from bot.rasa_patches import _session

    tracker = DialogueStateTracker.from_events("ujson", history(), DOMAIN.slots)
    body = {
        "next_action": "action_journey",
        "sender_id": "ujson",
        "tracker": tracker.current_state(EventVerbosity.ALL),
        "domain": DOMAIN.as_dict(),
        "version": "3.6.21",
    }
    received: list[tuple[bytes, str | None]] = []

    async def handler(request: web.Request) -> web.Response:
        received.append((await request.read(), request.headers.get("Authorization")))
        return web.json_response({"events": [], "responses": []})

    async def run() -> object:
        async with local_http("/webhook", handler) as url:
            endpoint = EndpointConfig(url=url, headers={"Authorization": "Bearer t"})
            assert EndpointConfig.session is _session  # installed by apply()
            return await endpoint.request(json=body, method="post")

    apply()
    assert asyncio.run(run()) == {"events": [], "responses": []}
    [(raw, authorization)] = received
    assert authorization == "Bearer t"
    assert json.loads(raw) == json.loads(json.dumps(body))
    assert raw != json.dumps(body).encode()  # ujson wrote it (compact, slashes escaped)
