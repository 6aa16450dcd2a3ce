"""The danger reader inside Rasa: the NLU component, the question policy, the turn marks."""

from __future__ import annotations

import asyncio
from pathlib import Path
from typing import Any

import pytest
from rasa.core.actions.action import RemoteAction
from rasa.core.channels.channel import CollectingOutputChannel
from rasa.engine.graph import ExecutionContext, GraphSchema
from rasa.engine.storage.local_model_storage import LocalModelStorage
from rasa.engine.storage.resource import Resource
from rasa.shared.core.constants import ACTION_LISTEN_NAME
from rasa.shared.core.domain import Domain
from rasa.shared.core.events import ActionExecuted, UserUttered
from rasa.shared.core.trackers import DialogueStateTracker
from rasa.shared.nlu.constants import INTENT, INTENT_RANKING_KEY, TEXT
from rasa.shared.nlu.training_data.message import Message
from rasa.utils.endpoints import EndpointConfig

from bot import rasa_patches
from bot.components.danger_policy import EMERGENCY_ACTION, DangerQuestionPolicy
from bot.components.emergency import EmergencyWordsClassifier
from safety import read_danger

ROOT = Path(__file__).resolve().parents[3]
DOMAIN = Domain.load(str(ROOT / "bot" / "domain"))


def parsed(text: str, intent: str, second: str = "ask_apa") -> dict[str, Any]:
    ranking = [{"name": intent, "confidence": 0.8}, {"name": second, "confidence": 0.15}]
    message = Message({TEXT: text, INTENT: ranking[0], INTENT_RANKING_KEY: ranking})
    EmergencyWordsClassifier().process([message])
    return message.as_dict(only_output_properties=False)


def test_danger_now_becomes_report_emergency_whatever_the_model_said() -> None:
    out = parsed("ma mère est par terre, elle ne peut pas se relever", "ask_apa")
    assert out[INTENT]["name"] == "report_emergency"
    assert out["model_intent"] == "ask_apa"
    assert out["danger"]["level"] == "danger" and out["danger"]["dangers"] == ["medical"]


def test_calm_words_are_never_report_emergency() -> None:
    out = parsed("il y a deux ans il a fait un AVC, a-t-il droit à l'APA ?", "report_emergency")
    assert out[INTENT]["name"] == "ask_apa"
    assert [r["name"] for r in out[INTENT_RANKING_KEY]] == ["ask_apa"]
    assert out["model_intent"] == "report_emergency"


def test_when_the_model_is_sure_of_something_else_the_words_ask_first() -> None:
    ranking = [{"name": "ask_apa", "confidence": 0.95}, {"name": "report_emergency", "conf": 0.0}]
    message = Message(
        {TEXT: "elle est par terre, a-t-elle droit à l'APA ?", INTENT: ranking[0],
         INTENT_RANKING_KEY: ranking}
    )  # fmt: skip
    EmergencyWordsClassifier().process([message])
    out = message.as_dict(only_output_properties=False)
    assert out[INTENT]["name"] == "ask_apa"
    assert out["danger"]["level"] == "unclear" and out["danger"]["dangers"] == ["medical"]


def model_says(text: str, ranking: list[tuple[str, float]]) -> dict[str, Any]:
    scored = [{"name": name, "confidence": confidence} for name, confidence in ranking]
    message = Message({TEXT: text, INTENT: scored[0], INTENT_RANKING_KEY: scored})
    EmergencyWordsClassifier().process([message])
    return message.as_dict(only_output_properties=False)


def test_danger_the_model_alone_hears_is_asked_about_and_what_was_asked_is_kept() -> None:
    out = model_says(
        "c'est grave ce qui lui arrive, on peut demander l'apa ?",
        [("report_emergency", 0.6), ("ask_apa", 0.3)],
    )
    assert out[INTENT]["name"] == "ask_apa"  # report_emergency only for danger now in words
    assert out["model_intent"] == "report_emergency"
    assert out["danger"] == {"level": "unclear", "dangers": [], "cannot_call": False, "now": False}


def test_when_the_model_barely_considered_its_next_intent_the_person_is_asked() -> None:
    spread = [("greet", 0.013), ("ask_apa", 0.013), ("out_of_scope", 0.012), ("help", 0.012)]
    out = model_says("c'est grave ce qui lui arrive", [("report_emergency", 0.95), *spread])
    assert out[INTENT]["name"] == "nlu_fallback"
    assert out["danger"]["level"] == "unclear"
    # the others keep their order, as likely as they are once danger now is ruled out
    ranking = [(r["name"], round(r["confidence"], 2)) for r in out[INTENT_RANKING_KEY]]
    assert ranking == [("greet", 0.26), ("ask_apa", 0.26), ("out_of_scope", 0.24), ("help", 0.24)]


def test_what_was_asked_beside_a_danger_the_model_heard_is_kept() -> None:
    out = model_says(
        "depuis l'été elle oublie tout, qu'est-ce qu'on peut mettre en place à la maison ?",
        [("report_emergency", 0.8), ("ask_home_services", 0.12), ("ask_apa", 0.05)],
    )
    assert out[INTENT]["name"] == "ask_home_services"  # 0.12 of the 0.2 left: 0.6
    assert out["danger"]["level"] == "unclear"  # and the question is asked first


def test_calm_words_the_model_is_sure_are_danger_get_the_question() -> None:
    text = "il y a deux ans il a fait un AVC"
    assert read_danger(text).level.value == "calm"
    out = model_says(text, [("report_emergency", 0.97), ("ask_apa", 0.02)])
    assert out["danger"]["level"] == "unclear"
    assert out[INTENT]["name"] != "report_emergency"


def test_calm_words_the_model_only_suspects_stay_calm() -> None:
    out = model_says(
        "il y a deux ans il a fait un AVC", [("report_emergency", 0.5), ("ask_apa", 0.4)]
    )
    assert out["danger"]["level"] == "calm"
    assert out[INTENT]["name"] == "ask_apa"


def test_unclear_words_keep_the_model_s_intent() -> None:
    out = parsed("ma mère est tombée, a-t-elle droit à l'APA ?", "ask_apa")
    assert out[INTENT]["name"] == "ask_apa"
    assert out["danger"]["level"] == "unclear"


@pytest.fixture(scope="module")
def policy(tmp_path_factory: pytest.TempPathFactory) -> DangerQuestionPolicy:
    storage = LocalModelStorage(tmp_path_factory.mktemp("model"))
    context = ExecutionContext(GraphSchema({}), "test")
    config = DangerQuestionPolicy.get_default_config()
    return DangerQuestionPolicy.create(config, storage, Resource("danger"), context)


def tracker(text: str, intent: str, extra: dict[str, Any] | None = None) -> DialogueStateTracker:
    parse = {"danger": read_danger(text).as_dict(), **(extra or {})}
    return DialogueStateTracker.from_events(
        "s1",
        [
            ActionExecuted(ACTION_LISTEN_NAME),
            UserUttered(text, {"name": intent, "confidence": 0.9}, parse_data=parse),
        ],
    )


def chosen(policy: DangerQuestionPolicy, t: DialogueStateTracker) -> str | None:
    prediction = policy.predict_action_probabilities(t, DOMAIN)
    if max(prediction.probabilities) == 0:
        return None
    return DOMAIN.action_names_or_texts[prediction.max_confidence_index]


def test_unclear_danger_asks_first_whatever_the_intent(policy: DangerQuestionPolicy) -> None:
    assert chosen(policy, tracker("mon père a fait un malaise", "ask_apa")) == EMERGENCY_ACTION
    assert chosen(policy, tracker("ma mère est tombée", "request_human")) == EMERGENCY_ACTION


def test_clear_cases_are_left_to_the_rules(policy: DangerQuestionPolicy) -> None:
    assert chosen(policy, tracker("c'est quoi l'APA", "ask_apa")) is None
    assert chosen(policy, tracker("il ne respire plus", "report_emergency")) is None
    kept = tracker("ma mère est tombée", "ask_apa", {"danger_checked": True})
    assert chosen(policy, kept) is None  # "Non" brought it back: answered as asked


def test_after_the_question_the_assistant_listens(policy: DangerQuestionPolicy) -> None:
    t = tracker("ma mère est tombée", "ask_apa")
    t.update(ActionExecuted(EMERGENCY_ACTION))
    assert chosen(policy, t) == ACTION_LISTEN_NAME


def test_a_failing_custom_action_marks_the_turn() -> None:
    rasa_patches.apply()
    output = CollectingOutputChannel()
    action = RemoteAction("action_emergency", EndpointConfig("http://127.0.0.1:9/webhook"))
    t = DialogueStateTracker.from_events("s1", [ActionExecuted(ACTION_LISTEN_NAME)])
    with pytest.raises(Exception):  # noqa: B017 - whatever Rasa raises for an unreachable server
        asyncio.run(action.run(output, None, t, DOMAIN))  # type: ignore[arg-type]
    assert getattr(output, "turn_failed", False) is True
