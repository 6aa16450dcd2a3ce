"""Measure the question bank's retrieval on a set of paraphrases (docs/questions.md).

    python scripts/eval_questions.py tests/questions/heldout_dev.yml --misses

A set maps a question id to paraphrases written from its canonical question (``_general``:
messages that must get no question). Printed: top-1 in the whole bank, in the topic, in the
journey (as in the dialogue), the sure answers, the close calls the dialogue answers too, and
the general messages that get a question. ``--misses`` lists the paraphrases put under the
wrong question: only for a development set, never for tests/questions/heldout.yml (reading its
texts would make its figure dishonest), which prints its totals only.

    python scripts/eval_questions.py --bank      # the bank's phrasings, each left out in turn
    python scripts/eval_questions.py --typos tests/questions/heldout_dev2.yml

``--bank``: each way of asking is taken out of its question (its stems from the BM25 document,
its phrasing from the n-gram index) and looked for in its journey. ``--typos``: the set's first
two paraphrases of each question (SMS and voice in heldout_dev2.yml), each with two typos drawn
at random (a letter missing, doubled, or two letters swapped), top-1 in the journey.
"""

from __future__ import annotations

import argparse
import random
import sys
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from policies.questions import normalise  # noqa: E402
from seniorplus.questions import QuestionIndex, load_bank, retrieval  # noqa: E402
from seniorplus.questions.bank import Question  # noqa: E402

GENERAL = "_general"
HELD_OUT = "heldout.yml"  # its texts are never printed


@dataclass
class Measure:
    asked: int = 0
    whole: int = 0
    in_topic: int = 0
    in_journey: int = 0
    sure: int = 0
    sure_right: int = 0
    close: int = 0
    close_right: int = 0
    offered: int = 0  # the right one is the answer or the button of a close call
    general: int = 0
    general_named: int = 0  # general messages naming a journey (a rough look at their words)
    general_topic: int = 0  # those that get a question (sure or close call)
    misses: list[tuple[str, str, str]] = field(default_factory=list)


def measure(index: QuestionIndex, bank: dict[str, Question], path: Path) -> Measure:
    data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    result = Measure()
    for qid, texts in data.items():
        if qid == GENERAL:
            continue
        question = bank[qid]
        for text in texts:
            result.asked += 1
            ranked = [q for q, _ in index.ranked(text, question.topic)]
            result.whole += index.ranked(text)[0][0].id == qid
            result.in_topic += ranked[0].id == qid
            journey = [q for q in ranked if q.journey == question.journey]
            result.in_journey += journey[0].id == qid
            if journey[0].id != qid:
                result.misses.append((qid, journey[0].id, text))
            match = index.best(text, question.topic, question.journey)
            if match is not None:
                result.sure += 1
                result.sure_right += match.question.id == qid
            found = index.best_or_close(text, question.topic, question.journey)
            if found is not None:
                result.close += 1
                result.close_right += found[0].question.id == qid
                result.offered += qid in {found[0].question.id, getattr(found[1], "id", None)}
    for text in data.get(GENERAL) or []:
        result.general += 1
        for journey in {q.journey: q for q in bank.values()}.values():
            if _names(text, journey):
                result.general_named += 1
                if index.best_or_close(text, journey.topic, journey.journey) is not None:
                    result.general_topic += 1
                break
    return result


def _names(text: str, question: Question) -> bool:
    """Whether a general message names this question's journey (a rough look at its words)."""
    words = {
        "apa_domicile": ("apa",),
        "ehpad": ("ehpad", "maison de retraite", "maisons de retraite"),
        "carte_mobilite": ("carte mobilite", "cmi", "carte"),
        "protection_juridique": ("curatelle", "tutelle"),
        "services_domicile": ("aide a domicile", "teleassistance"),
        "droits_aidant": ("aidant",),
        "caisse_retraite": ("caisse de retraite", "carsat"),
        "amenagement_logement": ("maprimeadapt", "travaux"),
    }.get(question.journey, ())
    plain = f" {normalise(text)} "
    return any(f" {w} " in plain for w in words)


def left_out(index: QuestionIndex) -> tuple[int, int]:
    """(found, asked): each way of asking of the bank, left out of its question, found first
    in its journey."""
    grams = index.grams
    excluded = [-1]

    def scores(text: str) -> list[float]:  # GramIndex.scores without the excluded phrasing
        by_doc: dict[int, float] = {}
        for gram, weight in grams._vector(retrieval.grams(text)).items():
            for doc, other in grams.postings.get(gram, ()):
                if doc != excluded[0]:
                    by_doc[doc] = by_doc.get(doc, 0.0) + weight * other
        best = [0.0] * grams.size
        for doc, score in by_doc.items():
            best[grams.owner[doc]] = max(best[grams.owner[doc]], score)
        return best

    grams.scores = scores  # type: ignore[method-assign]
    found = asked = 0
    doc = 0
    for number, question in enumerate(index.questions):
        doc += 1  # its canonical wording
        for text in question.asks:
            own = Counter(retrieval.stems(text))
            kept = index.documents[number], index.lengths[number]
            index.documents[number] = kept[0] - own
            index.lengths[number] = kept[1] - sum(own.values())
            excluded[0] = doc
            index._cache.clear()
            ranked = [q for q, _ in index.ranked(text, question.topic)]
            first = next(q for q in ranked if q.journey == question.journey)
            index.documents[number], index.lengths[number] = kept
            asked += 1
            found += first.id == question.id
            doc += 1
    del grams.scores
    index._cache.clear()
    return found, asked


def with_typos(text: str, draw: random.Random) -> str:
    """`text` with two typos in two of its words of five letters or more."""
    words = text.split()
    long = [i for i, w in enumerate(words) if len(w) >= 5 and w.isalpha()]
    for i in draw.sample(long, min(2, len(long))):
        word, at = words[i], draw.randrange(1, len(words[i]) - 1)
        words[i] = draw.choice(
            [
                word[:at] + word[at + 1] + word[at] + word[at + 2 :],
                word[:at] + word[at + 1 :],
                word[:at] + word[at] + word[at:],
            ]
        )
    return " ".join(words)


def typos(index: QuestionIndex, bank: dict[str, Question], path: Path) -> tuple[int, int]:
    """(found, asked) on the set's first two paraphrases of each question, with typos."""
    data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    draw = random.Random(3)  # noqa: S311 (the same typos each run, not a secret)
    found = asked = 0
    for qid, texts in data.items():
        if qid == GENERAL:
            continue
        question = bank[qid]
        for text in texts[:2]:
            spelt = with_typos(text, draw)
            ranked = [q for q, _ in index.ranked(spelt, question.topic)]
            asked += 1
            found += next(q for q in ranked if q.journey == question.journey).id == qid
    return found, asked


def report(name: str, m: Measure) -> str:
    def share(n: int, d: int) -> str:
        return f"{n / d:.3f}" if d else "-"

    return "\n".join(
        [
            f"{name}: {m.asked} paraphrases",
            f"  top-1 whole bank   {share(m.whole, m.asked)}",
            f"  top-1 in topic     {share(m.in_topic, m.asked)}",
            f"  top-1 in journey   {share(m.in_journey, m.asked)} ({m.in_journey})",
            f"  sure answers       {m.sure} ({m.sure_right} right, {share(m.sure_right, m.sure)})",
            f"  with close calls   {m.close} ({m.close_right} right, "
            f"{share(m.close_right, m.close)}; right one offered {m.offered})",
            f"  general messages   {m.general}, {m.general_named} naming a journey, "
            f"{m.general_topic} of them given a question",
        ]
    )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("sets", nargs="*", type=Path)
    parser.add_argument("--misses", action="store_true", help="list misses (dev sets only)")
    parser.add_argument("--bank", action="store_true", help="the bank's phrasings, left out")
    parser.add_argument("--typos", action="store_true", help="the sets' paraphrases, typos in")
    args = parser.parse_args()
    bank = {q.id: q for q in load_bank()}
    index = QuestionIndex(tuple(bank.values()))
    if args.bank:
        found, asked = left_out(index)
        print(f"bank phrasings left out: {found} of {asked} found ({found / asked:.3f})")
    for path in args.sets:
        if args.typos:
            if path.name == HELD_OUT:
                continue
            found, asked = typos(index, bank, path)
            print(f"{path.name} with typos: {found} of {asked} found")
            continue
        m = measure(index, bank, path)
        print(report(path.name, m))
        if args.misses and path.name != HELD_OUT:
            for expected, found, text in m.misses:
                print(f"    {expected:28} -> {found:28} {text}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
