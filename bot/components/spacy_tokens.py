"""SpacyNLP without the parts of the spaCy pipeline the assistant never reads.

Rasa's SpacyNLP runs fr_core_news_md's tagger, morphologizer, lemmatizer and
named-entity recogniser on every message, then uses only its tokens and word
vectors (SpacyTokenizer, SpacyFeaturizer). Loading the model with just its
tokenizer and static vectors gives the same features for a fraction of the
time and memory (docs/performance.md).
"""

from __future__ import annotations

from typing import Any

import spacy
from rasa.engine.graph import ExecutionContext
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.nlu.utils import spacy_utils
from rasa.nlu.utils.spacy_utils import SpacyModel

UNUSED_PIPES = [
    "tok2vec",
    "morphologizer",
    "parser",
    "senter",
    "attribute_ruler",
    "lemmatizer",
    "ner",
]


@DefaultV1Recipe.register(
    [DefaultV1Recipe.ComponentType.MODEL_LOADER, DefaultV1Recipe.ComponentType.MESSAGE_FEATURIZER],
    is_trainable=False,
    model_from="SpacyNLP",
)
class SpacyNLP(spacy_utils.SpacyNLP):
    """Tokens and word vectors only.

    The class keeps Rasa's name on purpose: SpacyTokenizer and SpacyFeaturizer
    find their model provider by the class name "SpacyNLP".
    """

    @staticmethod
    def load_model(spacy_model_name: str) -> SpacyModel:
        language = spacy.load(spacy_model_name, exclude=UNUSED_PIPES)
        return SpacyModel(model=language, model_name=spacy_model_name)

    @classmethod
    def create(
        cls,
        config: dict[str, Any],
        model_storage: ModelStorage,
        resource: Resource,
        execution_context: ExecutionContext,
    ) -> SpacyNLP:
        model = cls.load_model(config["model"])
        cls.ensure_proper_language_model(model.model)
        return cls(model, {**cls.get_default_config(), **config})
