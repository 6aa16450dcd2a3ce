"""A code given while the assistant waits for it goes to action_my_data, whatever the model saw."""

from __future__ import annotations

from pathlib import Path

import pytest
from rasa.engine.graph import ExecutionContext, GraphSchema
from rasa.engine.storage.local_model_storage import LocalModelStorage
from rasa.engine.storage.resource import Resource
from rasa.shared.core.constants import ACTION_LISTEN_NAME
from rasa.shared.core.domain import Domain
from rasa.shared.core.events import ActionExecuted, BotUttered, Event, UserUttered
from rasa.shared.core.trackers import DialogueStateTracker

from bot.components.code_policy import MY_DATA_ACTION, OneTimeCodePolicy
from policies.codes import NEW_CODE_PAYLOAD

ROOT = Path(__file__).resolve().parents[3]
DOMAIN = Domain.load(str(ROOT / "bot" / "domain"))
CODE_OFFER = [
    {"title": "Recevoir un nouveau code", "payload": NEW_CODE_PAYLOAD},
    {"title": "Annuler", "payload": '/delete_my_data{"data_request": "garder"}'},
]
MENU_OFFER = [{"title": "Le menu", "payload": "/help"}]


@pytest.fixture(scope="module")
def policy(tmp_path_factory: pytest.TempPathFactory) -> OneTimeCodePolicy:
    storage = LocalModelStorage(tmp_path_factory.mktemp("model"))
    context = ExecutionContext(GraphSchema({}), "test")
    return OneTimeCodePolicy.create(
        OneTimeCodePolicy.get_default_config(), storage, Resource("code"), context
    )


def tracker(text: str, intent: str, buttons: list[dict[str, str]]) -> DialogueStateTracker:
    events: list[Event] = [
        ActionExecuted(ACTION_LISTEN_NAME),
        UserUttered("que savez vous de moi", {"name": "delete_my_data", "confidence": 0.99}),
        ActionExecuted(MY_DATA_ACTION),
        BotUttered("Pour protéger vos données, je vous envoie un code…", {"buttons": buttons}),
        ActionExecuted(ACTION_LISTEN_NAME),
        UserUttered(text, {"name": intent, "confidence": 0.4}),
    ]
    return DialogueStateTracker.from_events("+33644445566", events)


def predicted(policy: OneTimeCodePolicy, t: DialogueStateTracker) -> str | None:
    prediction = policy.predict_action_probabilities(t, DOMAIN)
    if max(prediction.probabilities) == 0:
        return None
    return DOMAIN.action_names_or_texts[prediction.max_confidence_index]


@pytest.mark.parametrize(
    ("text", "intent"),
    [
        ("482913", "nlu_fallback"),
        ("482 913", "inform"),
        ("quatre huit deux neuf un trois", "out_of_scope"),
        ("48291", "nlu_fallback"),  # a digit short: the action says so
    ],
)
def test_a_code_awaited_goes_to_the_data_action(
    policy: OneTimeCodePolicy, text: str, intent: str
) -> None:
    assert predicted(policy, tracker(text, intent, CODE_OFFER)) == MY_DATA_ACTION


@pytest.mark.parametrize(
    ("text", "intent", "buttons"),
    [
        ("482913", "nlu_fallback", MENU_OFFER),  # no code awaited
        ("je ne trouve pas le SMS", "nlu_fallback", CODE_OFFER),  # a sentence
        ("123456 mon père est tombé", "report_emergency", CODE_OFFER),  # never taken over
    ],
)
def test_other_messages_are_left_to_the_other_policies(
    policy: OneTimeCodePolicy, text: str, intent: str, buttons: list[dict[str, str]]
) -> None:
    assert predicted(policy, tracker(text, intent, buttons)) is None


def test_once_the_code_is_checked_the_assistant_listens(policy: OneTimeCodePolicy) -> None:
    taken = tracker("482913", "nlu_fallback", CODE_OFFER)
    taken.update(ActionExecuted(MY_DATA_ACTION))
    assert predicted(policy, taken) == ACTION_LISTEN_NAME  # no loop of predictions
    asked = tracker("que savez vous de moi", "delete_my_data", MENU_OFFER)
    asked.update(ActionExecuted(MY_DATA_ACTION))
    assert predicted(policy, asked) is None  # the rules end that turn


def test_the_policy_is_in_the_pipeline_above_the_rules() -> None:
    config = (ROOT / "config.yml").read_text(encoding="utf-8")
    assert "bot.components.code_policy.OneTimeCodePolicy" in config
    assert OneTimeCodePolicy.get_default_config()["priority"] > 4  # RulePolicy's
