"""Who is speaking: the senior, or a relative acting for them (pure).

Asked once, early (the first time a procedure is opened, or in the triage), and
kept in two slots: `for_whom` ("self" | "relative") and `relationship` ("mère"…).
Everything after is worded accordingly: "vous" for the senior, "votre mère"
for a caregiver, who is also offered their own rights as an aidant.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from policies.questions import normalise
from seniorplus.dialogue.facts import with_digits
from seniorplus.journeys.walkthrough import Reply

SELF = "self"
RELATIVE = "relative"
SET_SPEAKER = "set_speaker"  # button-only intent: its payload carries the answer
# The relationship entity's values (data/nlu/_lookups.yml) that read well after "votre".
RELATIVES = frozenset({"mère", "père", "mari", "épouse", "conjoint", "fils", "fille", "frère",
                       "sœur", "grand-mère", "grand-père", "beau-père", "belle-mère", "oncle",
                       "tante"})  # fmt: skip
SELF_WORDS = (
    "moi",
    "moi meme",
    "pour moi",
    "c est moi",
    "c est pour moi",
    "c moi",
    "je suis la personne",
)
SOMEONE_ELSE_WORDS = ("un proche", "pour un proche", "quelqu un d autre", "un parent", "un ami")


@dataclass(frozen=True)
class Speaker:
    """What is known of who speaks; `None` for_whom means not asked or not answered."""

    for_whom: str | None = None
    relationship: str | None = None

    @classmethod
    def from_slots(cls, for_whom: Any, relationship: Any) -> Speaker:
        kind = for_whom if for_whom in (SELF, RELATIVE) else None
        relation = str(relationship) if relationship else None
        if kind is None and relation:
            kind = RELATIVE  # a relative was named earlier ("ma mère ne peut plus…")
        return cls(kind, relation if kind == RELATIVE else None)

    @property
    def known(self) -> bool:
        return self.for_whom is not None

    @property
    def is_relative(self) -> bool:
        return self.for_whom == RELATIVE

    @property
    def relative(self) -> str | None:
        """The senior as a caregiver calls them ("votre mère", "votre proche"), else None."""
        if not self.is_relative:
            return None
        if self.relationship in RELATIVES:
            return f"votre {self.relationship}"
        return "votre proche"


def speaker_button(title: str, for_whom: str, relationship: str | None = None) -> dict[str, str]:
    entities = {"for_whom": for_whom}
    if relationship:
        entities["relationship"] = relationship
    return {"title": title, "payload": f"/{SET_SPEAKER}{json.dumps(entities, ensure_ascii=False)}"}


SPEAKER_BUTTONS = (
    speaker_button("Pour moi-même", SELF),
    speaker_button("Pour ma mère", RELATIVE, "mère"),
    speaker_button("Pour mon père", RELATIVE, "père"),
    speaker_button("Pour mon conjoint", RELATIVE, "conjoint"),
    speaker_button("Pour un autre proche", RELATIVE),
)


def question() -> Reply:
    return Reply(
        "Pour bien vous guider : c'est pour vous-même ou pour un proche ?", SPEAKER_BUTTONS
    )


def is_speaker_question(buttons: list[dict[str, Any]]) -> bool:
    """True when the choices just offered are the who-is-it-for question."""
    return any(str(b.get("payload", "")).startswith(f"/{SET_SPEAKER}") for b in buttons)


def from_reply(text: str, entities: list[dict[str, Any]]) -> Speaker | None:
    """A typed answer to the question ("pour ma maman", "moi-même"), if it is one."""
    for entity in entities:
        if entity.get("entity") == "relationship" and entity.get("value"):
            return Speaker(RELATIVE, str(entity["value"]))
    words = normalise(text)
    if any(words == w or words.startswith(w + " ") or words.endswith(" " + w) for w in SELF_WORDS):
        return Speaker(SELF)
    if any(w in words for w in SOMEONE_ELSE_WORDS):
        return Speaker(RELATIVE)
    return None


# The senior telling of their own life: their age (60 or more), living alone or widowed,
# their GIR, what they get. A caregiver does not say these of themselves.
_OWN_LIFE = (
    r"j ?ai (?:[6-9]\d|1[01]\d) ans|je (?:touche|toucherai|vais toucher|percois)"
    r"|je vis seule?|je suis (?:veuve?|seule? chez moi|en gir)|mon gir"
)
# Their own care, difficulty or body ("j'ai du mal à marcher", "pour me garer", "ma hanche"):
# a tired caregiver may say "je n'arrive plus à…" too, so these tell less surely.
_OWN_DIFFICULTY = (
    r"(?:faire|pour) ma toilette|(?:me|je me) (?:laver|lever|doucher)|m habiller"
    r"|j ?ai du mal a|je n arrive plus a|je ne peux plus|je ne marche plus|je marche mal"
    r"|(?:pour |je dois )?me (?:garer|deplacer)|mon operation|ma hanche|mon genou"
    r"|ma canne|mon deambulateur|mon fauteuil roulant"
)
_OWN_SITUATION = re.compile(rf"\b(?:{_OWN_LIFE}|{_OWN_DIFFICULTY})\b")
_OWN_LIFE_SAID = re.compile(rf"\b(?:{_OWN_LIFE})\b")


def speaks_of_self(texts: Iterable[str]) -> bool:
    """ "j'ai 84 ans, j'ai du mal pour faire ma toilette", "combien je touche": the person
    speaks of their own situation (the caller checks that no relative was named)."""
    return any(_OWN_SITUATION.search(normalise(with_digits(text))) for text in texts)


def tells_own_life(texts: Iterable[str]) -> bool:
    """ "j'ai 86 ans", "je vis seule", "je suis veuve": surely the person's own situation
    (the caller checks that no relative was named)."""
    return any(_OWN_LIFE_SAID.search(normalise(with_digits(text))) for text in texts)


def acknowledgement(speaker: Speaker) -> str:
    if speaker.relative:
        return f"C'est noté : je vous parlerai de {speaker.relative}."
    return "C'est noté, merci."


CAREGIVER_RIGHTS_OFFER = (
    "Vous aidez un proche : vous avez aussi des droits, comme un congé ou du répit. "
    "Je vous en parle quand vous voulez."
)
