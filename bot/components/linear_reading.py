"""The second reader's classifier at reading time: TF-IDF then a logistic regression, as
plain array operations over what training kept (``second_reader.as_arrays``).

scikit-learn's ``Pipeline.predict_proba`` gives the same numbers (to the last bits of
rounding: 4e-16 seen, tested) but costs six times more per message (12.3 against 2.1 ms,
docs/performance.md): its checks recompute every vocabulary's weights on each call, and its
product with the regression's transposed coefficients copies them. Here the steps are
scikit-learn's own (its vectorizer counts the words with the analyzer used in training, its
``normalize`` and ``softmax``), without those repeated costs.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np
import scipy.sparse as sp
from sklearn.feature_extraction.text import CountVectorizer, TfidfVectorizer
from sklearn.preprocessing import normalize
from sklearn.utils.extmath import softmax

Array = np.ndarray[Any, Any]


class LinearReading:
    """Class probabilities for texts, as the fitted TF-IDF + logistic regression gives them."""

    def __init__(
        self,
        vectorizers: Sequence[tuple[str, TfidfVectorizer]],
        arrays: Mapping[str, Array],
    ) -> None:
        self._parts: list[tuple[CountVectorizer, Array, bool]] = []
        for name, settings in vectorizers:
            terms = [str(term) for term in arrays[f"{name}_terms"]]
            counter = CountVectorizer(
                analyzer=settings.analyzer,
                ngram_range=settings.ngram_range,
                lowercase=settings.lowercase,
                vocabulary={term: index for index, term in enumerate(terms)},
            )
            idf = np.asarray(arrays[f"{name}_idf"], dtype=np.float64)
            if idf.shape != (len(terms),):
                raise ValueError(f"{name} : {len(terms)} mots, {idf.shape} poids")
            self._parts.append((counter, idf, bool(settings.sublinear_tf)))
        self.classes_ = np.asarray(arrays["classes"], dtype=str)
        coef = np.asarray(arrays["coef"], dtype=np.float64)
        self._weights = np.ascontiguousarray(coef.T)  # features × classes, read row by row
        self._intercept = np.asarray(arrays["intercept"], dtype=np.float64)
        width = sum(idf.shape[0] for _, idf, _ in self._parts)
        if coef.shape != (len(self.classes_), width):
            raise ValueError(f"coefficients {coef.shape}, attendus {(len(self.classes_), width)}")

    def features(self, texts: Sequence[str]) -> Any:
        """TfidfVectorizer.transform for each part (sublinear counts, idf, l2), side by side."""
        parts = []
        for counter, idf, sublinear in self._parts:
            counts = counter.transform(texts).astype(np.float64)
            if sublinear:
                np.log(counts.data, counts.data)
                counts.data += 1
            weighted = counts.multiply(idf).tocsr()
            parts.append(normalize(weighted, norm="l2", copy=False))
        return sp.hstack(parts).tocsr()

    def predict_proba(self, texts: Sequence[str]) -> Array:
        scores = np.asarray(self.features(texts) @ self._weights) + self._intercept
        return np.asarray(softmax(scores, copy=False))
