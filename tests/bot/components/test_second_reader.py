"""The second reader: a linear classifier's reading averaged with DIET's, never for danger."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import numpy as np
import pytest
import yaml
from rasa.engine.graph import ExecutionContext, GraphSchema
from rasa.engine.storage.local_model_storage import LocalModelStorage
from rasa.engine.storage.resource import Resource
from rasa.shared.nlu.constants import INTENT, INTENT_RANKING_KEY, TEXT
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData

from bot.components.request_focus import request_part
from bot.components.second_reader import (
    FILE,
    SecondReader,
    as_arrays,
    averaged,
    fitting_first,
    new_classifier,
    own_examples,
    plain,
    sharpened,
)

ROOT = Path(__file__).resolve().parents[3]
NAME = "bot.components.second_reader.SecondReader"

# A small training set written for these tests: what each intent sounds like.
EXAMPLES = {
    "ask_apa": [
        "comment demander l'allocation personnalisée d'autonomie pour ma mère",
        "l'apa c'est pour qui exactement",
        "mon père pourrait avoir l'apa à domicile",
        "quel montant d'apa pour une personne en gir 4",
    ],
    "ask_legal_protection": [
        "comment mettre ma tante sous curatelle",
        "la tutelle de mon père se demande au juge",
        "une habilitation familiale pour gérer les comptes de maman",
        "qui peut être curateur d'un parent",
    ],
    "report_emergency": [
        "ma mère est par terre elle ne répond plus",
        "il ne respire plus venez vite",
        "elle s'est effondrée dans la cuisine à l'instant",
        "mon père saigne beaucoup de la tête",
    ],
    "goodbye": ["au revoir et merci", "bonne journée à vous", "à demain", "je vous laisse"],
    "inform": ["elle a 84 ans", "il vit seul à Rezé", "à domicile", "mon père"],
}


def configured() -> dict[str, Any]:
    """The component's settings as config.yml gives them, over its defaults."""
    pipeline = yaml.safe_load((ROOT / "config.yml").read_text(encoding="utf-8"))["pipeline"]
    entry = next(c for c in pipeline if c["name"] == NAME)
    return {**SecondReader.get_default_config(), **{k: v for k, v in entry.items() if k != "name"}}


def training_data() -> TrainingData:
    return TrainingData([
        Message({TEXT: text, INTENT: intent})
        for intent, texts in EXAMPLES.items()
        for text in texts
    ])  # fmt: skip


@pytest.fixture(scope="module")
def storage(tmp_path_factory: pytest.TempPathFactory) -> LocalModelStorage:
    return LocalModelStorage(tmp_path_factory.mktemp("model"))


@pytest.fixture(scope="module")
def reader(storage: LocalModelStorage) -> SecondReader:
    """Trained on this file's examples only, written to the model storage and loaded back,
    as Rasa does."""
    context = ExecutionContext(GraphSchema({}), "test")
    resource = Resource("second_reader")
    config = {**configured(), "examples": ""}
    SecondReader.create(config, storage, resource, context).train(training_data())
    return SecondReader.load(config, storage, resource, context)


def read(reader: SecondReader, text: str, ranking: list[tuple[str, float]]) -> dict[str, Any]:
    entries = [{"name": name, "confidence": confidence} for name, confidence in ranking]
    message = Message({TEXT: text, INTENT: dict(entries[0]), INTENT_RANKING_KEY: entries})
    reader.process([message])
    return message.as_dict(only_output_properties=False)


def test_config_yml_puts_the_second_reader_last_with_the_fallback_s_thresholds() -> None:
    pipeline = yaml.safe_load((ROOT / "config.yml").read_text(encoding="utf-8"))["pipeline"]
    assert pipeline[-1]["name"] == NAME
    fallback = next(c for c in pipeline if c["name"].endswith("LongMessageFallbackClassifier"))
    for key in ("threshold", "long_message_words", "long_threshold"):
        assert pipeline[-1][key] == fallback[key]
    assert pipeline[-1]["ambiguity_threshold"] == 0  # two readers split: close by nature


def test_a_sure_but_wrong_reading_is_corrected_by_the_words(reader: SecondReader) -> None:
    text = "bonjour je voudrais savoir comment on met ma tante sous curatelle svp"
    result = read(reader, text, [("ask_apa", 0.55), ("ask_legal_protection", 0.40)])
    assert result[INTENT]["name"] == "ask_legal_protection"
    assert result["readings"] == {"first": "ask_apa", "second": "ask_legal_protection"}
    names = [r["name"] for r in result[INTENT_RANKING_KEY]]
    assert names[:2] == ["ask_legal_protection", "ask_apa"]


def test_a_short_message_keeps_diet_s_reading(reader: SecondReader) -> None:
    ranking = [("ask_apa", 0.55), ("ask_legal_protection", 0.40)]
    result = read(reader, "la curatelle de ma tante", ranking)  # five words
    assert result[INTENT] == {"name": "ask_apa", "confidence": 0.55}
    assert "readings" not in result


def test_danger_now_is_left_as_it_is(reader: SecondReader) -> None:
    text = "ma mère est par terre et ne répond plus depuis tout à l'heure"
    ranking = [("report_emergency", 1.0), ("ask_apa", 0.0)]
    result = read(reader, text, ranking)
    assert result[INTENT] == {"name": "report_emergency", "confidence": 1.0}
    assert [r["name"] for r in result[INTENT_RANKING_KEY]] == ["report_emergency", "ask_apa"]


def test_the_second_reader_never_brings_danger_in(reader: SecondReader) -> None:
    """Danger ruled out by the danger reader (the model said it, no word of danger now):
    whatever the linear classifier thinks, the message is not read as danger now."""
    text = "elle s'est effondrée il y a deux ans, depuis elle ne répond plus au téléphone"
    result = read(reader, text, [("inform", 0.5), ("ask_apa", 0.3)])
    names = [r["name"] for r in result[INTENT_RANKING_KEY]]
    assert result[INTENT]["name"] != "report_emergency"
    assert "report_emergency" not in names


def test_a_goodbye_without_a_word_of_parting_is_never_chosen(reader: SecondReader) -> None:
    text = "au revoir la maison, elle ira en ehpad je pense"  # "revoir" is a parting word
    assert read(reader, text, [("goodbye", 0.9), ("ask_apa", 0.1)])[INTENT]["name"] == "goodbye"
    text = "il vit à domicile, seul, avec une voisine qui passe"
    result = read(reader, text, [("goodbye", 0.9), ("inform", 0.1)])
    assert "goodbye" not in [r["name"] for r in result[INTENT_RANKING_KEY]]


def test_an_intent_ruled_out_by_its_words_leaves_its_share_to_the_others() -> None:
    ranking = [
        {"name": "book_appointment", "confidence": 0.6},
        {"name": "ask_apa", "confidence": 0.3},
        {"name": "ask_home_services", "confidence": 0.1},
    ]
    text = "on peut avoir une aide pour payer quelqu'un qui vient chez elle ?"
    out = fitting_first(ranking, text)
    assert [r["name"] for r in out] == ["ask_apa", "ask_home_services"]
    assert out[0]["confidence"] == pytest.approx(0.75)
    assert fitting_first(ranking, "un rendez-vous pour payer l'aide")[0]["confidence"] == 0.6


class Undecided:
    """A classifier that finds every intent as likely: its reading weighs nothing."""

    classes_ = np.array(["ask_apa", "inform", "ask_legal_protection"])

    def predict_proba(self, texts: list[str]) -> np.ndarray:
        return np.full((len(texts), 3), 1 / 3)


def test_an_averaged_reading_too_weak_falls_back(storage: LocalModelStorage) -> None:
    undecided = Undecided()
    reader = SecondReader(configured(), storage, Resource("undecided"), undecided)
    text = "le bidule du machin chose pour la chose de la semaine prochaine"
    result = read(reader, text, [("ask_apa", 0.5), ("inform", 0.4), ("goodbye", 0.1)])
    assert result[INTENT] == {"name": "nlu_fallback", "confidence": 0.45}
    assert result[INTENT_RANKING_KEY][0]["name"] == "nlu_fallback"


def test_sharpened_rules_danger_out_and_sums_to_one() -> None:
    out = sharpened({"report_emergency": 0.5, "ask_apa": 0.3, "inform": 0.1, "goodbye": 0.1}, 2)
    assert "report_emergency" not in out
    assert sum(out.values()) == pytest.approx(1.0)
    assert out["ask_apa"] == pytest.approx(0.09 / 0.11)
    assert sharpened({"report_emergency": 1.0}, 2) == {}


def test_averaged_weighs_both_readings_and_leaves_the_fallback_out() -> None:
    ranking = [{"name": "nlu_fallback", "confidence": 0.45}, {"name": "ask_apa", "confidence": 0.4}]
    out = averaged(ranking, {"ask_apa": 0.2, "inform": 0.8}, weight=0.7)
    assert [r["name"] for r in out] == ["inform", "ask_apa"]
    assert out[0]["confidence"] == pytest.approx(0.56)
    assert out[1]["confidence"] == pytest.approx(0.3 * 0.4 + 0.7 * 0.2)


def test_plain_keeps_the_words_and_drops_accents_and_punctuation() -> None:
    assert plain("Ma MÈRE n'arrive plus… à se lever !") == "ma mere n'arrive plus a se lever"


class Planted:
    """Not an array: a model file holding it (pickled) must not be loaded."""


def test_a_model_file_holding_an_object_is_refused(tmp_path: Path) -> None:
    storage = LocalModelStorage(tmp_path)
    resource = Resource("planted")
    with storage.write_to(resource) as directory:
        planted = np.array([Planted()], dtype=object)  # loading it would unpickle
        np.savez(directory / FILE, classes=planted, coef=planted, intercept=planted)
    context = ExecutionContext(GraphSchema({}), "test")
    with pytest.raises(TypeError, match="illisible"):
        SecondReader.load(configured(), storage, resource, context)


def test_a_model_kept_in_the_old_format_is_refused_not_taken_for_untrained(
    tmp_path: Path,
) -> None:
    storage = LocalModelStorage(tmp_path)
    resource = Resource("old")
    with storage.write_to(resource) as directory:
        (directory / "second_reader.skops").write_bytes(b"PK")
    context = ExecutionContext(GraphSchema({}), "test")
    with pytest.raises(TypeError, match="ancien format"):
        SecondReader.load(configured(), storage, resource, context)


def test_the_reader_loaded_back_reads_as_scikit_learn(
    storage: LocalModelStorage,
) -> None:
    """Kept as arrays and read with plain array operations (linear_reading.py): the same
    probabilities as scikit-learn's fitted pipeline, and as the reader just trained."""
    context = ExecutionContext(GraphSchema({}), "test")
    resource = Resource("round_trip")
    config = {**configured(), "examples": ""}
    trained = SecondReader.create(config, storage, resource, context)
    trained.train(training_data())
    loaded = SecondReader.load(config, storage, resource, context)
    texts = [plain(t) for ts in EXAMPLES.values() for t in ts]
    texts += [plain(STORY), "rien a voir", "zzz", "", "l'apa l'apa l'apa curatelle"]
    pipeline = new_classifier(float(config["regularisation"]))
    pipeline.fit([plain(t) for ts in EXAMPLES.values() for t in ts],
                 [i for i, ts in EXAMPLES.items() for _ in ts])  # fmt: skip
    assert trained._classifier is not None and loaded._classifier is not None
    expected = pipeline.predict_proba(texts)
    # the same numbers but for the last bits of rounding (the order of a sum: 4e-16 seen)
    for reading in (loaded._classifier, trained._classifier):
        np.testing.assert_allclose(reading.predict_proba(texts), expected, rtol=0, atol=1e-12)
    assert list(loaded._classifier.classes_) == list(pipeline.classes_) == sorted(EXAMPLES)
    assert set(as_arrays(pipeline)) == {
        "classes", "coef", "intercept", "words_terms", "words_idf", "letters_terms", "letters_idf"
    }  # fmt: skip


def test_nothing_trained_leaves_every_message_as_it_is(tmp_path: Path) -> None:
    storage = LocalModelStorage(tmp_path)
    context = ExecutionContext(GraphSchema({}), "test")
    reader = SecondReader.load(configured(), storage, Resource("never-written"), context)
    text = "bonjour je voudrais savoir comment on met ma tante sous curatelle svp"
    result = read(reader, text, [("ask_apa", 0.55), ("ask_legal_protection", 0.40)])
    assert result[INTENT] == {"name": "ask_apa", "confidence": 0.55}


STORY = (
    "Ma mère a 88 ans, elle touche l'apa depuis deux ans, l'allocation personnalisée "
    "d'autonomie paie la dame qui vient le matin pour sa toilette. Mais depuis cet été elle "
    "ne gère plus du tout ses comptes. Comment mettre ma mère sous curatelle ?"
)


def test_a_long_message_s_request_is_read_alone_too(reader: SecondReader) -> None:
    """The story speaks of the APA, the request of the curatelle: both readings count."""
    classifier = reader._classifier
    assert classifier is not None
    whole, part = classifier.predict_proba([plain(STORY), plain(request_part(STORY) or "")])
    expected = dict(zip(classifier.classes_, (whole + part) / 2, strict=True))
    reading = reader._second_readings([Message({TEXT: STORY})])[0]
    assert reading == pytest.approx(expected)
    assert request_part(STORY) == "Comment mettre ma mère sous curatelle ?"
    result = read(reader, STORY, [("ask_apa", 0.6), ("ask_legal_protection", 0.4)])
    assert result[INTENT]["name"] == "ask_legal_protection"


def test_its_own_examples_are_read_and_change_its_fingerprint(tmp_path: Path) -> None:
    (tmp_path / "a.yml").write_text(
        'version: "3.1"\nsecond_reader:\n- intent: ask_apa\n  examples: |\n'
        "    - l'apa pour ma mère qui vit seule\n    - comment avoir l'apa\n",
        encoding="utf-8",
    )
    assert own_examples(str(tmp_path)) == [
        ("l'apa pour ma mère qui vit seule", "ask_apa"),
        ("comment avoir l'apa", "ask_apa"),
    ]
    before = SecondReader.fingerprint_addon({"examples": str(tmp_path)})
    (tmp_path / "b.yml").write_text(
        "second_reader:\n- intent: out_of_scope\n  examples: |\n    - la météo demain\n",
        encoding="utf-8",
    )
    assert SecondReader.fingerprint_addon({"examples": str(tmp_path)}) != before
    assert own_examples("") == []


def test_diet_never_reads_the_second_reader_s_own_examples() -> None:
    """data/second_reader sits under data/, which `rasa train --data data` reads: Rasa must
    not take its files for NLU data (DIET would learn them and hear danger less)."""
    from rasa.shared.importers.importer import TrainingDataImporter

    importer = TrainingDataImporter.load_from_config(
        str(ROOT / "config.yml"), str(ROOT / "bot" / "domain"), [str(ROOT / "data")]
    )
    diet_reads = {m.get(TEXT) for m in importer.get_nlu_data().intent_examples}
    own = own_examples(configured()["examples"])
    assert len(own) > 300
    assert diet_reads and not [text for text, _ in own if text in diet_reads]
