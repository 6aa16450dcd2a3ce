"""Matrices compared to the bit: type, shape, value type, positions (and their type), order."""

from __future__ import annotations

from typing import Any

import numpy as np
import scipy.sparse


def same_matrix(ours: Any, rasas: Any) -> None:
    assert type(ours) is type(rasas)
    assert ours.shape == rasas.shape
    assert ours.dtype == rasas.dtype
    if scipy.sparse.issparse(rasas):
        rasas = rasas.tocoo()
        assert ours.row.dtype == rasas.row.dtype and ours.col.dtype == rasas.col.dtype
        assert np.array_equal(ours.row, rasas.row) and np.array_equal(ours.col, rasas.col)
        assert np.array_equal(ours.data, rasas.data)
    else:
        assert np.array_equal(ours, rasas)
