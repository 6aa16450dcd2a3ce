"""NLU evaluation on the held-out sets (never used for training).

Prints and writes, for all sets together and for each one: accuracy, macro-F1, F1 of
each intent, accuracy by message length (1-5, 6-20, 21-60, over 60 words) and by style
(read from the message's shape), entity extraction (precision, recall, F1 by entity), the
most confused pairs and a confusion-matrix picture. Exits non-zero when a floor is not
met: each set's accuracy, the pooled accuracy, each intent's F1, the long messages, and
the entities. Run it with `make eval-nlu` (bot environment).
"""

from __future__ import annotations

import argparse
import asyncio
import json
import logging
import re
import sys
import unicodedata
from collections import Counter, defaultdict
from pathlib import Path
from typing import Any

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt
from rasa.core.agent import Agent
from rasa.shared.nlu.training_data.loading import load_data
from rasa.utils.log_utils import configure_structlog
from sklearn.metrics import (
    accuracy_score,
    confusion_matrix,
    f1_score,
    precision_recall_fscore_support,
)

BUCKETS = ((1, 5), (6, 20), (21, 60), (61, 10_000))
EVALUATED_ENTITIES = ("relationship", "age", "amount", "commune", "postcode")


async def predict(model: Path, texts: list[str]) -> list[dict[str, Any]]:
    agent = Agent.load(str(model))
    return [await agent.parse_message(text) for text in texts]


def bucket(text: str) -> str:
    words = len(text.split())
    low, high = next((lo, hi) for lo, hi in BUCKETS if lo <= words <= hi)
    return f"{low}-{high} mots" if high < 10_000 else f"plus de {low - 1} mots"


def style(text: str) -> str:
    """The message's shape, read from the text (a heuristic, documented in performance.md)."""
    letters = [c for c in text if c.isalpha()]
    if letters and sum(c.isupper() for c in letters) / len(letters) > 0.8:
        return "majuscules"
    plain = unicodedata.normalize("NFKD", text.lower())
    if re.search(r"\b(?:euh|allo|allô|ben|bah|alors voila|alors voilà)\b", text.lower()):
        return "transcription vocale"
    accents = any(unicodedata.combining(c) for c in plain)
    if not accents and not re.search(r"[.,;:!?]", text):
        return "SMS"
    if len(re.findall(r"[.!?]\s", text)) >= 2:
        return "lettre, plusieurs phrases"
    return "phrase soignée"


def plain_value(value: object) -> str:
    text = unicodedata.normalize("NFKD", str(value).lower())
    text = "".join(c for c in text if not unicodedata.combining(c))
    return " ".join(re.sub(r"[^a-z0-9]+", " ", text).split())


def pairs(entities: list[dict[str, Any]]) -> set[tuple[str, str]]:
    return {
        (e["entity"], plain_value(e["value"]))
        for e in entities
        if e["entity"] in EVALUATED_ENTITIES
    }


def entity_scores(expected: list[list[dict]], predicted: list[list[dict]]) -> dict[str, Any]:
    """Micro precision, recall and F1 of each entity type, on (type, value) pairs."""
    counts: dict[str, Counter[str]] = defaultdict(Counter)
    for want, got in zip(expected, predicted, strict=True):
        wanted = {
            (e["entity"], plain_value(e["value"]))
            for e in want
            if e["entity"] in EVALUATED_ENTITIES
        }
        found = {
            (e["entity"], plain_value(e["value"])) for e in got if e["entity"] in EVALUATED_ENTITIES
        }
        for kind, _ in wanted | found:
            counts[kind]["tp"] += 0
        for pair in wanted & found:
            counts[pair[0]]["tp"] += 1
        for pair in found - wanted:
            counts[pair[0]]["fp"] += 1
        for pair in wanted - found:
            counts[pair[0]]["fn"] += 1
    scores = {}
    for kind, c in sorted(counts.items()):
        precision = c["tp"] / (c["tp"] + c["fp"]) if c["tp"] + c["fp"] else 0.0
        recall = c["tp"] / (c["tp"] + c["fn"]) if c["tp"] + c["fn"] else 0.0
        f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
        scores[kind] = {"precision": round(precision, 3), "recall": round(recall, 3),
                        "f1": round(f1, 3), "expected": c["tp"] + c["fn"]}  # fmt: skip
    return scores


def plot(labels: list[str], matrix: list[list[int]], path: Path, title: str) -> None:
    fig, ax = plt.subplots(figsize=(14, 12))
    ax.imshow(matrix, cmap="Blues")
    ax.set_xticks(range(len(labels)), labels, rotation=90, fontsize=8)
    ax.set_yticks(range(len(labels)), labels, fontsize=8)
    ax.set_xlabel("intention prédite")
    ax.set_ylabel("intention attendue")
    for i, row in enumerate(matrix):
        for j, value in enumerate(row):
            if value:
                color = "white" if i == j else "black"
                ax.text(j, i, str(value), ha="center", va="center", fontsize=7, color=color)
    ax.set_title(title)
    fig.tight_layout()
    fig.savefig(path, dpi=110)
    plt.close(fig)


def per_intent(expected: list[str], predicted: list[str], intents: list[str]) -> dict[str, Any]:
    """Precision, recall and F1 of each intent, with its number of test messages."""
    precision, recall, f1, support = precision_recall_fscore_support(
        expected, predicted, labels=intents, zero_division=0
    )
    return {
        intent: {"precision": round(float(p), 3), "recall": round(float(r), 3),
                 "f1": round(float(f), 3), "support": int(n)}
        for intent, p, r, f, n in zip(intents, precision, recall, f1, support, strict=True)
    }  # fmt: skip


def accuracy_by(keys: list[str], expected: list[str], predicted: list[str]) -> dict[str, Any]:
    groups: dict[str, list[bool]] = defaultdict(list)
    for key, e, p in zip(keys, expected, predicted, strict=True):
        groups[key].append(e == p)
    return {k: {"accuracy": round(sum(v) / len(v), 4), "examples": len(v)}
            for k, v in sorted(groups.items())}  # fmt: skip


def failures(report: dict[str, Any], floors: argparse.Namespace) -> list[str]:
    """Every floor not met, in French."""
    found = []
    if report["accuracy"] < floors.min_accuracy:
        found.append(f"exactitude {report['accuracy']:.3f} < {floors.min_accuracy}")
    for name, value in report["accuracy_per_set"].items():
        floor = floors.min_long if name == "heldout_long" else floors.min_set
        if value < floor:
            found.append(f"jeu {name} : exactitude {value:.3f} < {floor}")
    long = report["accuracy_by_length"].get("plus de 60 mots", {}).get("accuracy", 1.0)
    middle = report["accuracy_by_length"].get("21-60 mots", {}).get("accuracy", 1.0)
    if min(long, middle) < floors.min_long:
        found.append(f"messages longs : exactitude {min(long, middle):.3f} < {floors.min_long}")
    for intent, row in report["per_intent"].items():
        if row["f1"] < floors.min_intent_f1:
            found.append(f"intention {intent} : F1 {row['f1']:.3f} < {floors.min_intent_f1}")
    for entity, row in report["entities"].items():
        if row["expected"] >= 10 and row["f1"] < floors.min_entity_f1:
            found.append(f"entité {entity} : F1 {row['f1']:.3f} < {floors.min_entity_f1}")
    return found


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--model", type=Path, required=True)
    parser.add_argument("--data", type=Path, nargs="+", required=True, help="held-out sets")
    parser.add_argument("--out", type=Path, default=Path("results/nlu"))
    # Regression guards under what the current model measures (docs/performance.md: 0.961,
    # sets 0.982 and 0.991, long 0.901 / 0.880 over 60 words), with room for a retrain on
    # another machine (TensorFlow on a CPU is not bit-reproducible); not targets.
    parser.add_argument("--min-accuracy", type=float, default=0.93)
    parser.add_argument("--min-set", type=float, default=0.95)
    parser.add_argument("--min-long", type=float, default=0.80)
    # The same data and seed retrained on another machine moved an intent's F1 by up to 0.09
    # (out_of_scope 0.76 -> 0.67, 2026-12-06, docs/performance.md): TensorFlow on a CPU is
    # not bit-reproducible, and an intent has 10 to 30 held-out messages. 0.70 sat inside
    # that noise; 0.65 still fails on a real loss of an intent. With the second reader
    # (2026-12-06, night) the weakest intent measures 0.82: 0.72 keeps the same margin.
    parser.add_argument("--min-intent-f1", type=float, default=0.72)
    parser.add_argument("--min-entity-f1", type=float, default=0.72)
    args = parser.parse_args()
    logging.disable(logging.WARNING)
    configure_structlog(logging.WARNING)  # never print the test messages' debug traces

    sets = {path.stem: load_data(str(path)).intent_examples for path in args.data}
    origin = [name for name, examples in sets.items() for _ in examples]
    messages = [m for examples in sets.values() for m in examples]
    texts = [m.get("text") for m in messages]
    expected = [m.get("intent") for m in messages]
    parsed = asyncio.run(predict(args.model, texts))
    predicted = [(p.get("intent") or {}).get("name") or "None" for p in parsed]

    def of_set(name: str, values: list[str]) -> list[str]:
        return [v for v, o in zip(values, origin, strict=True) if o == name]

    per_set = {
        name: round(accuracy_score(of_set(name, expected), of_set(name, predicted)), 4)
        for name in sets
    }
    accuracy = accuracy_score(expected, predicted)
    intents = sorted(set(expected))  # macro-F1 over the contract's intents, not nlu_fallback
    macro_f1 = f1_score(expected, predicted, labels=intents, average="macro", zero_division=0)
    confusions = Counter((e, p) for e, p in zip(expected, predicted, strict=True) if e != p)
    labels = sorted(set(expected) | set(predicted))
    args.out.mkdir(parents=True, exist_ok=True)
    matrix = confusion_matrix(expected, predicted, labels=labels).tolist()
    plot(labels, matrix, args.out / "confusion_matrix.png", "Senior Plus : jeux réservés")
    report = {
        "examples": len(texts),
        "intents": len(intents),
        "accuracy": round(accuracy, 4),
        "macro_f1": round(macro_f1, 4),
        "accuracy_per_set": per_set,
        "accuracy_by_length": accuracy_by([bucket(t) for t in texts], expected, predicted),
        "accuracy_by_style": accuracy_by([style(t) for t in texts], expected, predicted),
        "per_intent": per_intent(expected, predicted, intents),
        "per_intent_per_set": {
            name: per_intent(
                of_set(name, expected), of_set(name, predicted), sorted(set(of_set(name, expected)))
            )
            for name in sets
        },
        "entities": entity_scores(
            [list(m.get("entities") or []) for m in messages],
            [list(p.get("entities") or []) for p in parsed],
        ),
        "most_confused": [
            {"expected": e, "predicted": p, "count": n} for (e, p), n in confusions.most_common(15)
        ],
        "errors": [
            {"set": o, "text": t, "expected": e, "predicted": p}
            for o, t, e, p in zip(origin, texts, expected, predicted, strict=True)
            if e != p
        ],
    }
    (args.out / "report.json").write_text(json.dumps(report, ensure_ascii=False, indent=2))

    print(f"Exemples : {len(texts)} ({len(intents)} intentions)")
    print(f"Exactitude (accuracy) : {accuracy:.3f}   F1 macro : {macro_f1:.3f}")
    for name, value in per_set.items():
        print(f"  jeu {name} : exactitude {value:.3f} ({origin.count(name)} exemples)")
    for title, key in (("Par longueur", "accuracy_by_length"), ("Par style", "accuracy_by_style")):
        print(f"{title} :")
        for group, row in report[key].items():
            print(f"  {group} : {row['accuracy']:.3f} ({row['examples']})")
    print("Entités (précision / rappel / F1) :")
    for entity, row in report["entities"].items():
        print(f"  {entity} : {row['precision']:.2f} / {row['recall']:.2f} / {row['f1']:.2f}"
              f" ({row['expected']} attendues)")  # fmt: skip
    weakest = sorted(report["per_intent"].items(), key=lambda kv: kv[1]["f1"])[:5]
    print("Intentions les plus faibles (F1) : "
          + ", ".join(f"{i} {row['f1']:.2f}" for i, row in weakest))  # fmt: skip
    print("Confusions les plus fréquentes (attendue -> prédite) :")
    for (e, p), n in confusions.most_common(10):
        print(f"  {n} x {e} -> {p}")
    print(f"Rapport : {args.out / 'report.json'}, image : {args.out / 'confusion_matrix.png'}")
    failed = failures(report, args)
    for line in failed:
        print(f"ÉCHEC : {line}", file=sys.stderr)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
