"""The question bank's held-out paraphrases stay held out, and the retrieval is measured on
them (docs/questions.md): none of them, normalised, is a bank phrasing, a canonical
question, an NLU training example, or in the other set; and the figures cannot fall
below what was measured."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import pytest
import yaml

from seniorplus.questions import QuestionIndex, load_bank
from tests.unit.data.test_nlu_data_honesty import TRAINING, examples, normalised

ROOT = Path(__file__).resolve().parents[4]
SETS = {
    name: ROOT / "tests" / "questions" / f"{name}.yml"
    for name in ("heldout", "heldout_dev", "heldout_dev2")
}
GENERAL = "_general"  # messages about a topic in general: no question must be picked


def paraphrases(name: str) -> dict[str, list[str]]:
    data = yaml.safe_load(SETS[name].read_text(encoding="utf-8")) or {}
    return {str(k): [str(t) for t in v] for k, v in data.items()}


@pytest.fixture(scope="module")
def index() -> QuestionIndex:
    return QuestionIndex(load_bank())


def test_no_paraphrase_is_a_bank_phrase_a_training_example_or_in_both_sets() -> None:
    bank = {normalised(t) for q in load_bank() for t in (q.question, *q.asks)}
    training = {normalised(t) for p in TRAINING for t in examples(p)}
    held = [t for name in SETS for texts in paraphrases(name).values() for t in texts]
    assert [t for t in held if normalised(t) in bank | training] == []
    counts = Counter(normalised(t) for t in held)
    assert [t for t, n in counts.items() if n > 1] == []


def test_every_question_of_the_bank_has_a_held_out_paraphrase() -> None:
    assert set(paraphrases("heldout")) - {GENERAL} == {q.id for q in load_bank()}


def test_held_out_retrieval_does_not_fall_below_its_measure(index: QuestionIndex) -> None:
    bank = {q.id: q for q in load_bank()}
    asked = [(bank[qid], t) for qid, texts in paraphrases("heldout").items()
             if qid != GENERAL for t in texts]  # fmt: skip
    in_journey = answered = right = 0
    for question, text in asked:
        ranked = [q for q, _ in index.ranked(text, question.topic) if q.journey == question.journey]
        in_journey += ranked[0].id == question.id
        match = index.best(text, question.topic, question.journey)
        answered += match is not None
        right += match is not None and match.question.id == question.id
    # measured 2026-12-06 after the retrieval's tuning (issue 12 point 5): 0.925 top-1 in the
    # journey (161 of 174), 120 right of 123 answered (before: 0.874, 105 of 108; docs/questions.md)
    # 2026-12-07: four questions added (night care at home and by the APA, moving house,
    # changing EHPAD), their 16 held-out paraphrases written by someone who saw only the
    # canonical questions: 0.913 top-1 (179 of 196), 135 right of 139 answered; the 188
    # paraphrases of before are unchanged (174)
    assert in_journey / len(asked) >= 0.91
    assert right / answered >= 0.97 and right >= 118
