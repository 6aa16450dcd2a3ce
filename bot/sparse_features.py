"""A message's sparse features put side by side without ``scipy.sparse.hstack``.

DIET reads a message's sparse features (regular expressions, lexical and syntactic marks,
word and letter-group counts) as one matrix per kind (``Message.get_sparse_features``):
Rasa 3.6 deep-copies the first featurizer's matrix, then adds each other one with
``scipy.sparse.hstack``, whose general block assembly (``bmat``: a grid of blocks, checks
and conversions per block) costs far more than the few numbers of one message: a tenth of a
turn's CPU (py-spy, docs/performance.md).

The featurizers all give COO matrices. Putting COO matrices side by side is what ``bmat``
does for them in the end: their values one after the other, each one's columns shifted by
the widths before it, the rows unchanged, the values' type the common one (scipy's
``upcast``). That is done here directly, giving the same matrix (values, positions, types
and order; tests/bot/test_sparse_features.py compares them on the project's model). Any
other case (one matrix, another format, rows that differ) keeps Rasa's way and its errors.
Installed by ``bot/rasa_patches.py`` (patch 13).
"""

from __future__ import annotations

from typing import Any

import numpy as np
from rasa.shared.nlu.training_data.features import Features
from rasa.shared.nlu.training_data.message import Message
from scipy.sparse import coo_matrix
from scipy.sparse._sputils import get_index_dtype, upcast

RASA_COMBINE = Message._combine_features


def side_by_side(matrices: list[coo_matrix]) -> coo_matrix:
    """``scipy.sparse.hstack(matrices)`` for COO matrices with the same number of rows."""
    rows = matrices[0].shape[0]
    width = sum(matrix.shape[1] for matrix in matrices)
    index_type = get_index_dtype(maxval=max(rows, width))
    shifts = np.cumsum([0] + [matrix.shape[1] for matrix in matrices[:-1]])
    data = np.concatenate([matrix.data for matrix in matrices]).astype(
        upcast(*(matrix.dtype for matrix in matrices)), copy=False
    )
    row = np.concatenate([matrix.row for matrix in matrices]).astype(index_type, copy=False)
    col = np.concatenate(
        [
            matrix.col.astype(index_type, copy=False) + index_type(shift)
            for matrix, shift in zip(matrices, shifts, strict=True)
        ]
    )
    return coo_matrix((data, (row, col)), shape=(rows, width))


def combine_features(features: list[Features], featurizers: list[str]) -> Features | None:
    """``Message._combine_features``: the features of one kind, side by side."""
    matrices = [each.features for each in features]
    if (
        len(matrices) < 2
        or not all(type(matrix) is coo_matrix for matrix in matrices)
        or len({matrix.shape[0] for matrix in matrices}) != 1
    ):
        combined: Features | None = RASA_COMBINE(features, featurizers)
        return combined
    first = features[0]
    return Features(side_by_side(matrices), first.type, first.attribute, featurizers)


def apply() -> None:
    combine: Any = staticmethod(combine_features)
    Message._combine_features = combine
