"""The question bank: what people ask about each procedure, and its answer (docs/questions.md)."""

from seniorplus.questions.bank import Question, load_bank
from seniorplus.questions.retrieval import Match, QuestionIndex

__all__ = ["Match", "Question", "QuestionIndex", "load_bank"]
