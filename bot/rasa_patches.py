"""Measured fixes to Rasa 3.6, applied by bot/server.py before Rasa starts.

1. Rasa validates every action-server response with `jsonschema.validate`, which
checks the (large) response schema against the JSON-Schema metaschema on each
call: about a quarter of the bot's CPU under load (py-spy, docs/performance.md).
The schema never changes, so it is checked once and its validator reused; the
responses are validated exactly as before. Each event is checked against the one
branch of the schema's ``oneOf`` that names its kind, instead of all 23 (the others
can only fail); an invalid response gets Rasa's whole check and its error.

2. The SQLite tracker store opens a new connection for every message (SQLAlchemy
1.4's NullPool) and commits, waiting for the disk, inside the event loop. It now
keeps its connections in a pool, in WAL mode with synchronous=NORMAL: a commit no
longer waits for the disk; a crash of the process loses nothing, only a power cut
may lose the last commits. PostgreSQL, used in production, is untouched.

3. Every stored event read back looks its class up by scanning all Event
subclasses (`Event.resolve_by_type`). The lookup is now a dictionary, rebuilt
when a name is missing, so it returns the same class as before.

4. A channel must know why a turn was silent (channels/safety_net.py): Rasa
says nothing when a person of the team holds the conversation, and also when a
custom action fails (it logs the error and goes on). The output channel of the
turn is now marked: ``turn_paused`` (paused when the message arrived) and
``turn_failed`` (a call to the action server failed). Nothing else changes.

5. Several replicas (docs/architecture.md, "État et réplicas"). Rasa wraps the tracker
store in a ``FailSafeTrackerStore`` that goes on in memory when the database fails
(RasaHQ/rasa#3243): the failure now fails the turn (``bot.stores.tracker_store``), and a
store type that cannot be imported stops the start instead of becoming a memory store.
``lock_store: type: redis`` (Rasa's own, not atomic: RasaHQ/rasa#9213) now builds
``bot.stores.redis_lock_store.AtomicRedisLockStore``. Tracker store engines hide SQL
parameters in their errors (the events carry the person's words).

6. Before every action, Rasa copies the conversation (``DialogueStateTracker.copy``, in
``MessageProcessor._run_action``) by applying its events one by one, and each rewind among
them (``UserUtteranceReverted``, ``ActionReverted``: repeat, explain a word, read a typed
reply) resets the copy and replays everything before it: the cost of an action grew with the
length of the conversation times its rewinds (docs/performance.md, "coût plat"). The copy is
now rebuilt with one replay, as the tracker store loads a conversation
(``recreate_from_dialogue``, Rasa's other stores' way): the same events and the same state.
A bounded history or a form (an active loop, whose replay Rasa treats apart) keeps Rasa's way.

7. Every prediction rebuilt the conversation's dialogue states from its first event
(``Domain.states_for_tracker_history``), two or three times per message: they are now
computed once per event and kept per conversation (``bot/prior_states.py``).

8. The model graph, run three times per message, no longer goes through a dask scheduler
and a recursive walk of its schema at each call: its nodes run one after the other in an
order computed once per set of targets (``bot/graph_runner.py``), with the same inputs.

9. ``DialogueStateTracker.applied_events``, called about ten times per message, tested each
event against five classes with ``isinstance`` (abstract classes: slow); the answer is now
looked up once per class. Same events, same order (tested against Rasa's at every point of a
conversation with rewinds, loops, pauses and new sessions).

10. The processor and the rule and memoization policies deep-copy events and dialogue states
for their debug logs on every message, logged or not: they now copy only when debug is
logged (``bot/debug_copies.py``).

11. DIET's prediction calls its one compiled TensorFlow function directly instead of going
through ``tf.function``'s dispatch at every message (``bot/tf_predict.py``).

12. The conversation sent to the action server with each action was encoded by the standard
``json`` module (a fifteenth of Rasa's CPU under load); Rasa's endpoint sessions now encode
with ``ujson`` (already installed with Sanic): the same JSON values (tested on real payloads).

13. DIET's sparse features were put side by side with ``scipy.sparse.hstack`` (its general
block assembly, a tenth of a turn's CPU) after a deep copy of the first matrix: the COO
matrices of the featurizers are now concatenated directly (``bot/sparse_features.py``), the
same matrix to the bit.

14. The word and letter-group counts of a message went through scikit-learn's ``transform``
(checks, a CSR matrix, sorted, then turned into COO): they are counted with the vectorizer's
own analyzer and vocabulary and built as COO directly (``bot/count_features.py``), the same
matrices to the bit.
"""

from __future__ import annotations

import sqlite3
from functools import lru_cache
from typing import Any

import aiohttp
import jsonschema
import ujson
from rasa.core import lock_store, tracker_store
from rasa.core.actions.action import RemoteAction
from rasa.core.agent import Agent
from rasa.core.channels.channel import OutputChannel
from rasa.core.processor import MessageProcessor
from rasa.engine.runner.dask import DaskGraphRunner
from rasa.shared.constants import DOCS_BASE_URL
from rasa.shared.core import events
from rasa.shared.core.domain import Domain
from rasa.shared.core.trackers import DialogueStateTracker
from rasa.shared.utils.common import all_subclasses, class_from_module_path
from rasa.utils.endpoints import DEFAULT_REQUEST_TIMEOUT, EndpointConfig
from sqlalchemy import event
from sqlalchemy.engine import Engine
from sqlalchemy.pool import QueuePool

from bot import (
    count_features,
    debug_copies,
    graph_runner,
    prior_states,
    sparse_features,
    tf_predict,
)
from bot.stores import window
from bot.stores.redis_lock_store import AtomicRedisLockStore
from bot.stores.tracker_store import fail_loudly


@lru_cache(maxsize=1)
def _action_response_validator() -> Any:
    schema = RemoteAction.action_response_format_spec()
    validator_class = jsonschema.validators.validator_for(schema)
    validator_class.check_schema(schema)
    return validator_class(schema)


@lru_cache(maxsize=1)
def _event_validators() -> tuple[Any, dict[str, Any]]:
    """The response without its events' kinds, and one validator per kind of event.

    Each branch of the events' ``oneOf`` fixes ``event`` to its own constant: an event
    matches exactly one branch, the one of its name, and the others fail on that constant.
    Checking the event against that branch alone is the same check without trying 23.
    """
    schema = RemoteAction.action_response_format_spec()
    event_schema = schema["properties"]["events"]["items"]
    base = {key: value for key, value in event_schema.items() if key != "oneOf"}
    validator_class = jsonschema.validators.validator_for(schema)
    kinds = {
        branch["properties"]["event"]["const"]: validator_class({**base, "allOf": [branch]})
        for branch in event_schema["oneOf"]
    }
    outer = {
        **schema,
        "properties": {**schema["properties"], "events": {"type": "array"}},
    }
    return validator_class(outer), kinds


def _response_errors(result: Any) -> Any:
    outer, kinds = _event_validators()
    errors = list(outer.iter_errors(result))
    events_ = result.get("events") if isinstance(result, dict) else None
    if errors or not isinstance(events_, list):
        return iter(errors)
    for item in events_:
        kind = item.get("event") if isinstance(item, dict) else None
        validator = kinds.get(kind) if isinstance(kind, str) else None
        if validator is None or not validator.is_valid(item):
            return _action_response_validator().iter_errors(result)  # Rasa's whole error
    return iter(())


def _validate_action_result(self: RemoteAction, result: dict[str, Any]) -> bool:
    error = jsonschema.exceptions.best_match(_response_errors(result))
    if error is not None:
        error.message += (
            ". Failed to validate Action server response from API, make sure your response "
            f"from the Action endpoint is valid. See {DOCS_BASE_URL}/custom-actions"
        )
        raise error
    return True


def _sqlite_wal(dbapi_connection: Any, _: Any) -> None:
    if isinstance(dbapi_connection, sqlite3.Connection):
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA synchronous=NORMAL")
        cursor.close()


_original_engine_kwargs = tracker_store.create_engine_kwargs


def _engine_kwargs(url: Any) -> dict[str, Any]:
    # hide_parameters: a failed statement names its SQL, never the values (the events carry
    # the person's words); it now reaches the channel's log instead of being swallowed.
    if str(url).startswith("sqlite:///") and str(url) != "sqlite:///:memory:":
        return {
            "poolclass": QueuePool,
            "connect_args": {"check_same_thread": False},
            "hide_parameters": True,
        }
    return {**_original_engine_kwargs(url), "hide_parameters": True}


_event_types: dict[str, type[events.Event]] = {}
_original_resolve_by_type = events.Event.resolve_by_type


def _resolve_by_type(
    type_name: str, default: type[events.Event] | None = None
) -> type[events.Event] | None:
    if type_name not in _event_types:
        _event_types.clear()
        for cls in all_subclasses(events.Event):
            _event_types.setdefault(cls.type_name, cls)
    if type_name in _event_types:
        return _event_types[type_name]
    resolved: type[Any] | None = _original_resolve_by_type(type_name, default)
    return resolved


_original_prediction_loop = MessageProcessor._run_prediction_loop
_original_remote_run = RemoteAction.run


async def _prediction_loop(
    self: MessageProcessor, output_channel: OutputChannel, tracker: Any
) -> None:
    output_channel.turn_paused = tracker.is_paused()
    await _original_prediction_loop(self, output_channel, tracker)


async def _remote_run(
    self: RemoteAction, output_channel: OutputChannel, *args: Any, **kwargs: Any
) -> Any:
    try:
        return await _original_remote_run(self, output_channel, *args, **kwargs)
    except Exception:
        output_channel.turn_failed = True
        raise


def _session(self: EndpointConfig) -> aiohttp.ClientSession:
    """Rasa's ``EndpointConfig.session`` (headers, auth, timeout), encoding JSON with ujson."""
    auth = None
    if self.basic_auth:
        auth = aiohttp.BasicAuth(self.basic_auth["username"], self.basic_auth["password"])
    return aiohttp.ClientSession(
        headers=self.headers,
        auth=auth,
        timeout=aiohttp.ClientTimeout(total=DEFAULT_REQUEST_TIMEOUT),
        json_serialize=ujson.dumps,
    )


def _tracker_store_failing_loudly(store: Any, domain: Any) -> Any:
    if store is None:  # no endpoints (tests): Rasa's memory store, as before
        return _original_create_tracker_store(store, domain)
    store.domain = domain
    return tracker_store.FailSafeTrackerStore(store, on_tracker_store_error=fail_loudly)


def _tracker_store_class(domain: Any, store: Any, event_broker: Any = None) -> Any:
    try:
        store_class = class_from_module_path(store.type)
    except (AttributeError, ImportError) as error:
        raise tracker_store.ConnectionException(
            f"Type de tracker store inconnu : {store.type}. Unknown tracker store type: {error}"
        ) from error
    return store_class(host=store.url, domain=domain, event_broker=event_broker, **store.kwargs)


def _lock_store_from(endpoint_config: Any = None) -> Any:
    if endpoint_config is not None and endpoint_config.type == "redis":
        return AtomicRedisLockStore(endpoint_config)
    return _original_lock_store_from(endpoint_config)


_original_copy = DialogueStateTracker.copy


def _copy(self: DialogueStateTracker) -> DialogueStateTracker:
    if self.events.maxlen is not None or any(
        isinstance(e, events.ActiveLoop) and e.name for e in self.events
    ):
        return _original_copy(self)
    return window.replayed(self, list(self.events))


_original_states_for_tracker_history = Domain.states_for_tracker_history
_original_applied_events = DialogueStateTracker.applied_events

RESET, UNDO_ACTION, UNDO_MESSAGE, ACTION, OTHER = range(5)
_kinds: dict[type, tuple[int, bool]] = {}


def _kind(cls: type) -> tuple[int, bool]:
    """What ``applied_events`` does with an event of this class, and whether it opens a loop:
    Rasa's ``isinstance`` tests, in Rasa's order, answered once per class."""
    if cls not in _kinds:
        if issubclass(cls, (events.Restarted, events.SessionStarted)):
            kind = RESET
        elif issubclass(cls, events.ActionReverted):
            kind = UNDO_ACTION
        elif issubclass(cls, events.UserUtteranceReverted):
            kind = UNDO_MESSAGE
        elif issubclass(cls, events.ActionExecuted):
            kind = ACTION
        else:
            kind = OTHER
        _kinds[cls] = (kind, issubclass(cls, events.ActiveLoop))
    return _kinds[cls]


def _applied_events(self: DialogueStateTracker) -> list[events.Event]:
    """Rasa's ``DialogueStateTracker.applied_events``, line for line, with class lookups."""
    kinds = [_kind(type(item)) for item in self.events]
    loop_names = [
        item.name for item, (_, loop) in zip(self.events, kinds, strict=True) if loop and item.name
    ]
    applied: list[events.Event] = []
    for item, (kind, _) in zip(self.events, kinds, strict=True):
        if kind == RESET:
            applied = []
        elif kind == UNDO_ACTION:
            self._undo_till_previous(events.ActionExecuted, applied)
        elif kind == UNDO_MESSAGE:
            self._undo_till_previous(events.UserUttered, applied)
            self._undo_till_previous(events.ActionExecuted, applied)
        elif (
            kind == ACTION
            and item.action_name in loop_names
            and not self._first_loop_execution_or_unhappy_path(
                item.action_name,
                applied,
            )
        ):
            self._undo_till_previous_loop_execution(
                item.action_name,
                applied,
            )
        else:
            applied.append(item)
    return applied


_original_create_tracker_store = Agent._create_tracker_store
_original_lock_store_from = lock_store._create_from_endpoint_config


def apply() -> None:
    """Install the fixes (idempotent)."""
    Agent._create_tracker_store = staticmethod(_tracker_store_failing_loudly)
    tracker_store._load_from_module_name_in_endpoint_config = _tracker_store_class
    lock_store._create_from_endpoint_config = _lock_store_from
    MessageProcessor._run_prediction_loop = _prediction_loop
    RemoteAction.run = _remote_run
    RemoteAction._validate_action_result = _validate_action_result
    tracker_store.create_engine_kwargs = _engine_kwargs
    events.Event.resolve_by_type = staticmethod(_resolve_by_type)
    DialogueStateTracker.copy = _copy
    Domain.states_for_tracker_history = prior_states.states_for_tracker_history
    DaskGraphRunner.run = graph_runner.run
    DialogueStateTracker.applied_events = _applied_events
    debug_copies.apply()
    tf_predict.apply()
    sparse_features.apply()
    count_features.apply()
    EndpointConfig.session = _session
    if not event.contains(Engine, "connect", _sqlite_wal):
        event.listen(Engine, "connect", _sqlite_wal)
