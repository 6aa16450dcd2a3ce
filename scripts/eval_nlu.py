"""NLU evaluation on the held-out set (never used for training).

Prints accuracy, macro-F1 and the most confused pairs, writes a report and a
confusion-matrix picture, and exits non-zero below the accuracy floor.
Run it with `make eval-nlu` (bot environment).
"""

from __future__ import annotations

import argparse
import asyncio
import json
import logging
import sys
from collections import Counter
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


async def predict(model: Path, texts: list[str]) -> list[str]:
    agent = Agent.load(str(model))
    predictions = []
    for text in texts:
        parsed = await agent.parse_message(text)
        predictions.append((parsed.get("intent") or {}).get("name") or "None")
    return predictions


def plot(labels: list[str], matrix: list[list[int]], path: Path) -> None:
    fig, ax = plt.subplots(figsize=(14, 12))
    ax.imshow(matrix, cmap="Blues")
    ax.set_xticks(range(len(labels)), labels, rotation=90, fontsize=8)
    ax.set_yticks(range(len(labels)), labels, fontsize=8)
    ax.set_xlabel("intention prédite")
    ax.set_ylabel("intention attendue")
    for i, row in enumerate(matrix):
        for j, value in enumerate(row):
            if value:
                ax.text(
                    j,
                    i,
                    str(value),
                    ha="center",
                    va="center",
                    fontsize=7,
                    color="white" if i == j else "black",
                )
    ax.set_title("Senior Plus : matrice de confusion (jeu de test réservé)")
    fig.tight_layout()
    fig.savefig(path, dpi=110)


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


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--model", type=Path, required=True)
    parser.add_argument("--data", type=Path, nargs="+", required=True, help="held-out sets")
    parser.add_argument("--out", type=Path, default=Path("results/nlu"))
    parser.add_argument("--min-accuracy", type=float, default=0.92)
    args = parser.parse_args()
    logging.disable(logging.WARNING)
    configure_structlog(logging.WARNING)  # never print the test messages' debug traces

    sets = {path.stem: load_data(str(path)).intent_examples for path in args.data}
    origin = [name for name, examples in sets.items() for _ in examples]
    texts = [m.get("text") for examples in sets.values() for m in examples]
    expected = [m.get("intent") for examples in sets.values() for m in examples]
    predicted = asyncio.run(predict(args.model, texts))
    per_set = {
        name: round(
            accuracy_score(
                [e for e, o in zip(expected, origin, strict=True) if o == name],
                [p for p, o in zip(predicted, origin, strict=True) if o == name],
            ),
            4,
        )
        for name in sets
    }

    accuracy = accuracy_score(expected, predicted)
    intents = sorted(set(expected))  # macro-F1 over the 31 intents, not over nlu_fallback
    macro_f1 = f1_score(expected, predicted, labels=intents, average="macro", zero_division=0)
    confusions = Counter((e, p) for e, p in zip(expected, predicted, strict=True) if e != p)
    labels = sorted(set(expected) | set(predicted))
    matrix = confusion_matrix(expected, predicted, labels=labels).tolist()

    args.out.mkdir(parents=True, exist_ok=True)
    plot(labels, matrix, args.out / "confusion_matrix.png")
    errors = [
        {"text": t, "expected": e, "predicted": p}
        for t, e, p in zip(texts, expected, predicted, strict=True)
        if e != p
    ]
    report = {
        "examples": len(texts),
        "intents": len(set(expected)),
        "accuracy": round(accuracy, 4),
        "macro_f1": round(macro_f1, 4),
        "accuracy_per_set": per_set,
        "per_intent": per_intent(expected, predicted, intents),
        "most_confused": [
            {"expected": e, "predicted": p, "count": n} for (e, p), n in confusions.most_common(10)
        ],
        "errors": errors,
    }
    (args.out / "report.json").write_text(json.dumps(report, ensure_ascii=False, indent=2))

    print(f"Exemples : {len(texts)} ({len(set(expected))} intentions)")
    print(f"Exactitude (accuracy) : {accuracy:.3f}")
    print(f"F1 macro : {macro_f1:.3f}")
    for name, value in per_set.items():
        print(f"  {name} : exactitude {value:.3f} ({origin.count(name)} exemples)")
    print("Confusions les plus fréquentes (attendue -> prédite) :")
    for (e, p), n in confusions.most_common(10):
        print(f"  {n} x {e} -> {p}")
    print(f"Rapport : {args.out / 'report.json'}, image : {args.out / 'confusion_matrix.png'}")
    if accuracy < args.min_accuracy:
        print(f"ÉCHEC : exactitude {accuracy:.3f} < {args.min_accuracy}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
