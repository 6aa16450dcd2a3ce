"""A button title typed in full goes to action_resolve_reply once, whatever the model saw."""

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

from bot.components.title_policy import RESOLVE_ACTION, TypedTitlePolicy

ROOT = Path(__file__).resolve().parents[3]
DOMAIN = Domain.load(str(ROOT / "bot" / "domain"))
OFFER = [
    {"title": "Voir les étapes", "payload": '/next_step{"journey": "apa_domicile"}'},
    {"title": "Les papiers à réunir", "payload": "/ask_documents"},
    {"title": "Parler à une personne", "payload": "/request_human"},
]


@pytest.fixture(scope="module")
def policy(tmp_path_factory: pytest.TempPathFactory) -> TypedTitlePolicy:
    storage = LocalModelStorage(tmp_path_factory.mktemp("model"))
    context = ExecutionContext(GraphSchema({}), "test")
    return TypedTitlePolicy.create(
        TypedTitlePolicy.get_default_config(), storage, Resource("title"), context
    )


def tracker(text: str, intent: str, buttons: list[dict[str, str]] = OFFER) -> DialogueStateTracker:
    events: list[Event] = [
        ActionExecuted(ACTION_LISTEN_NAME),
        UserUttered("je veux l'APA", {"name": "ask_apa", "confidence": 0.99}),
        ActionExecuted("action_offer_journey"),
        BotUttered("L'APA aide à payer…", {"buttons": buttons}),
        ActionExecuted(ACTION_LISTEN_NAME),
        UserUttered(text, {"name": intent, "confidence": 0.6}),
    ]
    return DialogueStateTracker.from_events("s1", events)


def predicted(policy: TypedTitlePolicy, t: DialogueStateTracker) -> str | None:
    prediction = policy.predict_action_probabilities(t, DOMAIN)
    if max(prediction.probabilities) == 0:
        return None
    return DOMAIN.action_names_or_texts[prediction.max_confidence_index]


@pytest.mark.parametrize(
    ("text", "intent"),
    [
        ("voir les étapes", "book_appointment"),
        ("VOIR LES ETAPES !", "nlu_fallback"),
        ("les papiers a reunir", "ask_home_services"),
    ],
)
def test_a_typed_title_is_that_choice(policy: TypedTitlePolicy, text: str, intent: str) -> None:
    assert predicted(policy, tracker(text, intent)) == RESOLVE_ACTION


@pytest.mark.parametrize(
    ("text", "intent", "buttons"),
    [
        ("voir les étapes", "next_step", OFFER),  # already read as the button: no loop
        ("je voudrais voir les étapes de l'APA", "next_step", OFFER),  # more than a title
        ("voir les étapes", "book_appointment", []),  # nothing offered
        ("Parler à une personne", "report_emergency", OFFER),  # emergencies stay with the rules
    ],
)
def test_other_messages_are_left_to_the_other_policies(
    policy: TypedTitlePolicy, text: str, intent: str, buttons: list[dict[str, str]]
) -> None:
    assert predicted(policy, tracker(text, intent, buttons)) is None


def test_only_the_buttons_of_the_last_answer_count(policy: TypedTitlePolicy) -> None:
    events: list[Event] = [
        *tracker("bonjour", "greet").events,
        ActionExecuted("action_greet"),
        BotUttered("Bonjour", {"buttons": [{"title": "Le menu", "payload": "/help"}]}),
        ActionExecuted(ACTION_LISTEN_NAME),
        UserUttered("voir les étapes", {"name": "book_appointment", "confidence": 0.6}),
    ]
    assert predicted(policy, DialogueStateTracker.from_events("s1", events)) is None
