"""A message's word and letter-group counts made without scikit-learn's matrix round trip.

Rasa's ``CountVectorsFeaturizer`` counts, for each token of a message and for the message as
a whole, the words or letter groups of its vocabulary (``CountVectorizer.transform``): each
call checks the vocabulary, builds the analyzer again, builds a CSR matrix, sorts its
indices, then Rasa turns it into a COO matrix, for a message of a few words. Under load that
was a twentieth of a turn's CPU (py-spy, docs/performance.md).

The counting is the same here, with the vectorizer's own analyzer (built once per vectorizer)
and vocabulary: for each document, the vocabulary index of each feature it yields, counted,
unknown features left out, indices in increasing order (``sort_indices``), the counts in the
vectorizer's type (ones if it is binary). The COO matrix is built directly: the same matrix
as Rasa's (values, positions, types and order; tests/bot/test_count_features.py on the
project's model). Installed by ``bot/rasa_patches.py`` (patch 14).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
from rasa.nlu.constants import DENSE_FEATURIZABLE_ATTRIBUTES
from rasa.nlu.featurizers.sparse_featurizer.count_vectors_featurizer import (
    CountVectorsFeaturizer,
)
from scipy.sparse import coo_matrix

RASA_CREATE_FEATURES = CountVectorsFeaturizer._create_features
_COUNTING = "_senior_plus_counting"  # on a fitted vectorizer: its Counting


@dataclass(frozen=True)
class Counting:
    """What ``CountVectorizer.transform`` reads of a fitted vectorizer."""

    analyze: Callable[[str], Sequence[str]]
    vocabulary: dict[str, int]
    dtype: Any
    binary: bool

    @staticmethod
    def of(vectorizer: Any) -> Counting:
        found: Counting | None = vectorizer.__dict__.get(_COUNTING)
        if found is None or found.vocabulary is not vectorizer.vocabulary_:
            found = Counting(
                vectorizer.build_analyzer(),
                vectorizer.vocabulary_,
                vectorizer.dtype,
                bool(vectorizer.binary),
            )
            vectorizer.__dict__[_COUNTING] = found
        return found

    def matrix(self, documents: Sequence[str]) -> coo_matrix:
        """``vectorizer.transform(documents)``, indices sorted, as a COO matrix."""
        rows: list[int] = []
        columns: list[int] = []
        counts: list[int] = []
        vocabulary = self.vocabulary
        for row, document in enumerate(documents):
            counted: dict[int, int] = {}
            for feature in self.analyze(document):
                index = vocabulary.get(feature)
                if index is not None:
                    counted[index] = counted.get(index, 0) + 1
            for index in sorted(counted):
                rows.append(row)
                columns.append(index)
                counts.append(counted[index])
        data = np.array(counts, dtype=self.dtype)
        if self.binary:
            data.fill(1)
        return coo_matrix(
            (data, (np.array(rows, dtype=np.int64), np.array(columns, dtype=np.int64))),
            shape=(len(documents), len(vocabulary)),
        )


def create_features(
    self: CountVectorsFeaturizer, attribute: str, all_tokens: list[list[str]]
) -> tuple[list[coo_matrix | None], list[coo_matrix | None]]:
    """``CountVectorsFeaturizer._create_features``: each message's sequence and sentence
    counts (None where it has no tokens, or no sentence features for the attribute)."""
    vectorizer = self.vectorizers.get(attribute)
    if not vectorizer:
        return [None], [None]
    if not hasattr(vectorizer, "vocabulary_"):  # not fitted: Rasa's way and its error
        found: Any = RASA_CREATE_FEATURES(self, attribute, all_tokens)
        return found  # type: ignore[no-any-return]
    counting = Counting.of(vectorizer)
    sequence_features: list[coo_matrix | None] = []
    sentence_features: list[coo_matrix | None] = []
    for tokens in all_tokens:
        if not tokens:
            sequence_features.append(None)
            sentence_features.append(None)
            continue
        sequence_features.append(counting.matrix(tokens))
        if attribute in DENSE_FEATURIZABLE_ATTRIBUTES:
            sentence_features.append(counting.matrix([" ".join(tokens)]))
        else:
            sentence_features.append(None)
    return sequence_features, sentence_features


def apply() -> None:
    CountVectorsFeaturizer._create_features = create_features
