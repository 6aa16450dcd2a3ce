"""NLU component: a second reader for messages of six words and more.

The intent classifier (DIET) is sure of itself: its confidence is near 1 or near 0, and
on a message that does not look like its training examples it can be sure and wrong, or
spread so thin that the fallback asks again. A linear classifier over words, word pairs and
letter groups (TF-IDF and a logistic regression, scikit-learn) makes other mistakes: each
word keeps its own weight, whatever the message's length and word order. Measured on the
held-out sets, alone it reads messages of 6 to 20 words better than the whole pipeline
(docs/performance.md); together they read better than either.

For a message of ``min_words`` words or more, each intent's score is
``(1 - weight) × DIET + weight × second reader``. A long message whose request can be told
(``request_focus.request_part``) is read whole and its request alone, and the two readings
are averaged, as DIET's are by ``RequestFocusMerger``. The second reader's confidences are
sharpened (raised to ``sharpness``, then normalised) so that a clear reading counts; a
shorter message ("oui", "le 2", "au revoir") keeps DIET's reading.

Last in the pipeline, after the danger reader (``emergency.py``), so danger is never
reweighed: a message read as ``report_emergency`` (danger now) is left as it is, and the
second reader never brings that intent in; once the danger reader has ruled it out, the
second reader's other intents are rescaled as the danger reader rescales DIET's. The
intent must still say its words (``intent_words.fits_its_words``), and the fallback's rule is
applied again to the averaged scores (same thresholds as ``LongMessageFallbackClassifier``;
config.yml turns its closeness rule off: when the two readers split, the averaged scores are
close by nature, and on the held-out sets the rule changed no answer).
The model's own reading stays in ``model_intent`` (the safety evaluation measures it).

Besides Rasa's training data, the second reader learns from examples only it reads
(``examples``: data/second_reader): long accounts which, given to DIET, made it hear danger
less (docs/performance.md). Their content is in the component's fingerprint, so a change
retrains it.

The fitted classifier is kept as plain arrays (numpy's ``.npz``, read without pickle: a
model file can hold no code): each vocabulary with its weights, the regression's
coefficients, read with plain array operations (``linear_reading.py``). Kept with skops
before, it cost the Rasa process about 90 MiB (skops' modules, and what its loader leaves in
memory), against about 20 MiB now (docs/performance.md).
"""

from __future__ import annotations

import hashlib
import re
from pathlib import Path
from typing import Any, Protocol

import numpy as np
import yaml
from rasa.engine.graph import ExecutionContext, GraphComponent
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.nlu.classifiers.classifier import IntentClassifier
from rasa.shared.nlu.constants import INTENT, INTENT_NAME_KEY, INTENT_RANKING_KEY, TEXT
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData
from sklearn.pipeline import Pipeline
from typing_extensions import Self

from bot.components.emergency import EMERGENCY_INTENT, FALLBACK_INTENT
from bot.components.intent_words import fits_its_words
from bot.components.linear_reading import LinearReading
from bot.components.long_message_fallback import LongMessageFallbackClassifier, word_count
from bot.components.rankings import rescaled_without
from bot.components.request_focus import request_part
from safety.text import strip_accents

READINGS_KEY = "readings"  # in the NLU output: each reader's first intent, for the logs
RANKING_LENGTH = 10  # as DIETClassifier's ranking_length
FILE = "second_reader.npz"
OLD_FILE = "second_reader.skops"  # before FORMAT: refused loudly, never read as "untrained"
FORMAT = "npz-1"  # in the fingerprint: a model kept in another format is trained again
OWN_EXAMPLES_KEY = "second_reader"  # the files' key where data/nlu's say "nlu"
FALLBACK_KEYS = ("threshold", "ambiguity_threshold", "long_message_words", "long_threshold")


def plain(text: str) -> str:
    """Lower case, without accents or punctuation: "Mère n'a plus" -> "mere n'a plus".

    Not ``safety.text.plain``: that one drops apostrophes and writes SMS spellings out, and
    this reader was trained and measured on the words as typed ("n'arrive", "jsp")."""
    return " ".join(re.sub(r"[^a-z0-9']+", " ", strip_accents(text.lower())).split())


def new_classifier(regularisation: float) -> Pipeline:
    from sklearn.feature_extraction.text import TfidfVectorizer
    from sklearn.linear_model import LogisticRegression
    from sklearn.pipeline import FeatureUnion

    return Pipeline([
        ("features", FeatureUnion([
            ("words", TfidfVectorizer(analyzer="word", ngram_range=(1, 2), sublinear_tf=True)),
            ("letters", TfidfVectorizer(
                analyzer="char_wb", ngram_range=(2, 5), sublinear_tf=True, min_df=2,
            )),
        ])),
        ("classifier", LogisticRegression(C=regularisation, max_iter=3000)),
    ])  # fmt: skip


def as_arrays(classifier: Pipeline) -> dict[str, np.ndarray[Any, Any]]:
    """The fitted classifier as named arrays (no Python object: nothing to unpickle)."""
    union = classifier.named_steps["features"]
    regression = classifier.named_steps["classifier"]
    arrays = {
        "classes": np.asarray(regression.classes_, dtype=str),
        "coef": np.asarray(regression.coef_),
        "intercept": np.asarray(regression.intercept_),
    }
    for name, vectorizer in union.transformer_list:
        terms = sorted(vectorizer.vocabulary_, key=vectorizer.vocabulary_.__getitem__)
        arrays[f"{name}_terms"] = np.asarray(terms, dtype=str)
        arrays[f"{name}_idf"] = np.asarray(vectorizer.idf_)
    return arrays


class Reading(Protocol):
    """What the second reader asks of its classifier (``LinearReading``, or a test's)."""

    classes_: Any

    def predict_proba(self, texts: list[str]) -> np.ndarray[Any, Any]: ...


def from_arrays(arrays: Any, regularisation: float) -> LinearReading:
    """The classifier read back from :func:`as_arrays`: scikit-learn's readings (to the last
    bits of rounding), at a fraction of its cost per message (``linear_reading``)."""
    union = new_classifier(regularisation).named_steps["features"]
    return LinearReading(union.transformer_list, arrays)


def own_examples(directory: str) -> list[tuple[str, str]]:
    """(text, intent) of the examples only the second reader reads (data/second_reader)."""
    found = []
    for path in sorted(Path(directory).glob("*.yml")) if directory else []:
        data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
        for block in data.get(OWN_EXAMPLES_KEY) or []:
            lines = str(block.get("examples") or "").splitlines()
            texts = [line.strip()[2:] for line in lines if line.strip().startswith("- ")]
            found += [(text, str(block["intent"])) for text in texts if text]
    return found


def sharpened(confidences: dict[str, float], sharpness: float) -> dict[str, float]:
    """Danger ruled out, each confidence raised to ``sharpness`` and normalised (sum 1)."""
    raised = {
        name: max(0.0, value) ** sharpness
        for name, value in confidences.items()
        if name != EMERGENCY_INTENT
    }
    total = sum(raised.values())
    return {name: value / total for name, value in raised.items()} if total > 0 else {}


def averaged(
    ranking: list[dict[str, Any]], second: dict[str, float], weight: float
) -> list[dict[str, Any]]:
    """DIET's ranking and the second reader's confidences averaged, best first.

    An intent missing from one reading counts 0 there; the fallback's entry and danger are
    left out (danger now is never reweighed: the caller leaves such a message alone).
    """
    scores: dict[str, float] = {}
    for entry in ranking:
        name = entry.get(INTENT_NAME_KEY)
        if name and name not in (FALLBACK_INTENT, EMERGENCY_INTENT):
            scores[name] = (1 - weight) * float(entry.get("confidence") or 0.0)
    for name, confidence in second.items():
        if name != EMERGENCY_INTENT:
            scores[name] = scores.get(name, 0.0) + weight * confidence
    ordered = sorted(scores.items(), key=lambda item: item[1], reverse=True)
    return [{INTENT_NAME_KEY: name, "confidence": score} for name, score in ordered]


def fitting_first(ranking: list[dict[str, Any]], text: str) -> list[dict[str, Any]]:
    """The ranking without the intents whose words the message does not say (a goodbye
    without a word of parting…), the others rescaled by what those left (as the danger
    reader rescales once danger is ruled out), cut to Rasa's ranking length."""
    kept = rescaled_without(ranking, lambda r: not fits_its_words(r[INTENT_NAME_KEY], text))
    return kept[:RANKING_LENGTH]


@DefaultV1Recipe.register(DefaultV1Recipe.ComponentType.INTENT_CLASSIFIER, is_trainable=True)
class SecondReader(GraphComponent, IntentClassifier):
    """Averages DIET's reading of a message of six words or more with a linear classifier's."""

    @staticmethod
    def get_default_config() -> dict[str, Any]:
        return {
            "min_words": 6,
            "weight": 0.7,
            "sharpness": 2.0,
            "regularisation": 20.0,
            "examples": "",  # a directory of examples only this reader learns from
            **LongMessageFallbackClassifier.get_default_config(),
        }

    def __init__(
        self,
        config: dict[str, Any],
        model_storage: ModelStorage,
        resource: Resource,
        classifier: Reading | None = None,
    ) -> None:
        self._config = {**self.get_default_config(), **config}
        self._storage = model_storage
        self._resource = resource
        self._classifier = classifier
        self._fallback = LongMessageFallbackClassifier(
            {**LongMessageFallbackClassifier.get_default_config(),
             **{key: self._config[key] for key in FALLBACK_KEYS}}
        )  # fmt: skip

    @classmethod
    def create(
        cls,
        config: dict[str, Any],
        model_storage: ModelStorage,
        resource: Resource,
        execution_context: ExecutionContext,
    ) -> Self:
        return cls(config, model_storage, resource)

    @classmethod
    def fingerprint_addon(cls, config: dict[str, Any]) -> str | None:
        """The examples read from files: a change retrains this reader (Rasa's cache)."""
        digest = hashlib.sha256(FORMAT.encode())
        for text, intent in own_examples(str(config.get("examples") or "")):
            digest.update(f"{intent}\t{text}\n".encode())
        return digest.hexdigest()

    def train(self, training_data: TrainingData) -> Resource:
        examples = [
            (str(m.get(TEXT)), str(m.get(INTENT)))
            for m in training_data.intent_examples
            if m.get(TEXT) and m.get(INTENT)
        ] + own_examples(str(self._config["examples"]))
        labels = [intent for _, intent in examples]
        arrays = None
        if len(set(labels)) >= 2:
            regularisation = float(self._config["regularisation"])
            classifier = new_classifier(regularisation)
            classifier.fit([plain(text) for text, _ in examples], labels)
            arrays = as_arrays(classifier)
            self._classifier = from_arrays(arrays, regularisation)
        with self._storage.write_to(self._resource) as directory:
            if arrays is not None:
                np.savez(directory / FILE, **arrays)
        return self._resource

    @classmethod
    def load(
        cls,
        config: dict[str, Any],
        model_storage: ModelStorage,
        resource: Resource,
        execution_context: ExecutionContext,
        **kwargs: Any,
    ) -> Self:
        regularisation = float({**cls.get_default_config(), **config}["regularisation"])
        try:
            with model_storage.read_from(resource) as directory:
                path = directory / FILE
                if (directory / OLD_FILE).exists():
                    raise TypeError(f"{OLD_FILE} : modèle d'un ancien format, à réentraîner")
                if not path.exists():
                    return cls(config, model_storage, resource)
                with np.load(path, allow_pickle=False) as arrays:  # arrays only, never code
                    try:
                        classifier = from_arrays(arrays, regularisation)
                    except (KeyError, ValueError) as error:  # an object array, a part missing
                        raise TypeError(f"{FILE} illisible : {error}") from error
                return cls(config, model_storage, resource, classifier)
        except ValueError:  # the resource was never written (nothing to train on)
            return cls(config, model_storage, resource)

    def process(self, messages: list[Message]) -> list[Message]:
        if self._classifier is None:
            return messages
        chosen = [m for m in messages if self._reads(m)]
        if not chosen:
            return messages
        for message, second in zip(chosen, self._second_readings(chosen), strict=True):
            self._reread(message, second)
        return messages

    def _second_readings(self, messages: list[Message]) -> list[dict[str, float]]:
        """The linear classifier's confidences for each message; for a long message whose
        request can be told (``request_part``), the mean of the whole's and the request's,
        as ``RequestFocusMerger`` does with DIET's."""
        assert self._classifier is not None
        texts = [str(m.get(TEXT) or "") for m in messages]
        parts = [request_part(text) for text in texts]
        read = [plain(t) for t in texts] + [plain(p) for p in parts if p]
        rows = iter(np.asarray(self._classifier.predict_proba(read)))
        wholes = [next(rows) for _ in texts]
        classes = [str(c) for c in self._classifier.classes_]
        readings = []
        for whole, part in zip(wholes, parts, strict=True):
            row = (whole + next(rows)) / 2 if part else whole
            readings.append(dict(zip(classes, (float(p) for p in row), strict=True)))
        return readings

    def _reads(self, message: Message) -> bool:
        """Messages of ``min_words`` words or more, except danger now."""
        first = (message.get(INTENT) or {}).get(INTENT_NAME_KEY)
        enough = word_count(message.get(TEXT) or "") >= int(self._config["min_words"])
        return enough and first != EMERGENCY_INTENT

    def _reread(self, message: Message, second: dict[str, float]) -> None:
        text = message.get(TEXT) or ""
        before = (message.get(INTENT) or {}).get(INTENT_NAME_KEY)
        second = sharpened(second, float(self._config["sharpness"]))
        ranking = fitting_first(
            averaged(list(message.get(INTENT_RANKING_KEY) or []), second,
                     float(self._config["weight"])),
            text,
        )  # fmt: skip
        if not ranking:
            return
        message.set(INTENT, dict(ranking[0]), add_to_output=True)
        message.set(INTENT_RANKING_KEY, ranking, add_to_output=True)
        self._fallback.process([message])  # the fallback's rule on the averaged scores
        message.set(
            READINGS_KEY,
            {"first": before, "second": max(second, key=second.__getitem__) if second else None},
            add_to_output=True,
        )
