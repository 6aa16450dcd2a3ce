"""The explain-word policy takes a question about a term, whatever the intent, then listens."""

from __future__ import annotations

from pathlib import Path

import pytest
from rasa.engine.graph import ExecutionContext, GraphSchema
from rasa.engine.storage.local_model_storage import LocalModelStorage
from rasa.engine.storage.resource import Resource
from rasa.shared.core.constants import ACTION_LISTEN_NAME
from rasa.shared.core.domain import Domain
from rasa.shared.core.events import ActionExecuted, UserUttered
from rasa.shared.core.trackers import DialogueStateTracker

from bot.components.explain_policy import EXPLAIN_ACTION, ExplainWordPolicy, journey_terms

ROOT = Path(__file__).resolve().parents[3]
DOMAIN = Domain.load(str(ROOT / "bot" / "domain"))


@pytest.fixture(scope="module")
def policy(tmp_path_factory: pytest.TempPathFactory) -> ExplainWordPolicy:
    config = {
        **ExplainWordPolicy.get_default_config(),
        "journeys": str(ROOT / "data" / "journeys"),
        "topic_terms": {"ask_apa": ["APA"]},
    }
    storage = LocalModelStorage(tmp_path_factory.mktemp("model"))
    context = ExecutionContext(GraphSchema({}), "test")
    return ExplainWordPolicy.create(config, storage, Resource("explain"), context)


def tracker(text: str, intent: str, after: str = ACTION_LISTEN_NAME) -> DialogueStateTracker:
    events = [
        ActionExecuted(ACTION_LISTEN_NAME),
        UserUttered(text, {"name": intent, "confidence": 0.9}),
    ]
    if after != ACTION_LISTEN_NAME:
        events.append(ActionExecuted(after))
    return DialogueStateTracker.from_events("s1", events)


def predicted(policy: ExplainWordPolicy, t: DialogueStateTracker) -> str | None:
    prediction = policy.predict_action_probabilities(t, DOMAIN)
    if max(prediction.probabilities) == 0:
        return None
    return DOMAIN.action_names_or_texts[prediction.max_confidence_index]


def test_the_terms_are_those_the_journeys_explain() -> None:
    terms = journey_terms(str(ROOT / "data" / "journeys"))
    assert {"GIR", "CCAS", "APA", "AJPA"} <= set(terms)


@pytest.mark.parametrize(
    ("text", "intent"),
    [
        ("c'est quoi le CCAS ?", "book_appointment"),
        ("GIR ça veut dire quoi", "ask_apa"),
        ("c koi un clic", "nlu_fallback"),
    ],
)
def test_a_question_about_a_term_is_explained_whatever_the_intent(
    policy: ExplainWordPolicy, text: str, intent: str
) -> None:
    assert predicted(policy, tracker(text, intent)) == EXPLAIN_ACTION


def test_then_it_listens(policy: ExplainWordPolicy) -> None:
    after = tracker("c'est quoi le CCAS ?", "book_appointment", after=EXPLAIN_ACTION)
    assert predicted(policy, after) == ACTION_LISTEN_NAME


@pytest.mark.parametrize(
    ("text", "intent"),
    [
        ("c'est quoi l'APA", "ask_apa"),  # the topic itself: its overview explains it
        ("je veux un rendez-vous au CCAS", "book_appointment"),  # no question about the word
        ("c'est quoi le CCAS ? je veux mourir", "report_emergency"),  # never taken over
        ("c'est quoi le CCAS, passez-moi quelqu'un", "request_human"),
        ("bonjour", "greet"),
    ],
)
def test_other_messages_are_left_to_the_rules(
    policy: ExplainWordPolicy, text: str, intent: str
) -> None:
    assert predicted(policy, tracker(text, intent)) is None


def test_the_policy_ranks_above_the_rules(policy: ExplainWordPolicy) -> None:
    prediction = policy.predict_action_probabilities(tracker("c quoi le GIR", "ask_apa"), DOMAIN)
    assert prediction.policy_priority == 5
