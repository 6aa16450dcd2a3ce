"""Base of the small rule-like policies that pick one action from the tracker, or none.

Nothing to learn: `train` keeps nothing, and `choose` says which action to take
now (confidence 1) or None to leave the decision to the other policies.
"""

from __future__ import annotations

from typing import Any

from rasa.core.policies.policy import Policy, PolicyPrediction
from rasa.engine.storage.resource import Resource
from rasa.shared.core.constants import ACTION_LISTEN_NAME
from rasa.shared.core.domain import Domain
from rasa.shared.core.generator import TrackerWithCachedStates
from rasa.shared.core.trackers import DialogueStateTracker

LISTEN: str = ACTION_LISTEN_NAME  # Rasa's constant, typed for the policies that return it


class ChoosingPolicy(Policy):
    """A policy whose whole logic is `choose(tracker) -> action name | None`."""

    def train(
        self, training_trackers: list[TrackerWithCachedStates], domain: Domain, **kwargs: Any
    ) -> Resource:
        return self._resource  # nothing to learn

    def predict_action_probabilities(
        self,
        tracker: DialogueStateTracker,
        domain: Domain,
        rule_only_data: dict[str, Any] | None = None,
        **kwargs: Any,
    ) -> PolicyPrediction:
        probabilities = self._default_predictions(domain)
        chosen = self.choose(tracker)
        if chosen is not None and chosen in domain.action_names_or_texts:
            probabilities[domain.index_for_action(chosen)] = 1.0
        return self._prediction(probabilities)

    def choose(self, tracker: DialogueStateTracker) -> str | None:
        """The action to take now, or None."""
        raise NotImplementedError
