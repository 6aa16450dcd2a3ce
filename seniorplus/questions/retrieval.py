"""Which question of the bank a message asks: BM25 over French stems (pure).

Each question is one document made of its canonical wording and every way people
ask it. A message is cut into stems (snowball's French stemmer, after the words
that say nothing are dropped and a few synonyms are brought together: "rembourser"
and "récupérer", "héritage" and "succession"), and scored against each document
with BM25 (k1 = 1.2, b = 0.75). The best question is kept when it is clearly the
best: its score is high enough for the message (``confidence``, the share of the
message's weight it explains) and clearly above the next question's (``margin``).
A message about the topic in general ("c'est quoi l'APA ?") matches many questions
as well as each other: no question is kept, and the topic's overview answers.

BM25 alone misses a question asked in other words than the bank's ("le macaron pour se
garer" for the parking card): a second score, the cosine of character n-grams (3 to 5,
TF-IDF) with the nearest phrasing of each question, catches shared word parts, spelling
variants and typos. The two are blended (``BLEND``: 0.4 of BM25 scaled to the best, 0.6
of the cosine), tuned on tests/questions/heldout_dev.yml, measured on heldout.yml
(docs/questions.md).

Why our own 60 lines rather than a library: BM25 libraries bring numpy into the
action server for a few hundred short documents; the formula is standard and
tested here (tests/unit/seniorplus/questions/test_retrieval.py). The stemmer is snowball's.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import lru_cache

import snowballstemmer

from policies.questions import normalise
from seniorplus.dialogue.facts import with_digits
from seniorplus.questions.bank import Question

K1, B = 1.2, 0.75
MIN_CONFIDENCE = 0.50  # blended confidence; with the margin, tuned on heldout_dev.yml
MIN_MARGIN = 1.20  # the best must score 20 % above the second
TOPIC_BOOST = 1.25  # a question of the topic the model heard
BLEND = 0.4  # share of BM25 (scaled to the best) in the blended score; the rest: n-grams
NGRAMS = (3, 5)
LONG_MESSAGE_WORDS = 20  # a longer message tells its story first: its question is at the end
TAIL_WORDS = 15  # the end of a long message without punctuation
# The last sentence of a long message carries words of the story ("mon frère pense que…")
# that no question explains: a lower confidence, a wider margin (dev set: 28 of 28 right).
TAIL_CONFIDENCE, TAIL_MARGIN = 0.30, 1.30
CLOSE_MARGIN = 1.0  # a close call: the best is answered and the second offered (best_or_close)
# A message asks something of a journey when one of its stems is in fewer than this share of the
# journey's questions ("apa" is in all of them): "l'APA ?" is no close call (dev set).
SHARE = 0.3
# Far ahead of every other question (twice the second's score), a little less of the message
# explained is enough: its story words ("ne rappelle jamais") belong to no question.
CLEAR_LEAD = (0.45, 2.0)

STOP_WORDS = frozenset(
    [
        "a",
        "ai",
        "au",
        "aux",
        "avec",
        "avez",
        "avoir",
        "c",
        "ca",
        "ce",
        "ces",
        "cest",
        "cet",
        "cette",
        "d",
        "dans",
        "de",
        "des",
        "du",
        "elle",
        "elles",
        "en",
        "est",
        "et",
        "etre",
        "eu",
        "il",
        "ils",
        "j",
        "je",
        "l",
        "la",
        "le",
        "les",
        "leur",
        "lui",
        "m",
        "ma",
        "mais",
        "me",
        "meme",
        "mes",
        "moi",
        "mon",
        "n",
        "ne",
        "nos",
        "notre",
        "nous",
        "on",
        "ou",
        "par",
        "pas",
        "peu",
        "pour",
        "qu",
        "que",
        "quel",
        "quelle",
        "quelles",
        "quels",
        "qui",
        "s",
        "sa",
        "se",
        "ses",
        "si",
        "son",
        "sur",
        "t",
        "ta",
        "te",
        "tes",
        "toi",
        "ton",
        "tu",
        "un",
        "une",
        "vos",
        "votre",
        "vous",
        "y",
        "euh",
        "ben",
        "bah",
        "alors",
        "voila",
        "bonjour",
        "merci",
        "svp",
        "stp",
        "madame",
        "monsieur",
        "hein",
        "donc",
        "bon",
        "oui",
        "non",
        "est-ce",
        "quoi",
        "comment",
        "faut",
        "il",
        "faudrait",
        "peut",
        "peux",
        "pourrait",
        "puis",
        "dois",
        "doit",
        "devons",
    ]
)
SYNONYMS = {
    "rembourser": "recuperer", "rembourse": "recuperer", "remboursee": "recuperer",
    "reprendre": "recuperer", "reprise": "recuperer", "recuperation": "recuperer",
    "recuperee": "recuperer", "heritage": "succession", "heritiers": "succession",
    "rendre": "recuperer", "redonner": "recuperer", "rend": "recuperer",
    "deces": "mort", "decede": "mort", "decedee": "mort", "mourra": "mort", "meurt": "mort",
    "meure": "mort", "mourir": "mort", "morte": "mort", "disparition": "mort",
    "maman": "mere", "papa": "pere", "ehpad": "etablissement", "maison": "maison",
    "thune": "argent", "sous": "argent", "fric": "argent", "tarif": "prix", "coute": "prix",
    "coutent": "prix", "cout": "prix", "delai": "temps", "delais": "temps",
    "longtemps": "temps", "attendre": "temps", "refus": "refuser", "refusee": "refuser",
    "refuse": "refuser", "recours": "contester", "contestation": "contester",
    "paperasse": "papiers", "documents": "papiers", "justificatifs": "papiers",
    "pieces": "papiers", "demenage": "demenager", "demenagement": "demenager",
    "cumuler": "cumul", "cumulable": "cumul", "ensemble": "cumul",
}  # fmt: skip
_STEMMER = snowballstemmer.stemmer("french")


@lru_cache(maxsize=4096)
def stems(text: str) -> tuple[str, ...]:
    """The message as stems: plain words, synonyms brought together, stop words dropped."""
    words = normalise(with_digits(text)).split()
    kept = [SYNONYMS.get(w, w) for w in words if w not in STOP_WORDS and len(w) > 1]
    return tuple(_STEMMER.stemWords(kept))


def grams(text: str) -> Counter[str]:
    """Character n-grams of the message's meaningful words (" apa ", "alloc"…)."""
    counts: Counter[str] = Counter()
    for word in normalise(with_digits(text)).split():
        if word in STOP_WORDS:
            continue
        padded = f" {word} "
        for n in range(NGRAMS[0], NGRAMS[1] + 1):
            counts.update(padded[i : i + n] for i in range(len(padded) - n + 1))
    return counts


class GramIndex:
    """Cosine of TF-IDF character n-grams with each phrasing; a question scores its best."""

    def __init__(self, questions: Sequence[Question]) -> None:
        phrasings = [(i, grams(t)) for i, q in enumerate(questions) for t in (q.question, *q.asks)]
        frequency: Counter[str] = Counter()
        for _, counts in phrasings:
            frequency.update(counts.keys())
        n = len(phrasings)
        self.idf = {g: math.log((n + 1) / (f + 1)) + 1 for g, f in frequency.items()}
        self.owner = [i for i, _ in phrasings]
        self.postings: dict[str, list[tuple[int, float]]] = {}
        for doc, (_, counts) in enumerate(phrasings):
            for gram, weight in self._vector(counts).items():
                self.postings.setdefault(gram, []).append((doc, weight))
        self.size = len(questions)

    def _vector(self, counts: Counter[str]) -> dict[str, float]:
        vector = {g: (1 + math.log(c)) * self.idf.get(g, 0.0) for g, c in counts.items()}
        norm = math.sqrt(sum(w * w for w in vector.values())) or 1.0
        return {g: w / norm for g, w in vector.items()}

    def scores(self, text: str) -> list[float]:
        """For each question, the cosine of `text` with its nearest phrasing."""
        by_doc: dict[int, float] = {}
        for gram, weight in self._vector(grams(text)).items():
            for doc, other in self.postings.get(gram, ()):
                by_doc[doc] = by_doc.get(doc, 0.0) + weight * other
        best = [0.0] * self.size
        for doc, score in by_doc.items():
            question = self.owner[doc]
            best[question] = max(best[question], score)
        return best


def question_part(text: str) -> str | None:
    """The end of a long message, where its question is; None for a short message.

    The last sentence with a question mark, else the last sentence, else (no punctuation,
    as in many SMS and voice transcripts) the last ``TAIL_WORDS`` words.
    """
    if len(text.split()) < LONG_MESSAGE_WORDS:
        return None
    sentences = [s.strip() for s in re.split(r"(?<=[.?!\n])", text) if len(s.split()) >= 3]
    asked = [s for s in sentences if s.endswith("?")]
    if asked:
        return asked[-1]
    if len(sentences) > 1:
        return sentences[-1]
    return " ".join(text.split()[-TAIL_WORDS:])


@dataclass(frozen=True)
class Match:
    question: Question
    score: float
    confidence: float  # share of the message's weight this question explains (0 to 1)
    margin: float  # the best score over the second's


class QuestionIndex:
    """BM25 over the bank, one document per question (all its phrasings), blended with
    the n-gram cosine (:class:`GramIndex`)."""

    def __init__(self, questions: Sequence[Question]) -> None:
        self.questions = tuple(questions)
        self.grams = GramIndex(self.questions)
        self.documents = [
            Counter(s for text in (q.question, *q.asks) for s in stems(text))
            for q in self.questions
        ]
        self.lengths = [sum(d.values()) for d in self.documents]
        self.average = sum(self.lengths) / max(1, len(self.lengths))
        frequency: Counter[str] = Counter()
        for document in self.documents:
            frequency.update(document.keys())
        n = len(self.documents)
        self.idf = {s: math.log(1 + (n - f + 0.5) / (f + 0.5)) for s, f in frequency.items()}

    def _score(self, query: Iterable[str], index: int) -> float:
        document, length = self.documents[index], self.lengths[index]
        score = 0.0
        for stem in query:
            tf = document.get(stem, 0)
            if tf:
                norm = tf + K1 * (1 - B + B * length / self.average)
                score += self.idf[stem] * tf * (K1 + 1) / norm
        return score

    def ranked(self, text: str, topic: str | None = None) -> list[tuple[Question, float]]:
        """Every question with its blended score for `text` (0 to ~1.25), best first."""
        return [(q, score) for q, score, _ in self._blended(text, topic)]

    def _blended(self, text: str, topic: str | None) -> list[tuple[Question, float, float]]:
        """(question, score, confidence), best first: the score ranks (BM25 scaled to the
        best question); the confidence says how much of the message is explained (BM25
        over its ceiling for this message, and the cosine), without the topic's boost."""
        query = set(stems(text))
        words = [self._score(query, index) for index in range(len(self.questions))]
        top = max(words, default=0.0) or 1.0
        ceiling = sum(self.idf.get(s, 0.0) for s in query) * (K1 + 1) or 1.0
        near = self.grams.scores(text)
        scored = []
        for index, question in enumerate(self.questions):
            score = BLEND * words[index] / top + (1 - BLEND) * near[index]
            confidence = BLEND * words[index] / ceiling + (1 - BLEND) * near[index]
            if topic and question.topic == topic:
                score *= TOPIC_BOOST
            scored.append((question, score, confidence))
        return sorted(scored, key=lambda item: item[1], reverse=True)

    def best(self, text: str, topic: str | None = None, journey: str | None = None) -> Match | None:
        """The question `text` asks (:meth:`best_of`); in a long message, its last sentence
        (where people put their question) is read alone first. A message that says nothing
        but its journey's words ("l'APA ?") asks none of its questions."""
        if journey is not None and not self.asks_something(text, journey):
            return None
        tail = question_part(text)
        if tail is not None:
            found = self.best_of(tail, topic, journey, (TAIL_CONFIDENCE, TAIL_MARGIN))
            if found is not None:
                return found
        return self.best_of(text, topic, journey)

    def best_or_close(
        self, text: str, topic: str | None = None, journey: str | None = None
    ) -> tuple[Match, Question | None] | None:
        """The question `text` asks, with None; or, when two questions of the journey are
        close (the best explains enough of the message, ``MIN_CONFIDENCE``, but is not 20 %
        above the second), the best and the second, so that the second can be offered.

        Tuned on tests/questions/heldout_dev.yml (47 questions): 40 answered instead of 31,
        37 right instead of 30, the right one offered as the second once more; 2 of its 5
        general messages naming a topic get a question instead of 1 (docs/questions.md).
        """
        if not self.asks_something(text, journey):  # "l'APA ?", "infos sur la curatelle"
            return None
        sure = self.sure(text, topic, journey)
        if sure is not None:
            return sure, None
        close = self.best_of(text, topic, journey, (MIN_CONFIDENCE, CLOSE_MARGIN))
        if close is None:
            return None
        ranked = [q for q, _, _ in self._blended(text, topic) if journey in (None, q.journey)]
        second = next((q for q in ranked if q.id != close.question.id), None)
        return close, second

    def sure(self, text: str, topic: str | None = None, journey: str | None = None) -> Match | None:
        """:meth:`best`, or a question far ahead of all others (``CLEAR_LEAD``)."""
        if journey is not None and not self.asks_something(text, journey):
            return None
        return self.best(text, topic, journey) or self.best_of(text, topic, journey, CLEAR_LEAD)

    def asks_something(self, text: str, journey: str | None = None) -> bool:
        """Whether the message says more than its topic: one of its stems is in fewer than
        ``SHARE`` of the journey's questions ("apa" is in all of them, "decid" in a few)."""
        documents = [d for q, d in zip(self.questions, self.documents, strict=True)
                     if journey in (None, q.journey)]  # fmt: skip
        return any(
            sum(stem in d for d in documents) < len(documents) * SHARE for stem in set(stems(text))
        )

    def best_of(
        self,
        text: str,
        topic: str | None = None,
        journey: str | None = None,
        thresholds: tuple[float, float] | None = None,
    ) -> Match | None:
        """The question `text` asks, or None when no question is clearly the one.

        With `journey` (the procedure being talked about), only its questions compete:
        the same question asked of the APA at home and in an EHPAD is no longer a tie.
        """
        ranked = self._blended(text, topic)
        if journey is not None:
            ranked = [item for item in ranked if item[0].journey == journey]
        if not ranked or ranked[0][1] <= 0:
            return None
        (question, score, confidence), second = (
            ranked[0],
            (ranked[1][1] if len(ranked) > 1 else 0.0),
        )
        margin = score / second if second else math.inf
        least, wider = thresholds or (MIN_CONFIDENCE, MIN_MARGIN)
        if confidence < least or margin < wider:
            return None
        return Match(question, score, round(confidence, 3), round(margin, 3))
