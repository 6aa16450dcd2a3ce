"""Load the question bank (``data/questions/*.yml``) and check it (pure, no Rasa).

Each file holds one journey's questions: an id, the canonical question (a button
title), the ways people ask it (the retrieval's phrasings), the answer (at most two
SMS; amounts as ``{montant:key}`` placeholders of ``data/figures.yml``), its source and
its confidence. Schema and how to add a question: docs/questions.md.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from functools import lru_cache
from pathlib import Path

import yaml

from seniorplus.errors import SeniorPlusError

DEFAULT_DIRECTORY = Path(__file__).resolve().parents[2] / "data" / "questions"
MAX_QUESTION_CHARS = 60
MAX_ANSWER_CHARS = 320  # a placeholder counted as its longest amount: two SMS
_ID = re.compile(r"^[a-z][a-z0-9_]*$")
CONFIDENCES = ("confirmed", "unconfirmed")


class BankError(SeniorPlusError):
    """The question bank breaks its schema."""


@dataclass(frozen=True)
class Question:
    id: str
    journey: str
    topic: str
    question: str
    asks: tuple[str, ...]
    answer: str
    source: str
    confidence: str
    checked: date | None = None  # the day the answers of its file were checked


def _question(
    raw: dict[str, object], journey: str, topic: str, where: str, checked: date | None = None
) -> Question:
    try:
        item = Question(
            id=str(raw["id"]),
            journey=journey,
            topic=topic,
            question=str(raw["question"]).strip(),
            asks=tuple(str(a).strip() for a in raw["asks"]),  # type: ignore[attr-defined]
            answer=" ".join(str(raw["answer"]).split()),
            source=str(raw["source"]).strip(),
            confidence=str(raw.get("confidence", "confirmed")),
            checked=checked,
        )
    except (KeyError, TypeError) as error:
        raise BankError(f"{where}: question incomplète ({error})") from error
    if not _ID.match(item.id):
        raise BankError(f"{where}: identifiant invalide {item.id!r}")
    if len(item.question) > MAX_QUESTION_CHARS:
        raise BankError(f"{where}: {item.id}: question de plus de {MAX_QUESTION_CHARS} caractères")
    if len(item.asks) < 3:
        raise BankError(f"{where}: {item.id}: au moins trois façons de la poser")
    if item.confidence not in CONFIDENCES:
        raise BankError(f"{where}: {item.id}: confiance inconnue {item.confidence!r}")
    return item


@lru_cache(maxsize=4)
def load_bank(directory: Path = DEFAULT_DIRECTORY) -> tuple[Question, ...]:
    """Every question of every journey, in file order.

    Raises:
        BankError: a file breaks the schema, or an id is used twice.
    """
    questions: list[Question] = []
    for path in sorted(directory.glob("*.yml")):
        data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
        journey, topic = str(data.get("journey", path.stem)), str(data.get("topic", ""))
        checked = data.get("checked")
        if checked is not None and not isinstance(checked, date):
            raise BankError(f"{path.name}: checked doit être une date (AAAA-MM-JJ)")
        for raw in data.get("questions") or []:
            questions.append(_question(raw, journey, topic, path.name, checked))
    ids = [q.id for q in questions]
    twice = sorted({i for i in ids if ids.count(i) > 1})
    if twice:
        raise BankError(f"identifiants en double : {', '.join(twice)}")
    return tuple(questions)
