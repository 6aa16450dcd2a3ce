"""Word and letter-group counts made directly (bot/count_features.py) are Rasa's, to the bit.

Every count the project's model makes while reading the benchmark's messages (and odd ones:
nothing known, emoji, accents, a very long message) is made both ways and compared; the
readings are the same with and without the change. A vectorizer fitted here, binary or not,
gives what scikit-learn's ``transform`` gives.
"""

from __future__ import annotations

import asyncio
from typing import Any

import numpy as np
import pytest
from rasa.core.agent import Agent
from rasa.nlu.featurizers.sparse_featurizer.count_vectors_featurizer import (
    CountVectorsFeaturizer,
)
from sklearn.feature_extraction.text import CountVectorizer

from bot import count_features
from tests.bot.matrices import same_matrix
from tests.bot.model_messages import bench_messages, readings

ODD = ["", "🙂🙂🙂", "AIDE", "xqzw vbnk", "Ça déménage à Saint-Nazaire, àéèêç ÀÉ", "apa " * 300]
DOCUMENTS = ["bonjour", "l'aide à domicile", "aide aide aide", "", "zzz", "Éhpad EHPAD ehpad"]


@pytest.mark.parametrize(
    "settings",
    [
        {"analyzer": "word", "token_pattern": r"(?u)\b\w+\b", "lowercase": True},
        {"analyzer": "char_wb", "ngram_range": (2, 5), "lowercase": True},
        {"analyzer": "char_wb", "ngram_range": (2, 4), "lowercase": False, "binary": True},
        {"analyzer": "word", "dtype": np.float32},
    ],
)
def test_counts_are_scikit_learns(settings: dict[str, Any]) -> None:
    vectorizer = CountVectorizer(**settings).fit(DOCUMENTS[:3] + DOCUMENTS[5:])
    counting = count_features.Counting.of(vectorizer)
    for documents in (DOCUMENTS, ["aide"], ["inconnu"], ["une aide", "une aide à domicile"]):
        expected = vectorizer.transform(documents)
        expected.sort_indices()
        same_matrix(counting.matrix(documents), expected.tocoo())


def test_a_vectorizer_fitted_again_is_read_again() -> None:
    vectorizer = CountVectorizer().fit(["une aide"])
    assert count_features.Counting.of(vectorizer).matrix(["domicile"]).nnz == 0
    vectorizer.fit(["aide à domicile"])
    assert count_features.Counting.of(vectorizer).matrix(["domicile"]).nnz == 1


def test_the_model_gets_rasas_counts_and_reads_the_same(
    trained_agent: Agent, monkeypatch: pytest.MonkeyPatch
) -> None:
    texts = bench_messages() + ODD
    rasas = count_features.RASA_CREATE_FEATURES
    monkeypatch.setattr(CountVectorsFeaturizer, "_create_features", rasas)
    rasas_readings = asyncio.run(readings(trained_agent, texts))
    compared: list[str] = []

    def both(self: CountVectorsFeaturizer, attribute: str, tokens: list[list[str]]) -> Any:
        ours = count_features.create_features(self, attribute, tokens)
        expected = rasas(self, attribute, tokens)
        for our_matrices, rasas_matrices in zip(ours, expected, strict=True):
            for mine, theirs in zip(our_matrices, rasas_matrices, strict=True):
                assert (mine is None) == (theirs is None)
                if mine is not None:
                    same_matrix(mine, theirs)
                    compared.append(self.vectorizers[attribute].analyzer)
        return ours

    monkeypatch.setattr(CountVectorsFeaturizer, "_create_features", both)
    assert asyncio.run(readings(trained_agent, texts)) == rasas_readings
    # Both featurizers (words, letter groups), sequence and sentence, each message with words.
    assert compared.count("word") >= 2 * (len(texts) - 1)
    assert compared.count("char_wb") >= 2 * (len(texts) - 1)
