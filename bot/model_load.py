"""Rasa loads DIET faster: its weights are built by one prediction, not one training epoch.

`RasaModel.load` (Rasa 3.6) compiles the model and *trains it for one epoch on one example*
to create its variables, then reads the saved weights over them, then predicts once to
trace the prediction function. The epoch traces TensorFlow's training function (gradients,
optimizer): most of Rasa's start (docs/performance.md, "Premier lancement"). Outside
fine-tuning, the variables are created here by that same prediction instead, and the
weights read afterwards; TensorFlow's object checkpoints match variables by their place
in the model, and restore a variable created later when it appears. The optimizer's
slots in the file are left unread (nothing trains), and what the first prediction keeps
(DIET's label embeddings, held by the traced prediction function) is computed and traced
again from the loaded weights. Predictions are the same:
tests/bot/test_model_load.py compares them with Rasa's own loading.
"""

from __future__ import annotations

import logging
from typing import Any

import tensorflow as tf
from rasa.utils.tensorflow.models import RasaModel

logger = logging.getLogger(__name__)
_original_load = RasaModel.load.__func__


def _load(
    cls: Any,
    model_file_name: str,
    model_data_example: Any,
    predict_data_example: Any = None,
    finetune_mode: bool = False,
    *args: Any,
    **kwargs: Any,
) -> Any:
    if finetune_mode or predict_data_example is None:
        return _original_load(
            cls, model_file_name, model_data_example, predict_data_example, finetune_mode,
            *args, **kwargs,
        )  # fmt: skip
    model = cls(*args, **kwargs)
    learning_rate = kwargs.get("config", {}).get("learning_rate", 0.001)
    model.compile(optimizer=tf.keras.optimizers.Adam(learning_rate))
    model.run_inference(predict_data_example)  # creates the variables, traces prediction
    model.load_weights(model_file_name).expect_partial()
    # The prediction above also computed what prediction keeps from the weights (DIET's
    # label embeddings), and its traced function holds them as constants: both are made
    # again, now from the loaded weights, by the next prediction.
    model.prepared_for_prediction = False
    model._tf_predict_step = None
    model.run_inference(predict_data_example)
    logger.debug("Model loaded from %s without a training epoch.", model_file_name)
    return model


def apply() -> None:
    """Install the faster loading (idempotent)."""
    RasaModel.load = classmethod(_load)
