"""DIET's prediction called on its compiled function (bot/tf_predict.py) reads as Rasa's does.

The project's model reads the benchmark's messages, a long message and a few odd ones with
Rasa's ``tf.function`` call and with the direct call: the same intents, rankings (to the
last bit) and entities.
"""

from __future__ import annotations

import asyncio
from typing import Any

import numpy as np
import pytest
import tensorflow as tf
from rasa.core.agent import Agent
from rasa.utils.tensorflow.model_data import FeatureArray
from rasa.utils.tensorflow.models import RasaModel

from bot import tf_predict
from tests.bot.model_messages import bench_messages, readings

ODD = [
    "",
    "🙂🙂🙂",
    "AIDE",
    "bonjour, ma mère a 87 ans, elle vit seule à Saint-Nazaire, elle tombe souvent et ne "
    "mange plus beaucoup ; je travaille à Nantes et je ne peux pas y aller tous les jours, "
    "est-ce qu'il existe une aide pour payer quelqu'un qui passe le matin et le soir ?",
]


def test_the_direct_call_reads_as_tf_function_does(
    trained_agent: Agent, monkeypatch: pytest.MonkeyPatch
) -> None:
    texts = bench_messages() + ODD
    monkeypatch.setattr(RasaModel, "_rasa_predict", tf_predict._RASA_PREDICT)
    with_tf_function = asyncio.run(readings(trained_agent, texts))
    calls: list[int] = []

    def counted(model: RasaModel, batch_in: tuple[Any, ...]) -> dict[str, Any]:
        calls.append(len(batch_in))
        return tf_predict.rasa_predict(model, batch_in)

    rasas_way: list[int] = []

    def fallback(model: RasaModel, batch_in: tuple[Any, ...]) -> dict[str, Any]:
        rasas_way.append(len(batch_in))
        return tf_predict._RASA_PREDICT(model, batch_in)

    monkeypatch.setattr(RasaModel, "_rasa_predict", counted)
    monkeypatch.setattr(tf_predict, "_RASA_PREDICT", fallback)
    direct = asyncio.run(readings(trained_agent, texts))
    assert len(direct) == len(texts) > 40
    assert direct == with_tf_function
    assert len(calls) >= len(texts) and min(calls) > 5  # DIET's ~30 input arrays
    assert rasas_way == []  # traced by the first reading: every call went the direct way


@pytest.mark.parametrize(
    ("value", "dtype"),
    [
        (np.zeros((1, 12, 300), np.float32), tf.float32),
        (np.array([[0, 3, 7], [0, 4, 1]], np.int64), tf.int64),
        (np.array([[0.25, 1.5]]), tf.float32),  # float64 given for a float32 input
        (np.array([2, 5], np.int32), tf.int64),
        (np.zeros((0, 3), np.int64), tf.int64),
        (np.array(7, np.int64), tf.int64),
        (FeatureArray(np.ones((2, 3), np.float32), number_of_dimensions=2), tf.float32),
        ([[1.0, 2.0]], tf.float32),  # not an array: TensorFlow's way
    ],
)
def test_an_input_becomes_the_tensor_tf_convert_to_tensor_gives(value: Any, dtype: Any) -> None:
    ours, tfs = tf_predict.to_tensor(value, dtype), tf.convert_to_tensor(value, dtype=dtype)
    assert type(ours) is type(tfs)
    assert (ours.dtype, ours.shape, ours.device) == (tfs.dtype, tfs.shape, tfs.device)
    assert np.array_equal(ours.numpy(), tfs.numpy())
