"""DIET's prediction called straight on its one compiled TensorFlow function.

Rasa 3.6 runs DIET's prediction through a ``tf.function`` built with a fixed input
signature (``RasaModel._rasa_predict``): there is exactly one concrete function, yet each
call goes through ``tf.function``'s dispatch, which walks and casts the ~30 input arrays
against the signature to find it again (``_maybe_define_function``, about a fifth of the
time of the call under load, docs/performance.md). The concrete function is now looked up
once per model and called with the inputs converted to the signature's types: the same
function, the same inputs, the same outputs (tests/bot/test_tf_predict.py). A model run
eagerly, or not yet traced, keeps Rasa's way (which traces it).

Each input array becomes a tensor through ``constant_op.convert_to_eager_tensor``, where
``tf.convert_to_tensor`` ends for a NumPy array (Rasa's ``FeatureArray`` is one) after its
dispatch, conversion registry and ``constant`` layers: 0.8 → 0.4 ms per message here
(about ten arrays). Anything else keeps ``tf.convert_to_tensor``.

``ConcreteFunction._call_flat`` is TensorFlow's own call path behind ``tf.function``
(TensorFlow 2.12, pinned in requirements/bot.lock): checked again whenever the pin moves.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import tensorflow as tf
from rasa.shared.constants import DIAGNOSTIC_DATA
from rasa.utils.tensorflow.models import RasaModel, tf_utils
from tensorflow.python.eager import context
from tensorflow.python.framework import constant_op

_RASA_PREDICT = RasaModel._rasa_predict
_CONCRETE = "_senior_plus_concrete_predict"  # on a model: (concrete function, input dtypes)


def _concrete(model: RasaModel) -> tuple[Any, list[Any]]:
    found: tuple[Any, list[Any]] | None = model.__dict__.get(_CONCRETE)
    if found is None:
        function = model._tf_predict_step.get_concrete_function()
        dtypes = [spec.dtype for spec in tf.nest.flatten(function.structured_input_signature[0])]
        found = model.__dict__[_CONCRETE] = (function, dtypes)
    return found


def to_tensor(value: Any, dtype: Any) -> Any:
    """``tf.convert_to_tensor(value, dtype=dtype)``, straight to its end for a NumPy array."""
    if isinstance(value, np.ndarray):  # Rasa's FeatureArray too: TensorFlow's same way
        return constant_op.convert_to_eager_tensor(value, context.context(), dtype)
    return tf.convert_to_tensor(value, dtype=dtype)


def rasa_predict(model: RasaModel, batch_in: tuple[Any, ...]) -> Any:
    """``RasaModel._rasa_predict`` without ``tf.function``'s dispatch once traced."""
    if model._run_eagerly or not model.prepared_for_prediction or model._tf_predict_step is None:
        return _RASA_PREDICT(model, batch_in)
    function, dtypes = _concrete(model)
    if len(batch_in) != len(dtypes):
        return _RASA_PREDICT(model, batch_in)  # not the traced signature: Rasa's way says why
    model._training = False
    inputs = [to_tensor(array, dtype) for array, dtype in zip(batch_in, dtypes, strict=True)]
    outputs = tf_utils.sync_to_numpy_or_python_type(
        function._call_flat(inputs, function.captured_inputs)
    )
    if DIAGNOSTIC_DATA in outputs:
        outputs[DIAGNOSTIC_DATA] = model._empty_lists_to_none_in_dict(outputs[DIAGNOSTIC_DATA])
    return outputs


def apply() -> None:
    RasaModel._rasa_predict = rasa_predict
