"""A message's sparse features side by side (bot/sparse_features.py) are Rasa's, to the bit.

Every combination DIET asks for while the project's model reads the benchmark's messages is
made both ways and compared (values, positions, types, order), and the readings are the same
with and without the change; COO matrices of every type the featurizers give are compared
with ``scipy.sparse.hstack``; the other cases keep Rasa's way and its errors.
"""

from __future__ import annotations

import asyncio
from typing import Any

import numpy as np
import pytest
import scipy.sparse
from rasa.core.agent import Agent
from rasa.shared.nlu.training_data.features import Features
from rasa.shared.nlu.training_data.message import Message

from bot import sparse_features
from tests.bot.matrices import same_matrix
from tests.bot.model_messages import bench_messages, readings

ODD = ["", "🙂🙂🙂", "AIDE", "apa " * 300]


def same_features(ours: Features | None, rasas: Features | None) -> None:
    assert (ours is None) == (rasas is None)
    if ours is None or rasas is None:
        return
    assert (ours.type, ours.attribute, ours.origin) == (rasas.type, rasas.attribute, rasas.origin)
    same_matrix(ours.features, rasas.features)
    assert ours.fingerprint() == rasas.fingerprint()


def coo(rows: int, columns: int, dtype: Any, seed: int, density: float = 0.3) -> Any:
    generator = np.random.default_rng(seed)
    dense = generator.random((rows, columns)) * (generator.random((rows, columns)) < density)
    return scipy.sparse.coo_matrix((dense * 10).astype(dtype))


@pytest.mark.parametrize(
    "dtypes",
    [
        [np.int64, np.int64, np.int64],
        [np.float32, np.int64, np.float64],
        [np.float32, np.float32],
        [np.bool_, np.int32, np.float32, np.float64],
    ],
)
def test_side_by_side_is_scipys_hstack(dtypes: list[Any]) -> None:
    widths = [3, 1, 70_000, 5][: len(dtypes)]
    matrices = [coo(6, w, d, seed) for seed, (w, d) in enumerate(zip(widths, dtypes, strict=True))]
    matrices.append(scipy.sparse.coo_matrix((6, 4), dtype=np.int64))  # nothing in it
    same_matrix(sparse_features.side_by_side(matrices), scipy.sparse.hstack(matrices))


def test_the_row_of_a_sentence_and_empty_matrices_are_scipys_too() -> None:
    sentence = [coo(1, 9, np.float32, 1), coo(1, 2, np.int64, 2, density=0.0)]
    same_matrix(sparse_features.side_by_side(sentence), scipy.sparse.hstack(sentence))
    empty = [scipy.sparse.coo_matrix((0, 3)), scipy.sparse.coo_matrix((0, 2))]
    same_matrix(sparse_features.side_by_side(empty), scipy.sparse.hstack(empty))


def features(matrix: Any, origin: str) -> Features:
    return Features(matrix, "sequence", "text", origin)


def test_other_cases_keep_rasas_way_and_errors() -> None:
    one = [features(coo(4, 3, np.int64, 3), "A")]
    same_features(
        sparse_features.combine_features(one, ["A"]), sparse_features.RASA_COMBINE(one, ["A"])
    )
    assert sparse_features.combine_features([], ["A"]) is None
    mixed = [features(coo(4, 3, np.int64, 4).tocsr(), "A"), features(coo(4, 2, np.int64, 5), "B")]
    same_features(
        sparse_features.combine_features(mixed, ["A", "B"]),
        sparse_features.RASA_COMBINE(mixed, ["A", "B"]),
    )
    uneven = [features(coo(4, 3, np.int64, 6), "A"), features(coo(5, 2, np.int64, 7), "B")]
    with pytest.raises(ValueError, match="sequence dimensions do not match"):
        sparse_features.combine_features(uneven, ["A", "B"])


def test_the_inputs_are_left_as_they_were() -> None:
    first, second = coo(3, 4, np.int64, 8), coo(3, 2, np.float32, 9)
    before = (first.copy(), second.copy())
    given = [features(first, "A"), features(second, "B")]
    combined = sparse_features.combine_features(given, ["A", "B"])
    assert combined is not None
    combined.features.data[:] = 0
    same_matrix(given[0].features, before[0])
    same_matrix(given[1].features, before[1])
    assert given[0].origin == "A"


def test_the_model_gets_rasas_features_and_reads_the_same(
    trained_agent: Agent, monkeypatch: pytest.MonkeyPatch
) -> None:
    texts = bench_messages() + ODD
    monkeypatch.setattr(Message, "_combine_features", staticmethod(sparse_features.RASA_COMBINE))
    rasas_readings = asyncio.run(readings(trained_agent, texts))
    compared: list[int] = []

    def both(features: list[Features], featurizers: list[str]) -> Features | None:
        ours = sparse_features.combine_features(features, featurizers)
        same_features(ours, sparse_features.RASA_COMBINE(features, featurizers))
        if len(features) > 1 and ours is not None and scipy.sparse.issparse(ours.features):
            compared.append(len(features))
        return ours

    monkeypatch.setattr(Message, "_combine_features", staticmethod(both))
    ours = asyncio.run(readings(trained_agent, texts))
    # Sequence and sentence features of each message that has words (not the empty one).
    assert len(compared) >= 2 * (len(texts) - 1)
    assert max(compared) == 4  # regular expressions, lexical marks, word and letter counts
    assert ours == rasas_readings
